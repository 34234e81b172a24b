"""Readers' "Was this helpful?" answers in the admin, for the tenant's editors.

A read-only list (members view; nobody adds or changes an answer; reviewers
and managers may delete spam), with the articles readers found least helpful
on top, and the summary the article change form shows (``article_feedback``).
Deletes go through ``services.feedback_delete``.
"""

from __future__ import annotations

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from guides import services
from guides.admin.mixins import TenantScopedAdminMixin
from guides.models import Feedback
from guides.selectors import feedback as feedback_selectors

COMMENT_EXCERPT = 80


@admin.register(Feedback)
class FeedbackAdmin(TenantScopedAdminMixin, admin.ModelAdmin):
    """What readers answered to "Was this helpful?", per article (read-only)."""

    change_list_template = "admin/guides/feedback/change_list.html"
    list_display = ("article", "helpful", "comment_excerpt", "language", "created_at")
    list_filter = (
        "helpful",
        "language",
        "created_at",
        ("article", admin.RelatedOnlyFieldListFilter),
    )
    search_fields = ("comment",)
    list_select_related = ("article",)
    # The client fingerprint is for rate limiting only: editors never see it.
    fields = ("article", "helpful", "comment", "language", "created_at")
    readonly_fields = fields

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    # Viewing: any member (TenantScopedAdminMixin). Deleting (spam): reviewers
    # and managers, as TenantScopedAdminMixin.has_delete_permission says, and
    # only through the service.

    def delete_model(self, request, obj):
        services.feedback_delete(feedback=obj, user=request.user)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for feedback in queryset:
                services.feedback_delete(feedback=feedback, user=request.user)

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        # Another tenant's answer is "missing", answered like any unknown id.
        raise Http404(gettext("No such feedback in this help center."))

    @admin.display(description=_("comment"))
    def comment_excerpt(self, obj: Feedback) -> str:
        return Truncator(obj.comment).chars(COMMENT_EXCERPT)

    def changelist_view(self, request, extra_context=None):
        # Refuse before reading the aggregates (Django would, only later).
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        extra_context = {
            **(extra_context or {}),
            "feedback_articles": feedback_selectors.articles_by_feedback(
                tenant=request.tenant
            ),
            "feedback_days": feedback_selectors.RECENT_DAYS,
        }
        return super().changelist_view(request, extra_context)


def article_feedback(request, article) -> dict:
    """Return the change form's "Reader feedback" context (two queries)."""
    tenant = request.tenant
    opts = Feedback._meta
    changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    return {
        "feedback_summary": feedback_selectors.article_feedback_summary(
            tenant=tenant, article=article
        ),
        "feedback_comments": feedback_selectors.article_feedback_comments(
            tenant=tenant, article=article
        ),
        "feedback_list_url": f"{changelist}?article__id__exact={article.pk}",
    }
