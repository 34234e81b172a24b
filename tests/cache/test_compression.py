"""HTML (and the API's JSON) compressed: gzip, and brotli where asked.

Stored answers are compressed once, when stored, and a hit (in Django or in
the WSGI front) only picks a variant; other public responses are compressed
per response; admin pages and anything with a session are never compressed.
"""

from __future__ import annotations

import gzip

import brotli
import pytest

from guides.cache import compression
from guides.cache.compression import choose_encoding, variant_etag
from guides.cache.front import PageCacheFront
from guides.tenancy import tenant_context
from tests.cache.test_front import Recorder, call
from tests.factories import make_article, make_carrier

pytestmark = pytest.mark.django_db

A = "alpha.test"
URL = "/en/guides/cancel-esim/"
API = "/api/v1/procedures/cancel-esim?lang=en"


@pytest.fixture
def published(tenant_a, django_capture_on_commit_callbacks):
    with tenant_context(tenant_a), django_capture_on_commit_callbacks(execute=True):
        return make_article(
            tenant_a, "cancel-esim", publish=True, carrier=make_carrier(tenant_a)
        )


def decode(body: bytes, encoding: str | None) -> bytes:
    if encoding == "br":
        return brotli.decompress(body)
    if encoding == "gzip":
        return gzip.decompress(body)
    return body


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("gzip, deflate, br, zstd", "br"),
        ("gzip", "gzip"),
        ("br;q=0, gzip", "gzip"),
        ("br;q=0.5, gzip;q=0.8", "gzip"),
        ("*", "br"),
        ("*;q=0, gzip", "gzip"),
        ("identity", None),
        ("", None),
        (None, None),
        ("gzip;q=bogus", None),
        ("x-gzip", "gzip"),
    ],
)
def test_the_encoding_follows_accept_encoding(header, expected):
    assert choose_encoding(header, ("br", "gzip")) == expected


def test_variant_etags_are_distinct_per_encoding():
    assert variant_etag('"abc"', "br") == '"abc-br"'
    assert variant_etag('W/"abc"', "gzip") == 'W/"abc-gzip"'


@pytest.mark.parametrize("url", [URL, API])
@pytest.mark.parametrize("encoding", ["br", "gzip", None])
def test_a_miss_and_a_hit_send_the_asked_encoding(client, published, url, encoding):
    plain = client.get(url, HTTP_HOST=A, HTTP_ACCEPT_ENCODING="identity")
    assert "Content-Encoding" not in plain
    assert "Accept-Encoding" in plain["Vary"]
    for _attempt in ("miss or hit", "hit"):
        response = client.get(url, HTTP_HOST=A, HTTP_ACCEPT_ENCODING=encoding or "")
        assert response.get("Content-Encoding") == encoding
        assert "Accept-Encoding" in response["Vary"]
        assert int(response["Content-Length"]) == len(response.content)
        assert decode(response.content, encoding) == plain.content
        expected = variant_etag(plain["ETag"], encoding) if encoding else plain["ETag"]
        assert response["ETag"] == expected


@pytest.mark.parametrize("url", [URL, API])
def test_the_front_sends_the_stored_variant_and_never_compresses_a_hit(
    client, published, url, monkeypatch
):
    stored = client.get(url, HTTP_HOST=A, HTTP_ACCEPT_ENCODING="br")
    identity = client.get(url, HTTP_HOST=A)

    def refuse(*args, **kwargs):
        raise AssertionError("compressed on a hit")

    monkeypatch.setattr(compression, "encode", refuse)
    front = PageCacheFront(Recorder())
    for accept, expected in (("br", stored), ("gzip, br", stored), ("", identity)):
        status, headers, body = call(front, url, HTTP_ACCEPT_ENCODING=accept)
        assert status == "200 OK"
        assert body == expected.content
        assert headers.get("Content-Encoding") == expected.get("Content-Encoding")
        assert headers["Content-Length"] == str(len(body))
        assert headers["ETag"] == expected["ETag"]
        assert "Accept-Encoding" in headers["Vary"]
    _status, gz_headers, gz_body = call(front, url, HTTP_ACCEPT_ENCODING="gzip")
    assert gz_headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(gz_body) == identity.content
    assert front.application.calls == []
    # still none per hit through Django's middleware
    again = client.get(url, HTTP_HOST=A, HTTP_ACCEPT_ENCODING="gzip")
    assert again["Content-Encoding"] == "gzip"


def test_304_per_variant_in_django_and_in_the_front(client, published):
    br = client.get(URL, HTTP_HOST=A, HTTP_ACCEPT_ENCODING="br")
    etag = br["ETag"]
    assert etag.endswith('-br"')
    again = client.get(
        URL, HTTP_HOST=A, HTTP_ACCEPT_ENCODING="br", HTTP_IF_NONE_MATCH=etag
    )
    assert again.status_code == 304
    front = PageCacheFront(Recorder())
    status, headers, body = call(
        front, URL, HTTP_ACCEPT_ENCODING="br", HTTP_IF_NONE_MATCH=etag
    )
    assert status == "304 Not Modified" and body == b""
    assert headers["ETag"] == etag
    # the br variant's tag does not validate the gzip representation
    status, _headers, body = call(
        front, URL, HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=etag
    )
    assert status == "200 OK"
    assert gzip.decompress(body)


def test_a_response_not_stored_is_compressed_per_response(client, published):
    """A page with a query string is rendered each time, and compressed each
    time; its ETag turns weak so the view's own check still matches."""
    url = f"{URL}?utm=1"
    first = client.get(url, HTTP_HOST=A, HTTP_ACCEPT_ENCODING="gzip")
    assert first["Content-Encoding"] == "gzip"
    assert int(first["Content-Length"]) == len(first.content)
    assert b"</html>" in gzip.decompress(first.content)
    search = client.get(
        "/api/v1/search?q=eSIM&lang=en", HTTP_HOST=A, HTTP_ACCEPT_ENCODING="br"
    )
    assert search["Content-Encoding"] == "br"
    assert search["ETag"].startswith('W/"')
    again = client.get(
        "/api/v1/search?q=eSIM&lang=en",
        HTTP_HOST=A,
        HTTP_ACCEPT_ENCODING="br",
        HTTP_IF_NONE_MATCH=search["ETag"],
    )
    assert again.status_code == 304


def test_admin_and_signed_in_pages_are_never_compressed(client, published, admin_user):
    login = client.get("/admin/login/", HTTP_HOST=A, HTTP_ACCEPT_ENCODING="gzip, br")
    assert login.status_code == 200
    assert "Content-Encoding" not in login
    client.force_login(admin_user)
    page = client.get(URL, HTTP_HOST=A, HTTP_ACCEPT_ENCODING="gzip, br")
    assert page.status_code == 200
    assert "Content-Encoding" not in page


def test_the_editor_api_is_never_compressed(client, published, tenant_a):
    from tests.api.conftest import token_for

    _user, secret = token_for(tenant_a)
    response = client.get(
        "/api/v1/editor/procedures",
        HTTP_HOST=A,
        HTTP_ACCEPT_ENCODING="gzip, br",
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )
    assert response.status_code == 200
    assert "Content-Encoding" not in response
