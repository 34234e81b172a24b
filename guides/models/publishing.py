"""What readers see, and the metadata every revision carries."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from guides.tenancy import TenantOwned


class Publication(TenantOwned):
    """The article as readers see it, frozen at its last publish.

    ``content`` maps each published language code to the rendered-ready
    snapshot of the article in that language (see
    ``guides.publishing.snapshot.build_snapshot``). Later edits to the article do not
    touch it until the article is published again.
    """

    article = models.OneToOneField(
        "guides.Article",
        on_delete=models.CASCADE,
        related_name="publication",
        verbose_name=_("article"),
    )
    slug = models.SlugField(_("slug"), max_length=120)
    carrier = models.ForeignKey(
        "guides.Carrier",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("carrier"),
    )
    card_type = models.ForeignKey(
        "guides.CardType",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("card type"),
    )
    languages = models.JSONField(_("languages"), default=list)
    content = models.JSONField(_("content"), default=dict)
    listing = models.JSONField(
        _("listing"),
        default=dict,
        help_text=_("Per language, the title and summary that listings show."),
    )
    revision = models.ForeignKey(
        "reversion.Revision",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("revision"),
    )
    published_at = models.DateTimeField(_("published"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published by"),
    )

    class Meta:
        ordering = ["-published_at", "id"]
        verbose_name = _("publication")
        verbose_name_plural = _("publications")
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "slug"],
                name="guides_publication_unique_slug_per_tenant",
            )
        ]

    def __str__(self) -> str:
        return self.slug

    def in_language(self, language: str) -> dict | None:
        return self.content.get(language)

    @staticmethod
    def listing_of(content: dict) -> dict:
        """Return the ``listing`` value for a ``content`` value.

        Listings read this small column, not ``content``: the database would
        otherwise parse every publication's whole snapshot, rendered body
        included, to show a few titles.
        """
        return {
            language: {
                "title": snapshot.get("title", ""),
                "summary": snapshot.get("summary", ""),
            }
            for language, snapshot in content.items()
        }


class RevisionMeta(TenantOwned):
    """The tenant (and article) a django-reversion revision belongs to.

    django-reversion's own views know nothing of tenants; every revision
    carries one of these so each history, compare, revert and recover can be
    checked against the editor's tenant.
    """

    class Action(models.TextChoices):
        CREATE = "create", _("Created")
        EDIT = "edit", _("Edited")
        SUBMIT = "submit", _("Submitted for review")
        PUBLISH = "publish", _("Published")
        UNPUBLISH = "unpublish", _("Unpublished")
        ARCHIVE = "archive", _("Archived")
        REVERT = "revert", _("Reverted")
        RECOVER = "recover", _("Recovered")
        DELETE = "delete", _("Deleted")
        VERIFY = "verify", _("Verified")
        OTHER = "other", _("Changed")

    revision = models.OneToOneField(
        "reversion.Revision",
        on_delete=models.CASCADE,
        related_name="meta",
        verbose_name=_("revision"),
    )
    article_id = models.BigIntegerField(
        _("article id"), null=True, blank=True, db_index=True
    )
    action = models.CharField(
        _("action"), max_length=10, choices=Action.choices, default=Action.OTHER
    )

    class Meta:
        ordering = ["-revision_id"]
        verbose_name = _("revision metadata")
        verbose_name_plural = _("revision metadata")

    def __str__(self) -> str:
        return f"{self.get_action_display()} #{self.revision_id}"
