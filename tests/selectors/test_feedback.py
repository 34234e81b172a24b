"""guides.selectors.feedback: readers' answers, summed up for a tenant's editors.

Each selector takes the tenant explicitly, counts that tenant's answers only,
and is one query however many answers and articles there are.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from guides import services
from guides.models import Feedback, Publication
from guides.selectors import feedback as selectors
from guides.tenancy import tenant_context
from tests.factories import make_article

pytestmark = pytest.mark.django_db

_readers = iter(range(1, 1_000_000))


def published(tenant, slug: str = "cancel-esim", **fields):
    """Return a published article of ``tenant`` and its publication."""
    article = make_article(tenant, slug, publish=True, **fields)
    with tenant_context(tenant):
        return article, Publication.objects.get(article=article)


def answer(publication, *, helpful: bool, comment: str = "", language: str = "en"):
    """Store one reader's answer, from a reader of its own."""
    with tenant_context(publication.tenant):
        return services.feedback_submit(
            publication=publication,
            language=language,
            helpful=helpful,
            comment=comment,
            client_address=f"198.51.100.{next(_readers) % 250}",
        )


def test_summary_counts_yes_and_no_all_time_and_recently(tenant_a):
    article, publication = published(tenant_a)
    for helpful in (True, True, True, False):
        answer(publication, helpful=helpful)
    summary = selectors.article_feedback_summary(tenant=tenant_a, article=article)
    assert (summary.yes, summary.no, summary.total) == (3, 1, 4)
    assert (summary.recent_yes, summary.recent_no) == (3, 1)
    assert summary.helpful_percent == 75 and summary.recent_helpful_percent == 75
    assert summary.days == selectors.RECENT_DAYS
    # seen from 31 days later, nothing is recent any more
    later = timezone.now() + timedelta(days=selectors.RECENT_DAYS + 1)
    old = selectors.article_feedback_summary(
        tenant=tenant_a, article=article, now=later
    )
    assert (old.yes, old.no, old.recent_yes, old.recent_no) == (3, 1, 0, 0)
    assert old.recent_helpful_percent is None


def test_an_article_without_answers_has_no_percentage(tenant_a):
    article, _publication = published(tenant_a)
    summary = selectors.article_feedback_summary(tenant=tenant_a, article=article)
    assert summary.total == 0
    assert summary.helpful_percent is None


def test_another_tenants_answers_are_never_counted(tenant_a, tenant_b):
    """Asked for tenant A, even an article of B's reports none of B's answers."""
    article_a, publication_a = published(tenant_a)
    article_b, publication_b = published(tenant_b)
    answer(publication_a, helpful=True, comment="Clear")
    answer(publication_b, helpful=False, comment="Beta's secret")
    answer(publication_b, helpful=False)
    mine = selectors.article_feedback_summary(tenant=tenant_a, article=article_a)
    assert (mine.yes, mine.no) == (1, 0)
    crossed = selectors.article_feedback_summary(tenant=tenant_a, article=article_b)
    assert crossed.total == 0
    assert selectors.article_feedback_comments(tenant=tenant_a, article=article_b) == []
    worst = selectors.articles_by_feedback(tenant=tenant_a)
    assert [a.pk for a in worst] == [article_a.pk]


def test_an_answer_tagged_with_another_tenant_is_not_counted(tenant_a, tenant_b):
    """A row of tenant B on A's article (a bug elsewhere) never shows in A's counts."""
    article, publication = published(tenant_a)
    answer(publication, helpful=True)
    Feedback.unscoped.create(
        tenant=tenant_b, article=article, language="en", helpful=False, comment="x"
    )
    summary = selectors.article_feedback_summary(tenant=tenant_a, article=article)
    assert (summary.yes, summary.no) == (1, 0)
    assert selectors.article_feedback_comments(tenant=tenant_a, article=article) == []
    [listed] = selectors.articles_by_feedback(tenant=tenant_a)
    assert (listed.feedback_yes, listed.feedback_no) == (1, 0)


def test_comments_are_the_latest_that_say_something(tenant_a):
    article, publication = published(tenant_a)
    answer(publication, helpful=True)  # no comment: left out
    for n in range(selectors.LATEST_COMMENTS + 2):
        answer(publication, helpful=n % 2 == 0, comment=f"Comment {n}")
    comments = selectors.article_feedback_comments(tenant=tenant_a, article=article)
    expected = [f"Comment {n}" for n in range(selectors.LATEST_COMMENTS + 1, 1, -1)]
    assert [c.comment for c in comments] == expected
    assert (
        len(
            selectors.article_feedback_comments(
                tenant=tenant_a, article=article, limit=2
            )
        )
        == 2
    )


def test_articles_by_feedback_put_the_most_no_answers_first(tenant_a):
    """Most "no", then most recent "no", then fewest "yes"; unanswered left out."""
    liked_p = published(tenant_a, "liked", title_en="Liked")[1]
    mixed_p = published(tenant_a, "mixed")[1]
    disliked_p = published(tenant_a, "disliked")[1]
    published(tenant_a, "unanswered")
    for _ in range(3):
        answer(liked_p, helpful=True)
    answer(mixed_p, helpful=True)
    answer(mixed_p, helpful=False)
    answer(disliked_p, helpful=False)
    answer(disliked_p, helpful=False)
    worst = selectors.articles_by_feedback(tenant=tenant_a)
    assert [a.slug for a in worst] == ["disliked", "mixed", "liked"]
    assert [
        (a.feedback_yes, a.feedback_no, a.feedback_recent_no, a.helpful_percent)
        for a in worst
    ] == [(0, 2, 2, 0), (1, 1, 1, 50), (3, 0, 0, 100)]
    assert worst[2].title_en == "Liked"
    assert [
        a.slug for a in selectors.articles_by_feedback(tenant=tenant_a, limit=1)
    ] == ["disliked"]


@pytest.mark.parametrize("articles", [1, 5])
def test_each_selector_is_one_query_whatever_the_number_of_answers(
    tenant_a, django_assert_num_queries, articles
):
    target = None
    for n in range(articles):
        article, publication = published(tenant_a, f"article-{n}")
        target = target or article
        for m in range(n + 2):
            answer(publication, helpful=m % 2 == 0, comment=f"{n}/{m}")
    with django_assert_num_queries(1):
        selectors.article_feedback_summary(tenant=tenant_a, article=target)
    with django_assert_num_queries(1):
        selectors.article_feedback_comments(tenant=tenant_a, article=target)
    with django_assert_num_queries(1):
        worst = selectors.articles_by_feedback(tenant=tenant_a)
    assert len(worst) == articles
