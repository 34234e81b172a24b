"""Cursor pagination: an opaque, stable position in a newest-first list.

A cursor encodes the (time, id) of the last item a page held; the next page
holds the items strictly after it in ``(time desc, id desc)`` order. Items
published or edited meanwhile do not shift the pages a client walks (an
offset would), and the id breaks ties between equal times.
"""

from __future__ import annotations

import base64
import binascii
import json
from datetime import datetime

from django.db.models import Q, QuerySet
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from guides.api.errors import Problem

#: A cursor as the schema accepts it (URL-safe base64 without padding).
CURSOR_PATTERN = r"^[A-Za-z0-9_-]{1,200}$"
DEFAULT_LIMIT = 20
MAX_LIMIT = 100


def encode_cursor(moment: datetime, pk: int) -> str:
    raw = json.dumps([moment.isoformat(), pk], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, int]:
    """Return the position a cursor names, or raise a 400 problem."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        moment, pk = json.loads(raw)
        parsed = parse_datetime(moment)
        if parsed is None or not isinstance(pk, int) or not 0 < pk < 2**63:
            raise ValueError(cursor)
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError):
        raise Problem(400, _("The cursor is not one this API gave out.")) from None
    return parsed, pk


def page(
    queryset: QuerySet, *, field: str, cursor: str | None, limit: int
) -> tuple[list, str | None]:
    """Return one page of ``queryset`` newest first by ``field``, and the next cursor."""
    queryset = queryset.order_by(f"-{field}", "-pk")
    if cursor:
        moment, pk = decode_cursor(cursor)
        queryset = queryset.filter(
            Q(**{f"{field}__lt": moment}) | Q(**{field: moment, "pk__lt": pk})
        )
    rows = list(queryset[: limit + 1])
    next_cursor = None
    if len(rows) > limit:
        rows = rows[:limit]
        last = rows[-1]
        next_cursor = encode_cursor(getattr(last, field), last.pk)
    return rows, next_cursor
