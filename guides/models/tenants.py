"""Tenants, the host names that serve them, and who may edit them."""

from __future__ import annotations

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import (
    MaxValueValidator,
    MinValueValidator,
    RegexValidator,
)
from django.db import models
from django.utils.translation import gettext_lazy as _


def language_choices() -> list[tuple[str, str]]:
    """Return the installation's languages, read from settings when needed."""
    return settings.LANGUAGES


def language_codes() -> tuple[str, ...]:
    """Return the codes of the installation's languages."""
    return tuple(code for code, _name in settings.LANGUAGES)


HOSTNAME_RE = re.compile(
    r"^(?=.{1,253}$)(?!-)[a-z0-9-]{1,63}(?<!-)(\.(?!-)[a-z0-9-]{1,63}(?<!-))*$"
)


def normalize_host(host: str) -> str:
    """Return a host name lowercased, without port and trailing dot."""
    host = (host or "").strip().lower()
    if host.startswith("["):  # IPv6 literal
        end = host.find("]")
        return host[: end + 1] if end != -1 else host
    host = host.rsplit(":", 1)[0] if host.count(":") == 1 else host
    return host.rstrip(".")


def validate_hostname(value: str) -> None:
    if value != normalize_host(value) or not HOSTNAME_RE.match(value):
        raise ValidationError(
            _("%(value)s is not a valid host name (lowercase, no port, no scheme)."),
            params={"value": value},
            code="invalid_host",
        )


def validate_languages(value) -> None:
    if not isinstance(value, list) or not value:
        raise ValidationError(_("Enable at least one language."), code="no_language")
    codes = language_codes()
    unknown = [code for code in value if code not in codes]
    if unknown:
        raise ValidationError(
            _("Unknown language code(s): %(codes)s. Choose from %(choices)s."),
            params={
                "codes": ", ".join(map(str, unknown)),
                "choices": ", ".join(codes),
            },
            code="unknown_language",
        )
    if len(set(value)) != len(value):
        raise ValidationError(
            _("A language is listed twice."), code="duplicate_language"
        )


#: A new help center's review interval: verify each procedure twice a year.
DEFAULT_REVIEW_INTERVAL_DAYS = 180


def default_languages() -> list[str]:
    return ["zh-hans", "en"]


class Tenant(models.Model):
    """One help center: its languages, branding, domains and editors."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    languages = models.JSONField(
        _("enabled languages"),
        default=default_languages,
        blank=True,  # so validate_languages, not "required", explains an empty list
        validators=[validate_languages],
        help_text=_("Language codes readers can choose, e.g. zh-hans, en."),
    )
    default_language = models.CharField(
        _("default language"),
        max_length=10,
        choices=language_choices,
        default="zh-hans",
    )

    class ChineseVariant(models.TextChoices):
        TAIWAN = "tw", _("Taiwan (Traditional Chinese, Taiwan wording)")
        HONG_KONG = "hk", _("Hong Kong (Traditional Chinese, Hong Kong wording)")

    chinese_variant = models.CharField(
        _("Traditional Chinese variant"),
        max_length=2,
        choices=ChineseVariant.choices,
        default=ChineseVariant.TAIWAN,
        help_text=_(
            "The wording of the Traditional Chinese interface and of drafts "
            "converted from Simplified Chinese, and the region in hreflang."
        ),
    )
    logo = models.CharField(
        _("logo URL"),
        max_length=500,
        blank=True,
        help_text=_("An absolute https URL or a path under /static/."),
    )
    favicon = models.CharField(
        _("favicon URL"),
        max_length=500,
        blank=True,
        help_text=_(
            "The icon browsers show in tabs: an absolute https URL or a path "
            "under /static/ (.ico, .png or .svg). Empty: the default icon."
        ),
    )
    primary_color = models.CharField(
        _("primary colour"),
        max_length=7,
        default="#0b5cad",
        validators=[
            RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Use a hex colour like #0b5cad."))
        ],
    )
    link_allowlist = models.JSONField(
        _("allowed link hosts"),
        default=list,
        blank=True,
        help_text=_(
            "Extra host names that imported links and images may point to; "
            "the tenant's domains and its carriers' websites are always allowed."
        ),
    )
    review_interval_days = models.PositiveIntegerField(
        _("review interval (days)"),
        default=DEFAULT_REVIEW_INTERVAL_DAYS,
        validators=[MinValueValidator(1), MaxValueValidator(3650)],
        help_text=_(
            "Procedures are due for verification this many days after they were "
            "last verified; a procedure may set its own interval."
        ),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("tenant")
        verbose_name_plural = _("tenants")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        enabled = getattr(self, "languages", None)
        if not enabled:
            raise ValidationError({"languages": _("Enable at least one language.")})
        if (
            isinstance(self.languages, list)
            and self.default_language not in self.languages
        ):
            raise ValidationError(
                {
                    "default_language": _(
                        "The default language must be one of the enabled languages."
                    )
                }
            )

    def ordered_languages(self) -> list[str]:
        """Return enabled languages, the default first."""
        codes = language_codes()
        langs = [code for code in self.languages if code in codes]
        if self.default_language in langs:
            langs.remove(self.default_language)
            langs.insert(0, self.default_language)
        return langs


class Domain(models.Model):
    """A host name that serves a tenant once its ownership is verified.

    Until then it answers like an unknown host, and several tenants may
    claim the same name: a claim that nobody proves blocks nobody
    (``guides.services.tenants``, ``guides.tenancy.verification``).
    """

    class Verification(models.TextChoices):
        DNS = "dns", _("DNS record")
        HTTP = "http", _("file on the host")
        GRANT = "grant", _("granted by an administrator")

    tenant = models.ForeignKey(
        Tenant,
        on_delete=models.CASCADE,
        related_name="domains",
        verbose_name=_("tenant"),
    )
    host = models.CharField(
        _("host name"), max_length=253, validators=[validate_hostname]
    )
    is_primary = models.BooleanField(_("primary"), default=False)
    verified_at = models.DateTimeField(_("verified"), null=True, blank=True)
    verified_via = models.CharField(
        _("verified through"), max_length=5, choices=Verification.choices, blank=True
    )

    class Meta:
        ordering = ["-is_primary", "host"]
        verbose_name = _("domain")
        verbose_name_plural = _("domains")
        constraints = [
            models.UniqueConstraint(
                fields=["tenant"],
                condition=models.Q(is_primary=True),
                name="guides_domain_one_primary_per_tenant",
            ),
            models.UniqueConstraint(
                fields=["tenant", "host"], name="guides_domain_unique_host_per_tenant"
            ),
            # Only a verified host serves, so only one tenant may hold it.
            models.UniqueConstraint(
                fields=["host"],
                condition=models.Q(verified_at__isnull=False),
                name="guides_domain_one_verified_host",
            ),
        ]

    def __str__(self) -> str:
        return self.host


class Membership(models.Model):
    """A user's role in one tenant."""

    class Role(models.TextChoices):
        EDITOR = "editor", _("Editor")
        REVIEWER = "reviewer", _("Reviewer")
        MANAGER = "manager", _("Manager")

    tenant = models.ForeignKey(
        Tenant,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("tenant"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="helpcenter_memberships",
        verbose_name=_("user"),
    )
    role = models.CharField(
        _("role"), max_length=10, choices=Role.choices, default=Role.EDITOR
    )

    class Meta:
        ordering = ["tenant", "user"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "user"],
                name="guides_membership_unique_user_per_tenant",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.tenant} ({self.get_role_display()})"
