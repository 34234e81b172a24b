"""How often readers open each article: the read counts behind "popular"."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from guides.tenancy import TenantOwned


class ArticleReadCount(TenantOwned):
    """Reads of one article on one day (UTC), counted from the page's beacon.

    One row per article and day, incremented in place
    (``guides.services.reads``): the table grows by at most one row per
    article a day, and "popular" sums the last days' rows of one tenant.
    """

    article = models.ForeignKey(
        "guides.Article",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("article"),
    )
    day = models.DateField(_("day"))
    count = models.PositiveIntegerField(_("reads"), default=0)

    class Meta:
        ordering = ["-day", "article"]
        verbose_name = _("article read count")
        verbose_name_plural = _("article read counts")
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "article", "day"],
                name="guides_articlereadcount_unique_per_day",
            )
        ]
        indexes = [
            models.Index(fields=["tenant", "day"], name="guides_reads_tenant_day_idx")
        ]

    def __str__(self) -> str:
        return f"{self.article_id} {self.day}: {self.count}"
