"""Refuse to serve with settings nobody chose or a secret anybody knows.

``helpcenter/wsgi.py`` and ``helpcenter/asgi.py`` call ``require_named_settings``
before loading Django: a server (gunicorn, uvicorn, any WSGI/ASGI host) must
be told its settings module; it no longer falls back to development settings
in silence. ``manage.py`` keeps its development default (``make run`` and
``make test`` need nothing set). Once the settings are loaded, every entry
point calls ``require_real_secret_key`` (``GuidesConfig.ready``): with
``DEBUG`` off, only the development settings modules may run with the
development key, and every other module (production's, or a site's own
module built on it) needs a real one.
"""

from __future__ import annotations

import os

from django.core.exceptions import ImproperlyConfigured

#: The settings modules that may run with the development secret key.
DEVELOPMENT_SETTINGS = frozenset(
    {"helpcenter.settings.base", "helpcenter.settings.test"}
)

#: A real key is at least this long (Django's deploy check asks the same).
SECRET_KEY_MIN_LENGTH = 50


def require_named_settings(entry: str, environ=None) -> None:
    """Raise unless ``DJANGO_SETTINGS_MODULE`` is set for the server ``entry``."""
    environ = os.environ if environ is None else environ
    if not environ.get("DJANGO_SETTINGS_MODULE"):
        raise ImproperlyConfigured(
            f"{entry} will not start without DJANGO_SETTINGS_MODULE: set it to "
            "helpcenter.settings.production (with SECRET_KEY) to deploy, or to "
            "helpcenter.settings.base for a development server."
        )


def is_real_secret_key(key: str) -> bool:
    """Say whether ``key`` is neither the development key nor a short one."""
    from helpcenter.settings.base import DEV_SECRET_KEY

    return (
        key != DEV_SECRET_KEY
        and not key.startswith("django-insecure")
        and len(key) >= SECRET_KEY_MIN_LENGTH
        and len(set(key)) >= 5
    )


def require_real_secret_key(settings=None) -> None:
    """Raise if a non-development settings module runs without a real key."""
    if settings is None:
        from django.conf import settings
    if settings.DEBUG or settings.SETTINGS_MODULE in DEVELOPMENT_SETTINGS:
        return
    if not is_real_secret_key(settings.SECRET_KEY):
        raise ImproperlyConfigured(
            f"{settings.SETTINGS_MODULE} runs with DEBUG off: set SECRET_KEY to a "
            f"random string of at least {SECRET_KEY_MIN_LENGTH} characters "
            "(not the development key)."
        )
