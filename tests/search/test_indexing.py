"""The search index follows the public state of every article, and can be rebuilt."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from guides import services
from guides.models import Article, SearchDocument, Tenant
from guides.search import searching
from guides.tenancy import tenant_context
from tests.factories import make_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def run_hooks(django_capture_on_commit_callbacks):
    """Run after-commit hooks (index, cache) as a committed transaction would."""

    def run(function, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return function(**kwargs)

    return run


def found(tenant, query: str, language: str = "zh-hans") -> list[str]:
    with tenant_context(tenant):
        outcome = searching.search(
            tenant=tenant, language=language, query=query, log=False
        )
    return [result.slug for result in outcome.results]


@pytest.fixture
def article(tenant_a, run_hooks):
    with tenant_context(tenant_a):
        article = make_article(tenant_a, "cancel-esim")
        run_hooks(services.article_publish, article=article, user=None)
    return Article.unscoped.get(pk=article.pk)


def test_publish_indexes_and_a_draft_edit_changes_nothing(tenant_a, article, run_hooks):
    assert found(tenant_a, "注销") == ["cancel-esim"]
    assert found(tenant_a, "cancel esim", "en") == ["cancel-esim"]
    with tenant_context(tenant_a):
        run_hooks(
            services.article_update,
            article=article,
            user=None,
            title_zh_hans="补办流量卡",
        )
    assert found(tenant_a, "补办") == []
    assert found(tenant_a, "注销") == ["cancel-esim"]
    with tenant_context(tenant_a):
        run_hooks(services.article_publish, article=article, user=None)
    assert found(tenant_a, "补办") == ["cancel-esim"]
    titles = SearchDocument.unscoped.filter(language="zh-hans").values_list(
        "title", flat=True
    )
    assert list(titles) == ["补办流量卡"]


def test_unpublish_and_archive_remove_the_documents(tenant_a, article, run_hooks):
    with tenant_context(tenant_a):
        run_hooks(services.article_unpublish, article=article, user=None)
        assert found(tenant_a, "注销") == []
        run_hooks(services.article_publish, article=article, user=None)
        assert found(tenant_a, "注销") == ["cancel-esim"]
        run_hooks(services.article_archive, article=article, user=None)
    assert found(tenant_a, "注销") == []
    assert not SearchDocument.unscoped.filter(article_id=article.pk).exists()


def test_delete_removes_and_recover_then_publish_restores(tenant_a, article, run_hooks):
    with tenant_context(tenant_a):
        run_hooks(services.article_delete, article=article, user=None)
        assert found(tenant_a, "注销") == []
        version = services.deleted_articles(tenant=tenant_a)[0]
        recovered = run_hooks(
            services.article_recover, version_id=version.pk, user=None
        )
        # a recovered article is a draft: not public, not searchable
        assert found(tenant_a, "注销") == []
        run_hooks(services.article_publish, article=recovered, user=None)
    assert found(tenant_a, "注销") == ["cancel-esim"]


def test_a_revert_and_publish_reindexes_through_reversions_raw_save(
    tenant_a, article, run_hooks
):
    with tenant_context(tenant_a):
        first = services.article_revisions(article=article).last()
        run_hooks(
            services.article_update,
            article=article,
            user=None,
            title_zh_hans="补办流量卡",
        )
        run_hooks(services.article_publish, article=article, user=None)
        assert found(tenant_a, "补办") == ["cancel-esim"]
        reverted = run_hooks(
            services.article_revert, article=article, user=None, revision_id=first.pk
        )
        run_hooks(services.article_publish, article=reverted, user=None)
    assert found(tenant_a, "注销") == ["cancel-esim"]
    assert found(tenant_a, "补办") == []


def test_disabling_and_enabling_a_language_follows_in_the_index(tenant_a, article):
    tenant = Tenant.objects.get(pk=tenant_a.pk)
    tenant.languages = ["zh-hans"]
    tenant.save()
    assert found(tenant, "cancel esim", "en") == []
    assert set(SearchDocument.unscoped.values_list("language", flat=True)) == {
        "zh-hans"
    }
    tenant.languages = ["zh-hans", "en"]
    tenant.save()
    assert found(tenant, "cancel esim", "en") == ["cancel-esim"]


def test_rebuild_search_index_rebuilds_from_publications(tenant_a, tenant_b, article):
    make_article(tenant_b, "beta-guide", publish=True)  # hooks not run: not indexed
    SearchDocument.unscoped.filter(tenant=tenant_a).delete()
    out = io.StringIO()
    call_command("rebuild_search_index", stdout=out)
    assert "Indexed 4 documents" in out.getvalue()
    assert found(tenant_a, "注销") == ["cancel-esim"]
    assert found(tenant_b, "注销") == ["beta-guide"]
    call_command("rebuild_search_index", "--tenant", "alpha", stdout=out)
    assert SearchDocument.unscoped.count() == 4


def test_rebuild_search_index_names_an_unknown_tenant(db):
    with pytest.raises(CommandError, match="Unknown tenant"):
        call_command("rebuild_search_index", "--tenant", "nope")
