"""guides.cache.front.PageCacheFront: stored pages answered in front of Django.

Pages are stored by a full request through the test client (the whole stack,
``PageCacheMiddleware`` included); the front is then called as the WSGI
server calls ``helpcenter.wsgi.application``, around a recording stand-in for
Django, so each test sees whether the front answered or passed the request on.
"""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from guides import services
from guides.cache.front import PageCacheFront
from guides.models import Article, Tenant
from guides.tenancy import tenant_context
from tests.factories import make_article, make_carrier

pytestmark = pytest.mark.django_db

A = "alpha.test"
B = "beta.test"
URL = "/en/guides/cancel-esim/"


class Recorder:
    """A WSGI app standing in for Django: records that it was called."""

    def __init__(self):
        self.calls = []

    def __call__(self, environ, start_response):
        self.calls.append(environ["PATH_INFO"])
        start_response("599 Passed On", [("Content-Type", "text/plain")])
        return [b"passed on"]


def call(front, path=URL, host=A, method="get", **extra):
    """Call ``front`` like a WSGI server; return (status, headers, body)."""
    environ = getattr(RequestFactory(), method)(path, HTTP_HOST=host, **extra).environ
    answer = {}

    def start_response(status, headers, exc_info=None):
        answer.update(status=status, headers=headers)

    body = b"".join(front(environ, start_response))
    return answer["status"], dict(answer["headers"]), body


@pytest.fixture
def front():
    return PageCacheFront(Recorder())


@pytest.fixture
def published(tenant_a):
    with tenant_context(tenant_a):
        return make_article(
            tenant_a, "cancel-esim", publish=True, carrier=make_carrier(tenant_a)
        )


def test_a_stored_page_is_answered_with_the_full_stacks_bytes_and_headers(
    client, front, published
):
    stored = client.get(URL, HTTP_HOST=A)
    status, headers, body = call(front)
    assert front.application.calls == []
    assert status == "200 OK"
    assert body == stored.content
    for name in (
        "Content-Type",
        "Content-Language",
        "Content-Length",
        "ETag",
        "Last-Modified",
        "Cache-Control",
        "X-Frame-Options",
        "X-Content-Type-Options",
        "Referrer-Policy",
    ):
        assert headers[name] == stored[name], name
    assert "Set-Cookie" not in headers


def test_a_page_not_stored_yet_goes_to_django(front, published):
    status, _headers, body = call(front)
    assert front.application.calls == [URL]
    assert (status, body) == ("599 Passed On", b"passed on")


@pytest.mark.parametrize(
    "extra",
    [
        {"QUERY_STRING": "feedback=thanks"},
        {"HTTP_COOKIE": "sessionid=abc"},
    ],
    ids=["query-string", "session-cookie"],
)
def test_queries_and_sessions_always_go_to_django(client, front, published, extra):
    client.get(URL, HTTP_HOST=A)
    environ_extra = dict(extra)
    path = URL
    if "QUERY_STRING" in environ_extra:
        path = f"{URL}?{environ_extra.pop('QUERY_STRING')}"
    status, _headers, _body = call(front, path, **environ_extra)
    assert status == "599 Passed On"


def test_a_post_goes_to_django(client, front, published):
    client.get(URL, HTTP_HOST=A)
    status, _headers, _body = call(front, method="post")
    assert status == "599 Passed On"


def test_an_unknown_host_goes_to_django_for_its_404(client, front, published):
    client.get(URL, HTTP_HOST=A)
    status, _headers, _body = call(front, host="nobody.test")
    assert status == "599 Passed On"


def test_another_port_is_another_page(client, front, published):
    # Absolute links on the page carry the port, so :8000 is stored apart.
    client.get(URL, HTTP_HOST=A)
    assert call(front, host=f"{A}:8000")[0] == "599 Passed On"
    assert call(front, host=A)[0] == "200 OK"


def test_a_matching_etag_gets_a_304_without_a_body(client, front, published):
    etag = client.get(URL, HTTP_HOST=A)["ETag"]
    status, headers, body = call(front, HTTP_IF_NONE_MATCH=etag)
    assert status == "304 Not Modified"
    assert headers["ETag"] == etag and body == b""
    assert call(front, HTTP_IF_NONE_MATCH='"other"')[0] == "200 OK"


def test_a_publish_makes_the_front_pass_the_next_request_on(
    client, front, published, django_capture_on_commit_callbacks
):
    client.get(URL, HTTP_HOST=A)
    with (
        tenant_context(published.tenant),
        django_capture_on_commit_callbacks(execute=True),
    ):
        services.article_update(article=published, user=None, title_en="Cancel it now")
        services.article_publish(
            article=Article.objects.get(pk=published.pk), user=None
        )
    assert call(front)[0] == "599 Passed On"
    fresh = client.get(URL, HTTP_HOST=A)
    assert b"Cancel it now" in fresh.content
    assert call(front)[2] == fresh.content


def test_each_tenant_gets_its_own_page_for_the_same_path(
    client, front, tenant_a, tenant_b
):
    for tenant, title in ((tenant_a, "Alpha cancels"), (tenant_b, "Beta cancels")):
        with tenant_context(tenant):
            make_article(tenant, "cancel-esim", publish=True, title_en=title)
    client.get(URL, HTTP_HOST=A)
    assert b"Alpha cancels" in call(front, host=A)[2]
    # Beta's page is not stored yet: never Alpha's page on Beta's host.
    assert call(front, host=B)[0] == "599 Passed On"
    client.get(URL, HTTP_HOST=B)
    body = call(front, host=B)[2]
    assert b"Beta cancels" in body and b"Alpha cancels" not in body


def test_a_domain_moved_to_another_tenant_is_answered_for_the_new_tenant(
    client, front, tenant_a, tenant_b
):
    with tenant_context(tenant_a):
        make_article(tenant_a, "cancel-esim", publish=True, title_en="Alpha cancels")
    client.get(URL, HTTP_HOST="www.alpha.test")
    assert call(front, host="www.alpha.test")[0] == "200 OK"
    domain = Tenant.objects.get(pk=tenant_a.pk).domains.get(host="www.alpha.test")
    domain.tenant = tenant_b
    domain.is_primary = False
    domain.save()
    assert call(front, host="www.alpha.test")[0] == "599 Passed On"


def test_the_wsgi_entry_point_wraps_django_in_the_front():
    from helpcenter import wsgi

    # Inside guides.operations.front.OperationsFront (probes, access log).
    front = wsgi.application.application
    assert isinstance(front, PageCacheFront)
    assert front.application is wsgi.django_application


@pytest.mark.parametrize(
    ("extra", "settings_changes"),
    [
        ({}, {}),
        ({"HTTP_HOST": "alpha.test:8000"}, {}),
        ({"HTTP_X_FORWARDED_PROTO": "https"}, {}),  # not trusted without the setting
        (
            {"HTTP_X_FORWARDED_PROTO": "https, http"},
            {"SECURE_PROXY_SSL_HEADER": ("HTTP_X_FORWARDED_PROTO", "https")},
        ),
        (
            {"HTTP_X_FORWARDED_PROTO": "http"},
            {"SECURE_PROXY_SSL_HEADER": ("HTTP_X_FORWARDED_PROTO", "https")},
        ),
        ({"wsgi.url_scheme": "https", "HTTP_HOST": "alpha.test:8443"}, {}),
    ],
)
def test_the_fronts_key_is_the_middlewares_key(
    settings, tenant_a, extra, settings_changes
):
    from django.core.handlers.wsgi import WSGIRequest

    from guides.cache.front import front_key_parts
    from guides.cache.pages import page_cache_key
    from guides.cache.pages import page_key as page_key

    for name, value in settings_changes.items():
        setattr(settings, name, value)
    environ = RequestFactory().get(URL, HTTP_HOST=A).environ
    environ.update(extra)
    _host, scheme, port, path = front_key_parts(environ)
    expected = page_cache_key(WSGIRequest(environ), tenant_id=tenant_a.pk)
    assert page_key(tenant_a.pk, scheme, port, path) == expected


@pytest.mark.parametrize(
    "extra",
    [
        {"PATH_INFO": "/en/guides/%E6%B3%A8%E9%94%80/"},
        {
            "PATH_INFO": "/en/guides/\u00e6\u00b3\u00a8/"
        },  # UTF-8 bytes as WSGI's latin-1
        {"SCRIPT_NAME": "/help"},
    ],
)
def test_unusual_paths_are_keyed_through_djangos_own_request(
    client, front, extra, published
):
    from guides.cache.front import front_key_parts

    client.get(URL, HTTP_HOST=A)
    environ = RequestFactory().get(URL, HTTP_HOST=A).environ
    environ.update(extra)
    assert front_key_parts(environ) is None
    answer = {}
    body = b"".join(
        front(environ, lambda status, headers: answer.update(status=status))
    )
    # Django's own request names another path (/help/en/..., a decoded slug):
    # not the stored page, so the request goes on to Django.
    assert (answer["status"], body) == ("599 Passed On", b"passed on")


# --- any byte sequence in a path (issue 11, finding 4) ----------------------------

#: Paths as a reader's client sends them (percent-encoded where it must be).
#: A WSGI server decodes the escapes and hands the octets on as a latin-1
#: string (PEP 3333); ``wsgi_path`` does the same.
NAUGHTY_PATHS = [
    "/zh-hans/carriers/%CE%A9/",  # U+03A9, above U+00FF
    "/zh-hans/carriers/%CE%A9",
    "/en/guides/%E6%B3%A8%E9%94%80/",  # Chinese
    "/en/cards/%F0%9F%92%A9/",  # outside the BMP
    "/en/guides/%E2%80%8E/",  # left-to-right mark
    "/%CE%A9/",
    "/%CE%A9",
    "/zh-hans/carriers/%FF/",  # invalid UTF-8
    "/zh-hans/carriers/%C0%AF/",  # overlong "/"
    "/en/guides/%ED%A0%80/",  # an encoded UTF-16 surrogate
    "/en/guides/%F4%90%80%80/",  # beyond U+10FFFF
    "/en/guides/a%E6%B3/",  # truncated sequence
    "/zh-hans/carriers/%00/",  # NUL
    "/%00",
    "/en/%00/",
    "/sitemap.xml%00",
    "/robots.txt%FF",
    "/en/guides/cancel-esim/%FF",
    "/en/guides/cancel-esim/feedback/%CE%A9/",
    "/en/search/%CE%A9/",
    "/en/search/go/1/%CE%A9/",
    "/en/search/go/99999999999999999999999999/cancel-esim/",
    "/admin/%CE%A9/",
    "/admin/guides/article/%FF/change/",
    "/admin/guides/article/%CE%A9/change/",
    "/%2e%2e/%2e%2e/etc/passwd",
    "//en//guides//",
    "/en/guides/" + "x" * 5000 + "/",
    "/en/guides/%25%FF%25/",
    "/en/guides/%C3%28/",
    "/en/guides/\t/",
    "/en/guides/%0D%0ASet-Cookie:%20x=1/",
]


def wsgi_path(path: str) -> str:
    """Return ``PATH_INFO`` for ``path`` as a PEP 3333 server sets it."""
    from urllib.parse import unquote_to_bytes

    return unquote_to_bytes(path).decode("latin-1")


def wsgi_environ(path_info: str, host: str = A, **extra) -> dict:
    environ = RequestFactory().get("/", HTTP_HOST=host, **extra).environ
    environ["PATH_INFO"] = path_info
    return environ


def call_environ(app, environ) -> tuple[int, bytes]:
    answer = {}

    def start_response(status, headers, exc_info=None):
        answer["status"] = status

    body = b"".join(app(environ, start_response))
    return int(answer["status"].split()[0]), body


@pytest.fixture
def application(published, client):
    """``helpcenter.wsgi.application``: the front around Django, pages stored.

    Django's handler closes the database connection after each request, as
    it should in a server; the test's transaction lives on that connection,
    so (as Django's test client does) the handler is told not to.
    """
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    from helpcenter.wsgi import application

    for path in (URL, "/en/", "/zh-hans/"):
        assert client.get(path, HTTP_HOST=A).status_code == 200
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield application
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.mark.parametrize("path", NAUGHTY_PATHS)
def test_any_byte_sequence_in_a_path_is_a_404_or_400_never_a_500(application, path):
    for _attempt in range(2):  # the second time, anything stored is answered
        status, _body = call_environ(application, wsgi_environ(wsgi_path(path)))
        assert status in (301, 302, 400, 404), (path, status)


@pytest.mark.parametrize(
    "path_info",
    [
        "/zh-hans/carriers/\u03a9/",
        "/en/guides/\u6ce8\u9500/",
        "/\U0001f4a9",
        "/en/guides/\udcff/",  # a lone surrogate (a server's surrogateescape)
    ],
)
def test_a_path_info_a_server_did_not_encode_as_latin_1_is_a_400(
    application, path_info
):
    """PEP 3333 says latin-1; a server that passes characters above U+00FF
    (granian did, for query strings) gets a 400, not a crash in Django."""
    status, _body = call_environ(application, wsgi_environ(path_info))
    assert status == 400


@pytest.mark.parametrize(
    "extra",
    [{"QUERY_STRING": "q=\u4e2d\u6587"}, {"HTTP_COOKIE": "theme=\u4e2d"}],
    ids=["query-string", "cookie"],
)
def test_a_query_string_or_cookie_a_server_did_not_encode_as_latin_1_is_a_400(
    application, extra
):
    environ = wsgi_environ(wsgi_path(URL), **extra)
    assert call_environ(application, environ)[0] == 400


@pytest.mark.parametrize(
    "path",
    ["/zh-hans/carriers/%CE%A9/", "/en/guides/%E6%B3%A8%E9%94%80/", "/%FF", URL],
)
def test_the_front_passes_the_environ_on_unchanged(front, published, client, path):
    client.get(URL, HTTP_HOST=A)
    environ = wsgi_environ(wsgi_path(path), HTTP_IF_NONE_MATCH='"x"')
    before = dict(environ)
    call_environ(front, environ)
    assert environ == before
    assert front.application.calls in ([], [before["PATH_INFO"]])


def test_a_stored_page_with_a_chinese_path_is_answered_by_the_front(
    client, front, tenant_a
):
    with tenant_context(tenant_a):
        make_article(tenant_a, "cancel-esim", publish=True)
    # Django answers the slug 404 (slugs are ASCII); the 404 is not stored.
    path = "/en/guides/%E6%B3%A8%E9%94%80/"
    assert client.get(path, HTTP_HOST=A).status_code == 404
    assert call_environ(front, wsgi_environ(wsgi_path(path)))[0] == 599


def test_a_fault_in_the_front_passes_the_request_to_django(
    client, front, published, monkeypatch
):
    """The front is an optimisation: a cache (or database) fault of its own
    means Django answers, never a 500 from outside Django."""
    from guides.cache import pages

    client.get(URL, HTTP_HOST=A)
    pages.local_pages.clear()

    def broken(*args, **kwargs):
        raise ConnectionError("the cache is down")

    monkeypatch.setattr(pages.cache, "get", broken)
    status, _headers, body = call(front)
    assert (status, body) == ("599 Passed On", b"passed on")
