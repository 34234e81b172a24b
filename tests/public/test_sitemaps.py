"""The tenant's sitemap (guides.public.sitemaps) and robots.txt."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from xml.etree import ElementTree

import pytest
from django.test import RequestFactory
from django.utils.http import http_date

from guides import services
from guides.models import CardType, Carrier, Channel, Publication, Tenant
from guides.public.sitemaps import Catalogue, Entry, ProcedureSitemap, TenantSitemap
from guides.tenancy import tenant_context
from tests.factories import make_article, make_card_type, make_carrier, make_tenant

pytestmark = pytest.mark.django_db

A = "alpha.test"
B = "beta.test"
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML_NS = "http://www.w3.org/1999/xhtml"
NS = {"s": SITEMAP_NS, "x": XHTML_NS}


def get(client, path, host=A, **extra):
    return client.get(path, HTTP_HOST=host, **extra)


@dataclass
class Url:
    lastmod: datetime | None
    alternates: dict[str, str] = field(default_factory=dict)


def _xml(response) -> ElementTree.Element:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml; charset=utf-8"
    assert response.content.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n')
    return ElementTree.fromstring(response.content)  # noqa: S314  (our own output)


def urlset(response) -> dict[str, Url]:
    """Return a sitemap's URLs by location, checking it is a valid urlset."""
    root = _xml(response)
    assert root.tag == f"{{{SITEMAP_NS}}}urlset"
    urls = {}
    for url in root:
        assert url.tag == f"{{{SITEMAP_NS}}}url"
        (loc,) = url.findall("s:loc", NS)
        assert loc.text not in urls, f"{loc.text} listed twice"
        lastmods = url.findall("s:lastmod", NS)
        assert len(lastmods) <= 1
        entry = Url(datetime.fromisoformat(lastmods[0].text) if lastmods else None)
        for link in url.findall("x:link", NS):
            assert link.get("rel") == "alternate"
            assert link.get("hreflang") not in entry.alternates
            entry.alternates[link.get("hreflang")] = link.get("href")
        urls[loc.text] = entry
    return urls


def sitemap_index(response) -> dict[str, datetime | None]:
    """Return a sitemap index's sitemaps by location, checking its shape."""
    root = _xml(response)
    assert root.tag == f"{{{SITEMAP_NS}}}sitemapindex"
    sitemaps = {}
    for sitemap in root:
        assert sitemap.tag == f"{{{SITEMAP_NS}}}sitemap"
        (loc,) = sitemap.findall("s:loc", NS)
        lastmod = sitemap.find("s:lastmod", NS)
        sitemaps[loc.text] = (
            datetime.fromisoformat(lastmod.text) if lastmod is not None else None
        )
    return sitemaps


def at(day: int) -> datetime:
    return datetime(2025, 3, day, 8, 30, tzinfo=UTC)


@pytest.fixture
def published(tenant_a):
    carrier = make_carrier(tenant_a)
    card = make_card_type(tenant_a)
    with tenant_context(tenant_a):
        return make_article(
            tenant_a, "cancel-esim", publish=True, carrier=carrier, card_type=card
        )


# --- what is listed -----------------------------------------------------------


def test_sitemap_lists_the_tenants_pages_with_alternates(client, published, tenant_b):
    make_article(tenant_b, "beta-only", publish=True)
    urls = urlset(get(client, "/sitemap.xml"))
    assert set(urls) == {
        f"http://alpha.test/{lang}/{page}"
        for lang in ("zh-hans", "en")
        for page in ("", "carriers/china-mobile/", "cards/esim/", "guides/cancel-esim/")
    }
    article = urls["http://alpha.test/en/guides/cancel-esim/"]
    assert article.alternates == {
        "zh-Hans": "http://alpha.test/zh-hans/guides/cancel-esim/",
        "en": "http://alpha.test/en/guides/cancel-esim/",
        "x-default": "http://alpha.test/zh-hans/guides/cancel-esim/",
    }


def test_alternates_are_reciprocal(client, published):
    """Every version names every other, and each of those names it back."""
    make_article(published.tenant, "chinese-only", publish=True, title_en="")
    urls = urlset(get(client, "/sitemap.xml"))
    for loc, url in urls.items():
        versions = {k: v for k, v in url.alternates.items() if k != "x-default"}
        assert loc in versions.values(), loc
        for href in versions.values():
            assert urls[href].alternates == url.alternates, (loc, href)


def test_only_the_tenants_languages_and_a_procedures_published_ones(client, db):
    """Enabled languages, not settings.LANGUAGES; a procedure in its own only."""
    make_tenant("gamma", hosts=["gamma.test"], languages=["zh-hans"])
    tenant = make_tenant(
        "delta", hosts=["delta.test"], languages=["zh-hans", "en", "zh-hant"]
    )
    make_carrier(tenant)
    make_article(tenant, "both", publish=True, title_zh_hant="")
    make_article(tenant, "chinese-only", publish=True, title_en="")
    gamma = urlset(get(client, "/sitemap.xml", host="gamma.test"))
    assert set(gamma) == {"http://gamma.test/zh-hans/"}
    assert gamma["http://gamma.test/zh-hans/"].alternates == {
        "zh-Hans": "http://gamma.test/zh-hans/",
        "x-default": "http://gamma.test/zh-hans/",
    }
    delta = urlset(get(client, "/sitemap.xml", host="delta.test"))
    carrier = delta["http://delta.test/zh-hant/carriers/china-mobile/"]
    assert set(carrier.alternates) == {
        "zh-Hans",
        "en",
        "zh-Hant-TW",
        "x-default",
    }  # the default variant: Taiwan
    assert "http://delta.test/zh-hant/guides/both/" not in delta
    assert set(delta["http://delta.test/en/guides/both/"].alternates) == {
        "zh-Hans",
        "en",
        "x-default",
    }
    assert [loc for loc in delta if "chinese-only" in loc] == [
        "http://delta.test/zh-hans/guides/chinese-only/"
    ]


def test_x_default_is_the_tenants_default_language(client, db):
    tenant = make_tenant(
        "epsilon",
        hosts=["epsilon.test"],
        languages=["zh-hans", "en"],
        default_language="en",
    )
    make_article(tenant, "both", publish=True)
    urls = urlset(get(client, "/sitemap.xml", host="epsilon.test"))
    home = urls["http://epsilon.test/zh-hans/"]
    assert home.alternates["x-default"] == "http://epsilon.test/en/"
    both = urls["http://epsilon.test/zh-hans/guides/both/"]
    assert both.alternates["x-default"] == "http://epsilon.test/en/guides/both/"


def test_x_default_of_a_page_missing_the_default_language_is_its_first(tenant_a):
    """A publication made before the tenant's default changed, for instance."""
    request = RequestFactory().get("/sitemap.xml", HTTP_HOST=A)
    request.tenant = tenant_a
    tenant_a.default_language = "en"
    catalogue = Catalogue(request)
    catalogue.procedures = [Entry("old", ("zh-hans",), at(1))]
    (url,) = ProcedureSitemap(catalogue).get_urls()
    assert url["location"] == "http://alpha.test/zh-hans/guides/old/"
    assert url["alternates"] == [
        {"location": "http://alpha.test/zh-hans/guides/old/", "lang_code": "zh-Hans"},
        {"location": "http://alpha.test/zh-hans/guides/old/", "lang_code": "x-default"},
    ]


def test_addresses_name_the_primary_domain_with_the_requests_scheme_and_port(
    client, published
):
    urls = urlset(get(client, "/sitemap.xml", host="www.alpha.test:8000"))
    assert "http://alpha.test:8000/en/guides/cancel-esim/" in urls
    secure = urlset(get(client, "/sitemap.xml", host="www.alpha.test", secure=True))
    assert "https://alpha.test/en/guides/cancel-esim/" in secure
    assert all(loc.startswith("https://alpha.test/") for loc in secure)


def test_a_draft_or_an_unpublished_article_is_not_listed(client, published):
    make_article(published.tenant, "never-published")
    assert not [loc for loc in urlset(get(client, "/sitemap.xml")) if "never" in loc]


# --- lastmod ----------------------------------------------------------------------


def test_lastmod_comes_from_the_content(client, published):
    """A procedure's publication; a carrier's or card type's newest change,
    its own, its channels' or its procedures'; the home page's newest of all
    (and of the tenant's settings)."""
    # given: known times for every row the sitemap reads
    tenant = published.tenant
    bare_card = make_card_type(tenant, slug="data-card")
    Tenant.objects.filter(pk=tenant.pk).update(updated_at=at(1))  # before a request
    with tenant_context(tenant):
        Publication.objects.update(published_at=at(10))
        Carrier.objects.update(updated_at=at(2))
        Channel.objects.update(updated_at=at(3))
        CardType.objects.update(updated_at=at(4))
        CardType.objects.filter(pk=bare_card.pk).update(updated_at=at(5))
    # when
    response = get(client, "/sitemap.xml?at=1")
    urls = urlset(response)
    # then: every language version carries the same lastmod
    for lang in ("zh-hans", "en"):
        assert urls[f"http://alpha.test/{lang}/guides/cancel-esim/"].lastmod == at(10)
        assert urls[f"http://alpha.test/{lang}/carriers/china-mobile/"].lastmod == at(
            10
        )
        assert urls[f"http://alpha.test/{lang}/cards/esim/"].lastmod == at(10)
        assert urls[f"http://alpha.test/{lang}/cards/data-card/"].lastmod == at(5)
    assert urls["http://alpha.test/en/"].lastmod == at(10)
    assert response["Last-Modified"] == http_date(at(10).timestamp())

    # a channel changed after the last publication
    with tenant_context(tenant):
        Channel.objects.update(updated_at=at(12))
    urls = urlset(get(client, "/sitemap.xml?at=2"))
    assert urls["http://alpha.test/en/carriers/china-mobile/"].lastmod == at(12)
    assert urls["http://alpha.test/en/cards/esim/"].lastmod == at(10)
    assert urls["http://alpha.test/en/"].lastmod == at(12)

    # the carrier itself changed last
    with tenant_context(tenant):
        Carrier.objects.update(updated_at=at(14))
    urls = urlset(get(client, "/sitemap.xml?at=3"))
    assert urls["http://alpha.test/en/carriers/china-mobile/"].lastmod == at(14)

    # another tenant's newer changes move nothing
    other = make_tenant("zeta", hosts=["zeta.test"])
    make_carrier(other)
    make_article(other, "cancel-esim", publish=True)
    response = get(client, "/sitemap.xml?at=4")
    urls = urlset(response)
    assert urls["http://alpha.test/en/carriers/china-mobile/"].lastmod == at(14)
    assert urls["http://alpha.test/en/guides/cancel-esim/"].lastmod == at(10)


def test_lastmod_follows_a_new_publication(
    client, published, django_capture_on_commit_callbacks
):
    with tenant_context(published.tenant):
        Publication.objects.update(published_at=at(1))
    urls = urlset(get(client, "/sitemap.xml"))
    assert urls["http://alpha.test/en/guides/cancel-esim/"].lastmod == at(1)
    with (
        tenant_context(published.tenant),
        django_capture_on_commit_callbacks(execute=True),
    ):
        services.article_update(article=published, user=None, title_en="Renamed")
        services.article_publish(article=published, user=None)
    urls = urlset(get(client, "/sitemap.xml"))
    assert urls["http://alpha.test/en/guides/cancel-esim/"].lastmod > at(1)


# --- tenants --------------------------------------------------------------------


def test_a_tenants_sitemap_never_names_another_tenant(client, tenant_a, tenant_b):
    """Same slugs in both tenants; each sitemap has its own host and pages."""
    for tenant in (tenant_a, tenant_b):
        make_carrier(tenant)
        make_card_type(tenant)
        make_article(tenant, "same", publish=True)
    make_article(tenant_b, "beta-only", publish=True)
    make_carrier(tenant_b, slug="beta-carrier")
    for _round in range(2):  # a miss, then a cache hit
        alpha = get(client, "/sitemap.xml").content.decode()
        beta = get(client, "/sitemap.xml", host=B).content.decode()
        assert "beta" not in alpha
        assert "alpha" not in beta
    assert "http://alpha.test/en/guides/same/" in alpha
    assert "http://beta.test/en/guides/same/" in beta
    assert "beta-only" in beta and "beta-carrier" in beta
    assert len(urlset(get(client, "/sitemap.xml?fresh=1"))) == 8


def test_an_unknown_host_gets_no_sitemap(client, published):
    assert get(client, "/sitemap.xml", host="unknown.test").status_code == 404
    assert get(client, "/robots.txt", host="unknown.test").status_code == 404


# --- the index past the limit -----------------------------------------------------


def test_past_the_limit_the_sitemap_is_an_index_of_paged_sections(
    client, published, monkeypatch
):
    # given: 4 procedures in 2 languages, 2 URLs per sitemap file
    for n in range(3):
        make_article(published.tenant, f"more-{n}", publish=True)
    everything = urlset(get(client, "/sitemap.xml?whole=1"))
    assert len(everything) == 2 + 2 + 2 + 8
    monkeypatch.setattr(TenantSitemap, "limit", 2)
    # when: the index is read on a secondary host
    index = sitemap_index(get(client, "/sitemap.xml", host="www.alpha.test"))
    # then: it names each page of each section on the primary domain
    assert list(index) == [
        "http://alpha.test/sitemap-home.xml",
        "http://alpha.test/sitemap-carriers.xml",
        "http://alpha.test/sitemap-cards.xml",
        "http://alpha.test/sitemap-procedures.xml",
        "http://alpha.test/sitemap-procedures-2.xml",
        "http://alpha.test/sitemap-procedures-3.xml",
        "http://alpha.test/sitemap-procedures-4.xml",
    ]
    assert all(lastmod is not None for lastmod in index.values())
    # and the pages hold every URL once, at most 2 each, in the same form
    listed = {}
    for location in index:
        page = urlset(get(client, location.removeprefix("http://alpha.test")))
        assert 1 <= len(page) <= 2
        assert not set(page) & set(listed)
        listed.update(page)
    assert listed == everything


def test_at_the_limit_the_sitemap_is_still_one_file(client, published, monkeypatch):
    monkeypatch.setattr(TenantSitemap, "limit", 8)  # 2 home, 2 carrier, 2 card, 2
    assert len(urlset(get(client, "/sitemap.xml"))) == 8
    monkeypatch.setattr(TenantSitemap, "limit", 7)
    assert len(sitemap_index(get(client, "/sitemap.xml?past=1"))) == 4


@pytest.mark.parametrize(
    "path",
    [
        "/sitemap-procedures-2.xml",  # no second page under the limit
        "/sitemap-procedures-1.xml",  # the first page has no number
        "/sitemap-procedures-02.xml",
        "/sitemap-nothing.xml",
        "/sitemap-.xml",
        "/sitemap-%FF.xml",
        "/sitemap.xml?p=2",  # contrib's ?p= pages are not used
        "/sitemap.xml?p=x",
        "/sitemap-procedures.xml?p=2",
    ],
)
def test_a_page_that_does_not_exist_is_a_404(client, published, path):
    assert get(client, path).status_code == 404


def test_section_pages_exist_under_the_limit_too(client, published):
    urls = urlset(get(client, "/sitemap-procedures.xml"))
    assert set(urls) == {
        "http://alpha.test/zh-hans/guides/cancel-esim/",
        "http://alpha.test/en/guides/cancel-esim/",
    }
    assert urlset(get(client, "/sitemap-cards.xml"))
    assert urlset(get(client, "/sitemap-home.xml"))


# --- HTTP and caching -------------------------------------------------------------


@pytest.mark.parametrize("path", ["/sitemap.xml", "/sitemap-home.xml", "/robots.txt"])
def test_head_answers_like_get(client, published, path):
    head = client.head(path, HTTP_HOST=A)
    assert head.status_code == 200 and head.content == b""
    got = get(client, path)  # a hit on what HEAD stored
    assert got.status_code == 200 and got.content
    for header in ("Content-Type", "ETag", "Last-Modified", "Cache-Control"):
        assert head[header] == got[header], header


def test_the_sitemap_is_cached_like_a_public_page(
    client, published, django_assert_num_queries
):
    get(client, "/robots.txt")  # warm the host lookup
    miss = get(client, "/sitemap.xml")
    assert miss["Cache-Control"] == "public, max-age=60, stale-while-revalidate=600"
    with django_assert_num_queries(0):
        hit = get(client, "/sitemap.xml")
    assert hit.content == miss.content
    assert dict(hit.headers) == dict(miss.headers)
    assert (
        get(client, "/sitemap.xml", HTTP_IF_NONE_MATCH=miss["ETag"]).status_code == 304
    )


def test_a_new_publication_reaches_the_cached_sitemap(
    client, published, django_capture_on_commit_callbacks
):
    assert b"/en/guides/later/" not in get(client, "/sitemap.xml").content
    with django_capture_on_commit_callbacks(execute=True):
        make_article(published.tenant, "later", publish=True)
    assert b"/en/guides/later/" in get(client, "/sitemap.xml").content


def test_sitemap_makes_a_fixed_number_of_queries(
    client, published, django_assert_num_queries, monkeypatch
):
    get(client, "/robots.txt")  # warm the host lookup
    # publications, carriers, card types, listing counts: 1 article or 6
    with django_assert_num_queries(4):
        get(client, "/sitemap.xml?fresh=1")
    for extra in range(5):
        make_article(published.tenant, f"more-{extra}", publish=True)
    with django_assert_num_queries(4):
        sitemap = get(client, "/sitemap.xml?fresh=2").content.decode()
    assert sitemap.count("<loc>http://alpha.test/en/guides/more-") == 5
    # a page of procedures reads the publications only
    with django_assert_num_queries(1):
        page = get(client, "/sitemap-procedures.xml?fresh=3").content.decode()
    assert page.count("<loc>") == 12
    # the index reads the same four
    monkeypatch.setattr(TenantSitemap, "limit", 5)
    with django_assert_num_queries(4):
        index = get(client, "/sitemap.xml?fresh=4").content.decode()
    assert index.count("<sitemap>") == 6


# --- robots.txt -------------------------------------------------------------------


def test_robots_points_at_the_primary_domains_sitemap(client, tenant_a, tenant_b):
    response = get(client, "/robots.txt", host="www.alpha.test")
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    body = response.content.decode()
    assert "Sitemap: http://alpha.test/sitemap.xml\n" in body
    assert "Disallow: /admin/" in body
    beta = get(client, "/robots.txt", host=B).content.decode()
    assert "Sitemap: http://beta.test/sitemap.xml\n" in beta and "alpha" not in beta
