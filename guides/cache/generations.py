"""Generations: numbers in cache keys that change when the cached data does.

A cache keyed by a generation is never flushed by hand: a write bumps the
generation and every later read looks up new keys, while old entries age
out. Each generation is a row of ``guides.models.Generation``, bumped by an
``UPDATE`` that may run in the transaction of the write it follows, so it
commits or rolls back with the data, and no cache fault can lose it.

Reading that row on every request would cost a query on every cache hit, so
each process keeps its own copy of each generation and reads the row again
once the copy is ``REFRESH_SECONDS`` old: a write on any server reaches every
process within that half second plus one render (under a second, which
``make bench-faults`` measures), and the hits in between cost no query. A
bump drops this process's copy at once, and again once the transaction
commits, so the process that wrote reads its own change on its next request.

Two generations are in use:

- ``content_generation(tenant_id)``: the tenant's public pages (the page
  cache and its WSGI front), and what search keeps per process (the
  spelling vocabulary, corrections, catalogues);
- ``tenancy_generation()``: what is cached about tenants as a whole: host
  lookups with the tenant's settings and branding, and the admin's list of
  help centers per user.
"""

from __future__ import annotations

import time

from django.db import transaction
from django.db.models import BigIntegerField, F, Value
from django.db.models.functions import Greatest

from guides.models import Generation
from guides.operations import replicas

#: Seconds a process reuses its copy of a generation before reading it again:
#: the most a write on another server can take to reach this one. Half a
#: second keeps the worst staleness (this plus a render on a busy machine)
#: under one second, for one indexed read per process per half second.
REFRESH_SECONDS = 0.5

TENANCY = "tenancy"

#: The clock the copies' age is measured on (tests replace it).
clock = time.monotonic

#: (database alias, name) -> (value, ``clock()`` when it was read). Copies
#: are kept per database: a generation read on the primary is never used to
#: key pages rendered from a replica that has not replayed it yet.
_copies: dict[tuple[str, str], tuple[int, float]] = {}


def content_name(tenant_id: int) -> str:
    return f"content:{int(tenant_id)}"


def generation(name: str) -> int:
    """Return generation ``name``, from this process's copy when it is fresh.

    A generation never bumped is 0: its first bump sets the clock's
    nanoseconds, so later numbers never repeat ones from before a restore of
    the database or an emptied table.
    """
    now = clock()
    alias = replicas.generation_alias()
    copy = _copies.get((alias, name))
    if copy is not None and now - copy[1] < REFRESH_SECONDS:
        return copy[0]
    value = (
        Generation.objects.using(alias)
        .filter(name=name)
        .values_list("value", flat=True)
        .first()
    ) or 0
    # The time before the read: the copy is never older than it claims.
    _copies[(alias, name)] = (value, now)
    return value


def bump(name: str) -> None:
    """Change generation ``name``, in the current transaction if there is one."""
    now = time.time_ns()
    new_value = Greatest(F("value") + 1, Value(now), output_field=BigIntegerField())
    rows = Generation.objects.filter(name=name)
    if not rows.update(value=new_value):
        Generation.objects.bulk_create(
            [Generation(name=name, value=now)], ignore_conflicts=True
        )
        # Another transaction may have inserted the row first; its number
        # must still change once ours commits.
        rows.update(value=new_value)
    forget(name)
    transaction.on_commit(lambda: forget(name))


def forget(name: str) -> None:
    """Drop this process's copies of ``name``: the next read goes to the database."""
    for key in [key for key in _copies if key[1] == name]:
        _copies.pop(key, None)


def forget_all() -> None:
    """Drop every copy this process holds (tests: the database was rolled back)."""
    _copies.clear()


def content_generation(tenant_id: int) -> int:
    """Return the generation of tenant ``tenant_id``'s public content."""
    return generation(content_name(tenant_id))


def bump_content_generation(tenant_id: int) -> None:
    """Make every cached public page of a tenant stale (see the module docstring).

    For publish, unpublish, revert, delete, catalogue, branding, domain and
    language changes. Made in the write's own transaction, the ``UPDATE``
    commits with the data, so no reader stores old content under the new
    number and no fault between the commit and the bump can lose it.
    """
    bump(content_name(tenant_id))


def tenancy_generation() -> int:
    """Return the generation of host lookups, tenant settings and memberships."""
    return generation(TENANCY)


def bump_tenancy_generation() -> None:
    """Make every cached host lookup and help-center list stale."""
    bump(TENANCY)
