"""The WSGI front answers stored public API answers, as it answers pages.

Answers are stored by a full request through the test client; the front is
then called as the WSGI server calls it, around a recording stand-in for
Django (tests/cache/test_front.py), so each test sees whether the front
answered or passed the request on.
"""

from __future__ import annotations

import json

import pytest
from django.test import override_settings

from guides import services
from guides.cache.front import PageCacheFront
from guides.tenancy import tenant_context
from tests.api.conftest import token_for
from tests.cache.test_front import Recorder, call
from tests.factories import make_article, make_carrier

pytestmark = pytest.mark.django_db

A = "alpha.test"
B = "beta.test"
DETAIL = "/api/v1/procedures/cancel-esim"


@pytest.fixture
def front():
    return PageCacheFront(Recorder())


@pytest.fixture
def published(tenant_a, tenant_b):
    with tenant_context(tenant_a):
        make_article(
            tenant_a, "cancel-esim", publish=True, carrier=make_carrier(tenant_a)
        )
    with tenant_context(tenant_b):
        make_article(
            tenant_b,
            "cancel-esim",
            publish=True,
            title_zh_hans="乙的注销",
            title_en="Beta's cancel",
        )


def test_a_stored_api_answer_is_answered_by_the_front(client, front, published):
    stored = client.get(f"{DETAIL}?lang=en", HTTP_HOST=A)
    status, headers, body = call(front, f"{DETAIL}?lang=en")
    assert front.application.calls == []
    assert status == "200 OK"
    assert body == stored.content
    for name in (
        "Content-Type",
        "Content-Language",
        "Content-Length",
        "ETag",
        "Cache-Control",
        "Vary",
        "Access-Control-Allow-Origin",
        "Access-Control-Expose-Headers",
        "X-Content-Type-Options",
        "Content-Security-Policy",
    ):
        assert headers[name] == stored[name], name
    assert json.loads(body)["title"] != ""


def test_the_key_holds_the_query_string_and_accept_language(client, front, published):
    """Failed before: the front passed every API request on to Django."""
    english = client.get(DETAIL, HTTP_HOST=A, HTTP_ACCEPT_LANGUAGE="en")
    chinese = client.get(DETAIL, HTTP_HOST=A, HTTP_ACCEPT_LANGUAGE="zh-CN")
    assert english.content != chinese.content
    _s, headers, body = call(front, DETAIL, HTTP_ACCEPT_LANGUAGE="en")
    assert body == english.content and headers["Content-Language"] == "en"
    _s, headers, body = call(front, DETAIL, HTTP_ACCEPT_LANGUAGE="zh-CN")
    assert body == chinese.content and headers["Content-Language"] == "zh-hans"
    assert front.application.calls == []
    # another header, another query string: not stored yet, Django answers
    call(front, DETAIL, HTTP_ACCEPT_LANGUAGE="en-GB")
    call(front, f"{DETAIL}?lang=en&x=1")
    assert len(front.application.calls) == 2
    # ?lang= names the language: the header no longer matters
    client.get(f"{DETAIL}?lang=en", HTTP_HOST=A, HTTP_ACCEPT_LANGUAGE="fr")
    _s, headers, body = call(front, f"{DETAIL}?lang=en", HTTP_ACCEPT_LANGUAGE="de")
    assert headers["Content-Language"] == "en"
    assert len(front.application.calls) == 2


def test_each_tenant_gets_its_own_answer_for_the_same_url(client, front, published):
    url = f"{DETAIL}?lang=en"
    a = client.get(url, HTTP_HOST=A)
    b = client.get(url, HTTP_HOST=B)
    assert json.loads(b.content)["title"] == "Beta's cancel"
    assert call(front, url, host=A)[2] == a.content
    assert call(front, url, host=B)[2] == b.content
    assert front.application.calls == []


def test_a_matching_etag_gets_a_304_from_the_front(client, front, published):
    etag = client.get(f"{DETAIL}?lang=en", HTTP_HOST=A)["ETag"]
    status, _headers, body = call(front, f"{DETAIL}?lang=en", HTTP_IF_NONE_MATCH=etag)
    assert status == "304 Not Modified"
    assert body == b""
    assert front.application.calls == []


def test_head_gets_the_headers_without_the_body(client, front, published):
    stored = client.get(f"{DETAIL}?lang=en", HTTP_HOST=A)
    status, headers, body = call(front, f"{DETAIL}?lang=en", method="head")
    assert status == "200 OK"
    assert body == b""
    assert headers["Content-Length"] == str(len(stored.content))
    assert front.application.calls == []


def test_a_token_is_never_answered_from_the_cache(client, front, published, tenant_a):
    """Requests with Authorization go to Django, and are never stored."""
    _user, secret = token_for(tenant_a)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    client.get(f"{DETAIL}?lang=en", HTTP_HOST=A)  # stored, anonymously
    call(front, f"{DETAIL}?lang=en", **auth)
    assert front.application.calls == [DETAIL]
    # an editor read with a token is not stored for anyone
    editor = "/api/v1/editor/procedures"
    assert client.get(editor, HTTP_HOST=A, **auth).status_code == 200
    call(front, editor)
    call(front, editor, **auth)
    assert front.application.calls == [DETAIL, editor, editor]
    # a public read sent with a token is answered, and not stored
    client.get(f"{DETAIL}?lang=zh-hans", HTTP_HOST=A, **auth)
    call(front, f"{DETAIL}?lang=zh-hans")
    assert front.application.calls[-1] == DETAIL


def test_search_and_errors_are_not_stored(client, front, published):
    for url in (
        "/api/v1/search?q=eSIM",
        "/api/v1/procedures/nope",
        f"{DETAIL}?lang=xx",
    ):
        client.get(url, HTTP_HOST=A)
        call(front, url)
    assert len(front.application.calls) == 3


def test_a_publish_makes_the_front_pass_the_next_request_on(
    client, front, published, tenant_a, django_capture_on_commit_callbacks
):
    from guides.models import Article

    client.get(f"{DETAIL}?lang=en", HTTP_HOST=A)
    call(front, f"{DETAIL}?lang=en")
    assert front.application.calls == []
    with tenant_context(tenant_a), django_capture_on_commit_callbacks(execute=True):
        article = Article.objects.get(slug="cancel-esim")
        services.article_update(article=article, user=None, title_en="Renamed")
        services.article_publish(article=article, user=None)
    from guides.cache import generations

    generations.forget_all()
    call(front, f"{DETAIL}?lang=en")
    assert front.application.calls == [DETAIL]


@override_settings(HELPCENTER_API_RATE_LIMIT=(1, 60))
def test_the_front_does_not_count_stored_answers(client, front, published):
    """Stored answers are not counted (docs/API.md), in Django or the front."""
    client.get(f"{DETAIL}?lang=en", HTTP_HOST=A)  # the one counted request
    for _ in range(3):
        assert call(front, f"{DETAIL}?lang=en")[0] == "200 OK"
    assert client.get(f"{DETAIL}?lang=en&n=2", HTTP_HOST=A).status_code == 429
