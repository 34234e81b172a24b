"""Read replicas: public reads go to a replica, everything else to the primary.

``DATABASE_REPLICA_URLS`` (comma-separated database URLs) adds the databases
``replica_1``, ``replica_2``... beside ``default`` (helpcenter/settings/base.py).
With none configured, every function here answers ``default`` and the
middleware does nothing.

Which requests read a replica (``ReplicaRoutingMiddleware``):

- safe methods (GET, HEAD) outside ``/admin/``, without an ``Authorization``
  header (the editor API), without a session cookie (a signed-in editor) and
  without the recent-write cookie below;
- everything else reads the primary: the admin, previews, the editor API,
  POSTs, and a request that follows a write in the same browser session.

Read-your-writes: a response to an unsafe method (a write, or an attempt)
sets ``WROTE_COOKIE`` for ``READ_YOUR_WRITES_SECONDS``; while it is there,
that browser reads the primary, so it never reads a replica that has not yet
replayed its own write.

Writes always go to the primary (``db_for_write``): search and click logs,
feedback, and every service. A read inside a transaction on the primary
stays on the primary, so a service never mixes a replica's snapshot into a
write.

One replica per process (sticky): the generations that key stored pages
(``guides.cache.generations``) and the pages themselves are read from the
same replica, so a page is never older than the generation it is stored
under, and a publish reaches the pages once the replica has replayed it.
"""

from __future__ import annotations

import contextvars
import os
import zlib

from django.conf import settings
from django.db import connections

PRIMARY = "default"

#: The cookie that pins a browser to the primary after a write.
WROTE_COOKIE = "hc_wrote"

#: How long a browser reads the primary after a write: well above the
#: replication lag of a healthy streaming replica (milliseconds).
READ_YOUR_WRITES_SECONDS = 10

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

REPLICA = "replica"

#: The current request's reads: REPLICA, PRIMARY, or None outside a request
#: routed by the middleware (then only generations read a replica).
_route: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "helpcenter_read_route", default=None
)


def replica_aliases() -> list[str]:
    """Return the configured replicas' database aliases, in order."""
    return [alias for alias in settings.DATABASES if alias.startswith("replica_")]


def replica_alias() -> str:
    """Return this process's replica, or the primary when there is none."""
    aliases = replica_aliases()
    if not aliases:
        return PRIMARY
    return aliases[zlib.crc32(str(os.getpid()).encode()) % len(aliases)]


def reading_replica() -> bool:
    """Say whether reads of the current request may go to a replica now."""
    return (
        _route.get() == REPLICA
        and not connections[PRIMARY].in_atomic_block
        and bool(replica_aliases())
    )


def generation_alias() -> str:
    """Return the database the page-keying generations are read from.

    The replica that renders this process's pages, so a page is never older
    than the generation it is stored under; the primary for a request pinned
    to it (an editor reading their own writes) and inside a write.
    """
    if _route.get() == PRIMARY or connections[PRIMARY].in_atomic_block:
        return PRIMARY
    return replica_alias()


class ReplicaRouter:
    """Django database router: public reads to a replica, the rest to the primary."""

    def db_for_read(self, model, **hints):
        return replica_alias() if reading_replica() else PRIMARY

    def db_for_write(self, model, **hints):
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        # Replicas are copies of the primary: rows relate across them.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == PRIMARY


def may_read_replica(request) -> bool:
    """Say whether ``request`` may read a replica (the rules in the docstring)."""
    if request.method not in SAFE_METHODS:
        return False
    if request.path_info.startswith("/admin/"):
        return False
    if "HTTP_AUTHORIZATION" in request.META:
        return False
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME not in cookies and WROTE_COOKIE not in cookies


class ReplicaRoutingMiddleware:
    """Mark the request as replica-readable, and pin a writer to the primary."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.enabled = bool(replica_aliases())

    def __call__(self, request):
        if not self.enabled:
            return self.get_response(request)
        token = _route.set(REPLICA if may_read_replica(request) else PRIMARY)
        try:
            response = self.get_response(request)
        finally:
            _route.reset(token)
        if request.method not in SAFE_METHODS:
            response.set_cookie(
                WROTE_COOKIE,
                "1",
                max_age=READ_YOUR_WRITES_SECONDS,
                secure=request.is_secure(),
                httponly=True,
                samesite="Lax",
            )
        return response
