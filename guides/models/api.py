"""Tokens of the editor API: one secret per user and help center."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from guides.tenancy import TenantOwned


class ApiToken(TenantOwned):
    """A user's key to the editor API of one help center.

    Only the SHA-256 of the secret is stored: the secret is shown once, when
    the token is created (``guides.services.tokens.api_token_create``), and a
    leaked database cannot be replayed against the API. A token acts with its
    user's current role in its own tenant, and on that tenant's hosts only.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("user"),
    )
    name = models.CharField(
        _("name"),
        max_length=100,
        help_text=_("What the token is for, e.g. “translation workflow”."),
    )
    prefix = models.CharField(
        _("prefix"),
        max_length=12,
        editable=False,
        help_text=_("The first characters of the secret, to recognise it."),
    )
    key_hash = models.CharField(
        _("key hash"), max_length=64, unique=True, editable=False
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "id"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
