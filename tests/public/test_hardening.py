"""Hardening of what an outsider reaches: logins, CSP, HEAD and other methods.

Findings 11 and 12 of the attack report: the admin login had no brute-force
protection; no page sent a Content-Security-Policy; HEAD answered 405 where
GET answered; the search view answered TRACE and OPTIONS and logged a query
for each.
"""

from __future__ import annotations

import base64
import hashlib
import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.test import RequestFactory

from guides.cache.front import PageCacheFront
from guides.models import SearchQuery
from guides.tenancy import tenant_context
from tests.factories import make_article, make_card_type, make_carrier, make_user

pytestmark = pytest.mark.django_db

A = "alpha.test"
LOGIN = "/admin/login/?next=/admin/"


@pytest.fixture
def published(tenant_a):
    carrier = make_carrier(tenant_a)
    card = make_card_type(tenant_a)
    with tenant_context(tenant_a):
        return make_article(
            tenant_a, "cancel-esim", publish=True, carrier=carrier, card_type=card
        )


@pytest.fixture
def axes(settings):
    """Turn on the login lockout, which the test settings leave off."""
    settings.AXES_ENABLED = True


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def log_in(client, username, password, address="10.0.0.1", host=A):
    return client.post(
        LOGIN,
        {"username": username, "password": password},
        HTTP_HOST=host,
        REMOTE_ADDR=address,
        HTTP_ACCEPT_LANGUAGE="en",
    )


# --- finding 11: brute force on /admin/login/ ---------------------------------


def test_forty_wrong_passwords_then_the_right_one_does_not_log_in(
    client, tenant_a, axes
):
    """The finding, replayed: the right password after 40 failures is refused."""
    make_user("editor", tenant=tenant_a)
    for _attempt in range(40):
        log_in(client, "editor", "wrong")
    response = log_in(client, "editor", "pw-editor")
    assert not signed_in(client)
    assert response.status_code == 429
    page = response.content.decode()
    assert "Too many failed sign-in attempts" in page
    assert "15 minutes" in page
    assert 'name="password"' not in page  # no form to keep guessing in


def test_the_lockout_starts_after_a_handful_of_failures(client, tenant_a, axes):
    make_user("editor", tenant=tenant_a)
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        assert log_in(client, "editor", "wrong").status_code == 200
    # still below the limit: the right password works
    assert log_in(client, "editor", "pw-editor").status_code == 302
    assert signed_in(client)


def test_the_lock_holds_for_the_username_and_address_pair_only(client, tenant_a, axes):
    """Another address, or another username, is not locked by these failures."""
    make_user("editor", tenant=tenant_a)
    make_user("reviewer", tenant=tenant_a)
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, "editor", "wrong", address="10.0.0.1")
    assert log_in(client, "editor", "pw-editor", address="10.0.0.1").status_code == 429

    assert (
        log_in(client, "reviewer", "pw-reviewer", address="10.0.0.1").status_code == 302
    )
    client.logout()
    assert log_in(client, "editor", "pw-editor", address="10.0.0.9").status_code == 302
    assert signed_in(client)


def test_the_lock_is_lifted_after_the_cool_off(client, tenant_a, axes):
    from axes.models import AccessAttempt

    make_user("editor", tenant=tenant_a)
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, "editor", "wrong")
    assert log_in(client, "editor", "pw-editor").status_code == 429
    # given the cool-off has passed since the last failure
    AccessAttempt.objects.update(
        attempt_time=AccessAttempt.objects.get().attempt_time
        - settings.AXES_COOLOFF_TIME
        - timedelta(seconds=1)
    )
    assert log_in(client, "editor", "pw-editor").status_code == 302
    assert signed_in(client)


def test_the_lockout_works_on_every_tenant_host_under_the_csp(
    client, tenant_a, tenant_b, axes
):
    make_user("editor", tenant=tenant_b)
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, "editor", "wrong", host="beta.test")
    response = client.post(
        LOGIN,
        {"username": "editor", "password": "pw-editor"},
        HTTP_HOST="beta.test",
        REMOTE_ADDR="10.0.0.1",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 429
    assert "Content-Security-Policy" in response


# --- finding 12: Content-Security-Policy ---------------------------------------


def directives(header: str) -> dict[str, list[str]]:
    """Return a CSP header as {directive: [sources]}."""
    result = {}
    for part in header.split(";"):
        name, *sources = part.split()
        result[name] = sources
    return result


def inline_scripts(html: str) -> list[str]:
    """Return the opening tags of scripts that would run inline (not data, no src)."""
    return [
        tag
        for tag in re.findall(r"<script\b[^>]*>", html)
        if "src=" not in tag and 'type="application/ld+json"' not in tag
    ]


def sha256_source(text: str) -> str:
    digest = base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()
    return f"'sha256-{digest}'"


PUBLIC_PATHS = [
    "/en/",
    "/en/carriers/china-mobile/",
    "/en/cards/esim/",
    "/en/guides/cancel-esim/",
    "/en/search/?q=esim",
    "/en/guides/no-such-guide/",  # the 404 page in the tenant's look
]


@pytest.mark.parametrize("path", PUBLIC_PATHS)
def test_public_pages_are_strict_self_only_with_the_brand_style_hashed(
    client, published, path
):
    response = client.get(path, HTTP_HOST=A)
    policy = directives(response["Content-Security-Policy"])
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]  # no inline script, no nonce
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    html = response.content.decode()
    styles = re.findall(r"<style>(.*?)</style>", html, re.S)
    assert styles == [":root { --brand: #0b5cad; }"]
    assert policy["style-src"] == ["'self'", sha256_source(styles[0])]
    assert inline_scripts(html) == []
    assert not re.search(r"<[^>]+\s(style|on[a-z]+)=", html)


def test_the_brand_hash_follows_the_tenants_colour(client, published, tenant_a):
    tenant_a.primary_color = "#aa0011"
    tenant_a.save()
    response = client.get("/en/", HTTP_HOST=A)
    assert (
        sha256_source(":root { --brand: #aa0011; }")
        in response["Content-Security-Policy"]
    )


def test_json_ld_blocks_stay_data_blocks(client, published):
    html = client.get("/en/guides/cancel-esim/", HTTP_HOST=A).content.decode()
    assert html.count('<script type="application/ld+json">') == 3


def test_a_stored_page_is_sent_with_the_same_policy_and_no_nonce(client, published):
    """The page cache and its WSGI front send the header the page was made with."""
    first = client.get("/en/guides/cancel-esim/", HTTP_HOST=A)
    second = client.get("/en/guides/cancel-esim/", HTTP_HOST=A)
    assert second["Content-Security-Policy"] == first["Content-Security-Policy"]
    environ = RequestFactory().get("/en/guides/cancel-esim/", HTTP_HOST=A).environ
    answer = PageCacheFront.stored_answer(environ)
    assert answer is not None, "the front did not answer the stored page"
    _status, headers, _body = answer
    assert dict(headers)["Content-Security-Policy"] == first["Content-Security-Policy"]
    assert "nonce" not in first["Content-Security-Policy"]


def test_the_admin_gets_a_nonce_for_its_own_inline_styles(client, tenant_a):
    user = make_user("editor", tenant=tenant_a)
    client.force_login(user)
    response = client.get("/admin/", HTTP_HOST=A)
    assert response.status_code == 200
    policy = directives(response["Content-Security-Policy"])
    nonces = {s for s in policy["style-src"] if s.startswith("'nonce-")}
    assert len(nonces) == 1
    nonce = nonces.pop()[len("'nonce-") : -1]
    html = response.content.decode()
    style_tags = re.findall(r"<style\b[^>]*>", html)
    assert style_tags, "the admin base template has an inline style block"
    assert all(f'nonce="{nonce}"' in tag for tag in style_tags)
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]


def test_the_draft_preview_has_the_public_pages_policy(client, published, tenant_a):
    """The admin's preview renders the public template: its brand style is hashed."""
    client.force_login(make_user("editor", tenant=tenant_a))
    response = client.get(
        f"/admin/guides/article/{published.pk}/preview/en/", HTTP_HOST=A
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert re.findall(r"<style>(.*?)</style>", html, re.S) == [
        ":root { --brand: #0b5cad; }"
    ]
    policy = directives(response["Content-Security-Policy"])
    assert sha256_source(":root { --brand: #0b5cad; }") in policy["style-src"]
    assert inline_scripts(html) == []


def test_each_admin_response_gets_a_fresh_nonce(client, tenant_a):
    client.force_login(make_user("editor", tenant=tenant_a))
    first = client.get("/admin/", HTTP_HOST=A)["Content-Security-Policy"]
    second = client.get("/admin/", HTTP_HOST=A)["Content-Security-Policy"]
    assert "'nonce-" in first and first != second


# --- finding 12: HEAD wherever GET, 405 for the rest ---------------------------


HEAD_PATHS = [
    "/",
    "/en/",
    "/en/carriers/china-mobile/",
    "/en/cards/esim/",
    "/en/guides/cancel-esim/",
    "/en/search/?q=esim",
    "/en/search/suggest/?q=esim",
    "/robots.txt",
    "/sitemap.xml",
]


@pytest.mark.parametrize("path", HEAD_PATHS)
def test_head_answers_like_get_on_an_uncached_page(client, published, path):
    head = client.head(path, HTTP_HOST=A)
    assert head.status_code != 405
    get = client.get(path, HTTP_HOST=A)
    assert head.status_code == get.status_code
    assert head["Content-Type"] == get["Content-Type"]


def test_head_on_search_logs_nothing(client, published):
    client.head("/en/search/?q=esim", HTTP_HOST=A, REMOTE_ADDR="10.1.1.1")
    assert SearchQuery.unscoped.count() == 0


@pytest.mark.parametrize("method", ["options", "trace", "put", "patch", "delete"])
@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/en/",
        "/en/guides/cancel-esim/",
        "/en/search/?q=esim",
        "/en/search/suggest/?q=esim",
    ],
)
def test_unsupported_methods_answer_405_and_log_nothing(
    client, published, method, path
):
    response = getattr(client, method)(path, HTTP_HOST=A)
    assert response.status_code == 405
    assert "GET" in response["Allow"] and "HEAD" in response["Allow"]
    assert SearchQuery.unscoped.count() == 0


def test_post_to_search_is_405_and_logs_nothing(client, published):
    response = client.post("/en/search/?q=esim", {"q": "esim"}, HTTP_HOST=A)
    assert response.status_code == 405
    assert SearchQuery.unscoped.count() == 0


def test_a_click_by_trace_is_405_and_records_nothing(client, published):
    client.get("/en/search/?q=esim", HTTP_HOST=A)
    logged = SearchQuery.unscoped.get()
    response = client.trace(f"/en/search/go/{logged.pk}/cancel-esim/", HTTP_HOST=A)
    assert response.status_code == 405
    logged.refresh_from_db()
    assert logged.clicked_article_id is None


def test_feedback_takes_post_only(client, published):
    response = client.get("/en/guides/cancel-esim/feedback/", HTTP_HOST=A)
    assert response.status_code == 405


# --- the browser tests' CSP listener ------------------------------------------


@pytest.mark.browser
def test_the_browser_tests_catch_a_csp_violation():
    """tests/browser.py's listener records what Chromium refuses, and fails on it.

    Its own Chromium, stopped before the test ends: while Playwright's loop
    runs, Django's database code in this thread would open another connection.
    """
    from tests.browser import assert_no_csp_violations, launch_chromium, watch_csp

    chromium = launch_chromium()
    browser = next(chromium)
    try:
        context = browser.new_context()
        violations = watch_csp(context)
        context.route(
            "http://csp.test/",
            lambda route: route.fulfill(
                status=200,
                headers={"Content-Security-Policy": "script-src 'self'"},
                content_type="text/html",
                body="<title>t</title><p>x</p><script>document.title = 'ran'</script>",
            ),
        )
        page = context.new_page()
        page.goto("http://csp.test/")
        assert page.title() == "t"  # the inline script was refused
        context.close()
    finally:
        chromium.close()
    assert violations and "script-src" in violations[0]
    with pytest.raises(AssertionError, match="Content-Security-Policy violations"):
        assert_no_csp_violations([context])
