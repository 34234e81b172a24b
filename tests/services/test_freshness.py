"""Marking a procedure as verified, and its review interval
(``guides.services.freshness``)."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from guides import services
from guides.models import Article, Membership, Publication, RevisionMeta
from guides.selectors.freshness import stale_articles
from guides.tenancy import tenant_context
from tests.factories import make_article, make_user

pytestmark = pytest.mark.django_db


def _stale(article):
    Article.unscoped.filter(pk=article.pk).update(
        created_at=timezone.now() - timedelta(days=365)
    )
    article.refresh_from_db()
    return article


def test_verify_records_one_tagged_revision_and_only_the_freshness(in_a, english):
    """One revision (action verify, "Verified: …", the tenant); status, edit
    version, updated_at and translation state stay, and it is no longer stale."""
    # given: a published article with pending edits, due for verification
    editor = make_user(tenant=in_a, role=Membership.Role.EDITOR)
    article = _stale(make_article(in_a, publish=True))
    services.article_update(article=article, user=editor, title_en="Cancel eSIM now")
    article.refresh_from_db()
    before = Article.objects.values(
        "status", "lock_version", "updated_at", "translation_state", "title_en"
    ).get(pk=article.pk)
    revisions = services.article_revisions(article=article).count()
    assert list(stale_articles(in_a)) == [article]
    # when
    services.article_verify(
        article=article, user=editor, comment="Called 10086, still right"
    )
    # then
    fresh = Article.objects.get(pk=article.pk)
    assert fresh.last_verified_by == editor
    assert timezone.now() - fresh.last_verified_at < timedelta(minutes=1)
    assert Article.objects.values(*before).get(pk=article.pk) == before, (
        "verifying changed the working copy"
    )
    assert Publication.objects.filter(article=article).exists()
    assert services.article_revisions(article=article).count() == revisions + 1
    latest = services.article_revisions(article=article).first()
    assert latest.comment == "Verified: Called 10086, still right"
    assert latest.user == editor
    assert (latest.meta.action, latest.meta.tenant_id) == (
        RevisionMeta.Action.VERIFY,
        in_a.pk,
    )
    assert not stale_articles(in_a).exists()


def test_verify_without_comment(in_a, english):
    article = make_article(in_a)
    services.article_verify(article=article, user=None)
    assert services.article_revisions(article=article).first().comment == "Verified"


def test_verify_needs_a_member_and_answers_another_tenants_article_as_missing(
    tenant_a, tenant_b
):
    stranger = make_user(tenant=tenant_b)
    article = make_article(tenant_a)
    with tenant_context(tenant_a), pytest.raises(PermissionDenied):
        services.article_verify(article=article, user=stranger)
    with tenant_context(tenant_b), pytest.raises(Article.DoesNotExist):
        services.article_verify(article=article, user=stranger)
    assert Article.unscoped.get(pk=article.pk).last_verified_at is None


def test_verify_can_set_the_articles_review_interval(in_a):
    """An interval set with the verification decides when it is due again;
    None returns to the help center's default; out of range is refused."""
    article = _stale(make_article(in_a, publish=True))
    services.article_verify(article=article, user=None, review_interval_days=30)
    assert Article.objects.get(pk=article.pk).review_interval_days == 30
    Article.objects.filter(pk=article.pk).update(
        last_verified_at=timezone.now() - timedelta(days=31)
    )
    assert stale_articles(in_a).exists()
    services.article_review_interval_set(
        article=article, user=None, review_interval_days=None
    )
    assert Article.objects.get(pk=article.pk).review_interval_days is None
    assert not stale_articles(in_a).exists()
    for bad in (0, 3651, "soon", -3):
        with pytest.raises(ValidationError):
            services.article_verify(
                article=article, user=None, review_interval_days=bad
            )
    assert Article.objects.get(pk=article.pk).review_interval_days is None


def test_editing_services_do_not_take_the_freshness_fields(in_a):
    """Only the freshness services write them: an edit or an import cannot."""
    article = make_article(in_a)
    for field, value in (
        ("last_verified_at", timezone.now()),
        ("review_interval_days", 3),
        ("last_verified_by", None),
    ):
        with pytest.raises(ValidationError):
            services.article_update(article=article, user=None, **{field: value})


def test_a_revert_keeps_the_verification(in_a):
    """A revert restores content only: the verification made later stays."""
    article = make_article(in_a)
    first = services.article_revisions(article=article).last()
    services.article_update(article=article, user=None, title_en="Changed")
    services.article_verify(article=article, user=None, review_interval_days=90)
    verified = Article.objects.get(pk=article.pk).last_verified_at
    services.article_revert(article=article, user=None, revision_id=first.pk)
    reverted = Article.objects.get(pk=article.pk)
    assert reverted.title_en == "Cancel an eSIM"
    assert (reverted.last_verified_at, reverted.review_interval_days) == (verified, 90)


def test_the_tenants_default_interval_is_a_setting(in_a):
    """A manager changes the help center's interval in its settings; out of
    range is refused."""
    manager = make_user(tenant=in_a, role=Membership.Role.MANAGER)
    article = make_article(in_a, publish=True)
    Article.objects.filter(pk=article.pk).update(
        created_at=timezone.now() - timedelta(days=40)
    )
    assert not stale_articles(in_a).exists()
    in_a.review_interval_days = 30
    services.tenant_settings_update(tenant=in_a, user=manager)
    in_a.refresh_from_db()
    assert in_a.review_interval_days == 30
    assert list(stale_articles(in_a)) == [article]
    in_a.review_interval_days = 0
    with pytest.raises(ValidationError):
        services.tenant_settings_update(tenant=in_a, user=manager)
