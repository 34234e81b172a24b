"""Procedure articles and their ordered parts."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import (
    MaxLengthValidator,
    MaxValueValidator,
    MinValueValidator,
)
from django.db import models
from django.utils.translation import gettext_lazy as _

from guides.tenancy import TenantManager, TenantOwned, TenantQuerySet

# Length limits of the long texts, sized to what each is for: a summary is a
# line or two in a list and the page description, a step or an answer a few
# paragraphs. They also bound what one field costs to render
# (guides/publishing/markup.py). Short texts have a ``max_length``.
SUMMARY_MAX_LENGTH = 500
INTRODUCTION_MAX_LENGTH = 5_000
STEP_BODY_MAX_LENGTH = 5_000
TIP_MAX_LENGTH = 1_000
ANSWER_MAX_LENGTH = 3_000
#: The bounds of a review interval, in days (an article's or a tenant's).
REVIEW_INTERVAL_MIN_DAYS = 1
REVIEW_INTERVAL_MAX_DAYS = 3650
REVIEW_INTERVAL_VALIDATORS = [
    MinValueValidator(REVIEW_INTERVAL_MIN_DAYS),
    MaxValueValidator(REVIEW_INTERVAL_MAX_DAYS),
]
#: The longest Markdown an editor can save, for the admin's preview.
MARKDOWN_MAX_LENGTH = max(
    INTRODUCTION_MAX_LENGTH, STEP_BODY_MAX_LENGTH, ANSWER_MAX_LENGTH
)


def length_limit(limit: int, message) -> MaxLengthValidator:
    """Return a validator for a long text; ``message`` names the text.

    A ``TextField`` gets no length check from ``max_length`` (only a form
    widget attribute, which would cut pasted text silently), so the limit is
    a validator: ``full_clean`` in the services and every form refuse the
    text and keep it. The message names the text because a service's error
    (an import's, say) reaches the editor without its field.
    """
    return MaxLengthValidator(limit, message=message)


class ArticleQuerySet(TenantQuerySet):
    def published(self):
        """Filter to articles readers may see (they have a publication)."""
        return self.filter(publication__isnull=False)

    def with_parts(self):
        return self.select_related("carrier", "card_type").prefetch_related(
            "steps__channel", "requirements", "tips", "faqs"
        )


class Article(TenantOwned):
    """One procedure for one carrier and card type."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        REVIEW = "review", _("In review")
        PUBLISHED = "published", _("Published")
        ARCHIVED = "archived", _("Archived")

    carrier = models.ForeignKey(
        "guides.Carrier",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="articles",
        verbose_name=_("carrier"),
        help_text=_("Leave empty for a procedure that applies to every carrier."),
    )
    card_type = models.ForeignKey(
        "guides.CardType",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="articles",
        verbose_name=_("card type"),
    )
    slug = models.SlugField(_("slug"), max_length=120)
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(
        _("summary"),
        blank=True,
        validators=[
            length_limit(
                SUMMARY_MAX_LENGTH,
                _(
                    "The summary has %(show_value)d characters; the limit is "
                    "%(limit_value)d."
                ),
            )
        ],
    )
    introduction = models.TextField(
        _("introduction"),
        blank=True,
        validators=[
            length_limit(
                INTRODUCTION_MAX_LENGTH,
                _(
                    "The introduction has %(show_value)d characters; the limit "
                    "is %(limit_value)d."
                ),
            )
        ],
    )
    estimated_time = models.CharField(
        _("estimated total time"),
        max_length=120,
        blank=True,
        help_text=_("For readers, e.g. “15 minutes, review 1–7 working days”."),
    )
    fee_note = models.CharField(_("fees"), max_length=300, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author"),
    )
    publish_at = models.DateTimeField(
        _("publish at"),
        null=True,
        blank=True,
        help_text=_(
            "Publish automatically at this time (python manage.py publish_due)."
        ),
    )
    unpublish_at = models.DateTimeField(
        _("unpublish at"),
        null=True,
        blank=True,
        help_text=_("Take off the public site automatically at this time."),
    )
    translation_state = models.JSONField(
        _("translation state"),
        default=dict,
        blank=True,
        editable=False,
        help_text=_(
            "Per language: when its text was last edited or confirmed, "
            "and when the source language last changed."
        ),
    )
    source_key = models.CharField(
        _("import source"),
        max_length=255,
        blank=True,
        editable=False,
        help_text=_("Identifies the imported file and section this article came from."),
    )
    lock_version = models.PositiveIntegerField(
        _("edit version"),
        default=1,
        editable=False,
        help_text=_(
            "Raised on every change; a save based on an older value is refused."
        ),
    )
    # Freshness (guides/services/freshness.py, guides/selectors/freshness.py):
    # metadata, not content. Only the freshness services write them, without
    # touching status, lock, ``updated_at`` or the translation state.
    last_verified_at = models.DateTimeField(
        _("last verified"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("When someone last confirmed the procedure is still right."),
    )
    last_verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("last verified by"),
    )
    review_interval_days = models.PositiveIntegerField(
        _("review interval (days)"),
        null=True,
        blank=True,
        editable=False,
        validators=REVIEW_INTERVAL_VALIDATORS,
        help_text=_(
            "Verify the procedure again after this many days; empty uses the "
            "help center's default."
        ),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = TenantManager.from_queryset(ArticleQuerySet)()
    unscoped = models.Manager()

    class Meta:
        ordering = ["-updated_at", "id"]
        verbose_name = _("procedure article")
        verbose_name_plural = _("procedure articles")
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "slug"],
                name="guides_article_unique_slug_per_tenant",
                violation_error_message=_(
                    "This slug is already used in this help center."
                ),
                violation_error_code="duplicate_slug",
            ),
            models.UniqueConstraint(
                fields=["tenant", "source_key"],
                condition=~models.Q(source_key=""),
                name="guides_article_unique_source_per_tenant",
            ),
        ]
        indexes = [
            models.Index(fields=["tenant", "status"], name="guides_article_status_idx")
        ]

    def __str__(self) -> str:
        return self.title or self.slug


class ArticlePart(TenantOwned):
    """Common shape of an article's ordered parts."""

    sort_order = models.PositiveIntegerField(_("order"), default=0, db_index=True)

    class Meta:
        abstract = True
        ordering = ["sort_order", "id"]


class Step(ArticlePart):
    """An ordered instruction."""

    article = models.ForeignKey(
        Article,
        on_delete=models.CASCADE,
        related_name="steps",
        verbose_name=_("article"),
    )
    title = models.CharField(_("title"), max_length=300)
    body = models.TextField(
        _("instructions (Markdown)"),
        blank=True,
        validators=[
            length_limit(
                STEP_BODY_MAX_LENGTH,
                _(
                    "A step's instructions have %(show_value)d characters; the "
                    "limit is %(limit_value)d. Split the step."
                ),
            )
        ],
    )
    channel = models.ForeignKey(
        "guides.Channel",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("channel"),
    )
    duration = models.DurationField(
        _("duration"),
        null=True,
        blank=True,
        help_text=_("How long this step takes, e.g. 00:10:00."),
    )

    class Meta(ArticlePart.Meta):
        verbose_name = _("step")
        verbose_name_plural = _("steps")

    def __str__(self) -> str:
        return self.title


class Requirement(ArticlePart):
    """A prerequisite condition or a document to bring."""

    class Kind(models.TextChoices):
        PREREQUISITE = "prerequisite", _("Prerequisite")
        DOCUMENT = "document", _("Document to bring")

    article = models.ForeignKey(
        Article,
        on_delete=models.CASCADE,
        related_name="requirements",
        verbose_name=_("article"),
    )
    kind = models.CharField(
        _("kind"), max_length=12, choices=Kind.choices, default=Kind.PREREQUISITE
    )
    text = models.CharField(_("text"), max_length=500)

    class Meta(ArticlePart.Meta):
        verbose_name = _("requirement")
        verbose_name_plural = _("requirements")

    def __str__(self) -> str:
        return self.text


class Tip(ArticlePart):
    """A tip or a warning."""

    class Kind(models.TextChoices):
        TIP = "tip", _("Tip")
        WARNING = "warning", _("Warning")

    article = models.ForeignKey(
        Article,
        on_delete=models.CASCADE,
        related_name="tips",
        verbose_name=_("article"),
    )
    kind = models.CharField(
        _("kind"), max_length=8, choices=Kind.choices, default=Kind.TIP
    )
    text = models.TextField(
        _("text"),
        validators=[
            length_limit(
                TIP_MAX_LENGTH,
                _(
                    "A tip or warning has %(show_value)d characters; the limit "
                    "is %(limit_value)d."
                ),
            )
        ],
    )

    class Meta(ArticlePart.Meta):
        verbose_name = _("tip or warning")
        verbose_name_plural = _("tips and warnings")

    def __str__(self) -> str:
        return self.text[:80]


class FAQ(ArticlePart):
    """A question and answer attached to an article."""

    article = models.ForeignKey(
        Article,
        on_delete=models.CASCADE,
        related_name="faqs",
        verbose_name=_("article"),
    )
    question = models.CharField(_("question"), max_length=300)
    answer = models.TextField(
        _("answer (Markdown)"),
        validators=[
            length_limit(
                ANSWER_MAX_LENGTH,
                _(
                    "An answer has %(show_value)d characters; the limit is "
                    "%(limit_value)d."
                ),
            )
        ],
    )

    class Meta(ArticlePart.Meta):
        verbose_name = _("FAQ")
        verbose_name_plural = _("FAQs")

    def __str__(self) -> str:
        return self.question


PART_MODELS = {"steps": Step, "requirements": Requirement, "tips": Tip, "faqs": FAQ}

#: An article's content: what editors write (in every language) and what a
#: revert or recover restores. Status, schedule, lock, author and timestamps
#: are not content: only the workflow and scheduling services change them.
ARTICLE_CONTENT_FIELDS = frozenset(
    {
        "slug",
        "carrier",
        "card_type",
        "title",
        "summary",
        "introduction",
        "estimated_time",
        "fee_note",
    }
)
