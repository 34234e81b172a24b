"""What search engines read: alternates, JSON-LD, the sitemap and robots.txt.

Every structured-data builder takes the same snapshot the page renders
(``Publication.content[lang]``), so the JSON-LD always matches the visible
text. URLs are absolute on the request's own host: each tenant's sitemap
names only its own pages.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from django.http import HttpRequest, HttpResponse
from django.templatetags.static import static
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import translation
from django.utils.translation import get_language_info
from django.views.decorators.http import require_GET

from guides.cache.pages import cached_page, request_port
from guides.models import CardType, Carrier, Publication
from guides.publishing.snapshot import plain_text


def bcp47(language: str) -> str:
    """Return the BCP 47 tag for a Django language code (``zh-hans`` → ``zh-Hans``)."""
    parts = language.split("-")
    return "-".join(
        [parts[0]] + [p.title() if len(p) == 4 else p.upper() for p in parts[1:]]
    )


OG_LOCALES = {"zh-hans": "zh_CN", "zh-hant": "zh_TW", "en": "en_US"}


def og_locale(language: str) -> str:
    """Return the Open Graph locale (``zh_CN``) for a Django language code."""
    return OG_LOCALES.get(language, translation.to_locale(language))


def site_url(request: HttpRequest, path: str) -> str:
    """Return the absolute URL of ``path`` on the tenant's primary domain.

    Every host of a tenant serves the same pages; canonical, hreflang and
    sitemap addresses all name the primary one, so search engines index one
    copy and a page cached for one host is right for every other. The
    request's scheme and port are kept (a TLS proxy, a development port).
    """
    host = getattr(request.tenant, "primary_host", None) or request.get_host()
    port = request_port(request)
    default_port = "443" if request.is_secure() else "80"
    if port and port != default_port and ":" not in host:
        host = f"{host}:{port}"
    return f"{request.scheme}://{host}{path}"


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
    if content.get("total_time_iso"):
        data["totalTime"] = content["total_time_iso"]
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


# --- sitemap and robots.txt -------------------------------------------------


def _url_entry(alts: list[Alternate], default_language: str, lastmod=None) -> list[str]:
    links = [
        f'<xhtml:link rel="alternate" hreflang={quoteattr(a.hreflang)} href={quoteattr(a.url)}/>'
        for a in alts
    ]
    default = x_default(alts, default_language)
    if default is not None:
        links.append(
            f'<xhtml:link rel="alternate" hreflang="x-default" href={quoteattr(default.url)}/>'
        )
    entries = []
    for alternate in alts:
        lines = ["<url>", f"<loc>{escape(alternate.url)}</loc>"]
        if lastmod is not None:
            lines.append(f"<lastmod>{lastmod.date().isoformat()}</lastmod>")
        entries.append("".join(lines + links + ["</url>"]))
    return entries


@require_GET
@cached_page
def sitemap(request: HttpRequest) -> HttpResponse:
    """Answer ``/sitemap.xml``: the tenant's listing pages and every publication."""
    tenant = request.tenant
    languages = tenant.ordered_languages()
    default = tenant.default_language
    publications = list(
        Publication.objects.order_by("slug").values_list(
            "slug", "languages", "published_at"
        )
    )
    latest = max((p[2] for p in publications), default=None)
    entries = _url_entry(alternates(request, "guides:home", languages), default, latest)
    for slug in Carrier.objects.order_by("sort_order", "slug").values_list(
        "slug", flat=True
    ):
        alts = alternates(request, "guides:carrier_detail", languages, slug=slug)
        entries += _url_entry(alts, default)
    for slug in CardType.objects.order_by("sort_order", "slug").values_list(
        "slug", flat=True
    ):
        alts = alternates(request, "guides:card_type_detail", languages, slug=slug)
        entries += _url_entry(alts, default)
    for slug, published_languages, published_at in publications:
        langs = [lang for lang in languages if lang in published_languages]
        alts = alternates(request, "guides:article_detail", langs, slug=slug)
        entries += _url_entry(alts, default, published_at)
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:xhtml="http://www.w3.org/1999/xhtml">\n'
        + "\n".join(entries)
        + "\n</urlset>\n"
    )
    response = HttpResponse(body, content_type="application/xml; charset=utf-8")
    response.last_modified = latest
    return response


@require_GET
@cached_page
def robots(request: HttpRequest) -> HttpResponse:
    """Answer ``/robots.txt``: everything public may be crawled; point at the sitemap."""
    sitemap_url = site_url(request, reverse("sitemap"))
    body = (
        "User-agent: *\n"
        "Disallow: /admin/\n"
        "Disallow: /*/search/\n"
        "Allow: /\n"
        f"Sitemap: {sitemap_url}\n"
    )
    return HttpResponse(body, content_type="text/plain; charset=utf-8")
