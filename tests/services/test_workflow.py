"""The editorial workflow: publish, unpublish, archive, and published slugs."""

import pytest
from django.core.exceptions import ValidationError

from guides import services
from guides.models import Article, Membership, Publication
from tests.factories import make_article, make_user

pytestmark = pytest.mark.django_db


def publication_slugs():
    return dict(Publication.objects.values_list("article_id", "slug"))


# --- unpublish and archive: one implementation ------------------------------------


@pytest.mark.parametrize(
    ("service", "status", "action"),
    [
        (services.article_unpublish, Article.Status.DRAFT, "unpublish"),
        (services.article_archive, Article.Status.ARCHIVED, "archive"),
    ],
)
def test_taking_an_article_down_removes_its_publication_once_committed(
    in_a, django_capture_on_commit_callbacks, service, status, action
):
    reviewer = make_user(tenant=in_a, role=Membership.Role.REVIEWER)
    article = make_article(in_a, publish=True)
    with django_capture_on_commit_callbacks() as callbacks:
        service(article=article, user=reviewer)
    assert callbacks
    fresh = Article.objects.get(pk=article.pk)
    assert fresh.status == status
    assert not Publication.objects.filter(article=article).exists()
    [latest, *_older] = services.article_revisions(article=article)
    assert (latest.meta.action, latest.user) == (action, reviewer)


@pytest.mark.parametrize(
    "service", [services.article_unpublish, services.article_archive]
)
def test_taking_an_article_down_needs_a_reviewer(in_a, service):
    from django.core.exceptions import PermissionDenied

    editor = make_user(tenant=in_a, role=Membership.Role.EDITOR)
    article = make_article(in_a, publish=True)
    with pytest.raises(PermissionDenied):
        service(article=article, user=editor)
    assert Publication.objects.filter(article=article).exists()


@pytest.mark.parametrize(
    "service",
    [services.article_unpublish, services.article_archive, services.article_submit],
)
def test_a_status_change_from_a_stale_copy_never_winds_the_lock_back(in_a, service):
    """The edit version only grows, so a stale editor tab stays refused."""
    article = make_article(in_a, publish=True)
    stale = Article.objects.get(pk=article.pk)
    services.article_update(article=article, user=None, title_en="Newer")
    current = Article.objects.get(pk=article.pk).lock_version
    service(article=stale, user=None)
    assert Article.objects.get(pk=article.pk).lock_version == current + 1


# --- a slug still held by another article's publication (finding 7) ---------------


def test_publishing_takes_a_slug_the_published_article_has_moved_away_from(in_a):
    # given: "old" is published, then renamed (a draft: readers still find it
    # at "old"), and a new article takes the slug "old"
    first = make_article(in_a, "old", publish=True, title_en="First")
    published = Publication.objects.get(article=first).content
    services.article_update(
        article=first, user=None, slug="renamed", title_en="First, draft"
    )
    second = make_article(in_a, "old", title_en="Second")
    # when: the new article is published
    publication = services.article_publish(article=second, user=None)
    # then: it takes the slug, and the first publication moves to its
    # article's new slug, its reviewed content unchanged
    assert publication.slug == "old"
    assert publication_slugs() == {first.pk: "renamed", second.pk: "old"}
    assert Publication.objects.get(article=first).content == published
    assert Article.objects.get(pk=first.pk).status == Article.Status.DRAFT
    [latest, *_older] = services.article_revisions(article=second)
    assert "renamed" in latest.comment


def test_publishing_releases_a_chain_of_moved_slugs(in_a):
    a = make_article(in_a, "x", publish=True)
    b = make_article(in_a, "y", publish=True)
    services.article_update(article=b, user=None, slug="z")
    services.article_update(article=a, user=None, slug="y")
    c = make_article(in_a, "x")
    services.article_publish(article=c, user=None)
    assert publication_slugs() == {a.pk: "y", b.pk: "z", c.pk: "x"}


def test_a_deleted_or_archived_articles_slug_can_be_published_again(in_a):
    deleted = make_article(in_a, "gone", publish=True)
    services.article_delete(article=deleted, user=None)
    archived = make_article(in_a, "retired", publish=True)
    services.article_archive(article=archived, user=None)
    services.article_update(article=archived, user=None, slug="retired-old")
    for slug in ("gone", "retired"):
        services.article_publish(article=make_article(in_a, slug), user=None)
    assert sorted(publication_slugs().values()) == ["gone", "retired"]


def test_a_publish_losing_a_race_for_the_slug_answers_a_message(in_a, monkeypatch):
    """The unique constraint is the last word; it answers as a message, not a 500."""
    from guides.services import workflow

    first = make_article(in_a, "old", publish=True)
    services.article_update(article=first, user=None, slug="renamed")
    second = make_article(in_a, "old")
    # a concurrent publish of the first article re-took the slug in between
    monkeypatch.setattr(workflow, "_release_slug", lambda **kwargs: [])
    with pytest.raises(ValidationError) as refused:
        services.article_publish(article=second, user=None)
    assert "old" in " ".join(refused.value.messages)
    assert publication_slugs() == {first.pk: "old"}
    assert Article.objects.get(pk=second.pk).status == Article.Status.DRAFT
