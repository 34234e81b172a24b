"""Tenants: creation and the lock that serialises changes to one tenant."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils.translation import gettext as _

from guides.models import (
    Domain,
    Tenant,
)


@transaction.atomic
def tenant_create(
    *,
    slug: str,
    name: str,
    hosts: Iterable[str],
    languages: list[str] | None = None,
    default_language: str | None = None,
    **branding: Any,
) -> tuple[Tenant, bool]:
    """Create a tenant with its domains, or return the existing one unchanged.

    Idempotent: calling it again with the same slug and hosts changes nothing.
    A host that already serves another tenant is a ValidationError.
    """
    # Only case and a trailing dot are forgiven: a scheme, path or port is
    # reported by the host validator rather than silently cut off.
    hosts = [h.strip().lower().rstrip(".") for h in hosts]
    if not hosts:
        raise ValidationError(_("A tenant needs at least one domain."))
    tenant = Tenant.objects.filter(slug=slug).first()
    created = tenant is None
    if created:
        languages = ["zh-hans", "en"] if languages is None else languages
        tenant = Tenant(
            slug=slug,
            name=name,
            languages=languages,
            default_language=default_language or (languages[0] if languages else ""),
            **branding,
        )
        tenant.full_clean()
        tenant.save()
    taken = Domain.objects.filter(host__in=hosts).exclude(tenant=tenant).first()
    if taken is not None:
        raise ValidationError(
            _("The host %(host)s already serves the help center “%(tenant)s”.")
            % {"host": taken.host, "tenant": taken.tenant.slug}
        )
    has_primary = tenant.domains.filter(is_primary=True).exists()
    for host in hosts:
        if tenant.domains.filter(host=host).exists():
            continue
        domain = Domain(tenant=tenant, host=host, is_primary=not has_primary)
        domain.full_clean()
        domain.save()
        has_primary = True
    return tenant, created


def lock_tenant(tenant_id: int) -> None:
    """Serialise concurrent changes to one tenant's domains or managers.

    Inside a transaction the lock holds until it commits, so two managers
    demoting each other cannot both pass the last-manager check. (SQLite has
    no row locks; it serialises writes.)
    """
    if connection.in_atomic_block:
        list(Tenant.objects.select_for_update().filter(pk=tenant_id).values_list("pk"))
