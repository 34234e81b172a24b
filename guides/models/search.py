"""Search documents, reader queries and per-tenant synonyms."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from guides.tenancy import TenantOwned


class SearchDocument(TenantOwned):
    """One published article in one language, analysed for search.

    The ``*_tokens`` fields hold space-separated tokens from
    ``guides.search.analysis`` (jieba-segmented Chinese, split Latin), each
    prefixed with its tenant-and-language scope (``t12enqcard``, see
    ``guides.search.indexing``) so every posting list holds one tenant's
    documents; the backends index those, never the raw text. ``title``, ``summary`` and
    ``body`` keep the original text for display, highlighting and snippets.
    """

    article = models.ForeignKey(
        "guides.Article",
        on_delete=models.CASCADE,
        related_name="search_documents",
        verbose_name=_("article"),
    )
    language = models.CharField(_("language"), max_length=10)
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
    title = models.CharField(_("title"), max_length=300)
    summary = models.TextField(_("summary"), blank=True)
    body = models.TextField(_("body text"), blank=True)
    title_tokens = models.TextField(_("title tokens"), blank=True)
    summary_tokens = models.TextField(_("summary tokens"), blank=True)
    body_tokens = models.TextField(_("body tokens"), blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    class Meta:
        ordering = ["tenant", "language", "article"]
        verbose_name = _("search document")
        verbose_name_plural = _("search documents")
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "article", "language"],
                name="guides_searchdocument_unique_per_language",
            )
        ]
        indexes = [
            models.Index(
                fields=["tenant", "language"], name="guides_searchdoc_lang_idx"
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} [{self.language}]"


class SearchQuery(TenantOwned):
    """One search a reader made, for the editors' "what was not found" view."""

    language = models.CharField(_("language"), max_length=10)
    query = models.CharField(_("normalised query"), max_length=200, db_index=True)
    result_count = models.PositiveIntegerField(_("results"), default=0)
    clicked_article = models.ForeignKey(
        "guides.Article",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("clicked result"),
    )
    created_at = models.DateTimeField(
        _("searched at"), auto_now_add=True, db_index=True
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("search query")
        verbose_name_plural = _("search queries")

    def __str__(self) -> str:
        return self.query


class SynonymGroup(TenantOwned):
    """Words readers use for the same thing: 注销 = 销户 = cancel = deregister."""

    terms = models.JSONField(_("terms"), default=list)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("synonym group")
        verbose_name_plural = _("synonym groups")

    def __str__(self) -> str:
        # Rows saved before terms were validated may hold anything.
        if not isinstance(self.terms, list):
            return str(self.terms)
        return " = ".join(str(term) for term in self.terms)

    def clean(self) -> None:
        """Check that the terms are a list of at least two different words."""
        super().clean()
        self.terms = validate_synonym_terms(self.terms)


#: What a synonym group's terms look like, shown in every refusal.
TERMS_EXAMPLE = '["注销", "销户", "cancel"]'


def validate_synonym_terms(terms) -> list[str]:
    """Return ``terms`` with each word trimmed, or raise ValidationError.

    Terms are a list of at least two different, non-empty strings; anything
    else (a number, a dict, a bare string, nested lists, null) is refused
    with a message saying what is expected.
    """
    expected = _(
        "Enter the terms as a list of words in quotes, for example %(example)s."
    )
    if not isinstance(terms, list) or not all(isinstance(t, str) for t in terms):
        raise ValidationError(
            {"terms": expected % {"example": TERMS_EXAMPLE}}, code="invalid_terms"
        )
    words = [term.strip() for term in terms]
    if not all(words):
        raise ValidationError(
            {"terms": _("A term cannot be empty.")}, code="empty_term"
        )
    if len(set(words)) < 2:
        raise ValidationError(
            {"terms": _("A synonym group needs at least two different terms.")},
            code="too_few_terms",
        )
    return words
