"""Whole-page cache for the public side, with validators a CDN can honour.

A rendered page is stored under a key made of the tenant id, the tenant's
public-content generation (``guides.publishing.content_generation``, bumped on
publish, unpublish, revert, delete and branding changes), the language and the
path. Changing any of them makes a new key, so nothing is ever deleted by
hand and a stale page cannot be served after a publish.

Only anonymous ``GET``/``HEAD`` requests without a query string that answer
``200`` are stored. A request that carries a session cookie (an editor who
may be logged in) bypasses the cache and is marked private, and any query
string bypasses it too: that is how the "thank you" after feedback is shown
and how ``bench/article.py`` measures a cache miss.

A cache hit reads only the cache: no query, no template rendering.
"""

from __future__ import annotations

import functools
import hashlib
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.http.request import split_domain_port
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date

from guides.publishing import content_generation

#: Seconds a browser or CDN may reuse a page without asking again.
MAX_AGE = 60
#: Seconds a CDN may serve a stale page while it revalidates in the background.
STALE_WHILE_REVALIDATE = 600
#: Seconds a rendered page stays in the server's cache (the generation in the
#: key does the invalidation; this only bounds memory).
PAGE_TIMEOUT = 24 * 3600


def request_port(request: HttpRequest) -> str:
    """Return the port the reader asked for (from the Host header), or ""."""
    _domain, port = split_domain_port(request.get_host())
    return port


def page_cache_key(request: HttpRequest, *, tenant_id: int, language: str) -> str:
    """Return the cache key of the page at ``request.path``."""
    generation = content_generation(tenant_id)
    # Absolute links on the page carry the scheme and port (seo.site_url).
    origin = f"{request.scheme}:{request_port(request)}"
    path = hashlib.sha256(f"{origin}{request.path}".encode()).hexdigest()[:32]
    return f"helpcenter:page:{tenant_id}:{generation}:{language}:{path}"


def is_cacheable_request(request: HttpRequest) -> bool:
    """Say whether the request may be answered from (and stored into) the cache."""
    return (
        request.method in ("GET", "HEAD")
        and not request.META.get("QUERY_STRING")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
    )


def _etag(key: str, content: bytes) -> str:
    digest = hashlib.sha256(key.encode() + b"\0" + content).hexdigest()[:32]
    return f'"{digest}"'


def _public_headers(response: HttpResponse) -> None:
    patch_cache_control(
        response,
        public=True,
        max_age=MAX_AGE,
        stale_while_revalidate=STALE_WHILE_REVALIDATE,
    )


def cached_page(view):
    """Serve ``view`` through the page cache (see the module docstring).

    The view may set ``response.last_modified`` (an aware datetime) to the
    time its content last changed; otherwise the render time is used.
    """

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        tenant = request.tenant
        if not is_cacheable_request(request):
            response = view(request, *args, **kwargs)
            if settings.SESSION_COOKIE_NAME in request.COOKIES:
                patch_cache_control(response, private=True, no_cache=True)
            return response
        key = page_cache_key(
            request, tenant_id=tenant.pk, language=translation.get_language()
        )
        entry = cache.get(key)
        if entry is None:
            response = view(request, *args, **kwargs)
            if (
                response.status_code != 200
                or response.streaming
                or response.cookies
                or response.has_header("Cache-Control")
            ):
                return response
            modified: datetime = getattr(response, "last_modified", None) or timezone.now()
            entry = {
                "content": response.content,
                "content_type": response["Content-Type"],
                "etag": _etag(key, response.content),
                "last_modified": int(modified.timestamp()),
            }
            cache.set(key, entry, PAGE_TIMEOUT)
        not_modified = get_conditional_response(
            request, etag=entry["etag"], last_modified=entry["last_modified"]
        )
        if not_modified is not None:
            if not_modified.status_code == 304:
                not_modified["ETag"] = entry["etag"]
                not_modified["Last-Modified"] = http_date(entry["last_modified"])
                _public_headers(not_modified)
            return not_modified
        response = HttpResponse(entry["content"], content_type=entry["content_type"])
        response["ETag"] = entry["etag"]
        response["Last-Modified"] = http_date(entry["last_modified"])
        _public_headers(response)
        return response

    return wrapper
