"""The public, read-only API: published content of the host's tenant.

Procedures are read from their publications (frozen at publish), never from
an article's working copy, so a draft cannot reach this API or its cache.
Each operation's query count is fixed: it does not grow with the page size,
the number of steps or of channels (tests/api/test_public.py).
"""

from __future__ import annotations

from datetime import UTC, datetime

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from modeltranslation.utils import build_localized_fieldname
from ninja import Path, Query, Router
from ninja.decorators import decorate_view

from guides.api import schemas
from guides.api.errors import Problem
from guides.api.http import client_address, public_read, request_language
from guides.api.middleware import is_head
from guides.api.pagination import CURSOR_PATTERN, DEFAULT_LIMIT, MAX_LIMIT, page
from guides.api.schemas import LANGUAGE_PATTERN, SLUG_PATTERN
from guides.models import CardType, Carrier, Channel, Publication
from guides.public import seo
from guides.public.renditions import current_facts
from guides.publishing.snapshot import localized, plain_text
from guides.search import searching
from guides.selectors import public as selectors

router = Router(tags=["public"])

#: Answers every public operation may give besides its 200.
ERRORS = {
    304: None,
    404: schemas.ProblemOut,
    422: schemas.ProblemOut,
    429: schemas.ProblemOut,
}

Lang = Query(
    None,
    pattern=LANGUAGE_PATTERN,
    description="A language of the help center (default: Accept-Language).",
)


UpdatedSince = Query(
    None, description="Only procedures published at or after this time."
)


def _name(obj, language: str, fallback: str) -> str:
    return selectors.translated_name(obj, language=language, fallback=fallback)


def _text(obj, field: str, language: str, fallback: str) -> str:
    return localized(obj, field, language, fallback)[0]


def _channel(channel: Channel, language: str, fallback: str) -> dict:
    return {
        "kind": channel.kind,
        "label": _text(channel, "label", language, fallback),
        "value": channel.value,
        "href": channel.href,
        "opening_hours": _text(channel, "opening_hours", language, fallback),
    }


def page_url(request: HttpRequest, language: str, slug: str) -> str:
    """Return the absolute URL of a procedure's public page."""
    path = seo.localized_url("guides:article_detail", language, slug=slug)
    return seo.site_url(request, path)


def api_url(request: HttpRequest, language: str, slug: str) -> str:
    """Return the absolute URL of a procedure in this API."""
    path = reverse("api-1:procedure_detail", kwargs={"slug": slug})
    return seo.site_url(request, f"{path}?lang={language}")


@router.get(
    "/carriers",
    response={200: schemas.CarrierList, **ERRORS},
    url_name="carrier_list",
    summary="Carriers with their channels",
)
@decorate_view(public_read())
def carrier_list(request: HttpRequest, lang: str | None = Lang):
    """List the help center's carriers, each with its contact channels."""
    language = request_language(request)
    fallback = request.tenant.default_language
    carriers = Carrier.objects.order_by("sort_order", "slug").prefetch_related(
        "channels"
    )
    return {
        "items": [
            {
                "slug": carrier.slug,
                "name": _name(carrier, language, fallback),
                "description": _text(carrier, "description", language, fallback),
                "website": carrier.website,
                "channels": [
                    _channel(channel, language, fallback)
                    for channel in carrier.channels.all()
                ],
            }
            for carrier in carriers
        ]
    }


@router.get(
    "/card-types",
    response={200: schemas.CardTypeList, **ERRORS},
    url_name="card_type_list",
    summary="Card types",
)
@decorate_view(public_read())
def card_type_list(request: HttpRequest, lang: str | None = Lang):
    """List the help center's card types."""
    language = request_language(request)
    fallback = request.tenant.default_language
    return {
        "items": [
            {
                "slug": card.slug,
                "name": _name(card, language, fallback),
                "description": _text(card, "description", language, fallback),
            }
            for card in CardType.objects.order_by("sort_order", "slug")
        ]
    }


def _aware(moment: datetime) -> datetime:
    return moment if timezone.is_aware(moment) else moment.replace(tzinfo=UTC)


@router.get(
    "/procedures",
    response={200: schemas.ProcedurePage, 400: schemas.ProblemOut, **ERRORS},
    url_name="procedure_list",
    summary="Published procedures",
)
@decorate_view(public_read())
def procedure_list(
    request: HttpRequest,
    lang: str | None = Lang,
    carrier: str | None = Query(None, pattern=SLUG_PATTERN, max_length=80),
    card_type: str | None = Query(None, pattern=SLUG_PATTERN, max_length=80),
    updated_since: datetime | None = UpdatedSince,
    cursor: str | None = Query(None, pattern=CURSOR_PATTERN),
    limit: int = Query(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT),
):
    """List the procedures published in the language, last published first.

    Filter by carrier and card type slugs and by ``updated_since``; follow
    ``next_cursor`` for the next page.
    """
    language = request_language(request)
    fallback = request.tenant.default_language
    names = list(
        dict.fromkeys(
            build_localized_fieldname("name", code) for code in (language, fallback)
        )
    )
    queryset = (
        Publication.objects.filter(listing__has_key=language)
        .select_related("carrier", "card_type")
        .only(
            "id",
            "slug",
            "published_at",
            "listing",
            "carrier__id",
            "carrier__slug",
            "card_type__id",
            "card_type__slug",
            *(f"carrier__{name}" for name in names),
            *(f"card_type__{name}" for name in names),
        )
    )
    if carrier:
        queryset = queryset.filter(carrier__slug=carrier)
    if card_type:
        queryset = queryset.filter(card_type__slug=card_type)
    if updated_since is not None:
        try:
            since = _aware(updated_since)
            since.astimezone(UTC)
        except (OverflowError, ValueError):
            raise Problem(400, _("updated_since is out of range.")) from None
        queryset = queryset.filter(published_at__gte=since)
    rows, next_cursor = page(queryset, field="published_at", cursor=cursor, limit=limit)
    items = []
    for publication in rows:
        listed = publication.listing.get(language) or {}
        items.append(
            {
                "slug": publication.slug,
                "language": language,
                "title": listed.get("title") or publication.slug,
                "summary": listed.get("summary") or "",
                "published_at": publication.published_at,
                "carrier": _ref(publication.carrier, language, fallback),
                "card_type": _ref(publication.card_type, language, fallback),
                "url": page_url(request, language, publication.slug),
                "api_url": api_url(request, language, publication.slug),
            }
        )
    return {"items": items, "next_cursor": next_cursor}


def _ref(obj, language: str, fallback: str) -> dict | None:
    if obj is None:
        return None
    return {"slug": obj.slug, "name": _name(obj, language, fallback)}


@router.get(
    "/procedures/{slug}",
    response={200: schemas.ProcedureOut, **ERRORS},
    url_name="procedure_detail",
    summary="One published procedure",
)
@decorate_view(public_read())
def procedure_detail(
    request: HttpRequest,
    slug: str = Path(..., pattern=SLUG_PATTERN, max_length=120),
    lang: str | None = Lang,
):
    """Return a published procedure in the language: its steps, requirements,
    tips, FAQs, the carrier's channels and the page's JSON-LD."""
    tenant = request.tenant
    language = request_language(request)
    publication = selectors.publication_page(slug=slug, language=language)
    if publication is None:
        raise Problem(404, _("No such procedure in this help center."))
    languages = [
        code for code in tenant.ordered_languages() if code in publication.languages
    ]
    content = publication.content
    if content is None or language not in languages:
        raise Problem(
            404,
            _("This procedure is not published in that language."),
            languages=languages,
        )
    # Carrier and card-type names and the steps' channels are shared facts:
    # shown as they are now, like the page and the Markdown rendition show
    # them (a change bumps the content generation, so stored answers follow).
    content = current_facts(publication, language=language, tenant=tenant)
    url = page_url(request, language, slug)
    channels = []
    if content.get("carrier"):
        channels = [
            _channel(channel, language, tenant.default_language)
            for channel in Channel.objects.filter(
                carrier__slug=content["carrier"]["slug"]
            ).order_by("sort_order", "id")
        ]
    return {
        "slug": publication.slug,
        "language": language,
        "languages": languages,
        "title": content["title"],
        "summary": content.get("summary", ""),
        "introduction_html": content.get("introduction_html", ""),
        "estimated_time": content.get("estimated_time", ""),
        "fee_note": content.get("fee_note", ""),
        "published_at": publication.published_at,
        "url": url,
        "carrier": content.get("carrier"),
        "card_type": content.get("card_type"),
        "steps": [
            {
                "position": position,
                "title": step["title"],
                "body_html": step.get("body_html", ""),
                "body_text": step.get("body_text")
                or plain_text(step.get("body_html", "")),
                "channel": step.get("channel"),
                "duration_seconds": step.get("duration_seconds"),
                "duration_iso": step.get("duration_iso"),
            }
            for position, step in enumerate(content["steps"], start=1)
        ],
        "total_time_iso": content.get("total_time_iso"),
        "requirements": content.get("requirements", []),
        "tips": content.get("tips", []),
        "faqs": [
            {
                "question": faq["question"],
                "answer_html": faq.get("answer_html", ""),
                "answer_text": faq.get("answer_text")
                or plain_text(faq.get("answer_html", "")),
            }
            for faq in content.get("faqs", [])
        ],
        "channels": channels,
        "fallback_fields": content.get("fallback_fields", []),
        "json_ld": structured_data(request, content, language=language, url=url),
    }


def structured_data(
    request: HttpRequest, content: dict, *, language: str, url: str
) -> list[dict]:
    """Return the JSON-LD blocks the procedure's page carries, in its order."""
    tenant = request.tenant
    home = seo.site_url(request, seo.localized_url("guides:home", language))
    crumbs = [(tenant.name, home)]
    parent = content.get("carrier") or content.get("card_type")
    if parent:
        name = (
            "guides:carrier_detail"
            if content.get("carrier")
            else ("guides:card_type_detail")
        )
        path = seo.localized_url(name, language, slug=parent["slug"])
        crumbs.append((parent["name"], seo.site_url(request, path)))
    crumbs.append((content["title"], url))
    blocks = [
        seo.howto_ld(content, url=url, language=language),
        seo.faq_ld(content),
        seo.breadcrumb_ld(crumbs),
    ]
    return [block for block in blocks if block is not None]


@router.get(
    "/search",
    response={200: schemas.SearchOut, **ERRORS},
    url_name="search",
    summary="Search procedures",
)
@decorate_view(public_read(store=False))
def search(
    request: HttpRequest,
    q: str = Query("", max_length=200, description="What the reader typed."),
    lang: str | None = Lang,
    carrier: str | None = Query(None, pattern=SLUG_PATTERN, max_length=80),
    card_type: str | None = Query(None, pattern=SLUG_PATTERN, max_length=80),
    page: int = Query(1, ge=1, le=searching.MAX_PAGE),
):
    """Search published procedures with the site's engine; the query is logged
    for the editors like the site's (once per client and window)."""
    tenant = request.tenant
    language = request_language(request)
    query = "".join(c if c.isprintable() else " " for c in q)
    query = query.encode("utf-8", "replace").decode("utf-8")
    outcome = searching.search(
        tenant=tenant,
        language=language,
        query=query,
        carrier=carrier or "",
        card_type=card_type or "",
        page=page,
        log=not is_head(request),
        client=searching.client_key(client_address(request)),
    )

    def ref(facet):
        return {"slug": facet.slug, "name": facet.name} if facet else None

    return {
        "query": outcome.query,
        "language": language,
        "total": outcome.total,
        "page": outcome.page,
        "num_pages": outcome.num_pages,
        "partial": outcome.partial,
        "corrected": outcome.corrected,
        "results": [
            {
                "slug": result.slug,
                "title": result.title,
                "title_html": result.title_html,
                "snippet_html": result.snippet_html,
                "published_at": result.published_at,
                "carrier": ref(result.carrier),
                "card_type": ref(result.card_type),
                "url": page_url(request, language, result.slug),
                "api_url": api_url(request, language, result.slug),
            }
            for result in outcome.results
        ],
        "carriers": [
            {"slug": f.slug, "name": f.name, "count": f.count} for f in outcome.carriers
        ],
        "card_types": [
            {"slug": f.slug, "name": f.name, "count": f.count}
            for f in outcome.card_types
        ],
    }
