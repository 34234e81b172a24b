"""Build the publication snapshot: the article as readers will see it.

A snapshot holds, per language, every text a public page shows, with Markdown
already rendered and sanitised, so a public page renders without touching the
article's working copy or running Markdown on the hot path.

Channels, carrier names and card-type names are shared facts, not the
article's own text: the snapshot keeps their ids with the values they had at
publish, and pages show their current values (``guides.publishing.body``).
"""

from __future__ import annotations

from datetime import timedelta
from html.parser import HTMLParser

from modeltranslation.utils import build_localized_fieldname

from guides.models import Article
from guides.publishing import translation_state
from guides.publishing.markup import render_markdown

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


#: Elements that end a line of text: their text is never glued to the next.
#: The sanitiser's (``guides.publishing.markup.ALLOWED_TAGS``) and HTML's other
#: common blocks, so text from older snapshots reads the same.
BLOCK_ELEMENTS = frozenset(
    {"address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt"}
    | {"figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6"}
    | {"header", "hr", "li", "main", "nav", "ol", "p", "pre", "section"}
    | {"table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul"}
)


class _TextParser(HTMLParser):
    """Collect the text of HTML: entities decoded, blocks apart, inline kept."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "template"):
            self._hidden += 1
        elif tag in BLOCK_ELEMENTS:
            self.parts.append(" ")

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template"):
            self._hidden = max(self._hidden - 1, 0)
        elif tag in BLOCK_ELEMENTS:
            self.parts.append(" ")

    def handle_data(self, data):
        if not self._hidden:
            self.parts.append(data)


def plain_text(html: str) -> str:
    """Return the text of sanitised HTML on one line.

    For structured data and the search index: entities are decoded (``&amp;``
    is ``&``), block elements are kept apart (``<p>a</p><p>b</p>`` is
    ``a b``), and inline ones are not (``can<em>cel</em>`` is ``cancel``).
    """
    parser = _TextParser()
    parser.feed(html or "")
    parser.close()
    return " ".join("".join(parser.parts).split())


def article_languages(
    article: Article, enabled: list[str], *, include_unreviewed: bool = False
) -> list[str]:
    """Return the enabled languages the article has a title in.

    A language filled by a machine conversion and not yet reviewed is left
    out, so it is never published until an editor confirms it; previews ask
    for it (``include_unreviewed``) so the editor can review it.
    """
    return [
        lang
        for lang in enabled
        if (
            getattr(article, build_localized_fieldname("title", lang), "") or ""
        ).strip()
        and (
            include_unreviewed
            or not translation_state.needs_review(article.translation_state, lang)
        )
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
        {
            "id": article.carrier.pk,
            "slug": article.carrier.slug,
            "name": text(article.carrier, "name", "carrier"),
        }
        if article.carrier
        else None
    )
    data["card_type"] = (
        {
            "id": article.card_type.pk,
            "slug": article.card_type.slug,
            "name": text(article.card_type, "name", "card_type"),
        }
        if article.card_type
        else None
    )
    steps = []
    total = timedelta()
    for step in article.steps.all():
        channel = None
        if step.channel is not None:
            channel = {
                "id": step.channel.pk,
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
                "duration_seconds": int(step.duration.total_seconds())
                if step.duration
                else None,
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
    data["tips"] = [
        {"kind": tip.kind, "text": text(tip, "text", "tips")}
        for tip in article.tips.all()
    ]
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
