"""Carrier and card-type pages list at most LISTING_PAGE_SIZE procedures a page.

Further pages live in the path (``.../page/2/``) so each is cached like any
page; ``/page/1/`` is the listing's own address (301); a page past the end or
a malformed number is a 404, never a 500. Each page is its own canonical,
links its neighbours (rel="prev" / rel="next") and is in the tenant's sitemap
in the languages that list that many procedures.
"""

from __future__ import annotations

import re

import pytest

from guides.public.http import NOT_FOUND_CACHE_CONTROL, PERMANENT_REDIRECT_CACHE_CONTROL
from guides.selectors import public as selectors
from guides.tenancy import tenant_context
from tests.factories import make_article, make_card_type, make_carrier

pytestmark = pytest.mark.django_db

A = "alpha.test"
B = "beta.test"
CARRIER = "/en/carriers/china-mobile/"
CARD = "/en/cards/esim/"


def get(client, path, host=A, **extra):
    return client.get(path, HTTP_HOST=host, **extra)


def listed_slugs(html: str) -> list[str]:
    """Return the procedures a listing page links to, in order."""
    return re.findall(r'<a href="/(?:en|zh-hans)/guides/([^/"]+)/">', html)


def link(html: str, rel: str) -> str | None:
    found = re.search(rf'<link rel="{rel}" href="([^"]+)">', html)
    return found[1] if found else None


def hreflangs(html: str) -> set[str]:
    return set(re.findall(r'<link rel="alternate" hreflang="([^"]+)"', html))


def publish_many(tenant, count: int, *, start: int = 0, english: bool = True):
    """Publish ``count`` procedures of one carrier and card type (services)."""
    with tenant_context(tenant):
        carrier = selectors.carrier_get(slug="china-mobile") or make_carrier(tenant)
        card = selectors.card_type_get(slug="esim") or make_card_type(tenant)
    extra = {} if english else {"title_en": "", "summary_en": ""}
    for n in range(start, start + count):
        make_article(
            tenant,
            f"procedure-{n:03d}",
            steps=1,
            publish=True,
            carrier=carrier,
            card_type=card,
            **extra,
        )


@pytest.fixture
def big(tenant_a):
    """105 procedures: 60 in both languages, 45 in Chinese only.

    So Chinese lists three pages (50, 50, 5) and English two (50, 10).
    """
    publish_many(tenant_a, 60)
    publish_many(tenant_a, 45, start=60, english=False)
    return tenant_a


def test_a_large_listing_is_cut_into_pages_of_50(client, big):
    for base, ordered in ((CARRIER, "catalog"), (CARD, "recent")):
        zh = base.replace("/en/", "/zh-hans/")
        pages = [
            get(client, zh),
            get(client, f"{zh}page/2/"),
            get(client, f"{zh}page/3/"),
        ]
        assert [p.status_code for p in pages] == [200, 200, 200], ordered
        slugs = [listed_slugs(p.content.decode()) for p in pages]
        assert [len(s) for s in slugs] == [50, 50, 5], ordered
        # every procedure once, none twice
        assert len({slug for page in slugs for slug in page}) == 105
        assert get(client, f"{zh}page/4/").status_code == 404
        # English lists 60: two pages
        assert len(listed_slugs(get(client, f"{base}page/2/").content.decode())) == 10
        assert get(client, f"{base}page/3/").status_code == 404


def test_each_page_is_its_own_canonical_and_links_its_neighbours(client, big):
    zh = "http://alpha.test/zh-hans/carriers/china-mobile/"
    first = get(client, "/zh-hans/carriers/china-mobile/").content.decode()
    middle = get(client, "/zh-hans/carriers/china-mobile/page/2/").content.decode()
    last = get(client, "/zh-hans/carriers/china-mobile/page/3/").content.decode()
    assert link(first, "canonical") == zh
    assert link(middle, "canonical") == f"{zh}page/2/"
    assert link(last, "canonical") == f"{zh}page/3/"
    assert (link(first, "prev"), link(first, "next")) == (None, f"{zh}page/2/")
    assert (link(middle, "prev"), link(middle, "next")) == (zh, f"{zh}page/3/")
    assert (link(last, "prev"), link(last, "next")) == (f"{zh}page/2/", None)
    # the same links in the page, for readers
    assert '<a rel="prev" href="/zh-hans/carriers/china-mobile/">' in middle
    assert '<a rel="next" href="/zh-hans/carriers/china-mobile/page/3/">' in middle
    assert '<span aria-current="page">2</span>' in middle
    # page 2 exists in both languages, page 3 in Chinese only
    assert hreflangs(middle) == {"zh-Hans", "en", "x-default"}
    assert hreflangs(last) == {"zh-Hans", "x-default"}


def test_every_page_is_in_the_sitemap_in_the_languages_that_have_it(client, big):
    sitemap = get(client, "/sitemap.xml").content.decode()
    locs = set(re.findall(r"<loc>http://alpha\.test([^<]+)</loc>", sitemap))
    for base in ("/carriers/china-mobile/", "/cards/esim/"):
        assert {
            f"/zh-hans{base}",
            f"/zh-hans{base}page/2/",
            f"/zh-hans{base}page/3/",
            f"/en{base}",
            f"/en{base}page/2/",
        } <= locs
        assert f"/en{base}page/3/" not in locs
        assert f"/zh-hans{base}page/4/" not in locs
    # and every listed page answers
    for path in sorted(p for p in locs if "/page/" in p):
        assert get(client, path).status_code == 200, path


@pytest.mark.parametrize(
    ("size", "count"), [(50, 0), (5, 12), (3, 12)], ids=["empty", "5x12", "3x12"]
)
def test_paginated_pages_make_a_fixed_number_of_queries(
    client, tenant_a, django_assert_num_queries, monkeypatch, size, count
):
    """Queries do not grow with the number of procedures or the page size."""
    monkeypatch.setattr(selectors, "LISTING_PAGE_SIZE", size)
    publish_many(tenant_a, count)  # the carrier and card type, at least
    get(client, "/robots.txt")  # warm the host lookup
    last = max(1, -(-count // size))
    for page in range(1, last + 1):
        suffix = f"page/{page}/" if page > 1 else ""
        # the carrier, the listing's summary, its page, the carrier's channels
        with django_assert_num_queries(4):
            response = get(client, f"{CARRIER}{suffix}")
        assert response.status_code == 200
        assert len(listed_slugs(response.content.decode())) == min(
            size, count - (page - 1) * size
        )
        # the card type, the summary, its page
        with django_assert_num_queries(3):
            assert get(client, f"{CARD}{suffix}").status_code == 200
        # cached: no query at all
        with django_assert_num_queries(0):
            assert get(client, f"{CARRIER}{suffix}").status_code == 200
    # past the end: the carrier and the summary, no page read
    with django_assert_num_queries(2):
        assert get(client, f"{CARRIER}page/{last + 1}/").status_code == 404


def test_large_pages_make_the_same_queries(client, big, django_assert_num_queries):
    get(client, "/robots.txt")
    with django_assert_num_queries(4):
        get(client, "/zh-hans/carriers/china-mobile/page/3/")
    with django_assert_num_queries(3):
        get(client, "/zh-hans/cards/esim/page/2/")


def test_each_page_is_cached_with_its_own_etag(client, tenant_a, monkeypatch):
    monkeypatch.setattr(selectors, "LISTING_PAGE_SIZE", 4)
    publish_many(tenant_a, 10)
    etags = set()
    for suffix in ("", "page/2/", "page/3/"):
        for base in (CARRIER, CARD):
            miss = get(client, f"{base}{suffix}")
            assert miss["Cache-Control"] == (
                "public, max-age=60, stale-while-revalidate=600"
            )
            hit = get(client, f"{base}{suffix}")
            assert hit.content == miss.content and hit["ETag"] == miss["ETag"]
            assert hit["Last-Modified"] == miss["Last-Modified"]
            again = get(client, f"{base}{suffix}", HTTP_IF_NONE_MATCH=miss["ETag"])
            assert again.status_code == 304
            since = get(
                client, f"{base}{suffix}", HTTP_IF_MODIFIED_SINCE=miss["Last-Modified"]
            )
            assert since.status_code == 304
            etags.add(miss["ETag"])
    assert len(etags) == 6


def test_pages_of_one_listing_share_its_last_modified(client, tenant_a, monkeypatch):
    """A republish reorders a listing: each of its pages may change, so each
    says the listing's newest change, not only its own items'."""
    monkeypatch.setattr(selectors, "LISTING_PAGE_SIZE", 4)
    publish_many(tenant_a, 10)
    for base in (CARRIER, CARD):
        dates = {
            get(client, f"{base}{suffix}")["Last-Modified"]
            for suffix in ("", "page/2/", "page/3/")
        }
        assert len(dates) == 1


def test_page_one_redirects_to_the_listing(client, tenant_a, monkeypatch):
    monkeypatch.setattr(selectors, "LISTING_PAGE_SIZE", 4)
    publish_many(tenant_a, 10)
    for base in (CARRIER, CARD, CARRIER.replace("/en/", "/zh-hans/")):
        response = get(client, f"{base}page/1/")
        assert response.status_code == 301
        assert response["Location"] == base
        assert response["Cache-Control"] == PERMANENT_REDIRECT_CACHE_CONTROL
        assert not response.has_header("Vary")


@pytest.mark.parametrize(
    "page",
    ["0", "01", "-1", "2.0", "x", "4", "999999", "1000000", "9" * 40, "%00", "1e3"],
)
def test_a_page_past_the_end_or_malformed_is_a_404(client, tenant_a, monkeypatch, page):
    monkeypatch.setattr(selectors, "LISTING_PAGE_SIZE", 4)
    publish_many(tenant_a, 10)
    for base in (CARRIER, CARD):
        response = get(client, f"{base}page/{page}/")
        assert response.status_code in (400, 404), page
        if response.status_code == 404:
            assert response["Cache-Control"] == NOT_FOUND_CACHE_CONTROL


def test_an_empty_listing_is_one_page(client, tenant_a):
    with tenant_context(tenant_a):
        make_carrier(tenant_a)
        make_card_type(tenant_a)
    for base in (CARRIER, CARD):
        page = get(client, base).content.decode()
        assert 'class="pagination"' not in page and link(page, "next") is None
        assert get(client, f"{base}page/2/").status_code == 404


def test_another_tenants_pages_are_404(client, tenant_a, tenant_b, monkeypatch):
    monkeypatch.setattr(selectors, "LISTING_PAGE_SIZE", 4)
    publish_many(tenant_a, 10)
    with tenant_context(tenant_b):
        make_carrier(tenant_b)
        make_card_type(tenant_b)
    make_article(tenant_b, "beta-only", publish=True)
    for base in (CARRIER, CARD):
        assert get(client, f"{base}page/2/").status_code == 200
        assert get(client, f"{base}page/2/", host=B).status_code == 404
        assert "procedure-" not in get(client, base, host=B).content.decode()
