"""Per-tenant content generations: the part of every page key that invalidates it."""

from __future__ import annotations

import time

from django.core.cache import cache


def content_generation_key(tenant_id: int) -> str:
    return f"helpcenter:content:{tenant_id}:generation"


def fresh_generation() -> int:
    # Starts from the clock, not from 1: after the shared cache is flushed,
    # a new generation never equals one that per-process copies
    # (guides.cache.pages.local_pages) may still hold pages under.
    return time.time_ns()


def content_generation(tenant_id: int) -> int:
    """Return the tenant's public-content generation (part of page cache keys)."""
    key = content_generation_key(tenant_id)
    value = cache.get(key)
    if value is None:
        cache.add(key, fresh_generation(), timeout=None)
        value = cache.get(key) or fresh_generation()
    return value


def bump_content_generation(tenant_id: int) -> None:
    """Invalidate every cached public page of a tenant."""
    key = content_generation_key(tenant_id)
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, fresh_generation(), timeout=None)
