"""WSGI entry point (gunicorn helpcenter.wsgi).

A server must name its settings (DJANGO_SETTINGS_MODULE): there is no
silent fallback to development settings (guides.operations.startup).
``manage.py runserver`` sets the development default before it gets here.
"""

from guides.operations.startup import require_named_settings

require_named_settings("helpcenter.wsgi")

from django.core.wsgi import get_wsgi_application  # noqa: E402

django_application = get_wsgi_application()

# Stored public pages are answered before Django's handler (guides.cache);
# probes, metrics, request ids and the access log before both
# (guides.operations.front).
from guides.cache.front import PageCacheFront  # noqa: E402  (needs apps loaded)
from guides.operations.front import OperationsFront  # noqa: E402

application = OperationsFront(PageCacheFront(django_application))
