"""Machine-readable renditions: a procedure in Markdown, and ``llms.txt``.

Answer engines, chatbots and integrators read text, not pages:

- ``/<lang>/guides/<slug>.md`` is one language of a publication as clean
  Markdown: title, summary, facts, prerequisites and documents, warnings,
  numbered steps with their channel and duration, tips, FAQs and a line
  naming the canonical page. It is built from the same stored snapshot as
  the article page (``selectors.publication_page``), never from the draft.
  The snapshot's bodies are sanitised HTML; they are converted back to
  Markdown here (``html_to_markdown``), and every text is escaped, so no
  raw HTML an editor typed ever comes out as markup.
- ``/llms.txt`` (the llms.txt convention, https://llmstxt.org/) lists the
  tenant's procedures in its default language, grouped by carrier (then by
  card type for procedures without one), each a link to its Markdown
  rendition with its summary; ``/<lang>/llms.txt`` is the same list in
  another language the tenant enables, and each list links the others.

Both are ordinary public pages for the cache: ``cached_page`` gives them an
ETag, Last-Modified and ``Cache-Control``, answers 304, and
``PageCacheMiddleware`` (and the WSGI front) stores them under the tenant's
content generation, so a publish or unpublish changes them at once.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import quote, urlsplit

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import translation
from django.utils.translation import get_language_info
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from guides.cache import surrogate
from guides.cache.pages import cached_page
from guides.public import seo
from guides.public.views import public_page, with_page_policy
from guides.publishing.markup import URL_SCHEMES
from guides.selectors import public as selectors
from guides.templatetags.guides_tags import duration

CONTENT_TYPE = "text/markdown; charset=utf-8"
LLMS_CONTENT_TYPE = "text/plain; charset=utf-8"

# --- escaping ------------------------------------------------------------------

#: ASCII punctuation that can start Markdown syntax anywhere in a line (CommonMark
#: lets a backslash escape any of it): "<" opens raw HTML or an autolink, "~"
#: strikes through in GFM ("1~7 days"), "|" splits a table row. "&" only
#: matters where it starts an entity, and "_" only at a word's edge (it never
#: emphasises inside one), so ordinary text keeps them bare.
_INLINE_SPECIAL = re.compile(r"([\\`*\[\]<~|]|&(?=#?[0-9A-Za-z]+;))")
_LONE_UNDERSCORE = re.compile(r"(?<![^\W_])_|_(?![^\W_])")
#: What makes a line a heading, quote, list item, rule or setext underline.
_LINE_START = re.compile(r"^(\s*)([#>+=-]|\d{1,9}(?=[.)]))")
_WHITESPACE = re.compile(r"\s+")


def escape(text: str) -> str:
    """Return ``text`` as Markdown that shows exactly that text, on one line."""
    text = _WHITESPACE.sub(" ", text or "").strip()
    text = _INLINE_SPECIAL.sub(r"\\\1", text)
    text = _LONE_UNDERSCORE.sub(r"\\_", text)
    if text.endswith("#"):  # would close an ATX heading
        text = text[:-1] + "\\#"
    return _LINE_START.sub(_escape_line_start, text)


def _escape_line_start(match: re.Match) -> str:
    space, mark = match.groups()
    if mark.isdigit():  # "1." or "1)": escape the delimiter, not the number
        return f"{space}{mark}\\"
    return f"{space}\\{mark}"


def link_destination(href: str) -> str | None:
    """Return ``href`` safe inside ``(...)``, or None for a scheme not allowed.

    The sanitiser already limits links (``markup.URL_SCHEMES``); this keeps
    the rule for older snapshots and channels. Spaces, brackets and angle
    brackets are percent-encoded, so the destination cannot end early.
    """
    href = (href or "").strip()
    if not href:
        return None
    scheme = urlsplit(href).scheme.lower()
    if scheme and scheme not in URL_SCHEMES:
        return None
    return quote(href, safe="/:?#@!$&'*+,;=%~-._[]")


def link(text: str, href: str) -> str:
    """Return a Markdown link, or the escaped text when ``href`` is unusable."""
    destination = link_destination(href)
    label = escape(text) or escape(href)
    return f"[{label}]({destination})" if destination else label


# --- sanitised HTML back to Markdown ------------------------------------------


class _Node:
    __slots__ = ("attrs", "children", "tag")

    def __init__(self, tag: str, attrs: dict[str, str]):
        self.tag = tag
        self.attrs = attrs
        self.children: list[_Node | str] = []


VOID_TAGS = frozenset({"br", "hr", "img"})


class _TreeBuilder(HTMLParser):
    """Build a small element tree (the sanitiser's output is well formed)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = _Node("", {})
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        node = _Node(tag, {name: value or "" for name, value in attrs})
        self.stack[-1].children.append(node)
        if tag not in VOID_TAGS:
            self.stack.append(node)

    def handle_startendtag(self, tag, attrs):
        self.stack[-1].children.append(
            _Node(tag, {name: value or "" for name, value in attrs})
        )

    def handle_endtag(self, tag):
        # Close up to the matching element; a stray end tag changes nothing.
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data):
        self.stack[-1].children.append(data)


BLOCK_TAGS = frozenset(
    {"p", "ul", "ol", "li", "blockquote", "pre", "h3", "h4", "h5", "hr", "table"}
)
#: Step and FAQ bodies sit under "###" headings: theirs go one level deeper.
HEADING_LEVELS = {"h3": 4, "h4": 5, "h5": 6}
INLINE_MARKS = {"strong": "**", "b": "**", "em": "*", "i": "*", "del": "~~"}


def html_to_markdown(html: str) -> str:
    """Return Markdown for sanitised HTML (``guides.publishing.markup``).

    Covers the sanitiser's tags; any other element is reduced to its text.
    Text is escaped, so what was shown as text stays text (``<b>`` typed by
    an editor reads ``\\<b\\>``, never becomes markup).
    """
    builder = _TreeBuilder()
    builder.feed(html or "")
    builder.close()
    return "\n\n".join(_blocks(builder.root.children)).strip()


def _blocks(children) -> list[str]:
    """Return the Markdown blocks of a run of nodes (inline runs become paragraphs)."""
    blocks: list[str] = []
    inline: list[_Node | str] = []

    def flush():
        text = _inline(inline).strip()
        if text:
            blocks.append(text)
        inline.clear()

    for child in children:
        if isinstance(child, _Node) and child.tag in BLOCK_TAGS:
            flush()
            block = _block(child)
            if block:
                blocks.append(block)
        else:
            inline.append(child)
    flush()
    return blocks


def _block(node: _Node) -> str:
    tag = node.tag
    if tag == "p":
        return _inline(node.children).strip()
    if tag in HEADING_LEVELS:
        text = _inline(node.children).strip()
        return f"{'#' * HEADING_LEVELS[tag]} {text}" if text else ""
    if tag == "hr":
        return "* * *"
    if tag == "blockquote":
        inner = "\n\n".join(_blocks(node.children))
        return "\n".join(f"> {line}".rstrip() for line in inner.splitlines())
    if tag == "pre":
        code = _text(node)
        fence = "`" * max(3, _longest_run(code, "`") + 1)
        return f"{fence}\n{code.rstrip(chr(10))}\n{fence}"
    if tag in ("ul", "ol"):
        return _list(node)
    if tag == "table":
        return _table(node)
    return "\n\n".join(_blocks(node.children))  # "li" outside a list


def _list(node: _Node) -> str:
    try:
        number = int(node.attrs.get("start") or 1)
    except ValueError:
        number = 1
    items = []
    for child in node.children:
        if not isinstance(child, _Node) or child.tag != "li":
            continue
        marker = f"{number}." if node.tag == "ol" else "-"
        number += 1
        # A tight item (no <p>) keeps its nested list on the next line; a
        # blank line between them would make the whole list loose.
        loose = any(isinstance(c, _Node) and c.tag == "p" for c in child.children)
        body = ("\n\n" if loose else "\n").join(_blocks(child.children))
        pad = " " * (len(marker) + 1)
        lines = body.splitlines() or [""]
        first, rest = lines[0], lines[1:]
        items.append(
            "\n".join(
                [f"{marker} {first}".rstrip()]
                + [f"{pad}{line}" if line else "" for line in rest]
            )
        )
    loose = any(
        isinstance(c, _Node) and c.tag == "p"
        for item in node.children
        if isinstance(item, _Node)
        for c in item.children
    )
    return ("\n\n" if loose else "\n").join(items)


def _table(node: _Node) -> str:
    rows: list[tuple[list[str], list[str]]] = []

    def walk(parent):
        for child in parent.children:
            if not isinstance(child, _Node):
                continue
            if child.tag == "tr":
                cells = [c for c in child.children if isinstance(c, _Node)]
                rows.append(
                    (
                        [_inline(c.children).strip() for c in cells],
                        [c.attrs.get("align", "") for c in cells],
                    )
                )
            else:
                walk(child)

    walk(node)
    if not rows:
        return ""
    width = max(len(cells) for cells, _aligns in rows)
    header, aligns = rows[0]
    rule = {"left": ":---", "right": "---:", "center": ":---:"}
    lines = [
        _row(header, width),
        "| "
        + " | ".join(
            rule.get(aligns[i] if i < len(aligns) else "", "---") for i in range(width)
        )
        + " |",
    ]
    lines += [_row(cells, width) for cells, _aligns in rows[1:]]
    return "\n".join(lines)


def _row(cells: list[str], width: int) -> str:
    return "| " + " | ".join(cells + [""] * (width - len(cells))) + " |"


def _inline(children) -> str:
    parts = []
    for child in children:
        if isinstance(child, str):
            parts.append(escape_inline(child))
            continue
        tag = child.tag
        if tag == "br":
            parts.append("\\\n")
        elif tag in INLINE_MARKS:
            inner = _inline(child.children).strip()
            mark = INLINE_MARKS[tag]
            parts.append(f"{mark}{inner}{mark}" if inner else "")
        elif tag == "code":
            code = _WHITESPACE.sub(" ", _text(child))
            ticks = "`" * (_longest_run(code, "`") + 1)
            pad = " " if code.startswith("`") or code.endswith("`") else ""
            parts.append(f"{ticks}{pad}{code}{pad}{ticks}" if code.strip() else "")
        elif tag == "a":
            text = _text(child)
            destination = link_destination(child.attrs.get("href", ""))
            label = _inline(child.children).strip() or escape(text)
            parts.append(f"[{label}]({destination})" if destination else label)
        elif tag == "img":
            destination = link_destination(child.attrs.get("src", ""))
            alt = escape(child.attrs.get("alt", ""))
            parts.append(f"![{alt}]({destination})" if destination else alt)
        else:  # sup, sub and anything unexpected: their text
            parts.append(_inline(child.children))
    return "".join(parts)


def escape_inline(text: str) -> str:
    """Escape a text run inside a paragraph, keeping one space at its edges."""
    if not text:
        return ""
    lead = " " if text[0].isspace() else ""
    trail = " " if text[-1].isspace() and text.strip() else ""
    return f"{lead}{escape(text)}{trail}"


def _text(node: _Node) -> str:
    return "".join(
        child if isinstance(child, str) else _text(child) for child in node.children
    )


def _longest_run(text: str, char: str) -> int:
    return max((len(run) for run in re.findall(f"{re.escape(char)}+", text)), default=0)


# --- a procedure in Markdown -------------------------------------------------


def procedure_markdown(
    content: dict, *, canonical_url: str, published_at, fallback_name: str | None
) -> str:
    """Return one language's snapshot of a publication as a Markdown document."""
    out: list[str] = [f"# {escape(content['title'])}"]
    if content.get("summary"):
        out.append(f"> {escape(content['summary'])}")
    facts = []
    for key, label in (("carrier", _("Carrier")), ("card_type", _("Card type"))):
        if content.get(key):
            facts.append(f"- {label}: {escape(content[key]['name'])}")
    if content.get("estimated_time"):
        facts.append(f"- {_('Time needed')}: {escape(content['estimated_time'])}")
    if content.get("fee_note"):
        facts.append(f"- {_('Fees')}: {escape(content['fee_note'])}")
    facts.append(f"- {_('Last updated')}: {published_at.date().isoformat()}")
    out.append("\n".join(facts))
    if fallback_name:
        out.append(
            _("Parts of this page are not translated yet and are shown in %(name)s.")
            % {"name": fallback_name}
        )
    introduction = html_to_markdown(content.get("introduction_html", ""))
    if introduction:
        out.append(introduction)

    requirements = content.get("requirements", [])
    prerequisites = [r for r in requirements if r["kind"] == "prerequisite"]
    documents = [r for r in requirements if r["kind"] == "document"]
    if prerequisites or documents:
        out.append(f"## {_('Before you start')}")
        for title, items in ((_("Check that"), prerequisites), (_("Bring"), documents)):
            if items:
                out.append(f"### {title}")
                out.append(_bullets(item["text"] for item in items))
    tips = content.get("tips", [])
    warnings = [t for t in tips if t["kind"] == "warning"]
    if warnings:
        out.append(f"## {_('Warnings')}")
        out.append(_bullets(t["text"] for t in warnings))

    out.append(f"## {_('Steps')}")
    for number, step in enumerate(content.get("steps", []), start=1):
        out.append(f"### {number}. {escape(step['title'])}")
        meta = []
        if step.get("channel"):
            meta.append(_channel(step["channel"]))
        if step.get("duration_seconds"):
            meta.append(
                _("about %(time)s") % {"time": duration(step["duration_seconds"])}
            )
        if meta:
            out.append(" · ".join(meta))
        body = html_to_markdown(step.get("body_html", ""))
        if body:
            out.append(body)

    others = [t for t in tips if t["kind"] != "warning"]
    if others:
        out.append(f"## {_('Tips')}")
        out.append(_bullets(t["text"] for t in others))
    faqs = content.get("faqs", [])
    if faqs:
        out.append(f"## {_('Frequently asked questions')}")
        for faq in faqs:
            out.append(f"### {escape(faq['question'])}")
            answer = html_to_markdown(faq.get("answer_html", ""))
            if answer:
                out.append(answer)
    out.append("---")
    out.append(f"{_('Canonical page')}: <{link_destination(canonical_url)}>")
    return "\n\n".join(out) + "\n"


def _bullets(texts) -> str:
    return "\n".join(f"- {escape(text)}" for text in texts)


def _channel(channel: dict) -> str:
    text = escape(channel.get("label", ""))
    value = channel.get("value", "")
    if value:
        shown = link(value, channel["href"]) if channel.get("href") else escape(value)
        text = f"{text}: {shown}" if text else shown
    if channel.get("opening_hours"):
        text += f" ({escape(channel['opening_hours'])})"
    return text


def current_facts(publication, *, language: str, tenant) -> dict:
    """Return the snapshot with the current carrier, card type and channels.

    They are shared facts, shown as they are now on the page too
    (``guides.publishing.body.apply_shared_facts``): the publication's values
    stay where the current one is gone. Channels cost a query only when a
    step names one (``selectors.channel_facts``, cached per generation).
    """
    content = dict(publication.content)
    for key, name in (
        ("carrier", publication.carrier_name),
        ("card_type", publication.card_type_name),
    ):
        if content.get(key) and name:
            content[key] = {**content[key], "name": name}
    steps = content.get("steps", [])
    if any((step.get("channel") or {}).get("id") for step in steps):
        channels = selectors.channel_facts(
            language=language, fallback=tenant.default_language
        )
        content["steps"] = [
            {
                **step,
                "channel": channels.get(step["channel"].get("id"), step["channel"]),
            }
            if step.get("channel")
            else step
            for step in steps
        ]
    return content


@require_safe
@public_page
@cached_page
def article_markdown(request: HttpRequest, slug: str) -> HttpResponse:
    """Answer ``/<lang>/guides/<slug>.md``: the publication in that language.

    Unlike the page, a language the procedure is not published in is a 404,
    not a redirect: a client asked for that language's text.
    """
    tenant = request.tenant
    language = translation.get_language()
    publication = selectors.publication_page(slug=slug, language=language)
    if (
        publication is None
        or publication.content is None
        or language not in publication.languages
    ):
        raise Http404(_("No such procedure in this help center."))
    content = current_facts(publication, language=language, tenant=tenant)
    fell_back = content.get("fallback_fields") and language != tenant.default_language
    canonical = seo.site_url(
        request, seo.localized_url("guides:article_detail", language, slug=slug)
    )
    body = procedure_markdown(
        content,
        canonical_url=canonical,
        published_at=publication.published_at,
        fallback_name=get_language_info(tenant.default_language)["name_local"]
        if fell_back
        else None,
    )
    response = HttpResponse(body, content_type=CONTENT_TYPE)
    response["Content-Language"] = language
    response.last_modified = publication.published_at
    surrogate.tag_publication(request, publication)
    return response


# --- llms.txt ------------------------------------------------------------------


def llms_text(request: HttpRequest, language: str) -> str:
    """Return the tenant's ``llms.txt`` in ``language`` (two queries)."""
    tenant = request.tenant
    fallback = tenant.default_language
    cards = selectors.publication_cards(
        language=language, fallback=fallback, order="catalog"
    )
    carrier_order = [c.slug for c in selectors.carrier_list()]
    by_carrier: dict[str, list] = {slug: [] for slug in carrier_order}
    by_card_type: dict[str, list] = {}
    others = []
    names: dict[str, str] = {}
    for card in cards:
        if card.carrier_slug:
            by_carrier.setdefault(card.carrier_slug, []).append(card)
            names[f"c:{card.carrier_slug}"] = card.carrier_name
        elif card.card_type_slug:
            by_card_type.setdefault(card.card_type_slug, []).append(card)
            names[f"k:{card.card_type_slug}"] = card.card_type_name
        else:
            others.append(card)
    groups = [
        (names[f"c:{slug}"], items) for slug, items in by_carrier.items() if items
    ]
    groups += [(names[f"k:{slug}"], items) for slug, items in by_card_type.items()]
    if others:
        groups.append((_("Other procedures"), others))

    out = [f"# {escape(tenant.name)}"]
    out.append(
        "> "
        + escape(
            _(
                "Step-by-step procedures of %(name)s: what to check, what to "
                "bring and whom to contact, for each carrier and card type. "
                "Each link is the procedure in Markdown."
            )
            % {"name": tenant.name}
        )
    )
    if not groups:
        out.append(escape(_("No procedures are published in this language yet.")))
    for name, items in groups:
        out.append(f"## {escape(name)}")
        lines = []
        for card in items:
            url = seo.site_url(
                request,
                seo.localized_url("guides:article_markdown", language, slug=card.slug),
            )
            line = f"- {link(card.title, url)}"
            if card.summary:
                line += f": {escape(card.summary)}"
            lines.append(line)
        out.append("\n".join(lines))
    others_languages = [code for code in tenant.ordered_languages() if code != language]
    if others_languages:
        out.append(f"## {_('Other languages')}")
        out.append(
            "\n".join(
                "- "
                + link(
                    get_language_info(code)["name_local"],
                    seo.site_url(request, llms_path(code, tenant)),
                )
                for code in others_languages
            )
        )
    return "\n\n".join(out) + "\n"


def llms_path(language: str, tenant) -> str:
    """Return the path of the tenant's list in ``language`` (``/llms.txt`` for the
    default one)."""
    if language == _default_language(tenant):
        return reverse("llms_txt")
    return seo.localized_url("guides:llms_txt", language)


def _default_language(tenant) -> str:
    enabled = tenant.ordered_languages()
    return tenant.default_language if tenant.default_language in enabled else enabled[0]


def _llms_response(request: HttpRequest, language: str) -> HttpResponse:
    with translation.override(language):
        body = llms_text(request, language)
    response = HttpResponse(body, content_type=LLMS_CONTENT_TYPE)
    response["Content-Language"] = language
    return response


@require_safe
@cached_page
def llms_txt(request: HttpRequest) -> HttpResponse:
    """Answer ``/llms.txt``: the tenant's procedures in its default language."""
    tenant = request.tenant
    return with_page_policy(_llms_response(request, _default_language(tenant)), tenant)


@require_safe
@public_page
@cached_page
def llms_txt_language(request: HttpRequest) -> HttpResponse:
    """Answer ``/<lang>/llms.txt``: the list in another language the tenant enables."""
    return _llms_response(request, translation.get_language())
