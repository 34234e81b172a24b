"""The purge outbox: rows written with the write, sent after it commits.

``enqueue`` stores the keys a write affects as a ``FrontendPurge`` row in the
write's own transaction: the purge commits or rolls back with the data, and
a process that dies right after the commit leaves the row for the next
``drain``. Once the transaction commits, a short-lived thread drains the
outbox at once (the editor's request does not wait for the caches).

Each row is sent three times. The first send, right after the commit, makes
the change visible within the purge's round trip. Each process re-reads the
content generation at most ``REFRESH_SECONDS`` after a write
(``guides.cache.generations``), so a worker may still answer a page rendered
before the write for that long, and a cache could store it again right
after the first purge; the second send, ``REPEAT_AFTER`` seconds later (just
past that half second, so the page is fresh everywhere well within a
second), evicts that copy; the third, ``FINAL_AFTER`` seconds after the
second, evicts one a render slowed by a busy machine stored in between.

A send that fails (a cache down, an API error) is logged and retried with
exponential backoff (1 s, 2 s, 4 s, ... at most an hour), never dropped:
by the next write's drain, or by ``manage.py purge_frontend_caches`` (run it
from cron every minute). Purges are idempotent, so a row sent twice by two
drainers, or to a cache that had already confirmed it, does no harm; rows
are claimed with a conditional ``UPDATE`` so two drainers rarely overlap.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from dataclasses import dataclass, field
from datetime import timedelta

from django.db import OperationalError, connections, transaction
from django.utils import timezone

from guides.cache.generations import REFRESH_SECONDS
from guides.frontcache.backends import get_backends, is_enabled, tenants_of
from guides.models import FrontendPurge

logger = logging.getLogger(__name__)

#: Seconds between a row's first and second send (see the module docstring).
REPEAT_AFTER = REFRESH_SECONDS + 0.15
#: Seconds between its second and third send.
FINAL_AFTER = 1.0
#: How many times a row is sent.
SENDS = 3


def repeat_gap(sends_left: int) -> float:
    """Seconds until the next send of a row that still owes ``sends_left``."""
    return REPEAT_AFTER if sends_left >= SENDS else FINAL_AFTER


#: Seconds a drainer holds the rows it claimed before another may take them.
LEASE_SECONDS = 60

#: The longest wait between two attempts of a failing purge.
MAX_BACKOFF_SECONDS = 3600

#: Rows one drain sends at most.
BATCH = 500

#: Seconds a bookkeeping statement is retried while the database is busy.
BUSY_SECONDS = 5

#: Faults of a drain thread (the database) retried in the thread, first after
#: ``FAULT_RETRY_SECONDS``, then twice as long each time up to the maximum.
THREAD_FAULTS = 30
FAULT_RETRY_SECONDS = 0.05
MAX_FAULT_RETRY_SECONDS = 2.0

#: Whether a commit starts a drain in a thread (tests call ``drain`` instead).
SEND_ON_COMMIT = True

_lock = threading.Lock()


@dataclass
class DrainResult:
    sent: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    #: Seconds until the failed rows are due again.
    retry_after: float | None = None
    #: Whether some rows just sent are owed their second send.
    repeat: bool = False
    #: Seconds until the next of the repeated sends is due.
    repeat_after: float = REPEAT_AFTER


def enqueue(keys) -> FrontendPurge | None:
    """Owe a purge of ``keys``, in the current transaction, sent once it commits."""
    keys = list(dict.fromkeys(key for key in keys if key))
    if not keys or not is_enabled():
        return None
    row = FrontendPurge.objects.create(keys=keys, sends_left=SENDS)
    transaction.on_commit(send_soon, robust=True)
    return row


def send_soon(delay: float = 0.0, *, retry: bool = False, faults: int = 0) -> None:
    """Drain the outbox in a thread after ``delay`` seconds.

    The first and second sends hold the process open until they are done
    (a management command exits a second later, with its purges sent); a
    retry does not: the next drain or the command sends it.
    """
    if not SEND_ON_COMMIT:
        return
    timer = threading.Timer(delay, _drain_in_thread, kwargs={"faults": faults})
    timer.daemon = retry
    timer.start()


def _drain_in_thread(faults: int = 0) -> None:
    try:
        result = drain()
    except Exception:
        # The database, most likely (busy, restarting): try again shortly,
        # a few times; the command takes over after that.
        logger.warning("Draining the front-end cache purges failed", exc_info=True)
        if faults < THREAD_FAULTS:
            delay = min(FAULT_RETRY_SECONDS * 2**faults, MAX_FAULT_RETRY_SECONDS)
            send_soon(delay, retry=True, faults=faults + 1)
        return
    finally:
        connections.close_all()
    if result.repeat:
        # The next send of the rows just sent (see the module docstring).
        send_soon(result.repeat_after)
    elif result.retry_after is not None and result.retry_after <= LEASE_SECONDS:
        # Early retries in this process; later ones are the command's.
        send_soon(result.retry_after, retry=True)


def backoff(attempts: int) -> timedelta:
    return timedelta(seconds=min(2 ** max(attempts - 1, 0), MAX_BACKOFF_SECONDS))


def claim(now, limit: int = BATCH) -> list[FrontendPurge]:
    """Take the due rows: move each one's due time past a lease, if still due."""
    rows = list(
        FrontendPurge.objects.filter(due_at__lte=now).order_by("due_at", "id")[:limit]
    )
    lease = now + timedelta(seconds=LEASE_SECONDS)
    return [
        row
        for row in rows
        if _retrying(
            FrontendPurge.objects.filter(pk=row.pk, due_at=row.due_at).update,
            due_at=lease,
        )
    ]


def drain(*, now=None, limit: int = BATCH) -> DrainResult:
    """Send every due purge to every configured cache (see the module docstring)."""
    result = DrainResult()
    if not is_enabled():
        return result
    with _lock:
        now = now or timezone.now()
        rows = claim(now, limit)
        if not rows:
            return result
        try:
            return _send(rows, now, result)
        except Exception:
            _hand_back(rows, now)
            raise


def _hand_back(rows: list[FrontendPurge], now) -> None:
    """Make claimed rows due again at once rather than when the lease ends."""
    with contextlib.suppress(Exception):
        _retrying(
            FrontendPurge.objects.filter(pk__in=[row.pk for row in rows]).update,
            due_at=now,
        )


def _retrying(statement, *args, **kwargs):
    """Run one bookkeeping statement, again while the database is busy.

    The purge it records has been sent: a short wait (SQLite's lock held by
    a long write, a failover) is better than leaving the row claimed until
    its lease ends.
    """
    deadline = time.monotonic() + BUSY_SECONDS
    while True:
        try:
            return statement(*args, **kwargs)
        except OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def _send(rows: list[FrontendPurge], now, result: DrainResult) -> DrainResult:
    """Purge the rows' keys from every cache; keep the rows where one failed."""
    grouped = tenants_of(key for row in rows for key in row.keys)
    errors = []
    for backend in get_backends():
        for tenant_id, keys in grouped.items():
            try:
                backend.purge(tenant_id=tenant_id, keys=keys)
            except Exception as exc:  # Any fault: the row is kept and retried.
                errors.append(f"{backend.name}: {exc}")
                logger.warning(
                    "Front-end cache %s did not purge %s: %s",
                    backend.name,
                    " ".join(keys),
                    exc,
                )
            else:
                logger.info(
                    "Front-end cache %s purged %s", backend.name, " ".join(keys)
                )
    keys = [key for row in rows for key in row.keys]
    pks = [row.pk for row in rows]
    if errors:
        for row in rows:
            row.attempts += 1
            _retrying(
                FrontendPurge.objects.filter(pk=row.pk).update,
                attempts=row.attempts,
                due_at=now + backoff(row.attempts),
                last_error="\n".join(errors)[:2000],
            )
        result.failed, result.errors = keys, errors
        result.retry_after = min(backoff(row.attempts).total_seconds() for row in rows)
        return result
    last = [row.pk for row in rows if row.sends_left <= 1]
    _retrying(FrontendPurge.objects.filter(pk__in=last).delete)
    gaps = []
    for owed in sorted({row.sends_left for row in rows if row.sends_left > 1}):
        gap = repeat_gap(owed)
        gaps.append(gap)
        _retrying(
            FrontendPurge.objects.filter(
                pk__in=[row.pk for row in rows if row.sends_left == owed]
            ).update,
            sends_left=owed - 1,
            due_at=now + timedelta(seconds=gap),
            attempts=0,
            last_error="",
        )
    result.sent = keys
    result.repeat = len(last) < len(pks)
    if gaps:
        result.repeat_after = min(gaps)
    return result
