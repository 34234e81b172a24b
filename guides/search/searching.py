"""Run a reader's query: analyse, expand synonyms, match, facet, page, log.

The backend (``guides.search.backends``) only matches tokens; everything a
reader sees is decided here, the same way for every backend:

1. The query is analysed like the documents were (``analysis.query_tokens``)
   and each token becomes a group with its tenant's synonyms.
2. Documents must match every group. If none does, misspelled Latin words
   are corrected against the words of the tenant's titles and summaries
   (``cancle`` -> ``cancel``) and the query runs again; if still nothing
   matches, documents matching any group are shown, best first, marked as
   partial matches.
3. Carrier and card-type counts are taken over all matches of the query;
   the filters then narrow the results and the pagination.
"""

from __future__ import annotations

import difflib
import math
from dataclasses import dataclass, field
from datetime import datetime

from django.core.cache import cache
from modeltranslation.utils import build_localized_fieldname

from guides.models import CardType, Carrier, SearchDocument, SearchQuery, SynonymGroup
from guides.publishing import content_generation
from guides.search import analysis
from guides.search.backends import clean_groups, get_search_backend

PER_PAGE = 10
MAX_PAGE = 1000
SUGGEST_LIMIT = 8
SNIPPET_LENGTH = 160


@dataclass
class Facet:
    """One carrier or card type the results can be narrowed to."""

    slug: str
    name: str
    count: int
    selected: bool = False


@dataclass
class Result:
    """One result as the page shows it (HTML parts are escaped, safe)."""

    slug: str
    article_id: int
    title: str
    title_html: str
    snippet_html: str
    published_at: datetime | None
    carrier: Facet | None = None
    card_type: Facet | None = None


@dataclass
class SearchOutcome:
    """Everything the search page shows for one query."""

    query: str
    normalized: str = ""
    terms: list[str] = field(default_factory=list)
    results: list[Result] = field(default_factory=list)
    total: int = 0
    page: int = 1
    num_pages: int = 0
    per_page: int = PER_PAGE
    partial: bool = False
    corrected: str = ""
    carriers: list[Facet] = field(default_factory=list)
    card_types: list[Facet] = field(default_factory=list)
    carrier: Facet | None = None
    card_type: Facet | None = None
    query_id: int | None = None

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.num_pages

    @property
    def start_index(self) -> int:
        return (self.page - 1) * self.per_page + 1 if self.total else 0


def parse_page(value) -> int:
    """Return a page number from user input: 1 for anything not a positive int."""
    try:
        page = int(str(value).strip()[:8])
    except (TypeError, ValueError):
        return 1
    return min(max(page, 1), MAX_PAGE)


def _name(obj, language: str, fallback: str) -> str:
    for lang in (language, fallback):
        value = getattr(obj, build_localized_fieldname("name", lang), "") or ""
        if value.strip():
            return value
    return obj.slug


def _synonyms() -> analysis.Synonyms:
    return analysis.Synonyms(SynonymGroup.objects.values_list("terms", flat=True))


def vocabulary(*, tenant, language: str) -> list[str]:
    """Return the Latin words of the tenant's titles and summaries in ``language``.

    Cached per tenant and language until the next publication change.
    """
    key = f"helpcenter:search:vocab:{tenant.pk}:{language}:{content_generation(tenant.pk)}"
    words = cache.get(key)
    if words is None:
        found: set[str] = set()
        rows = SearchDocument.objects.filter(language=language).values_list(
            "title_tokens", "summary_tokens"
        )
        for title_tokens, summary_tokens in rows:
            found.update(
                t for t in f"{title_tokens} {summary_tokens}".split() if t.isascii()
            )
        words = sorted(found)
        cache.set(key, words, 3600)
    return words


def correct_tokens(tokens: list[str], words: list[str]) -> list[str]:
    """Return ``tokens`` with unknown Latin words replaced by the closest known one."""
    known = set(words)
    corrected = []
    for token in tokens:
        if token in known or not token.isascii() or not token.isalpha() or len(token) < 4:
            corrected.append(token)
            continue
        close = difflib.get_close_matches(token, words, n=1, cutoff=0.75)
        corrected.append(close[0] if close else token)
    return corrected


def _match(backend, *, tenant, language, groups, mode="all"):
    return backend.match(tenant_id=tenant.pk, language=language, groups=groups, mode=mode)


def search(
    *,
    tenant,
    language: str,
    query: str,
    carrier: str = "",
    card_type: str = "",
    page=1,
    per_page: int = PER_PAGE,
    log: bool = True,
) -> SearchOutcome:
    """Search the current tenant's documents in ``language``.

    A blank query returns an empty outcome without touching the index. With
    ``log``, the first page of a non-blank query is recorded in SearchQuery.
    """
    query = (query or "")[: analysis.MAX_QUERY_CHARS]
    outcome = SearchOutcome(query=query, per_page=per_page)
    tokens = analysis.query_tokens(query)
    outcome.normalized = analysis.normalize(query)[:200]
    if not clean_groups([[t] for t in tokens]):
        return outcome
    fallback = tenant.default_language
    backend = get_search_backend()
    groups = clean_groups(_synonyms().expand(tokens))
    matches = _match(backend, tenant=tenant, language=language, groups=groups)
    if not matches.matches:
        fixed = correct_tokens(tokens, vocabulary(tenant=tenant, language=language))
        if fixed != tokens:
            fixed_groups = clean_groups(_synonyms().expand(fixed))
            matches = _match(backend, tenant=tenant, language=language, groups=fixed_groups)
            if matches.matches:
                groups = fixed_groups
                outcome.corrected = " ".join(fixed)
    if not matches.matches and len(groups) > 1:
        matches = _match(backend, tenant=tenant, language=language, groups=groups, mode="any")
        outcome.partial = bool(matches.matches)
    outcome.terms = [t for group in groups for t in group]

    carriers = {c.pk: c for c in Carrier.objects.all()}
    card_types = {c.pk: c for c in CardType.objects.all()}
    selected_carrier = next((c for c in carriers.values() if c.slug == carrier), None)
    selected_card = next((c for c in card_types.values() if c.slug == card_type), None)

    def facets(objects, attr: str, selected) -> list[Facet]:
        counts: dict[int, int] = {}
        for m in matches.matches:
            key = getattr(m, attr)
            if key in objects:
                counts[key] = counts.get(key, 0) + 1
        return [
            Facet(
                slug=objects[pk].slug,
                name=_name(objects[pk], language, fallback),
                count=n,
                selected=selected is not None and selected.pk == pk,
            )
            for pk, n in sorted(
                counts.items(), key=lambda kv: (-kv[1], objects[kv[0]].sort_order)
            )
        ]

    outcome.carriers = facets(carriers, "carrier_id", selected_carrier)
    outcome.card_types = facets(card_types, "card_type_id", selected_card)
    outcome.carrier = next((f for f in outcome.carriers if f.selected), None)
    outcome.card_type = next((f for f in outcome.card_types if f.selected), None)

    filtered = [
        m
        for m in matches.matches
        if (selected_carrier is None or m.carrier_id == selected_carrier.pk)
        and (selected_card is None or m.card_type_id == selected_card.pk)
    ]
    outcome.total = len(filtered)
    outcome.num_pages = math.ceil(outcome.total / per_page) if outcome.total else 0
    outcome.page = min(parse_page(page), max(outcome.num_pages, 1))
    start = (outcome.page - 1) * per_page
    page_ids = [m.id for m in filtered[start : start + per_page]]
    if page_ids:
        documents = SearchDocument.objects.in_bulk(page_ids)
        for pk in page_ids:
            doc = documents.get(pk)
            if doc is None:
                continue
            outcome.results.append(_result(doc, outcome.terms, carriers, card_types, language, fallback))

    if log and parse_page(page) == 1:
        outcome.query_id = SearchQuery.objects.create(
            tenant=tenant,
            language=language,
            query=outcome.normalized,
            result_count=outcome.total,
        ).pk
    return outcome


def _result(doc, terms, carriers, card_types, language, fallback) -> Result:
    snippet = ""
    for text in (doc.summary, doc.body):
        candidate = analysis.highlight(text, terms, max_length=SNIPPET_LENGTH)
        if "<mark>" in candidate:
            snippet = candidate
            break
    if not snippet:
        snippet = analysis.highlight(doc.summary or doc.body, [], max_length=SNIPPET_LENGTH)
    carrier = carriers.get(doc.carrier_id)
    card = card_types.get(doc.card_type_id)
    return Result(
        slug=doc.slug,
        article_id=doc.article_id,
        title=doc.title,
        title_html=analysis.highlight(doc.title, terms, max_length=300),
        snippet_html=snippet,
        published_at=doc.published_at,
        carrier=Facet(carrier.slug, _name(carrier, language, fallback), 0) if carrier else None,
        card_type=Facet(card.slug, _name(card, language, fallback), 0) if card else None,
    )


def suggest(*, tenant, language: str, query: str, limit: int = SUGGEST_LIMIT) -> list[dict]:
    """Return up to ``limit`` titles whose words start like the query's (as you type)."""
    tokens = analysis.query_tokens((query or "")[:100])
    groups = clean_groups([[t] for t in tokens])
    if not groups:
        return []
    matches = get_search_backend().match(
        tenant_id=tenant.pk,
        language=language,
        groups=groups,
        prefix=True,
        title_only=True,
        limit=limit,
    )
    ids = [m.id for m in matches.matches]
    documents = SearchDocument.objects.in_bulk(ids)
    return [
        {"slug": documents[pk].slug, "title": documents[pk].title}
        for pk in ids
        if pk in documents
    ]
