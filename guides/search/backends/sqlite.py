"""SQLite FTS5 backend over ``guides_searchdocument_fts`` (migration 0002)."""

from __future__ import annotations

from django.db import connection

from guides.search.backends import BaseSearchBackend

FTS_TABLE = "guides_searchdocument_fts"
# bm25 weights per FTS column: scope (never ranked), title, summary, body.
DEFAULT_WEIGHTS = (0.0, 10.0, 4.0, 1.0)


def _phrase(token: str, prefix: bool) -> str:
    # Tokens are letters and digits only (clean_groups); the quotes make FTS5
    # read AND, OR, NOT and NEAR as words.
    return f'"{token}"' + ("*" if prefix else "")


def scope_token(tenant_id: int, language: str) -> str:
    """Return the FTS token that names one tenant and language (see 0002)."""
    return f"t{int(tenant_id)}{language.replace('-', '')}"


def match_expression(
    *, tenant_id: int, language: str, groups, mode: str, prefix: bool, title_only: bool
) -> str:
    """Return the FTS5 MATCH expression for already cleaned ``groups``."""
    columns = "{title}" if title_only else "{title summary body}"
    last = len(groups) - 1
    parts = [
        f"{columns}:("
        + " OR ".join(_phrase(t, prefix and i == last) for t in group)
        + ")"
        for i, group in enumerate(groups)
    ]
    joined = (" AND " if mode == "all" else " OR ").join(parts)
    scope = scope_token(tenant_id, language).replace('"', "")
    return f'scope:"{scope}" AND ({joined})'


class SearchBackend(BaseSearchBackend):
    """Match with FTS5 and rank with ``bm25`` (title above summary above body)."""

    vendor = "sqlite"

    def _match(self, *, tenant_id, language, groups, mode, prefix, title_only, limit):
        weights = tuple(float(w) for w in self.options.get("WEIGHTS", DEFAULT_WEIGHTS))
        expression = match_expression(
            tenant_id=tenant_id,
            language=language,
            groups=groups,
            mode=mode,
            prefix=prefix,
            title_only=title_only,
        )
        bm25 = f"bm25({FTS_TABLE}, {', '.join(repr(w) for w in weights)})"
        sql = (
            f"SELECT d.id, d.carrier_id, d.card_type_id, m.rank "
            f"FROM (SELECT rowid AS id, {bm25} AS rank FROM {FTS_TABLE} "
            f"      WHERE {FTS_TABLE} MATCH %s) AS m "
            f"JOIN guides_searchdocument d ON d.id = m.id "
            # The scope token already limits the match; this re-checks it.
            f"WHERE d.tenant_id = %s AND d.language = %s "
            f"ORDER BY m.rank, d.published_at DESC, d.id"
        )
        params = [expression, tenant_id, language]
        if limit is not None:
            sql += " LIMIT %s"
            params.append(int(limit))
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            # bm25 is negative, lower is better: report higher-is-better.
            return [(i, c, k, -r) for i, c, k, r in cursor.fetchall()]
