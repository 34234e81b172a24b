"""Roles, and every "may this user do this here?" answer, in one place.

A member of a tenant holds one role; each role includes the ones below it:

- editor: writes and submits articles, reverts and recovers them, and marks
  them as verified (still right);
- reviewer: also publishes, unpublishes, schedules and deletes;
- manager: also edits carriers, card types, synonyms, the help center's
  settings, domains and members, and imports.

Superusers act as managers of every tenant. ``user=None`` is the system
itself (management commands, scheduled jobs) and may do everything.

Services call ``require_role``; views and admin hooks call the ``request``
helpers, which read the role once per request. Nothing else compares roles.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from guides.models import Membership, Tenant

EDITOR = Membership.Role.EDITOR
REVIEWER = Membership.Role.REVIEWER
MANAGER = Membership.Role.MANAGER

#: Each role's rank: a role may do what every lower rank may.
ROLE_RANK = {EDITOR: 1, REVIEWER: 2, MANAGER: 3}

#: The role each editorial action needs, for services and buttons alike.
ACTION_ROLES = {
    "edit": EDITOR,
    "submit": EDITOR,
    "confirm": EDITOR,
    "revert": EDITOR,
    "recover": EDITOR,
    # Confirming a procedure is still right changes nothing readers see.
    "verify": EDITOR,
    "publish": REVIEWER,
    "unpublish": REVIEWER,
    "schedule": REVIEWER,
    "archive": REVIEWER,
    "delete": REVIEWER,
    "settings": MANAGER,
    "import": MANAGER,
}


def user_role(*, tenant: Tenant, user) -> str | None:
    """Return the user's role in ``tenant`` (superusers act as managers)."""
    if user is None or not user.is_active:
        return None
    if user.is_superuser:
        return MANAGER
    membership = (
        Membership.objects.filter(tenant=tenant, user=user).only("role").first()
    )
    return membership.role if membership else None


def role_allows(role: str | None, needed: str) -> bool:
    """Return whether ``role`` is ``needed`` or a higher one."""
    return role is not None and ROLE_RANK[role] >= ROLE_RANK[needed]


def require_role(*, tenant: Tenant, user, role: str) -> None:
    """Raise PermissionDenied unless ``user`` holds ``role`` or a higher one.

    ``user=None`` is the system itself (management commands, scheduled jobs).
    """
    if user is None:
        return
    if not role_allows(user_role(tenant=tenant, user=user), role):
        raise PermissionDenied(
            _("You do not have permission to do this in this help center.")
        )


def request_role(request) -> str | None:
    """Return the signed-in user's role in the request's tenant (once per request)."""
    tenant = getattr(request, "tenant", None)
    if tenant is None or not request.user.is_active:
        return None
    if not hasattr(request, "_helpcenter_role"):
        request._helpcenter_role = user_role(tenant=tenant, user=request.user)
    return request._helpcenter_role


def is_member(request) -> bool:
    """Return whether the user may enter the request's tenant's admin at all."""
    return request_role(request) is not None


def request_allows(request, role: str) -> bool:
    """Return whether the user holds ``role`` (or a higher one) here."""
    return role_allows(request_role(request), role)


def can_action(request, action: str) -> bool:
    """Return whether the user may do ``action`` (a key of ``ACTION_ROLES``)."""
    return request_allows(request, ACTION_ROLES[action])


def require_action(request, action: str) -> None:
    """Raise PermissionDenied unless the user may do ``action`` here."""
    if not can_action(request, action):
        raise PermissionDenied


def can_manage(request) -> bool:
    """Return whether the user manages the request's tenant (superusers do)."""
    return request_allows(request, MANAGER)


def is_superuser(request) -> bool:
    """Return whether the user administers every tenant."""
    return request.user.is_active and request.user.is_superuser
