"""Keep promotional and unsafe content out of imported text.

Articles copied from the web carry chat-group invitations, tracking images,
links to unknown sites and raw HTML. Each line of an imported file goes
through ``clean_text`` before it is parsed: raw HTML and scripts are dropped,
links and images survive only when their host is on the tenant's allowlist,
and promotional lines (or promotional fragments of headings) are removed.
Every removal is recorded with its line number and the reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.utils.translation import gettext as _

from guides.models import Carrier, Domain, Tenant, normalize_host


@dataclass(frozen=True)
class Removal:
    """One piece of content the importer removed."""

    line: int
    what: str
    why: str

    def as_dict(self) -> dict:
        return {"line": self.line, "what": self.what, "why": self.why}


def allowed_hosts(tenant: Tenant) -> set[str]:
    """Return the hosts imported links may point to for ``tenant``.

    The tenant's own domains, its carriers' websites and its extra allowlist;
    each entry also admits its subdomains (see ``host_allowed``).
    """
    hosts = set(Domain.objects.filter(tenant=tenant).values_list("host", flat=True))
    for website in Carrier.unscoped.filter(tenant=tenant).values_list(
        "website", flat=True
    ):
        host = urlsplit(website or "").hostname
        if host:
            hosts.add(host)
    for entry in tenant.link_allowlist or []:
        entry = str(entry).strip()
        host = urlsplit(entry).hostname if "://" in entry else normalize_host(entry)
        if host:
            hosts.add(host)
    return {_bare(h) for h in hosts if h}


def _bare(host: str) -> str:
    host = host.lower().rstrip(".")
    return host.removeprefix("www.")


def host_allowed(host: str | None, allowed: set[str]) -> bool:
    """Return True when ``host`` is an allowed host or a subdomain of one."""
    if not host:
        return False
    host = _bare(host)
    return any(host == entry or host.endswith("." + entry) for entry in allowed)


# Chat-group invitations and other promotion. ``扫码`` alone is legitimate (an
# eSIM is activated by scanning a QR code); it is promotion with a group.
PROMO_RE = re.compile(
    r"(?:qq|ＱＱ|微信|vx|v信|wx|交流|福利|优惠|粉丝|读者|官方)\s*群"
    r"|加群|进群|入群|群号|加\s*(?:微信|vx|v信|qq|好友)|添加(?:微信|vx|好友)|微信号"
    r"|关注(?:我们的)?公众号|扫码(?:进|加|入|关注|领|添加)|扫描二维码(?:进|加|入|关注|领)"
    r"|qq\s*[：:]\s*\d{5,}|领取福利|免费领取|限时优惠|点击领取"
    r"|(?<![\w.-])(?:t\.me|wa\.me|telegram\.me)/|discord\.gg|chat\.whatsapp\.com"
    r"|weixin\.qq\.com|u\.wechat\.com|weixin://|tg://"
    r"|join\s+(?:our|the)\s+(?:\w+\s+)?(?:group|chat|channel|community|discord|telegram)"
    r"|scan\s+the\s+qr\s+code\s+to\s+(?:join|add|follow)|follow\s+us\s+on",
    re.IGNORECASE,
)

TRACKER_RE = re.compile(
    r"pixel|track|beacon|analytics|stat|1x1|/t\.gif|/p\.gif", re.IGNORECASE
)

SCRIPT_RE = re.compile(
    r"<(script|style|iframe|object|embed)\b[\s\S]*?(?:</\1\s*>|$)", re.IGNORECASE
)
COMMENT_RE = re.compile(r"<!--[\s\S]*?(?:-->|$)")
HTML_IMG_RE = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
TAG_RE = re.compile(r"</?[a-zA-Z][a-zA-Z0-9-]*(?:\s[^<>]*)?/?>")

IMAGE_RE = re.compile(r"!\[([^\]]*)\]\(\s*<?([^)\s>]*)>?(?:\s+[\"'][^\"']*[\"'])?\s*\)")
LINK_RE = re.compile(r"\[([^\]]*)\]\(\s*<?([^)\s>]*)>?(?:\s+[\"'][^\"']*[\"'])?\s*\)")
REFDEF_RE = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+.*)?$")
AUTOLINK_RE = re.compile(r"<((?:https?|ftp)://[^>\s]+|www\.[^>\s]+)>", re.IGNORECASE)
BARE_URL_RE = re.compile(
    r"(?<![\w/(<\[])(?:(?:https?|ftp)://|www\.)[^\s<>()\[\]（）【】「」，。；！？、\"'`]+",
    re.IGNORECASE,
)

HEADING_RE = re.compile(r"^(\s{0,3}#{1,6}\s+)(.*?)(\s*#*\s*)$")
BOLD_LINE_RE = re.compile(r"^(\s*\*\*)(.+?)(\*\*[：:]?\s*)$")


def _short(text: str, limit: int = 120) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _url_ok(url: str, allowed: set[str]) -> tuple[bool, str]:
    """Return (keep, reason) for a link target."""
    url = url.strip()
    if not url or (url.startswith(("#", "/")) and not url.startswith("//")):
        # Same-page anchors and paths on the tenant's own host.
        return True, ""
    lowered = url.lower()
    if lowered.startswith(("tel:", "sms:")):
        return True, ""
    if lowered.startswith("www."):
        url = "http://" + url
    if lowered.startswith("//"):
        url = "https:" + url
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https"):
        return False, _("the link scheme “%(scheme)s” is not allowed") % {
            "scheme": parts.scheme or "?"
        }
    if host_allowed(parts.hostname, allowed):
        return True, ""
    return False, _("the host %(host)s is not on this help center's allowlist") % {
        "host": parts.hostname or "?"
    }


def strip_html(text: str, removals: list[Removal]) -> str:
    """Remove raw HTML from ``text``, keeping line numbers stable."""

    def line_of(pos: int) -> int:
        return text.count("\n", 0, pos) + 1

    def blank(match: re.Match, why: str, what: str | None = None) -> str:
        removals.append(
            Removal(line_of(match.start()), _short(what or match.group(0)), why)
        )
        return "\n" * match.group(0).count("\n")

    original = text
    text = SCRIPT_RE.sub(
        lambda m: blank(m, _("scripts and embedded content are never imported")), text
    )
    text = COMMENT_RE.sub(lambda m: blank(m, _("HTML comments are not imported")), text)
    text = HTML_IMG_RE.sub(
        lambda m: blank(m, _("raw HTML images are not imported")), text
    )
    text = TAG_RE.sub(lambda m: blank(m, _("raw HTML is not imported")), text)
    if original.count("\n") != text.count("\n"):  # pragma: no cover - defensive
        raise AssertionError("HTML stripping changed the line count")
    return text


def _clean_links(
    line: str, number: int, allowed: set[str], removals: list[Removal]
) -> str:
    def image(match: re.Match) -> str:
        keep, why = _url_ok(match.group(2), allowed)
        if QR_RE.search(match.group(1)) or re.search(
            r"qr|erweima", match.group(2), re.I
        ):
            keep, why = False, _("a QR code image")
        if keep:
            return match.group(0)
        if TRACKER_RE.search(match.group(2)):
            why = _("a tracking image (%(why)s)") % {"why": why}
        removals.append(Removal(number, _short(match.group(0)), why))
        return ""

    def link(match: re.Match) -> str:
        keep, why = _url_ok(match.group(2), allowed)
        if is_promotional(match.group(1)) or PROMO_RE.search(match.group(2)):
            # An invitation's words go with its link ("[加群 @x](https://t.me/x)").
            removals.append(
                Removal(number, _short(match.group(0)), _("a promotional link"))
            )
            return ""
        if keep:
            return match.group(0)
        removals.append(Removal(number, _short(match.group(0)), why))
        return match.group(1)

    def bare(match: re.Match) -> str:
        keep, why = _url_ok(match.group(0), allowed)
        if keep:
            return match.group(0)
        removals.append(Removal(number, _short(match.group(0)), why))
        return ""

    def autolink(match: re.Match) -> str:
        keep, why = _url_ok(match.group(1), allowed)
        if keep:
            return match.group(0)
        removals.append(Removal(number, _short(match.group(0)), why))
        return ""

    line = IMAGE_RE.sub(image, line)
    line = LINK_RE.sub(link, line)
    line = AUTOLINK_RE.sub(autolink, line)
    # Mask the links that stay so their targets are not taken for bare URLs.
    kept: list[str] = []

    def mask(match: re.Match) -> str:
        kept.append(match.group(0))
        return f"\x00{len(kept) - 1}\x00"

    masked = LINK_RE.sub(mask, AUTOLINK_RE.sub(mask, line))
    masked = BARE_URL_RE.sub(bare, masked)
    return re.sub(r"\x00(\d+)\x00", lambda m: kept[int(m.group(1))], masked)


# A chat handle ("@somegroup"), not an e-mail address (a word before "@").
HANDLE_RE = re.compile(r"(?<![\w.@])[@＠][A-Za-z0-9_][\w.]{2,31}")
# An app or group word followed by its handle or number: "TG: @x", "微信群 abc123".
INVITE_RE = re.compile(
    r"(?:加群|进群|入群|交流群|微信群|qq群|关注|私信|频道|群|tg|telegram|whatsapp"
    r"|wechat|discord|line|follow|dm|channel|group)\s*[:：]?\s*"
    r"(?:[@＠][\w.]{3,32}|\+?\d[\d\s-]{4,}\d)"
    r"|(?:加群|进群|入群|交流群|微信群|微信号?|vx|qq|tg|telegram|whatsapp|wechat)"
    r"\s*[:：]\s*[A-Za-z][\w.-]{2,31}(?![\w\u3400-\u9fff/])",
    re.IGNORECASE,
)
EMOJI_RE = re.compile(
    "[\U0001f000-\U0001faff\u2600-\u27bf\u2b00-\u2bff\ufe0f\u200d\u20e3]+"
)
QR_RE = re.compile(r"二维码|qr\s*code|qrcode", re.IGNORECASE)
BRACKET_RE = re.compile(
    r"\s*(?:\[[^\[\]]*\]|【[^【】]*】|（[^（）]*）|\([^()]*\)|「[^「」]*」)(?!\()"
)
SENTENCE_RE = re.compile(r"[^。！？!?；;]+?(?:[。！？!?；;]+|\.(?=\s|$)|$)")
CLAUSE_RE = re.compile(r"[^，,]+(?:[，,]\s*|$)")
# What is left of a sentence whose invitation was cut: not worth keeping.
LEAD_IN_RE = re.compile(
    r"^(?:有问题|如有疑问|如有问题|(?:获取|了解|想了解)?更多\w{0,6}|欢迎|"
    r"questions|if you have (?:any )?questions|for more(?: \w+)?|more)\W*$",
    re.IGNORECASE,
)


def is_promotional(text: str) -> bool:
    """Return whether ``text`` invites to a group, names a handle or is an emoji tag."""
    return bool(
        PROMO_RE.search(text)
        or HANDLE_RE.search(text)
        or INVITE_RE.search(text)
        or (
            QR_RE.search(text) and re.search(r"扫|scan|加|关注|follow|join", text, re.I)
        )
    )


PROMO_RES = (PROMO_RE, INVITE_RE, HANDLE_RE)


def remove_promotion(text: str, *, heading: bool = False) -> tuple[str, list[str]]:
    """Return ``text`` without its promotional fragments, and the fragments.

    Bracketed tags (``[加群💬 @somegroup]``) go whole; an invitation inside a
    sentence takes its clause, or its sentence when nothing else is left;
    the rest of the sentence, and every other sentence, stays.
    """
    removed: list[str] = []

    def link(match: re.Match) -> str:
        if is_promotional(match.group(1)) or PROMO_RE.search(match.group(2)):
            removed.append(match.group(0))
            return ""
        return match.group(0)

    def bracket(match: re.Match) -> str:
        inner = match.group(0)
        if is_promotional(inner) or (
            EMOJI_RE.search(inner) and re.search(r"群|join|group|chat", inner, re.I)
        ):
            removed.append(inner.strip())
            return ""
        return inner

    text = LINK_RE.sub(link, IMAGE_RE.sub(link, text))
    text = BRACKET_RE.sub(bracket, text)
    if not is_promotional(text):
        return text, removed
    kept_sentences = []
    for sentence in SENTENCE_RE.findall(text):
        if not is_promotional(sentence):
            kept_sentences.append(sentence)
            continue
        kept = []
        for clause in CLAUSE_RE.findall(sentence):
            if not is_promotional(clause):
                kept.append(clause)
                continue
            # A clause whose only promotion is a handle ("步骤说明 @x") keeps
            # its words; an invitation takes the whole clause.
            rest = HANDLE_RE.sub("", INVITE_RE.sub("", clause))
            if (
                not is_promotional(rest)
                and not LEAD_IN_RE.match(rest.strip())
                and re.search(r"[^\W\d_]", rest)
            ):
                kept.append(rest)
                removed.append(_difference(clause, rest))
                continue
            # A heading keeps its words before a glued promotion
            # ("注销教程加微信群领福利", "办理方法 | 扫码进群").
            start = min(
                (m.start() for r in PROMO_RES if (m := r.search(clause))),
                default=0,
            )
            prefix = clause[:start]
            if heading and plain_words(prefix) and not is_promotional(prefix):
                kept.append(prefix)
                removed.append(clause[start:].strip())
            else:
                removed.append(clause.strip())
        words = "".join(kept).strip()
        if not words or LEAD_IN_RE.match(words.strip(" ，,")):
            if words:
                removed.append(words)
            # "Questions? Join our group": the lead-in goes with its invitation.
            if kept_sentences and LEAD_IN_RE.match(kept_sentences[-1].strip()):
                removed.append(kept_sentences.pop().strip())
            continue
        ending = re.search(r"[。！？!?；;]+\s*$", sentence)
        words = words.rstrip(" ，,、:：")
        kept_sentences.append(words + (ending.group(0) if ending else ""))
    return "".join(kept_sentences).strip(), [r for r in removed if r]


def _difference(whole: str, rest: str) -> str:
    """Return what was cut from ``whole`` to leave ``rest`` (for the report)."""
    invites = INVITE_RE.findall(whole)
    handles = HANDLE_RE.findall(INVITE_RE.sub("", whole))
    return " ".join([*invites, *handles]) or whole.strip()


def plain_words(text: str) -> str:
    return re.sub(r"[\W_]+", "", text)


EDGE_PUNCT = " \t-–—|｜·•:：,，、;；/\\~～*_=+"


def clean_title(text: str) -> str:
    """Return a title without promotion, empty brackets, separators or stray marks."""
    text, _removed = remove_promotion(text, heading=True)
    text = EMOJI_RE.sub("", text)
    text = re.sub(r"\[\s*\]|【\s*】|（\s*）|\(\s*\)|「\s*」", "", text)
    # A separator left with nothing after it ("标题 |", "标题 —").
    text = re.sub(r"\s*(?:[|｜]|——|--|\s[-–—])\s*$", "", text)
    text = " ".join(text.split())
    text = text.strip(EDGE_PUNCT)
    # Unbalanced brackets at an edge, left by a cut tag.
    while text and (
        (text[-1] in "（([【「" or text[0] in "）)]】」")
        or (text.endswith(("）", ")", "]", "】")) and not _balanced(text))
    ):
        text = text[:-1] if text[-1] in "（([【「）)]】" else text[1:]
        text = text.strip(EDGE_PUNCT)
    return text


def _balanced(text: str) -> bool:
    pairs = {"）": "（", ")": "(", "]": "[", "】": "【", "」": "「"}
    return all(text.count(close) == text.count(open_) for close, open_ in pairs.items())


MARKER_RE = re.compile(r"^(\s*(?:>\s*)*(?:[-*+•·]\s+|\d{1,3}[.)、]\s*)?)(.*)$")


def _split_marker(line: str) -> tuple[str, str, str]:
    """Return (list or quote marker, text, "") of a line."""
    match = MARKER_RE.match(line)
    return match.group(1), match.group(2), ""


def clean_text(
    text: str, allowed: set[str]
) -> tuple[list[tuple[int, str]], list[Removal]]:
    """Return the cleaned lines (with their 1-based numbers) and the removals."""
    removals: list[Removal] = []
    text = strip_html(text, removals)
    lines: list[tuple[int, str]] = []
    for number, line in enumerate(text.split("\n"), start=1):
        line = line.rstrip()
        if not line.strip():
            lines.append((number, ""))
            continue
        ref = REFDEF_RE.match(line)
        if ref:
            keep, why = _url_ok(ref.group(1), allowed)
            if not keep:
                removals.append(Removal(number, _short(line), why))
                continue
        heading = HEADING_RE.match(line) or BOLD_LINE_RE.match(line)
        # Promotion goes first, while its links still say where they lead
        # ("[加群 @x](https://t.me/x)", "WhatsApp: wa.me/…").
        if is_promotional(line) or PROMO_RE.search(line):
            prefix, body, suffix = heading.groups() if heading else _split_marker(line)
            cleaned, fragments = remove_promotion(body, heading=bool(heading))
            if heading:
                cleaned = clean_title(cleaned)
            why = (
                _("promotional text in a heading")
                if heading
                else _("a promotional fragment")
            )
            if not plain_words(cleaned):
                # Nothing of the line is left: one removal, the whole line.
                if not heading:
                    why = _("a promotional line")
                removals.append(Removal(number, _short(body), why))
                continue
            for fragment in fragments or [body.strip()]:
                removals.append(Removal(number, _short(fragment), why))
            line = prefix + cleaned + suffix
        line = _clean_links(line, number, allowed, removals)
        if line.strip() and not re.sub(r"[\s*_>\-•·+!]+", "", line):
            # Nothing left but Markdown punctuation (an emptied list item, a
            # rule); table rows keep their "|" and code fences their "`".
            continue
        lines.append((number, line))
    return lines, removals
