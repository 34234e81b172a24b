"""The article body: rendered once at publish, from Django templates.

Channels, carrier names and card-type names are shared facts: a hotline
changes on every page that shows it on the next request, while the article's
own text stays as it was reviewed and published. So the stored body holds
each of them inside a marker (``<hc-channel data-id="7">``, ``<hc-carrier>``,
``<hc-card-type>``) around the value it had at publish, and each page
request replaces the markers with the current values (``apply_shared_facts``).

Why not re-render the affected publications after a channel changes: one
carrier's change would rewrite hundreds of publications (671 on the largest
measured tenant) in every language, inside the save or after it, where a
failure would leave some pages old; and the snapshot would then no longer be
what the reviewer published. Replacing markers costs a regular expression
pass per page miss and, per tenant and content generation, one query for the
current channels (``guides.selectors.public.channel_facts``); a page hit
costs nothing. A fact deleted since the publish keeps its published value.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from django.template import engines
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from guides.publishing.timing import time_needed
from guides.publishing.typography import channel_view, text_lang
from guides.tenancy import variants

BODY_TEMPLATE = "guides/includes/article_body.html"


#: Templates the stored body is made of: a change to any of them makes
#: ``body_version`` differ, and pages render the body anew until republished.
CHANNEL_TEMPLATE = "guides/includes/channel.html"

BODY_TEMPLATES = (BODY_TEMPLATE, CHANNEL_TEMPLATE)

#: A shared fact in a stored body: kind, id, the value it had at publish.
#: Only the body template writes these tags: sanitised Markdown drops
#: unknown elements and escaped text has no ``<``.
FACT_MARKER = re.compile(
    r'<hc-(channel|carrier|card-type) data-id="(\d+)">(.*?)</hc-\1>', re.DOTALL
)


@dataclass(frozen=True)
class SharedFacts:
    """The current shared facts a body's markers are replaced with.

    ``channels`` maps a channel id to the dict ``CHANNEL_TEMPLATE`` shows
    (kind, label, value, href, opening_hours, in the page's language);
    ``carriers`` and ``card_types`` map ids to names in that language.
    """

    channels: Mapping[int, dict] = field(default_factory=dict)
    carriers: Mapping[int, str] = field(default_factory=dict)
    card_types: Mapping[int, str] = field(default_factory=dict)


#: No current values: every marker keeps its published value.
PUBLISHED_FACTS = SharedFacts()


def apply_shared_facts(html: str, facts: SharedFacts) -> str:
    """Replace each shared-fact marker of ``html`` with its current value."""
    if "<hc-" not in html:
        return html

    def replace(match: re.Match) -> str:
        kind, pk, published = match.group(1), int(match.group(2)), match.group(3)
        if kind == "channel":
            channel = facts.channels.get(pk)
            if channel is None:
                return published
            return channel_html(channel)
        names = facts.carriers if kind == "carrier" else facts.card_types
        name = names.get(pk)
        return str(escape(name)) if name else published

    return FACT_MARKER.sub(replace, html)


def channel_html(channel: Mapping) -> str:
    """Return ``CHANNEL_TEMPLATE`` rendered for ``channel`` (a current fact).

    The same channel renders to the same HTML on every page of every
    request, so each process keeps what it rendered, keyed on the channel's
    values and the active language: a changed channel is another key, so its
    new value shows on the next request (``channel_facts`` reads it anew).
    """
    try:
        # The interface's wording too: a Hong Kong tenant's zh-hant differs.
        key = (
            translation.get_language(),
            variants.active_variant(),
            tuple(sorted(channel.items())),
        )
        return _channel_html(key)
    except TypeError:  # a value that cannot be a key: render it as it is
        return _render_channel(channel)


@functools.lru_cache(maxsize=4096)
def _channel_html(key: tuple) -> str:
    return _render_channel(dict(key[2]))


def _render_channel(channel: Mapping) -> str:
    view = channel_view(channel, translation.get_language())
    return _body_engine().get_template(CHANNEL_TEMPLATE).render({"channel": view})


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

    def with_lang(part: dict) -> dict:
        return {**part, "lang": text_lang(part.get("text", ""), language)}

    steps = [
        {
            **step,
            "channel": channel_view(step["channel"], language)
            if step.get("channel")
            else None,
            "title_lang": text_lang(step.get("title", ""), language),
        }
        for step in content["steps"]
    ]
    return {
        "article": content,
        "steps": steps,
        "time_needed": time_needed(content),
        "published_at": published_at,
        # HTML's datetime takes no microseconds (the Nu checker's one error).
        "published_iso": timezone.localtime(published_at)
        .replace(microsecond=0)
        .isoformat()
        if published_at
        else "",
        "fallback_language": default_language if fell_back else None,
        "prerequisites": [
            with_lang(r) for r in content["requirements"] if r["kind"] == "prerequisite"
        ],
        "documents": [
            with_lang(r) for r in content["requirements"] if r["kind"] == "document"
        ],
        "warnings": [with_lang(t) for t in content["tips"] if t["kind"] == "warning"],
        "tips": [with_lang(t) for t in content["tips"] if t["kind"] != "warning"],
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
    content: dict,
    *,
    language: str,
    default_language: str,
    published_at: datetime,
    facts: SharedFacts = PUBLISHED_FACTS,
) -> SafeString:
    """Return the procedure's HTML with the current shared ``facts``.

    The HTML is the one stored at publish, or rendered now when the body
    templates changed since (a deploy before the next publish).
    """
    stored = content.get("body_html")
    if not stored or content.get("body_version") != body_version():
        stored = _render_body(
            content,
            language=language,
            default_language=default_language,
            published_at=published_at,
        )
    # Rendered by BODY_TEMPLATE (autoescaped); the facts are escaped too.
    return mark_safe(apply_shared_facts(stored, facts))


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
