"""The basic admin: a demo editor signs in on their tenant's host only.

The whole demo (two tenants, their carriers, card types and articles) is
loaded once for this module, not once per test: see ``demo``.
"""

import io

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import TestCase
from reversion.models import Version

from guides.models import Article, Carrier, Membership, Tenant
from guides.tenancy import tenant_context
from tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """Load the demo once for the module; every test starts from it unchanged.

    The load runs inside a transaction that stays open until the module's last
    test and is then rolled back. pytest-django runs each test in a savepoint
    of it (the ``db`` fixture), so what one test writes is gone before the next.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        # The demo is indexed for search after commit, as in `make run`.
        with TestCase.captureOnCommitCallbacks(execute=True):
            call_command("load_demo", stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


def tenant(slug: str) -> Tenant:
    return Tenant.objects.get(slug=slug)


def test_demo_editor_logs_in_and_sees_their_articles_with_parts(client, demo):
    # given: the acme editor signs in on acme's host
    assert client.login(username="acme-editor", password="demo-acme-2026")
    # when: they open the article list and one article
    listing = client.get("/admin/guides/article/", HTTP_HOST="localhost")
    with tenant_context(tenant("acme")):
        article = Article.objects.filter(status=Article.Status.PUBLISHED).first()
    form = client.get(
        f"/admin/guides/article/{article.pk}/change/", HTTP_HOST="localhost"
    )
    # then: both render, with the article's translated title and its steps inline
    assert listing.status_code == 200
    assert article.title_zh_hans in listing.content.decode()
    assert form.status_code == 200
    page = form.content.decode()
    assert 'name="title_en"' in page and 'name="steps-0-title_zh_hans"' in page


def test_an_editor_gets_nothing_from_another_tenants_admin(client, demo):
    with tenant_context(tenant("acme")):
        acme_article = Article.objects.first()
    assert client.login(username="beta-editor", password="demo-beta-2026")
    # on acme's host the beta editor is no member: no admin app, no article
    index = client.get("/admin/", HTTP_HOST="localhost")
    assert "guides/article" not in index.content.decode()
    change = client.get(
        f"/admin/guides/article/{acme_article.pk}/change/", HTTP_HOST="localhost"
    )
    assert change.status_code == 404
    # on beta's own host, acme's article id does not resolve either
    change = client.get(
        f"/admin/guides/article/{acme_article.pk}/change/", HTTP_HOST="beta.localhost"
    )
    assert change.status_code == 404
    assert acme_article.title_zh_hans not in change.content.decode()


def test_editors_see_their_tenants_top_and_zero_result_queries(client, demo):
    from guides.search import searching

    acme, beta = tenant("acme"), tenant("beta")
    with tenant_context(acme):
        searching.search(tenant=acme, language="zh-hans", query="注销")
        searching.search(tenant=acme, language="zh-hans", query="acmenothing")
    with tenant_context(beta):
        searching.search(tenant=beta, language="zh-hans", query="betasecret")
    assert client.login(username="acme-editor", password="demo-acme-2026")
    page = client.get(
        "/admin/guides/searchquery/", HTTP_HOST="localhost"
    ).content.decode()
    assert "注销" in page and "acmenothing" in page
    assert "betasecret" not in page
    zero = page.split('id="zero-queries"')[1]
    assert "acmenothing" in zero and "注销" not in zero.split("</table>")[0]


def test_a_manager_cannot_reach_another_tenants_carrier_versions(client, demo):
    """Reversion's revision and recover views answer 404 for another tenant's ids."""
    acme, beta = tenant("acme"), tenant("beta")
    with tenant_context(acme):
        carrier = Carrier.objects.order_by("pk").first()
    version = Version.objects.get_for_object(carrier).get()
    history = f"/admin/guides/carrier/{carrier.pk}/history/{version.pk}/"
    recover = f"/admin/guides/carrier/recover/{version.pk}/"
    # acme's own manager opens the version: the ids are real
    client.force_login(make_user(tenant=acme, role=Membership.Role.MANAGER))
    assert client.get(history, HTTP_HOST="localhost").status_code == 200
    # beta's manager, on beta's host, is told neither exists
    client.force_login(make_user(tenant=beta, role=Membership.Role.MANAGER))
    for url in (history, recover):
        assert client.get(url, HTTP_HOST="beta.localhost").status_code == 404, url
        assert client.post(url, HTTP_HOST="beta.localhost").status_code == 404, url
    assert Carrier.unscoped.get(pk=carrier.pk).tenant_id == acme.pk
