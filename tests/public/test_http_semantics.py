"""HTTP on every public URL: HEAD, validators, Cache-Control and Vary.

Requests go through ``helpcenter.wsgi.application`` as a WSGI server calls
it (the operations front, the page-cache front, then Django), so a stored
page answered before Django is held to the same rules as a fresh render.

``Vary`` is compared without ``Accept-Encoding``: compression (issue 14,
another branch) adds it wherever it compresses, which this module cannot
know; everything else in ``Vary`` is exact.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.test import RequestFactory
from django.utils import timezone

from guides.cache import generations
from guides.cache.pages import local_pages
from guides.public import http
from guides.selectors import public as selectors
from guides.tenancy import tenant_context
from tests.factories import make_article, make_card_type, make_carrier

pytestmark = pytest.mark.django_db

A = "alpha.test"
PAGE = "public, max-age=60, stale-while-revalidate=600"
NO_STORE = "max-age=0, no-cache, no-store, must-revalidate, private"

#: Headers that differ between two answers by design: the request id, and
#: the ``Expires`` (the time of the answer) that ``never_cache`` gives the
#: search page besides its ``max-age=0``.
PER_REQUEST = {"x-request-id", "expires"}


# name: (path, host, status, Cache-Control, Vary without Accept-Encoding)
URLS = {
    "root language redirect": ("/", A, 302, http.READER_REDIRECT_CACHE_CONTROL,
                               {"accept-language"}),
    "home": ("/en/", A, 200, PAGE, set()),
    "home, default language": ("/zh-hans/", A, 200, PAGE, set()),
    "carrier": ("/en/carriers/china-mobile/", A, 200, PAGE, set()),
    "carrier, page 2": ("/en/carriers/china-mobile/page/2/", A, 200, PAGE, set()),
    "card type": ("/en/cards/esim/", A, 200, PAGE, set()),
    "card type, page 2": ("/en/cards/esim/page/2/", A, 200, PAGE, set()),
    "article": ("/en/guides/cancel-esim/", A, 200, PAGE, set()),
    "article markdown": ("/en/guides/cancel-esim.md", A, 200, PAGE, set()),
    "search": ("/en/search/?q=esim", A, 200, NO_STORE, set()),
    "empty search": ("/en/search/", A, 200, NO_STORE, set()),
    "suggestions": ("/en/search/suggest/?q=es", A, 200, "public, max-age=60", set()),
    "sitemap": ("/sitemap.xml", A, 200, PAGE, set()),
    "sitemap section": ("/sitemap-procedures.xml", A, 200, PAGE, set()),
    "robots.txt": ("/robots.txt", A, 200, PAGE, set()),
    "llms.txt": ("/llms.txt", A, 200, PAGE, set()),
    "llms.txt, a language": ("/en/llms.txt", A, 200, PAGE, set()),
    # A notice linking the languages it exists in, never a redirect (#14).
    "article in another language": ("/en/guides/zh-only/", A, 404,
                                    http.NOT_FOUND_CACHE_CONTROL, set()),
    "trailing slash": ("/en/carriers/china-mobile", A, 301,
                       http.PERMANENT_REDIRECT_CACHE_CONTROL, set()),
    "page 1": ("/en/carriers/china-mobile/page/1/", A, 301,
               http.PERMANENT_REDIRECT_CACHE_CONTROL, set()),
    "path without language": ("/carriers/china-mobile/", A, 302,
                              http.READER_REDIRECT_CACHE_CONTROL,
                              {"accept-language", "cookie"}),
    "404, unknown path": ("/en/nope/", A, 404, http.NOT_FOUND_CACHE_CONTROL, set()),
    "404, without language": ("/nope/", A, 404, http.NOT_FOUND_CACHE_CONTROL,
                              {"accept-language"}),
    "404, another tenant's article": ("/en/guides/beta-only/", A, 404,
                                      http.NOT_FOUND_CACHE_CONTROL, set()),
    "404, language not offered": ("/zh-hant/", A, 404,
                                  http.NOT_FOUND_CACHE_CONTROL, set()),
    "404, page past the end": ("/en/carriers/china-mobile/page/9/", A, 404,
                               http.NOT_FOUND_CACHE_CONTROL, set()),
    "404, malformed page": ("/en/cards/esim/page/02/", A, 404,
                            http.NOT_FOUND_CACHE_CONTROL, set()),
    "404, unknown host": ("/en/", "nope.test", 404, http.NOT_FOUND_CACHE_CONTROL,
                          set()),
}  # fmt: skip

#: The pages served from the page cache: validators from their content.
CACHED = [name for name, (*_rest, control, _vary) in URLS.items() if control == PAGE]


@pytest.fixture
def site(tenant_a, tenant_b, monkeypatch):
    """Two procedures of one carrier and card type, one page each; a
    procedure in Chinese only; another tenant's procedure."""
    monkeypatch.setattr(selectors, "LISTING_PAGE_SIZE", 1)
    carrier = make_carrier(tenant_a)
    card = make_card_type(tenant_a)
    with tenant_context(tenant_a):
        for slug in ("cancel-esim", "renew-esim"):
            make_article(tenant_a, slug, publish=True, carrier=carrier, card_type=card)
        make_article(
            tenant_a, "zh-only", publish=True, carrier=carrier, title_en="",
            summary_en="",
        )  # fmt: skip
    make_article(tenant_b, "beta-only", publish=True)
    return tenant_a


@pytest.fixture
def application(site):
    """``helpcenter.wsgi.application``, the test's transaction kept open
    (Django's handler closes the connection after each request)."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    from helpcenter.wsgi import application

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield application
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def call(app, method: str, url: str, host: str, **headers):
    """Call ``app`` as a WSGI server; return (status, headers, body)."""
    path, _sep, query = url.partition("?")
    environ = RequestFactory().generic(method, path, HTTP_HOST=host, **headers).environ
    environ["QUERY_STRING"] = query
    answer = {}

    def start_response(status, response_headers, exc_info=None):
        answer.update(status=int(status.split()[0]), headers=response_headers)

    body = b"".join(app(environ, start_response))
    headers = {name.lower(): value for name, value in answer["headers"]}
    return answer["status"], headers, body


def new_process() -> None:
    """Forget everything this process holds, as another worker would not have
    it (the shared cache too: that worker may be behind another one)."""
    from guides.tenancy import resolver

    local_pages.clear()
    cache.clear()
    generations.forget_all()
    resolver._local_ids.clear()
    selectors._channel_facts.clear()


def vary(headers: dict) -> set[str]:
    values = {v.strip().lower() for v in headers.get("vary", "").split(",")}
    return values - {"", "accept-encoding"}


def comparable(headers: dict) -> dict:
    return {k: v for k, v in headers.items() if k not in PER_REQUEST}


@pytest.mark.parametrize("name", URLS)
def test_each_url_answers_with_its_status_cache_control_and_exact_vary(
    application, name
):
    path, host, status, control, expected_vary = URLS[name]
    got_status, headers, _body = call(application, "GET", path, host)
    assert got_status == status
    assert headers.get("cache-control") == control
    assert vary(headers) == expected_vary
    if control == PAGE:
        assert "etag" in headers and "last-modified" in headers


@pytest.mark.parametrize("name", URLS)
def test_head_answers_like_get_cached_or_not(application, name):
    """Same status and headers, cold and from the page cache; the WSGI
    server (gunicorn) drops the body of a HEAD answer."""
    path, host, *_rest = URLS[name]
    new_process()
    cold_get = call(application, "GET", path, host)
    new_process()
    cold_head = call(application, "HEAD", path, host)
    # the HEAD stored the page (or not) as the GET would: then from the cache
    warm_head = call(application, "HEAD", path, host)
    warm_get = call(application, "GET", path, host)
    for answer in (cold_head, warm_head, warm_get):
        assert answer[0] == cold_get[0]
        assert comparable(answer[1]) == comparable(cold_get[1])
    assert cold_get[0] != 405


@pytest.mark.parametrize("name", CACHED)
def test_validators_come_from_the_content_not_the_worker_or_the_clock(
    application, name, monkeypatch
):
    """Two workers, a day apart, send the same Last-Modified and ETag, and
    each answers If-Modified-Since and If-None-Match with a 304."""
    path, host, *_rest = URLS[name]
    new_process()
    _status, first, _body = call(application, "GET", path, host)
    later = timezone.now() + dt.timedelta(days=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    new_process()
    _status, second, _body = call(application, "GET", path, host)
    assert second["last-modified"] == first["last-modified"]
    assert second["etag"] == first["etag"]
    for conditional in (
        {"HTTP_IF_MODIFIED_SINCE": first["last-modified"]},
        {"HTTP_IF_NONE_MATCH": first["etag"]},
    ):
        new_process()
        assert call(application, "GET", path, host, **conditional)[0] == 304
        # and from the page cache
        assert call(application, "GET", path, host, **conditional)[0] == 304
    new_process()
    modified = timezone.datetime.strptime(
        first["last-modified"], "%a, %d %b %Y %H:%M:%S GMT"
    ) - dt.timedelta(seconds=1)
    since = {"HTTP_IF_MODIFIED_SINCE": modified.strftime("%a, %d %b %Y %H:%M:%S GMT")}
    assert call(application, "GET", path, host, **since)[0] == 200


def last_modified(client, path: str) -> dt.datetime:
    from django.utils.http import parse_http_date

    response = client.get(path, HTTP_HOST=A)
    assert response.status_code == 200, path
    return dt.datetime.fromtimestamp(parse_http_date(response["Last-Modified"]), dt.UTC)


LISTINGS = ("/en/", "/en/carriers/china-mobile/", "/en/cards/esim/")


@pytest.mark.parametrize("change", ["card type", "hotline", "tenant"])
def test_a_shared_fact_a_page_shows_moves_its_last_modified(
    client, site, monkeypatch, django_capture_on_commit_callbacks, change
):
    """A name or hotline shown on a listing changes the page: its
    Last-Modified moves with it, so If-Modified-Since cannot keep it old."""
    from guides import services
    from guides.models import CardType, Carrier, Tenant

    shows = {
        "card type": LISTINGS,  # the card type's page and the carrier's groups
        "hotline": ("/en/carriers/china-mobile/",),
        # every page shows the tenant's name
        "tenant": (*LISTINGS, "/en/guides/cancel-esim/"),
    }[change]
    before = {path: last_modified(client, path) for path in shows}
    later = timezone.now() + dt.timedelta(hours=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    with (
        tenant_context(site),
        django_capture_on_commit_callbacks(execute=True),
    ):
        if change == "card type":
            card = CardType.objects.get(slug="esim")
            card.name_en = "eSIM card"
            services.card_type_save(card_type=card, user=None)
        elif change == "hotline":
            carrier = Carrier.objects.get(slug="china-mobile")
            services.carrier_save(
                carrier=carrier,
                user=None,
                channels=[
                    {"id": ch.pk, "value": "10010"} for ch in carrier.channels.all()
                ],
            )
        else:
            tenant = Tenant.objects.get(pk=site.pk)
            tenant.name = "Alpha renamed"
            services.tenant_settings_update(tenant=tenant, user=None)
    for path in shows:
        after = last_modified(client, path)
        assert after > before[path], path
        assert after == later.replace(microsecond=0), path
