"""The tenant services: settings, domains and the proof that a host is theirs.

The domain rules live in ``guides.services.tenants`` only; the admin's
formset asks them for its errors (tests/admin/test_tenants.py).
"""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation
from reversion.models import Revision, Version

from guides import services
from guides.cache.generations import content_generation
from guides.models import Domain, Membership, RevisionMeta, Tenant
from guides.services.tenants import DomainRow
from guides.tenancy.resolver import tenant_for_host
from guides.tenancy.verification import HTTP_PATH, verification_token
from tests.factories import make_tenant, make_user
from tests.tenancy.servers import DNSServer, HTTPServer, LocalVerifier, Route

pytestmark = pytest.mark.django_db

Role = Membership.Role
UNAVAILABLE = (
    "{host} cannot be added to this help center. If it is yours, ask an "
    "administrator of this installation to add it."
)


@pytest.fixture(autouse=True)
def _english():
    """Messages in English, as the assertions are written."""
    with translation.override("en"):
        yield


@pytest.fixture
def manager(tenant_a):
    return make_user("boss-a", tenant=tenant_a, role=Role.MANAGER)


@pytest.fixture
def superuser(db):
    return make_user("root", is_superuser=True)


@pytest.fixture
def verifier(settings):
    """Real HTTP and DNS servers on 127.0.0.1 that every host name maps to."""
    settings.HELPCENTER_DOMAIN_VERIFIER = "tests.tenancy.servers.LocalVerifier"
    with HTTPServer() as http, DNSServer() as dns:
        LocalVerifier.http_port, LocalVerifier.dns_port = http.port, dns.port
        yield http, dns
    LocalVerifier.http_port = LocalVerifier.dns_port = None


def hosts(tenant) -> list[tuple[str, bool, bool]]:
    """Return (host, primary, verified) of each of the tenant's domains."""
    return sorted(
        (host, primary, verified_at is not None)
        for host, primary, verified_at in Domain.objects.filter(
            tenant=tenant
        ).values_list("host", "is_primary", "verified_at")
    )


def messages(refused) -> list[str]:
    return refused.value.messages


# --- tenant_create: the system's door -----------------------------------------------


def test_tenant_create_grants_its_hosts_in_one_tagged_revision(db):
    tenant, created = services.tenant_create(
        slug="gamma", name="Gamma", hosts=["Gamma.Test.", "www.gamma.test"]
    )
    assert created
    assert hosts(tenant) == [
        ("gamma.test", True, True),
        ("www.gamma.test", False, True),
    ]
    assert set(Domain.objects.values_list("verified_via", flat=True)) == {"grant"}
    assert tenant_for_host("www.gamma.test") == tenant
    revision = Revision.objects.get()
    assert revision.meta.tenant_id == tenant.pk and revision.user is None
    assert {v.object_repr for v in revision.version_set.all()} == {
        "Gamma",
        "gamma.test",
        "www.gamma.test",
    }
    # again: nothing changes, no revision
    assert services.tenant_create(slug="gamma", name="Gamma", hosts=["gamma.test"]) == (
        tenant,
        False,
    )
    assert Revision.objects.count() == 1


def test_tenant_create_grants_a_host_the_tenant_only_claimed(tenant_a, manager):
    services.domain_add(tenant=tenant_a, user=manager, host="help.alpha.example")
    assert ("help.alpha.example", False, False) in hosts(tenant_a)
    services.tenant_create(slug="alpha", name="Alpha", hosts=["help.alpha.example"])
    assert ("help.alpha.example", False, True) in hosts(tenant_a)


def test_tenant_create_names_the_holder_for_the_operator(tenant_a):
    with pytest.raises(ValidationError) as refused:
        services.tenant_create(slug="other", name="Other", hosts=["alpha.test"])
    assert messages(refused) == [
        "The host alpha.test already serves the help center “alpha”."
    ]
    assert not Tenant.objects.filter(slug="other").exists()


# --- domain_add: who may claim what ---------------------------------------------------


def test_a_managers_new_host_waits_unverified_and_serves_nothing(tenant_a, manager):
    domain = services.domain_add(
        tenant=tenant_a, user=manager, host="Help.Example.org."
    )
    assert (domain.host, domain.verified_at, domain.verified_via) == (
        "help.example.org",
        None,
        "",
    )
    assert tenant_for_host("help.example.org") is None
    revision = Revision.objects.order_by("-pk").first()
    assert revision.user == manager and revision.meta.tenant_id == tenant_a.pk
    assert "help.example.org" in {v.object_repr for v in revision.version_set.all()}


@pytest.mark.parametrize(
    "host", ["beta.test", "www.beta.test", "admin.beta.test", "x.y.beta.test"]
)
def test_a_host_held_by_or_under_another_tenant_is_refused_alike(
    tenant_a, tenant_b, manager, host
):
    revisions = Revision.objects.count()
    with pytest.raises(ValidationError) as refused:
        services.domain_add(tenant=tenant_a, user=manager, host=host)
    # one message for both cases, naming the host typed and no tenant
    assert messages(refused) == [UNAVAILABLE.format(host=host)]
    assert refused.value.error_list[0].code == "host_unavailable"
    assert hosts(tenant_a) == [
        ("alpha.test", True, True),
        ("www.alpha.test", False, True),
    ]
    assert Revision.objects.count() == revisions


def test_a_host_that_only_looks_alike_is_not_under_another(tenant_a, tenant_b, manager):
    """notbeta.test and beta.test.evil.org are not under beta.test."""
    for host in ("notbeta.test", "beta.test.evil.org", "test"):
        services.domain_add(tenant=tenant_a, user=manager, host=host)
    assert {"notbeta.test", "beta.test.evil.org", "test"} <= {
        h for h, *_ in hosts(tenant_a)
    }


def test_a_superuser_grants_a_host_under_another_tenants_but_never_a_held_one(
    tenant_a, tenant_b, superuser
):
    domain = services.domain_add(tenant=tenant_a, user=superuser, host="www.beta.test")
    assert (
        domain.verified_via == "grant" and tenant_for_host("www.beta.test") == tenant_a
    )
    with pytest.raises(ValidationError) as refused:
        services.domain_add(tenant=tenant_a, user=superuser, host="beta.test")
    assert messages(refused) == [UNAVAILABLE.format(host="beta.test")]


def test_an_unproven_claim_blocks_nobody(tenant_a, tenant_b, manager, verifier):
    """Two tenants may claim a host; the one that proves it holds it."""
    http, _dns = verifier
    manager_b = make_user("boss-b", tenant=tenant_b, role=Role.MANAGER)
    claim_b = services.domain_add(
        tenant=tenant_b, user=manager_b, host="shared.example"
    )
    claim_a = services.domain_add(tenant=tenant_a, user=manager, host="shared.example")
    http.routes[("shared.example", HTTP_PATH)] = Route(
        body=verification_token(tenant_a.pk, "shared.example").encode()
    )
    services.domain_verify(tenant=tenant_a, user=manager, domain=claim_a)
    assert tenant_for_host("shared.example") == tenant_a
    # beta's claim can no longer be proven, nor can hosts under it be added
    with pytest.raises(ValidationError) as refused:
        services.domain_verify(tenant=tenant_b, user=manager_b, domain=claim_b)
    assert messages(refused) == [UNAVAILABLE.format(host="shared.example")]
    with pytest.raises(ValidationError):
        services.domain_add(tenant=tenant_b, user=manager_b, host="www.shared.example")


def test_only_a_manager_changes_domains(tenant_a):
    editor = make_user("ed", tenant=tenant_a, role=Role.REVIEWER)
    with pytest.raises(PermissionDenied):
        services.domain_add(tenant=tenant_a, user=editor, host="x.example.org")
    with pytest.raises(PermissionDenied):
        services.domain_grant(
            tenant=tenant_a,
            user=make_user("boss", tenant=tenant_a, role=Role.MANAGER),
            domain=Domain.objects.get(host="alpha.test"),
        )


# --- domain_verify -------------------------------------------------------------------


def test_a_manager_proves_a_host_over_http(tenant_a, manager, verifier):
    http, _dns = verifier
    domain = services.domain_add(tenant=tenant_a, user=manager, host="help.example.org")
    with pytest.raises(ValidationError) as refused:
        services.domain_verify(tenant=tenant_a, user=manager, domain=domain)
    assert refused.value.error_list[0].code == "not_verified"
    assert "was not found" in messages(refused)[0]
    http.routes[("help.example.org", HTTP_PATH)] = Route(
        body=verification_token(tenant_a.pk, "help.example.org").encode()
    )
    verified = services.domain_verify(tenant=tenant_a, user=manager, domain=domain)
    assert verified.verified_via == "http" and verified.verified_at is not None
    assert tenant_for_host("help.example.org") == tenant_a
    revision = Revision.objects.order_by("-pk").first()
    assert revision.user == manager and revision.meta.tenant_id == tenant_a.pk
    # the revision holds the tenant with all of its domains
    assert {v.object_repr for v in revision.version_set.all()} == {
        "Alpha",
        "alpha.test",
        "www.alpha.test",
        "help.example.org",
    }


def test_a_manager_proves_a_host_with_a_dns_record(tenant_a, manager, verifier):
    _http, dns = verifier
    domain = services.domain_add(tenant=tenant_a, user=manager, host="help.example.org")
    dns.records["_helpcenter-verification.help.example.org"] = [
        "helpcenter-verification=" + verification_token(tenant_a.pk, "help.example.org")
    ]
    verified = services.domain_verify(tenant=tenant_a, user=manager, domain=domain)
    assert verified.verified_via == "dns"


def test_another_tenants_domain_cannot_be_verified_through_mine(
    tenant_a, tenant_b, manager
):
    with pytest.raises(Domain.DoesNotExist):
        services.domain_verify(
            tenant=tenant_a, user=manager, domain=Domain.objects.get(host="beta.test")
        )


# --- tenant_settings_update: the rules over a whole submission ---------------------


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ([DomainRow(host="a.example", is_primary=True)], "Only one domain can be"),
        (
            [DomainRow(host="dup.example"), DomainRow(host="dup.example")],
            "dup.example is listed twice.",
        ),
        ([DomainRow(host="bad host")], "bad host is not a valid host name"),
        ("unprimary", "Mark one domain as the primary domain."),
        ("delete-all", "A help center needs at least one domain."),
        ("new-primary", "a.example is not verified yet, so it cannot be the primary"),
    ],
)
def test_domain_rules_over_the_whole_result(tenant_a, manager, changes, error):
    rows = {d.host: d for d in Domain.objects.filter(tenant=tenant_a)}
    if changes == "unprimary":
        changes = [DomainRow(pk=rows["alpha.test"].pk, host="alpha.test")]
    elif changes == "delete-all":
        changes = [DomainRow(pk=d.pk, host=d.host, delete=True) for d in rows.values()]
    elif changes == "new-primary":
        changes = [
            DomainRow(pk=rows["alpha.test"].pk, host="alpha.test"),
            DomainRow(host="a.example", is_primary=True),
        ]
    before = hosts(tenant_a)
    with pytest.raises(ValidationError) as refused:
        services.tenant_settings_update(tenant=tenant_a, user=manager, domains=changes)
    assert any(error in message for message in messages(refused)), messages(refused)
    assert hosts(tenant_a) == before


def test_the_host_signed_in_through_stays(tenant_a, manager):
    www = Domain.objects.get(host="www.alpha.test")
    with pytest.raises(ValidationError) as refused:
        services.domain_remove(
            tenant=tenant_a, user=manager, domain=www, request_host="www.alpha.test"
        )
    assert "You are signed in through www.alpha.test" in messages(refused)[0]
    services.domain_remove(
        tenant=tenant_a, user=manager, domain=www, request_host="alpha.test"
    )
    assert hosts(tenant_a) == [("alpha.test", True, True)]
    with pytest.raises(Domain.DoesNotExist):
        services.domain_remove(
            tenant=tenant_a, user=manager, domain=Domain.objects.get(host="beta.test")
        )


def test_a_renamed_host_is_a_new_host_and_waits_for_a_proof(tenant_a, manager):
    www = Domain.objects.get(host="www.alpha.test")
    services.tenant_settings_update(
        tenant=tenant_a,
        user=manager,
        domains=[DomainRow(pk=www.pk, host="help.alpha.test")],
    )
    assert hosts(tenant_a) == [
        ("alpha.test", True, True),
        ("help.alpha.test", False, False),
    ]
    assert tenant_for_host("www.alpha.test") is None
    assert tenant_for_host("help.alpha.test") is None


def test_a_revert_that_brings_a_host_back_brings_it_back_unverified(tenant_a, manager):
    """``before`` is what the tenant had before the request rewrote the table."""
    before = services.domain_states(tenant_a)
    # a revert restored an old row, verified in its version, in this request
    Domain.objects.create(
        tenant=tenant_a, host="old.alpha.test", verified_at=tenant_a.created_at
    )
    services.tenant_settings_update(tenant=tenant_a, user=manager, before=before)
    assert ("old.alpha.test", False, False) in hosts(tenant_a)


def test_settings_and_domains_are_one_revision_and_pages_change_with_it(
    tenant_a, manager, django_capture_on_commit_callbacks
):
    generation = content_generation(tenant_a.pk)
    tenant_a.name = "Alpha Help"
    tenant_a.primary_color = "#ff6600"
    www = Domain.objects.get(host="www.alpha.test")
    with django_capture_on_commit_callbacks() as callbacks:
        services.tenant_settings_update(
            tenant=tenant_a,
            user=manager,
            domains=[DomainRow(pk=www.pk, host="www.alpha.test", delete=True)],
            comment="Rebranded",
        )
    revision = Revision.objects.order_by("-pk").first()
    assert (revision.comment, revision.user) == ("Rebranded", manager)
    assert RevisionMeta.unscoped.get(revision=revision).tenant_id == tenant_a.pk
    assert {v.object_repr for v in revision.version_set.all()} == {
        "Alpha Help",
        "alpha.test",
    }
    # the generations moved with the write, before any after-commit effect
    assert content_generation(tenant_a.pk) > generation
    assert tenant_for_host("alpha.test").name == "Alpha Help"
    # nothing about the pages waits for the commit
    for callback in callbacks:
        callback()
    assert tenant_for_host("alpha.test").name == "Alpha Help"


def test_invalid_settings_are_refused_and_nothing_is_written(tenant_a, manager):
    tenant_a.default_language = "en"
    tenant_a.languages = ["zh-hans"]
    revisions = Revision.objects.count()
    with pytest.raises(ValidationError):
        services.tenant_settings_update(tenant=tenant_a, user=manager)
    assert Tenant.objects.get(pk=tenant_a.pk).languages == ["zh-hans", "en"]
    assert Revision.objects.count() == revisions


def test_only_a_superuser_creates_a_tenant_through_the_settings(manager, superuser):
    with pytest.raises(PermissionDenied):
        services.tenant_settings_update(
            tenant=Tenant(slug="delta", name="Delta"),
            user=manager,
            domains=[DomainRow(host="delta.test", is_primary=True)],
        )
    delta = services.tenant_settings_update(
        tenant=Tenant(slug="delta", name="Delta"),
        user=superuser,
        domains=[DomainRow(host="delta.test", is_primary=True)],
    )
    assert hosts(delta) == [("delta.test", True, True)]
    assert Version.objects.get_for_object(delta).get().revision.meta.tenant_id == (
        delta.pk
    )


def test_make_tenant_and_the_demo_hosts_serve(db):
    tenant = make_tenant("epsilon", hosts=["epsilon.test"])
    assert tenant_for_host("epsilon.test") == tenant
