"""``/favicon.ico`` on every tenant host: the tenant's icon, else the default.

Browsers (and Lighthouse) ask every host for ``/favicon.ico`` whatever the
page links. The answer:

- the tenant's ``favicon`` under ``/static/``: that file, 200;
- the tenant's ``favicon`` at an https address: a 302 to it (the icon lives
  on another host; pages link it directly, so only a browser guessing the
  path follows the redirect);
- otherwise the project's default icon (``static/guides/favicon.ico``), 200.

An icon file is read once per process. A 200 is an ordinary public page for
the cache (``cached_page``): stored under the tenant's content generation,
which a settings change bumps, and answered by the WSGI front after that.
"""

from __future__ import annotations

import functools
import mimetypes
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from guides.cache.pages import cached_page

#: The project's icon, under the static folders.
DEFAULT_ICON = "guides/favicon.ico"

TYPES = {".ico": "image/x-icon", ".png": "image/png", ".svg": "image/svg+xml"}


@functools.lru_cache(maxsize=64)
def icon_file(name: str) -> tuple[bytes, str] | None:
    """Return the bytes and type of the static file ``name``, or None."""
    if Path(name).suffix.lower() not in TYPES or ".." in Path(name).parts:
        return None
    found = finders.find(name)
    if not found:
        try:
            found = staticfiles_storage.path(name)
        except NotImplementedError:
            return None
    path = Path(found)
    if not path.is_file():
        return None
    kind = TYPES.get(path.suffix.lower()) or mimetypes.guess_type(path.name)[0]
    return path.read_bytes(), kind


@require_safe
@cached_page
def favicon(request: HttpRequest) -> HttpResponse:
    """Answer ``/favicon.ico`` (see the module docstring)."""
    own = (request.tenant.favicon or "").strip()
    if own.startswith("https://"):
        response = HttpResponseRedirect(own)
        patch_cache_control(response, public=True, max_age=3600)
        return response
    found = None
    if own.startswith(settings.STATIC_URL):
        found = icon_file(own.removeprefix(settings.STATIC_URL))
    found = found or icon_file(DEFAULT_ICON)
    if found is None:  # a checkout without its static folder
        return HttpResponse(status=404)
    content, kind = found
    return HttpResponse(content, content_type=kind)
