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


class AdminErrorPageMiddleware:
    """Answer a refusal or a missing page in the admin with the admin's look.

    Editors get Django's bare "403 Forbidden" otherwise (a delete they may
    not do), or the public site's 404 page. The page says what happened and
    links back; it never says whether another help center has the object
    (the messages of the 404s are not shown: they name what was looked up).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception):
        from django.contrib import admin
        from django.core.exceptions import PermissionDenied
        from django.http import Http404
        from django.template.response import TemplateResponse
        from django.utils.translation import gettext as _

        if not request.path.startswith("/admin/"):
            return None
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if isinstance(exception, PermissionDenied):
            status, title = 403, _("You may not do this")
        elif isinstance(exception, Http404):
            status, title = 404, _("Page not found")
        else:
            return None
        context = {
            **admin.site.each_context(request),
            "title": title,
            "status": status,
        }
        response = TemplateResponse(
            request, "admin/guides/error.html", context, status=status
        )
        return response.render()
