"""Find the tenant for each request from its host name."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.utils import translation
from django.utils.translation import gettext as _

from guides.resolver import tenant_for_host
from guides.tenancy import activate_tenant, deactivate_tenant


def unknown_host_response(request: HttpRequest) -> HttpResponse:
    """Return a plain 404 page that names no tenant and reads no tenant data."""
    with translation.override("en"):
        body = loader.render_to_string(
            "guides/unknown_host.html",
            {"title": _("Help center not found")},
        )
    return HttpResponse(body, status=404)


class TenantMiddleware:
    """Enter the tenant of the request's host for the whole request.

    This runs first: a host that no tenant domain names is answered with a
    404 page before any other code reads the host, so ``ALLOWED_HOSTS = ["*"]``
    admits tenant domains and nothing else.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        host = request.META.get("HTTP_HOST") or request.META.get("SERVER_NAME", "")
        tenant = tenant_for_host(host)
        if tenant is None:
            return unknown_host_response(request)
        request.tenant = tenant
        token = activate_tenant(tenant)
        try:
            return self.get_response(request)
        finally:
            deactivate_tenant(token)


class ScheduledPublishingMiddleware:
    """Carry out due scheduled publishing when an editor uses the admin.

    ``manage.py publish_due`` from cron is the main way; this covers sites
    without cron, at most once a minute per tenant (the cache throttles it),
    so a reviewer who scheduled something sees it done on their next click.
    """

    THROTTLE_SECONDS = 60

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        tenant = getattr(request, "tenant", None)
        if tenant is not None and request.path.startswith("/admin/"):
            from django.core.cache import cache

            from guides.services import publish_due

            key = f"helpcenter:publish-due:{tenant.pk}"
            if cache.add(key, 1, timeout=self.THROTTLE_SECONDS):
                publish_due(tenant=tenant)
        return self.get_response(request)
