"""Find the tenant for each request from its host name."""

from __future__ import annotations

from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.utils import translation
from django.utils.translation import gettext as _

from guides.tenancy import activate_tenant, deactivate_tenant
from guides.tenancy.resolver import tenant_for_host


def unknown_host_response(request: HttpRequest) -> HttpResponse:
    """Return a plain 404 page that names no tenant and reads no tenant data."""
    with translation.override("en"):
        body = loader.render_to_string(
            "guides/unknown_host.html",
            {"title": _("Help center not found")},
        )
    response = HttpResponse(body, status=404)
    # The same for every reader; a host added to a tenant answers within a
    # minute (guides.public.http.NOT_FOUND_CACHE_CONTROL, not imported here:
    # tenancy sits below public).
    response["Cache-Control"] = "public, max-age=60"
    return response


class NulInPath(SuspiciousOperation):
    """A path held a NUL character (answered 400)."""


class TenantMiddleware:
    """Enter the tenant of the request's host for the whole request.

    This runs first: a host that no tenant domain names is answered with a
    404 page before any other code reads the host, so ``ALLOWED_HOSTS = ["*"]``
    admits tenant domains and nothing else. A path with a NUL in it is
    answered 400: no slug, id or name holds one, and PostgreSQL refuses a
    NUL in any text a view would look up (a 500 otherwise).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        host = request.META.get("HTTP_HOST") or request.META.get("SERVER_NAME", "")
        tenant = tenant_for_host(host)
        if tenant is None:
            return unknown_host_response(request)
        if "\x00" in request.path:
            raise NulInPath("The path holds a NUL character.")
        request.tenant = tenant
        token = activate_tenant(tenant)
        try:
            return self.get_response(request)
        finally:
            deactivate_tenant(token)
