"""The editor API: tokens per user and tenant, drafts, history and workflow
through the admin's services, optimistic locking, problem details."""

from __future__ import annotations

import json

import pytest
from reversion.models import Revision

from guides import services
from guides.models import ApiToken, Article, Membership, Publication, RevisionMeta
from guides.services.tokens import token_hash
from guides.tenancy import tenant_context
from tests.api.conftest import A, B, token_for
from tests.factories import make_article, make_carrier

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"


def call(client, method, path, secret=None, host=A, data=None, **extra):
    if secret is not None:
        extra["HTTP_AUTHORIZATION"] = f"Bearer {secret}"
    kwargs = {"HTTP_HOST": host, **extra}
    if method != "get":
        # An empty body when none is given, as ``curl -X POST`` sends.
        payload = "" if data is None else json.dumps(data)
        kwargs.update(data=payload, content_type="application/json")
    return getattr(client, method)(path, **kwargs)


def body(response) -> dict:
    return json.loads(response.content)


@pytest.fixture
def draft_a(tenant_a):
    with tenant_context(tenant_a):
        return make_article(tenant_a, "draft-a", title_en="Draft A")


def editor_paths(article_id: int) -> list[tuple[str, str]]:
    return [
        ("get", "/api/v1/editor/procedures"),
        ("post", "/api/v1/editor/procedures"),
        ("get", f"/api/v1/editor/procedures/{article_id}"),
        ("patch", f"/api/v1/editor/procedures/{article_id}"),
        ("get", f"/api/v1/editor/procedures/{article_id}/revisions"),
        ("post", f"/api/v1/editor/procedures/{article_id}/submit"),
        ("post", f"/api/v1/editor/procedures/{article_id}/publish"),
        ("post", f"/api/v1/editor/procedures/{article_id}/unpublish"),
    ]


# --- authentication and tenant isolation -------------------------------------------


def test_every_editor_operation_needs_a_token_of_the_hosts_tenant(
    client, tenant_a, tenant_b, draft_a, editor_a
):
    """No token, a wrong one, and tenant A's token on tenant B's host: 401."""
    _user, secret = editor_a
    for method, path in editor_paths(draft_a.pk):
        for token, host in ((None, A), ("hc_wrong", A), (secret, B)):
            response = call(client, method, path, token, host=host, data={})
            assert response.status_code == 401, (method, path, host)
            assert response["Content-Type"] == PROBLEM
            assert response["WWW-Authenticate"].startswith("Bearer")
            assert b"Draft A" not in response.content


def test_a_token_stops_working_when_revoked_or_membership_ends(
    client, tenant_a, editor_a
):
    user, secret = editor_a
    assert call(client, "get", "/api/v1/editor/procedures", secret).status_code == 200
    with tenant_context(tenant_a):
        services.membership_delete(
            membership=Membership.objects.get(user=user), actor=None
        )
    assert call(client, "get", "/api/v1/editor/procedures", secret).status_code == 401
    _other, second = token_for(tenant_a)
    with tenant_context(tenant_a):
        token = ApiToken.objects.get(key_hash=token_hash(second))
        services.api_token_revoke(token=token, user=token.user)
    assert call(client, "get", "/api/v1/editor/procedures", second).status_code == 401


def test_the_secret_is_stored_hashed(tenant_a, editor_a):
    _user, secret = editor_a
    stored = ApiToken.unscoped.get()
    assert stored.key_hash == token_hash(secret)
    assert secret not in {stored.key_hash, stored.prefix, stored.name}
    assert secret.startswith(stored.prefix)


def test_another_tenants_article_is_a_404(client, tenant_a, tenant_b, editor_a):
    with tenant_context(tenant_b):
        other = make_article(tenant_b, "b-draft")
    _user, secret = editor_a
    for method, path in editor_paths(other.pk)[2:]:
        response = call(client, method, path, secret, data={}, HTTP_IF_MATCH="*")
        assert response.status_code == 404, (method, path)
        assert response["Content-Type"] == PROBLEM


# --- reading drafts and history -------------------------------------------------------


def test_drafts_are_read_with_a_token_only(client, draft_a, editor_a):
    _user, secret = editor_a
    listing = body(call(client, "get", "/api/v1/editor/procedures", secret))
    assert [item["slug"] for item in listing["items"]] == ["draft-a"]
    response = call(client, "get", f"/api/v1/editor/procedures/{draft_a.pk}", secret)
    data = body(response)
    assert data["title"]["en"] == "Draft A"
    assert data["status"] == "draft"
    assert [s["title"]["en"] for s in data["steps"]] == ["Step 1", "Step 2", "Step 3"]
    assert response["ETag"] == f'"{draft_a.pk}-{draft_a.lock_version}"'
    assert "no-store" in response["Cache-Control"]
    assert call(client, "get", "/api/v1/procedures/draft-a").status_code == 404


def test_history_lists_the_revisions(client, tenant_a, draft_a, editor_a):
    with tenant_context(tenant_a):
        services.article_update(article=draft_a, user=None, title_en="Draft A2")
    _user, secret = editor_a
    data = body(
        call(client, "get", f"/api/v1/editor/procedures/{draft_a.pk}/revisions", secret)
    )
    assert [item["action"] for item in data["items"]] == ["edit", "create"]


@pytest.mark.parametrize("steps", [1, 10])
def test_detail_queries_do_not_grow_with_steps(
    client, tenant_a, editor_a, django_assert_num_queries, steps
):
    with tenant_context(tenant_a):
        article = make_article(tenant_a, "p", steps=steps)
    _user, secret = editor_a
    path = f"/api/v1/editor/procedures/{article.pk}"
    call(client, "get", path, secret)  # the host's tenant and generation, read once
    # token with its user, role, article with carrier, card type and
    # publication, steps with their channels, requirements, tips, FAQs
    with django_assert_num_queries(7):
        assert call(client, "get", path, secret).status_code == 200


# --- writes through the services ------------------------------------------------------


def test_create_records_a_tagged_revision(client, tenant_a, editor_a):
    user, secret = editor_a
    carrier = make_carrier(tenant_a)
    response = call(
        client,
        "post",
        "/api/v1/editor/procedures",
        secret,
        data={
            "slug": "new-one",
            "carrier": carrier.slug,
            "title": {"zh-hans": "新的", "en": "New one"},
            "steps": [
                {"title": {"zh-hans": "打电话", "en": "Call"}, "duration_seconds": 600}
            ],
            "tips": [
                {"kind": "warning", "text": {"zh-hans": "谨防诈骗", "en": "Beware"}}
            ],
        },
    )
    assert response.status_code == 201, response.content
    data = body(response)
    assert data["carrier"] == carrier.slug
    assert data["steps"][0]["duration_seconds"] == 600
    meta = RevisionMeta.unscoped.get(article_id=data["id"])
    assert (meta.tenant_id, meta.action) == (tenant_a.pk, "create")
    assert meta.revision.user == user


def test_update_needs_the_current_etag(client, tenant_a, draft_a, editor_a):
    _user, secret = editor_a
    path = f"/api/v1/editor/procedures/{draft_a.pk}"
    etag = call(client, "get", path, secret)["ETag"]
    change = {"title": {"en": "Renamed"}}

    missing = call(client, "patch", path, secret, data=change)
    assert missing.status_code == 428
    assert missing["Content-Type"] == PROBLEM

    done = call(client, "patch", path, secret, data=change, HTTP_IF_MATCH=etag)
    assert done.status_code == 200, done.content
    assert body(done)["title"]["en"] == "Renamed"
    assert done["ETag"] != etag

    stale = call(
        client,
        "patch",
        path,
        secret,
        data={"title": {"en": "Lost"}},
        HTTP_IF_MATCH=etag,
    )
    assert stale.status_code == 412
    assert stale["Content-Type"] == PROBLEM
    with tenant_context(tenant_a):
        assert Article.objects.get(pk=draft_a.pk).title_en == "Renamed"


def test_update_replaces_parts_keeping_listed_ids(client, draft_a, editor_a):
    _user, secret = editor_a
    path = f"/api/v1/editor/procedures/{draft_a.pk}"
    before = call(client, "get", path, secret)
    first = body(before)["steps"][0]["id"]
    response = call(
        client,
        "patch",
        path,
        secret,
        data={"steps": [{"id": first, "title": {"en": "Only step"}}]},
        HTTP_IF_MATCH=before["ETag"],
    )
    assert response.status_code == 200, response.content
    assert [(s["id"], s["title"]["en"]) for s in body(response)["steps"]] == [
        (first, "Only step")
    ]


def test_a_refused_change_is_a_422_problem(client, draft_a, editor_a):
    _user, secret = editor_a
    path = f"/api/v1/editor/procedures/{draft_a.pk}"
    etag = call(client, "get", path, secret)["ETag"]
    response = call(
        client,
        "patch",
        path,
        secret,
        data={"title": {"en": "x" * 300}},
        HTTP_IF_MATCH=etag,
    )
    assert response.status_code == 422
    assert response["Content-Type"] == PROBLEM
    assert body(response)["fields"]


def test_workflow_follows_the_role(
    client, tenant_a, draft_a, editor_a, reviewer_a, django_capture_on_commit_callbacks
):
    _user, editor = editor_a
    _reviewer, reviewer = reviewer_a
    base = f"/api/v1/editor/procedures/{draft_a.pk}"

    submitted = call(client, "post", f"{base}/submit", editor)
    assert body(submitted)["status"] == "review"
    refused = call(client, "post", f"{base}/publish", editor)
    assert refused.status_code == 403
    assert refused["Content-Type"] == PROBLEM

    stale = call(client, "post", f"{base}/publish", reviewer, HTTP_IF_MATCH='"1-1"')
    assert stale.status_code == 412
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        published = call(
            client,
            "post",
            f"{base}/publish",
            reviewer,
            HTTP_IF_MATCH=submitted["ETag"],
            data={"comment": "Looks right"},
        )
    assert published.status_code == 200, published.content
    assert callbacks  # the same after-commit effects as the admin's publish
    assert body(published)["published_at"] is not None
    assert Publication.unscoped.filter(article_id=draft_a.pk).exists()
    assert call(client, "get", "/api/v1/procedures/draft-a?lang=en").status_code == 200
    revision = Revision.objects.filter(meta__article_id=draft_a.pk).latest("pk")
    assert (revision.meta.action, revision.comment) == ("publish", "Looks right")

    with django_capture_on_commit_callbacks(execute=True):
        call(client, "post", f"{base}/unpublish", reviewer)
    assert not Publication.unscoped.filter(article_id=draft_a.pk).exists()
    assert call(client, "get", "/api/v1/procedures/draft-a").status_code == 404
