"""Editor Markdown to sanitised HTML.

Markdown is rendered with Python-Markdown and the result is cleaned with nh3
(ammonia): an allowlist of tags and attributes, links limited to http(s),
tel, sms and mailto, no raw HTML, no scripts, no event handlers, no inline
styles. Everything readers see from editors' Markdown goes through here.
"""

from __future__ import annotations

import markdown
import nh3
from markdown.extensions import Extension

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "b",
    "i",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
    "h3",
    "h4",
    "h5",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "hr",
    "img",
    "del",
    "sup",
    "sub",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "th": {"align"},
    "td": {"align"},
    "ol": {"start"},
}
URL_SCHEMES = {"http", "https", "tel", "sms", "mailto"}


class NoRawHtml(Extension):
    """Treat raw HTML in Markdown as text: it is shown escaped, never run."""

    def extendMarkdown(self, md) -> None:  # noqa: N802 (Markdown's API)
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")


def render_markdown(text: str) -> str:
    """Return sanitised HTML for editor Markdown (raw HTML is shown as text)."""
    if not text:
        return ""
    md = markdown.Markdown(
        extensions=[NoRawHtml(), "sane_lists", "tables"], output_format="html"
    )
    return sanitize_html(md.convert(text))


def sanitize_html(fragment: str) -> str:
    """Clean an HTML fragment down to the allowlist."""
    return nh3.clean(
        fragment,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="nofollow noopener noreferrer",
        strip_comments=True,
    )
