"""Reads for the admin's chrome: the help-center switcher."""

from __future__ import annotations

from django.core.cache import cache

from guides.cache.generations import tenancy_generation
from guides.models import Domain

#: Seconds a user's list of tenants is reused; a change to a tenant's name,
#: its domains or its memberships bumps the tenancy generation in the key.
SWITCHER_TIMEOUT = 300


def switcher_tenants(user) -> list[tuple[int, str, str]]:
    """Return ``(tenant id, name, primary host)`` of each tenant ``user`` may
    administer (every tenant for a superuser), by name.

    One query on a miss, none from the cache: the admin header shows it on
    every page, and most users belong to one tenant.
    """
    key = (
        f"helpcenter:switcher:{tenancy_generation()}:{user.pk}:{int(user.is_superuser)}"
    )
    tenants = cache.get(key)
    if tenants is not None:
        return tenants
    domains = Domain.objects.order_by(
        "tenant__name", "tenant_id", "-is_primary", "host"
    )
    if not user.is_superuser:
        domains = domains.filter(tenant__memberships__user=user)
    tenants, seen = [], set()
    for tenant_id, name, host in domains.values_list(
        "tenant_id", "tenant__name", "host"
    ):
        if tenant_id not in seen:
            seen.add(tenant_id)
            tenants.append((tenant_id, name, host))
    cache.set(key, tenants, SWITCHER_TIMEOUT)
    return tenants
