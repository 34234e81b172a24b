"""Freshness in the article admin: "Mark as verified" on the change form and
as a list action, the last-verified column and the stale filter; and the
whole flow in Chromium."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from playwright.sync_api import Page, expect
from reversion.models import Revision

from guides import services
from guides.models import Article, Membership, RevisionMeta
from guides.tenancy import tenant_context
from tests.browser import axe_violations, describe
from tests.factories import make_article, make_tenant, make_user
from tests.forms import form_data

HOST = {"HTTP_HOST": "alpha.test", "HTTP_ACCEPT_LANGUAGE": "en"}


def change_url(article) -> str:
    return f"/admin/guides/article/{article.pk}/change/"


def verify_url(article) -> str:
    return f"/admin/guides/article/{article.pk}/verify/"


def fresh(article) -> Article:
    return Article.unscoped.get(pk=article.pk)


def make_stale(article, days: int = 365) -> Article:
    """Move an article's creation into the past (test setup only)."""
    Article.unscoped.filter(pk=article.pk).update(
        created_at=timezone.now() - timedelta(days=days)
    )
    return fresh(article)


@pytest.fixture
def editor(tenant_a):
    return make_user("eve", tenant=tenant_a, role=Membership.Role.EDITOR)


@pytest.mark.django_db
def test_the_change_form_verifies_with_a_comment_and_an_interval(
    client, editor, tenant_a
):
    """The Freshness box posts a comment and an interval; the article is
    verified by the editor in one revision and the box says so."""
    # given
    article = make_stale(make_article(tenant_a, publish=True))
    client.force_login(editor)
    page = client.get(change_url(article), **HOST)
    assert "Never verified." in page.content.decode()
    assert "Due for verification since" in page.content.decode()
    data = form_data(page, "freshness-verify")
    assert set(data) == {"csrfmiddlewaretoken", "comment", "review_interval_days"}
    # when
    data.update(comment="Called 10086", review_interval_days="90")
    response = client.post(verify_url(article), data, **HOST)
    # then
    assert response.status_code == 302
    assert response["Location"] == change_url(article)
    verified = fresh(article)
    assert verified.last_verified_by == editor
    assert verified.review_interval_days == 90
    assert verified.status == Article.Status.PUBLISHED
    revision = Revision.objects.filter(meta__article_id=article.pk).latest("pk")
    assert revision.comment == "Verified: Called 10086"
    assert revision.meta.action == RevisionMeta.Action.VERIFY
    page = client.get(change_url(article), **HOST).content.decode()
    assert "Marked as verified." in page
    assert f"by {editor.username}" in page
    assert "Next verification due on" in page
    assert "90 days (this procedure" in page


@pytest.mark.django_db
def test_a_bad_interval_is_refused_with_a_message(client, editor, tenant_a):
    article = make_article(tenant_a)
    client.force_login(editor)
    response = client.post(
        verify_url(article), {"review_interval_days": "0"}, follow=True, **HOST
    )
    assert "greater than or equal to 1" in response.content.decode()
    assert fresh(article).last_verified_at is None


@pytest.mark.django_db
def test_verify_is_post_only_and_another_tenants_article_is_404(
    client, editor, tenant_a, tenant_b
):
    mine = make_article(tenant_a)
    theirs = make_article(tenant_b, "theirs")
    client.force_login(editor)
    assert client.get(verify_url(mine), **HOST).status_code == 405
    assert client.post(verify_url(theirs), {}, **HOST).status_code == 404
    assert fresh(theirs).last_verified_at is None


@pytest.mark.django_db
def test_a_member_of_another_tenant_cannot_verify(client, tenant_a, tenant_b):
    outsider = make_user("olga", tenant=tenant_b, role=Membership.Role.MANAGER)
    article = make_article(tenant_a)
    client.force_login(outsider)
    response = client.post(verify_url(article), {}, **HOST)
    assert response.status_code in (302, 403)
    assert fresh(article).last_verified_at is None


@pytest.mark.django_db
def test_the_list_action_verifies_each_selected_article(client, editor, tenant_a):
    first = make_article(tenant_a, "first")
    second = make_article(tenant_a, "second")
    client.force_login(editor)
    response = client.post(
        "/admin/guides/article/",
        {
            "action": "verify_selected",
            "_selected_action": [str(first.pk), str(second.pk)],
            "index": "0",
        },
        follow=True,
        **HOST,
    )
    assert "2 marked as verified." in response.content.decode()
    for article in (first, second):
        assert fresh(article).last_verified_by == editor
    assert Revision.objects.filter(meta__action=RevisionMeta.Action.VERIFY).count() == 2


def _listed_slugs(html: str) -> list[str]:
    return re.findall(r'<td class="field-slug">([\w-]+)</td>', html)


@pytest.mark.django_db
def test_the_list_shows_last_verified_and_filters_stale_in_constant_queries(
    client, editor, tenant_a, tenant_b, django_assert_num_queries
):
    """The stale filter lists this tenant's due articles only; the column shows
    the date or "never"; the page's query count does not grow with them."""
    # given
    make_stale(make_article(tenant_a, "old-1", publish=True))
    make_article(tenant_a, "new", publish=True)
    make_stale(make_article(tenant_a, "old-draft"))
    make_stale(make_article(tenant_b, "theirs-old", publish=True))
    verified = make_stale(make_article(tenant_a, "checked", publish=True))
    with tenant_context(tenant_a):
        services.article_verify(article=verified, user=editor)
    client.force_login(editor)
    url = "/admin/guides/article/?stale=due"
    client.get(url, **HOST)  # warm the per-process caches
    with CaptureQueriesContext(connection) as first:
        html = client.get(url, **HOST).content.decode()
    assert _listed_slugs(html) == ["old-1"]
    assert "never" in html
    # when: more stale articles
    for n in range(2, 5):
        make_stale(make_article(tenant_a, f"old-{n}", publish=True))
    with django_assert_num_queries(len(first.captured_queries)):
        html = client.get(url, **HOST).content.decode()
    assert sorted(_listed_slugs(html)) == ["old-1", "old-2", "old-3", "old-4"]
    # and the others
    html = client.get("/admin/guides/article/?stale=fresh", **HOST).content.decode()
    assert sorted(_listed_slugs(html)) == ["checked", "new", "old-draft"]
    today = timezone.localdate().isoformat()
    assert f'<td class="field-last_verified">{today}</td>' in html


@pytest.mark.django_db
def test_a_manager_sets_the_help_centers_review_interval(client, tenant_a):
    """The settings form holds the default interval; out of range is refused."""
    manager = make_user("mona", tenant=tenant_a, role=Membership.Role.MANAGER)
    client.force_login(manager)
    url = f"/admin/guides/tenant/{tenant_a.pk}/change/"
    data = form_data(client.get(url, **HOST), "tenant_form")
    assert data["review_interval_days"] == "180"
    data["review_interval_days"] = "0"
    response = client.post(url, data, **HOST)
    assert response.status_code == 200
    assert "greater than or equal to 1" in response.content.decode()
    data["review_interval_days"] = "90"
    response = client.post(url, data, **HOST)
    assert response.status_code == 302, response.content.decode()[:2000]
    tenant_a.refresh_from_db()
    assert tenant_a.review_interval_days == 90


# --- in Chromium ----------------------------------------------------------------


@pytest.fixture
def desk(live_server):
    assert live_server.url.startswith("http://localhost:")
    return make_tenant("desk", hosts=["localhost"], languages=["zh-hans", "en"])


def sign_in(new_context, site: str, user) -> Page:
    page = new_context(viewport={"width": 1366, "height": 900}).new_page()
    page.goto(f"{site}/admin/login/?next=/admin/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", "pw-" + user.username)
    page.locator("#login-form [type=submit]").click()
    expect(page).to_have_url(f"{site}/admin/")
    return page


@pytest.mark.browser
def test_browser_a_reviewer_finds_a_stale_procedure_and_marks_it_verified(
    new_context, live_server, desk
):
    """From the stale filter to the article, "Mark as verified" with a
    comment; the list then no longer shows it as due."""
    # given
    reviewer = make_user("rita", tenant=desk, role=Membership.Role.REVIEWER)
    article = make_stale(
        make_article(desk, "cancel-esim", publish=True, title_en="Cancel an eSIM")
    )
    page = sign_in(new_context, live_server.url, reviewer)
    # when: the stale list
    page.goto(f"{live_server.url}/admin/guides/article/")
    page.get_by_role("link", name="Due for verification").click()
    expect(page).to_have_url(re.compile(r"\?stale=due"))
    rows = page.locator("#result_list tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first.locator("td.field-last_verified")).to_have_text("never")
    rows.first.locator("th a").click()
    # then: the change form's Freshness box
    box = page.locator("#article-freshness")
    expect(box).to_contain_text("Never verified.")
    expect(box).to_contain_text("Due for verification since")
    serious = [
        v
        for v in axe_violations(page, ["#article-freshness"])
        if v["impact"] in ("serious", "critical")
    ]
    assert not serious, describe(serious)
    box.get_by_label("What did you check?").fill("Called 10086: unchanged")
    box.get_by_role("button", name="Mark as verified").click()
    expect(page.locator(".messagelist")).to_contain_text("Marked as verified.")
    expect(page.locator("#article-freshness")).to_contain_text("by rita")
    assert fresh(article).last_verified_by == reviewer
    revision = Revision.objects.filter(meta__article_id=article.pk).latest("pk")
    assert revision.comment == "Verified: Called 10086: unchanged"
    # and the stale list is empty
    page.goto(f"{live_server.url}/admin/guides/article/?stale=due")
    expect(page.locator("#result_list tbody tr")).to_have_count(0)
