"""Editor Markdown to sanitised HTML, in time linear in the text.

Markdown is rendered by cmark-gfm (GitHub's CommonMark parser in C, through
``cmarkgfm``) with its table and ``~~strikethrough~~`` extensions, and the
result is cleaned with nh3 (ammonia): an allowlist of tags and attributes,
links limited to http(s), tel, sms and mailto, no raw HTML, no scripts, no
event handlers, no inline styles. Everything readers see from editors'
Markdown goes through here.

Why cmark-gfm: Python-Markdown was quadratic on runs of ``[`` (20,000 took
100 seconds); markdown-it-py is linear but pure Python, and took 0.4 to 3.5
seconds for 100,000 hostile characters. cmark-gfm is built and fuzzed
against pathological input and renders the same inputs in tens of
milliseconds (``make bench-markdown``, docs/PERFORMANCE.md).

Around the parser:

- raw HTML is shown as the text the editor typed: every ``<`` that could open
  a tag gets an invisible marker, so the parser sees text, and the marker is
  removed from the output (cmark's safe mode would drop the HTML instead,
  losing text such as "reply <Y> to confirm");
- nh3's HTML parser is quadratic in nesting depth, so elements nested deeper
  than ``MAX_DEPTH`` are flattened to their text before cleaning, and more
  than ``MAX_DEPTH`` quote markers at the start of a line are dropped before
  parsing (a hundred thousand ``>`` would otherwise be a megabyte of empty
  quotes to flatten);
- past ``MAX_EMPHASIS_DELIMITERS`` ``*`` and ``_``, the rest are escaped and
  stay text: more than any field can hold, and a storm of them costs the
  parser and the cleaner more than the 100 ms budget.

The models bound each editor field's length as well (``guides.models``).
"""

from __future__ import annotations

import itertools
import re

import cmarkgfm
import nh3
from cmarkgfm.cmark import Options

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

# Safe mode (no CMARK_OPT_UNSAFE) drops any raw HTML the marker missed, and
# "~~" alone strikes through: "1~7 个工作日" is a range, not a deletion.
OPTIONS = Options.CMARK_OPT_STRIKETHROUGH_DOUBLE_TILDE
EXTENSIONS = ["table", "strikethrough"]

# A private-use character: never meaningful in editors' text, so removing it
# from the output (and its percent-encoded form from addresses) is lossless.
MARKER = "\ue000"
MARKER_IN_URL = "%EE%80%80"
# "<" opens raw HTML before a letter, "/", "!" or "?". Autolinks
# (<https://…>, <name@example.com>) stay links. Each lookahead stops at the
# next "<" or space, so the scan is linear.
RAW_HTML_OPEN_RE = re.compile(
    r"<(?=[A-Za-z/!?])"
    r"(?![A-Za-z][A-Za-z0-9+.\-]{1,31}:[^\s<>]*>)"
    r"(?![^\s<>@]+@[^\s<>@]+>)"
)

MAX_DEPTH = 32
# More than MAX_DEPTH ">" at the start of a line only nest quotes the reader
# cannot tell apart; dropping the extra markers before parsing spares the
# parser and cap_nesting a megabyte of empty quotes.
#: Emphasis delimiters (``*``, ``_``) past this many are escaped, so they stay
#: text. No field holds that many (the longest takes 5,000 characters); a
#: hundred thousand of them would be a third of a megabyte of ``<em>`` that
#: costs the parser and the cleaner 120 ms for nothing a reader needs.
MAX_EMPHASIS_DELIMITERS = 4_096
EMPHASIS_RE = re.compile(r"[*_]")

DEEP_QUOTE_RE = re.compile(rf"^((?:[ ]{{0,3}}>){{{MAX_DEPTH}}})(?:[ ]{{0,3}}>)+", re.M)
# cmark's output is well formed: text and attribute values are escaped, so
# every "<" in it starts a tag or the comment safe mode leaves for raw HTML.
# One match is a run of the same tag ("<blockquote>" a thousand times), so
# the cost is per run, not per tag.
TAG_RUN_RE = re.compile(r"(<(/?)([A-Za-z][A-Za-z0-9]*)[^>]*>)\n?(?:\1\n?)*")
VOID_TAGS = {"br", "hr", "img", "input"}
# "" for an opening tag, "/" for a closing one; void tags are neither.
OPEN_OR_CLOSE_RE = re.compile(r"<(/?)(?!(?:br|hr|img|input)\b)[A-Za-z]")
DEPTH_STEP = {"": 1, "/": -1}


def render_markdown(text: str) -> str:
    """Return sanitised HTML for editor Markdown (raw HTML is shown as text)."""
    if not text:
        return ""
    text = DEEP_QUOTE_RE.sub(r"\1", RAW_HTML_OPEN_RE.sub("<" + MARKER, text))
    text = bound_emphasis(text)
    html = cmarkgfm.markdown_to_html_with_extensions(
        text,
        options=OPTIONS,
        extensions=EXTENSIONS,
    )
    html = html.replace(MARKER, "").replace(MARKER_IN_URL, "")
    # Safe mode empties unsafe addresses (javascript:, data:); no address at
    # all is what readers should get, not a link or image to the page itself.
    html = html.replace(' href=""', "").replace(' src=""', "")
    return sanitize_html(cap_nesting(html)).rstrip("\n")


def bound_emphasis(text: str, limit: int = MAX_EMPHASIS_DELIMITERS) -> str:
    """Escape the emphasis delimiters after the first ``limit`` (they stay text)."""
    if text.count("*") + text.count("_") <= limit:
        return text
    seen = 0

    def escape(match: re.Match) -> str:
        nonlocal seen
        seen += 1
        return match.group(0) if seen <= limit else "\\" + match.group(0)

    return EMPHASIS_RE.sub(escape, text)


def max_depth(html: str) -> int:
    """Return how deep the elements of well-formed HTML nest."""
    steps = map(DEPTH_STEP.__getitem__, OPEN_OR_CLOSE_RE.findall(html))
    return max(itertools.accumulate(steps, initial=0))


def cap_nesting(html: str, limit: int = MAX_DEPTH) -> str:
    """Drop the tags of elements nested deeper than ``limit``, keeping their text.

    ``html`` must be well formed, as a Markdown renderer's output is. The
    depth is measured first, at C speed: most texts need no change.
    """
    if max_depth(html) <= limit:
        return html
    depth = 0
    kept: list[bool] = []  # per open element: whether its tags are kept

    def run(match: re.Match) -> str:
        nonlocal depth
        tag, closing, name = match.group(1), match.group(2), match.group(3)
        if name.lower() in VOID_TAGS:
            return match.group(0)  # never opens a level
        whole = match.group(0)
        count = whole.count(tag)
        newline = "\n" if whole.endswith("\n") else ""
        if closing:
            count = min(count, len(kept))
            keep = sum(kept[len(kept) - count :])
            del kept[len(kept) - count :]
            depth -= count
        else:
            keep = max(0, min(count, limit - depth))
            kept.extend([True] * keep + [False] * (count - keep))
            depth += count
        return (tag + newline) * keep

    return TAG_RUN_RE.sub(run, html)


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
