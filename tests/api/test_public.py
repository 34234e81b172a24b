"""The public API: published content of the host's tenant only, cached, fair."""

from __future__ import annotations

import json
import re

import pytest
from django.test import override_settings

from guides import services
from guides.models import SearchQuery
from guides.tenancy import tenant_context
from tests.api.conftest import A, B
from tests.factories import make_article, make_carrier

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"


def get(client, path, host=A, **extra):
    return client.get(path, HTTP_HOST=host, **extra)


def body(response) -> dict:
    return json.loads(response.content)


# --- tenant isolation -------------------------------------------------------------


def test_the_same_slug_answers_each_tenant_its_own_procedure(
    client, published_a, published_b
):
    a = body(get(client, "/api/v1/procedures/cancel-esim?lang=en", host=A))
    b = body(get(client, "/api/v1/procedures/cancel-esim?lang=en", host=B))
    assert a["title"] == "Cancel an eSIM"
    assert b["title"] == "Beta's cancel"
    assert a["url"].startswith("http://alpha.test/")
    assert b["url"].startswith("http://beta.test/")


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/carriers",
        "/api/v1/card-types",
        "/api/v1/procedures",
        "/api/v1/search?q=eSIM",
    ],
)
def test_lists_hold_only_the_hosts_tenant(client, published_a, tenant_b, path):
    """Tenant B has no carrier, card type or procedure: it sees none of A's."""
    on_a = get(client, path, host=A).content.decode()
    on_b = get(client, path, host=B).content.decode()
    assert "cancel-esim" in on_a or "china-mobile" in on_a or "esim" in on_a
    assert "china-mobile" not in on_b
    assert "cancel-esim" not in on_b
    assert '"slug": "esim"' not in on_b


def test_another_tenants_procedure_is_a_404_problem(client, published_a, tenant_b):
    response = get(client, "/api/v1/procedures/cancel-esim", host=B)
    assert response.status_code == 404
    assert response["Content-Type"] == PROBLEM
    assert body(response)["status"] == 404


def test_an_unknown_host_is_a_404(client, published_a):
    response = get(client, "/api/v1/procedures", host="nobody.test")
    assert response.status_code == 404
    assert b"cancel-esim" not in response.content


def test_a_draft_is_never_visible(client, tenant_a, published_a):
    """A draft is in no list and has no detail; an edit of a published
    procedure stays invisible until it is published again."""
    with tenant_context(tenant_a):
        make_article(tenant_a, "draft-only", title_en="Secret draft")
        services.article_update(
            article=published_a, user=None, title_en="Edited, not published"
        )
    listing = get(client, "/api/v1/procedures?lang=en").content.decode()
    assert "draft-only" not in listing
    assert "Edited, not published" not in listing
    assert get(client, "/api/v1/procedures/draft-only").status_code == 404
    detail = body(get(client, "/api/v1/procedures/cancel-esim?lang=en"))
    assert detail["title"] == "Cancel an eSIM"
    found = get(client, "/api/v1/search?q=Secret&lang=en").content.decode()
    assert "draft-only" not in found


# --- content --------------------------------------------------------------------


def test_detail_has_the_structured_parts(client, published_a):
    data = body(get(client, "/api/v1/procedures/cancel-esim?lang=en"))
    assert [s["title"] for s in data["steps"]] == ["Step 1", "Step 2", "Step 3"]
    assert [s["position"] for s in data["steps"]] == [1, 2, 3]
    assert data["requirements"] == [{"kind": "document", "text": "ID card"}]
    assert data["tips"] == [{"kind": "warning", "text": "Beware of fraud"}]
    assert data["faqs"][0]["question"] == "How long?"
    assert data["channels"][0]["href"] == "tel:10086"
    assert data["carrier"] == {"slug": "china-mobile", "name": "China Mobile"}
    assert data["languages"] == ["zh-hans", "en"]


def test_detail_carries_the_pages_json_ld(client, published_a):
    page = get(client, "/en/guides/cancel-esim/").content.decode()
    blocks = [
        json.loads(block)
        for block in re.findall(
            r'<script type="application/ld\+json">(.*?)</script>', page, re.S
        )
    ]
    data = body(get(client, "/api/v1/procedures/cancel-esim?lang=en"))
    assert data["json_ld"] == blocks
    assert {block["@type"] for block in blocks} == {
        "HowTo",
        "FAQPage",
        "BreadcrumbList",
    }


def test_language_from_the_query_then_accept_language(client, published_a):
    assert body(get(client, "/api/v1/procedures/cancel-esim?lang=en"))["title"] == (
        "Cancel an eSIM"
    )
    response = get(
        client, "/api/v1/procedures/cancel-esim", HTTP_ACCEPT_LANGUAGE="en-US,en"
    )
    assert body(response)["language"] == "en"
    assert response["Content-Language"] == "en"
    assert "Accept-Language" in response["Vary"]
    default = body(get(client, "/api/v1/procedures/cancel-esim"))
    assert default["language"] == "zh-hans"


def test_a_language_the_tenant_does_not_offer_is_a_404_problem(client, published_a):
    response = get(client, "/api/v1/procedures/cancel-esim?lang=zh-hant")
    assert response.status_code == 404
    assert response["Content-Type"] == PROBLEM
    assert body(response)["languages"] == ["zh-hans", "en"]
    assert get(client, "/api/v1/carriers?lang=zh-hant").status_code == 404


def test_filters_by_carrier_card_type_and_update_time(client, tenant_a, published_a):
    other = make_carrier(tenant_a, slug="unicom", hotline="10010")
    with tenant_context(tenant_a):
        make_article(tenant_a, "unicom-esim", publish=True, carrier=other)

    def slugs(query: str) -> list[str]:
        data = body(get(client, f"/api/v1/procedures?{query}"))
        return [item["slug"] for item in data["items"]]

    assert sorted(slugs("")) == ["cancel-esim", "unicom-esim"]
    assert slugs("carrier=unicom") == ["unicom-esim"]
    assert slugs("card_type=esim") == ["cancel-esim"]
    assert slugs("carrier=nobody") == []
    assert slugs("updated_since=2999-01-01T00:00:00Z") == []
    assert len(slugs("updated_since=2000-01-01T00:00:00Z")) == 2


def test_the_cursor_walks_every_procedure_once_in_a_stable_order(client, tenant_a):
    with tenant_context(tenant_a):
        for n in range(5):
            make_article(tenant_a, f"p-{n}", publish=True, steps=1)
    seen, cursor = [], ""
    for _page in range(5):
        data = body(get(client, f"/api/v1/procedures?limit=2{cursor}"))
        seen += [item["slug"] for item in data["items"]]
        if data["next_cursor"] is None:
            break
        cursor = f"&cursor={data['next_cursor']}"
    assert sorted(seen) == [f"p-{n}" for n in range(5)]
    assert len(seen) == 5


def test_a_forged_cursor_is_a_400_problem(client, tenant_a):
    response = get(client, "/api/v1/procedures?cursor=bm90LWEtY3Vyc29y")
    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM


def test_invalid_parameters_are_a_422_problem(client, tenant_a):
    response = get(client, "/api/v1/procedures?limit=0")
    assert response.status_code == 422
    assert response["Content-Type"] == PROBLEM
    assert body(response)["errors"][0]["loc"][-1] == "limit"


def test_search_uses_the_sites_engine_and_logs_the_query(client, published_a):
    data = body(get(client, "/api/v1/search?q=eSIM&lang=en"))
    assert [r["slug"] for r in data["results"]] == ["cancel-esim"]
    assert data["results"][0]["api_url"].endswith(
        "/api/v1/procedures/cancel-esim?lang=en"
    )
    assert SearchQuery.unscoped.filter(tenant=published_a.tenant).count() == 1
    get(client, "/api/v1/search?q=eSIM&lang=en")  # same client, same window
    assert SearchQuery.unscoped.count() == 1


# --- HTTP: ETag, caching, CORS, rate limit ----------------------------------------


def test_etag_and_304(client, published_a):
    first = get(client, "/api/v1/procedures/cancel-esim?lang=en")
    etag = first["ETag"]
    again = get(
        client, "/api/v1/procedures/cancel-esim?lang=en", HTTP_IF_NONE_MATCH=etag
    )
    assert again.status_code == 304
    assert again.content == b""
    other = get(
        client, "/api/v1/procedures/cancel-esim?lang=zh-hans", HTTP_IF_NONE_MATCH=etag
    )
    assert other.status_code == 200


def test_cache_control_like_the_pages(client, published_a):
    page = get(client, "/en/guides/cancel-esim/")
    api = get(client, "/api/v1/procedures/cancel-esim?lang=en")
    assert api["Cache-Control"] == page["Cache-Control"]
    search = get(client, "/api/v1/search?q=eSIM")
    assert search["Cache-Control"] == "no-cache"


def test_a_publish_changes_the_stored_response(
    client, tenant_a, published_a, django_capture_on_commit_callbacks
):
    before = get(client, "/api/v1/procedures/cancel-esim?lang=en")
    with tenant_context(tenant_a), django_capture_on_commit_callbacks(execute=True):
        services.article_update(article=published_a, user=None, title_en="Renamed")
        services.article_publish(article=published_a, user=None)
    after = get(client, "/api/v1/procedures/cancel-esim?lang=en")
    assert body(after)["title"] == "Renamed"
    assert after["ETag"] != before["ETag"]


@pytest.mark.parametrize(
    "path", ["/api/v1/procedures", "/api/v1/procedures/nope", "/api/v1/search?q=x"]
)
def test_cors_for_get(client, published_a, path):
    response = get(client, path, HTTP_ORIGIN="https://shop.example")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in response["Access-Control-Expose-Headers"]


@override_settings(HELPCENTER_API_RATE_LIMIT=(3, 60))
def test_rate_limit_answers_429_with_retry_after(client, published_a):
    """The limit counts the requests that reach an operation (misses): each
    of these has its own query string, so none is a stored answer."""
    statuses = [get(client, f"/api/v1/card-types?n={n}").status_code for n in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = get(client, "/api/v1/procedures/cancel-esim")
    assert response.status_code == 429
    assert response["Content-Type"] == PROBLEM
    assert 1 <= int(response["Retry-After"]) <= 60
    assert response["Access-Control-Allow-Origin"] == "*"
    other_client = get(client, "/api/v1/card-types?n=9", REMOTE_ADDR="198.51.100.9")
    assert other_client.status_code == 200


@override_settings(HELPCENTER_API_RATE_LIMIT=(2, 60))
def test_stored_answers_are_not_counted(client, published_a):
    """A stored answer costs what a stored page costs, and is not counted
    (docs/API.md): a client repeating it is never limited, and its misses
    are still counted."""
    statuses = [get(client, "/api/v1/card-types").status_code for _ in range(5)]
    assert statuses == [200] * 5
    assert get(client, "/api/v1/carriers").status_code == 200
    assert get(client, "/api/v1/carriers?n=1").status_code == 429
    assert get(client, "/api/v1/card-types").status_code == 200


# --- exact query counts -------------------------------------------------------------


def _count(client, django_assert_num_queries, path, expected):
    from django.core.cache import cache

    from guides.cache import generations
    from guides.cache.pages import local_pages

    cache.clear()
    local_pages.clear()
    generations.forget_all()
    # The host's tenant and the content generation are read once per process
    # (and second), not per request: this request reads both.
    get(client, "/api/v1/openapi.json")
    with django_assert_num_queries(expected):
        response = get(client, path)
    assert response.status_code == 200
    # A stored response runs no query.
    if "search" not in path:
        with django_assert_num_queries(0):
            assert get(client, path).status_code == 200


@pytest.mark.parametrize("steps", [1, 12])
def test_detail_queries_do_not_grow_with_steps(
    client, tenant_a, django_assert_num_queries, steps
):
    carrier = make_carrier(tenant_a)
    with tenant_context(tenant_a):
        make_article(tenant_a, "p", publish=True, steps=steps, carrier=carrier)
    # the publication in one language, the carrier's channels
    _count(client, django_assert_num_queries, "/api/v1/procedures/p?lang=en", 2)


@pytest.mark.parametrize("count", [1, 6])
def test_list_queries_do_not_grow_with_page_size(
    client, tenant_a, django_assert_num_queries, count
):
    carrier = make_carrier(tenant_a)
    with tenant_context(tenant_a):
        for n in range(count):
            make_article(tenant_a, f"p-{n}", publish=True, steps=1, carrier=carrier)
    # the publications, joined to their carrier and card type
    _count(client, django_assert_num_queries, "/api/v1/procedures?limit=50", 1)
    # the carriers, their channels
    _count(client, django_assert_num_queries, "/api/v1/carriers", 2)
    _count(client, django_assert_num_queries, "/api/v1/card-types", 1)


@pytest.mark.parametrize("count", [1, 6])
def test_search_queries_do_not_grow_with_results(
    client,
    tenant_a,
    django_assert_num_queries,
    django_capture_on_commit_callbacks,
    count,
):
    carrier = make_carrier(tenant_a)
    with tenant_context(tenant_a), django_capture_on_commit_callbacks(execute=True):
        for n in range(count):
            make_article(tenant_a, f"p-{n}", publish=True, steps=1, carrier=carrier)
    # synonyms, matches, the catalogue (carriers, card types), the page's
    # documents, the logged query
    _count(client, django_assert_num_queries, "/api/v1/search?q=eSIM&lang=en", 6)


def test_editor_list_and_history_queries_do_not_grow(
    client, tenant_a, django_assert_num_queries
):
    from tests.api.conftest import token_for

    _user, secret = token_for(tenant_a)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    with tenant_context(tenant_a):
        articles = [make_article(tenant_a, f"d-{n}", steps=1) for n in range(3)]
        for article in articles:
            services.article_update(article=article, user=None, title_en="Again")
    get(client, "/api/v1/editor/procedures", **auth)
    # token with its user, role, the page of articles
    with django_assert_num_queries(3):
        assert (
            get(client, "/api/v1/editor/procedures?limit=50", **auth).status_code == 200
        )
    # token with its user, role, the article, its revisions with user and meta
    path = f"/api/v1/editor/procedures/{articles[0].pk}/revisions"
    with django_assert_num_queries(4):
        assert get(client, path, **auth).status_code == 200
