"""What search engines read on a page: absolute URLs, alternates, JSON-LD.

Every structured-data builder takes the same snapshot the page renders
(``Publication.content[lang]``), so the JSON-LD always matches the visible
text. URLs are absolute on the tenant's primary domain (``site_url``); the
sitemap and robots.txt (``guides.public.sitemaps``) use the same addresses.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import datetime

from django.http import HttpRequest
from django.templatetags.static import static
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone, translation
from django.utils.translation import get_language_info

from guides.cache.pages import request_port
from guides.publishing.snapshot import plain_text
from guides.publishing.timing import time_needed
from guides.tenancy.context import get_current_tenant

#: Traditional Chinese carries the region of the tenant's variant in hreflang,
#: structured data and Open Graph (``Tenant.chinese_variant``).
VARIANT_REGIONS = {"tw": "TW", "hk": "HK"}


def _variant_region(language: str) -> str | None:
    if language != "zh-hant":
        return None
    tenant = get_current_tenant()
    return VARIANT_REGIONS.get(getattr(tenant, "chinese_variant", ""))


def bcp47(language: str) -> str:
    """Return the BCP 47 tag for a Django language code (``zh-hans`` → ``zh-Hans``;
    ``zh-hant`` → ``zh-Hant-TW`` or ``zh-Hant-HK`` by the tenant's variant)."""
    parts = language.split("-")
    tag = "-".join(
        [parts[0]] + [p.title() if len(p) == 4 else p.upper() for p in parts[1:]]
    )
    region = _variant_region(language)
    return f"{tag}-{region}" if region else tag


OG_LOCALES = {"zh-hans": "zh_CN", "zh-hant": "zh_TW", "en": "en_US"}


def og_locale(language: str) -> str:
    """Return the Open Graph locale (``zh_CN``) for a Django language code."""
    region = _variant_region(language)
    if region:
        return f"zh_{region}"
    return OG_LOCALES.get(language, translation.to_locale(language))


def site_host(request: HttpRequest) -> str:
    """Return the tenant's primary domain, with the request's port if it has one.

    Every host of a tenant serves the same pages; canonical, hreflang and
    sitemap addresses all name the primary one, so search engines index one
    copy and a page cached for one host is right for every other (the page
    cache's key holds the port, not the host). The request's port is kept (a
    development port); a default port is left out.
    """
    host = getattr(request.tenant, "primary_host", None) or request.get_host()
    port = request_port(request)
    default_port = "443" if request.is_secure() else "80"
    if port and port != default_port and ":" not in host:
        host = f"{host}:{port}"
    return host


def site_url(request: HttpRequest, path: str) -> str:
    """Return the absolute URL of ``path`` on the tenant's primary domain.

    The request's scheme is kept (a TLS proxy sets it); see ``site_host``.
    """
    return f"{request.scheme}://{site_host(request)}{path}"


def localized_url(name: str, language: str, **kwargs) -> str:
    """Return the path of the URL ``name`` in ``language``.

    Memoised: a public page names a dozen URLs, and ``reverse`` (30 µs each,
    more through the ``{% url %}`` tag) was a tenth of rendering one. The key
    holds everything ``reverse`` depends on besides the URL conf's code.
    """
    return _localized_url(
        get_urlconf(),
        get_script_prefix(),
        name,
        language,
        tuple(sorted(kwargs.items())),
    )


@functools.lru_cache(maxsize=4096)
def _localized_url(urlconf, prefix, name, language, kwargs) -> str:
    with translation.override(language):
        return reverse(name, urlconf=urlconf, kwargs=dict(kwargs) or None)


def site_links(language: str) -> dict[str, str]:
    """Return the links every public page carries (header, footer, assets)."""
    return {
        "home": localized_url("guides:home", language),
        "search": localized_url("guides:search", language),
        "suggest": localized_url("guides:search_suggest", language),
        "stylesheet": _static("guides/site.css"),
        "suggest_script": _static("guides/suggest.js"),
        "article_script": _static("guides/article.js"),
    }


@functools.lru_cache(maxsize=16)
def _static(path: str) -> str:
    # The storage (and a manifest's hashes) is fixed for the process's life.
    return static(path)


@dataclass(frozen=True)
class Alternate:
    """One language version of a page."""

    language: str
    hreflang: str
    name: str
    url: str
    path: str


def alternates(
    request: HttpRequest, name: str, languages: list[str], **kwargs
) -> list[Alternate]:
    """Return the versions of the page ``name`` in ``languages`` with absolute URLs."""
    result = []
    for language in languages:
        path = localized_url(name, language, **kwargs)
        result.append(
            Alternate(
                language=language,
                hreflang=bcp47(language),
                name=get_language_info(language)["name_local"],
                url=site_url(request, path),
                path=path,
            )
        )
    return result


def x_default(alternates_: list[Alternate], default_language: str) -> Alternate | None:
    """Return the version search engines show when no language matches."""
    for alternate in alternates_:
        if alternate.language == default_language:
            return alternate
    return alternates_[0] if alternates_ else None


def _text_of(part: dict, field: str) -> str:
    """Return the plain text of ``field``, stored at publish time when possible.

    Publications made before snapshots carried ``*_text`` are read through
    the HTML parser instead.
    """
    stored = part.get(f"{field}_text")
    return stored if stored is not None else plain_text(part.get(f"{field}_html", ""))


def howto_ld(content: dict, *, url: str, language: str) -> dict:
    """Return schema.org ``HowTo`` data for an article snapshot."""
    data = {
        "@context": "https://schema.org",
        "@type": "HowTo",
        "name": content["title"],
        "inLanguage": bcp47(language),
        "url": url,
        "step": [
            {
                "@type": "HowToStep",
                "position": index,
                "name": step["title"],
                "text": _text_of(step, "body") or step["title"],
                "url": f"{url}#step-{index}",
            }
            for index, step in enumerate(content["steps"], start=1)
        ],
    }
    if content.get("summary"):
        data["description"] = content["summary"]
    # The value the page shows in "Time needed" (guides.publishing.timing),
    # never the steps' sum when the page states something else.
    total_time = time_needed(content).iso
    if total_time:
        data["totalTime"] = total_time
    supplies = [
        r["text"] for r in content.get("requirements", []) if r["kind"] == "document"
    ]
    if supplies:
        data["supply"] = [{"@type": "HowToSupply", "name": text} for text in supplies]
    return data


def faq_ld(content: dict) -> dict | None:
    """Return schema.org ``FAQPage`` data, or None when there are no FAQs."""
    if not content.get("faqs"):
        return None
    return {
        "@context": "https://schema.org",
        "@type": "FAQPage",
        "mainEntity": [
            {
                "@type": "Question",
                "name": faq["question"],
                "acceptedAnswer": {"@type": "Answer", "text": _text_of(faq, "answer")},
            }
            for faq in content["faqs"]
        ],
    }


def breadcrumb_ld(crumbs: list[tuple[str, str]]) -> dict:
    """Return schema.org ``BreadcrumbList`` data for ``[(name, absolute url), ...]``."""
    return {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": index, "name": name, "item": url}
            for index, (name, url) in enumerate(crumbs, start=1)
        ],
    }


def breadcrumb_page_ld(request: HttpRequest, name: str) -> dict:
    """Return the ``BreadcrumbList`` of a page one level under home (``name``).

    Carrier and card-type pages: the same trail their visible breadcrumbs
    show (home, then the page), with absolute URLs.
    """
    language = translation.get_language()
    home = site_url(request, localized_url("guides:home", language))
    return breadcrumb_ld(
        [(request.tenant.name, home), (name, site_url(request, request.path))]
    )


#: Where a sentence ends: the best place to cut a description.
_SENTENCE_END = frozenset("。！？!?；;…")
#: Characters after which a line may break in Chinese (and Japanese) text.
_CJK = re.compile(
    r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]"
)


def meta_description(text: str, limit: int = 160) -> str:
    """Return ``text`` on one line, cut to at most ``limit`` characters.

    A cut text ends with "…" after a whole sentence when one ends in the
    second half of the room, else after a whole word: at a space, or
    between two characters of which one is Chinese (where Chinese breaks a
    line). A Latin word is never cut ("…get the rem…" was).
    """
    text = " ".join((text or "").split())
    if len(text) <= limit:
        return text
    room = limit - 1  # for the ellipsis
    sentence = word = 0
    for index in range(1, room + 1):
        before, after = text[index - 1], text[index]
        if before in _SENTENCE_END or (before == "." and after == " "):
            sentence = index
        if after == " " or before == " " or _CJK.match(before) or _CJK.match(after):
            word = index
    if sentence > room // 2:
        cut = sentence
    elif word:
        cut = word
    else:
        cut = room  # one word longer than the room: nothing better to do
    return text[:cut].rstrip(" ，,、：:；;") + "…"


def iso_datetime(value: datetime | None) -> str:
    """Return ``value`` as ISO 8601 to the second in the current time zone.

    HTML's ``datetime`` takes at most three decimals and Open Graph readers
    expect none; publication times are stored with microseconds.
    """
    if value is None:
        return ""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.replace(microsecond=0).isoformat()


#: The card image pages show when the tenant has no logo (1200 x 630 px).
DEFAULT_OG_IMAGE = "guides/og-card.jpg"


def og_image(request: HttpRequest) -> str:
    """Return the absolute URL of the image link previews show.

    The tenant's logo (an https URL, or a path under /static/ made absolute
    on the primary domain), else the default card that ships with the site.
    """
    logo = (getattr(request.tenant, "logo", "") or "").strip()
    if logo.startswith("https://"):
        return logo
    if logo.startswith("/"):
        return site_url(request, logo)
    return site_url(request, _static(DEFAULT_OG_IMAGE))
