"""What readers searched for, and what they could not find (read-only)."""

from __future__ import annotations

from django.contrib import admin

from guides.admin.mixins import TenantScopedAdminMixin
from guides.models import (
    SearchQuery,
)
from guides.search import selectors as search_selectors


@admin.register(SearchQuery)
class SearchQueryAdmin(TenantScopedAdminMixin, admin.ModelAdmin):
    """What readers searched for, and what they could not find (read-only)."""

    change_list_template = "admin/guides/searchquery/change_list.html"
    list_display = (
        "query",
        "language",
        "result_count",
        "clicked_article",
        "created_at",
    )
    list_filter = ("language", "created_at")
    search_fields = ("query",)
    list_select_related = ("clicked_article",)

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        tenant = request.tenant
        extra_context = {
            **(extra_context or {}),
            "top_queries": search_selectors.top_queries(tenant=tenant),
            "zero_result_queries": search_selectors.zero_result_queries(tenant=tenant),
        }
        return super().changelist_view(request, extra_context)
