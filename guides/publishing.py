"""Build the publication snapshot: the article as readers will see it.

A snapshot holds, per language, every text a public page shows, with Markdown
already rendered and sanitised, so a public page renders without touching the
article's working copy or running Markdown on the hot path.
"""

from __future__ import annotations

import functools
import hashlib
import time
from datetime import datetime, timedelta

from django.core.cache import cache
from django.template import engines
from django.utils import translation
from django.utils.html import strip_tags
from django.utils.safestring import SafeString, mark_safe
from modeltranslation.utils import build_localized_fieldname

from guides.markup import render_markdown
from guides.models import Article

ARTICLE_TEXT_FIELDS = ("title", "summary", "introduction", "estimated_time", "fee_note")


def localized(obj, field: str, language: str, fallback: str) -> tuple[str, bool]:
    """Return (text, fell_back) for ``field`` of ``obj`` in ``language``."""
    value = getattr(obj, build_localized_fieldname(field, language), "") or ""
    if value.strip():
        return value, False
    if language != fallback:
        value = getattr(obj, build_localized_fieldname(field, fallback), "") or ""
        return value, bool(value.strip())
    return value, False


def plain_text(html: str) -> str:
    """Return the text of sanitised HTML on one line (for structured data)."""
    return " ".join(strip_tags(html).split())


def article_languages(article: Article, enabled: list[str]) -> list[str]:
    """Return the enabled languages the article has a title in."""
    return [
        lang
        for lang in enabled
        if (getattr(article, build_localized_fieldname("title", lang), "") or "").strip()
    ]


def iso_duration(value: timedelta | None) -> str | None:
    """Return an ISO 8601 duration (``PT1H5M``) for schema.org, or None."""
    if not value:
        return None
    total = int(value.total_seconds())
    days, rest = divmod(total, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, seconds = divmod(rest, 60)
    out = "P" + (f"{days}D" if days else "")
    clock = (f"{hours}H" if hours else "") + (f"{minutes}M" if minutes else "")
    clock += f"{seconds}S" if seconds else ""
    return out + ("T" + clock if clock else ("" if days else "T0S"))


def build_snapshot(article: Article, language: str, fallback: str) -> dict:
    """Return the public snapshot of ``article`` in ``language``.

    Expects ``article`` loaded with ``Article.objects.with_parts()``.
    """
    fell_back: set[str] = set()

    def text(obj, field: str, label: str) -> str:
        value, used_fallback = localized(obj, field, language, fallback)
        if used_fallback:
            fell_back.add(label)
        return value

    data = {field: text(article, field, field) for field in ARTICLE_TEXT_FIELDS}
    data["introduction_html"] = render_markdown(data["introduction"])
    data["carrier"] = (
        {"slug": article.carrier.slug, "name": text(article.carrier, "name", "carrier")}
        if article.carrier
        else None
    )
    data["card_type"] = (
        {"slug": article.card_type.slug, "name": text(article.card_type, "name", "card_type")}
        if article.card_type
        else None
    )
    steps = []
    total = timedelta()
    for step in article.steps.all():
        channel = None
        if step.channel is not None:
            channel = {
                "kind": step.channel.kind,
                "label": text(step.channel, "label", "steps"),
                "value": step.channel.value,
                "href": step.channel.href,
                "opening_hours": text(step.channel, "opening_hours", "steps"),
            }
        body = text(step, "body", "steps")
        body_html = render_markdown(body)
        steps.append(
            {
                "id": step.pk,
                "title": text(step, "title", "steps"),
                "body_html": body_html,
                "body_text": plain_text(body_html),
                "channel": channel,
                "duration_seconds": int(step.duration.total_seconds()) if step.duration else None,
                "duration_iso": iso_duration(step.duration),
            }
        )
        total += step.duration or timedelta()
    data["steps"] = steps
    data["total_time_iso"] = iso_duration(total) if total else None
    data["requirements"] = [
        {"kind": req.kind, "text": text(req, "text", "requirements")}
        for req in article.requirements.all()
    ]
    data["tips"] = [{"kind": tip.kind, "text": text(tip, "text", "tips")} for tip in article.tips.all()]
    data["faqs"] = []
    for faq in article.faqs.all():
        answer_html = render_markdown(text(faq, "answer", "faqs"))
        data["faqs"].append(
            {
                "question": text(faq, "question", "faqs"),
                "answer_html": answer_html,
                "answer_text": plain_text(answer_html),
            }
        )
    data["fallback_fields"] = sorted(fell_back)
    return data


BODY_TEMPLATE = "guides/includes/article_body.html"
#: Templates the stored body is made of: a change to any of them makes
#: ``body_version`` differ, and pages render the body anew until republished.
BODY_TEMPLATES = (BODY_TEMPLATE, "guides/includes/channel.html")


@functools.cache
def body_version() -> str:
    """Return a fingerprint of the templates the stored article body comes from."""
    sources = [_body_engine().get_template(name).template.source for name in BODY_TEMPLATES]
    return hashlib.sha256("\0".join(sources).encode()).hexdigest()[:16]


def article_body_context(
    content: dict, *, language: str, default_language: str, published_at: datetime
) -> dict:
    """Return what ``BODY_TEMPLATE`` shows of one language's snapshot."""
    fell_back = content.get("fallback_fields") and language != default_language
    return {
        "article": content,
        "published_at": published_at,
        "fallback_language": default_language if fell_back else None,
        "prerequisites": [r for r in content["requirements"] if r["kind"] == "prerequisite"],
        "documents": [r for r in content["requirements"] if r["kind"] == "document"],
        "warnings": [t for t in content["tips"] if t["kind"] == "warning"],
        "tips": [t for t in content["tips"] if t["kind"] != "warning"],
    }


def render_article_body(
    content: dict, *, language: str, default_language: str, published_at: datetime
) -> None:
    """Render the procedure's HTML once, at publish time, into ``content``.

    The page view then inserts it instead of rendering steps, requirements,
    tips and FAQs on every request (see ``article_detail``).
    """
    content["body_html"] = _render_body(
        content, language=language, default_language=default_language,
        published_at=published_at,
    )
    content["body_version"] = body_version()


def article_body_html(
    content: dict, *, language: str, default_language: str, published_at: datetime
) -> SafeString:
    """Return the procedure's HTML: stored at publish, or rendered now when the
    body templates changed since (a deploy before the next publish)."""
    stored = content.get("body_html")
    if stored and content.get("body_version") == body_version():
        return mark_safe(stored)  # Rendered by BODY_TEMPLATE, autoescaped.
    return mark_safe(
        _render_body(
            content, language=language, default_language=default_language,
            published_at=published_at,
        )
    )


def _body_engine():
    # The body is a Django template; naming the engine skips a lookup in the
    # public pages' Jinja2 directory on every request (body_version).
    return engines["django"]


def _render_body(content: dict, *, language: str, default_language: str, published_at) -> str:
    context = article_body_context(
        content, language=language, default_language=default_language,
        published_at=published_at,
    )
    with translation.override(language):
        return _body_engine().get_template(BODY_TEMPLATE).render(context)


def content_generation_key(tenant_id: int) -> str:
    return f"helpcenter:content:{tenant_id}:generation"


def _fresh_generation() -> int:
    # Starts from the clock, not from 1: after the shared cache is flushed,
    # a new generation never equals one that per-process copies
    # (guides.caching.local_pages) may still hold pages under.
    return time.time_ns()


def content_generation(tenant_id: int) -> int:
    """Return the tenant's public-content generation (part of page cache keys)."""
    key = content_generation_key(tenant_id)
    value = cache.get(key)
    if value is None:
        cache.add(key, _fresh_generation(), timeout=None)
        value = cache.get(key) or _fresh_generation()
    return value


def bump_content_generation(tenant_id: int) -> None:
    """Invalidate every cached public page of a tenant."""
    key = content_generation_key(tenant_id)
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, _fresh_generation(), timeout=None)
