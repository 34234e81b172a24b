"""Carriers with their channels, card types and synonym groups (managers edit)."""

from __future__ import annotations

from django.contrib import admin
from modeltranslation.admin import TranslationAdmin

from guides import permissions
from guides.admin.mixins import (
    LanguageTabsAdminMixin,
    ManagerOnlyMixin,
    SortableTabularInline,
    TenantVersionAdmin,
)
from guides.models import (
    CardType,
    Carrier,
    Channel,
    SynonymGroup,
)


class ChannelInline(SortableTabularInline):
    model = Channel
    fields = ("sort_order", "kind", "label", "value", "opening_hours")


@admin.register(Carrier)
class CarrierAdmin(
    LanguageTabsAdminMixin, ManagerOnlyMixin, TenantVersionAdmin, TranslationAdmin
):
    list_display = ("name", "slug", "website")
    exclude = ("tenant",)
    inlines = (ChannelInline,)

    class Media:
        js = ("guides/admin_languages.js",)
        css = {"all": ("guides/admin.css",)}

    def has_view_permission(self, request, obj=None):
        return permissions.is_member(request)


@admin.register(CardType)
class CardTypeAdmin(
    LanguageTabsAdminMixin, ManagerOnlyMixin, TenantVersionAdmin, TranslationAdmin
):
    list_display = ("name", "slug")
    exclude = ("tenant",)

    class Media:
        js = ("guides/admin_languages.js",)
        css = {"all": ("guides/admin.css",)}

    def has_view_permission(self, request, obj=None):
        return permissions.is_member(request)


@admin.register(SynonymGroup)
class SynonymGroupAdmin(ManagerOnlyMixin, TenantVersionAdmin):
    """Words readers use for the same thing, per help center (managers edit)."""

    list_display = ("__str__", "updated_at")
    exclude = ("tenant",)

    def has_view_permission(self, request, obj=None):
        return permissions.is_member(request)

    def save_model(self, request, obj, form, change):
        obj.tenant = request.tenant
        super().save_model(request, obj, form, change)
