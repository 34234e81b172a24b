"""Resolve a request's host name to its tenant, through the cache.

Entries are keyed by the tenancy generation (``guides.cache.generations``),
which every change to a domain, a tenant or a membership bumps in its own
transaction: an edited host name or new branding is seen by every process
within about a second, whether the processes share a cache or not.
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache

from guides.cache.generations import bump_tenancy_generation, tenancy_generation
from guides.cache.lru import LRU
from guides.models import Domain, Tenant, normalize_host

_MISSING = "missing"


def _host_key(generation: int, host: str) -> str:
    return f"helpcenter:tenancy:{generation}:host:{host}"


def tenant_for_host(host: str) -> Tenant | None:
    """Return the tenant that serves ``host``, or None for an unknown host."""
    host = normalize_host(host)
    if not host or len(host) > 253:
        return None
    generation = tenancy_generation()
    key = _host_key(generation, host)
    cached = cache.get(key)
    if cached == _MISSING:
        return None
    if cached is not None:
        return cached
    # An unverified domain (a claim nobody proved) answers like an unknown host.
    domain = (
        Domain.objects.select_related("tenant")
        .filter(host=host, verified_at__isnull=False)
        .first()
    )
    tenant = domain.tenant if domain else None
    if tenant is not None:
        # Public pages name their canonical address on the primary domain;
        # cached with the tenant so a page view does not query for it.
        tenant.primary_host = (
            Domain.objects.filter(tenant=tenant, verified_at__isnull=False)
            .order_by("-is_primary", "host")
            .values_list("host", flat=True)
            .first()
        )
        # The page cache keys pages on it (guides.cache.pages.page_key): a
        # page rendered with this copy of the tenant (its name, branding) is
        # never stored where a reader of a newer copy would find it.
        tenant.tenancy_generation = generation
    cache.set(
        key,
        tenant if tenant is not None else _MISSING,
        timeout=settings.HELPCENTER_TENANT_CACHE_TIMEOUT,
    )
    return tenant


#: This process's copy of (tenancy generation, host) -> tenant id.
_local_ids = LRU(1024)


def resolved_generation(tenant: Tenant) -> int:
    """Return the tenancy generation ``tenant`` was looked up under (see above)."""
    return getattr(tenant, "tenancy_generation", 0)


def tenant_key_for_host(host: str) -> tuple[int, int] | None:
    """Return the id of the tenant that serves ``host`` and its
    ``resolved_generation``, or None.

    For ``guides.cache.front.PageCacheFront``, which needs only these: after
    the first lookup a host costs no cache read and no unpickling of a
    tenant, until the tenancy generation changes.
    """
    key = (tenancy_generation(), host)
    found = _local_ids.get(key, _MISSING)
    if found is _MISSING:
        tenant = tenant_for_host(host)
        found = (tenant.pk, resolved_generation(tenant)) if tenant else None
        _local_ids.put(key, found)
    return found


def tenant_id_for_host(host: str) -> int | None:
    """Return the id of the tenant that serves ``host``, or None."""
    found = tenant_key_for_host(host)
    return found[0] if found is not None else None


def forget_tenant_hosts() -> None:
    """Make every cached host lookup stale: a domain, tenant or membership changed.

    Lookups are keyed by host, and a new or moved host may have been cached
    as unknown or as another tenant's, so all of them go, in every process.
    """
    bump_tenancy_generation()
