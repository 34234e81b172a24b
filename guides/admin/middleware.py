"""Carry out due scheduled publishing when an editor uses the admin."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse


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
