"""Index scoped tokens: one posting list per tenant and language for each word.

Before, the full-text index was shared by all tenants: FTS5 matched
``scope:"t12en" AND card`` but still read every tenant's entries for
``card``, and PostgreSQL's GIN on ``search_vector`` returned every tenant's
rows for a lexeme before ``tenant_id`` and ``language`` were filtered. Now
every token in ``title_tokens``, ``summary_tokens`` and ``body_tokens`` carries
its document's scope, ``t`` + tenant id + language without ``-`` + ``q``
(``t12enqcard``, ``t12zhhansq注销``; see ``guides.search.backends``), so the
index itself is partitioned and a match reads one tenant's postings only.

This migration rewrites the existing documents' token columns in place (no
re-analysis is needed, and no ``rebuild_search_index`` run), then:

- SQLite: recreates ``guides_searchdocument_fts`` without the ``scope``
  column (the tokens carry it now), with the same three triggers, and fills
  it from the rewritten rows; adds ``guides_searchdocument_fts_vocab``
  (``fts5vocab``), the index's term list, which spelling correction reads.
- PostgreSQL: drops the GIN index and the generated ``search_vector``, and
  adds both again (same expression, which now reads scoped tokens), so the
  vector is computed once per row rather than once per update. The vector
  now has ``STORAGE MAIN``: it stays in the row, so ranking a tenant's
  matches no longer fetches each vector from the TOAST table.

Reversing strips the scopes again and restores 0002's structures (and
0002's default storage). Written
by hand, like 0002: ``RunPython`` checks ``connection.vendor``.
"""

import re

from django.db import migrations

FTS_TABLE = "guides_searchdocument_fts"
TOKEN_COLUMNS = ("title_tokens", "summary_tokens", "body_tokens")
BATCH = 2000
# Copied from guides.search.backends so that this migration never changes.
_SAFE_TOKEN = re.compile(r"[^\W_]+")


def _prefix(tenant_id, language):
    code = "".join(c for c in str(language).lower() if c.isascii() and c.isalnum())
    return f"t{int(tenant_id)}{code}q"


def _scope(prefix, text):
    parts = (p for t in (text or "").split() for p in _SAFE_TOKEN.findall(t))
    return " ".join(prefix + p for p in parts)


def _unscope(prefix, text):
    size = len(prefix)
    return " ".join(t[size:] for t in (text or "").split() if t.startswith(prefix))


def _rewrite_tokens(schema_editor, convert):
    """Apply ``convert(prefix, text)`` to every document's token columns."""
    columns = ", ".join(TOKEN_COLUMNS)
    assignments = ", ".join(f"{c} = %s" for c in TOKEN_COLUMNS)
    last = 0
    with schema_editor.connection.cursor() as cursor:
        while True:
            # Pages by id, so rows rewritten already are never read again.
            cursor.execute(
                f"SELECT id, tenant_id, language, {columns} FROM guides_searchdocument "
                f"WHERE id > %s ORDER BY id LIMIT %s",
                [last, BATCH],
            )
            rows = cursor.fetchall()
            if not rows:
                return
            updates = []
            for pk, tenant_id, language, *texts in rows:
                prefix = _prefix(tenant_id, language)
                updates.append([*(convert(prefix, t) for t in texts), pk])
            cursor.executemany(
                f"UPDATE guides_searchdocument SET {assignments} WHERE id = %s", updates
            )
            last = rows[-1][0]


def _sqlite_triggers(scope):
    """Return the FTS table and its triggers; ``scope`` adds 0002's column."""
    new = "'t' || new.tenant_id || replace(new.language, '-', ''), " if scope else ""
    old = "'t' || old.tenant_id || replace(old.language, '-', ''), " if scope else ""
    cols = "scope, title, summary, body" if scope else "title, summary, body"
    return [
        f"""
        CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5(
            {cols}, content='', tokenize='unicode61 remove_diacritics 2'
        )
        """,
        f"""
        CREATE TRIGGER guides_searchdocument_fts_ai
        AFTER INSERT ON guides_searchdocument
        BEGIN
            INSERT INTO {FTS_TABLE}(rowid, {cols})
            VALUES (new.id, {new}new.title_tokens, new.summary_tokens,
                    new.body_tokens);
        END
        """,
        f"""
        CREATE TRIGGER guides_searchdocument_fts_ad
        AFTER DELETE ON guides_searchdocument
        BEGIN
            INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, {cols})
            VALUES ('delete', old.id, {old}old.title_tokens, old.summary_tokens,
                    old.body_tokens);
        END
        """,
        f"""
        CREATE TRIGGER guides_searchdocument_fts_au
        AFTER UPDATE ON guides_searchdocument
        BEGIN
            INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, {cols})
            VALUES ('delete', old.id, {old}old.title_tokens, old.summary_tokens,
                    old.body_tokens);
            INSERT INTO {FTS_TABLE}(rowid, {cols})
            VALUES (new.id, {new}new.title_tokens, new.summary_tokens,
                    new.body_tokens);
        END
        """,
        f"""
        INSERT INTO {FTS_TABLE}(rowid, {cols})
        SELECT id, {new.replace("new.", "")}title_tokens, summary_tokens, body_tokens
        FROM guides_searchdocument
        """,
    ]


# The index's own term list, for spelling correction's vocabulary (one
# scope's terms are a range of it: guides.search.backends.sqlite).
SQLITE_VOCAB = (
    f"CREATE VIRTUAL TABLE {FTS_TABLE}_vocab USING fts5vocab({FTS_TABLE}, 'col')"
)

SQLITE_DROP = [
    f"DROP TABLE IF EXISTS {FTS_TABLE}_vocab",
    "DROP TRIGGER IF EXISTS guides_searchdocument_fts_ai",
    "DROP TRIGGER IF EXISTS guides_searchdocument_fts_ad",
    "DROP TRIGGER IF EXISTS guides_searchdocument_fts_au",
    f"DROP TABLE IF EXISTS {FTS_TABLE}",
]

POSTGRES_DROP = [
    "DROP INDEX IF EXISTS guides_searchdoc_vector_gin",
    "ALTER TABLE guides_searchdocument DROP COLUMN IF EXISTS search_vector",
]

POSTGRES_CREATE = [
    """
    ALTER TABLE guides_searchdocument ADD COLUMN search_vector tsvector
    GENERATED ALWAYS AS (
        setweight(to_tsvector('simple'::regconfig, coalesce(title_tokens, '')), 'A')
        || setweight(to_tsvector('simple'::regconfig, coalesce(summary_tokens, '')), 'B')
        || setweight(to_tsvector('simple'::regconfig, coalesce(body_tokens, '')), 'C')
    ) STORED,
    -- Kept in the row (compressed if need be): ts_rank reads every match's
    -- vector, and out of line that cost three TOAST buffer reads per row,
    -- 4 to 5 times the whole match. Bodies and token columns go out first.
    ALTER COLUMN search_vector SET STORAGE MAIN
    """,
    """
    CREATE INDEX guides_searchdoc_vector_gin ON guides_searchdocument
    USING gin (search_vector)
    """,
]


def _migrate(convert, *, scope_column):
    def run(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        if vendor == "sqlite":
            # Triggers off first: rewriting rows must not churn the old index.
            for sql in SQLITE_DROP:
                schema_editor.execute(sql)
            _rewrite_tokens(schema_editor, convert)
            for sql in _sqlite_triggers(scope_column):
                schema_editor.execute(sql)
            if not scope_column:
                schema_editor.execute(SQLITE_VOCAB)
        elif vendor == "postgresql":
            for sql in POSTGRES_DROP:
                schema_editor.execute(sql)
            _rewrite_tokens(schema_editor, convert)
            for sql in POSTGRES_CREATE:
                schema_editor.execute(sql)
        else:
            _rewrite_tokens(schema_editor, convert)

    return run


class Migration(migrations.Migration):
    dependencies = [("guides", "0003_publication_listing")]

    operations = [
        migrations.RunPython(
            _migrate(_scope, scope_column=False),
            _migrate(_unscope, scope_column=True),
            elidable=False,
        )
    ]
