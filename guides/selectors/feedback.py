"""Reads about readers' "Was this helpful?" answers, for the tenant's editors.

Keyword-only and scoped to one tenant; each function is one query whatever
the number of answers, so the admin pages that show them keep a fixed query
count (tests/test_admin_preview_feedback.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Count, Q
from django.utils import timezone

from guides.models import Article, Feedback

#: The "recent" window of the summaries, in days.
RECENT_DAYS = 30
#: Comments shown on an article's change form.
LATEST_COMMENTS = 5


def _ratio(yes: int, no: int) -> int | None:
    """Return the share of "yes" answers in percent, or None without answers."""
    total = yes + no
    return round(100 * yes / total) if total else None


@dataclass(frozen=True)
class FeedbackSummary:
    """Yes and no counts of one article, all time and in the recent window."""

    yes: int
    no: int
    recent_yes: int
    recent_no: int
    days: int

    @property
    def total(self) -> int:
        return self.yes + self.no

    @property
    def helpful_percent(self) -> int | None:
        return _ratio(self.yes, self.no)

    @property
    def recent_helpful_percent(self) -> int | None:
        return _ratio(self.recent_yes, self.recent_no)


def article_feedback_summary(
    *, tenant, article: Article, days: int = RECENT_DAYS, now=None
) -> FeedbackSummary:
    """Return the article's yes and no counts, all time and of the last ``days``."""
    since = (now or timezone.now()) - timedelta(days=days)
    recent = Q(created_at__gte=since)
    counts = Feedback.unscoped.filter(tenant=tenant, article=article).aggregate(
        yes=Count("id", filter=Q(helpful=True)),
        no=Count("id", filter=Q(helpful=False)),
        recent_yes=Count("id", filter=Q(helpful=True) & recent),
        recent_no=Count("id", filter=Q(helpful=False) & recent),
    )
    return FeedbackSummary(days=days, **counts)


def article_feedback_comments(
    *, tenant, article: Article, limit: int = LATEST_COMMENTS
) -> list[Feedback]:
    """Return the article's latest answers that carry a comment, newest first."""
    return list(
        Feedback.unscoped.filter(tenant=tenant, article=article)
        .exclude(comment="")
        .only("id", "helpful", "comment", "language", "created_at")
        .order_by("-created_at", "-id")[:limit]
    )


def articles_by_feedback(
    *, tenant, days: int = RECENT_DAYS, limit: int = 10, now=None
) -> list[Article]:
    """Return the tenant's articles with the most "no" answers first.

    Each article carries ``feedback_yes``, ``feedback_no``,
    ``feedback_recent_no`` (of the last ``days``) and ``helpful_percent``.
    Articles nobody answered for are left out.
    """
    since = (now or timezone.now()) - timedelta(days=days)
    mine = Q(feedback__tenant=tenant)
    articles = list(
        Article.unscoped.filter(tenant=tenant)
        .annotate(
            feedback_yes=Count("feedback", filter=mine & Q(feedback__helpful=True)),
            feedback_no=Count("feedback", filter=mine & Q(feedback__helpful=False)),
            feedback_recent_no=Count(
                "feedback",
                filter=mine
                & Q(feedback__helpful=False, feedback__created_at__gte=since),
            ),
        )
        .filter(Q(feedback_yes__gt=0) | Q(feedback_no__gt=0))
        .only("id", "slug", *_title_columns())
        .order_by("-feedback_no", "-feedback_recent_no", "feedback_yes", "id")[:limit]
    )
    for article in articles:
        article.helpful_percent = _ratio(article.feedback_yes, article.feedback_no)
    return articles


def _title_columns() -> list[str]:
    from modeltranslation.settings import AVAILABLE_LANGUAGES
    from modeltranslation.utils import build_localized_fieldname

    return [
        "title",
        *(build_localized_fieldname("title", lang) for lang in AVAILABLE_LANGUAGES),
    ]
