"""Surrogate keys: what a public response shows, for a cache tier to purge by.

Every public response that a shared cache may keep carries the keys of what
it shows, in three headers (one per family of cache tier):

- ``xkey`` for Varnish's xkey module (space-separated);
- ``Surrogate-Key`` for Fastly (space-separated);
- ``Cache-Tag`` for Cloudflare (comma-separated).

A write then purges exactly the keys it affects (``guides.frontcache``),
after it commits. Every key starts with the tenant (``t12``), so a purge for
one help center can never evict another's pages, whatever host serves them:

==================  =====================================================
key                 carried by
==================  =====================================================
``t12``             every public response of tenant 12 (branding, domains
                    and languages change all of them)
``t12-lang-en``     every response in English
``t12-list``        pages that list the tenant's procedures or catalogue:
                    home, carrier and card-type pages, sitemaps, llms.txt,
                    search suggestions
``t12-map``         the sitemaps (their last-modified dates follow every
                    carrier, channel and card-type change)
``t12-api``         every public API response
``t12-a345``        the pages of article 345 (HTML and Markdown)
``t12-c7``          pages that show carrier 7's name or channels: its page
                    and the pages of its procedures (whose steps name only
                    its channels, and whose related procedures share the
                    carrier or the card type)
``t12-k3``          pages that show card type 3: its page, its procedures
==================  =====================================================

Views name what they show with ``tag`` (or ``tag_publication``);
``SurrogateKeyMiddleware`` adds the tenant and language keys, a default for
pages that named nothing, and writes the headers. It sits inside
``PageCacheMiddleware``, so a stored page keeps its keys, and a hit answered
by ``PageCacheFront`` sends them too.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_max_age

#: The response headers that carry the keys, and how each joins them.
HEADERS = (("xkey", " "), ("Surrogate-Key", " "), ("Cache-Tag", ","))

#: URL names of pages that list the tenant's procedures or catalogue.
LISTING_PAGES = frozenset(
    {
        "home",
        "carrier_detail",
        "card_type_detail",
        "sitemap",
        "sitemap_section",
        "llms_txt",
        "search",
        "search_suggest",
    }
)

#: URL names of the sitemaps.
SITEMAP_PAGES = frozenset({"sitemap", "sitemap_section"})

#: URL names of pages that show only tenant-wide settings.
TENANT_PAGES = frozenset({"robots"})


def tenant_key(tenant_id: int) -> str:
    return f"t{int(tenant_id)}"


def _key(tenant_id: int, suffix: str) -> str:
    return f"t{int(tenant_id)}-{suffix}"


def listing_key(tenant_id: int) -> str:
    return _key(tenant_id, "list")


def sitemap_key(tenant_id: int) -> str:
    return _key(tenant_id, "map")


def api_key(tenant_id: int) -> str:
    return _key(tenant_id, "api")


def language_key(tenant_id: int, language: str) -> str:
    return _key(tenant_id, f"lang-{language.lower()}")


def article_key(tenant_id: int, article_id: int) -> str:
    return _key(tenant_id, f"a{int(article_id)}")


def carrier_key(tenant_id: int, carrier_id: int) -> str:
    return _key(tenant_id, f"c{int(carrier_id)}")


def card_type_key(tenant_id: int, card_type_id: int) -> str:
    return _key(tenant_id, f"k{int(card_type_id)}")


def publication_keys(
    tenant_id: int,
    *,
    article_id: int | None,
    carrier_id: int | None,
    card_type_id: int | None,
) -> list[str]:
    """Return the keys of an article page: it, its carrier and card type."""
    keys = []
    if article_id:
        keys.append(article_key(tenant_id, article_id))
    if carrier_id:
        keys.append(carrier_key(tenant_id, carrier_id))
    if card_type_id:
        keys.append(card_type_key(tenant_id, card_type_id))
    return keys


def tag(request: HttpRequest, *keys: str) -> None:
    """Say that the response to ``request`` shows what ``keys`` name."""
    existing = getattr(request, "surrogate_keys", None)
    if existing is None:
        existing = request.surrogate_keys = []
    existing.extend(key for key in keys if key not in existing)


def tag_publication(request: HttpRequest, publication) -> None:
    """Tag an article page with what its publication shows.

    ``publication`` is a ``selectors.public.PublishedPage``: the article,
    its carrier (its steps name only that carrier's channels) and card type
    (the related procedures share one of them).
    """
    tag(
        request,
        *publication_keys(
            request.tenant.pk,
            article_id=getattr(publication, "article_id", None),
            carrier_id=publication.carrier_id,
            card_type_id=publication.card_type_id,
        ),
    )


def response_keys(request: HttpRequest, response: HttpResponse) -> list[str]:
    """Return every key of a public response (see the module docstring)."""
    tenant_id = request.tenant.pk
    keys = [tenant_key(tenant_id)]
    language = response.get("Content-Language")
    if language:
        keys.append(language_key(tenant_id, language))
    named = getattr(request, "surrogate_keys", None) or []
    match = getattr(request, "resolver_match", None)
    url_name = match.url_name if match is not None else None
    if request.path_info.startswith("/api/"):
        keys.append(api_key(tenant_id))
    elif url_name in TENANT_PAGES:
        pass
    elif url_name in LISTING_PAGES or not named:
        # A page that named nothing is purged with every listing: never stale.
        keys.append(listing_key(tenant_id))
    if url_name in SITEMAP_PAGES:
        keys.append(sitemap_key(tenant_id))
    keys += [key for key in named if key not in keys]
    return keys


def is_shared(response: HttpResponse) -> bool:
    """Say whether a shared cache may keep ``response`` (public, with a max-age)."""
    control = response.get("Cache-Control", "").lower()
    return (
        "public" in control
        and "private" not in control
        and "no-store" not in control
        and bool(get_max_age(response))
    )


def set_headers(response: HttpResponse, keys: Iterable[str]) -> None:
    keys = list(keys)
    for header, separator in HEADERS:
        response[header] = separator.join(keys)


class SurrogateKeyMiddleware:
    """Write the surrogate-key headers on public responses a cache may keep.

    Listed right after ``PageCacheMiddleware``: a page stored there keeps the
    headers (``guides.cache.pages.STORED_HEADERS``), and a hit sends them.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            getattr(request, "tenant", None) is not None
            and is_shared(response)
            and not _is_asset(request.path_info)
        ):
            set_headers(response, response_keys(request, response))
        return response


def _is_asset(path: str) -> bool:
    """Say whether ``path`` is a static or media file: the same for every tenant,
    named by its content, never purged (a year of caching)."""
    return any(
        prefix and path.startswith(prefix)
        for prefix in (settings.STATIC_URL, settings.MEDIA_URL)
    )
