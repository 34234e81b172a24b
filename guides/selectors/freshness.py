"""Freshness reads: which procedures are due for verification.

A procedure is **stale** when readers can see it (it has a publication) and
its review is due: ``last_verified_at`` plus its review interval is now or
in the past. A procedure never verified counts from its creation
(``created_at``), so one older than the interval is stale too. The
interval is the article's own ``review_interval_days`` when set, otherwise
the tenant's ``review_interval_days`` (180 days by default).

Drafts never published and archived procedures are never stale: nobody
reads them. Everything here is one query, tenant condition first.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import DateTimeField, F, Func, QuerySet, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from guides.models import Article, Tenant

#: How Django stores a datetime in SQLite (UTC text).
SQLITE_DATETIME = "%Y-%m-%d %H:%M:%f"


class PlusDays(Func):
    """``datetime + days`` (an integer expression), on SQLite and PostgreSQL.

    Django multiplies a duration by an integer on PostgreSQL only, so the
    date arithmetic is written per database.
    """

    output_field = DateTimeField()

    def as_sql(self, compiler, connection, **extra_context):
        # PostgreSQL (and the default): interval arithmetic.
        return super().as_sql(
            compiler,
            connection,
            template="(%(expressions)s * INTERVAL '1 day')",
            arg_joiner=" + ",
            **extra_context,
        )

    def as_sqlite(self, compiler, connection, **extra_context):
        # Stored as ISO text in UTC; the same text format back, so it compares
        # with datetime parameters and reads back as a datetime.
        when, days = self.get_source_expressions()
        sql, params = compiler.compile(when)
        days_sql, days_params = compiler.compile(days)
        return (
            f"strftime(%s, {sql}, '+' || ({days_sql}) || ' days')",
            (SQLITE_DATETIME, *params, *days_params),
        )


def with_review_due(articles: QuerySet, *, tenant: Tenant) -> QuerySet:
    """Annotate ``review_due_at``: when each article is due for verification."""
    return articles.annotate(
        review_due_at=PlusDays(
            Coalesce(F("last_verified_at"), F("created_at")),
            Coalesce(F("review_interval_days"), Value(tenant.review_interval_days)),
        )
    )


def stale_articles(tenant: Tenant, *, now: datetime | None = None) -> QuerySet:
    """Return ``tenant``'s published articles whose review is due, most overdue
    first (annotated with ``review_due_at``)."""
    now = now or timezone.now()
    articles = Article.unscoped.filter(tenant=tenant, publication__isnull=False)
    return (
        with_review_due(articles, tenant=tenant)
        .filter(review_due_at__lte=now)
        .order_by("review_due_at", "id")
    )


def is_stale(article: Article, *, tenant: Tenant, now: datetime | None = None) -> bool:
    """Return whether ``article`` is due for verification (no query).

    The same rule as ``stale_articles``, for one loaded article; whether it
    is published is the caller's to know.
    """
    return review_due_at(article, tenant=tenant) <= (now or timezone.now())


def review_due_at(article: Article, *, tenant: Tenant) -> datetime:
    """Return when ``article`` is due for verification (no query)."""
    days = article.review_interval_days or tenant.review_interval_days
    since = article.last_verified_at or article.created_at
    return since + timedelta(days=days)
