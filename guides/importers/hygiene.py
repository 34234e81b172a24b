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
FRAGMENT_RE = re.compile(r"[（(【\[「][^（()）【】\[\]「」]*[)）】\]」]")
SEPARATOR_RE = re.compile(r"\s*(?:[|｜]|——|--|\s-\s|\s–\s)\s*")


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
        if keep:
            return match.group(0)
        if TRACKER_RE.search(match.group(2)):
            why = _("a tracking image (%(why)s)") % {"why": why}
        removals.append(Removal(number, _short(match.group(0)), why))
        return ""

    def link(match: re.Match) -> str:
        keep, why = _url_ok(match.group(2), allowed)
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


def _clean_heading_promo(text: str) -> str:
    """Return heading text without its promotional fragments."""
    text = FRAGMENT_RE.sub(
        lambda m: "" if PROMO_RE.search(m.group(0)) else m.group(0), text
    )
    segments = [s for s in SEPARATOR_RE.split(text) if s.strip()]
    if len(segments) > 1:
        text = " ".join(s for s in segments if not PROMO_RE.search(s))
    # A promotion glued to the title without a separator ("注销教程加微信群领福利"):
    # keep what comes before it rather than losing the whole title.
    match = PROMO_RE.search(text)
    if match:
        text = text[: match.start()]
    return text.strip(" \t-–—|｜:：,，。!！")


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
        original = line
        line = _clean_links(line, number, allowed, removals)
        heading = HEADING_RE.match(line) or BOLD_LINE_RE.match(line)
        # The original counts too: a removed "weixin://" link leaves only its
        # bait words ("点我") behind.
        if PROMO_RE.search(line) or PROMO_RE.search(original):
            if heading:
                cleaned = _clean_heading_promo(heading.group(2))
                removals.append(
                    Removal(number, _short(line), _("promotional text in a heading"))
                )
                if cleaned:
                    lines.append(
                        (number, heading.group(1) + cleaned + heading.group(3))
                    )
                continue
            removals.append(Removal(number, _short(line), _("a promotional line")))
            continue
        if line.strip() and not re.sub(r"[\s*_>\-•·+!]+", "", line):
            # Nothing left but Markdown punctuation (an emptied list item, a
            # rule); table rows keep their "|" and code fences their "`".
            continue
        lines.append((number, line))
    return lines, removals
