"""Issue #15: the tenant's admin home is a dashboard for its editors.

The admin index of a tenant's host shows its members their drafts, what
waits for review, what is scheduled, due for verification or has outdated
translations, this week's searches, the least helpful procedures and three
charts of 30 days drawn as SVG with their numbers as text. A fixed number of
queries whatever the number of articles; nothing of another tenant.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from guides import services
from guides.models import Article, Feedback, Membership, SearchQuery
from guides.tenancy import tenant_context
from tests.factories import make_article, make_user

pytestmark = pytest.mark.django_db

HOST = {"HTTP_HOST": "alpha.test", "HTTP_ACCEPT_LANGUAGE": "en"}
BETA = {"HTTP_HOST": "beta.test", "HTTP_ACCEPT_LANGUAGE": "en"}
Role = Membership.Role


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def section(page: str, key: str) -> str:
    """Return the HTML of the dashboard section ``id=key``."""
    match = re.search(
        rf'<(section|figure)[^>]*id="{key}"[^>]*>(.*?)</\1>', page, flags=re.S
    )
    assert match, key
    return match.group(2)


def count_of(page: str, key: str) -> int:
    html = section(page, f"work-{key}")
    return int(re.search(r'class="workspace-count">(\d+)<', html).group(1))


def search(tenant, query: str, *, results: int = 1, age_days: float = 0, clicked=None):
    row = SearchQuery.unscoped.create(
        tenant=tenant,
        language="en",
        query=query,
        result_count=results,
        clicked_article=clicked,
    )
    if age_days:
        SearchQuery.unscoped.filter(pk=row.pk).update(
            created_at=timezone.now() - timedelta(days=age_days)
        )
    return row


def answer(article, *, helpful: bool, age_days: float = 0):
    row = Feedback.unscoped.create(
        tenant_id=article.tenant_id, article=article, helpful=helpful, language="en"
    )
    if age_days:
        Feedback.unscoped.filter(pk=row.pk).update(
            created_at=timezone.now() - timedelta(days=age_days)
        )
    return row


@pytest.fixture
def people(tenant_a, tenant_b):
    return {
        "editor": make_user("eddie", tenant=tenant_a, role=Role.EDITOR),
        "other_editor": make_user("olga", tenant=tenant_a, role=Role.EDITOR),
        "reviewer": make_user("rita", tenant=tenant_a, role=Role.REVIEWER),
        "beta_editor": make_user("bert", tenant=tenant_b, role=Role.EDITOR),
    }


def make_stale(article) -> None:
    """Make a published article due for verification (created a year ago)."""
    Article.unscoped.filter(pk=article.pk).update(
        created_at=timezone.now() - timedelta(days=365)
    )


def make_outdated(article, user) -> None:
    """Change the source language (zh-hans) after the English text."""
    with tenant_context(article.tenant):
        article = Article.objects.get(pk=article.pk)
        services.article_update(
            article=article, user=user, title_zh_hans=article.title_zh_hans + "（新）"
        )


@pytest.fixture
def workload(tenant_a, people):
    """Alpha: two of eddie's drafts, one of olga's, one in review, one
    scheduled, one stale and one with an outdated English translation."""
    eddie, olga = people["editor"], people["other_editor"]
    articles = {
        "draft1": make_article(tenant_a, "eddie-draft-1", user=eddie, title_en="D1"),
        "draft2": make_article(tenant_a, "eddie-draft-2", user=eddie, title_en="D2"),
        "olga": make_article(tenant_a, "olga-draft", user=olga, title_en="Olga's"),
        "review": make_article(tenant_a, "in-review", user=olga, title_en="Review me"),
        "scheduled": make_article(tenant_a, "later", user=olga, title_en="Later"),
        "stale": make_article(tenant_a, "old", publish=True, title_en="Old news"),
        "outdated": make_article(
            tenant_a, "behind", publish=True, title_en="Behind in English"
        ),
    }
    with tenant_context(tenant_a):
        services.article_submit(article=articles["review"], user=olga)
        # A draft scheduled without review: only a manager may (issue 15).
        services.article_schedule(
            article=articles["scheduled"],
            user=make_user("mona", tenant=tenant_a, role="manager"),
            publish_at=timezone.now() + timedelta(days=3),
        )
    make_stale(articles["stale"])
    make_outdated(articles["outdated"], olga)
    return articles


def test_the_dashboard_lists_the_editors_work_with_counts_and_full_lists(
    people, workload
):
    page = signed_in(people["editor"]).get("/admin/", **HOST).content.decode()
    assert 'id="dashboard"' in page
    # my drafts: eddie's two, not olga's
    drafts = section(page, "work-my-drafts")
    assert count_of(page, "my-drafts") == 2
    assert "D1" in drafts and "D2" in drafts and "Olga" not in drafts
    eddie = people["editor"].pk
    assert (
        f'href="/admin/guides/article/?status__exact=draft&amp;author__id__exact={eddie}"'
        in drafts
    )
    # waiting for review, scheduled
    assert count_of(page, "review") == 1 and "Review me" in section(page, "work-review")
    assert 'href="/admin/guides/article/?status__exact=review"' in page
    assert count_of(page, "scheduled") == 1
    assert "Later" in section(page, "work-scheduled")
    assert "publishes" in section(page, "work-scheduled")
    # stale (hfresh's stale_articles): the old published one only
    stale = section(page, "work-stale")
    assert count_of(page, "stale") == 1
    assert "Old news" in stale and "Behind" not in stale
    assert 'href="/admin/guides/article/?stale=due"' in stale
    # outdated translations: English behind the Chinese source
    outdated = section(page, "work-outdated")
    assert count_of(page, "outdated") == 1
    assert "English" in outdated
    assert 'href="/admin/coverage/?state=outdated"' in outdated
    # every item links to its change form
    article = workload["review"]
    assert f'href="/admin/guides/article/{article.pk}/change/"' in page


def test_the_dashboards_full_lists_show_what_the_dashboard_counted(people, workload):
    client = signed_in(people["editor"])
    page = client.get("/admin/", **HOST).content.decode()
    for key, expected in [
        ("my-drafts", 2),
        ("review", 1),
        ("scheduled", 1),
        ("stale", 1),  # hfresh's filter of the article list
    ]:
        href = re.search(
            r'class="workspace-more"><a href="([^"]+)"', section(page, f"work-{key}")
        ).group(1)
        listing = client.get(href.replace("&amp;", "&"), **HOST)
        assert listing.status_code == 200, key
        assert listing.context["cl"].result_count == expected, key


def test_the_dashboard_shows_this_weeks_searches_and_the_least_helpful(
    tenant_a, people
):
    article = make_article(tenant_a, "esim", publish=True, title_en="Cancel an eSIM")
    liked = make_article(tenant_a, "liked", publish=True, title_en="Liked one")
    for _ in range(3):
        search(tenant_a, "esim", clicked=article)
    search(tenant_a, "10086")
    search(tenant_a, "fax", results=0)
    search(tenant_a, "fax", results=0)
    search(tenant_a, "telegram", results=0, age_days=10)  # before this week
    search(tenant_a, "ancient", age_days=10)
    answer(article, helpful=False)
    answer(article, helpful=False)
    answer(article, helpful=True)
    answer(liked, helpful=True)
    page = signed_in(people["editor"]).get("/admin/", **HOST).content.decode()
    top = section(page, "top-searches")
    assert "<td>esim</td><td>3</td><td>3</td>" in top
    assert "10086" in top and "ancient" not in top
    zero = section(page, "zero-searches")
    assert "<td>fax</td><td>2</td>" in zero and "telegram" not in zero
    helpful = section(page, "least-helpful")
    assert helpful.index("Cancel an eSIM") < helpful.index("Liked one")
    assert "<td>2</td><td>33%</td>" in helpful


def test_the_charts_are_svg_with_their_numbers_as_text(tenant_a, people):
    article = make_article(tenant_a, "esim", publish=True)
    for _ in range(4):
        search(tenant_a, "esim")
    search(tenant_a, "fax", results=0)
    search(tenant_a, "esim", age_days=2)
    search(tenant_a, "esim", age_days=45)  # outside the 30 days
    answer(article, helpful=True)
    answer(article, helpful=True)
    answer(article, helpful=False, age_days=1)
    page = signed_in(people["editor"]).get("/admin/", **HOST).content.decode()

    searches = section(page, "chart-searches")
    assert '<svg class="workspace-svg"' in searches and 'role="img"' in searches
    assert 'aria-labelledby="chart-searches-title"' in searches
    assert searches.count('<rect class="chart-bar"') == 30
    assert "6 searches in the last 30 days." in searches
    # the numbers per day, as a table (today last)
    rows = re.findall(r"<tr><td>[^<]+</td><td>([^<]+)</td></tr>", searches)
    assert len(rows) == 30 and rows[-1] == "5" and rows[-3] == "1"

    zero = section(page, "chart-zero-results")
    assert "17% of 6 searches found nothing." in zero
    assert '<polyline class="chart-line"' in zero
    helpful = section(page, "chart-helpful")
    assert "67% of 3 answers said “helpful”." in helpful
    values = re.findall(r"<tr><td>[^<]+</td><td>([^<]+)</td></tr>", helpful)
    assert values[-1] == "100%" and values[-2] == "0%" and values[0] == "–"


def test_the_dashboard_without_data_says_so(tenant_a, people):
    page = signed_in(people["editor"]).get("/admin/", **HOST).content.decode()
    assert "You have no drafts." in page
    assert "No searches yet." in page
    assert "No reader answered yet." in page
    assert "0 searches in the last 30 days." in page


# --- queries ----------------------------------------------------------------------

#: Session, user, membership (role); the work counts and three lists; stale
#: count and list; outdated (a scan of plain values, then the five shown);
#: two chart queries; top and zero-result searches; least helpful; Django's
#: app list (two permission reads) and recent actions (one). The switcher
#: and publish_due are cached after the first request.
DASHBOARD_QUERIES = 19


@pytest.mark.parametrize("extra", [0, 12])
def test_the_dashboard_costs_the_same_queries_whatever_the_number_of_articles(
    tenant_a, people, workload, extra, django_assert_num_queries
):
    eddie = people["editor"]
    for n in range(extra):
        article = make_article(tenant_a, f"more-{n}", user=eddie, publish=n % 2 == 0)
        make_stale(article)
        make_outdated(article, eddie)
        search(tenant_a, f"query {n}", results=n % 2, clicked=article)
        answer(article, helpful=n % 3 == 0)
    client = signed_in(eddie)
    client.get("/admin/", **HOST)  # fills the session, switcher and throttle caches
    with django_assert_num_queries(DASHBOARD_QUERIES):
        page = client.get("/admin/", **HOST).content.decode()
    # edited after publishing, the published ones are drafts again too
    assert count_of(page, "my-drafts") == 2 + extra
    assert count_of(page, "stale") == 1 + extra // 2


# --- tenants ----------------------------------------------------------------------


def test_another_tenants_work_searches_and_answers_never_show(
    tenant_a, tenant_b, people, workload
):
    beta = make_article(tenant_b, "beta-only", publish=True, title_en="Beta secret")
    make_stale(beta)
    make_outdated(beta, None)
    search(tenant_b, "betaquery")
    search(tenant_b, "betazero", results=0)
    answer(beta, helpful=False)
    page = signed_in(people["editor"]).get("/admin/", **HOST).content.decode()
    for secret in ("Beta secret", "betaquery", "betazero", "beta-only"):
        assert secret not in page
    assert count_of(page, "stale") == 1 and count_of(page, "outdated") == 1


def test_a_member_of_another_tenant_gets_no_dashboard_on_this_host(
    tenant_a, tenant_b, people, workload
):
    # bert is beta's editor: on alpha's host he is nobody
    page = signed_in(people["beta_editor"]).get("/admin/", **HOST).content.decode()
    assert 'id="dashboard"' not in page
    for title in ("D1", "Review me", "Old news", "Behind in English"):
        assert title not in page
    # on his own host he sees beta's dashboard, without alpha's work
    own = signed_in(people["beta_editor"]).get("/admin/", **BETA).content.decode()
    assert 'id="dashboard"' in own and "Review me" not in own


# --- in a browser -----------------------------------------------------------------

WIDE = {"width": 1366, "height": 900}


def browser_sign_in(new_context, site: str, user, **options):
    """Return a page signed in to the admin as ``user`` (the login form)."""
    from playwright.sync_api import expect

    page = new_context(viewport=WIDE, **options).new_page()
    page.goto(f"{site}/admin/login/?next=/admin/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", "pw-" + user.username)
    page.locator("#login-form [type=submit]").click()
    expect(page).to_have_url(f"{site}/admin/")
    return page


def screenshot(page, name: str) -> None:
    import os
    from pathlib import Path

    folder = os.environ.get("BROWSER_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / name), full_page=True)


@pytest.fixture
def desk(live_server):
    """A help center on the live server's host (localhost), with some work."""
    from tests.factories import make_tenant

    assert live_server.url.startswith("http://localhost:")
    return make_tenant("desk", hosts=["localhost"], languages=["zh-hans", "en"])


@pytest.fixture
def desk_work(desk):
    eddie = make_user("eddie", tenant=desk, role=Role.EDITOR)
    rita = make_user("rita", tenant=desk, role=Role.REVIEWER)
    make_article(desk, "my-draft", user=eddie, title_en="My draft")
    review = make_article(desk, "to-review", user=eddie, title_en="Please review")
    old = make_article(desk, "old", publish=True, title_en="Old procedure")
    behind = make_article(desk, "behind", publish=True, title_en="Behind")
    with tenant_context(desk):
        services.article_submit(article=review, user=eddie)
    make_stale(old)
    make_outdated(behind, rita)
    for n in range(3):
        search(desk, "esim", clicked=old, age_days=n)
        search(desk, "fax", results=0, age_days=n * 2)
    answer(old, helpful=False)
    answer(old, helpful=True, age_days=3)
    return {"editor": eddie, "reviewer": rita}


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_dashboard_in_a_browser_at_1366px(live_server, desk_work, new_context):
    """The dashboard's lists and charts show, and axe-core finds nothing
    serious or critical on the page."""
    from playwright.sync_api import expect

    from tests.browser import axe_violations, describe

    page = browser_sign_in(new_context, live_server.url, desk_work["editor"])
    for key, count in [("my-drafts", 1), ("review", 1), ("stale", 1), ("outdated", 1)]:
        card = page.locator(f"#work-{key}")
        expect(card).to_be_visible()
        expect(card.locator(".workspace-count")).to_have_text(str(count))
    expect(page.locator("#work-my-drafts")).to_contain_text("My draft")
    expect(page.locator("#top-searches")).to_contain_text("esim")
    expect(page.locator("#zero-searches")).to_contain_text("fax")
    expect(page.locator("#least-helpful")).to_contain_text("Old procedure")
    charts = page.locator("svg.workspace-svg[role=img]")
    expect(charts).to_have_count(3)
    box = charts.first.bounding_box()
    assert box and box["width"] > 200 and box["height"] > 50
    # each chart's numbers are a table behind a disclosure
    page.locator("#chart-searches summary").click()
    expect(page.locator("#chart-searches table tbody tr")).to_have_count(30)
    # the lists lead to their full lists
    page.locator("#work-review .workspace-more a").click()
    expect(page.locator("#result_list")).to_contain_text("Please review")
    page.go_back()
    # nothing of the dashboard overflows the window
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= WIDE["width"], width
    screenshot(page, "admin-dashboard.png")
    serious = [
        v for v in axe_violations(page) if v["impact"] in ("serious", "critical")
    ]
    assert not serious, "axe-core violations:\n" + describe(serious)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_dashboard_reads_without_javascript(live_server, desk_work, new_context):
    from playwright.sync_api import expect

    page = browser_sign_in(
        new_context, live_server.url, desk_work["editor"], java_script_enabled=False
    )
    expect(page.locator("#work-review")).to_contain_text("Please review")
    expect(page.locator("#chart-searches svg rect.chart-bar")).to_have_count(30)
    expect(page.locator("#chart-searches-summary")).to_have_text(
        "6 searches in the last 30 days."
    )
    expect(page.locator("#chart-zero-results")).to_contain_text(
        "50% of 6 searches found nothing."
    )
