"""ASGI entry point.

A server must name its settings (DJANGO_SETTINGS_MODULE): there is no
silent fallback to development settings (guides.operations.startup). The
probes, metrics and access log of ``guides.operations.front`` are WSGI only:
serve with gunicorn (docs/OPERATIONS.md).
"""

from guides.operations.startup import require_named_settings

require_named_settings("helpcenter.asgi")

from django.core.asgi import get_asgi_application  # noqa: E402

application = get_asgi_application()
