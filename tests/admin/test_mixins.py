"""The basic admin: a demo editor signs in on their tenant's host only."""

import io

import pytest
from django.core.management import call_command

from guides.models import Article, Tenant
from guides.tenancy import tenant_context

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db, django_capture_on_commit_callbacks):
    # The demo is indexed for search after commit, as in `make run`.
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", stdout=io.StringIO())


def test_demo_editor_logs_in_and_sees_their_articles_with_parts(client, demo):
    # given: the acme editor signs in on acme's host
    assert client.login(username="acme-editor", password="demo-acme-2026")
    # when: they open the article list and one article
    listing = client.get("/admin/guides/article/", HTTP_HOST="localhost")
    acme = Tenant.objects.get(slug="acme")
    with tenant_context(acme):
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
    acme = Tenant.objects.get(slug="acme")
    with tenant_context(acme):
        acme_article = Article.objects.first()
    assert client.login(username="beta-editor", password="demo-beta-2026")
    # on acme's host the beta editor is no member: no admin app, no article
    index = client.get("/admin/", HTTP_HOST="localhost")
    assert "guides/article" not in index.content.decode()
    change = client.get(
        f"/admin/guides/article/{acme_article.pk}/change/", HTTP_HOST="localhost"
    )
    assert change.status_code in (302, 403, 404)
    # on beta's own host, acme's article id does not resolve either
    change = client.get(
        f"/admin/guides/article/{acme_article.pk}/change/", HTTP_HOST="beta.localhost"
    )
    assert change.status_code in (302, 404)
    assert acme_article.title_zh_hans not in change.content.decode()


def test_editors_see_their_tenants_top_and_zero_result_queries(client, demo):
    from guides.search import searching

    acme = Tenant.objects.get(slug="acme")
    beta = Tenant.objects.get(slug="beta")
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


def test_a_manager_cannot_reach_another_tenants_carrier_versions(client, db):
    """Reversion's revision and recover views answer 404 for another tenant's ids."""
    import reversion
    from reversion.models import Version

    from guides.models import Carrier, Membership
    from tests.factories import make_carrier, make_tenant, make_user

    alpha = make_tenant("alpha", hosts=["alpha.test"])
    beta = make_tenant("beta", hosts=["beta.test"])
    with reversion.create_revision():
        carrier = make_carrier(alpha)
    version = Version.objects.get_for_object(carrier).get()
    manager = make_user(tenant=beta, role=Membership.Role.MANAGER)
    client.force_login(manager)
    base = "/admin/guides/carrier"
    for url in (
        f"{base}/{carrier.pk}/history/{version.pk}/",
        f"{base}/recover/{version.pk}/",
    ):
        assert client.get(url, HTTP_HOST="beta.test").status_code == 404, url
        assert client.post(url, HTTP_HOST="beta.test").status_code == 404, url
    assert Carrier.unscoped.get(pk=carrier.pk).tenant_id == alpha.pk
