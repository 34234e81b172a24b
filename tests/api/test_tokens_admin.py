"""API tokens in the admin: a member adds one (secret shown once), sees and
revokes their own only; the docs page serves its assets from this host."""

from __future__ import annotations

import re

import pytest
from django.contrib.messages import get_messages
from django.test import Client

from guides.models import ApiToken, Membership
from guides.services.tokens import token_hash
from tests.api.conftest import A, token_for
from tests.factories import make_user

pytestmark = pytest.mark.django_db

ADD = "/admin/guides/apitoken/add/"
LIST = "/admin/guides/apitoken/"


def login(user) -> Client:
    client = Client(HTTP_HOST=A)
    client.force_login(user)
    return client


def test_a_member_creates_a_token_and_sees_its_secret_once(client, tenant_a):
    user = make_user(tenant=tenant_a, role=Membership.Role.EDITOR)
    browser = login(user)
    response = browser.post(ADD, {"name": "translations"}, follow=True)
    assert response.status_code == 200
    text = " ".join(str(m) for m in get_messages(response.wsgi_request))
    secret = re.search(r"hc_[A-Za-z0-9_-]+", text).group(0)
    token = ApiToken.unscoped.get()
    assert (token.user, token.tenant, token.name) == (user, tenant_a, "translations")
    assert token.key_hash == token_hash(secret)
    # The secret works with the API, and the list never shows it again.
    api = client.get(
        "/api/v1/editor/procedures", HTTP_HOST=A, HTTP_AUTHORIZATION=f"Bearer {secret}"
    )
    assert api.status_code == 200
    assert secret not in browser.get(LIST).content.decode()


def test_a_member_sees_and_revokes_only_their_own_tokens(tenant_a):
    owner, _secret = token_for(tenant_a)
    other = make_user(tenant=tenant_a, role=Membership.Role.MANAGER)
    mine = ApiToken.unscoped.get(user=owner)
    browser = login(other)
    assert browser.get(LIST).context["cl"].result_count == 0
    assert login(owner).get(LIST).context["cl"].result_count == 1
    refused = browser.post(f"{LIST}{mine.pk}/delete/", {"post": "yes"})
    assert refused.status_code in (302, 404)
    assert ApiToken.unscoped.filter(pk=mine.pk).exists()

    revoked = login(owner).post(f"{LIST}{mine.pk}/delete/", {"post": "yes"})
    assert revoked.status_code == 302
    assert not ApiToken.unscoped.filter(pk=mine.pk).exists()


def test_the_docs_page_serves_its_assets_locally(client, tenant_a):
    response = client.get("/api/v1/docs", HTTP_HOST=A)
    assert response.status_code == 200
    page = response.content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert assets
    assert all(url.startswith("/static/") for url in assets), assets
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "cdn" not in page.lower()
    for url in assets:
        if url.endswith((".js", ".css")):
            asset = client.get(url, HTTP_HOST=A)
            assert asset.status_code == 200, url
            b"".join(asset.streaming_content if asset.streaming else [asset.content])


def test_the_schema_is_openapi_3_1(client, tenant_a):
    schema = client.get("/api/v1/openapi.json", HTTP_HOST=A).json()
    assert schema["openapi"].startswith("3.1")
    assert "/api/v1/procedures/{slug}" in schema["paths"]
    problem = schema["paths"]["/api/v1/procedures/{slug}"]["get"]["responses"]["404"]
    assert "application/problem+json" in problem["content"]
