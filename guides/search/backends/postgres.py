"""PostgreSQL backend: ``tsvector('simple')`` column with a GIN index (0002, 0004).

The vector holds scoped tokens (``guides.search.backends``), so the GIN
posting list of a lexeme holds one tenant and language's documents only.
"""

from __future__ import annotations

import re

from django.db import connection

from guides.search.backends import BaseSearchBackend, scope_prefix

# ts_stat takes its query as text, so the language is written into it: only
# codes made of these characters are.
_LANGUAGE_CODE = re.compile(r"[A-Za-z0-9-]{1,10}")

# ts_rank weights for {D, C, B, A}: body (C) < summary (B) < title (A).
DEFAULT_WEIGHTS = (0.0, 0.2, 0.5, 1.0)


def _lexeme(token: str, prefix: bool, title_only: bool) -> str:
    # Tokens are letters and digits only (clean_groups), so quoting is safe.
    suffix = ":*" if prefix else ""
    if title_only:
        suffix = (suffix + "A") if prefix else ":A"
    return f"'{token}'{suffix}"


def tsquery_text(*, groups, mode: str, prefix: bool, title_only: bool) -> str:
    """Return the ``to_tsquery('simple', ...)`` text for cleaned, scoped ``groups``."""
    last = len(groups) - 1
    parts = [
        "("
        + " | ".join(_lexeme(t, prefix and i == last, title_only) for t in group)
        + ")"
        for i, group in enumerate(groups)
    ]
    return (" & " if mode == "all" else " | ").join(parts)


class SearchBackend(BaseSearchBackend):
    """Match with ``@@`` on the GIN-indexed vector; rank with ``ts_rank``."""

    vendor = "postgresql"

    def title_summary_counts(self, *, tenant_id: int, language: str) -> dict[str, int]:
        """Return the scope's title and summary words with ``ts_stat``.

        ``ts_filter`` keeps the title (A) and summary (B) positions of each
        vector; ``ts_stat`` lists their distinct lexemes and how many
        documents hold each, in C, instead of Python splitting every
        document's token columns.
        """
        prefix = scope_prefix(tenant_id, language)
        if not _LANGUAGE_CODE.fullmatch(language):
            return {}
        inner = (
            "SELECT ts_filter(search_vector, '{a,b}') FROM guides_searchdocument "  # noqa: S608  (table names are constants; values are parameters)
            f"WHERE tenant_id = {int(tenant_id)} AND language = '{language}'"
        )
        with connection.cursor() as cursor:
            cursor.execute("SELECT word, ndoc FROM ts_stat(%s)", [inner])
            return {
                word[len(prefix) :]: int(n)
                for word, n in cursor.fetchall()
                if word.startswith(prefix)
            }

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
            tsquery_text(
                groups=groups, mode=mode, prefix=prefix, title_only=title_only
            ),
            tenant_id,
            language,
        ]
        if limit is not None:
            sql += " LIMIT %s"
            params.append(int(limit))
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()
