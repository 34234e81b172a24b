"""WSGI entry point (gunicorn helpcenter.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helpcenter.settings.base")
django_application = get_wsgi_application()

# Stored public pages are answered before Django's handler (guides.cache).
from guides.cache.front import PageCacheFront  # noqa: E402  (needs apps loaded)

application = PageCacheFront(django_application)
