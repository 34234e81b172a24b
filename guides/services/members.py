"""Memberships and invitations: who may edit a tenant, and how they join.

The last-manager rule lives here and nowhere else: a tenant's last manager
can be neither demoted nor removed, or nobody could manage its members and
domains any more. Forms call ``membership_role_check`` to show the refusal
next to the role; the services check again under the tenant lock.

People join by invitation only. A manager names an e-mail address; the
person receives a signed, expiring link and accepts it signed in as that
address's user (or creates the account then). The manager's answer is the
same whether or not the address has an account, and no account of another
tenant is ever looked up for them.
"""

from __future__ import annotations

import functools
import logging
import secrets
import smtplib
from collections.abc import Callable

import reversion
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guides.models import Invitation, Membership, RevisionMeta, Tenant
from guides.permissions import MANAGER, require_role, role_allows
from guides.services.revisions import settings_revision
from guides.services.tenants import lock_tenant

logger = logging.getLogger(__name__)

INVITATION_SALT = "guides.invitation"
#: Seconds an invitation link is valid, unless HELPCENTER_INVITATION_MAX_AGE.
DEFAULT_INVITATION_MAX_AGE = 7 * 24 * 3600


# --- memberships ------------------------------------------------------------------


def manager_ids(tenant_id: int) -> set[int]:
    """Return the ids of the tenant's manager memberships.

    The admin takes them before a revert rewrites the table, and passes them
    back as ``managers_before``.
    """
    return set(
        Membership.objects.filter(tenant_id=tenant_id, role=MANAGER).values_list(
            "pk", flat=True
        )
    )


def role_label(role: str) -> str:
    """Return the role's name, or raise ValidationError for an unknown role."""
    try:
        return Membership.Role(role).label
    except ValueError:
        raise ValidationError(_("Choose a valid role."), code="invalid_role") from None


def last_manager_message(membership: Membership) -> str:
    return _(
        "%(user)s is the last manager of this help center. Make another member "
        "a manager first."
    ) % {"user": membership.user}


def membership_role_check(
    *,
    membership: Membership,
    role: str | None,
    managers_before: set[int] | None = None,
) -> None:
    """Raise ValidationError if giving ``membership`` ``role`` leaves no manager.

    ``role=None`` is removing the membership. ``managers_before`` is the
    tenant's manager memberships before the request changed the table (a
    revert writes the old role before the form is checked); by default, the
    table's. Inside a transaction it holds the tenant lock until the commit.
    """
    if membership.pk is None or role_allows(role, MANAGER):
        return
    lock_tenant(membership.tenant_id)
    now = manager_ids(membership.tenant_id)
    before = now if managers_before is None else managers_before
    if membership.pk in before and not now - {membership.pk}:
        raise ValidationError(last_manager_message(membership), code="last_manager")


def is_last_manager(membership: Membership) -> bool:
    """Return whether ``membership`` is its tenant's only manager membership."""
    try:
        membership_role_check(membership=membership, role=None)
    except ValidationError:
        return True
    return False


def membership_set(
    *,
    tenant: Tenant,
    user,
    role: str,
    actor=None,
    managers_before: set[int] | None = None,
) -> Membership:
    """Give ``user`` ``role`` in ``tenant`` (create or change the membership).

    ``actor`` is who does it: a manager of the tenant, or None for the system
    (commands, the demo loader, fixtures). Demoting the last manager is
    refused (``membership_role_check``).
    """
    require_role(tenant=tenant, user=actor, role=MANAGER)
    label = role_label(role)
    with settings_revision(
        tenant=tenant,
        user=actor,
        comment=_("%(user)s is now %(role)s.") % {"user": user, "role": label},
    ):
        lock_tenant(tenant.pk)
        membership = Membership.objects.filter(tenant=tenant, user=user).first()
        if membership is None:
            membership = Membership.objects.create(tenant=tenant, user=user, role=role)
        else:
            membership_role_check(
                membership=membership, role=role, managers_before=managers_before
            )
            membership.role = role
            membership.save(update_fields=["role"])
        reversion.add_to_revision(membership)
    return membership


def membership_delete(*, membership: Membership, actor=None) -> None:
    """Remove a membership; its last state stays in a revision of its own.

    Reversion keeps no version of a row deleted inside its revision, so the
    revision is committed (within this transaction) before the row goes:
    call this outside any other revision.
    """
    tenant = membership.tenant
    require_role(tenant=tenant, user=actor, role=MANAGER)
    with transaction.atomic():
        membership_role_check(membership=membership, role=None)
        with reversion.create_revision(atomic=False):
            if actor is not None:
                reversion.set_user(actor)
            reversion.set_comment(
                _("Removed %(user)s (%(role)s).")
                % {"user": membership.user, "role": membership.get_role_display()}
            )
            reversion.add_to_revision(membership)
            reversion.add_meta(
                RevisionMeta, tenant=tenant, action=RevisionMeta.Action.DELETE
            )
        membership.delete()


# --- invitations ------------------------------------------------------------------


class InvitationInvalid(Exception):
    """The link is not a valid invitation to this tenant (answer 404)."""


class InvitationClosed(Exception):
    """The link was valid but expired, was replaced or was accepted (answer 410)."""


def invitation_max_age() -> int:
    return getattr(
        settings, "HELPCENTER_INVITATION_MAX_AGE", DEFAULT_INVITATION_MAX_AGE
    )


def invitation_token(invitation: Invitation) -> str:
    """Return the signed token of ``invitation``'s link (for its e-mail only)."""
    return signing.dumps(
        {"i": invitation.pk, "k": invitation.key}, salt=INVITATION_SALT
    )


def invitation_for_token(*, tenant: Tenant, token: str) -> Invitation:
    """Return the open invitation to ``tenant`` that ``token`` names.

    Raise InvitationInvalid for a token that was never valid here (another
    tenant's too: it answers like a missing one) and InvitationClosed for
    one that expired, was sent again or was accepted.
    """
    try:
        data = signing.loads(token, salt=INVITATION_SALT, max_age=invitation_max_age())
    except signing.SignatureExpired:
        raise InvitationClosed from None
    except signing.BadSignature:
        raise InvitationInvalid from None
    if not isinstance(data, dict) or not isinstance(data.get("i"), int):
        raise InvitationInvalid
    invitation = (
        Invitation.objects.filter(pk=data["i"], tenant=tenant)
        .select_related("tenant")
        .first()
    )
    if invitation is None:
        raise InvitationInvalid
    if invitation.key != data.get("k") or not invitation.is_open:
        raise InvitationClosed
    return invitation


def normalize_invitation_email(email: str) -> str:
    """Return the address lowercased and stripped, or raise ValidationError."""
    email = (email or "").strip().lower()
    validate_email(email)
    return email


def invitation_check(*, tenant: Tenant, email: str) -> str:
    """Return the address to invite, or raise ValidationError.

    Only this tenant's members are looked at: whether the address has an
    account elsewhere never changes the answer.
    """
    email = normalize_invitation_email(email)
    if Membership.objects.filter(tenant=tenant, user__email__iexact=email).exists():
        raise ValidationError(
            _("%(email)s is already a member of this help center."),
            code="already_member",
            params={"email": email},
        )
    return email


def _send_invitation(email: str, subject: str, body: str) -> None:
    try:
        send_mail(subject, body, None, [email])
    except (smtplib.SMTPException, OSError):
        # The invitation is saved and can be sent again from the admin; a
        # mail server that is down must not turn the manager's save into 500.
        logger.exception("The invitation e-mail to %s could not be sent.", email)


def invitation_send(
    *,
    tenant: Tenant,
    actor,
    email: str,
    role: str,
    link: Callable[[str], str],
) -> Invitation:
    """Invite ``email`` to ``tenant`` as ``role`` and e-mail them the link.

    An open invitation to the same address is sent again with a new link
    (older links stop working). ``link`` turns a token into the absolute
    URL of the accept page. The e-mail leaves once the transaction commits.
    """
    require_role(tenant=tenant, user=actor, role=MANAGER)
    email = invitation_check(tenant=tenant, email=email)
    label = role_label(role)
    with settings_revision(
        tenant=tenant,
        user=actor,
        comment=_("Invited %(email)s as %(role)s.") % {"email": email, "role": label},
    ):
        lock_tenant(tenant.pk)
        invitation = Invitation.objects.filter(
            tenant=tenant, email=email, accepted_at__isnull=True
        ).first() or Invitation(tenant=tenant, email=email)
        invitation.role = role
        invitation.key = secrets.token_urlsafe(24)
        invitation.invited_by = actor
        invitation.sent_at = timezone.now()
        # The foreign keys are the caller's own objects: not read again.
        invitation.full_clean(exclude=["tenant", "invited_by", "accepted_by"])
        invitation.save()
        reversion.add_to_revision(invitation)
        days = max(1, invitation_max_age() // 86400)
        subject = _("Invitation to the %(tenant)s help center") % {
            "tenant": tenant.name
        }
        body = _(
            "You are invited to edit the %(tenant)s help center as %(role)s.\n\n"
            "To accept, open this link within %(days)s days and sign in with the "
            "account of this e-mail address, or create one:\n\n%(url)s\n\n"
            "If you did not expect this invitation, ignore this e-mail."
        ) % {
            "tenant": tenant.name,
            "role": label,
            "days": days,
            "url": link(invitation_token(invitation)),
        }
        transaction.on_commit(functools.partial(_send_invitation, email, subject, body))
    return invitation


def invitation_revoke(*, invitation: Invitation, actor) -> None:
    """Withdraw an invitation: its link stops working; a revision keeps it."""
    tenant = invitation.tenant
    require_role(tenant=tenant, user=actor, role=MANAGER)
    with transaction.atomic():
        with reversion.create_revision(atomic=False):
            if actor is not None:
                reversion.set_user(actor)
            reversion.set_comment(
                _("Withdrew the invitation of %(email)s.") % {"email": invitation.email}
            )
            reversion.add_to_revision(invitation)
            reversion.add_meta(
                RevisionMeta, tenant=tenant, action=RevisionMeta.Action.DELETE
            )
        invitation.delete()


def invited_user_matches(invitation: Invitation, user) -> bool:
    """Return whether ``user`` is the user of the invited address."""
    return bool(
        user is not None
        and user.is_active
        and (user.email or "").strip().lower() == invitation.email
    )


def invitation_accept(*, tenant: Tenant, token: str, user) -> Membership:
    """Accept the invitation ``token`` names, as ``user``; return the membership.

    ``user`` must be the invited address's user. An existing member keeps a
    higher role; a lower one is raised to the invited role. The account is
    marked staff so that it can sign in to the admin.
    """
    invitation = invitation_for_token(tenant=tenant, token=token)
    if not invited_user_matches(invitation, user):
        raise PermissionDenied(_("This invitation was sent to another e-mail address."))
    with settings_revision(
        tenant=tenant,
        user=user,
        comment=_("%(user)s accepted the invitation.") % {"user": user},
    ):
        lock_tenant(tenant.pk)
        # Checked again under the lock: accepted twice at once, once only.
        invitation = invitation_for_token(tenant=tenant, token=token)
        membership = Membership.objects.filter(tenant=tenant, user=user).first()
        if membership is None:
            membership = Membership.objects.create(
                tenant=tenant, user=user, role=invitation.role
            )
        elif not role_allows(membership.role, invitation.role):
            membership.role = invitation.role
            membership.save(update_fields=["role"])
        invitation.accepted_at = timezone.now()
        invitation.accepted_by = user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
        if not user.is_staff:
            user.is_staff = True
            user.save(update_fields=["is_staff"])
        reversion.add_to_revision(invitation)
        reversion.add_to_revision(membership)
    return membership


def invitation_accept_with_new_account(
    *, tenant: Tenant, token: str, password: str
) -> Membership:
    """Create the invited address's account with ``password`` and accept.

    The username is the address. Refused (ValidationError) when an account
    with this address or username exists: its owner signs in instead.
    """
    invitation = invitation_for_token(tenant=tenant, token=token)
    users = get_user_model()._default_manager
    email = invitation.email
    with transaction.atomic():
        if (
            users.filter(email__iexact=email).exists()
            or users.filter(username__iexact=email).exists()
        ):
            raise ValidationError(
                _("An account with this e-mail address exists: sign in instead."),
                code="account_exists",
            )
        user = users.create_user(username=email, email=email, password=password)
        return invitation_accept(tenant=tenant, token=token, user=user)
