"""Resolve a request's host name to its tenant, through the cache.

Entries are keyed by a generation number that every change to a domain or a
tenant bumps, so an edited host name or new branding is seen on the next
request by every app server sharing the cache.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache

from guides.models import Domain, Tenant, normalize_host

GENERATION_KEY = "helpcenter:tenancy:generation"
_MISSING = "missing"


def fresh_generation() -> int:
    # From the clock, not 1: after the shared cache is flushed, a generation
    # never repeats one that a process's copy (tenant_id_for_host) still holds.
    return time.time_ns()


def _generation() -> int:
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, fresh_generation(), timeout=None)
        generation = cache.get(GENERATION_KEY) or fresh_generation()
    return generation


def _host_key(generation: int, host: str) -> str:
    return f"helpcenter:tenancy:{generation}:host:{host}"


def tenant_for_host(host: str) -> Tenant | None:
    """Return the tenant that serves ``host``, or None for an unknown host."""
    host = normalize_host(host)
    if not host or len(host) > 253:
        return None
    key = _host_key(_generation(), host)
    cached = cache.get(key)
    if cached == _MISSING:
        return None
    if cached is not None:
        return cached
    domain = Domain.objects.select_related("tenant").filter(host=host).first()
    tenant = domain.tenant if domain else None
    if tenant is not None:
        # Public pages name their canonical address on the primary domain;
        # cached with the tenant so a page view does not query for it.
        tenant.primary_host = (
            Domain.objects.filter(tenant=tenant)
            .order_by("-is_primary", "host")
            .values_list("host", flat=True)
            .first()
        )
    cache.set(
        key,
        tenant if tenant is not None else _MISSING,
        timeout=settings.HELPCENTER_TENANT_CACHE_TIMEOUT,
    )
    return tenant


#: This process's copy of host -> tenant id, valid for one tenancy generation.
_local_ids: dict[str, int | None] = {}
_local_generation: list[int | None] = [None]


def tenant_id_for_host(host: str) -> int | None:
    """Return the id of the tenant that serves ``host``, or None.

    For ``guides.cache.front.PageCacheFront``, which needs only the id: after
    the first lookup a host costs one cache read (the generation) instead of
    two and the unpickling of a tenant.
    """
    generation = _generation()
    if _local_generation[0] != generation or len(_local_ids) > 1024:
        _local_ids.clear()
        _local_generation[0] = generation
    try:
        return _local_ids[host]
    except KeyError:
        pass
    tenant = tenant_for_host(host)
    tenant_id = tenant.pk if tenant is not None else None
    _local_ids[host] = tenant_id
    return tenant_id


def forget_tenant_hosts(hosts, tenant_id=None) -> None:
    """Invalidate every cached host lookup (a domain or tenant changed)."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, fresh_generation(), timeout=None)
