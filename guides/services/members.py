"""Memberships: who may edit a tenant, and the last-manager rule."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from guides.models import (
    Membership,
    Tenant,
)
from guides.services.tenants import lock_tenant


def membership_set(*, tenant: Tenant, user, role: str) -> Membership:
    """Give ``user`` ``role`` in ``tenant`` (create or change the membership).

    Demoting the tenant's last manager is refused: nobody could manage its
    members and domains any more.
    """
    with transaction.atomic():
        current = Membership.objects.filter(tenant=tenant, user=user).first()
        if (
            current is not None
            and role != Membership.Role.MANAGER
            and is_last_manager(current)
        ):
            raise ValidationError(last_manager_message(current), code="last_manager")
        membership, _created = Membership.objects.update_or_create(
            tenant=tenant, user=user, defaults={"role": role}
        )
    return membership


def is_last_manager(membership: Membership) -> bool:
    """Return whether ``membership`` is its tenant's only manager membership."""
    if membership.pk is None:
        return False
    lock_tenant(membership.tenant_id)
    managers = Membership.objects.filter(
        tenant_id=membership.tenant_id, role=Membership.Role.MANAGER
    ).values_list("pk", flat=True)
    return list(managers) == [membership.pk]


def last_manager_message(membership: Membership) -> str:
    return _(
        "%(user)s is the last manager of this help center. Make another member "
        "a manager first."
    ) % {"user": membership.user}
