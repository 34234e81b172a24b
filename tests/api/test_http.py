"""HEAD, CORS preflight and CORS headers on every URL of the API.

Every operation of the generated schema is visited, so a new endpoint is
covered without a new test: a HEAD answers like its GET without the body, an
OPTIONS (preflight) answers 204 with what the URL allows, and every answer
lets scripts on other origins read it.
"""

from __future__ import annotations

import pytest

from guides.api.site import api
from guides.models import SearchQuery
from guides.tenancy import tenant_context
from tests.api.conftest import A
from tests.factories import make_article

pytestmark = pytest.mark.django_db

ORIGIN = "https://shop.example"


@pytest.fixture
def draft_a(tenant_a):
    with tenant_context(tenant_a):
        return make_article(tenant_a, "draft-one")


def schema_paths() -> dict[str, set[str]]:
    """Return each path of the schema (parameters as written) and its methods."""
    schema = api.get_openapi_schema(path_prefix="/api/v1/")
    return {
        path: {method.upper() for method in operations}
        for path, operations in schema["paths"].items()
    }


def concrete(path: str, article_id: int) -> str:
    return (
        path.replace("{slug}", "cancel-esim")
        .replace("{article_id}", str(article_id))
        .replace("{name}", "submit")
    )


def every_url(article_id: int) -> list[tuple[str, set[str]]]:
    urls = [(concrete(p, article_id), m) for p, m in schema_paths().items()]
    return [*urls, ("/api/v1/openapi.json", {"GET"}), ("/api/v1/docs", {"GET"})]


def test_the_schema_is_walked(published_a, draft_a):
    """The lists below are not empty: the public and the editor operations."""
    urls = dict(every_url(draft_a.pk))
    assert "/api/v1/procedures/cancel-esim" in urls
    assert f"/api/v1/editor/procedures/{draft_a.pk}" in urls
    assert len(urls) >= 10


def test_a_preflight_on_every_url_answers_204_with_what_it_allows(
    client, published_a, draft_a
):
    for url, methods in every_url(draft_a.pk):
        response = client.options(
            url,
            HTTP_HOST=A,
            HTTP_ORIGIN=ORIGIN,
            HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
            HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization, if-match",
        )
        assert response.status_code == 204, url
        assert response.content == b"", url
        assert response["Access-Control-Allow-Origin"] == "*", url
        allowed = {
            m.strip() for m in response["Access-Control-Allow-Methods"].split(",")
        }
        assert allowed >= methods | {"OPTIONS"}, url
        if "GET" in methods:
            assert "HEAD" in allowed, url
        assert allowed == {m.strip() for m in response["Allow"].split(",")}, url
        headers = {
            h.strip().lower()
            for h in response["Access-Control-Allow-Headers"].split(",")
        }
        assert {
            "authorization",
            "if-match",
            "content-type",
            "accept-language",
        } <= headers
        assert int(response["Access-Control-Max-Age"]) >= 600, url
        assert "Access-Control-Allow-Credentials" not in response, url


def test_a_preflight_on_a_path_that_names_nothing_is_a_404_problem(client, tenant_a):
    response = client.options("/api/v1/nothing-here", HTTP_HOST=A, HTTP_ORIGIN=ORIGIN)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert response["Access-Control-Allow-Origin"] == "*"


def test_a_preflight_on_an_unknown_host_is_a_404(client, tenant_a):
    response = client.options("/api/v1/carriers", HTTP_HOST="nobody.test")
    assert response.status_code == 404
    assert "Access-Control-Allow-Origin" not in response


def test_head_answers_like_get_without_a_body_on_every_url(
    client, published_a, draft_a, editor_a
):
    _user, secret = editor_a
    for url, methods in every_url(draft_a.pk):
        if "GET" not in methods:
            continue
        auth = {"HTTP_AUTHORIZATION": f"Bearer {secret}"} if "/editor/" in url else {}
        got = client.get(url, HTTP_HOST=A, HTTP_ORIGIN=ORIGIN, **auth)
        head = client.head(url, HTTP_HOST=A, HTTP_ORIGIN=ORIGIN, **auth)
        assert got.status_code == 200, url
        assert head.status_code == 200, url
        assert head.content == b"", url
        assert int(head["Content-Length"]) == len(got.content), url
        for name in ("Content-Type", "Cache-Control", "Access-Control-Allow-Origin"):
            assert head.get(name) == got.get(name), (url, name)
        assert head.get("ETag") == got.get("ETag"), url


def test_head_with_a_matching_etag_is_a_304(client, published_a):
    url = "/api/v1/procedures/cancel-esim?lang=en"
    etag = client.get(url, HTTP_HOST=A)["ETag"]
    client.get("/api/v1/procedures/cancel-esim?lang=en&fresh=1", HTTP_HOST=A)
    assert client.head(url, HTTP_HOST=A, HTTP_IF_NONE_MATCH=etag).status_code == 304
    # on a miss too (another query string, the same body)
    head = client.head(
        "/api/v1/procedures/cancel-esim?lang=en&other=1",
        HTTP_HOST=A,
        HTTP_IF_NONE_MATCH=etag,
    )
    assert head.status_code == 304


def test_a_head_on_search_is_not_logged(client, published_a):
    head = client.head("/api/v1/search?q=eSIM&lang=en", HTTP_HOST=A)
    assert head.status_code == 200
    assert head.content == b""
    assert SearchQuery.unscoped.count() == 0
    client.get("/api/v1/search?q=eSIM&lang=en", HTTP_HOST=A)
    assert SearchQuery.unscoped.count() == 1


def test_every_get_answer_lets_other_origins_read_it(
    client, published_a, draft_a, editor_a
):
    """Public and editor, success and error (a 401 included): a script on
    another origin can read the status, the problem and the ETag."""
    _user, secret = editor_a
    for url, methods in every_url(draft_a.pk):
        if "GET" not in methods:
            continue
        for auth in ({}, {"HTTP_AUTHORIZATION": f"Bearer {secret}"}):
            response = client.get(url, HTTP_HOST=A, HTTP_ORIGIN=ORIGIN, **auth)
            assert response["Access-Control-Allow-Origin"] == "*", url
            assert "ETag" in response["Access-Control-Expose-Headers"], url
            assert "Access-Control-Allow-Credentials" not in response, url
