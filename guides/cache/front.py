"""Answer stored public pages in front of Django's WSGI handler."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.core.handlers.wsgi import WSGIRequest
from django.http.request import split_domain_port, validate_host

from guides.cache.pages import (
    API_PREFIX,
    PageCacheMiddleware,
    api_cache_key,
    api_key,
    entry_encoding,
    is_api_request,
    is_cacheable_api_request,
    is_cacheable_request,
    lookup_stored_page,
    page_key,
    stored_entry,
    stored_response,
)

logger = logging.getLogger(__name__)

#: Environ values Django encodes back to bytes as latin-1 (PEP 3333): the
#: path while it builds its request, outside any error handling of its own,
#: the query string and cookies when a view or middleware first reads them.
LATIN_1_KEYS = ("PATH_INFO", "SCRIPT_NAME", "QUERY_STRING", "HTTP_COOKIE")

BAD_REQUEST = (
    "400 Bad Request",
    [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", "12")],
    [b"Bad Request\n"],
)


def is_latin_1(environ) -> bool:
    """Say whether the values Django re-encodes are latin-1 strings, as PEP 3333
    requires (a server that passes decoded UTF-8 breaks Django's request)."""
    for key in LATIN_1_KEYS:
        value = environ.get(key)
        if value is not None:
            try:
                value.encode("latin-1")
            except (AttributeError, UnicodeEncodeError):
                return False
    return True


def django_request(environ) -> WSGIRequest:
    """Return Django's request for ``environ`` without changing ``environ``.

    Building a ``WSGIRequest`` rewrites ``PATH_INFO`` and ``SCRIPT_NAME`` in
    the dict it is given (decoded from latin-1 to text); Django's handler,
    given the same dict afterwards, could no longer encode them back.
    """
    return WSGIRequest(environ.copy())


def front_key_parts(environ) -> tuple[str, str, str, str] | None:
    """Return ``(host, scheme, port, path)`` as Django's request would see them.

    Read straight from the WSGI environ, for the common case only: no script
    prefix, no forwarded host or port, a plain ASCII path (where Django's
    decoding of ``PATH_INFO`` changes nothing). Anything else returns None
    and ``PageCacheFront`` builds Django's request instead, so the key is
    always the one ``PageCacheMiddleware`` stored the page under.
    """
    path = environ.get("PATH_INFO", "")
    if (
        environ.get("SCRIPT_NAME")
        or environ.get("SCRIPT_URL")
        or environ.get("REDIRECT_URL")
        or settings.FORCE_SCRIPT_NAME is not None
        or settings.USE_X_FORWARDED_HOST
        or settings.USE_X_FORWARDED_PORT
        or not path.startswith("/")
        or not path.isascii()
        or "%" in path
        or not path.isprintable()
    ):
        return None
    scheme = environ.get("wsgi.url_scheme", "http")
    if settings.SECURE_PROXY_SSL_HEADER:
        header, secure_value = settings.SECURE_PROXY_SSL_HEADER
        value = environ.get(header)
        if value is not None:
            value, *_rest = value.split(",", 1)
            scheme = "https" if value.strip() == secure_value else "http"
    host = environ.get("HTTP_HOST")
    if not host:
        host = environ.get("SERVER_NAME", "")
        server_port = str(environ.get("SERVER_PORT", ""))
        if server_port != ("443" if scheme == "https" else "80"):
            host = f"{host}:{server_port}"
    domain, port = split_domain_port(host)
    if not domain or not validate_host(domain, settings.ALLOWED_HOSTS):
        return None
    return host, scheme, port, path


class PageCacheFront:
    """Answer stored public pages in front of Django's WSGI handler.

    A stored page was produced by the whole stack (every middleware's headers
    are stored with it), so answering it here sends what ``PageCacheMiddleware``
    would have sent, without building the handler's request, running the
    middleware chain or sending the request signals: on a two-core machine
    that is the difference between a cache hit costing a third of a
    millisecond and a tenth (docs/PERFORMANCE.md).

    It answers only what it can answer exactly: an anonymous ``GET``/``HEAD``
    without a query string (or, for the public API, with any query string and
    no ``Authorization``), on a host that names a tenant, for a path stored
    under the same key the middleware uses. A stored API answer is not
    counted against its client's rate limit, as no stored page is: the limit
    bounds the work a client makes the application do (guides.api.http). Anything else (unknown hosts,
    sessions, a page not stored yet, a host Django would refuse) is passed to
    the wrapped application untouched: the front never changes the environ
    it passes on, and a fault of its own (the cache, the database) only
    means Django answers instead. The one request it answers itself without
    a stored page is one Django cannot read: a path or query string that is
    not latin-1, as no PEP 3333 server sends, gets a 400.
    """

    def __init__(self, application):
        self.application = application

    def __call__(self, environ, start_response):
        if not is_latin_1(environ):
            answer = BAD_REQUEST
        else:
            try:
                answer = self.stored_answer(environ)
            except Exception:
                # An optimisation only: Django answers (and reports) instead.
                logger.warning("The page cache front passed on a fault", exc_info=True)
                answer = None
        if answer is None:
            return self.application(environ, start_response)
        status, headers, body = answer
        start_response(status, list(headers))
        return body

    @staticmethod
    def stored_answer(environ) -> tuple[str, list, list[bytes]] | None:
        """Return ``(status, headers, body)`` for a stored answer, else None."""
        from guides.tenancy.resolver import tenant_key_for_host

        method = environ.get("REQUEST_METHOD")
        if method not in ("GET", "HEAD"):
            return None
        # The public API's answers are stored per query string too; a token
        # (Authorization) is never answered here: Django decides, and the
        # editor API's answers are never stored.
        api = environ.get("PATH_INFO", "").startswith(API_PREFIX)
        if api:
            if "HTTP_AUTHORIZATION" in environ:
                return None
        elif environ.get("QUERY_STRING"):
            return None
        cookies = environ.get("HTTP_COOKIE")
        if cookies and settings.SESSION_COOKIE_NAME in cookies:
            return None  # Possibly signed in: Django decides (see cached_page).
        # The same host expression as TenantMiddleware.
        found = tenant_key_for_host(
            environ.get("HTTP_HOST") or environ.get("SERVER_NAME", "")
        )
        if found is None:
            return None
        tenant_id, tenancy = found
        parts = front_key_parts(environ)
        request = None
        if parts is not None:
            _host, scheme, port, path = parts
            if api:
                key = api_key(
                    tenant_id,
                    scheme,
                    port,
                    path,
                    environ.get("QUERY_STRING", ""),
                    environ.get("HTTP_ACCEPT_LANGUAGE", ""),
                )
            else:
                key = page_key(tenant_id, scheme, port, path, tenancy)
            entry = stored_entry(key)
        else:
            request = django_request(environ)
            try:
                if is_api_request(request):
                    if not is_cacheable_api_request(request):
                        return None
                    entry = stored_entry(api_cache_key(request, tenant_id=tenant_id))
                else:
                    if not is_cacheable_request(request):
                        return None
                    entry = lookup_stored_page(request, tenant_id, tenancy)
            except DisallowedHost:
                return None  # Django answers it (400) as it would without this.
        if entry is None:
            return None
        head = method == "HEAD"
        if "HTTP_IF_NONE_MATCH" in environ or "HTTP_IF_MODIFIED_SINCE" in environ:
            request = request or django_request(environ)
            response = PageCacheMiddleware._from_cache(request, entry)
            return (
                f"{response.status_code} {response.reason_phrase}",
                list(response.items()),
                [] if head else [response.content],
            )
        # The unconditional answer is the same every time: its header list
        # is built once per encoding (from the response the middleware would
        # send) and kept with this process's copy of the page; the body is
        # the variant compressed when the page was stored, never per hit.
        encoding = entry_encoding(entry, environ.get("HTTP_ACCEPT_ENCODING"))
        built = entry.get("wsgi_headers")
        if built is None:
            built = entry["wsgi_headers"] = {}
        headers = built.get(encoding)
        if headers is None:
            headers = built[encoding] = list(stored_response(entry, encoding).items())
        if head:
            return "200 OK", headers, []
        body = entry["variants"][encoding]["content"] if encoding else entry["content"]
        return "200 OK", headers, [body]
