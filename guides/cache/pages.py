"""Whole-page cache for the public side, with validators a CDN can honour.

Two halves:

- ``cached_page`` (a view decorator) says a page may be shared: on a
  cacheable request that answers ``200`` it sets ``ETag``, ``Last-Modified``
  and a public ``Cache-Control``, answers ``304`` to a matching conditional
  request, and marks the response for storing.
- ``PageCacheMiddleware`` (right after ``TenantMiddleware``) stores marked
  responses once every other middleware has added its headers, and answers a
  later request for the same page straight from the cache: no query, no URL
  resolving, no session or locale work, no template rendering.
- ``PageCacheFront`` wraps the WSGI application (``helpcenter.wsgi``) and
  answers the same stored pages before Django's handler, middleware chain
  and signals run at all; what it cannot answer goes to Django unchanged.

A page is stored under a key made of the tenant id, the tenant's
public-content generation (``guides.cache.generations.content_generation``,
bumped on publish, unpublish, revert, delete, catalogue, domain and branding
changes), the scheme and port that absolute links on the page carry, and the
path (which holds the language). Changing any of them makes a new key, so
nothing is ever deleted by hand. The generation lives in the database and
each process re-reads it at least once a second, so a change reaches every
server within about a second, whatever cache the servers share (or not).
The key is computed once, before the page is rendered: a page rendered from
data older than a bump is never stored under the bumped generation.

Only anonymous ``GET``/``HEAD`` requests without a query string are served
from or stored into the cache. A request that carries a session cookie (an
editor who may be logged in, perhaps previewing a draft) bypasses it and is
marked private, and any query string bypasses it too: that is how the "thank
you" after feedback is shown and how ``bench/article.py`` measures a miss."""

from __future__ import annotations

import functools
import hashlib
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.http.request import split_domain_port
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date, parse_http_date_safe

from guides.cache.generations import content_generation
from guides.cache.lru import LRU
from guides.operations.context import note_page_cache

#: Seconds a browser or CDN may reuse a page without asking again.
MAX_AGE = 60


#: Seconds a CDN may serve a stale page while it revalidates in the background.
STALE_WHILE_REVALIDATE = 600


#: Seconds a rendered page stays in the server's cache (the generation in the
#: key does the invalidation; this only bounds memory).
PAGE_TIMEOUT = 24 * 3600


#: Response headers that are stored with a page and sent again on a hit.
#: Set-Cookie is never among them: a response that sets one is not stored.
STORED_HEADERS = (
    "Content-Type",
    # Set by CommonMiddleware on the full stack's answer; without it a hit
    # would be sent chunked, unlike the same page on a miss.
    "Content-Length",
    "Content-Language",
    "Vary",
    "X-Frame-Options",
    "X-Content-Type-Options",
    "Referrer-Policy",
    "Cross-Origin-Opener-Policy",
    "Strict-Transport-Security",
    # contrib.sitemaps keeps its files out of search results with it.
    "X-Robots-Tag",
    "Content-Security-Policy",
    # What the page shows, for a cache tier to purge by (cache/surrogate.py).
    "xkey",
    "Surrogate-Key",
    "Cache-Tag",
)


#: This process's copy of recently served pages, in front of the shared cache.
#: Safe without invalidation: the key holds the content generation, so a
#: change on any server makes every process look up a new key within about a
#: second. It saves a cache round trip and the unpickling of the page on the
#: hottest path.
local_pages = LRU(256)


def request_port(request: HttpRequest) -> str:
    """Return the port the reader asked for (from the Host header), or ""."""
    _domain, port = split_domain_port(request.get_host())
    return port


def page_cache_key(request: HttpRequest, *, tenant_id: int) -> str:
    """Return the cache key of the page at ``request.path``."""
    return page_key(tenant_id, request.scheme, request_port(request), request.path)


def page_key(tenant_id: int, scheme: str, port: str, path: str) -> str:
    generation = content_generation(tenant_id)
    # Absolute links on the page carry the scheme and port (seo.site_url).
    digest = hashlib.sha256(f"{scheme}:{port}{path}".encode()).hexdigest()[:32]
    return f"helpcenter:page:{tenant_id}:{generation}:{digest}"


def stored_entry(key: str) -> dict | None:
    entry = local_pages.get(key)
    if entry is None:
        entry = cache.get(key)
        if entry is not None:
            local_pages.put(key, entry)
    note_page_cache(hit=entry is not None)  # the metrics' hits and misses
    return entry


def is_cacheable_request(request: HttpRequest) -> bool:
    """Say whether the request may be answered from (and stored into) the cache."""
    return (
        request.method in ("GET", "HEAD")
        and not request.META.get("QUERY_STRING")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
    )


def _etag(content: bytes) -> str:
    return f'"{hashlib.sha256(content).hexdigest()[:32]}"'


def _public_headers(response: HttpResponse) -> None:
    patch_cache_control(
        response,
        public=True,
        max_age=MAX_AGE,
        stale_while_revalidate=STALE_WHILE_REVALIDATE,
    )


def cached_page(view):
    """Let the page of ``view`` be shared by readers (see the module docstring).

    The view may set ``response.last_modified`` (an aware datetime) to the
    time its content last changed; otherwise the render time is used.
    """

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if not is_cacheable_request(request):
            if settings.SESSION_COOKIE_NAME in request.COOKIES:
                patch_cache_control(response, private=True, no_cache=True)
            return response
        if (
            response.status_code != 200
            or response.streaming
            or response.cookies
            or response.has_header("Cache-Control")
        ):
            return response
        modified: datetime = getattr(response, "last_modified", None) or timezone.now()
        response["ETag"] = _etag(response.content)
        response["Last-Modified"] = http_date(int(modified.timestamp()))
        _public_headers(response)
        not_modified = get_conditional_response(
            request,
            etag=response["ETag"],
            last_modified=int(modified.timestamp()),
            response=response,
        )
        if not_modified is not response:
            return not_modified
        response.page_cacheable = True
        return response

    return wrapper


def stored_response(entry: dict) -> HttpResponse:
    response = HttpResponse(entry["content"])
    for name, value in entry["headers"].items():
        response[name] = value
    return response


class PageCacheMiddleware:
    """Answer cached public pages before any other work (see the module docstring).

    It runs right after ``TenantMiddleware``: a hit costs the host lookup and
    at most one cache read (none when this process served the page before),
    and no query within a second of the last read of the generation. On a
    miss the page is stored with the headers every inner middleware added
    (security headers included), so a hit sends the same response the full
    stack would have.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        tenant = getattr(request, "tenant", None)
        if tenant is None or not is_cacheable_request(request):
            return self.get_response(request)
        # The key (and so the generation) is read before the view reads any
        # content, and the page is stored under that same key.
        key = page_cache_key(request, tenant_id=tenant.pk)
        entry = stored_entry(key)
        if entry is not None:
            return self._from_cache(request, entry)
        response = self.get_response(request)
        if getattr(response, "page_cacheable", False) and not response.cookies:
            entry = {
                "content": response.content,
                "etag": response["ETag"],
                "last_modified": response["Last-Modified"],
                "headers": {
                    name: response[name]
                    for name in (
                        *STORED_HEADERS,
                        "ETag",
                        "Last-Modified",
                        "Cache-Control",
                    )
                    if response.has_header(name)
                },
            }
            cache.set(key, entry, PAGE_TIMEOUT)
            local_pages.put(key, entry)
        return response

    @staticmethod
    def _from_cache(request: HttpRequest, entry: dict) -> HttpResponse:
        response = stored_response(entry)
        return get_conditional_response(
            request,
            etag=entry["etag"],
            last_modified=parse_http_date_safe(entry["last_modified"]),
            response=response,
        )


def lookup_stored_page(request: HttpRequest, tenant_id: int) -> dict | None:
    """Return the stored page for ``request``, from this process or the cache."""
    return stored_entry(page_cache_key(request, tenant_id=tenant_id))
