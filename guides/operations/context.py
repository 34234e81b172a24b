"""What the current request is, for the logs and the metrics.

Set by ``guides.operations.front.OperationsFront`` around each request and
read by the logging filter and the page cache; context variables, so each
thread (gthread workers) and task sees its own request.
"""

from __future__ import annotations

import re
import uuid
from contextvars import ContextVar

#: The id of the request being served ("" outside a request).
request_id: ContextVar[str] = ContextVar("helpcenter_request_id", default="")

#: "hit" or "miss" once the page cache was asked for this request's page.
page_cache_outcome: ContextVar[str] = ContextVar(
    "helpcenter_page_cache_outcome", default=""
)

#: An incoming X-Request-ID is kept only when it looks like an id: letters,
#: digits and a few separators, short enough for a log line.
SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:+/=-]{0,127}")


def request_id_from(header: str | None) -> str:
    """Return the caller's request id if it is sane, else a new one."""
    if header and SANE_REQUEST_ID.fullmatch(header):
        return header
    return uuid.uuid4().hex


def note_page_cache(*, hit: bool) -> None:
    """Record that the page cache was asked for this request's page (last wins)."""
    page_cache_outcome.set("hit" if hit else "miss")
