"""HTTP details the public pages share: validators, cache lifetimes, Vary.

Every public answer says deliberately how long it may be reused and by whom:

- a page (``guides.cache.pages.cached_page``): ``public, max-age=60`` with
  ``stale-while-revalidate``, an ``ETag`` of its bytes and a
  ``Last-Modified`` taken from its content (``newest``), never from the
  clock, so every worker sends the same validators for the same page;
- a 404 (unknown path, unknown host, another tenant's object, a page number
  past the end): ``public, max-age=60`` (``NOT_FOUND_CACHE_CONTROL``). The
  answer is the same for every reader, and a page published at that address
  replaces it within the same minute a cached page would be replaced;
- a permanent redirect that depends on the path only (a missing trailing
  slash, ``/page/1/``): ``public, max-age=3600``
  (``PERMANENT_REDIRECT_CACHE_CONTROL``): an hour, not forever, so an
  address can still be given back to a page;
- a redirect that depends on the reader (the language chosen from
  ``Accept-Language`` or the language cookie): ``private, max-age=0``
  with ``Vary`` on what it read; a shared cache must not send one reader's
  language to the next.

An article asked for in a language it is not published in is a 404 notice
that links the languages it exists in (``views.missing_translation``), with
the 404's ``Cache-Control``.

``Vary`` is exact: public pages carry the language in the path and vary on
nothing a reader sends. Django's ``LocaleMiddleware`` adds
``Accept-Language`` to every answer outside the language prefixes
(``/sitemap.xml``, ``/robots.txt``, ``/llms.txt``) although none of them
reads it; ``PublicHttpMiddleware`` takes it off those that say so
(``fixed_vary``).
"""

from __future__ import annotations

import re
from datetime import datetime

from django.http import Http404, HttpRequest, HttpResponse
from django.http import HttpResponsePermanentRedirect as _PermanentRedirect
from django.utils.cache import has_vary_header, patch_cache_control
from django.utils.translation import gettext as _

#: A 404 is the same for every reader; see the module docstring.
NOT_FOUND_CACHE_CONTROL = "public, max-age=60"

#: A redirect that depends on the path only; see the module docstring.
PERMANENT_REDIRECT_CACHE_CONTROL = "public, max-age=3600"

#: A redirect that depends on the reader's headers or cookies.
READER_REDIRECT_CACHE_CONTROL = "private, max-age=0"

_PAGE_NUMBER = re.compile(r"[1-9][0-9]{0,5}")


def newest(*moments: datetime | None) -> datetime | None:
    """Return the latest of ``moments`` (None ones ignored): a Last-Modified."""
    return max((moment for moment in moments if moment is not None), default=None)


def page_number(raw: str | None) -> int:
    """Return the page number of a ``.../page/<n>/`` path (1 without one).

    Anything but a plain positive number (``0``, ``01``, ``-1``, ``2.0``,
    ``x``, a seven-digit number) is a 404: each page has one address.
    """
    if raw is None:
        return 1
    if not _PAGE_NUMBER.fullmatch(raw):
        raise Http404(_("No such page."))
    return int(raw)


def permanent_redirect(url: str) -> HttpResponse:
    """Return a 301 to ``url`` that a shared cache may keep for an hour."""
    response = _PermanentRedirect(url)
    response["Cache-Control"] = PERMANENT_REDIRECT_CACHE_CONTROL
    return response


def not_found(response: HttpResponse) -> HttpResponse:
    """Give a 404 its ``Cache-Control`` (see the module docstring)."""
    response["Cache-Control"] = NOT_FOUND_CACHE_CONTROL
    return response


def fixed_vary(response: HttpResponse, *headers: str) -> HttpResponse:
    """Say that ``response`` varies on ``headers`` and nothing else.

    ``PublicHttpMiddleware`` puts the ``Vary`` header back to exactly this
    once the middleware inside it (``LocaleMiddleware``) has added its own.
    """
    response.fixed_vary = headers
    return response


class PublicHttpMiddleware:
    """Give the answers Django's middleware makes a deliberate Cache-Control.

    It sits right outside ``LocaleMiddleware`` and ``CommonMiddleware``, so
    it sees their redirects (language, trailing slash) and every 404:

    - a 404 without ``Cache-Control`` gets ``NOT_FOUND_CACHE_CONTROL``;
    - a redirect without one gets ``READER_REDIRECT_CACHE_CONTROL`` when it
      varies on ``Accept-Language`` or ``Cookie`` (``LocaleMiddleware``'s
      choice of language), else ``PERMANENT_REDIRECT_CACHE_CONTROL`` when it
      is permanent (``CommonMiddleware``'s trailing slash);
    - a response marked with ``fixed_vary`` gets exactly that ``Vary``.

    Only answers on a tenant host: the admin and the API set their own.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if getattr(request, "tenant", None) is None or _is_private_area(request):
            return response
        fixed = getattr(response, "fixed_vary", None)
        if fixed is not None:
            if fixed:
                response["Vary"] = ", ".join(fixed)
            elif response.has_header("Vary"):
                del response["Vary"]
        if response.has_header("Cache-Control"):
            return response
        status = response.status_code
        if status == 404:
            response["Cache-Control"] = NOT_FOUND_CACHE_CONTROL
        elif status in (301, 302, 303, 307, 308):
            if has_vary_header(response, "Accept-Language") or has_vary_header(
                response, "Cookie"
            ):
                patch_cache_control(response, private=True, max_age=0)
            elif status in (301, 308):
                response["Cache-Control"] = PERMANENT_REDIRECT_CACHE_CONTROL
        return response


def _is_private_area(request: HttpRequest) -> bool:
    return request.path.startswith(("/admin/", "/api/"))
