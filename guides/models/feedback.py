"""What readers tell us: "was this helpful" votes."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from guides.tenancy import TenantOwned


class Feedback(TenantOwned):
    """A reader's answer to "Was this helpful?" on one article."""

    article = models.ForeignKey(
        "guides.Article",
        on_delete=models.CASCADE,
        related_name="feedback",
        verbose_name=_("article"),
    )
    language = models.CharField(_("language"), max_length=10)
    helpful = models.BooleanField(_("helpful"))
    comment = models.TextField(_("comment"), max_length=2000, blank=True)
    client_hash = models.CharField(
        _("client fingerprint"),
        max_length=64,
        blank=True,
        db_index=True,
        help_text=_("A salted hash of the reader's address, for rate limiting only."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")

    def __str__(self) -> str:
        return f"{'+' if self.helpful else '-'} {self.article_id}"
