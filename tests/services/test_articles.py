"""The article services: create, update and delete, one tagged revision each."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from reversion.models import Revision

from guides import services
from guides.models import Article, Membership, Publication, RevisionMeta, SearchDocument
from guides.services import articles as article_services
from guides.tenancy import tenant_context
from tests.factories import make_article, make_carrier, make_user, step

pytestmark = pytest.mark.django_db


@pytest.fixture
def bumps(monkeypatch):
    """Record the content-generation bumps the article services make."""
    calls: list[int] = []
    monkeypatch.setattr(article_services, "bump_content_generation", calls.append)
    return calls


def test_create_and_update_record_one_tagged_revision_each(in_a):
    editor = make_user(tenant=in_a, role=Membership.Role.EDITOR)
    before = Revision.objects.count()
    article = services.article_create(
        user=editor, slug="new", title_zh_hans="新", parts={"steps": [step(1)]}
    )
    services.article_update(article=article, user=editor, title_en="New")
    assert Revision.objects.count() == before + 2
    metas = RevisionMeta.unscoped.filter(article_id=article.pk).order_by("pk")
    assert [(m.tenant_id, m.action, m.revision.user) for m in metas] == [
        (in_a.pk, RevisionMeta.Action.CREATE, editor),
        (in_a.pk, RevisionMeta.Action.EDIT, editor),
    ]


def test_parts_with_an_id_of_another_article_are_refused(in_a, english):
    mine = make_article(in_a, "mine", steps=1)
    other = make_article(in_a, "other", steps=1)
    foreign = other.steps.get()
    with pytest.raises(ValidationError, match="has no step with id"):
        services.article_update(
            article=mine, user=None, parts={"steps": [{"id": foreign.pk}]}
        )
    assert list(other.steps.all()) == [foreign]


def test_delete_records_one_tagged_revision_and_unindexes_after_commit(
    in_a, bumps, django_capture_on_commit_callbacks
):
    reviewer = make_user(tenant=in_a, role=Membership.Role.REVIEWER)
    with django_capture_on_commit_callbacks(execute=True):
        article = make_article(in_a, publish=True)
    assert SearchDocument.objects.filter(article_id=article.pk).exists()
    bumps.clear()
    before = Revision.objects.count()
    pk = article.pk
    with django_capture_on_commit_callbacks() as callbacks:
        services.article_delete(article=article, user=reviewer, comment="Spam")
    # the revision and the pages' generation are written with the delete
    assert Revision.objects.count() == before + 1
    meta = RevisionMeta.unscoped.get(article_id=pk, action=RevisionMeta.Action.DELETE)
    assert (meta.tenant_id, meta.revision.user) == (in_a.pk, reviewer)
    assert meta.revision.get_comment() == "Spam"
    assert meta.revision.version_set.count() == 1 + 3 + 1 + 1 + 1
    assert not Publication.objects.filter(article_id=pk).exists()
    assert bumps == [in_a.pk]
    for callback in callbacks:
        callback()
    assert not SearchDocument.objects.filter(article_id=pk).exists()
    # and it is a deleted article, ready to recover
    assert [v.object_id for v in services.deleted_articles(tenant=in_a)] == [str(pk)]


def test_deleting_a_draft_leaves_the_cached_pages_alone(
    in_a, bumps, django_capture_on_commit_callbacks
):
    article = make_article(in_a)
    with django_capture_on_commit_callbacks(execute=True):
        services.article_delete(article=article, user=None)
    assert bumps == []


@pytest.mark.parametrize("role", [Membership.Role.EDITOR, None])
def test_delete_needs_a_reviewer_of_the_tenant(in_a, tenant_b, role):
    article = make_article(in_a)
    user = (
        make_user(tenant=in_a, role=role)
        if role
        else make_user(tenant=tenant_b, role=Membership.Role.MANAGER)
    )
    before = Revision.objects.count()
    with pytest.raises(PermissionDenied):
        services.article_delete(article=article, user=user)
    assert Article.objects.filter(pk=article.pk).exists()
    assert Revision.objects.count() == before


def test_another_tenants_article_is_missing(tenant_a, tenant_b):
    theirs = make_article(tenant_b)
    before = Revision.objects.count()
    with tenant_context(tenant_a), pytest.raises(Article.DoesNotExist):
        services.article_delete(article=theirs, user=None)
    with tenant_context(tenant_a), pytest.raises(Article.DoesNotExist):
        services.article_update(article=theirs, user=None, title_en="Mine now")
    assert Article.unscoped.get(pk=theirs.pk).title_en == "Cancel an eSIM"
    assert Revision.objects.count() == before


def test_a_steps_channel_must_be_the_articles_carriers(in_a, english):
    own = make_carrier(in_a, slug="own")
    other = make_carrier(in_a, slug="other", hotline="10010")
    article = make_article(in_a, carrier=own, steps=0)
    with pytest.raises(ValidationError, match="must belong to the article"):
        services.article_update(
            article=article,
            user=None,
            parts={"steps": [step(1, channel=other.channels.get())]},
        )
    assert not article.steps.exists()


@pytest.mark.parametrize(
    "field",
    ["status", "publish_at", "unpublish_at", "lock_version", "author", "created_at"],
)
def test_the_editing_services_refuse_workflow_and_schedule_fields(in_a, field):
    """Only the workflow and scheduling services change status and schedule:
    an edit (admin, import, API) can never set when an article is published."""
    editor = make_user(tenant=in_a)
    article = make_article(in_a, "guarded")
    version = article.lock_version
    with pytest.raises(ValidationError, match=field):
        services.article_update(article=article, user=editor, **{field: None})
    with pytest.raises(ValidationError, match=field):
        services.article_create(user=editor, slug="other", **{field: None})
    article.refresh_from_db()
    assert article.publish_at is None and article.lock_version == version
