"""Carriers, their contact channels, and card types."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from guides.models.articles import length_limit
from guides.tenancy import TenantOwned

#: A carrier's or card type's description is a lead paragraph on its page.
DESCRIPTION_MAX_LENGTH = 2_000


class Carrier(TenantOwned):
    """An operator or card issuer inside a tenant."""

    slug = models.SlugField(_("slug"), max_length=80)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(
        _("description"),
        blank=True,
        validators=[
            length_limit(
                DESCRIPTION_MAX_LENGTH,
                _(
                    "The description has %(show_value)d characters; the limit "
                    "is %(limit_value)d."
                ),
            )
        ],
    )
    website = models.URLField(_("website"), blank=True)
    sort_order = models.PositiveIntegerField(_("sort order"), default=0)
    # The lastmod of its page in the sitemap (guides/public/sitemaps.py).
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["sort_order", "slug"]
        verbose_name = _("carrier")
        verbose_name_plural = _("carriers")
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "slug"],
                name="guides_carrier_unique_slug_per_tenant",
                violation_error_message=_(
                    "This slug is already used in this help center."
                ),
                violation_error_code="duplicate_slug",
            )
        ]

    def __str__(self) -> str:
        return self.name or self.slug


class Channel(TenantOwned):
    """A typed contact point of a carrier."""

    class Kind(models.TextChoices):
        HOTLINE = "hotline", _("Hotline")
        APP = "app", _("App")
        WEBSITE = "website", _("Website")
        STORE = "store", _("Store")
        SMS = "sms", _("SMS")

    carrier = models.ForeignKey(
        Carrier,
        on_delete=models.CASCADE,
        related_name="channels",
        verbose_name=_("carrier"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    label = models.CharField(_("label"), max_length=200)
    value = models.CharField(
        _("value"),
        max_length=300,
        help_text=_("Phone number, app name, URL, store address or SMS number."),
    )
    opening_hours = models.CharField(_("opening hours"), max_length=200, blank=True)
    sort_order = models.PositiveIntegerField(_("sort order"), default=0)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["carrier", "sort_order", "id"]
        verbose_name = _("channel")
        verbose_name_plural = _("channels")

    def __str__(self) -> str:
        return f"{self.label} ({self.value})"

    @property
    def href(self) -> str:
        """Return the link a reader taps: tel:, sms: or the web address."""
        if self.kind == self.Kind.HOTLINE:
            return "tel:" + "".join(
                ch for ch in self.value if ch.isdigit() or ch == "+"
            )
        if self.kind == self.Kind.SMS:
            return "sms:" + "".join(
                ch for ch in self.value if ch.isdigit() or ch == "+"
            )
        if self.kind == self.Kind.WEBSITE and self.value.startswith(
            ("https://", "http://")
        ):
            return self.value
        return ""


class CardType(TenantOwned):
    """A kind of card: prepaid 10-day card, data card, 5G card, eSIM, ..."""

    slug = models.SlugField(_("slug"), max_length=80)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(
        _("description"),
        blank=True,
        validators=[
            length_limit(
                DESCRIPTION_MAX_LENGTH,
                _(
                    "The description has %(show_value)d characters; the limit "
                    "is %(limit_value)d."
                ),
            )
        ],
    )
    sort_order = models.PositiveIntegerField(_("sort order"), default=0)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["sort_order", "slug"]
        verbose_name = _("card type")
        verbose_name_plural = _("card types")
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "slug"],
                name="guides_cardtype_unique_slug_per_tenant",
                violation_error_message=_(
                    "This slug is already used in this help center."
                ),
                violation_error_code="duplicate_slug",
            )
        ]

    def __str__(self) -> str:
        return self.name or self.slug
