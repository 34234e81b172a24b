"""Count article reads for "popular", without a write per page view.

Why a beacon and a buffer. Article pages are cached whole (the page cache,
then a CDN): a cache hit never reaches Django, so a counter inside the page
view would count misses only, and one that forced every view through Django
would undo the cache. The page instead loads ``guides/article.js``, which
sends one ``POST`` beacon per tab session (``navigator.sendBeacon``) to
``guides.public.views.article_read``; POSTs are never cached, so every
reader with JavaScript is counted once, and robots without it are not.

The beacon does not write either: ``article_read_record`` adds one to a
counter in this process's memory, and the counters are written, one
``INSERT ... ON CONFLICT DO UPDATE SET count = count + n`` per article and
day, at most every ``HELPCENTER_READS_FLUSH_SECONDS`` (default 10 s) or
when ``READS_BUFFER_LIMIT`` articles wait. A busy article costs one
statement per flush, not one per read, and no hot row is locked per read.
A process that dies loses at most its last interval's counts: popularity
is a ranking, not a ledger. Counts are per tenant (the row's tenant is the
publication's) and per UTC day, so "popular" can look at recent days.

Reads are not content: they make no revision, and they do not bump the
content generation, so pages are not re-rendered per read; the home page
picks new counts up when its cached copy is next rendered (at most
``guides.cache.pages.PAGE_TIMEOUT`` later, or at the next publish).
"""

from __future__ import annotations

import logging
import threading
import time
from datetime import UTC, datetime

from django.conf import settings
from django.db import DatabaseError, connection

from guides.models import Article, ArticleReadCount, Publication
from guides.tenancy import require_current_tenant

logger = logging.getLogger(__name__)

#: Articles waiting in the buffer that force a flush whatever the time.
READS_BUFFER_LIMIT = 500

_lock = threading.Lock()
_pending: dict[tuple[int, int, str], int] = {}
_last_flush = time.monotonic()


def _flush_interval() -> float:
    return float(getattr(settings, "HELPCENTER_READS_FLUSH_SECONDS", 10))


def article_read_record(*, publication: Publication) -> None:
    """Count one read of ``publication`` (of the current tenant).

    Another tenant's publication raises ``Publication.DoesNotExist``, as a
    missing one would.
    """
    tenant = require_current_tenant()
    if publication.tenant_id != tenant.pk:
        raise Publication.DoesNotExist
    day = datetime.now(UTC).date().isoformat()
    key = (tenant.pk, publication.article_id, day)
    with _lock:
        _pending[key] = _pending.get(key, 0) + 1
        due = (
            len(_pending) >= READS_BUFFER_LIMIT
            or time.monotonic() - _last_flush >= _flush_interval()
        )
    if due:
        reads_flush()


def reads_flush() -> int:
    """Write this process's buffered read counts; return how many were sent.

    One statement for the whole batch (one row per tenant, article and day).
    """
    global _last_flush
    with _lock:
        batch = dict(_pending)
        _pending.clear()
        _last_flush = time.monotonic()
    if not batch:
        return 0
    table = connection.ops.quote_name(ArticleReadCount._meta.db_table)
    articles = connection.ops.quote_name(Article._meta.db_table)
    # INSERT ... SELECT ... WHERE EXISTS: a read of an article deleted since
    # it was counted is dropped here rather than failing the batch on its
    # foreign key (SQLite needs the WHERE anyway to parse ON CONFLICT after
    # a SELECT). The tenant condition keeps a count on its own tenant's row.
    sql = (
        f"INSERT INTO {table} (tenant_id, article_id, day, count) "  # noqa: S608  (table names are constants; values are parameters)
        "SELECT %s, %s, %s, %s "
        f"WHERE EXISTS (SELECT 1 FROM {articles} WHERE id = %s AND tenant_id = %s) "
        "ON CONFLICT (tenant_id, article_id, day) "
        f"DO UPDATE SET count = {table}.count + excluded.count"
    )
    rows = [
        (tenant_id, article_id, day, count, article_id, tenant_id)
        for (tenant_id, article_id, day), count in sorted(batch.items())
    ]
    try:
        with connection.cursor() as cursor:
            cursor.executemany(sql, rows)
    except DatabaseError:
        # The database is away: these counts are lost (popularity is a
        # ranking, not a ledger), and the beacon still answers 204.
        logger.warning("read counts dropped: %d articles", len(rows), exc_info=True)
        return 0
    return len(rows)


def reads_discard() -> None:
    """Forget the buffered counts (tests)."""
    with _lock:
        _pending.clear()
