"""The home page (issue 14) and the read counts behind "popular"."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from guides import services
from guides.models import ArticleReadCount
from guides.selectors import public as selectors
from guides.services import reads
from guides.tenancy import tenant_context
from tests.factories import make_article, make_carrier, make_tenant

pytestmark = pytest.mark.django_db

A = "alpha.test"
B = "beta.test"


def get(client, path, host=A, **extra):
    return client.get(path, HTTP_HOST=host, **extra)


@pytest.fixture(autouse=True)
def empty_buffer(settings):
    """Each test starts with no buffered reads and flushes on every read."""
    settings.HELPCENTER_READS_FLUSH_SECONDS = 0
    reads.reads_discard()
    yield
    reads.reads_discard()


def section(page: str, heading_id: str) -> list[str]:
    """Return the article slugs listed under the heading ``heading_id``."""
    match = re.search(
        rf'<section[^>]*aria-labelledby="{heading_id}".*?</section>', page, re.S
    )
    if match is None:
        return []
    return re.findall(r'href="/en/guides/([\w-]+)/"', match.group(0))


def read(client, slug, times=1, host=A):
    for _ in range(times):
        response = client.post(f"/en/guides/{slug}/read/", HTTP_HOST=host)
        assert response.status_code == 204
        assert "no-store" in response["Cache-Control"]


# --- the H1 ---------------------------------------------------------------------


def test_the_english_h1_asks_and_the_name_stands_apart(client, db, english):
    """Audit: "How can 卡易通帮助中心 CardEasy Help help?"."""
    make_tenant("mixed", hosts=["mixed.test"], name="卡易通帮助中心 CardEasy Help")
    page = get(client, "/en/", host="mixed.test").content.decode()
    h1 = re.search(r"<h1[^>]*>(.*?)</h1>", page, re.S).group(1)
    assert h1 == "How can we help?"
    assert '<p class="hero-eyebrow">卡易通帮助中心 CardEasy Help</p>' in page
    assert page.count("<h1") == 1


def test_the_chinese_h1_never_glues_the_name_to_chinese_text(client, db):
    """Audit: "…CardEasy Help能为您…" had no space before 能."""
    make_tenant("mixed", hosts=["mixed.test"], name="卡易通帮助中心 CardEasy Help")
    page = get(client, "/zh-hans/", host="mixed.test").content.decode()
    h1 = re.search(r"<h1[^>]*>(.*?)</h1>", page, re.S).group(1)
    assert "CardEasy" not in h1
    assert not re.search(r"[A-Za-z][\u4e00-\u9fff]", h1)


def test_home_has_a_hero_search_and_blocks_and_one_search_box(client, tenant_a):
    make_carrier(tenant_a)
    page = get(client, "/en/").content.decode()
    hero = re.search(r'<section class="hero".*?</section>', page, re.S).group(0)
    assert 'role="search"' in hero and 'name="q"' in hero
    assert page.count('id="site-search"') == 1  # the header's is left out here
    assert '<ul class="blocks">' in page
    assert '<a href="/en/carriers/china-mobile/"><span class="block-name">' in page


# --- popular and recent -----------------------------------------------------------


def test_popular_is_ranked_by_reads_and_helpful_votes_and_recent_differs(
    client, tenant_a
):
    """Audit: "Popular" and "Recently updated" listed the same six in order."""
    for slug in ("old-read", "old-liked", "new-1", "new-2", "new-3"):
        make_article(tenant_a, slug, publish=True)
    read(client, "old-read", times=3)
    with tenant_context(tenant_a):
        services.feedback_submit(
            publication=selectors.publication_get(slug="old-liked"),
            language="en",
            helpful=True,
            comment="",
            client_address="192.0.2.1",
        )
    page = get(client, "/en/").content.decode()
    # one helpful vote (weight 5) outranks three reads
    assert section(page, "popular-heading") == ["old-liked", "old-read"]
    recent = section(page, "recent-heading")
    assert recent == ["new-3", "new-2", "new-1"]
    assert not set(recent) & {"old-liked", "old-read"}


def test_without_reads_or_votes_there_is_no_popular_list(client, tenant_a):
    make_article(tenant_a, "only", publish=True)
    page = get(client, "/en/").content.decode()
    assert 'id="popular-heading"' not in page
    assert section(page, "recent-heading") == ["only"]


def test_reads_older_than_the_window_do_not_count(client, tenant_a):
    article = make_article(tenant_a, "stale", publish=True)
    with tenant_context(tenant_a):
        ArticleReadCount.objects.create(
            tenant=tenant_a,
            article=article,
            day=datetime.now(UTC).date() - timedelta(days=31),
            count=1000,
        )
    page = get(client, "/en/").content.decode()
    assert 'id="popular-heading"' not in page


# --- the beacon and the service -----------------------------------------------------


def test_a_read_is_counted_per_tenant_article_and_day(client, tenant_a, tenant_b):
    article = make_article(tenant_a, "counted", publish=True)
    other = make_article(tenant_b, "counted", publish=True)
    read(client, "counted", times=2)
    read(client, "counted", host=B)
    today = datetime.now(UTC).date()
    rows = ArticleReadCount.unscoped.order_by("tenant_id").values_list(
        "tenant_id", "article_id", "day", "count"
    )
    assert list(rows) == [
        (tenant_a.pk, article.pk, today, 2),
        (tenant_b.pk, other.pk, today, 1),
    ]


def test_reads_wait_in_the_buffer_until_the_interval(client, tenant_a, settings):
    settings.HELPCENTER_READS_FLUSH_SECONDS = 3600
    reads.reads_flush()  # start the interval now
    make_article(tenant_a, "buffered", publish=True)
    read(client, "buffered", times=5)
    assert not ArticleReadCount.unscoped.exists()
    assert reads.reads_flush() == 1
    assert ArticleReadCount.unscoped.get().count == 5


def test_the_beacon_makes_one_query_to_find_the_article_and_one_write(
    client, tenant_a, django_assert_num_queries
):
    make_article(tenant_a, "quick", publish=True)
    get(client, "/robots.txt")  # warm the host lookup
    # the publication, then the flush: one upsert
    with django_assert_num_queries(2) as captured:
        read(client, "quick")
    assert "ON CONFLICT" in captured.captured_queries[-1]["sql"]


def test_the_beacon_of_another_tenants_article_is_a_404(client, tenant_a, tenant_b):
    make_article(tenant_b, "theirs", publish=True)
    assert client.post("/en/guides/theirs/read/", HTTP_HOST=A).status_code == 404
    assert not ArticleReadCount.unscoped.exists()


@pytest.mark.parametrize("method", ["get", "put", "delete"])
def test_the_beacon_takes_post_only(client, tenant_a, method):
    make_article(tenant_a, "posted", publish=True)
    response = getattr(client, method)("/en/guides/posted/read/", HTTP_HOST=A)
    assert response.status_code == 405


def test_the_article_page_names_its_beacon(client, tenant_a):
    make_article(tenant_a, "beaconed", publish=True)
    page = get(client, "/en/guides/beaconed/").content.decode()
    assert 'data-read-url="/en/guides/beaconed/read/"' in page


def test_a_read_of_a_deleted_article_is_dropped_not_a_500(client, tenant_a, settings):
    settings.HELPCENTER_READS_FLUSH_SECONDS = 3600
    reads.reads_flush()
    kept = make_article(tenant_a, "kept", publish=True)
    gone = make_article(tenant_a, "gone", publish=True)
    read(client, "kept")
    read(client, "gone")
    with tenant_context(tenant_a):
        services.article_delete(article=gone, user=None)
    reads.reads_flush()
    assert list(ArticleReadCount.unscoped.values_list("article_id", "count")) == [
        (kept.pk, 1)
    ]


# --- query counts -------------------------------------------------------------------


def test_home_makes_four_queries_with_popular_and_recent(
    client, tenant_a, django_assert_num_queries
):
    for n in range(4):
        make_article(tenant_a, f"art-{n}", publish=True)
    read(client, "art-1")
    get(client, "/robots.txt")  # warm the host lookup
    # carriers, card types, popular (reads and votes joined), recent
    with django_assert_num_queries(4):
        page = get(client, "/en/").content.decode()
    assert section(page, "popular-heading") == ["art-1"]
    assert "art-1" not in section(page, "recent-heading")
    with django_assert_num_queries(0):
        get(client, "/en/")


def test_the_missing_translation_notice_makes_one_query(
    client, tenant_a, django_assert_num_queries
):
    make_article(tenant_a, "zh-only", publish=True, title_en="", summary_en="")
    get(client, "/robots.txt")
    with django_assert_num_queries(1):  # the publication
        assert get(client, "/en/guides/zh-only/").status_code == 404


def test_chinese_names_on_english_listings_carry_lang(client, tenant_a):
    from tests.factories import CarrierFactory

    carrier = CarrierFactory(tenant=tenant_a, slug="unicom", name_en="")
    make_article(tenant_a, "listed", publish=True, carrier=carrier)
    page = get(client, "/en/").content.decode()
    assert '<span class="block-name" lang="zh-Hans">中国移动</span>' in page
    assert '<span lang="zh-Hans">中国移动</span>' in page
    chinese = get(client, "/zh-hans/").content.decode()
    assert '<span class="block-name">中国移动</span>' in chinese
