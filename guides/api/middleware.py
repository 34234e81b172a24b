"""HTTP around every ``/api/v1/`` URL: HEAD, CORS preflight and CORS headers.

django-ninja answers only the methods an operation names, so ``HEAD`` and
``OPTIONS`` would be 405. This middleware, right after ``TenantMiddleware``
(an unknown host stays a plain 404) and outside ``PageCacheMiddleware``:

- runs a ``HEAD`` as the ``GET`` it stands for and sends its headers
  (Content-Length, ETag, Cache-Control, CORS) without the body; a stored
  answer is stored with its body, as for a ``GET``. The search operation
  does not log a ``HEAD`` (``is_head``);
- answers ``OPTIONS`` (a CORS preflight or not) with 204 and what the URL
  allows: ``Allow`` and ``Access-Control-Allow-Methods`` (the URL's methods,
  with HEAD and OPTIONS), ``Access-Control-Allow-Headers`` and
  ``Access-Control-Max-Age``; a path that names no resource is a 404 problem;
- gives every API response ``Access-Control-Allow-Origin: *`` and the
  headers a script may read.

The policy (docs/API.md): any origin may call the whole API, the editor API
included, because no request is authenticated by something a browser adds
on its own. The public API needs no credentials; the editor API takes a
bearer token in ``Authorization``, which a page on another origin only has
if its user pasted it there, and cookies are never accepted
(``Access-Control-Allow-Credentials`` is never sent, and the token
authentication ignores the session). A preflight therefore allows
``Authorization`` (the token), ``If-Match`` (optimistic locking) and
``Content-Type`` (JSON bodies) besides ``Accept-Language`` and the
conditional headers of reads.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _

from guides.api.errors import problem_response
from guides.api.http import allow_any_origin
from guides.cache.pages import API_PREFIX

#: Request headers a script on another origin may send.
ALLOWED_HEADERS = (
    "Accept, Accept-Language, Authorization, Content-Type, If-Match, "
    "If-None-Match, If-Modified-Since"
)

#: Seconds a browser may reuse a preflight's answer (browsers cap it lower:
#: Chromium at two hours).
MAX_AGE = 86400

#: The methods of a URL that is not a django-ninja operation (the schema, docs).
READ_METHODS = ("GET",)

_METHOD_ORDER = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")

#: Each route's methods, found once per process (routes do not change).
_route_methods: dict[str, str] = {}


def is_head(request: HttpRequest) -> bool:
    """Say whether ``request`` was a ``HEAD`` run as a ``GET`` here."""
    return getattr(request, "api_head", False)


def allowed_methods(request: HttpRequest) -> str | None:
    """Return the ``Allow`` value of the request's URL, or None for no resource."""
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return None
    if match.url_name == "api_not_found":
        return None
    known = _route_methods.get(match.route)
    if known is not None:
        return known
    methods = set(READ_METHODS)
    if getattr(match.func, "csrf_exempt", False) and match.func.__name__.endswith(
        "view_wrapper"
    ):
        # A django-ninja path: asked with a method it has no operation for,
        # it answers 405 with its methods in Allow, running nothing else.
        probe_method, request.method = request.method, "OPTIONS"
        try:
            probe = match.func(request, *match.args, **match.kwargs)
        finally:
            request.method = probe_method
        if probe.status_code == 405 and probe.has_header("Allow"):
            methods = {m.strip().upper() for m in probe["Allow"].split(",")}
    if "GET" in methods:
        methods.add("HEAD")
    methods.add("OPTIONS")
    value = ", ".join(m for m in _METHOD_ORDER if m in methods)
    _route_methods[match.route] = value
    return value


class ApiHttpMiddleware:
    """HEAD, OPTIONS and CORS headers for the API (see the module docstring)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path_info.startswith(API_PREFIX):
            return self.get_response(request)
        if request.method == "OPTIONS":
            return self.options(request)
        head = request.method == "HEAD"
        if head:
            request.method = "GET"
            request.api_head = True
        response = self.get_response(request)
        if not response.has_header("Access-Control-Allow-Origin"):
            allow_any_origin(response)
        if head:
            request.method = "HEAD"
            if not response.streaming:
                length = len(response.content)
                response.content = b""
                if not response.has_header("Content-Length"):
                    response["Content-Length"] = str(length)
        return response

    @staticmethod
    def options(request: HttpRequest) -> HttpResponse:
        methods = allowed_methods(request)
        if methods is None:
            response = problem_response(404, _("No such resource in this help center."))
            allow_any_origin(response)
            return response
        response = HttpResponse(status=204)
        response["Allow"] = methods
        response["Access-Control-Allow-Origin"] = "*"
        response["Access-Control-Allow-Methods"] = methods
        response["Access-Control-Allow-Headers"] = ALLOWED_HEADERS
        response["Access-Control-Max-Age"] = str(MAX_AGE)
        return response
