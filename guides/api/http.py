"""What every API response shares: language, rate limit, cache, ETag, CORS.

``public_read`` wraps a public operation (django-ninja's ``decorate_view``):
the client's rate limit first, then the stored response, then the operation.
A response is stored under the tenant, its content generation (bumped on
every publish, unpublish and catalogue change, so nothing is deleted by
hand), the language, and the URL with its query string, in the same caches
as the pages (``guides.cache.pages``): a hit runs no query. Responses carry
an ``ETag`` (304 on ``If-None-Match``), the pages' ``Cache-Control``, and
``Access-Control-Allow-Origin: *``.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import math
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.cache import (
    get_conditional_response,
    patch_cache_control,
    patch_vary_headers,
)
from django.utils.translation import gettext as _

from guides.api.errors import Problem, problem_response
from guides.cache.generations import content_generation
from guides.cache.pages import (
    MAX_AGE,
    PAGE_TIMEOUT,
    STALE_WHILE_REVALIDATE,
    local_pages,
    request_port,
    stored_entry,
)
from guides.operations.clients import client_address
from guides.public.views import best_language
from guides.search.searching import client_key

#: Requests one client may make per window, and the window in seconds
#: (``HELPCENTER_API_RATE_LIMIT`` overrides both).
RATE_LIMIT = (300, 60)

#: Headers a browser script on another origin may read.
EXPOSED_HEADERS = "ETag, Retry-After, Content-Language"


def request_language(request: HttpRequest) -> str:
    """Return the language asked for: ``?lang=``, else Accept-Language.

    Only the tenant's languages are served: any other ``lang`` is a 404.
    """
    cached = getattr(request, "_api_language", None)
    if cached is not None:
        return cached
    tenant = request.tenant
    asked = request.GET.get("lang")
    if asked is not None:
        if asked not in tenant.languages:
            raise Problem(
                404,
                _("This help center is not available in that language."),
                languages=tenant.ordered_languages(),
            )
        language = asked
    else:
        language = best_language(request, tenant)
    request._api_language = language
    return language


def rate_limited(request: HttpRequest) -> HttpResponse | None:
    """Count the request against its client's window; return a 429 when over.

    The counter lives in the shared cache, so every worker counts together.
    A cache fault lets the request through: the limit degrades, never the API.
    """
    limit, window = getattr(settings, "HELPCENTER_API_RATE_LIMIT", RATE_LIMIT)
    now = time.time()
    start = int(now // window) * window
    key = f"helpcenter:api:rate:{client_key(client_address(request))}:{start}"
    try:
        cache.add(key, 0, window + 1)
        count = cache.incr(key)
    except Exception:
        return None
    if count <= limit:
        return None
    retry_after = max(1, math.ceil(start + window - now))
    response = problem_response(
        429,
        _("Too many requests from this client; retry after %(seconds)s seconds.")
        % {"seconds": retry_after},
        headers={"Retry-After": str(retry_after)},
    )
    allow_any_origin(response)
    return response


def allow_any_origin(response: HttpResponse) -> None:
    """Let scripts on any origin read the response (public data, no cookies)."""
    response["Access-Control-Allow-Origin"] = "*"
    response["Access-Control-Expose-Headers"] = EXPOSED_HEADERS


def body_etag(content: bytes) -> str:
    return f'"{hashlib.sha256(content).hexdigest()[:32]}"'


def _response_key(request: HttpRequest, language: str) -> str:
    tenant_id = request.tenant.pk
    generation = content_generation(tenant_id)
    # Absolute links in the body carry the scheme and port (seo.site_url).
    address = (
        f"{request.scheme}:{request_port(request)}{request.path}"
        f"?{request.META.get('QUERY_STRING', '')}"
    )
    digest = hashlib.sha256(address.encode("utf-8", "surrogatepass")).hexdigest()
    return f"helpcenter:api:{tenant_id}:{generation}:{language}:{digest[:32]}"


def _stored(key: str) -> dict | None:
    try:
        return stored_entry(key)
    except Exception:
        return None


def _store(key: str, entry: dict) -> None:
    local_pages.put(key, entry)
    # A cache fault: the response is served, only not stored.
    with contextlib.suppress(Exception):
        cache.set(key, entry, PAGE_TIMEOUT)


def public_read(*, store: bool = True):
    """Wrap a public operation's view (see the module docstring).

    ``store=False`` (search, which logs each query) keeps the ETag and CORS
    but asks clients to revalidate and stores nothing.
    """

    def decorator(run):
        @functools.wraps(run)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            limited = rate_limited(request)
            if limited is not None:
                return limited
            try:
                language = request_language(request)
            except Problem as exc:
                response = problem_response(exc.status, exc.detail, **exc.extra)
                allow_any_origin(response)
                return response
            key = _response_key(request, language) if store else None
            entry = _stored(key) if key else None
            if entry is not None:
                response = HttpResponse(
                    entry["content"], content_type=entry["content_type"]
                )
                response["ETag"] = entry["etag"]
                response["Content-Language"] = language
            else:
                response = run(request, *args, **kwargs)
                if response.status_code == 200:
                    response["ETag"] = body_etag(response.content)
                    response["Content-Language"] = language
                    if key:
                        _store(
                            key,
                            {
                                "content": response.content,
                                "content_type": response["Content-Type"],
                                "etag": response["ETag"],
                            },
                        )
            allow_any_origin(response)
            patch_vary_headers(response, ("Accept-Language",))
            if response.status_code != 200:
                return response
            if store:
                patch_cache_control(
                    response,
                    public=True,
                    max_age=MAX_AGE,
                    stale_while_revalidate=STALE_WHILE_REVALIDATE,
                )
            else:
                patch_cache_control(response, no_cache=True)
            return get_conditional_response(
                request, etag=response["ETag"], response=response
            )

        return wrapper

    return decorator


def editor_call(run):
    """Wrap an editor operation's view: rate limit, never stored by anyone."""

    @functools.wraps(run)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        limited = rate_limited(request)
        if limited is not None:
            return limited
        response = run(request, *args, **kwargs)
        patch_cache_control(response, private=True, no_store=True)
        patch_vary_headers(response, ("Authorization",))
        return response

    return wrapper
