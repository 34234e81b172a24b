"""Per-language translation state of an article: outdated and incomplete.

``Article.translation_state`` maps a language code to ISO timestamps::

    {"en": {"edited_at": "...", "source_changed_at": "...", "confirmed_at": "..."}}

A language is *outdated* when the source language (the tenant's default) was
changed after that language was last edited or confirmed as current. Editing
the language's text, or confirming it, clears the flag. Texts are compared
per (part, field), so reordering parts edits no language.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from modeltranslation.utils import build_localized_fieldname

from guides.models import PART_MODELS, Article

ARTICLE_FIELDS = ("title", "summary", "introduction", "estimated_time", "fee_note")
PART_FIELDS = {
    "steps": ("title", "body"),
    "requirements": ("text",),
    "tips": ("text",),
    "faqs": ("question", "answer"),
}
#: What the completeness indicator checks: required-looking texts only.
COMPLETENESS_FIELDS = ("title", "summary")
PART_LABELS = {
    "steps": _("steps"),
    "requirements": _("requirements"),
    "tips": _("tips"),
    "faqs": _("FAQs"),
}


def all_languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def _text(obj, field: str, language: str) -> str:
    return (getattr(obj, build_localized_fieldname(field, language), "") or "").strip()


def language_texts(article: Article, parts: dict | None = None) -> dict[str, dict]:
    """Return, per language, every translated text keyed by (kind, pk, field).

    ``parts`` maps a kind to its parts; without it they are read fresh.
    """
    if parts is None:
        parts = {
            kind: list(model.objects.filter(article_id=article.pk))
            for kind, model in PART_MODELS.items()
        }
    texts: dict[str, dict] = {}
    for language in all_languages():
        values = {
            ("article", 0, f): _text(article, f, language) for f in ARTICLE_FIELDS
        }
        for kind, items in parts.items():
            for part in items:
                for field in PART_FIELDS[kind]:
                    values[(kind, part.pk, field)] = _text(part, field, language)
        texts[language] = {key: value for key, value in values.items() if value}
    return texts


def changed_languages(before: dict[str, dict], after: dict[str, dict]) -> set[str]:
    """Return the languages whose texts differ between two ``language_texts``."""
    return {
        lang
        for lang in after.keys() | before.keys()
        if before.get(lang) != after.get(lang)
    }


def record_edit(state: dict, *, changed: set[str], source: str, now: datetime) -> dict:
    """Return ``state`` updated for an edit that changed ``changed`` languages."""
    state = {lang: dict(values) for lang, values in (state or {}).items()}
    stamp = now.isoformat()
    for lang in changed:
        state.setdefault(lang, {})["edited_at"] = stamp
    if source in changed:
        for lang in all_languages():
            if lang != source:
                state.setdefault(lang, {})["source_changed_at"] = stamp
    return state


def record_confirm(state: dict, *, language: str, now: datetime) -> dict:
    """Return ``state`` with ``language`` confirmed as current at ``now``."""
    state = {lang: dict(values) for lang, values in (state or {}).items()}
    state.setdefault(language, {})["confirmed_at"] = now.isoformat()
    return state


def _when(value) -> datetime | None:
    try:
        return datetime.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None


def is_outdated(state: dict, language: str, source: str) -> bool:
    """Return whether ``language`` lags behind a later change of ``source``."""
    if language == source:
        return False
    entry = (state or {}).get(language) or {}
    source_changed = _when(entry.get("source_changed_at"))
    if source_changed is None:
        return False
    seen = [
        d
        for d in (_when(entry.get("edited_at")), _when(entry.get("confirmed_at")))
        if d
    ]
    return not seen or source_changed > max(seen)


def outdated_languages(
    article: Article, *, languages: list[str], source: str
) -> list[str]:
    """Return the languages of ``languages`` whose translation is outdated."""
    return [
        lang
        for lang in languages
        if is_outdated(article.translation_state, lang, source)
    ]


def completeness(
    article: Article, *, languages: list[str], parts: dict
) -> dict[str, list[str]]:
    """Return, per language, labels of what is empty in that language.

    ``parts`` maps a kind to its parts (already loaded, no query here).
    """
    missing: dict[str, list[str]] = {}
    for lang in languages:
        gaps = [
            str(Article._meta.get_field(f).verbose_name)
            for f in COMPLETENESS_FIELDS
            if not _text(article, f, lang)
        ]
        for kind, items in parts.items():
            empty = sum(
                1
                for part in items
                if not all(_text(part, f, lang) for f in PART_FIELDS[kind][:1])
            )
            if empty:
                gaps.append(f"{PART_LABELS[kind]} ({empty})")
        missing[lang] = gaps
    return missing


# --- machine conversion (Simplified -> Traditional Chinese) -----------------


def record_conversion(state: dict, *, language: str, now: datetime) -> dict:
    """Return ``state`` with ``language`` filled by a machine conversion at ``now``.

    The conversion counts as an edit of ``language`` (it is current with the
    source, until the source changes again: the outdated workflow), and marks
    it as needing a person's review before it is published.
    """
    state = {lang: dict(values) for lang, values in (state or {}).items()}
    stamp = now.isoformat()
    entry = state.setdefault(language, {})
    entry["edited_at"] = stamp
    entry["machine_converted_at"] = stamp
    return state


def needs_review(state: dict, language: str) -> bool:
    """Return whether ``language`` was machine-converted and not yet confirmed.

    Confirming the language (``services.article_translation_confirm``) after
    the conversion is the review; until then it is never published.
    """
    entry = (state or {}).get(language) or {}
    converted = _when(entry.get("machine_converted_at"))
    if converted is None:
        return False
    confirmed = _when(entry.get("confirmed_at"))
    return confirmed is None or confirmed < converted


def languages_needing_review(article: Article, *, languages: list[str]) -> list[str]:
    """Return the languages of ``languages`` waiting for a review of a conversion."""
    return [lang for lang in languages if needs_review(article.translation_state, lang)]
