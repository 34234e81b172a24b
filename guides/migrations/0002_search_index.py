"""Full-text index over the analysed token columns of ``SearchDocument``.

The analyser (``guides.search.analysis``) already segments Chinese with jieba
and splits Latin and digit runs, so each ``*_tokens`` column is a list of
words separated by spaces. The database only has to index those words; its
own word breaking never sees raw Chinese text (DESIGN.md explains why it
fails on two-character words).

SQLite: a contentless FTS5 table ``guides_searchdocument_fts`` whose rowid is
the document id, with four columns: ``scope`` (one token naming tenant and
language, e.g. ``t12zhhans``) and ``title``, ``summary``, ``body``. Queries
match ``scope:"t12zhhans" AND {title summary body}:(...)`` so FTS5 itself
restricts the match to one tenant and language instead of ranking every
tenant's rows and filtering afterwards. Triggers on ``guides_searchdocument``
keep the table in step on insert, update and delete, so ``bulk_create``,
``QuerySet.delete()`` and cascades need no Python hook. ``unicode61`` splits on
the spaces the analyser put there and keeps each Chinese word whole.

PostgreSQL: a stored generated column ``search_vector`` =
``setweight(to_tsvector('simple', title_tokens), 'A') || ... 'B' || ... 'C'``
with a GIN index. The ``simple`` configuration only lowercases, which the
analyser already did. The model does not declare the column: Django never
writes it and the database keeps it current.

Other databases get no index; the search backends only exist for these two.
Written by hand: ``RunPython`` checks ``connection.vendor`` so one migration
serves both databases.
"""

from django.db import migrations

FTS_TABLE = "guides_searchdocument_fts"
SCOPE_NEW = "'t' || new.tenant_id || replace(new.language, '-', '')"
SCOPE_OLD = "'t' || old.tenant_id || replace(old.language, '-', '')"

SQLITE_FORWARD = [
    f"""
    CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5(
        scope, title, summary, body,
        content='', tokenize='unicode61 remove_diacritics 2'
    )
    """,
    f"""
    CREATE TRIGGER guides_searchdocument_fts_ai AFTER INSERT ON guides_searchdocument
    BEGIN
        INSERT INTO {FTS_TABLE}(rowid, scope, title, summary, body)
        VALUES (new.id, {SCOPE_NEW}, new.title_tokens, new.summary_tokens,
                new.body_tokens);
    END
    """,
    f"""
    CREATE TRIGGER guides_searchdocument_fts_ad AFTER DELETE ON guides_searchdocument
    BEGIN
        INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, scope, title, summary, body)
        VALUES ('delete', old.id, {SCOPE_OLD}, old.title_tokens, old.summary_tokens,
                old.body_tokens);
    END
    """,
    f"""
    CREATE TRIGGER guides_searchdocument_fts_au AFTER UPDATE ON guides_searchdocument
    BEGIN
        INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, scope, title, summary, body)
        VALUES ('delete', old.id, {SCOPE_OLD}, old.title_tokens, old.summary_tokens,
                old.body_tokens);
        INSERT INTO {FTS_TABLE}(rowid, scope, title, summary, body)
        VALUES (new.id, {SCOPE_NEW}, new.title_tokens, new.summary_tokens,
                new.body_tokens);
    END
    """,
    # Index rows that already exist.
    f"""
    INSERT INTO {FTS_TABLE}(rowid, scope, title, summary, body)
    SELECT id, 't' || tenant_id || replace(language, '-', ''), title_tokens,
           summary_tokens, body_tokens
    FROM guides_searchdocument
    """,
]

SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS guides_searchdocument_fts_ai",
    "DROP TRIGGER IF EXISTS guides_searchdocument_fts_ad",
    "DROP TRIGGER IF EXISTS guides_searchdocument_fts_au",
    f"DROP TABLE IF EXISTS {FTS_TABLE}",
]

POSTGRES_FORWARD = [
    """
    ALTER TABLE guides_searchdocument ADD COLUMN search_vector tsvector
    GENERATED ALWAYS AS (
        setweight(to_tsvector('simple'::regconfig, coalesce(title_tokens, '')), 'A')
        || setweight(to_tsvector('simple'::regconfig, coalesce(summary_tokens, '')), 'B')
        || setweight(to_tsvector('simple'::regconfig, coalesce(body_tokens, '')), 'C')
    ) STORED
    """,
    """
    CREATE INDEX guides_searchdoc_vector_gin ON guides_searchdocument
    USING gin (search_vector)
    """,
]

POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS guides_searchdoc_vector_gin",
    "ALTER TABLE guides_searchdocument DROP COLUMN IF EXISTS search_vector",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        statements = statements_by_vendor.get(schema_editor.connection.vendor, [])
        for sql in statements:
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("guides", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
            elidable=False,
        )
    ]
