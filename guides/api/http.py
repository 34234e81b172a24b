"""What every API response shares: language, rate limit, cache, ETag, CORS.

``public_read`` wraps a public operation (django-ninja's ``decorate_view``):
the client's rate limit, then the operation. Its answer is stored like a
page (``guides.cache.pages``, ``api_key``): under the tenant, its content
generation (bumped on every publish, unpublish and catalogue change, so
nothing is deleted by hand), the URL with its query string and, unless the
query names the language, ``Accept-Language``. A stored answer is sent by
``PageCacheFront`` before Django runs at all (or by ``PageCacheMiddleware``):
no query, compressed once when stored. Responses carry an ``ETag`` (304 on
``If-None-Match``), the pages' ``Cache-Control``, and
``Access-Control-Allow-Origin: *`` (``guides.api.middleware`` answers
preflights and HEAD).

The rate limit counts the requests that reach an operation: misses and
anything not stored (search, the editor API). A stored answer is not
counted, wherever it is answered: it costs what a stored page costs, and
pages have no limit. The limit protects the database and the renderer from
one client; a client repeating a stored URL costs neither, and one that
varies the query string to avoid the cache is counted on every request.
"""

from __future__ import annotations

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
from guides.cache.pages import MAX_AGE, STALE_WHILE_REVALIDATE
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


def public_read(*, store: bool = True):
    """Wrap a public operation's view (see the module docstring).

    ``store=False`` (search, which logs each query) keeps the ETag and CORS
    but asks clients to revalidate and stores nothing.
    """

    def decorator(run):
        @functools.wraps(run)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            # Stored answers never get here (PageCacheMiddleware and the WSGI
            # front answer them first): what is counted is the work.
            limited = rate_limited(request)
            if limited is not None:
                return limited
            try:
                language = request_language(request)
            except Problem as exc:
                response = problem_response(exc.status, exc.detail, **exc.extra)
                allow_any_origin(response)
                return response
            response = run(request, *args, **kwargs)
            allow_any_origin(response)
            patch_vary_headers(response, ("Accept-Language",))
            if response.status_code != 200:
                return response
            response["ETag"] = body_etag(response.content)
            response["Content-Language"] = language
            if store:
                patch_cache_control(
                    response,
                    public=True,
                    max_age=MAX_AGE,
                    stale_while_revalidate=STALE_WHILE_REVALIDATE,
                )
            else:
                patch_cache_control(response, no_cache=True)
            answer = get_conditional_response(
                request, etag=response["ETag"], response=response
            )
            if store and answer is response:
                # Stored by PageCacheMiddleware under guides.cache.pages.api_key,
                # with every header the stack adds, unless the request may not
                # be (a token or a session: is_cacheable_api_request).
                response.page_cacheable = True
            return answer

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
