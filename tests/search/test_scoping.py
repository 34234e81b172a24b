"""Scoped index tokens (migration 0004) and the per-process search caches.

Runs on the configured database: SQLite FTS5 by default, PostgreSQL when
DATABASE_URL points at it.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from guides.models import Article, SearchDocument, SynonymGroup
from guides.search import searching
from guides.search.backends import (
    get_search_backend,
    scope_prefix,
    scope_text,
    unscope_text,
)
from guides.search.indexing import document_fields, scoped_fields
from guides.tenancy import tenant_context
from tests.factories import make_article, make_carrier

BEFORE = ("guides", "0003_publication_listing")


def _document(tenant, slug: str, title: str, *, language: str = "en", scoped=True):
    article = make_article(tenant, slug=slug)
    fields = document_fields({"title": title, "summary": "", "steps": []})
    if scoped:
        fields = scoped_fields(fields, tenant_id=tenant.pk, language=language)
    return SearchDocument.unscoped.create(
        tenant=tenant, article=article, language=language, slug=slug, **fields
    )


def _index_ids(token: str) -> set[int]:
    """Return the ids the full-text index itself holds for ``token``.

    No ``tenant_id`` or ``language`` condition: this is what the posting list
    of the word contains.
    """
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT rowid FROM guides_searchdocument_fts "
                "WHERE guides_searchdocument_fts MATCH %s",
                [f'"{token}"'],
            )
        else:
            cursor.execute(
                "SELECT id FROM guides_searchdocument "
                "WHERE search_vector @@ to_tsquery('simple', %s)",
                [f"'{token}'"],
            )
        return {row[0] for row in cursor.fetchall()}


def _found(tenant, query: str, language: str = "en", **kwargs):
    with tenant_context(tenant):
        return searching.search(
            tenant=tenant, language=language, query=query, log=False, **kwargs
        )


def test_scope_prefix_names_tenant_and_language_unambiguously():
    """Tenant 1 and tenant 12 get prefixes neither of which starts the other."""
    assert scope_prefix(12, "zh-hans") == "t12zhhansq"
    assert scope_prefix(12, "en") == "t12enq"
    prefixes = [
        scope_prefix(t, lang) for t in (1, 2, 12, 121) for lang in ("en", "zh-hans")
    ]
    for a in prefixes:
        for b in prefixes:
            assert a == b or not b.startswith(a)
    with pytest.raises(ValueError):
        scope_prefix(1, "xq")


def test_scope_text_prefixes_every_letter_and_digit_part():
    """Every part a tokenizer could see carries the scope; unscoping inverts it."""
    scoped = scope_text("t3enq", "card 10086 注销 x_y")
    assert scoped == "t3enqcard t3enq10086 t3enq注销 t3enqx t3enqy"
    assert unscope_text("t3enq", scoped) == "card 10086 注销 x y"
    assert unscope_text("t4enq", scoped) == ""


@pytest.mark.django_db
def test_tenants_tokens_never_share_a_posting_list(tenant_a, tenant_b):
    """The index holds A's and B's ``wombat`` under different words."""
    doc_a = _document(tenant_a, "a-wombat", "Wombat care")
    doc_b = _document(tenant_b, "b-wombat", "Wombat care")
    doc_zh = _document(tenant_a, "a-wombat-zh", "Wombat care", language="zh-hans")
    assert _index_ids(scope_prefix(tenant_a.pk, "en") + "wombat") == {doc_a.pk}
    assert _index_ids(scope_prefix(tenant_b.pk, "en") + "wombat") == {doc_b.pk}
    assert _index_ids(scope_prefix(tenant_a.pk, "zh-hans") + "wombat") == {doc_zh.pk}
    # Unscoped words are not in the index at all.
    assert _index_ids("wombat") == set()


@pytest.mark.django_db
def test_text_spelling_another_tenants_token_stays_in_its_own_scope(tenant_a, tenant_b):
    """A document that writes A's scoped token literally is indexed under B."""
    forged = scope_prefix(tenant_a.pk, "en") + "wombat"
    doc_b = _document(tenant_b, "b-forged", f"Forged {forged}")
    assert _index_ids(forged) == set()
    assert _index_ids(scope_prefix(tenant_b.pk, "en") + forged) == {doc_b.pk}
    assert (
        get_search_backend()
        .match(tenant_id=tenant_a.pk, language="en", groups=[["wombat"]])
        .matches
        == []
    )


@pytest.mark.django_db
def test_prefix_suggest_stays_in_the_tenant(tenant_a, tenant_b):
    """Search-as-you-type matches word beginnings in the tenant's own titles."""
    _document(tenant_a, "a-cancel", "Cancel a card")
    _document(tenant_b, "b-cancel", "Cancel a card")
    with tenant_context(tenant_a):
        titles = searching.suggest(tenant=tenant_a, language="en", query="canc")
    assert titles == [{"slug": "a-cancel", "title": "Cancel a card"}]


@pytest.mark.django_db
def test_vocabulary_holds_words_not_scoped_tokens(tenant_a):
    """Spelling correction compares with plain words and still corrects."""
    _document(tenant_a, "a-cancel", "Cancel a card")
    assert searching.vocabulary(tenant=tenant_a, language="en") == ["cancel", "card"]
    outcome = _found(tenant_a, "cancle")
    assert outcome.corrected == "cancel"
    assert [r.slug for r in outcome.results] == ["a-cancel"]


@pytest.mark.django_db
def test_synonym_changes_take_effect_on_the_next_search(tenant_a):
    """Adding, editing (even with QuerySet.update) and deleting a group."""
    _document(tenant_a, "a-wombat", "Wombat care")
    assert _found(tenant_a, "marsupial").total == 0
    group = SynonymGroup.unscoped.create(tenant=tenant_a, terms=["wombat", "marsupial"])
    assert [r.slug for r in _found(tenant_a, "marsupial").results] == ["a-wombat"]
    SynonymGroup.unscoped.filter(pk=group.pk).update(terms=["wombat", "burrower"])
    assert _found(tenant_a, "marsupial").total == 0
    assert _found(tenant_a, "burrower").total == 1
    group.delete()
    assert _found(tenant_a, "burrower").total == 0


@pytest.mark.django_db
def test_synonyms_are_per_tenant(tenant_a, tenant_b):
    """B's synonym group changes nothing for A."""
    _document(tenant_a, "a-wombat", "Wombat care")
    SynonymGroup.unscoped.create(tenant=tenant_b, terms=["wombat", "marsupial"])
    assert _found(tenant_a, "marsupial").total == 0


@pytest.mark.django_db
def test_renamed_carrier_shows_in_the_next_facets(tenant_a):
    """The cached catalogue follows a carrier rename (content generation)."""
    carrier = make_carrier(tenant_a)
    doc = _document(tenant_a, "a-wombat", "Wombat care")
    SearchDocument.unscoped.filter(pk=doc.pk).update(carrier=carrier)
    assert _found(tenant_a, "wombat").carriers[0].slug == carrier.slug
    carrier.name_en = "Wombat Mobile"
    carrier.save()
    outcome = _found(tenant_a, "wombat", carrier=carrier.slug)
    assert outcome.carriers[0].name == "Wombat Mobile"
    assert outcome.results[0].carrier.name == "Wombat Mobile"
    assert outcome.carrier is not None and outcome.total == 1


def _old_document(apps, slug: str, title: str):
    """Write a tenant, an article and its document as 0002's code wrote them.

    Through the models of the migration state (``apps``): today's models
    carry columns that later migrations add, which the old tables lack.
    """
    models = {
        name: apps.get_model("guides", name)
        for name in ("Tenant", "Article", "SearchDocument")
    }
    tenant = models["Tenant"].objects.create(slug="gamma", name="Gamma", logo="")
    article = models["Article"].objects.create(
        tenant=tenant, slug=slug, title=title, title_zh_hans=title
    )
    columns = {f.name for f in models["SearchDocument"]._meta.concrete_fields}
    fields = document_fields({"title": title, "summary": "", "steps": []})
    return models["SearchDocument"].objects.create(
        tenant=tenant,
        article=article,
        language="en",
        slug=slug,
        **{name: value for name, value in fields.items() if name in columns},
    )


def _migrate(target) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(target or executor.loader.graph.leaf_nodes())
    return executor


@pytest.mark.django_db(transaction=True)
def test_migration_scopes_existing_documents_and_reverses():
    """Documents written before 0004 are searchable after it, with no rebuild."""
    executor = _migrate([BEFORE])
    try:
        # given: a document as 0002's code wrote it, with plain tokens
        old = _old_document(
            executor.loader.project_state(BEFORE).apps, "g-wombat", "Wombat care"
        )
        assert old.title_tokens == "wombat care"
        # when: the migrations run, up to today's schema
        _migrate(None)
        # then
        doc = SearchDocument.unscoped.get(pk=old.pk)
        tenant = doc.tenant
        prefix = scope_prefix(tenant.pk, "en")
        assert doc.title_tokens == f"{prefix}wombat {prefix}care"
        assert _index_ids(f"{prefix}wombat") == {doc.pk}
        assert [r.slug for r in _found(tenant, "wombat").results] == ["g-wombat"]
        # and back: plain tokens again under 0002's scope column
        executor = _migrate([BEFORE])
        reverted = executor.loader.project_state(BEFORE).apps
        document = reverted.get_model("guides", "SearchDocument")
        assert document.objects.get(pk=doc.pk).title_tokens == "wombat care"
    finally:
        _migrate(None)
    assert Article.unscoped.filter(slug="g-wombat").exists()


@pytest.mark.django_db
def test_backend_vocabulary_matches_the_token_columns(tenant_a, tenant_b):
    """The index's word list (fts5vocab / ts_stat) equals the columns' words."""
    from guides.search.backends import BaseSearchBackend

    _document(tenant_a, "a-cancel", "Cancelling a card 注销")
    _document(tenant_b, "b-other", "Refund balance")
    _document(tenant_a, "a-zh", "Roaming", language="zh-hans")
    backend = get_search_backend()
    fallback = BaseSearchBackend("fallback", {})
    for tenant in (tenant_a, tenant_b):
        for language in ("en", "zh-hans"):
            kwargs = {"tenant_id": tenant.pk, "language": language}
            expected = fallback.title_summary_words(**kwargs)
            assert backend.title_summary_words(**kwargs) == expected
    assert fallback.title_summary_words(tenant_id=tenant_a.pk, language="en") == {
        "cancel",
        "card",
        "注销",
    }
