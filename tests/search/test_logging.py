"""Search and click logging: once per reader and window, bounded, never in clear.

Finding 12 of the attack report: anonymous search and click logging were
unlimited, so one client could fill the editors' "top queries".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from django.core.cache import cache

from guides.models import Article, SearchQuery, Tenant
from guides.search import searching
from guides.search.selectors import top_queries
from guides.tenancy import tenant_context
from tests.factories import make_article

pytestmark = pytest.mark.django_db

A = "alpha.test"
B = "beta.test"
READER = "203.0.113.7"
OTHER = "198.51.100.23"


@dataclass
class Site:
    tenant_a: Tenant
    tenant_b: Tenant
    porting: Article


@pytest.fixture
def corpus(tenant_a, tenant_b, django_capture_on_commit_callbacks) -> Site:
    """Published, indexed procedures: three on 注销 and one on 携号转网 in alpha."""
    with django_capture_on_commit_callbacks(execute=True):
        porting = make_article(
            tenant_a,
            "number-porting",
            publish=True,
            title_zh_hans="携号转网",
            summary_zh_hans="换运营商保留号码",
        )
        for slug, title in (
            ("cancel-esim", "注销 eSIM"),
            ("cancel-sim", "注销手机卡"),
            ("cancel-data", "注销流量卡"),
        ):
            make_article(tenant_a, slug, publish=True, title_zh_hans=title)
        make_article(tenant_b, "beta-esim", publish=True)
    return Site(tenant_a, tenant_b, porting)


def search(client, query, address=READER, host=A, **params):
    return client.get(
        "/zh-hans/search/", {"q": query, **params}, HTTP_HOST=host, REMOTE_ADDR=address
    )


def click_links(html: str) -> list[str]:
    return [
        link.replace("&amp;", "&")
        for link in re.findall(r'href="(/zh-hans/search/go/[^"]+)"', html)
    ]


def test_a_reader_repeating_a_query_is_logged_once(client, corpus):
    for _repeat in range(20):
        search(client, "携号转网")
    assert SearchQuery.unscoped.filter(query="携号转网").count() == 1


def test_the_repeat_links_its_clicks_to_the_first_row(client, corpus):
    search(client, "携号转网")
    logged = SearchQuery.unscoped.get()
    page = search(client, "携号转网").content.decode()
    link = click_links(page)[0]
    assert f"/go/{logged.pk}/" in link
    assert client.get(link, HTTP_HOST=A, REMOTE_ADDR=READER).status_code == 302
    logged.refresh_from_db()
    assert logged.clicked_article_id == corpus.porting.pk


def test_different_readers_are_each_logged(client, corpus):
    search(client, "携号转网", address=READER)
    search(client, "携号转网", address=OTHER)
    assert SearchQuery.unscoped.filter(query="携号转网").count() == 2


def test_the_same_reader_on_two_tenants_is_logged_on_each(client, corpus):
    search(client, "注销", host=A)
    search(client, "注销", host=B)
    assert sorted(SearchQuery.unscoped.values_list("tenant__slug", flat=True)) == [
        "alpha",
        "beta",
    ]


def test_one_reader_logs_at_most_the_limit_per_window(client, corpus):
    for n in range(searching.LOG_LIMIT + 15):
        response = search(client, f"query number {n}")
        assert response.status_code == 200
    assert SearchQuery.unscoped.count() == searching.LOG_LIMIT
    # over the limit the search still answers, its results simply not logged
    page = search(client, "携号转网").content.decode()
    assert "number-porting" in page
    assert click_links(page) == []
    assert SearchQuery.unscoped.count() == searching.LOG_LIMIT
    # another reader is not held back by this one
    search(client, "携号转网", address=OTHER)
    assert SearchQuery.unscoped.filter(query="携号转网").count() == 1


def test_one_reader_cannot_fill_the_top_queries(client, corpus):
    """The editors' report counts readers, not one reader's repeats."""
    for _repeat in range(50):
        search(client, "spam spam", address=READER)
    for address in ("192.0.2.1", "192.0.2.2", "192.0.2.3"):
        search(client, "携号转网", address=address)
    with tenant_context(corpus.tenant_a):
        rows = top_queries(tenant=corpus.tenant_a)
    assert [(r["query"], r["searches"]) for r in rows[:2]] == [
        ("携号转网", 3),
        ("spam spam", 1),
    ]


def test_a_click_needs_the_readers_own_token(client, corpus):
    page = search(client, "携号转网", address=READER).content.decode()
    link = click_links(page)[0]
    logged = SearchQuery.unscoped.get()
    path, token = link.split("?t=")
    # no token, a wrong token, or another reader replaying the link: no click
    for url, address in (
        (path, READER),
        (f"{path}?t={'0' * len(token)}", READER),
        (link, OTHER),
    ):
        response = client.get(url, HTTP_HOST=A, REMOTE_ADDR=address)
        assert response.status_code == 302
        assert response["Location"] == "/zh-hans/guides/number-porting/"
        logged.refresh_from_db()
        assert logged.clicked_article_id is None, (url, address)
    client.get(link, HTTP_HOST=A, REMOTE_ADDR=READER)
    logged.refresh_from_db()
    assert logged.clicked_article_id is not None


def test_a_guessed_query_id_cannot_be_clicked(client, corpus):
    """A reader cannot mark someone else's query as clicked by its id."""
    search(client, "携号转网", address=OTHER)
    theirs = SearchQuery.unscoped.get()
    page = search(client, "注销", address=READER).content.decode()
    mine = click_links(page)[0]
    _path, token = mine.split("?t=")
    forged = f"/zh-hans/search/go/{theirs.pk}/number-porting/?t={token}"
    client.get(forged, HTTP_HOST=A, REMOTE_ADDR=READER)
    theirs.refresh_from_db()
    assert theirs.clicked_article_id is None


def test_later_pages_keep_the_readers_query_but_not_a_forged_one(
    client, corpus, monkeypatch
):
    # two results a page, so the corpus fills several pages
    monkeypatch.setitem(searching.search.__kwdefaults__, "per_page", 2)
    page = search(client, "注销", address=READER).content.decode()
    logged = SearchQuery.unscoped.get()
    next_link = re.search(r'rel="next" href="([^"]+)"', page).group(1)
    next_link = "/zh-hans/search/" + next_link.replace("&amp;", "&")
    second = client.get(next_link, HTTP_HOST=A, REMOTE_ADDR=READER).content.decode()
    assert all(f"/go/{logged.pk}/" in link for link in click_links(second))
    assert click_links(second)
    forged = client.get(
        "/zh-hans/search/",
        {"q": "注销", "page": 2, "qid": logged.pk, "t": "x"},
        HTTP_HOST=A,
        REMOTE_ADDR=READER,
    ).content.decode()
    assert click_links(forged) == []
    assert SearchQuery.unscoped.count() == 1  # later pages are never logged


def test_the_address_is_never_stored_in_clear(client, corpus):
    search(client, "携号转网", address=READER)
    page = search(client, "携号转网", address=READER).content.decode()
    client.get(click_links(page)[0], HTTP_HOST=A, REMOTE_ADDR=READER)
    keys = " ".join(str(key) for key in cache._cache)
    values = " ".join(str(value) for value in cache._cache.values())
    assert "helpcenter:search:seen:" in keys  # the gate did use the cache
    assert READER not in keys and READER not in values
    assert READER not in page
    row = SearchQuery.unscoped.values().get()
    assert READER not in " ".join(map(str, row.values()))
    assert searching.client_key(READER) != searching.client_key(OTHER)
    assert READER not in searching.client_key(READER)


def test_a_program_that_names_no_client_is_always_logged(corpus):
    """Callers outside a request (commands, tests) are not gated."""
    with tenant_context(corpus.tenant_a):
        for _repeat in range(3):
            searching.search(tenant=corpus.tenant_a, language="zh-hans", query="注销")
    assert SearchQuery.unscoped.count() == 3
