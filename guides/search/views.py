"""Public search page, search-as-you-type JSON, and the result click redirect.

The search page and the click redirect write a ``SearchQuery`` row, so they
are never cached (``never_cache``); the suggest endpoint only reads and may
be cached briefly by a proxy (its URL holds host, language and query).
"""

from __future__ import annotations

from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache

from guides.models import SearchDocument, SearchQuery
from guides.search import searching, selectors

MAX_BOX_CHARS = 200


def reader_language(request) -> str:
    """Return the request's language if the tenant offers it, else its default."""
    tenant = request.tenant
    language = translation.get_language()
    return language if language in tenant.languages else tenant.default_language


def article_url(slug: str) -> str:
    """Return the public URL of a procedure in the active language."""
    try:
        return reverse("guides:article_detail", kwargs={"slug": slug})
    except NoReverseMatch:
        return f"/{translation.get_language()}/guides/{slug}/"


def _printable(value: str, limit: int) -> str:
    """Return user input fit to show again: no control characters, trimmed."""
    return "".join(c if c.isprintable() else " " for c in value[:limit]).strip()


def _click_url(query_id: int | None, slug: str) -> str:
    if query_id is None:
        return article_url(slug)
    try:
        return reverse(
            "guides:search_click", kwargs={"query_id": query_id, "slug": slug}
        )
    except NoReverseMatch:
        return article_url(slug)


@never_cache
def search(request, *args, **kwargs):
    """Render ranked, filtered, paginated results for ``?q=`` in the tenant.

    A blank query shows the empty search box; a query without results shows
    popular procedures and the carriers' hotlines. Any input answers 200.
    """
    language = reader_language(request)
    raw_query = request.GET.get("q", "")
    query = _printable(raw_query, MAX_BOX_CHARS)
    carrier = _printable(request.GET.get("carrier", ""), 80)
    card = _printable(request.GET.get("card", ""), 80)
    outcome = searching.search(
        tenant=request.tenant,
        language=language,
        query=raw_query,
        carrier=carrier,
        card_type=card,
        page=request.GET.get("page", 1),
    )
    query_id = outcome.query_id
    if query_id is None:
        qid = request.GET.get("qid", "")
        query_id = int(qid) if qid.isdigit() and len(qid) < 19 else None
    for result in outcome.results:
        result.url = _click_url(query_id, result.slug)
    popular, hotlines = [], []
    if outcome.normalized and not outcome.total:
        popular = selectors.popular_documents(language=language)
        for doc in popular:
            doc.url = article_url(doc.slug)
        hotlines = selectors.hotlines(
            carrier_slug=outcome.carrier and outcome.carrier.slug
        )
    return render(
        request,
        "guides/search.html",
        {
            "language": language,
            "query": query,
            "outcome": outcome,
            "results": outcome.results,
            "result_count": outcome.total,
            "query_id": query_id,
            "popular": popular,
            "hotlines": hotlines,
            "result_summary": ngettext(
                "%(counter)s procedure found",
                "%(counter)s procedures found",
                outcome.total,
            )
            % {"counter": outcome.total},
        },
    )


def suggest(request, *args, **kwargs):
    """Return ``{"query": ..., "suggestions": [{"title", "url"}]}``, at most eight."""
    language = reader_language(request)
    query = _printable(request.GET.get("q", ""), 100)
    suggestions = [
        {"title": item["title"], "url": article_url(item["slug"])}
        for item in searching.suggest(
            tenant=request.tenant, language=language, query=query
        )
    ]
    response = JsonResponse({"query": query, "suggestions": suggestions})
    patch_cache_control(response, public=True, max_age=60)
    return response


@never_cache
def search_click(request, query_id, slug, *args, **kwargs):
    """Record that the reader of search ``query_id`` opened ``slug``; redirect there.

    Both are looked up in the request's tenant only: a slug of another tenant
    answers 404 like a missing one, and another tenant's query id is ignored.
    """
    language = reader_language(request)
    document = (
        SearchDocument.objects.filter(slug=slug, language=language)
        .only("article_id", "slug")
        .first()
    )
    if document is None:
        raise Http404
    SearchQuery.objects.filter(pk=query_id, clicked_article__isnull=True).update(
        clicked_article_id=document.article_id
    )
    return HttpResponseRedirect(article_url(document.slug))
