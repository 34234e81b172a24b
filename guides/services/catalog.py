"""Manager-edited settings objects: carriers, channels, card types, synonyms."""

from __future__ import annotations

import reversion
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from guides.models import (
    Membership,
    Tenant,
)
from guides.permissions import require_role
from guides.services.revisions import settings_revision
from guides.tenancy import require_current_tenant


def _owned_by(obj, tenant: Tenant) -> bool:
    """Return whether ``obj`` is ``tenant`` or its row (or a new row)."""
    if isinstance(obj, Tenant):
        return obj.pk == tenant.pk
    return obj.tenant_id in (None, tenant.pk)


def settings_object_save(*, obj, user, comment: str = ""):
    """Save a carrier, channel, card type, synonym group, domain, membership or
    the tenant itself, as a manager of the current tenant, in one revision."""
    tenant = require_current_tenant()
    require_role(tenant=tenant, user=user, role=Membership.Role.MANAGER)
    if not _owned_by(obj, tenant):
        raise PermissionDenied(_("That belongs to another help center."))
    if not isinstance(obj, Tenant) and obj.tenant_id is None:
        obj.tenant = tenant
    obj.full_clean()
    with settings_revision(
        tenant=tenant,
        user=user,
        comment=comment or _("Changed %(object)s") % {"object": obj},
    ):
        obj.save()
        if reversion.is_registered(type(obj)):
            reversion.add_to_revision(obj)
    return obj


def settings_object_delete(*, obj, user, comment: str = "") -> None:
    """Delete a manager-edited object of the current tenant (versioned first)."""
    tenant = require_current_tenant()
    require_role(tenant=tenant, user=user, role=Membership.Role.MANAGER)
    if isinstance(obj, Tenant) or not _owned_by(obj, tenant) or obj.tenant_id is None:
        raise PermissionDenied(_("That belongs to another help center."))
    comment = comment or _("Deleted %(object)s") % {"object": obj}
    with transaction.atomic():
        # The revision is saved before the row goes: reversion serialises at
        # the end of its block and skips rows deleted by then. (Inside an
        # outer revision, the admin's, the last save's version is what a
        # recover brings back.)
        with settings_revision(tenant=tenant, user=user, comment=comment):
            if reversion.is_registered(type(obj)):
                reversion.add_to_revision(obj)
        obj.delete()
