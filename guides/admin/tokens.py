"""Each user's editor API tokens on the current help center.

A member sees and revokes their own tokens only (superusers see everyone's),
adds one by naming it, and is shown its secret once, in the message after
saving. Tokens are never changed: a new need gets a new token. Writes go
through ``services.api_token_create`` and ``services.api_token_revoke``.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.db import transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from guides import permissions, services
from guides.admin.mixins import TenantScopedAdminMixin
from guides.models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(TenantScopedAdminMixin, admin.ModelAdmin):
    """A member's tokens: add (secret shown once), list, revoke."""

    list_display = ("name", "prefix_display", "user", "created_at")
    fields = ("name",)
    list_select_related = ("user",)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if permissions.is_superuser(request):
            return queryset
        return queryset.filter(user=request.user)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        # Members revoke their own tokens (get_queryset holds only those).
        return permissions.is_member(request)

    @admin.display(description=_("prefix"))
    def prefix_display(self, obj: ApiToken) -> str:
        return f"{obj.prefix}…"

    def save_model(self, request, obj, form, change):
        token, secret = services.api_token_create(user=request.user, name=obj.name)
        # The admin's "added" message and redirect need the saved row's id.
        obj.pk = token.pk
        obj.prefix = token.prefix
        messages.warning(
            request,
            gettext(
                "Copy the secret of “%(name)s” now; it will not be shown again: "
                "%(secret)s"
            )
            % {"name": token.name, "secret": secret},
        )

    def save_related(self, request, form, formsets, change):
        """Save nothing more: a token has no related rows or inlines."""

    def save_formset(self, request, form, formset, change):
        """Save nothing: a token has no inlines."""

    def delete_model(self, request, obj):
        services.api_token_revoke(token=obj, user=request.user)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for token in queryset:
                services.api_token_revoke(token=token, user=request.user)
