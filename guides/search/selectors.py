"""Reads about searches: what readers look for and what they could not find."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Count, IntegerField, Max, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from guides.models import Channel, SearchDocument, SearchQuery


def _recent(*, tenant, days: int, language: str | None):
    since = timezone.now() - timedelta(days=days)
    queries = SearchQuery.unscoped.filter(tenant=tenant, created_at__gte=since).exclude(
        query=""
    )
    if language:
        queries = queries.filter(language=language)
    return queries


def top_queries(
    *, tenant, days: int = 30, limit: int = 20, language: str | None = None
):
    """Return the tenant's most frequent queries of the last ``days`` days.

    Each row: ``query``, ``searches``, ``clicks`` (searches followed by a
    click on a result), ``zero_results`` (searches that found nothing),
    ``last_searched``. Most searched first.
    """
    return list(
        _recent(tenant=tenant, days=days, language=language)
        .values("query")
        .annotate(
            searches=Count("id"),
            clicks=Count("id", filter=Q(clicked_article__isnull=False)),
            zero_results=Count("id", filter=Q(result_count=0)),
            last_searched=Max("created_at"),
        )
        .order_by("-searches", "query")[:limit]
    )


def zero_result_queries(
    *, tenant, days: int = 30, limit: int = 20, language: str | None = None
):
    """Return the tenant's queries that found nothing, most frequent first.

    Each row: ``query``, ``searches``, ``last_searched``.
    """
    return list(
        _recent(tenant=tenant, days=days, language=language)
        .filter(result_count=0)
        .values("query")
        .annotate(searches=Count("id"), last_searched=Max("created_at"))
        .order_by("-searches", "query")[:limit]
    )


def popular_documents(*, language: str, days: int = 30, limit: int = 5):
    """Return the current tenant's most clicked search documents in ``language``.

    Procedures nobody clicked lately follow, newest first.
    """
    since = timezone.now() - timedelta(days=days)
    clicks = (
        SearchQuery.objects.filter(
            clicked_article=OuterRef("article_id"), created_at__gte=since
        )
        .values("clicked_article")
        .annotate(n=Count("id"))
        .values("n")
    )
    return list(
        SearchDocument.objects.filter(language=language)
        .annotate(clicks=Coalesce(Subquery(clicks, output_field=IntegerField()), 0))
        .only("slug", "title", "summary", "published_at", "article_id")
        .order_by("-clicks", "-published_at", "id")[:limit]
    )


def hotlines(*, carrier_slug: str | None = None, limit: int = 6):
    """Return the current tenant's hotline channels (of one carrier if given)."""
    channels = Channel.objects.filter(kind=Channel.Kind.HOTLINE).select_related(
        "carrier"
    )
    if carrier_slug:
        channels = channels.filter(carrier__slug=carrier_slug)
    return list(
        channels.order_by("carrier__sort_order", "carrier__slug", "sort_order", "id")[
            :limit
        ]
    )


__all__ = ["hotlines", "popular_documents", "top_queries", "zero_result_queries"]
