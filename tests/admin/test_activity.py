"""Issue #15: activity, a tenant-scoped log of who did what and when.

Built on the tenant-tagged revisions: saves, submissions, publications,
reverts, deletions, restores, imports, settings, domains and memberships;
filterable by person, action and date, paginated, exported as CSV. Another
tenant's activity never shows, and its members get 404 here.
"""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone
from reversion.models import Revision

from guides import services
from guides.admin import activity as activity_admin
from guides.importers.runner import import_sources
from guides.importers.sources import Source
from guides.models import Membership, RevisionMeta
from guides.tenancy import tenant_context
from tests.admin.test_dashboard import signed_in
from tests.factories import CarrierFactory, make_article, make_user

pytestmark = pytest.mark.django_db

HOST = {"HTTP_HOST": "alpha.test", "HTTP_ACCEPT_LANGUAGE": "en"}
BETA = {"HTTP_HOST": "beta.test", "HTTP_ACCEPT_LANGUAGE": "en"}
URL = "/admin/activity/"
CSV_URL = "/admin/activity.csv"
SAMPLES = Path(__file__).resolve().parent.parent / "importers" / "samples"
Role = Membership.Role


def read_csv(response) -> list[dict]:
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:])))


def entries(client, query: str = "", host=HOST) -> list[tuple[str, str, str]]:
    """Return (user, kind, subject) of each CSV line, newest first."""
    return [
        (row["user"], row["kind"], row["subject"])
        for row in read_csv(client.get(CSV_URL + query, **host))
    ]


@pytest.fixture
def people(tenant_a, tenant_b):
    return {
        "editor": make_user("eddie", tenant=tenant_a, role=Role.EDITOR),
        "reviewer": make_user("rita", tenant=tenant_a, role=Role.REVIEWER),
        "manager": make_user("mona", tenant=tenant_a, role=Role.MANAGER),
        "beta": make_user("bert", tenant=tenant_b, role=Role.MANAGER),
    }


def latest_revision_id() -> int:
    return Revision.objects.order_by("-pk").values_list("pk", flat=True).first()


@pytest.fixture
def history(tenant_a, people, english):
    """Alpha's day: every kind of activity, by three people (in English)."""
    eddie, rita, mona = people["editor"], people["reviewer"], people["manager"]
    start = latest_revision_id()
    article = make_article(tenant_a, "cancel-esim", user=eddie, title_en="Cancel")
    with tenant_context(tenant_a):
        first = services.article_revisions(article=article).first()
        services.article_update(article=article, user=eddie, title_en="Cancel eSIM")
        services.article_submit(article=article, user=eddie)
        services.article_publish(article=article, user=rita)
        services.article_unpublish(article=article, user=rita)
        services.article_revert(article=article, user=eddie, revision_id=first.pk)
        doomed = make_article(tenant_a, "doomed", user=eddie, title_en="Doomed")
        services.article_delete(article=doomed, user=rita)
        version = services.deleted_articles(tenant=tenant_a)[0]
        services.article_recover(version_id=version.pk, user=eddie)
        import_sources(
            tenant=tenant_a,
            user=mona,
            sources=[
                Source(
                    name="esim_cancel_zh.md",
                    data=(SAMPLES / "esim_cancel_zh.md").read_bytes(),
                )
            ],
        )
        tenant_a.name = "Alpha Help"
        services.tenant_settings_update(tenant=tenant_a, user=mona)
        services.domain_add(tenant=tenant_a, user=mona, host="help.alpha.test")
        services.membership_set(
            tenant=tenant_a, user=make_user("newbie"), role=Role.EDITOR, actor=mona
        )
        CarrierFactory(
            tenant=tenant_a,
            user=mona,
            slug="unicom",
            name_en="Unicom",
            name_zh_hans="Unicom",
        )
    return {"start": start, "article": article}


def test_every_kind_of_activity_is_listed_with_who_and_what(people, history):
    lines = entries(signed_in(people["editor"]), "?since=2000-01-01")
    # before the fixture's day: the system created the tenant and its members
    first_of_day = min(n for n, line in enumerate(lines) if line[0] == "")
    mine, setup = lines[:first_of_day], lines[first_of_day:]
    assert mine == [
        ("mona", "catalogue", "Unicom"),
        ("mona", "memberships", "newbie @ Alpha Help (Editor)"),
        ("mona", "domains", "Alpha Help"),
        ("mona", "settings", "Alpha Help"),
        # the imported article, and the card type the import created
        ("mona", "import", "中国移动 eSIM 注销全攻略"),
        ("mona", "import", "eSIM"),
        ("eddie", "restore", "Doomed"),
        ("rita", "delete", "Doomed"),
        ("eddie", "save", "Doomed"),
        ("eddie", "revert", "Cancel"),
        ("rita", "unpublish", "Cancel eSIM"),
        ("rita", "publish", "Cancel eSIM"),
        ("eddie", "submit", "Cancel eSIM"),
        ("eddie", "save", "Cancel eSIM"),
        ("eddie", "save", "Cancel"),
    ]
    assert [kind for _user, kind, _subject in setup] == [
        "memberships",
        "memberships",
        "memberships",
        "settings",
    ]


def test_the_page_shows_when_who_what_and_links_live_articles(people, history):
    page = signed_in(people["editor"]).get(URL, **HOST).content.decode()
    table = page.split('id="activity-table"')[1].split("</table>")[0]
    article = history["article"]
    assert f'<a href="/admin/guides/article/{article.pk}/change/">Cancel</a>' in table
    for text in ("Published", "Reverted", "Restored", "Imported", "Domains", "mona"):
        assert text in table, text
    assert "<time datetime=" in table
    assert "the system" in table  # the tenant's creation, by no one


def test_the_filters_select_person_action_and_dates(people, history):
    client = signed_in(people["editor"])
    rita = people["reviewer"]
    assert {user for user, _kind, _s in entries(client, f"?person={rita.pk}")} == {
        "rita"
    }
    assert [kind for _u, kind, _s in entries(client, "?kind=publish")] == ["publish"]
    assert len(entries(client, f"?person={rita.pk}&kind=delete")) == 1
    # dates are local days, both ends included
    old = RevisionMeta.unscoped.filter(action=RevisionMeta.Action.SUBMIT).get()
    Revision.objects.filter(pk=old.revision_id).update(
        date_created=timezone.now() - timedelta(days=40)
    )
    day = (timezone.localdate() - timedelta(days=40)).isoformat()
    assert entries(client, f"?since={day}&until={day}") == [
        ("eddie", "submit", "Cancel eSIM")
    ]
    assert ("eddie", "submit", "Cancel eSIM") not in entries(
        client, f"?since={(timezone.localdate() - timedelta(days=1)).isoformat()}"
    )
    # the page offers the same filters, with the people of this help center
    page = client.get(URL + f"?person={rita.pk}", **HOST).content.decode()
    assert f'<option value="{rita.pk}" selected>rita</option>' in page
    assert "bert" not in page


def test_bad_filters_are_shown_and_ignored_never_an_error(people, history):
    client = signed_in(people["editor"])
    everything = len(entries(client))
    for query in (
        "?since=yesterday",
        "?until=2026-02-31",
        "?person=abc",
        f"?person={people['beta'].pk}",
        "?kind=hack",
        "?page=-1",
        "?page=%00",
        "?since=%00",
    ):
        response = client.get(URL + query, **HOST)
        assert response.status_code == 200, query
        assert len(entries(client, query)) == everything, query
    page = client.get(URL + "?since=yesterday", **HOST).content.decode()
    assert "Enter a valid date." in page


def test_the_list_is_paginated(people, history, monkeypatch):
    monkeypatch.setattr(activity_admin, "PER_PAGE", 5)
    client = signed_in(people["editor"])
    total = len(entries(client))
    first = client.get(URL + "?kind=save", **HOST)
    page = first.context["page"]
    assert page.paginator.count == 3 and not page.has_other_pages()
    first = client.get(URL, **HOST).content.decode()
    assert f"Page 1 of {-(-total // 5)}" in first
    assert 'href="?page=2" rel="next"' in first
    last = client.get(URL + "?page=999", **HOST)
    assert last.status_code == 200 and last.context["page"].number == -(-total // 5)
    filtered = client.get(URL + "?kind=save&page=1", **HOST).content.decode()
    assert "rel=" not in filtered.split('id="activity-table"')[1]


def test_the_csv_is_the_filtered_log_with_every_column(people, history):
    rows = read_csv(signed_in(people["editor"]).get(CSV_URL + "?kind=publish", **HOST))
    assert len(rows) == 1
    row = rows[0]
    assert row["user"] == "rita" and row["action"] == "Published"
    assert row["article_id"] == str(history["article"].pk)
    assert row["date"].startswith(timezone.localdate().isoformat())


def test_the_csv_never_starts_a_cell_with_a_formula(tenant_a, people):
    make_article(
        tenant_a,
        "formula",
        user=people["editor"],
        title_en="=1+1",
        title_zh_hans="=1+1",
    )
    rows = read_csv(signed_in(people["editor"]).get(CSV_URL + "?kind=save", **HOST))
    assert rows[0]["subject"] == "'=1+1"


# --- queries ----------------------------------------------------------------------

#: Session, user, membership; the people of the filter; the count and the
#: page (kind, subject and liveness are subqueries of that one query); the
#: admin's permission reads (two).
ACTIVITY_QUERIES = 8
#: Session, user, membership, the people of the filter; the entries.
ACTIVITY_CSV_QUERIES = 5


@pytest.mark.parametrize("extra", [0, 8])
def test_the_log_and_its_csv_cost_the_same_queries_whatever_the_articles(
    tenant_a, people, history, extra, django_assert_num_queries
):
    for n in range(extra):
        article = make_article(tenant_a, f"more-{n}", user=people["editor"])
        with tenant_context(tenant_a):
            services.article_submit(article=article, user=people["editor"])
    client = signed_in(people["editor"])
    client.get(URL, **HOST)  # fills the session and throttle caches
    with django_assert_num_queries(ACTIVITY_QUERIES):
        client.get(URL, **HOST)
    with django_assert_num_queries(ACTIVITY_CSV_QUERIES):
        rows = read_csv(client.get(CSV_URL, **HOST))
    assert sum(row["kind"] == "submit" for row in rows) == 1 + extra


# --- tenants ----------------------------------------------------------------------


def test_another_tenants_activity_never_shows(tenant_a, tenant_b, people, history):
    beta = people["beta"]
    make_article(tenant_b, "beta-secret", user=beta, title_en="Beta secret")
    with tenant_context(tenant_b):
        services.domain_add(tenant=tenant_b, user=beta, host="help.beta.test")
    client = signed_in(people["manager"])
    page = client.get(URL, **HOST).content.decode()
    lines = entries(client)
    for secret in ("Beta secret", "help.beta.test", "bert", "Beta"):
        assert secret not in page, secret
        assert not [line for line in lines if secret in " ".join(line)], secret
    # and beta's own log has beta's only
    own = entries(signed_in(beta), host=BETA)
    assert ("bert", "save", "Beta secret") in own
    assert not [line for line in own if "Alpha" in line[2] or line[0] == "eddie"]


def test_a_member_of_another_tenant_gets_404_here(tenant_a, people, history):
    client = signed_in(people["beta"])
    for url in (URL, CSV_URL, URL + "?kind=save"):
        response = client.get(url, **HOST)
        assert response.status_code == 404, url
        assert b"Cancel eSIM" not in response.content


def test_signed_out_readers_are_sent_to_the_login(tenant_a):
    for url in (URL, CSV_URL):
        response = Client().get(url, **HOST)
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")


# --- in a browser -----------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_log_in_a_browser_filters_without_javascript_and_passes_axe(
    live_server, new_context
):
    from playwright.sync_api import expect

    from tests.admin.test_dashboard import browser_sign_in, screenshot
    from tests.browser import axe_violations, describe
    from tests.factories import make_tenant

    desk = make_tenant("desk", hosts=["localhost"], languages=["zh-hans", "en"])
    eddie = make_user("eddie", tenant=desk, role=Role.EDITOR)
    rita = make_user("rita", tenant=desk, role=Role.REVIEWER)
    article = make_article(desk, "cancel", user=eddie, title_en="Cancel eSIM")
    with tenant_context(desk):
        services.article_submit(article=article, user=eddie)
        services.article_publish(article=article, user=rita)

    page = browser_sign_in(
        new_context, live_server.url, eddie, java_script_enabled=False
    )
    page.goto(f"{live_server.url}/admin/activity/")
    table = page.locator("#activity-table")
    expect(table.locator("tbody tr").first).to_contain_text("rita")
    page.select_option("#id_kind", "publish")
    page.get_by_role("button", name="Show").click()
    expect(table.locator("tbody tr")).to_have_count(1)
    expect(table.locator("tbody tr")).to_contain_text("Published")
    screenshot(page, "admin-activity.png")

    page = browser_sign_in(new_context, live_server.url, eddie)
    page.goto(f"{live_server.url}/admin/activity/")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 1366, width
    serious = [
        v for v in axe_violations(page) if v["impact"] in ("serious", "critical")
    ]
    assert not serious, "axe-core violations:\n" + describe(serious)
