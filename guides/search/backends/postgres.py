"""PostgreSQL backend: ``tsvector('simple')`` column with a GIN index (0002)."""

from __future__ import annotations

from django.db import connection

from guides.search.backends import BaseSearchBackend

# ts_rank weights for {D, C, B, A}: body (C) < summary (B) < title (A).
DEFAULT_WEIGHTS = (0.0, 0.2, 0.5, 1.0)


def _lexeme(token: str, prefix: bool, title_only: bool) -> str:
    # Tokens are letters and digits only (clean_groups), so quoting is safe.
    suffix = ":*" if prefix else ""
    if title_only:
        suffix = (suffix + "A") if prefix else ":A"
    return f"'{token}'{suffix}"


def tsquery_text(*, groups, mode: str, prefix: bool, title_only: bool) -> str:
    """Return the ``to_tsquery('simple', ...)`` text for cleaned ``groups``."""
    last = len(groups) - 1
    parts = [
        "(" + " | ".join(_lexeme(t, prefix and i == last, title_only) for t in group) + ")"
        for i, group in enumerate(groups)
    ]
    return (" & " if mode == "all" else " | ").join(parts)


class SearchBackend(BaseSearchBackend):
    """Match with ``@@`` on the GIN-indexed vector; rank with ``ts_rank``."""

    vendor = "postgresql"

    def _match(self, *, tenant_id, language, groups, mode, prefix, title_only, limit):
        weights = [float(w) for w in self.options.get("WEIGHTS", DEFAULT_WEIGHTS)]
        sql = (
            "SELECT d.id, d.carrier_id, d.card_type_id, "
            "       ts_rank(%s::float4[], d.search_vector, q, 1) AS rank "
            "FROM guides_searchdocument d, to_tsquery('simple', %s) AS q "
            "WHERE d.tenant_id = %s AND d.language = %s AND d.search_vector @@ q "
            "ORDER BY rank DESC, d.published_at DESC NULLS LAST, d.id"
        )
        params = [
            weights,
            tsquery_text(groups=groups, mode=mode, prefix=prefix, title_only=title_only),
            tenant_id,
            language,
        ]
        if limit is not None:
            sql += " LIMIT %s"
            params.append(int(limit))
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()
