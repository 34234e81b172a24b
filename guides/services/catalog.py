"""The catalogue managers edit: carriers with their channels, card types, synonyms.

Each save or delete checks the manager role, runs in one transaction and
records one revision tagged with the tenant (a carrier's holds its channels).
Carrier, channel and card-type names and numbers are on the listing pages and
in the search facets, so a change moves the tenant's content generation on
in the same transaction. Search documents need no rebuild: they take the names from
the publication snapshot, which changes only when an article is published,
and the facets read the live names under the content generation.

``settings_object_save`` and ``settings_object_delete`` are the shared
implementation: any manager-edited row of the current tenant (or the tenant
itself) in one revision.
"""

from __future__ import annotations

import re
from functools import partial

import reversion
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from guides.cache.generations import bump_content_generation
from guides.models import (
    CardType,
    Carrier,
    Membership,
    SynonymGroup,
    Tenant,
)
from guides.permissions import require_role
from guides.services.articles import write_ordered_rows
from guides.services.revisions import settings_revision
from guides.tenancy import require_current_tenant


def _claim(obj, tenant: Tenant) -> None:
    """Give a new row the tenant; refuse another tenant's row as missing.

    A save or delete by primary key does not filter on the tenant, so the
    primary key must not be another tenant's row either, whatever the
    object's own ``tenant_id`` says.
    """
    model = type(obj)
    if isinstance(obj, Tenant):
        if obj.pk != tenant.pk:
            raise Tenant.DoesNotExist
        return
    if obj.tenant_id is None:
        obj.tenant = tenant
    if obj.tenant_id != tenant.pk or (
        obj.pk is not None
        and model._base_manager.filter(pk=obj.pk).exclude(tenant=tenant).exists()
    ):
        raise model.DoesNotExist


def _manager_tenant(user) -> Tenant:
    tenant = require_current_tenant()
    require_role(tenant=tenant, user=user, role=Membership.Role.MANAGER)
    return tenant


def settings_object_save(*, obj, user, comment: str = "", write_children=None):
    """Save a manager-edited row of the current tenant in one tagged revision.

    ``write_children()``, when given, runs after the row is saved and inside
    the same revision (a carrier's channels). Another tenant's row raises its
    model's ``DoesNotExist``; an invalid one raises ValidationError.
    """
    tenant = _manager_tenant(user)
    _claim(obj, tenant)
    obj.full_clean()
    with settings_revision(
        tenant=tenant,
        user=user,
        comment=comment or _("Changed %(object)s") % {"object": obj},
    ):
        obj.save()
        if write_children is not None:
            write_children()
        if reversion.is_registered(type(obj)):
            reversion.add_to_revision(obj)
    return obj


def settings_object_delete(*, obj, user, comment: str = "") -> None:
    """Delete a manager-edited row of the current tenant, versioned first.

    A row still used by articles (a carrier, a card type) is refused with a
    ValidationError naming them.
    """
    tenant = _manager_tenant(user)
    if isinstance(obj, Tenant):
        raise ValidationError(_("A help center is not deleted from here."))
    _claim(obj, tenant)
    if obj.pk is None:
        raise type(obj).DoesNotExist
    comment = comment or _("Deleted %(object)s") % {"object": obj}
    with transaction.atomic():
        # The revision is saved before the row goes: reversion serialises at
        # the end of its block and skips rows deleted by then.
        with settings_revision(tenant=tenant, user=user, comment=comment):
            if reversion.is_registered(type(obj)):
                reversion.add_to_revision(obj)
        try:
            obj.delete()
        except ProtectedError as exc:
            users = sorted({str(row) for row in exc.protected_objects})
            raise ValidationError(
                _("“%(object)s” is still used by: %(users)s.")
                % {"object": obj, "users": ", ".join(users)}
            ) from exc


def _catalogue_changed(tenant_id: int) -> None:
    # In the write's transaction: the pages' generation commits with the rows.
    bump_content_generation(tenant_id)


def carrier_save(
    *,
    carrier: Carrier,
    user,
    channels: list[dict] | None = None,
    comment: str = "",
) -> Carrier:
    """Save a carrier and, when given, make its channels exactly ``channels``.

    ``channels`` are dicts of channel fields, in order; one with an ``id``
    updates that channel of this carrier, one without adds a channel, and a
    channel left out is deleted. The revision holds the carrier and its
    channels.
    """
    with transaction.atomic():
        settings_object_save(
            obj=carrier,
            user=user,
            comment=comment,
            write_children=None
            if channels is None
            else partial(
                write_ordered_rows,
                owner=carrier,
                related_name="channels",
                items=channels,
            ),
        )
        _catalogue_changed(carrier.tenant_id)
    return carrier


def carrier_delete(*, carrier: Carrier, user, comment: str = "") -> None:
    """Delete a carrier and its channels (refused while articles use it)."""
    with transaction.atomic():
        settings_object_delete(obj=carrier, user=user, comment=comment)
        _catalogue_changed(require_current_tenant().pk)


def card_type_save(*, card_type: CardType, user, comment: str = "") -> CardType:
    """Save a card type of the current tenant."""
    with transaction.atomic():
        settings_object_save(obj=card_type, user=user, comment=comment)
        _catalogue_changed(card_type.tenant_id)
    return card_type


def card_type_delete(*, card_type: CardType, user, comment: str = "") -> None:
    """Delete a card type (refused while articles use it)."""
    with transaction.atomic():
        settings_object_delete(obj=card_type, user=user, comment=comment)
        _catalogue_changed(require_current_tenant().pk)


# Synonym groups schedule nothing after commit: no page or search document
# holds them. Queries are expanded with the tenant's current groups, and
# guides.search.searching.tenant_synonyms keys its cache on their terms.


#: What separates typed terms: new lines, and Latin or Chinese commas and
#: semicolons ("拆机, 注销", "拆机，注销", "拆机、注销").
_TERM_SEPARATORS = re.compile(r"[\n\r,;，、；]+")


def split_synonym_terms(text: str) -> list[str]:
    """Return the terms typed in ``text``, one a line or comma-separated.

    Blank entries are dropped and repeats kept once, in the order typed.
    """
    terms = (term.strip() for term in _TERM_SEPARATORS.split(text or ""))
    return list(dict.fromkeys(term for term in terms if term))


def synonym_group_save(
    *,
    synonym_group: SynonymGroup,
    user,
    terms: list[str] | str | None = None,
    comment: str = "",
) -> SynonymGroup:
    """Save a synonym group; its terms must be a list of at least two words.

    ``terms`` replaces the group's terms: a list, or text as an editor types
    it (``split_synonym_terms``).
    """
    if terms is not None:
        synonym_group.terms = (
            split_synonym_terms(terms) if isinstance(terms, str) else list(terms)
        )
    return settings_object_save(obj=synonym_group, user=user, comment=comment)


def synonym_group_delete(
    *, synonym_group: SynonymGroup, user, comment: str = ""
) -> None:
    """Delete a synonym group."""
    settings_object_delete(obj=synonym_group, user=user, comment=comment)
