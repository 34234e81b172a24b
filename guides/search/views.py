"""Public search page, search-as-you-type JSON, and the result click redirect.

The search page and the click redirect write a ``SearchQuery`` row, so they
are never cached (``never_cache``); the suggest endpoint only reads and may
be cached briefly by a proxy (its URL holds host, language and query).

Each answers GET and HEAD only (anything else is a 405 that writes nothing),
and only a GET is logged. Logging is per reader: a query once per window, a
bounded number per window, and a click only through the token of the
reader's own result links (``guides.search.searching.log_gate``).
"""

from __future__ import annotations

import dataclasses

from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.http import urlencode
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from guides.models import SearchDocument
from guides.operations.clients import client_address
from guides.public import seo
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


def client_key(request) -> str:
    """Return the hashed key of the reader's address (through trusted proxies)."""
    return searching.client_key(client_address(request))


def _click_url(query_id: int | None, token: str, slug: str) -> str:
    if query_id is None:
        return article_url(slug)
    try:
        url = reverse(
            "guides:search_click", kwargs={"query_id": query_id, "slug": slug}
        )
    except NoReverseMatch:
        return article_url(slug)
    return f"{url}?{urlencode({'t': token})}"


def _carried_query_id(request, client: str) -> int | None:
    """Return the query id a later page carries, if it is this reader's own."""
    qid = request.GET.get("qid", "")
    if not (qid.isdigit() and len(qid) < 19):
        return None
    allowed = searching.click_allowed(
        tenant_id=request.tenant.pk,
        query_id=int(qid),
        client=client,
        token=request.GET.get("t", ""),
    )
    return int(qid) if allowed else None


def search_alternates(request, params: dict) -> list:
    """Return the search page in each of the tenant's languages, same query.

    For the header's language switcher; the page is ``noindex``, so these
    are links for readers, not for search engines.
    """
    query = urlencode({k: v for k, v in params.items() if v})
    return [
        dataclasses.replace(
            alt,
            url=f"{alt.url}?{query}" if query else alt.url,
            path=f"{alt.path}?{query}" if query else alt.path,
        )
        for alt in seo.alternates(request, "guides:search", request.tenant.languages)
    ]


def page_numbers(page: int, num_pages: int, around: int = 2) -> list[int | None]:
    """Return the page numbers a pagination shows, ``None`` for a gap.

    The first and last pages and ``around`` pages either side of ``page``:
    ``1 … 4 5 [6] 7 8 … 20``.
    """
    shown = sorted(
        {1, num_pages, *range(max(1, page - around), min(num_pages, page + around) + 1)}
    )
    out: list[int | None] = []
    for number in shown:
        if out and number - out[-1] > 1:
            out.append(None)
        out.append(number)
    return out


@require_safe
@never_cache
def search(request, *args, **kwargs):
    """Render ranked, filtered, paginated results for ``?q=`` in the tenant.

    A blank query shows the empty search box; a query without results (or
    without a searchable word) shows popular procedures and the carriers'
    hotlines. Any input answers 200.
    """
    language = reader_language(request)
    raw_query = request.GET.get("q", "")
    query = _printable(raw_query, MAX_BOX_CHARS)
    carrier = _printable(request.GET.get("carrier", ""), 80)
    card = _printable(request.GET.get("card", ""), 80)
    client = client_key(request)
    outcome = searching.search(
        tenant=request.tenant,
        language=language,
        query=raw_query,
        carrier=carrier,
        card_type=card,
        page=request.GET.get("page", 1),
        log=request.method == "GET",
        client=client,
    )
    query_id = outcome.query_id
    if query_id is None:
        query_id = _carried_query_id(request, client)
    token = (
        searching.click_token(
            tenant_id=request.tenant.pk, query_id=query_id, client=client
        )
        if query_id is not None
        else ""
    )
    for result in outcome.results:
        result.url = _click_url(query_id, token, result.slug)
    popular, hotlines = [], []
    if query and not outcome.total:
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
            "alternates": search_alternates(
                request,
                {
                    "q": query,
                    "carrier": outcome.carrier.slug if outcome.carrier else "",
                    "card": outcome.card_type.slug if outcome.card_type else "",
                },
            ),
            "page_numbers": page_numbers(outcome.page, outcome.num_pages),
            "search_stylesheet": static("guides/search.css"),
            "query": query,
            "outcome": outcome,
            "results": outcome.results,
            "result_count": outcome.total,
            "query_id": query_id,
            "click_token": token,
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


@require_safe
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


@require_safe
@never_cache
def search_click(request, query_id, slug, *args, **kwargs):
    """Record that the reader of search ``query_id`` opened ``slug``; redirect there.

    Both are looked up in the request's tenant only: a slug of another tenant
    answers 404 like a missing one, and another tenant's query id is ignored.
    The click is recorded only on a GET carrying the reader's own token for
    the query (``searching.click_token``); the redirect is the same either way.
    """
    language = reader_language(request)
    document = (
        SearchDocument.objects.filter(slug=slug, language=language)
        .only("article_id", "slug")
        .first()
    )
    if document is None:
        raise Http404
    if request.method == "GET" and searching.click_allowed(
        tenant_id=request.tenant.pk,
        query_id=query_id,
        client=client_key(request),
        token=request.GET.get("t", ""),
    ):
        searching.record_click(query_id=query_id, article_id=document.article_id)
    return HttpResponseRedirect(article_url(document.slug))
