"""Membership and invitation services: the last-manager rule, and consent.

The rule lives in ``guides.services.members`` only; the admin's forms ask it
for their errors (tests/admin/test_tenants.py).
"""

from __future__ import annotations

import time

import pytest
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from reversion.models import Version

from guides import services
from guides.models import Invitation, Membership
from tests.factories import make_user

pytestmark = pytest.mark.django_db

Role = Membership.Role


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def boss(tenant_a):
    return make_user("boss", tenant=tenant_a, role=Role.MANAGER)


def link(token: str) -> str:
    return f"http://alpha.test/admin/guides/invitation/accept/{token}/"


def token_of(message) -> str:
    url = next(word for word in message.body.split() if "/accept/" in word)
    return url.rstrip("/").rsplit("/", 1)[1]


# --- memberships -----------------------------------------------------------------


def test_membership_set_writes_one_tagged_revision_by_the_actor(tenant_a, boss):
    user = make_user("newcomer")
    membership = services.membership_set(
        tenant=tenant_a, user=user, role=Role.REVIEWER, actor=boss
    )
    version = Version.objects.get_for_object(membership).get()
    assert version.revision.user == boss
    assert version.revision.meta.tenant_id == tenant_a.pk
    assert version.revision.comment == "newcomer is now Reviewer."


def test_only_a_manager_sets_memberships(tenant_a, boss):
    reviewer = make_user("rev", tenant=tenant_a, role=Role.REVIEWER)
    with pytest.raises(PermissionDenied):
        services.membership_set(
            tenant=tenant_a, user=reviewer, role=Role.MANAGER, actor=reviewer
        )
    with pytest.raises(ValidationError):
        services.membership_set(
            tenant=tenant_a, user=reviewer, role="owner", actor=boss
        )
    assert Membership.objects.get(user=reviewer).role == Role.REVIEWER


def test_the_last_manager_is_neither_demoted_nor_removed(tenant_a, boss):
    own = Membership.objects.get(user=boss)
    with pytest.raises(ValidationError) as refused:
        services.membership_set(
            tenant=tenant_a, user=boss, role=Role.EDITOR, actor=boss
        )
    assert refused.value.code == "last_manager"
    with pytest.raises(ValidationError):
        services.membership_delete(membership=own, actor=boss)
    assert services.is_last_manager(own)
    assert Membership.objects.get(pk=own.pk).role == Role.MANAGER
    # with a second manager, the first may step down and be removed
    second = make_user("second", tenant=tenant_a, role=Role.MANAGER)
    services.membership_set(tenant=tenant_a, user=boss, role=Role.EDITOR, actor=second)
    services.membership_delete(
        membership=Membership.objects.get(pk=own.pk), actor=second
    )
    assert list(Membership.objects.filter(tenant=tenant_a).values_list("role")) == [
        ("manager",)
    ]


def test_the_rule_judges_a_revert_by_the_managers_before_it(tenant_a, boss):
    """A revert wrote the old role already; the managers before it count."""
    own = Membership.objects.get(user=boss)
    before = services.manager_ids(tenant_a.pk)
    Membership.objects.filter(pk=own.pk).update(role=Role.EDITOR)  # the revert
    own.refresh_from_db()
    with pytest.raises(ValidationError):
        services.membership_role_check(
            membership=own, role=Role.EDITOR, managers_before=before
        )
    # without that memory it would look like a non-manager's change
    services.membership_role_check(membership=own, role=Role.EDITOR)


def test_a_removal_is_a_delete_revision_that_keeps_the_last_state(tenant_a, boss):
    editor = make_user("ed", tenant=tenant_a, role=Role.EDITOR)
    membership = Membership.objects.get(user=editor)
    pk = membership.pk
    services.membership_delete(membership=membership, actor=boss)
    assert not Membership.objects.filter(user=editor).exists()
    version = Version.objects.get_for_model(Membership).filter(object_id=str(pk))[0]
    assert version.revision.meta.action == "delete"
    assert version.revision.meta.tenant_id == tenant_a.pk
    assert version.revision.user == boss
    assert version.field_dict["role"] == "editor"


# --- invitations -------------------------------------------------------------------


@pytest.fixture
def send(tenant_a, boss, mailoutbox, django_capture_on_commit_callbacks):
    """Invite an address as the manager; the e-mail leaves after the commit."""

    def send(email, role=Role.EDITOR):
        with django_capture_on_commit_callbacks(execute=True):
            return services.invitation_send(
                tenant=tenant_a, actor=boss, email=email, role=role, link=link
            )

    return send


def test_inviting_looks_up_no_account_outside_the_tenant(tenant_a, tenant_b, send):
    """The answer cannot depend on accounts elsewhere: none are read."""
    make_user("known", email="known@example.org", tenant=tenant_b)
    for email in ("known@example.org", "unknown@example.org"):
        with CaptureQueriesContext(connection) as queries:
            invitation = send(email)
        assert invitation.email == email
        touching_users = [q["sql"] for q in queries if "auth_user" in q["sql"]]
        # the only query that reads accounts is the tenant's own members'
        assert len(touching_users) == 1
        assert "guides_membership" in touching_users[0]
        assert f'tenant_id" = {tenant_a.pk}' in touching_users[0]
    assert not Membership.objects.filter(tenant=tenant_a, user__username="known")


def test_an_invitation_is_versioned_and_mailed_with_a_signed_link(
    tenant_a, boss, send, mailoutbox
):
    invitation = send(" New.Person@Example.org ", role=Role.REVIEWER)
    assert (invitation.email, invitation.role, invitation.invited_by) == (
        "new.person@example.org",
        "reviewer",
        boss,
    )
    version = Version.objects.get_for_object(invitation).get()
    assert version.revision.user == boss
    assert version.revision.meta.tenant_id == tenant_a.pk
    [message] = mailoutbox
    assert message.to == ["new.person@example.org"]
    token = token_of(message)
    assert services.invitation_for_token(tenant=tenant_a, token=token) == invitation
    # the token is signed: a changed one is not an invitation
    with pytest.raises(services.InvitationInvalid):
        services.invitation_for_token(tenant=tenant_a, token=token[:-2] + "xx")


def test_sending_again_renews_the_link_and_the_old_one_stops_working(
    tenant_a, send, mailoutbox
):
    first = send("new.person@example.org")
    again = send("NEW.person@example.org", role=Role.MANAGER)
    assert again.pk == first.pk and again.role == "manager"
    old, new = token_of(mailoutbox[0]), token_of(mailoutbox[1])
    with pytest.raises(services.InvitationClosed):
        services.invitation_for_token(tenant=tenant_a, token=old)
    assert services.invitation_for_token(tenant=tenant_a, token=new) == again


def test_a_link_expires(tenant_a, send, mailoutbox, monkeypatch, settings):
    send("new.person@example.org")
    token = token_of(mailoutbox[0])
    later = time.time() + settings.HELPCENTER_INVITATION_MAX_AGE + 60
    monkeypatch.setattr(signing.time, "time", lambda: later)
    with pytest.raises(services.InvitationClosed):
        services.invitation_for_token(tenant=tenant_a, token=token)


def test_another_tenants_link_is_unknown_here(tenant_a, tenant_b, send, mailoutbox):
    send("new.person@example.org")
    with pytest.raises(services.InvitationInvalid):
        services.invitation_for_token(tenant=tenant_b, token=token_of(mailoutbox[0]))


def test_only_the_invited_addresss_user_accepts_and_only_once(
    tenant_a, send, mailoutbox
):
    send("person@example.org", role=Role.REVIEWER)
    token = token_of(mailoutbox[0])
    stranger = make_user("stranger", email="stranger@example.org")
    with pytest.raises(PermissionDenied):
        services.invitation_accept(tenant=tenant_a, token=token, user=stranger)
    person = make_user("person", email="Person@Example.org", is_staff=False)
    membership = services.invitation_accept(tenant=tenant_a, token=token, user=person)
    assert (membership.user, membership.role) == (person, "reviewer")
    person.refresh_from_db()
    assert person.is_staff  # may sign in to the admin now
    invitation = Invitation.objects.get()
    assert invitation.accepted_by == person and invitation.accepted_at is not None
    revision = Version.objects.get_for_object(membership).get().revision
    assert revision.user == person and revision.meta.tenant_id == tenant_a.pk
    with pytest.raises(services.InvitationClosed):
        services.invitation_accept(tenant=tenant_a, token=token, user=person)


def test_accepting_never_lowers_a_members_role(tenant_a, boss, send, mailoutbox):
    reviewer = make_user(
        "rev", email="rev@example.org", tenant=tenant_a, role=Role.REVIEWER
    )
    Membership.objects.filter(user=reviewer).delete()
    Membership.objects.create(tenant=tenant_a, user=reviewer, role=Role.MANAGER)
    # an existing member's address is refused at the door ...
    with pytest.raises(ValidationError) as refused:
        send("rev@example.org")
    assert refused.value.messages == [
        "rev@example.org is already a member of this help center."
    ]
    # ... and one who joined after being invited keeps the higher role
    Membership.objects.filter(user=reviewer).delete()
    send("rev@example.org", role=Role.EDITOR)
    Membership.objects.create(tenant=tenant_a, user=reviewer, role=Role.MANAGER)
    services.invitation_accept(
        tenant=tenant_a, token=token_of(mailoutbox[-1]), user=reviewer
    )
    assert Membership.objects.get(user=reviewer).role == "manager"


def test_a_new_account_is_made_for_the_invited_address_only(tenant_a, send, mailoutbox):
    send("fresh@example.org")
    token = token_of(mailoutbox[0])
    membership = services.invitation_accept_with_new_account(
        tenant=tenant_a, token=token, password="a long pass phrase 7"
    )
    user = membership.user
    assert (user.username, user.email, user.is_staff) == (
        "fresh@example.org",
        "fresh@example.org",
        True,
    )
    assert user.check_password("a long pass phrase 7")
    # an address that has an account signs in instead
    make_user("holder", email="taken@example.org")
    send("taken@example.org")
    with pytest.raises(ValidationError) as refused:
        services.invitation_accept_with_new_account(
            tenant=tenant_a, token=token_of(mailoutbox[1]), password="x" * 20
        )
    assert refused.value.code == "account_exists"


def test_withdrawing_deletes_the_invitation_and_keeps_a_revision(
    tenant_a, boss, send, mailoutbox
):
    invitation = send("person@example.org")
    services.invitation_revoke(invitation=invitation, actor=boss)
    assert not Invitation.objects.exists()
    version = Version.objects.get_for_model(Invitation).order_by("-pk").first()
    assert version.revision.meta.action == "delete"
    assert version.revision.user == boss
    with pytest.raises(services.InvitationInvalid):
        services.invitation_for_token(tenant=tenant_a, token=token_of(mailoutbox[0]))


def test_only_a_manager_invites_or_withdraws(tenant_a, boss, send):
    editor = make_user("ed", tenant=tenant_a, role=Role.EDITOR)
    with pytest.raises(PermissionDenied):
        services.invitation_send(
            tenant=tenant_a,
            actor=editor,
            email="x@example.org",
            role="editor",
            link=link,
        )
    invitation = send("person@example.org")
    with pytest.raises(PermissionDenied):
        services.invitation_revoke(invitation=invitation, actor=editor)


class RefusingBackend:
    """A mail backend whose server refuses every connection."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("mail server down")


def test_a_mail_server_that_is_down_loses_no_invitation(
    tenant_a, boss, settings, django_capture_on_commit_callbacks, caplog
):
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}.RefusingBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.invitation_send(
            tenant=tenant_a, actor=boss, email="p@example.org", role="editor", link=link
        )
    assert Invitation.objects.get() == invitation
    assert "could not be sent" in caplog.text
