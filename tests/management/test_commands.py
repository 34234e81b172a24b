"""Management commands: create_tenant and load_demo, with their error cases."""

import pytest
from django.core.management import CommandError, call_command
from reversion.models import Revision

from guides.models import Article, Domain, Membership, Publication, Tenant
from guides.tenancy import tenant_context

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    from io import StringIO

    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_create_tenant_creates_the_tenant_and_its_domains():
    output = run(
        "create_tenant",
        "gamma",
        "--name",
        "Gamma Help",
        "--domain",
        "Help.Gamma.test",
        "--domain",
        "gamma.localhost",
        "--languages",
        "en,zh-hans",
    )
    tenant = Tenant.objects.get(slug="gamma")
    assert tenant.name == "Gamma Help"
    assert tenant.languages == ["en", "zh-hans"] and tenant.default_language == "en"
    assert list(tenant.domains.values_list("host", "is_primary")) == [
        ("help.gamma.test", True),
        ("gamma.localhost", False),
    ]
    assert "Created tenant gamma" in output


def test_create_tenant_is_idempotent():
    run("create_tenant", "gamma", "--name", "Gamma", "--domain", "gamma.test")
    output = run("create_tenant", "gamma", "--name", "Gamma", "--domain", "gamma.test")
    assert "Already exists" in output
    assert Tenant.objects.count() == 1 and Domain.objects.count() == 1


def test_create_tenant_refuses_a_host_that_serves_another_tenant():
    run("create_tenant", "gamma", "--name", "Gamma", "--domain", "shared.test")
    with pytest.raises(CommandError, match=r"shared\.test already serves"):
        run("create_tenant", "delta", "--name", "Delta", "--domain", "shared.test")
    assert not Tenant.objects.filter(slug="delta").exists()


@pytest.mark.parametrize(
    "args, message",
    [
        (["--languages", "fr"], "Unknown language"),
        (["--languages", ""], "at least one language"),
        (["--domain", "bad host!"], "not a valid host name"),
        (["--domain", "http://x.test/"], "not a valid host name"),
    ],
)
def test_create_tenant_reports_bad_input_clearly(args, message):
    base = ["create_tenant", "gamma", "--name", "Gamma", "--domain", "gamma.test"]
    with pytest.raises(CommandError, match=message):
        run(*base, *args)
    assert not Tenant.objects.filter(slug="gamma").exists()


def test_create_tenant_requires_name_and_domain():
    with pytest.raises(CommandError):
        call_command("create_tenant", "gamma")


def snapshot_counts():
    counts = {"tenants": Tenant.objects.count(), "revisions": Revision.objects.count()}
    for tenant in Tenant.objects.all():
        with tenant_context(tenant):
            counts[tenant.slug] = (
                Article.objects.count(),
                Publication.objects.count(),
                sorted(Article.objects.values_list("slug", "lock_version")),
            )
    return counts


def test_load_demo_builds_two_tenants_and_is_idempotent():
    output = run("load_demo")
    acme = Tenant.objects.get(slug="acme")
    beta = Tenant.objects.get(slug="beta")
    assert set(acme.domains.values_list("host", flat=True)) == {
        "localhost",
        "127.0.0.1",
    }
    assert list(beta.domains.values_list("host", flat=True)) == ["beta.localhost"]
    with tenant_context(acme):
        assert Publication.objects.count() >= 10
        assert Article.objects.filter(status=Article.Status.DRAFT).count() >= 1
        assert all(
            set(p.languages) >= {"zh-hans", "en"} for p in Publication.objects.all()
        )
        from guides.models import CardType, Carrier

        assert Carrier.objects.count() >= 3 and CardType.objects.count() >= 6
        histories = [
            Revision.objects.filter(meta__article_id=a.pk).count()
            for a in Article.objects.all()
        ]
        assert max(histories) >= 4  # created, edits, submitted, published
    assert Membership.objects.filter(tenant=acme).count() >= 1
    assert "localhost" in output and "login" in output
    # when: run again
    before = snapshot_counts()
    run("load_demo")
    # then: nothing changed
    assert snapshot_counts() == before


def test_demo_tenants_share_a_slug_but_not_content():
    run("load_demo")
    slug = "cancel-china-mobile-prepaid-10-day-card"
    titles = []
    for tenant in Tenant.objects.order_by("slug"):
        with tenant_context(tenant):
            titles.append(
                Publication.objects.get(slug=slug).content["zh-hans"]["title"]
            )
    assert len(titles) == 2 and titles[0] != titles[1]
