"""Tenant settings, domains and memberships in the admin, and the switcher.

Managers edit the tenant of the host they signed in on and nothing else;
superusers see every tenant; editors, reviewers and non-members get nothing.
POST data is built from the GET page's own form (``form_data``), so the tests
send what a browser would.
"""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from reversion.models import Revision, Version

from guides import services
from guides.models import Domain, Invitation, Membership, RevisionMeta, Tenant
from guides.tenancy.resolver import forget_tenant_hosts, tenant_for_host
from tests.factories import make_tenant, make_user
from tests.forms import form_data

pytestmark = pytest.mark.django_db

# English UI strings, so the assertions read as the messages are written.
A = {"HTTP_HOST": "alpha.test", "HTTP_ACCEPT_LANGUAGE": "en"}
B = {"HTTP_HOST": "beta.test", "HTTP_ACCEPT_LANGUAGE": "en"}
TENANTS = "/admin/guides/tenant"
MEMBERS = "/admin/guides/membership"
Role = Membership.Role
INVITATIONS = "/admin/guides/invitation"

#: The one answer for a host another tenant holds or is a parent of: it names
#: no tenant, and a held host reads the same as one under another's host.
HOST_UNAVAILABLE = (
    "cannot be added to this help center. If it is yours, ask an administrator "
    "of this installation to add it."
)
UNKNOWN = {"HTTP_HOST": "nobody-serves-this.test"}


# --- helpers ------------------------------------------------------------------


def domain_rows(data: dict) -> dict[str, str]:
    """Return {host: row prefix} of the domain rows in ``data``."""
    return {
        value: key.removesuffix("-host")
        for key, value in data.items()
        if key.startswith("domains-") and key.endswith("-host") and value
    }


def tenant_state(tenant: Tenant) -> tuple:
    tenant = Tenant.objects.get(pk=tenant.pk)
    return (
        tenant.name,
        tenant.slug,
        tenant.languages,
        tenant.default_language,
        tenant.logo,
        tenant.primary_color,
        tenant.link_allowlist,
        sorted(Domain.objects.filter(tenant=tenant).values_list("host", "is_primary")),
    )


def members(tenant: Tenant) -> list[tuple[str, str]]:
    return sorted(
        Membership.objects.filter(tenant=tenant).values_list("user__username", "role")
    )


def messages_of(response) -> list[str]:
    return [m.message for m in get_messages(response.wsgi_request)]


@pytest.fixture
def people(tenant_a, tenant_b):
    """A user of each role in tenant A, a manager of B, a superuser, an outsider."""
    return {
        "editor": make_user("editor-a", tenant=tenant_a, role=Role.EDITOR),
        "reviewer": make_user("reviewer-a", tenant=tenant_a, role=Role.REVIEWER),
        "manager": make_user(
            "manager-a", tenant=tenant_a, role=Role.MANAGER, email="Manager@Alpha.test"
        ),
        "manager_b": make_user("manager-b", tenant=tenant_b, role=Role.MANAGER),
        "member_b": make_user("member-b", tenant=tenant_b, role=Role.EDITOR),
        "superuser": make_user("root", is_superuser=True),
        "outsider": make_user("outsider", email="outsider@example.org"),
    }


def as_user(client, user) -> Client:
    client.force_login(user)
    return client


# --- who may see what -------------------------------------------------------------


@pytest.mark.parametrize("who", ["editor", "reviewer", "outsider", "manager_b"])
def test_non_managers_get_no_tenant_or_membership_admin_and_change_nothing(
    client, tenant_a, people, who
):
    # given: a user who is not a manager of alpha, on alpha's host
    as_user(client, people[who])
    before = (tenant_state(tenant_a), members(tenant_a))
    membership = Membership.objects.get(user=people["editor"])
    # then: the index offers neither admin, and every page is refused
    index = client.get("/admin/", **A).content.decode()
    assert "/admin/guides/tenant/" not in index
    assert "/admin/guides/membership/" not in index
    for method, url, data in [
        ("get", f"{TENANTS}/", None),
        ("get", f"{TENANTS}/{tenant_a.pk}/change/", None),
        ("post", f"{TENANTS}/{tenant_a.pk}/change/", {"name": "Hacked"}),
        ("get", f"{TENANTS}/add/", None),
        ("get", f"{TENANTS}/{tenant_a.pk}/delete/", None),
        ("post", f"{TENANTS}/{tenant_a.pk}/delete/", {"post": "yes"}),
        ("get", f"{TENANTS}/{tenant_a.pk}/history/", None),
        ("get", f"{MEMBERS}/", None),
        ("get", f"{MEMBERS}/add/", None),
        ("post", f"{MEMBERS}/add/", {"user_identifier": "outsider", "role": "manager"}),
        ("get", f"{MEMBERS}/{membership.pk}/change/", None),
        ("post", f"{MEMBERS}/{membership.pk}/change/", {"role": "manager"}),
        ("post", f"{MEMBERS}/{membership.pk}/delete/", {"post": "yes"}),
    ]:
        response = getattr(client, method)(url, data or {}, **A)
        # alpha's own members are refused; to anyone else alpha's pages do not exist
        expected = 403 if who in ("editor", "reviewer") else 404
        assert response.status_code == expected, (
            who,
            method,
            url,
            response.status_code,
        )
    assert (tenant_state(tenant_a), members(tenant_a)) == before


def test_a_manager_sees_only_their_own_tenant_and_its_members(
    client, tenant_a, tenant_b, people
):
    as_user(client, people["manager"])
    index = client.get("/admin/", **A).content.decode()
    assert "/admin/guides/tenant/" in index and "/admin/guides/membership/" in index
    listing = client.get(f"{TENANTS}/", **A)
    assert listing.status_code == 200
    page = listing.content.decode()
    assert f"{TENANTS}/{tenant_a.pk}/change/" in page
    assert f"{TENANTS}/{tenant_b.pk}/change/" not in page and "Beta" not in page
    # no add button, no delete: those are for superusers
    assert f"{TENANTS}/add/" not in page
    assert client.get(f"{TENANTS}/add/", **A).status_code == 403
    assert client.get(f"{TENANTS}/{tenant_a.pk}/delete/", **A).status_code == 403
    # the change form: the slug is shown, not editable
    form = client.get(f"{TENANTS}/{tenant_a.pk}/change/", **A)
    assert form.status_code == 200
    html = form.content.decode()
    assert 'name="name"' in html and 'name="primary_color"' in html
    assert 'name="slug"' not in html and "alpha" in html
    assert 'name="domains-0-host"' in html
    # the members list: alpha's members only
    page = client.get(f"{MEMBERS}/", **A).content.decode()
    for name in ("editor-a", "reviewer-a", "manager-a"):
        assert name in page
    assert "manager-b" not in page and "member-b" not in page


def test_a_superuser_sees_and_edits_every_tenant(client, tenant_a, tenant_b, people):
    as_user(client, people["superuser"])
    page = client.get(f"{TENANTS}/", **A).content.decode()
    assert f"{TENANTS}/{tenant_a.pk}/change/" in page
    assert f"{TENANTS}/{tenant_b.pk}/change/" in page
    assert client.get(f"{TENANTS}/add/", **A).status_code == 200
    # another tenant's form, from alpha's host, with the slug editable
    response = client.get(f"{TENANTS}/{tenant_b.pk}/change/", **A)
    data = form_data(response, "tenant_form")
    assert data["slug"] == "beta"
    data.update(slug="beta-renamed", name="Beta Renamed")
    response = client.post(f"{TENANTS}/{tenant_b.pk}/change/", data, **A)
    assert response.status_code == 302, response.content.decode()[:3000]
    tenant_b.refresh_from_db()
    assert (tenant_b.slug, tenant_b.name) == ("beta-renamed", "Beta Renamed")
    # the new domain row of the form went to beta, not to the host's tenant
    assert list(
        Domain.objects.filter(tenant=tenant_b).values_list("host", flat=True)
    ) == ["beta.test"]
    # members: the host's tenant's only, for superusers too (finding 10)
    page = client.get(f"{MEMBERS}/", **A).content.decode()
    assert "manager-a" in page and "manager-b" not in page


def test_a_superuser_adds_a_tenant_with_its_domain(client, tenant_a, people):
    as_user(client, people["superuser"])
    data = form_data(client.get(f"{TENANTS}/add/", **A), "tenant_form")
    data.update(
        {
            "name": "Gamma",
            "slug": "gamma",
            "languages": ["zh-hans", "en"],
            "default_language": "en",
            "primary_color": "#112233",
            "domains-0-host": "gamma.test",
            "domains-0-is_primary": "on",
        }
    )
    response = client.post(f"{TENANTS}/add/", data, **A)
    assert response.status_code == 302, response.content.decode()[:3000]
    gamma = Tenant.objects.get(slug="gamma")
    assert list(gamma.domains.values_list("host", "is_primary")) == [
        ("gamma.test", True)
    ]
    assert tenant_for_host("gamma.test") == gamma


def test_only_a_superuser_deletes_a_tenant_and_its_hosts_stop_resolving(
    client, tenant_a, people
):
    gamma = make_tenant("gamma", hosts=["gamma.test"])
    assert tenant_for_host("gamma.test") == gamma
    url = f"{TENANTS}/{gamma.pk}/delete/"
    as_user(client, people["manager"])
    # another tenant's page: missing, exactly as for any other of its rows
    assert client.post(url, {"post": "yes"}, **A).status_code == 404
    as_user(client, people["superuser"])
    assert client.get(url, **A).status_code == 200
    assert client.post(url, {"post": "yes"}, **A).status_code == 302
    assert not Tenant.objects.filter(slug="gamma").exists()
    assert tenant_for_host("gamma.test") is None


# --- a manager edits their tenant's settings --------------------------------------


def test_a_manager_saves_settings_and_domains_in_one_versioned_revision(
    client, tenant_a, people
):
    # given: alpha's manager on alpha's host
    manager = people["manager"]
    as_user(client, manager)
    url = f"{TENANTS}/{tenant_a.pk}/change/"
    data = form_data(client.get(url, **A), "tenant_form")
    rows = domain_rows(data)
    assert set(rows) == {"alpha.test", "www.alpha.test"}
    # when: every setting changes, the primary moves and a domain is added
    data.update(
        {
            "name": "Alpha Help",
            "slug": "stolen",  # not a field for managers: ignored
            "languages": ["en"],
            "default_language": "en",
            "logo": "https://cdn.alpha.test/logo.png",
            "primary_color": "#ff6600",
            "link_allowlist": "cdn.alpha.test\nImages.Example.com.",
            f"{rows['alpha.test']}-is_primary": "",
            f"{rows['www.alpha.test']}-is_primary": "on",
            "domains-2-host": "help.alpha.test",
        }
    )
    data["domains-TOTAL_FORMS"] = "3"
    data = {k: v for k, v in data.items() if v != ""}
    response = client.post(url, data, **A)
    # then: saved, the slug untouched
    assert response.status_code == 302, response.content.decode()[:4000]
    assert tenant_state(tenant_a) == (
        "Alpha Help",
        "alpha",
        ["en"],
        "en",
        "https://cdn.alpha.test/logo.png",
        "#ff6600",
        ["cdn.alpha.test", "images.example.com"],
        [("alpha.test", False), ("help.alpha.test", False), ("www.alpha.test", True)],
    )
    # one revision, by the manager, tagged with alpha, holding tenant and domains
    revision = Revision.objects.order_by("-pk").first()
    assert revision.user == manager
    assert RevisionMeta.unscoped.get(revision=revision).tenant_id == tenant_a.pk
    held = {(v.content_type.model, v.object_repr) for v in revision.version_set.all()}
    assert held == {
        ("tenant", "Alpha Help"),
        ("domain", "alpha.test"),
        ("domain", "www.alpha.test"),
        ("domain", "help.alpha.test"),
    }
    # the history page lists it
    history = client.get(f"{TENANTS}/{tenant_a.pk}/history/", **A)
    assert history.status_code == 200
    assert f"{TENANTS}/{tenant_a.pk}/history/" in history.content.decode()


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ({"primary_color": "#12345G"}, "Use a hex colour like #0b5cad."),
        (
            {"languages": ["en"], "default_language": "zh-hans"},
            "The default language must be one of the enabled languages.",
        ),
        ({"logo": "javascript:alert(1)"}, "Use an absolute https URL or a path"),
        (
            {"link_allowlist": "good.example.com\nbad_host!"},
            "Not a host name: bad_host!",
        ),
        ({"name": ""}, "This field is required."),
    ],
)
def test_invalid_settings_show_on_the_form_with_what_was_typed(
    client, tenant_a, people, change, error
):
    as_user(client, people["manager"])
    url = f"{TENANTS}/{tenant_a.pk}/change/"
    before = tenant_state(tenant_a)
    data = form_data(client.get(url, **A), "tenant_form")
    data.update(change)
    response = client.post(url, data, **A)
    assert response.status_code == 200
    page = response.content.decode()
    assert error in page
    assert "errornote" in page
    # what was typed is on the page again
    for key, value in change.items():
        if isinstance(value, str) and value:
            assert value.replace("&", "&amp;").split("\n")[-1] in page, key
    assert tenant_state(tenant_a) == before


def _domain_post(client, tenant, **edits):
    """POST the tenant form with domain rows changed by ``edits``.

    ``edits`` maps a host to a dict of changes for its row, or to "DELETE";
    ``new`` is a list of (host, is_primary) rows to add.
    """
    url = f"{TENANTS}/{tenant.pk}/change/"
    data = form_data(client.get(url, **A), "tenant_form")
    rows = domain_rows(data)
    for host, change in edits.pop("rows", {}).items():
        prefix = rows[host]
        if change == "DELETE":
            data[f"{prefix}-DELETE"] = "on"
        else:
            data.update({f"{prefix}-{k}": v for k, v in change.items()})
    total = int(data["domains-INITIAL_FORMS"])
    for offset, (host, primary) in enumerate(edits.pop("new", [])):
        index = total + offset
        data[f"domains-{index}-host"] = host
        if primary:
            data[f"domains-{index}-is_primary"] = "on"
        data["domains-TOTAL_FORMS"] = str(index + 1)
    data = {k: v for k, v in data.items() if v != ""}
    return client.post(url, data, **A)


@pytest.mark.parametrize(
    ("edits", "error"),
    [
        # finding 5: one answer for a held host, naming no tenant
        ({"new": [("beta.test", False)]}, f"beta.test {HOST_UNAVAILABLE}"),
        (
            {"new": [("dup.alpha.test", False), ("dup.alpha.test", False)]},
            "dup.alpha.test is listed twice.",
        ),
        ({"new": [("second.alpha.test", True)]}, "Only one domain can be the primary"),
        (
            {
                "rows": {"alpha.test": {"is_primary": ""}},
                "new": [("new.alpha.test", True)],
            },
            "new.alpha.test is not verified yet, so it cannot be the primary domain.",
        ),
        (
            {"rows": {"alpha.test": {"is_primary": ""}}},
            "Mark one domain as the primary domain.",
        ),
        ({"new": [("not a host", False)]}, "is not a valid host name"),
        (
            {"rows": {"alpha.test": "DELETE", "www.alpha.test": {"is_primary": "on"}}},
            "You are signed in through alpha.test",
        ),
        (
            {"rows": {"alpha.test": {"host": "renamed.alpha.test"}}},
            "You are signed in through alpha.test",
        ),
    ],
)
def test_invalid_domains_show_on_the_form_never_a_500(
    client, tenant_a, people, edits, error
):
    as_user(client, people["manager"])
    before = tenant_state(tenant_a)
    response = _domain_post(client, tenant_a, **edits)
    assert response.status_code == 200
    page = response.content.decode()
    assert error in page, page[:200]
    for host, _primary in edits.get("new", []):
        assert f'value="{host}"' in page  # the typed row is kept
    assert tenant_state(tenant_a) == before


def test_the_last_domain_cannot_be_deleted(client, tenant_b, people):
    # given: beta has one domain; its superuser edits it from beta's host
    as_user(client, people["superuser"])
    url = f"{TENANTS}/{tenant_b.pk}/change/"
    data = form_data(client.get(url, **B), "tenant_form")
    data[f"{domain_rows(data)['beta.test']}-DELETE"] = "on"
    data = {k: v for k, v in data.items() if v != ""}
    before = tenant_state(tenant_b)
    response = client.post(url, data, **B)
    assert response.status_code == 200
    assert "A help center needs at least one domain." in response.content.decode()
    assert tenant_state(tenant_b) == before


def test_a_manager_moves_the_primary_domain_and_removes_another(
    client, tenant_a, people
):
    """The old primary is written first, so the one-primary constraint holds.

    The new primary is a verified domain: an unverified one is refused
    (test_invalid_domains_show_on_the_form_never_a_500).
    """
    as_user(client, people["manager"])
    response = _domain_post(
        client,
        tenant_a,
        rows={"alpha.test": {"is_primary": ""}, "www.alpha.test": {"is_primary": "on"}},
        new=[("new.alpha.test", False)],
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert tenant_state(tenant_a)[-1] == [
        ("alpha.test", False),
        ("new.alpha.test", False),
        ("www.alpha.test", True),
    ]
    response = _domain_post(client, tenant_a, rows={"new.alpha.test": "DELETE"})
    assert response.status_code == 302
    assert not Domain.objects.filter(host="new.alpha.test").exists()


# --- other tenants: 404 and nothing changed ------------------------------------------


def test_a_manager_gets_404_for_another_tenants_settings_and_members(
    client, tenant_a, tenant_b, people
):
    as_user(client, people["manager"])
    before = (tenant_state(tenant_b), members(tenant_b))
    member_b = Membership.objects.get(user=people["member_b"])
    for method, url, data in [
        ("get", f"{TENANTS}/{tenant_b.pk}/change/", None),
        ("post", f"{TENANTS}/{tenant_b.pk}/change/", {"name": "Hacked"}),
        ("get", f"{TENANTS}/{tenant_b.pk}/history/", None),
        ("get", f"{MEMBERS}/{member_b.pk}/change/", None),
        ("post", f"{MEMBERS}/{member_b.pk}/change/", {"role": "manager"}),
        ("get", f"{MEMBERS}/{member_b.pk}/history/", None),
        ("get", f"{MEMBERS}/{member_b.pk}/delete/", None),
        ("post", f"{MEMBERS}/{member_b.pk}/delete/", {"post": "yes"}),
    ]:
        response = getattr(client, method)(url, data or {}, **A)
        assert response.status_code == 404, (method, url, response.status_code)
        assert "member-b" not in response.content.decode()
    # the delete page of another tenant is not offered either
    assert client.get(f"{TENANTS}/{tenant_b.pk}/delete/", **A).status_code == 404
    assert (tenant_state(tenant_b), members(tenant_b)) == before


def test_a_manager_cannot_invite_to_another_tenant(
    client, tenant_a, tenant_b, people, mailoutbox, django_capture_on_commit_callbacks
):
    as_user(client, people["manager"])
    page = client.get(f"{INVITATIONS}/add/", **A)
    data = form_data(page, "invitation_form")
    assert "tenant" not in data
    data.update(email="outsider@example.org", role="manager", tenant=tenant_b.pk)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{INVITATIONS}/add/", data, **A)
    assert response.status_code == 302
    invitation = Invitation.objects.get(email="outsider@example.org")
    assert invitation.tenant_id == tenant_a.pk
    # the link works on alpha's host only; on beta's it is unknown
    link = _link(mailoutbox[0])
    assert Client().get(link, **B).status_code == 404
    assert ("outsider", "manager") not in members(tenant_b)


@pytest.fixture
def versions_of_b(tenant_b, people, client):
    """Versions of beta's settings and of a beta membership, made in the admin."""
    beta = Client()
    beta.force_login(people["manager_b"])
    url = f"{TENANTS}/{tenant_b.pk}/change/"
    data = form_data(beta.get(url, **B), "tenant_form")
    data["name"] = "Beta v2"
    data = {k: v for k, v in data.items() if v != ""}
    assert beta.post(url, data, **B).status_code == 302
    member = Membership.objects.get(user=people["member_b"])
    response = beta.post(f"{MEMBERS}/{member.pk}/change/", {"role": "reviewer"}, **B)
    assert response.status_code == 302
    return {
        "tenant": Version.objects.get_for_object(
            Tenant.objects.get(pk=tenant_b.pk)
        ).first(),
        "member": Version.objects.get_for_object(member).first(),
        "member_pk": member.pk,
    }


def test_a_manager_guessing_another_tenants_version_ids_gets_404(
    client, tenant_a, tenant_b, people, versions_of_b
):
    # given: beta's versions exist and are tagged with beta
    tenant_version, member_version = versions_of_b["tenant"], versions_of_b["member"]
    assert tenant_version.revision.meta.tenant_id == tenant_b.pk
    assert member_version.revision.meta.tenant_id == tenant_b.pk
    revisions = Revision.objects.count()
    before = (tenant_state(tenant_a), tenant_state(tenant_b), members(tenant_b))
    as_user(client, people["manager"])
    # positive control: alpha's own history answers
    assert client.get(f"{TENANTS}/{tenant_a.pk}/history/", **A).status_code == 200
    # when: alpha's manager tries beta's version ids through every door
    mb = versions_of_b["member_pk"]
    own_member = Membership.objects.get(user=people["manager"]).pk
    for url in [
        f"{TENANTS}/{tenant_b.pk}/history/{tenant_version.pk}/",
        f"{TENANTS}/{tenant_a.pk}/history/{tenant_version.pk}/",
        f"{TENANTS}/recover/{tenant_version.pk}/",
        f"{TENANTS}/recover/",
        f"{MEMBERS}/{mb}/history/{member_version.pk}/",
        f"{MEMBERS}/{own_member}/history/{member_version.pk}/",
        f"{MEMBERS}/recover/{member_version.pk}/",
        f"{MEMBERS}/recover/",
        # a version of another model, through the tenant admin
        f"{TENANTS}/{member_version.object_id}/history/{member_version.pk}/",
    ]:
        for method in ("get", "post"):
            response = getattr(client, method)(url, **A)
            assert response.status_code == 404, (method, url, response.status_code)
            assert "Beta v2" not in response.content.decode()
    # then: nothing changed, no revision was written
    assert (tenant_state(tenant_a), tenant_state(tenant_b), members(tenant_b)) == before
    assert Revision.objects.count() == revisions


def test_a_manager_reverts_their_own_tenant_but_keeps_the_slug(
    client, tenant_a, people
):
    """A revert restores settings and domains; the slug stays a superuser's."""
    as_user(client, people["manager"])
    url = f"{TENANTS}/{tenant_a.pk}/change/"
    data = form_data(client.get(url, **A), "tenant_form")
    data.update(name="Alpha One", primary_color="#111111")
    data = {k: v for k, v in data.items() if v != ""}
    assert client.post(url, data, **A).status_code == 302
    first = Version.objects.get_for_object(Tenant.objects.get(pk=tenant_a.pk)).first()
    data.update(name="Alpha Two", primary_color="#222222")
    assert client.post(url, data, **A).status_code == 302
    Tenant.objects.filter(pk=tenant_a.pk).update(slug="alpha-later")  # a superuser did
    revision_url = f"{TENANTS}/{tenant_a.pk}/history/{first.pk}/"
    # GET shows the old version and changes nothing
    page = client.get(revision_url, **A)
    assert page.status_code == 200
    assert 'value="Alpha One"' in page.content.decode()
    assert Tenant.objects.get(pk=tenant_a.pk).name == "Alpha Two"
    # POST reverts
    data = form_data(page, "tenant_form")
    data = {k: v for k, v in data.items() if v != ""}
    response = client.post(revision_url, data, **A)
    assert response.status_code == 302, response.content.decode()[:3000]
    reverted = Tenant.objects.get(pk=tenant_a.pk)
    assert (reverted.name, reverted.primary_color, reverted.slug) == (
        "Alpha One",
        "#111111",
        "alpha-later",
    )


def test_a_revert_that_would_drop_the_domain_in_use_is_refused(
    client, tenant_a, people
):
    """Reverting to a version without the host the manager is on changes nothing."""
    as_user(client, people["manager"])
    www = {"HTTP_HOST": "www.alpha.test", "HTTP_ACCEPT_LANGUAGE": "en"}
    url = f"{TENANTS}/{tenant_a.pk}/change/"
    # on www: drop alpha.test (version 1), then add it back (version 2)
    data = form_data(client.get(url, **www), "tenant_form")
    rows = domain_rows(data)
    data[f"{rows['alpha.test']}-DELETE"] = "on"
    data[f"{rows['www.alpha.test']}-is_primary"] = "on"
    data = {k: v for k, v in data.items() if v != ""}
    assert client.post(url, data, **www).status_code == 302
    without = Version.objects.get_for_object(Tenant.objects.get(pk=tenant_a.pk)).first()
    data = form_data(client.get(url, **www), "tenant_form")
    data.update({"domains-1-host": "alpha.test", "domains-TOTAL_FORMS": "2"})
    data = {k: v for k, v in data.items() if v != ""}
    assert client.post(url, data, **www).status_code == 302
    # added back, alpha.test waits for a proof again; an administrator grants it
    readded = Domain.objects.get(host="alpha.test")
    assert readded.verified_at is None
    services.domain_grant(tenant=tenant_a, user=None, domain=readded)
    before = tenant_state(tenant_a)
    # when: on alpha.test, the manager reverts to version 1
    revision_url = f"{TENANTS}/{tenant_a.pk}/history/{without.pk}/"
    data = form_data(client.get(revision_url, **A), "tenant_form")
    data = {k: v for k, v in data.items() if v != ""}
    response = client.post(revision_url, data, **A)
    # then: refused on the form, and the revert was rolled back
    assert response.status_code == 200
    assert "You are signed in through alpha.test" in response.content.decode()
    assert tenant_state(tenant_a) == before


def test_a_revert_brings_an_old_host_back_unverified(client, tenant_a, people):
    """Verification is no content: a revert never restores it."""
    as_user(client, people["manager"])
    url = f"{TENANTS}/{tenant_a.pk}/change/"
    data = form_data(client.get(url, **A), "tenant_form")
    data.update(name="Alpha with www")
    data = {k: v for k, v in data.items() if v != ""}
    assert client.post(url, data, **A).status_code == 302
    with_www = Version.objects.get_for_object(
        Tenant.objects.get(pk=tenant_a.pk)
    ).first()
    assert (
        _domain_post(client, tenant_a, rows={"www.alpha.test": "DELETE"}).status_code
        == 302
    )
    assert tenant_for_host("www.alpha.test") is None
    # when: the manager reverts to the version that had www.alpha.test
    revision_url = f"{TENANTS}/{tenant_a.pk}/history/{with_www.pk}/"
    data = form_data(client.get(revision_url, **A), "tenant_form")
    data = {k: v for k, v in data.items() if v != ""}
    response = client.post(revision_url, data, **A)
    # then: the name and the row are back, the host waits for a proof again
    assert response.status_code == 302, response.content.decode()[:3000]
    assert tenant_state(tenant_a)[0] == "Alpha with www"
    www = Domain.objects.get(host="www.alpha.test")
    assert www.tenant_id == tenant_a.pk and www.verified_at is None
    assert Client().get("/zh-hans/", HTTP_HOST="www.alpha.test").status_code == 404
    assert Domain.objects.get(host="alpha.test").verified_at is not None


# --- memberships ---------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["outsider@example.org", " OUTSIDER@Example.org "])
def test_a_manager_invites_by_address_and_the_person_joins_by_accepting(
    client, tenant_a, people, mailoutbox, invite, typed
):
    manager, outsider = people["manager"], people["outsider"]
    as_user(client, manager)
    # the members list offers an invitation, not an "add member" form
    listing = client.get(f"{MEMBERS}/", **A).content.decode()
    assert f'href="{INVITATIONS}/add/"' in listing
    assert f'href="{MEMBERS}/add/"' not in listing
    form = client.get(f"{INVITATIONS}/add/", **A).content.decode()
    # an address box, never a list of the installation's users
    assert 'name="email"' in form
    assert (
        "member-b" not in form
        and "outsider" not in form
        and '<select name="user' not in form
    )
    response = invite(typed, role="reviewer")
    assert response.status_code == 200
    assert (
        "An invitation was sent to outsider@example.org." in response.content.decode()
    )
    assert ("outsider", "reviewer") not in members(tenant_a)
    # versioned like every settings write: by the manager, tagged with alpha
    invitation = Invitation.objects.get(tenant=tenant_a)
    version = Version.objects.get_for_object(invitation).get()
    assert version.revision.user == manager
    assert version.revision.meta.tenant_id == tenant_a.pk
    # the e-mail, through Django's mail framework, carries the only link
    [message] = mailoutbox
    assert message.to == ["outsider@example.org"]
    assert "Alpha" in message.subject
    link = _link(message)
    assert link not in client.get(f"{INVITATIONS}/", **A).content.decode()
    # the invited person signs in and accepts
    invited = Client()
    invited.force_login(outsider)
    page = invited.get(link, **A)
    assert page.status_code == 200
    assert "as Reviewer" in page.content.decode()
    response = invited.post(link, {"accept": "1"}, **A)
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert ("outsider", "reviewer") in members(tenant_a)
    version = Version.objects.get_for_object(
        Membership.objects.get(user=outsider)
    ).first()
    assert version.revision.user == outsider
    assert version.revision.meta.tenant_id == tenant_a.pk
    # the link is spent
    assert invited.get(link, **A).status_code == 410


def test_an_invited_person_without_an_account_creates_one_as_that_address(
    client, tenant_a, people, mailoutbox, invite
):
    as_user(client, people["manager"])
    invite("new.person@example.org")
    link = _link(mailoutbox[0])
    newcomer = Client()
    page = newcomer.get(link, **A)
    assert page.status_code == 200
    data = form_data(page, "new_account_form")
    data.update(new_password1="a long pass phrase 7", new_password2="a different one")
    response = newcomer.post(link, {**data, "create": "1"}, **A)
    assert response.status_code == 200
    assert "didn" in response.content.decode()  # the two passwords differ
    data.update(new_password2="a long pass phrase 7")
    response = newcomer.post(link, {**data, "create": "1"}, **A)
    assert response.status_code == 302, response.content.decode()[:3000]
    user = Membership.objects.get(
        tenant=tenant_a, role="editor", user__email="new.person@example.org"
    ).user
    assert user.username == "new.person@example.org" and user.is_staff
    assert newcomer.get("/admin/", **A).status_code == 200


def test_an_invitation_is_accepted_only_as_the_invited_address(
    client, tenant_a, people, mailoutbox, invite
):
    as_user(client, people["manager"])
    invite("outsider@example.org")
    link = _link(mailoutbox[0])
    # signed in as someone else: refused, and nobody joins
    other = Client()
    other.force_login(people["member_b"])
    assert other.get(link, **A).status_code == 403
    assert other.post(link, {"accept": "1"}, **A).status_code == 403
    # signing in on the page with another account is refused too
    anonymous = Client()
    data = form_data(anonymous.get(link, **A), "sign_in_form")
    data.update(username="member-b", password="pw-member-b")
    response = anonymous.post(link, {**data, "sign_in": "1"}, **A)
    assert response.status_code == 200
    assert "does not have the address the invitation was sent to" in (
        response.content.decode()
    )
    # a tampered or unknown link is a plain 404
    assert anonymous.get(link[:-3] + "xyz/", **A).status_code == 404
    # signing in on the page as the invited address's user accepts
    data.update(username="outsider", password="pw-outsider")
    response = anonymous.post(link, {**data, "sign_in": "1"}, **A)
    assert response.status_code == 302
    assert ("outsider", "editor") in members(tenant_a)
    assert ("member-b", "editor") not in members(tenant_a)


@pytest.mark.parametrize(
    ("typed", "error"),
    [
        ("not-an-address", "Enter a valid email address."),
        ("Editor@Alpha.test", "editor@alpha.test is already a member of this help"),
        ("", "This field is required."),
    ],
)
def test_an_invitation_form_error_keeps_the_input(
    client, tenant_a, people, mailoutbox, typed, error
):
    people["editor"].email = "editor@alpha.test"
    people["editor"].save()
    as_user(client, people["manager"])
    response = client.post(
        f"{INVITATIONS}/add/", {"email": typed, "role": "editor"}, **A
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert error in page
    if typed:
        assert f'value="{typed}"' in page
    assert not Invitation.objects.exists() and not mailoutbox


def test_a_manager_withdraws_an_invitation_and_its_link_stops_working(
    client, tenant_a, people, mailoutbox, invite
):
    as_user(client, people["manager"])
    invite("outsider@example.org")
    invitation = Invitation.objects.get()
    url = f"{INVITATIONS}/{invitation.pk}/delete/"
    assert client.get(url, **A).status_code == 200
    assert client.post(url, {"post": "yes"}, **A).status_code == 302
    assert not Invitation.objects.exists()
    version = Version.objects.get_for_model(Invitation).order_by("-pk").first()
    assert version.revision.meta.action == "delete"
    assert version.revision.meta.tenant_id == tenant_a.pk
    assert Client().get(_link(mailoutbox[0]), **A).status_code == 404


def test_a_manager_changes_a_role_and_removes_a_member_with_versions(
    client, tenant_a, people
):
    manager = people["manager"]
    as_user(client, manager)
    editor = Membership.objects.get(user=people["editor"])
    response = client.post(f"{MEMBERS}/{editor.pk}/change/", {"role": "reviewer"}, **A)
    assert response.status_code == 302
    assert ("editor-a", "reviewer") in members(tenant_a)
    confirm = client.get(f"{MEMBERS}/{editor.pk}/delete/", **A)
    assert confirm.status_code == 200
    response = client.post(f"{MEMBERS}/{editor.pk}/delete/", {"post": "yes"}, **A)
    assert response.status_code == 302
    assert "editor-a" not in dict(members(tenant_a))
    # the change and the removal are both in the history, tagged with alpha
    versions = Version.objects.get_for_model(Membership).filter(
        object_id=str(editor.pk)
    )
    # the removal, the change, and the membership's creation by the fixture
    assert [v.revision.meta.action for v in versions] == ["delete", "other", "other"]
    assert {v.revision.meta.tenant_id for v in versions} == {tenant_a.pk}
    assert [v.revision.user for v in versions][:2] == [manager, manager]
    # a removed member is not enrolled again by a recover: that needs their
    # consent, through a new invitation
    latest = versions.first()
    for method in ("get", "post"):
        response = getattr(client, method)(
            f"{MEMBERS}/recover/{latest.pk}/", follow=True, **A
        )
        assert response.redirect_chain == [(f"{MEMBERS}/", 302)]
        assert "Invite them again" in " ".join(map(str, response.context["messages"]))
    assert "editor-a" not in dict(members(tenant_a))


def test_the_last_manager_cannot_be_demoted_or_removed(client, tenant_a, people):
    manager = people["manager"]
    own = Membership.objects.get(user=manager)
    as_user(client, manager)
    # demoting: a form error on the role
    response = client.post(f"{MEMBERS}/{own.pk}/change/", {"role": "editor"}, **A)
    assert response.status_code == 200
    assert (
        "manager-a is the last manager of this help center."
        in response.content.decode()
    )
    # removing: refused on the confirmation page and on the POST
    for method in ("get", "post"):
        response = getattr(client, method)(
            f"{MEMBERS}/{own.pk}/delete/",
            {"post": "yes"} if method == "post" else {},
            **A,
        )
        assert response.status_code == 302
        assert response["Location"] == f"{MEMBERS}/{own.pk}/change/"
        assert any("last manager" in m for m in messages_of(response))
    assert ("manager-a", "manager") in members(tenant_a)
    # a superuser is held to the same rule
    as_user(client, people["superuser"])
    response = client.post(f"{MEMBERS}/{own.pk}/change/", {"role": "reviewer"}, **A)
    assert response.status_code == 200
    assert ("manager-a", "manager") in members(tenant_a)


def test_reverting_the_last_manager_to_an_older_role_is_refused(
    client, tenant_a, people
):
    # given: reviewer-a was made an editor, then a manager, and is now the
    # only manager after manager-a stepped down
    as_user(client, people["manager"])
    other = Membership.objects.get(user=people["reviewer"])
    change = f"{MEMBERS}/{other.pk}/change/"
    assert client.post(change, {"role": "editor"}, **A).status_code == 302
    as_editor = Version.objects.get_for_object(other).first()
    assert client.post(change, {"role": "manager"}, **A).status_code == 302
    own = Membership.objects.get(user=people["manager"])
    assert (
        client.post(f"{MEMBERS}/{own.pk}/change/", {"role": "editor"}, **A).status_code
        == 302
    )
    as_user(client, people["reviewer"])
    # when: they revert their own membership to the editor version
    revision_url = f"{MEMBERS}/{other.pk}/history/{as_editor.pk}/"
    page = client.get(revision_url, **A)
    assert page.status_code == 200
    response = client.post(revision_url, form_data(page, "membership_form"), **A)
    # then: refused, still a manager
    assert response.status_code == 200
    assert "reviewer-a is the last manager" in response.content.decode()
    assert ("reviewer-a", "manager") in members(tenant_a)


def test_with_a_second_manager_the_first_may_step_down(client, tenant_a, people):
    manager = people["manager"]
    second = Membership.objects.get(user=people["reviewer"])
    as_user(client, manager)
    assert (
        client.post(
            f"{MEMBERS}/{second.pk}/change/", {"role": "manager"}, **A
        ).status_code
        == 302
    )
    own = Membership.objects.get(user=manager)
    response = client.post(f"{MEMBERS}/{own.pk}/change/", {"role": "editor"}, **A)
    assert response.status_code == 302
    assert members(tenant_a) == [
        ("editor-a", "editor"),
        ("manager-a", "editor"),
        ("reviewer-a", "manager"),
    ]


def test_a_superuser_invites_to_the_tenant_of_the_host(
    client, tenant_a, tenant_b, people, mailoutbox, invite
):
    as_user(client, people["superuser"])
    form = client.get(f"{INVITATIONS}/add/", **B).content.decode()
    assert 'name="tenant"' not in form
    response = invite("outsider@example.org", host=B)
    assert response.status_code == 200
    invitation = Invitation.objects.get()
    assert invitation.tenant_id == tenant_b.pk
    assert Version.objects.get_for_object(invitation).get().revision.meta.tenant_id == (
        tenant_b.pk
    )
    assert "/admin/guides/invitation/accept/" in mailoutbox[0].body
    assert "http://beta.test/" in mailoutbox[0].body


# --- changes take effect -------------------------------------------------------------


def test_a_domain_a_superuser_adds_is_served_at_once(client, tenant_a, people):
    anonymous = Client()
    assert anonymous.get("/zh-hans/", HTTP_HOST="new.alpha.test").status_code == 404
    as_user(client, people["superuser"])
    response = _domain_post(client, tenant_a, new=[("new.alpha.test", False)])
    assert response.status_code == 302
    assert anonymous.get("/zh-hans/", HTTP_HOST="new.alpha.test").status_code == 200
    # renaming a domain drops the old name
    response = _domain_post(
        client, tenant_a, rows={"new.alpha.test": {"host": "other.alpha.test"}}
    )
    assert response.status_code == 302
    assert anonymous.get("/zh-hans/", HTTP_HOST="new.alpha.test").status_code == 404
    assert anonymous.get("/zh-hans/", HTTP_HOST="other.alpha.test").status_code == 200


def test_a_cached_public_page_shows_the_new_colour_after_an_admin_save(
    client, tenant_a, people
):
    # given: alpha's home page is in the page cache
    anonymous = Client()
    first = anonymous.get("/zh-hans/", HTTP_HOST="alpha.test").content.decode()
    assert "--brand: #0b5cad;" in first
    # a write that bypasses signals is not seen: the page really is cached
    Tenant.objects.filter(pk=tenant_a.pk).update(primary_color="#00aa00")
    cached = anonymous.get("/zh-hans/", HTTP_HOST="alpha.test").content.decode()
    assert "--brand: #0b5cad;" in cached
    # when: the manager saves a colour in the admin
    as_user(client, people["manager"])
    url = f"{TENANTS}/{tenant_a.pk}/change/"
    data = form_data(client.get(url, **A), "tenant_form")
    data.update(primary_color="#aa0000", name="Alpha Rebranded")
    data = {k: v for k, v in data.items() if v != ""}
    assert client.post(url, data, **A).status_code == 302
    # then: readers get the new colour and name
    page = anonymous.get("/zh-hans/", HTTP_HOST="alpha.test").content.decode()
    assert "--brand: #aa0000;" in page and "Alpha Rebranded" in page


# --- the switcher --------------------------------------------------------------------


def _switcher(page: str) -> str:
    start = page.index('<nav class="tenant-switcher"')
    return page[start : page.index("</nav>", start)]


def test_the_switcher_links_a_members_other_tenants_with_scheme_and_port(
    client, tenant_a, tenant_b, people
):
    # given: alpha's manager is also an editor of beta; gamma is not theirs
    make_tenant("gamma", hosts=["gamma.test"])
    manager = people["manager"]
    Membership.objects.create(tenant=tenant_b, user=manager, role=Role.EDITOR)
    as_user(client, manager)
    # when: they open the admin on alpha's host, on a development port
    page = client.get("/admin/", HTTP_HOST="alpha.test:8000", HTTP_ACCEPT_LANGUAGE="en")
    nav = _switcher(page.content.decode())
    # then: alpha by name, beta linked on its primary domain with the same port
    assert 'aria-label="Help centers"' in nav
    assert "<strong>Alpha</strong>" in nav
    assert '<a href="http://beta.test:8000/admin/">Beta</a>' in nav
    assert "Gamma" not in nav and "alpha.test" not in nav
    # on beta's host over https, alpha's link goes to its primary domain
    page = client.get("/admin/guides/article/", secure=True, **B).content.decode()
    nav = _switcher(page)
    assert "<strong>Beta</strong>" in nav
    assert '<a href="https://alpha.test/admin/">Alpha</a>' in nav
    assert "www.alpha.test" not in nav


def test_a_single_tenant_user_sees_only_their_tenants_name(client, tenant_a, people):
    as_user(client, people["editor"])
    page = client.get("/admin/", **A).content.decode()
    nav = _switcher(page)
    assert "<strong>Alpha</strong>" in nav
    assert "<details>" not in nav and "<a " not in nav
    assert "Beta" not in page and "beta.test" not in page


def test_a_superuser_can_switch_to_every_tenant(client, tenant_a, tenant_b, people):
    gamma = make_tenant("gamma", hosts=["gamma.test", "www.gamma.test"])
    Domain.objects.filter(host="gamma.test").update(is_primary=False)
    Domain.objects.filter(host="www.gamma.test").update(is_primary=True)
    assert gamma.pk
    as_user(client, people["superuser"])
    nav = _switcher(client.get("/admin/", **A).content.decode())
    assert '<a href="http://beta.test/admin/">Beta</a>' in nav
    assert '<a href="http://www.gamma.test/admin/">Gamma</a>' in nav


def test_the_switcher_costs_no_query_once_cached_and_follows_membership_changes(
    client, tenant_a, tenant_b, people
):
    editor = people["editor"]
    as_user(client, editor)
    client.get("/admin/", **A)  # fills the session, publish_due and switcher caches
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/admin/", **A).content.decode()
    assert "<strong>Alpha</strong>" in _switcher(page)
    assert not [q["sql"] for q in queries if "guides_domain" in q["sql"]]
    # on a miss (any tenant, domain or membership change) it costs one query
    forget_tenant_hosts()
    with CaptureQueriesContext(connection) as queries:
        client.get("/admin/", **A)
    switcher = [
        q
        for q in queries
        if "guides_domain" in q["sql"] and "guides_membership" in q["sql"]
    ]
    assert len(switcher) == 1, switcher
    # joining beta shows beta on the next page
    Membership.objects.create(tenant=tenant_b, user=editor, role=Role.EDITOR)
    nav = _switcher(client.get("/admin/", **A).content.decode())
    assert '<a href="http://beta.test/admin/">Beta</a>' in nav


def test_the_login_page_shows_no_switcher(client, tenant_a):
    page = client.get("/admin/login/", **A).content.decode()
    assert "tenant-switcher" not in page.split("</style>")[-1]


# --- query counts -------------------------------------------------------------------


def test_settings_form_and_members_list_make_a_fixed_number_of_queries(
    client, tenant_a, people, django_assert_num_queries
):
    as_user(client, people["manager"])

    def warm():
        # the host lookup, the switcher's list, the content-type cache
        client.get(f"{TENANTS}/{tenant_a.pk}/change/", **A)
        client.get(f"{MEMBERS}/", **A)

    warm()
    # settings: session, user, role, the tenant, its domains, permissions (2)
    # and the view's savepoint; members: the same with Django's two counts
    # and the page of memberships (users joined) instead of tenant and domains
    with django_assert_num_queries(SETTINGS_FORM_QUERIES):
        client.get(f"{TENANTS}/{tenant_a.pk}/change/", **A)
    with django_assert_num_queries(MEMBERS_LIST_QUERIES):
        client.get(f"{MEMBERS}/", **A)
    for n in range(4):
        Domain.objects.create(tenant=tenant_a, host=f"more{n}.alpha.test")
        make_user(f"extra-{n}", tenant=tenant_a, role=Role.EDITOR)
    warm()  # the switcher's list was cleared by the new memberships
    with django_assert_num_queries(SETTINGS_FORM_QUERIES):
        page = client.get(f"{TENANTS}/{tenant_a.pk}/change/", **A).content.decode()
    assert "more3.alpha.test" in page
    with django_assert_num_queries(MEMBERS_LIST_QUERIES):
        page = client.get(f"{MEMBERS}/", **A).content.decode()
    assert "extra-3" in page


SETTINGS_FORM_QUERIES = 9
MEMBERS_LIST_QUERIES = 10


# --- finding 5: host names need proof of ownership ---------------------------------


@pytest.fixture
def local_verifier(settings):
    """Verify against a real HTTP server on 127.0.0.1 (host names map to it)."""
    from tests.tenancy.servers import HTTPServer, LocalVerifier

    settings.HELPCENTER_DOMAIN_VERIFIER = "tests.tenancy.servers.LocalVerifier"
    with HTTPServer() as server:
        LocalVerifier.http_port = server.port
        yield server
    LocalVerifier.http_port = None


@pytest.mark.parametrize(
    "host", ["beta.test", "www.beta.test", "admin.beta.test", "a.b.beta.test"]
)
def test_a_manager_cannot_claim_another_tenants_host_or_a_host_under_it(
    client, tenant_a, tenant_b, people, host
):
    """Regression (issue 11, finding 5): www.beta... was accepted and served."""
    as_user(client, people["manager"])
    before = (tenant_state(tenant_a), tenant_state(tenant_b))
    response = _domain_post(client, tenant_a, new=[(host, False)])
    assert response.status_code == 200
    page = response.content.decode()
    assert f"{host} {HOST_UNAVAILABLE}" in page
    # the answer names no tenant and does not say the host exists
    assert "Beta" not in page and "already exists" not in page
    assert f'value="{host}"' in page  # what was typed is kept
    assert (tenant_state(tenant_a), tenant_state(tenant_b)) == before
    anonymous = Client()
    served = host == "beta.test"  # beta's own host still serves beta, and only it
    assert anonymous.get("/zh-hans/", HTTP_HOST=host).status_code == (
        200 if served else 404
    )
    assert tenant_for_host(host) == (tenant_b if served else None)


def test_a_superuser_grants_a_host_under_another_tenants_host(
    client, tenant_a, tenant_b, people
):
    """Only a superuser may give alpha a host under beta's; it serves at once."""
    as_user(client, people["superuser"])
    response = _domain_post(client, tenant_a, new=[("www.beta.test", False)])
    assert response.status_code == 302, response.content.decode()[:3000]
    assert tenant_for_host("www.beta.test") == tenant_a


def test_a_domain_a_manager_adds_answers_like_an_unknown_host_until_verified(
    client, tenant_a, people
):
    """Regression (issue 11, finding 5): a claimed host served the site at once."""
    as_user(client, people["manager"])
    response = _domain_post(client, tenant_a, new=[("help.example.org", False)])
    assert response.status_code == 302, response.content.decode()[:3000]
    anonymous = Client()
    unknown = anonymous.get("/zh-hans/", **UNKNOWN)
    for path in ("/zh-hans/", "/", "/admin/login/", "/sitemap.xml"):
        response = anonymous.get(path, HTTP_HOST="help.example.org")
        assert response.status_code == 404, path
        assert response.content == unknown.content, path
    domain = Domain.objects.get(host="help.example.org")
    assert domain.tenant_id == tenant_a.pk and domain.verified_at is None
    # the form says it is not verified yet and links to the check
    page = client.get(f"{TENANTS}/{tenant_a.pk}/change/", **A).content.decode()
    assert f"{TENANTS}/{tenant_a.pk}/domains/{domain.pk}/verify/" in page
    assert "Not verified" in page


def test_a_manager_proves_a_host_with_the_http_token_and_it_serves(
    client, tenant_a, people, local_verifier
):
    from tests.tenancy.servers import Route

    # given: alpha claimed help.example.org, which serves no token yet
    as_user(client, people["manager"])
    assert (
        _domain_post(client, tenant_a, new=[("help.example.org", False)]).status_code
        == 302
    )
    domain = Domain.objects.get(host="help.example.org")
    url = f"{TENANTS}/{tenant_a.pk}/domains/{domain.pk}/verify/"
    page = client.get(url, **A)
    assert page.status_code == 200
    html = page.content.decode()
    token = html.split('data-token="')[1].split('"')[0]
    assert "http://help.example.org/.well-known/helpcenter-verification.txt" in html
    assert "_helpcenter-verification.help.example.org" in html
    # when: the check runs before the file is there
    response = client.post(url, {"check": "1"}, **A)
    # then: refused with the reason, still unverified
    assert response.status_code == 200
    assert "was not found" in response.content.decode()
    assert Domain.objects.get(pk=domain.pk).verified_at is None
    # when: the owner publishes the token and the manager checks again
    local_verifier.routes[
        ("help.example.org", "/.well-known/helpcenter-verification.txt")
    ] = Route(body=token.encode() + b"\n")
    response = client.post(url, {"check": "1"}, **A)
    # then: verified, versioned with alpha, and the host serves alpha's site
    assert response.status_code == 302, response.content.decode()[:3000]
    assert ("help.example.org", "/.well-known/helpcenter-verification.txt") in (
        local_verifier.requests
    )
    domain.refresh_from_db()
    assert domain.verified_at is not None and domain.verified_via == "http"
    revision = Revision.objects.order_by("-pk").first()
    assert revision.meta.tenant_id == tenant_a.pk
    assert revision.user == people["manager"]
    assert Client().get("/zh-hans/", HTTP_HOST="help.example.org").status_code == 200


def test_only_a_superuser_grants_a_pending_domain_from_its_verify_page(
    client, tenant_a, people
):
    as_user(client, people["manager"])
    assert (
        _domain_post(client, tenant_a, new=[("help.example.org", False)]).status_code
        == 302
    )
    domain = Domain.objects.get(host="help.example.org")
    url = f"{TENANTS}/{tenant_a.pk}/domains/{domain.pk}/verify/"
    # a manager is offered the check only; a crafted grant is refused
    assert 'name="grant"' not in client.get(url, **A).content.decode()
    assert client.post(url, {"grant": "1"}, **A).status_code == 403
    assert Domain.objects.get(pk=domain.pk).verified_at is None
    # a superuser grants it
    as_user(client, people["superuser"])
    page = client.get(url, **A).content.decode()
    assert 'name="grant"' in page
    response = client.post(url, {"grant": "1"}, **A)
    assert response.status_code == 302
    assert response["Location"] == f"{TENANTS}/{tenant_a.pk}/change/"
    assert Domain.objects.get(pk=domain.pk).verified_via == "grant"
    assert Client().get("/zh-hans/", HTTP_HOST="help.example.org").status_code == 200
    # the settings form says so
    page = client.get(f"{TENANTS}/{tenant_a.pk}/change/", **A).content.decode()
    assert "Verified (granted by an administrator)" in page


def test_another_tenants_domain_verify_page_answers_404(
    client, tenant_a, tenant_b, people
):
    beta_domain = Domain.objects.get(host="beta.test")
    as_user(client, people["manager"])
    for url in [
        f"{TENANTS}/{tenant_b.pk}/domains/{beta_domain.pk}/verify/",
        f"{TENANTS}/{tenant_a.pk}/domains/{beta_domain.pk}/verify/",
        f"{TENANTS}/{tenant_a.pk}/domains/999999/verify/",
        f"{TENANTS}/{tenant_a.pk}/domains/x/verify/",
    ]:
        for method in ("get", "post"):
            response = getattr(client, method)(url, **A)
            assert response.status_code == 404, (method, url)
            assert "beta.test" not in response.content.decode()


# --- finding 10: members join by invitation, with consent ----------------------------


@pytest.fixture
def invite(client, django_capture_on_commit_callbacks):
    """Return a function that sends the invitation form as a browser would.

    The e-mail leaves after the commit, so the callbacks are run.
    """

    def send(email, role="editor", host=A):
        page = client.get(f"{INVITATIONS}/add/", **host)
        assert page.status_code == 200
        data = form_data(page, "invitation_form")
        data.update(email=email, role=role)
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(f"{INVITATIONS}/add/", data, follow=True, **host)

    return send


def _link(message) -> str:
    """Return the path of the accept link in an invitation e-mail."""
    for word in message.body.split():
        if "/invitation/accept/" in word:
            return "/" + word.split("://", 1)[1].split("/", 1)[1]
    raise AssertionError(message.body)


def test_inviting_answers_the_same_whether_or_not_the_address_has_an_account(
    client, tenant_a, people, mailoutbox, invite
):
    """Regression (issue 11, finding 10): unknown users got another answer."""
    as_user(client, people["manager"])
    before = members(tenant_a)
    answers = []
    for email in ("outsider@example.org", "nobody@example.org"):
        response = invite(email)
        page = response.content.decode()
        notes = page[page.index('<ul class="messagelist">') :]
        notes = notes[: notes.index("</ul>")]
        answers.append(
            (response.status_code, response.redirect_chain, notes.replace(email, "@"))
        )
        assert "outsider" not in page.replace("outsider@example.org", "")
    assert answers[0] == answers[1]
    assert answers[0][0] == 200 and answers[0][1] == [(f"{INVITATIONS}/", 302)]
    # nobody joined: an invitation is only an offer
    assert members(tenant_a) == before
    assert [m.to for m in mailoutbox] == [
        ["outsider@example.org"],
        ["nobody@example.org"],
    ]


def test_another_tenants_user_is_never_shown_nor_added_without_consent(
    client, tenant_a, tenant_b, people, mailoutbox, invite
):
    """Regression (issue 11, finding 10): beta's user was enrolled and shown."""
    member_b = people["member_b"]
    member_b.email = "member.b@beta.example"
    member_b.save()
    as_user(client, people["manager"])
    # the old door (a username or address typed on the membership form) is gone
    response = client.post(
        f"{MEMBERS}/add/", {"user_identifier": "member-b", "role": "editor"}, **A
    )
    assert response.status_code == 302
    assert response["Location"] == f"{INVITATIONS}/add/"
    assert ("member-b", "editor") not in members(tenant_a)
    response = invite("Member.B@beta.example")
    page = response.content.decode()
    assert "member-b" not in page
    assert ("member-b", "editor") not in members(tenant_a)
    # the invitation list shows the address typed, never an account
    listing = client.get(f"{INVITATIONS}/", **A).content.decode()
    assert "member.b@beta.example" in listing and "member-b" not in listing
    # beta's user joins only by accepting
    assert len(mailoutbox) == 1
    beta_client = Client()
    beta_client.force_login(member_b)
    link = _link(mailoutbox[0])
    assert beta_client.get(link, **A).status_code == 200
    response = beta_client.post(link, {"accept": "1"}, **A)
    assert response.status_code == 302
    assert ("member-b", "editor") in members(tenant_a)


def test_members_are_never_listed_across_tenants(client, tenant_a, tenant_b, people):
    """Regression (issue 11, finding 10): a superuser's list mixed tenants."""
    as_user(client, people["superuser"])
    page = client.get(f"{MEMBERS}/", **A).content.decode()
    assert "manager-a" in page
    assert "manager-b" not in page and "member-b" not in page
    page = client.get(f"{MEMBERS}/", **B).content.decode()
    assert "manager-b" in page and "manager-a" not in page


#: The accept page signed in: the invitation, session, user, the user's and
#: groups' permissions (the admin's sidebar), the membership.
QUERIES_ACCEPT_PAGE = 6


def test_the_invitation_page_makes_a_fixed_number_of_queries_and_stays_in_its_tenant(
    client, tenant_a, tenant_b, people, mailoutbox, invite, django_assert_num_queries
):
    """The accept page answers in a fixed number of queries, and an invitation
    of one help center is unknown (404) on another's host."""
    as_user(client, people["manager"])
    invite("outsider@example.org")
    link = _link(mailoutbox[0])
    invited = Client()
    invited.force_login(people["outsider"])
    invited.get(link, **A)  # warm the host lookup and the session
    with django_assert_num_queries(QUERIES_ACCEPT_PAGE):
        assert invited.get(link, **A).status_code == 200
    assert invited.get(link, **B).status_code == 404
    assert invited.post(link, {"accept": "1"}, **B).status_code == 404
    assert ("outsider", "editor") not in members(tenant_a)
