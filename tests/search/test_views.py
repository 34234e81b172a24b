"""The search page, search-as-you-type and result clicks, over HTTP."""

from __future__ import annotations

import re

import pytest

from guides.models import SearchQuery
from tests.search.test_backends import HOSTILE
from tests.search_corpus import DRAFT_SLUG, UNPUBLISHED_SLUG, build_corpus

pytestmark = pytest.mark.django_db

A = "alpha.test"
B = "beta.test"


@pytest.fixture
def corpus(db, django_capture_on_commit_callbacks):
    return build_corpus(django_capture_on_commit_callbacks)


def search(client, query="", host=A, language="zh-hans", **params):
    return client.get(f"/{language}/search/", {"q": query, **params}, HTTP_HOST=host)


def result_slugs(html: str) -> list[str]:
    return re.findall(
        r'<li class="search-result">\s*<h2><a href="[^"]*?/([\w-]+)/(?:\?t=\w+)?"', html
    )


def test_results_are_ranked_highlighted_and_the_query_stays_in_the_box(client, corpus):
    page = search(client, "注销 eSIM").content.decode()
    assert result_slugs(page)[0] == "cmcc-esim-cancel"
    assert "<mark>注销</mark>" in page
    assert 'value="注销 eSIM"' in page
    assert '<p class="search-summary" role="status">' in page


def test_filters_show_counts_and_narrow_results(client, corpus):
    page = search(client, "注销").content.decode()
    assert re.search(
        r'中国移动<span class="chip-count" aria-hidden="true">\d+</span>', page
    )
    narrowed = search(client, "注销", carrier="telecom").content.decode()
    assert result_slugs(narrowed) and all(
        "telecom" in s for s in result_slugs(narrowed)
    )
    assert 'aria-current="true">中国电信' in narrowed


def test_unknown_filters_and_pages_answer_normally(client, corpus):
    for params in (
        {"carrier": "nope"},
        {"card": "x" * 500},
        {"page": "-3"},
        {"page": "9" * 40},
    ):
        response = search(client, "注销", **params)
        assert response.status_code == 200, params
        assert result_slugs(response.content.decode()), params


def test_no_results_suggests_popular_procedures_and_hotlines(client, corpus):
    page = search(client, "完全不相关的词语xyz").content.decode()
    assert '<div class="search-empty">' in page
    assert 'href="tel:10086"' in page
    assert 'class="search-popular"' in page


@pytest.mark.parametrize(
    "query", ["", "   ", "x" * 10_000, *[q for q in HOSTILE if q != "\ud800"]]
)
def test_hostile_queries_get_a_normal_page(client, corpus, query):
    response = search(client, query)
    assert response.status_code == 200
    assert DRAFT_SLUG not in response.content.decode()


def test_undecodable_query_bytes_get_a_normal_page(client, corpus):
    """A lone surrogate or invalid UTF-8 in the URL is a normal page, not a 500."""
    for raw in ("%ED%A0%80", "%FF%FE", "%E6%B3%A8%E9"):
        response = client.get(f"/zh-hans/search/?q={raw}", HTTP_HOST=A)
        assert response.status_code == 200, raw


def test_another_tenant_or_language_never_leaks(client, corpus):
    alpha = result_slugs(search(client, "注销").content.decode())
    beta = result_slugs(search(client, "注销", host=B).content.decode())
    assert alpha and beta
    assert not set(alpha) & {"beta-esim-cancel", "beta-5g-cancel"}
    assert set(beta) <= {"beta-esim-cancel", "beta-5g-cancel"}
    assert DRAFT_SLUG not in alpha and UNPUBLISHED_SLUG not in alpha
    # Chinese words do not find English documents
    english = search(client, "中国电信5G卡注销", language="en").content.decode()
    # (the query itself is echoed in the box and the heading)
    assert "中国电信5G卡注销" not in re.sub(
        r'value="[^"]*"|<h1[^>]*>[^<]*</h1>', "", english.split("<main")[1]
    )


def test_every_search_is_logged_per_tenant_with_its_click(client, corpus):
    page = search(client, "携号转网").content.decode()
    logged = SearchQuery.unscoped.get()
    assert (logged.tenant_id, logged.language, logged.result_count) == (
        corpus.tenant_a.pk,
        "zh-hans",
        1,
    )
    click = re.search(r'href="(/zh-hans/search/go/\d+/[\w-]+/\?t=\w+)"', page).group(1)
    response = client.get(click, HTTP_HOST=A)
    assert response.status_code == 302
    assert response["Location"] == "/zh-hans/guides/cmcc-number-porting/"
    logged.refresh_from_db()
    assert logged.clicked_article_id == corpus.articles["cmcc-number-porting"].pk
    search(client, "nothing-at-all-here")
    assert SearchQuery.unscoped.filter(result_count=0).count() == 1


def test_a_click_cannot_name_another_tenants_query_or_article(client, corpus):
    search(client, "注销", host=B)
    beta_query = SearchQuery.unscoped.get()
    # tenant A's host, tenant B's query id: the click is not recorded there
    response = client.get(
        f"/zh-hans/search/go/{beta_query.pk}/cmcc-esim-cancel/", HTTP_HOST=A
    )
    assert response.status_code == 302
    beta_query.refresh_from_db()
    assert beta_query.clicked_article_id is None
    # and tenant B's article slug is a 404 on tenant A's host
    response = client.get(
        f"/zh-hans/search/go/{beta_query.pk}/beta-esim-cancel/", HTTP_HOST=A
    )
    assert response.status_code == 404


def test_suggest_returns_at_most_eight_titles_as_json(client, corpus):
    response = client.get("/zh-hans/search/suggest/", {"q": "中国移"}, HTTP_HOST=A)
    data = response.json()
    assert response.status_code == 200 and data["query"] == "中国移"
    assert 0 < len(data["suggestions"]) <= 8
    assert all(s["url"].startswith("/zh-hans/guides/") for s in data["suggestions"])
    english = client.get("/en/search/suggest/", {"q": "canc"}, HTTP_HOST=A).json()
    assert any("Cancel" in s["title"] for s in english["suggestions"])
    beta = client.get("/en/search/suggest/", {"q": "canc"}, HTTP_HOST=B).json()
    assert {s["url"] for s in beta["suggestions"]} <= {
        "/en/guides/beta-esim-cancel/",
        "/en/guides/beta-5g-cancel/",
    }
    for query in ("", "\x00", "x" * 5000, '"*'):
        assert (
            client.get("/en/search/suggest/", {"q": query}, HTTP_HOST=A).status_code
            == 200
        )


def test_search_page_makes_a_fixed_number_of_queries(
    client, corpus, django_assert_num_queries
):
    search(client, "预热")  # warm the host lookup and vocabulary
    # synonyms, the backend's match (ids, facets' keys and rank in one), the
    # page's documents, the log; the same for 5 results as for 1
    with django_assert_num_queries(4):
        many = search(client, "注销")
    with django_assert_num_queries(4):
        one = search(client, "5G")
    assert (
        len(result_slugs(many.content.decode()))
        > len(result_slugs(one.content.decode()))
        >= 1
    )
    # nothing found: synonyms, match, log, popular procedures, hotlines
    with django_assert_num_queries(5):
        none = search(client, "火星")
    assert not result_slugs(none.content.decode())
