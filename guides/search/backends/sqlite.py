"""SQLite FTS5 backend over ``guides_searchdocument_fts`` (migration 0004).

The table indexes scoped tokens (``guides.search.backends``), so a match
reads the posting lists of one tenant and language only.
"""

from __future__ import annotations

from django.db import connection

from guides.search.backends import BaseSearchBackend, scope_prefix

FTS_TABLE = "guides_searchdocument_fts"
VOCAB_TABLE = "guides_searchdocument_fts_vocab"
# bm25 weights per FTS column: title, summary, body.
DEFAULT_WEIGHTS = (10.0, 4.0, 1.0)


def _phrase(token: str, prefix: bool) -> str:
    # Tokens are letters and digits only (clean_groups); the quotes make FTS5
    # read AND, OR, NOT and NEAR as words.
    return f'"{token}"' + ("*" if prefix else "")


def match_expression(*, groups, mode: str, prefix: bool, title_only: bool) -> str:
    """Return the FTS5 MATCH expression for cleaned, scoped ``groups``."""
    columns = "{title}" if title_only else "{title summary body}"
    last = len(groups) - 1
    parts = [
        f"{columns}:("
        + " OR ".join(_phrase(t, prefix and i == last) for t in group)
        + ")"
        for i, group in enumerate(groups)
    ]
    return (" AND " if mode == "all" else " OR ").join(parts)


class SearchBackend(BaseSearchBackend):
    """Match with FTS5 and rank with ``bm25`` (title above summary above body)."""

    vendor = "sqlite"

    def title_summary_counts(self, *, tenant_id: int, language: str) -> dict[str, int]:
        """Return the scope's title and summary words from the FTS5 vocabulary.

        The ``fts5vocab`` table (migration 0004) reads the index's term list:
        a range of the scope's terms, instead of every document's tokens.
        A document using a word in both its title and summary counts twice.
        """
        prefix = scope_prefix(tenant_id, language)
        # Scoped terms of this scope sort from "t12enq" up to, not including,
        # "t12enr": the prefix ends with "q".
        upper = prefix[:-1] + "r"
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT term, SUM(doc) FROM {VOCAB_TABLE} "  # noqa: S608  (table names are constants; values are parameters)
                f"WHERE term >= %s AND term < %s AND col IN ('title', 'summary') "
                f"GROUP BY term",
                [prefix, upper],
            )
            return {term[len(prefix) :]: int(n) for term, n in cursor.fetchall()}

    def _match(self, *, tenant_id, language, groups, mode, prefix, title_only, limit):
        weights = tuple(float(w) for w in self.options.get("WEIGHTS", DEFAULT_WEIGHTS))
        expression = match_expression(
            groups=groups, mode=mode, prefix=prefix, title_only=title_only
        )
        bm25 = f"bm25({FTS_TABLE}, {', '.join(repr(w) for w in weights)})"
        sql = (
            f"SELECT d.id, d.carrier_id, d.card_type_id, m.rank "  # noqa: S608  (table names are constants; values are parameters)
            f"FROM (SELECT rowid AS id, {bm25} AS rank FROM {FTS_TABLE} "
            f"      WHERE {FTS_TABLE} MATCH %s) AS m "
            f"JOIN guides_searchdocument d ON d.id = m.id "
            # The scoped tokens already limit the match; this re-checks it.
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
