"""Which procedures are stale: ``guides.selectors.freshness``."""

from datetime import timedelta

import pytest
from django.utils import timezone

from guides.models import Article
from guides.selectors.freshness import is_stale, stale_articles
from tests.factories import make_article

pytestmark = pytest.mark.django_db


def _age(article, *, created_days=0, verified_days=None, interval=None):
    """Move an article's creation and verification into the past (test setup)."""
    now = timezone.now()
    Article.unscoped.filter(pk=article.pk).update(
        created_at=now - timedelta(days=created_days),
        last_verified_at=(
            None if verified_days is None else now - timedelta(days=verified_days)
        ),
        review_interval_days=interval,
    )
    article.refresh_from_db()
    return article


def test_stale_rule(tenant_a, tenant_b, django_assert_num_queries):
    """Published articles past last verification (or creation) + interval are
    stale; the article's own interval wins over the tenant's; drafts and other
    tenants' articles never are."""
    # given (the tenant's default interval is 180 days)
    fresh = _age(make_article(tenant_a, "fresh", publish=True), created_days=10)
    never = _age(make_article(tenant_a, "never", publish=True), created_days=200)
    verified_long_ago = _age(
        make_article(tenant_a, "old", publish=True),
        created_days=400,
        verified_days=181,
    )
    verified_recently = _age(
        make_article(tenant_a, "recent", publish=True),
        created_days=400,
        verified_days=20,
    )
    short_interval = _age(
        make_article(tenant_a, "short", publish=True),
        created_days=400,
        verified_days=20,
        interval=14,
    )
    long_interval = _age(
        make_article(tenant_a, "long", publish=True), created_days=300, interval=365
    )
    _age(make_article(tenant_a, "draft"), created_days=400)
    _age(make_article(tenant_b, "other", publish=True), created_days=400)
    # when
    with django_assert_num_queries(1):
        stale = list(stale_articles(tenant_a))
    # then: most overdue first
    assert [a.slug for a in stale] == ["never", "short", "old"]
    assert all(a.review_due_at <= timezone.now() for a in stale)
    for article in (never, verified_long_ago, short_interval):
        assert is_stale(article, tenant=tenant_a)
    for article in (fresh, verified_recently, long_interval):
        assert not is_stale(article, tenant=tenant_a)


def test_tenant_default_interval(tenant_a):
    """Changing the tenant's default interval changes which articles are stale."""
    _age(make_article(tenant_a, "a", publish=True), created_days=40)
    assert not stale_articles(tenant_a).exists()
    tenant_a.review_interval_days = 30
    assert [a.slug for a in stale_articles(tenant_a)] == ["a"]
