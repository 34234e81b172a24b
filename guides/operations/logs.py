"""Structured logs: one JSON object per line, with the request's id and tenant.

Configured in ``LOGGING`` (helpcenter/settings/base.py): every record goes
through ``RequestContextFilter`` and is written by ``JsonFormatter``. The
access log is the ``guides.access`` logger, one line per request, written by
``guides.operations.front.OperationsFront``.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime

from guides.operations import context

#: Fields an access line carries besides the common ones (``extra=``).
ACCESS_FIELDS = (
    "method",
    "path",
    "status",
    "duration_ms",
    "client",
    "view_kind",
    "page_cache",
)


class RequestContextFilter(logging.Filter):
    """Add ``request_id`` and ``tenant`` to every record made during a request."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = context.request_id.get() or None
        if not hasattr(record, "tenant"):
            record.tenant = current_tenant_id()
        return True


def current_tenant_id() -> int | None:
    """Return the id of the tenant whose request is running, if any."""
    # Imported here: the logging configuration loads this module before the
    # app registry is ready.
    from guides.tenancy.context import get_current_tenant

    tenant = get_current_tenant()
    return tenant.pk if tenant is not None else None


class JsonFormatter(logging.Formatter):
    """Format a record as one line of JSON."""

    def format(self, record: logging.LogRecord) -> str:
        payload = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None),
            "tenant": getattr(record, "tenant", None),
        }
        for field in ACCESS_FIELDS:
            if hasattr(record, field):
                payload[field] = getattr(record, field)
        if record.exc_info:
            payload["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            payload["stack"] = self.formatStack(record.stack_info)
        return json.dumps(payload, default=str)
