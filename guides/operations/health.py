"""Health probes: is the process alive, can it serve (the database answers)?

Both are answered by ``OperationsFront`` on any host, before the tenant is
looked up and before any HTTPS redirect, so a load balancer or an
orchestrator can ask a server by its address over plain HTTP.
"""

from __future__ import annotations

import logging
import uuid

from django.db import DatabaseError, connections

logger = logging.getLogger(__name__)

READY_KEY = "helpcenter:readyz"


def liveness() -> tuple[int, dict]:
    """Return the answer of ``/healthz``: the process runs Python."""
    return 200, {"status": "ok"}


def database_state(alias: str = "default") -> str:
    """Return "ok" if the database answers a query, else "unavailable"."""
    connection = connections[alias]
    try:
        # A connection broken since the last request (a database restart) is
        # replaced first, as Django does at the start of each request.
        if not connection.in_atomic_block:
            connection.close_if_unusable_or_obsolete()
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.warning("Readiness: the database is unavailable", exc_info=True)
        if not connection.in_atomic_block:
            # Reconnect on the next probe rather than reuse a broken one.
            connection.close_if_unusable_or_obsolete()
        return "unavailable"
    return "ok"


def cache_state() -> str:
    """Return "ok" if the shared cache stores and returns a value."""
    from django.core.cache import cache

    token = uuid.uuid4().hex
    try:
        cache.set(READY_KEY, token, timeout=10)
        ok = cache.get(READY_KEY) == token
    except Exception:  # Any backend fault: reported, not fatal.
        logger.warning("Readiness: the cache is unavailable", exc_info=True)
        ok = False
    return "ok" if ok else "unavailable"


def readiness() -> tuple[int, dict]:
    """Return the answer of ``/readyz``: 503 unless the database answers.

    The cache's state is reported but does not make the server unready:
    without it pages come from the database.
    """
    database = database_state()
    status = "ok" if database == "ok" else "unavailable"
    return (200 if database == "ok" else 503), {
        "status": status,
        "database": database,
        "cache": cache_state(),
    }
