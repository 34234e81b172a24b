"""The article body: rendered once at publish, from Django templates."""

from __future__ import annotations

import functools
import hashlib
from datetime import datetime

from django.template import engines
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

BODY_TEMPLATE = "guides/includes/article_body.html"


#: Templates the stored body is made of: a change to any of them makes
#: ``body_version`` differ, and pages render the body anew until republished.
BODY_TEMPLATES = (BODY_TEMPLATE, "guides/includes/channel.html")


@functools.cache
def body_version() -> str:
    """Return a fingerprint of the templates the stored article body comes from."""
    sources = [
        _body_engine().get_template(name).template.source for name in BODY_TEMPLATES
    ]
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
        "prerequisites": [
            r for r in content["requirements"] if r["kind"] == "prerequisite"
        ],
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
        content,
        language=language,
        default_language=default_language,
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
            content,
            language=language,
            default_language=default_language,
            published_at=published_at,
        )
    )


def _body_engine():
    # The body is a Django template; naming the engine skips a lookup in the
    # public pages' Jinja2 directory on every request (body_version).
    return engines["django"]


def _render_body(
    content: dict, *, language: str, default_language: str, published_at
) -> str:
    context = article_body_context(
        content,
        language=language,
        default_language=default_language,
        published_at=published_at,
    )
    with translation.override(language):
        return _body_engine().get_template(BODY_TEMPLATE).render(context)
