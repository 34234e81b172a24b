"""Run a reader's query: analyse, expand synonyms, match, facet, page, log.

The backend (``guides.search.backends``) only matches tokens; everything a
reader sees is decided here, the same way for every backend:

1. The query is analysed like the documents were (``analysis.query_tokens``)
   and each token becomes a group with its tenant's synonyms.
2. Documents must match every group. If none does, misspelled words are
   corrected against the words of the tenant's titles, summaries and
   synonyms (``cancle`` -> ``cancel``, ``注消`` -> ``注销``) and the query runs
   again ("did you mean"); if still nothing matches, documents matching any
   *significant* group are shown, best first, marked as partial matches. A
   generic word (``卡``, ``card``, any single Han character) is never
   significant: ``量子纠缠卡`` must not find every card through ``卡``. A query
   of generic words only matches titles.
3. Each filter's counts respect the other active filter: the carrier counts
   are taken over the matches of the selected card type, and the other way
   round, so the count on a filter link is the number of results it leads
   to. The filters then narrow the results and the pagination.
4. A reader's query is logged for the editors' reports once per client and
   window, within a per-client limit (``log_gate``); a click is recorded only
   with the token the reader's result links carry (``click_token``).
"""

from __future__ import annotations

import difflib
import functools
import hashlib
import json
import math
import re
from collections import Counter, namedtuple
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.core.cache import cache
from django.db import connection, transaction
from django.utils.crypto import constant_time_compare, salted_hmac
from modeltranslation.utils import build_localized_fieldname

from guides.cache.generations import content_generation
from guides.cache.lru import LRU
from guides.models import CardType, Carrier, SearchDocument, SearchQuery, SynonymGroup
from guides.search import analysis, snippets
from guides.search.backends import clean_groups, get_search_backend

PER_PAGE = 10
MAX_PAGE = 1000
SUGGEST_LIMIT = 8
SNIPPET_LENGTH = snippets.SNIPPET_LENGTH

#: Words too common in a help center about cards to find anything alone.
GENERIC_TERMS = frozenset(["卡", "号", "号码", "card", "number", "sim", "phone"])


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
    partial_terms: list[str] = field(default_factory=list)
    corrected: str = ""
    unsearchable: bool = False
    carrier_total: int = 0
    card_type_total: int = 0
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


# Analysed synonyms, keyed by the groups' raw terms: analysing every member
# (jieba, stemming) on each search cost milliseconds, reading the few raw rows
# costs one small query. Any change to a tenant's groups (admin, revert,
# QuerySet.update(), raw SQL) changes its key, so no signal has to reach every
# process and the next search already sees it; tenants with the same groups
# share one analysis.
_SYNONYMS = LRU(256)


def tenant_synonyms(tenant_id: int) -> analysis.Synonyms:
    """Return the analysed synonym groups of tenant ``tenant_id``."""
    groups = list(
        SynonymGroup.unscoped.filter(tenant_id=tenant_id)
        .order_by("id")
        .values_list("terms", flat=True)
    )
    key = json.dumps(groups, ensure_ascii=False, default=str)
    synonyms = _SYNONYMS.get(key)
    if synonyms is None:
        synonyms = analysis.Synonyms(groups)
        _SYNONYMS.put(key, synonyms)
    return synonyms


def vocabulary(*, tenant, language: str) -> list[str]:
    """Return the words of the tenant's titles and summaries in ``language``.

    Latin words (as tokens: ``cancel``, ``card``) and Chinese words of two
    characters or more, the most used first (in the most documents, then
    alphabetically); spelling correction compares a reader's words with
    these. Cached per tenant and language until the next publication change.
    """
    key = f"helpcenter:search:vocab:{tenant.pk}:{language}:{content_generation(tenant.pk)}"
    words = cache.get(key)
    if words is None:
        found = get_search_backend().title_summary_counts(
            tenant_id=tenant.pk, language=language
        )
        words = sorted(
            (t for t in found if _vocabulary_word(t)), key=lambda t: (-found[t], t)
        )
        cache.set(key, words, 3600)
    return words


def _vocabulary_word(token: str) -> bool:
    if token.isascii():
        return True
    return len(token) >= 2 and all(_HAN_CHAR.match(c) for c in token)


_HAN_CHAR = re.compile(
    r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U000323af]"
)


def _correctable(token: str) -> bool:
    """Return whether spelling correction may replace ``token``."""
    return token.isascii() and token.isalpha() and len(token) >= 4


def _han_candidates(span: str, by_length: dict[int, list[str]]) -> str | None:
    """Return the most used known word one character away from ``span``.

    One substituted character (``注消`` -> ``注销``, ``移冻`` -> ``移动``) is the
    commonest typing slip with a Chinese input method. ``by_length`` lists
    the words most used first, so ``注消`` becomes the tenant's ``注销`` rather
    than a rarer ``取消``.
    """
    return next(
        (
            word
            for word in by_length.get(len(span), ())
            if sum(a != b for a, b in zip(word, span, strict=True)) == 1
        ),
        None,
    )


def correct_query(normalized: str, words: list[str], extra: Iterable[str] = ()) -> str:
    """Return ``normalized`` with misspelled words replaced ("did you mean").

    Latin words unknown to the index are replaced by the closest known word
    (``difflib``, ratio 0.75 or more); in Chinese, a run of two to four
    characters that the segmenter could only cut into single characters (it
    is no dictionary word) is replaced by the most used known word it differs
    from in one character, and so is a word the tenant's texts never use (``注消``
    is in the segmenter's dictionary). ``extra`` words (the tenant's synonyms) count as known.
    Return ``normalized`` itself when nothing was replaced.
    """
    known = set(words) | set(extra)
    by_length: dict[int, list[str]] = {}
    for word in dict.fromkeys([*words, *sorted(set(extra) - set(words))]):
        if not word.isascii():
            by_length.setdefault(len(word), []).append(word)
    latin = sorted(w for w in known if w.isascii() and w.isalpha())
    out = []
    for chunk in normalized.split(" "):
        pieces = _HAN_RUN.split(chunk)
        fixed = []
        for index, piece in enumerate(pieces):
            if not piece:
                continue
            if index % 2:  # a Han run
                fixed.append(_correct_han(piece, known, by_length))
                continue
            token = analysis.stem(piece)
            if token in known or not _correctable(token) or token in analysis.STOPWORDS:
                fixed.append(piece)
                continue
            close = difflib.get_close_matches(token, latin, n=1, cutoff=0.75)
            fixed.append(close[0] if close else piece)
        out.append("".join(fixed))
    return " ".join(out)


_HAN_RUN = re.compile(
    r"([\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U000323af]+)"
)


def _correct_han(run: str, known: set[str], by_length: dict) -> str:
    words = analysis.segment(run)
    out: list[str] = []
    index = 0
    while index < len(words):
        end = index
        while end < len(words) and len(words[end]) == 1:
            end += 1
        if end - index >= 2:
            # Single characters: the segmenter knew no word here.
            span = "".join(words[index:end])
            out.append(_correct_span(span, known, by_length))
            index = end
            continue
        word = words[index]
        if len(word) >= 2 and word not in known:
            # A dictionary word the tenant never uses (注消): one slip away
            # from one it does?
            word = _han_candidates(word, by_length) or word
        out.append(word)
        index += 1
    return "".join(out)


def _correct_span(span: str, known: set[str], by_length: dict) -> str:
    """Return ``span`` (single characters) with one slip corrected, if found."""
    if span in known:
        return span
    # The whole span, then its windows of four, three and two characters.
    for size in range(min(len(span), 4), 1, -1):
        for start in range(len(span) - size + 1):
            window = span[start : start + size]
            if window in known:
                continue
            fix = _han_candidates(window, by_length)
            if fix is not None:
                return span[:start] + fix + span[start + size :]
    return span


# Per process: the same misspelling against the same vocabulary gives the
# same correction, and difflib over a tenant's words costs milliseconds.
_CORRECTIONS = LRU(4096)


def _may_correct(normalized: str) -> bool:
    """Return whether ``normalized`` holds a word spelling correction could fix."""
    return any(
        _correctable(analysis.stem(w)) for w in _HAN_RUN.sub(" ", normalized).split()
    ) or any(len(run) >= 2 for run in _HAN_RUN.findall(normalized))


def _corrected(normalized: str, *, tenant, language: str, synonyms) -> str:
    """Return ``correct_query`` against the tenant's vocabulary, memoised."""
    if not _may_correct(normalized):
        # Numbers and short words are never corrected: do not build the
        # vocabulary for them (a cold tenant's first miss paid for it).
        return normalized
    key = (tenant.pk, language, content_generation(tenant.pk), normalized)
    found = _CORRECTIONS.get(key)
    if found is None:
        found = correct_query(
            normalized,
            vocabulary(tenant=tenant, language=language),
            synonyms.words(),
        )
        _CORRECTIONS.put(key, found)
    return found


def _match(backend, *, tenant, language, groups, mode="all", title_only=False):
    return backend.match(
        tenant_id=tenant.pk,
        language=language,
        groups=groups,
        mode=mode,
        title_only=title_only,
    )


def significant(token: str) -> bool:
    """Return whether ``token`` may find documents on its own.

    Single Han characters (what unknown words fall back to), single letters
    and ``GENERIC_TERMS`` are in nearly every procedure.
    """
    return token not in GENERIC_TERMS and len(token) >= 2


def _significant_groups(groups: list[list[str]]) -> list[list[str]]:
    return [g for g in groups if significant(g[0])]


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
    client: str | None = None,
) -> SearchOutcome:
    """Search the current tenant's documents in ``language``.

    A blank query returns an empty outcome without touching the index; a
    query with no searchable word (only punctuation, operators or stopwords)
    is marked ``unsearchable``. With ``log``, the first page of a non-blank
    query is recorded in SearchQuery: always for a caller that names no
    ``client``, and through ``log_gate`` (once per query and window, at most
    ``LOG_LIMIT`` per window) for a reader's ``client`` key (``client_key``).
    """
    query = (query or "")[: analysis.MAX_QUERY_CHARS]
    outcome = SearchOutcome(query=query, per_page=per_page)
    tokens = analysis.query_tokens(query)
    outcome.normalized = analysis.normalize(query)[:200]
    if not clean_groups([[t] for t in tokens]):
        outcome.unsearchable = bool(query.strip())
        return outcome
    backend = get_search_backend()
    synonyms = tenant_synonyms(tenant.pk)
    groups = clean_groups(synonyms.expand(tokens))
    matches = _run_all(backend, tenant=tenant, language=language, groups=groups)
    if not matches.matches:
        fixed = _corrected(
            outcome.normalized, tenant=tenant, language=language, synonyms=synonyms
        )
        fixed_tokens = analysis.query_tokens(fixed)
        if fixed != outcome.normalized and fixed_tokens != tokens:
            fixed_groups = clean_groups(synonyms.expand(fixed_tokens))
            found = _run_all(
                backend, tenant=tenant, language=language, groups=fixed_groups
            )
            if found.matches:
                matches, groups = found, fixed_groups
                outcome.corrected = fixed
    if not matches.matches and len(groups) > 1:
        useful = _significant_groups(groups)
        if useful:
            matches = _match(
                backend, tenant=tenant, language=language, groups=useful, mode="any"
            )
            outcome.partial = bool(matches.matches)
            if outcome.partial:
                groups = useful
    outcome.terms = [t for group in groups for t in group]

    carriers, card_types = catalogue(tenant=tenant, language=language)
    selected_carrier = next((c for c in carriers.values() if c.slug == carrier), None)
    selected_card = next((c for c in card_types.values() if c.slug == card_type), None)

    def of_carrier(m) -> bool:
        return selected_carrier is None or m.carrier_id == selected_carrier.pk

    def of_card(m) -> bool:
        return selected_card is None or m.card_type_id == selected_card.pk

    # Each filter is counted among the matches of the *other* active filter:
    # the count on a link is the number of results it leads to.
    for_carriers = [m for m in matches.matches if of_card(m)]
    for_cards = [m for m in matches.matches if of_carrier(m)]

    def facets(objects, attr: str, selected, rows) -> list[Facet]:
        counts = Counter(getattr(m, attr) for m in rows)
        if selected is not None:
            counts.setdefault(selected.pk, 0)  # a filter that matches nothing here
        return [
            Facet(
                slug=objects[pk].slug,
                name=objects[pk].name,
                count=n,
                selected=selected is not None and selected.pk == pk,
            )
            for pk, n in sorted(
                ((pk, n) for pk, n in counts.items() if pk in objects),
                key=lambda kv: (-kv[1], objects[kv[0]].sort_order, kv[0]),
            )
        ]

    outcome.carriers = facets(carriers, "carrier_id", selected_carrier, for_carriers)
    outcome.card_types = facets(card_types, "card_type_id", selected_card, for_cards)
    outcome.carrier = next((f for f in outcome.carriers if f.selected), None)
    outcome.card_type = next((f for f in outcome.card_types if f.selected), None)
    outcome.carrier_total = len(for_carriers)
    outcome.card_type_total = len(for_cards)

    filtered = [m for m in for_carriers if of_carrier(m)]
    outcome.total = len(filtered)
    outcome.num_pages = math.ceil(outcome.total / per_page) if outcome.total else 0
    outcome.page = min(parse_page(page), max(outcome.num_pages, 1))
    start = (outcome.page - 1) * per_page
    page_ids = [m.id for m in filtered[start : start + per_page]]
    if page_ids:
        # Only what a result shows, never the token columns, as plain rows:
        # model instances cost more than the query here.
        documents = {
            row[0]: _Row(*row)
            for row in SearchDocument.unscoped.filter(pk__in=page_ids)
            .order_by()  # the page's order is the match order, below
            .values_list(*RESULT_FIELDS)
        }
        for pk in page_ids:
            doc = documents.get(pk)
            if doc is None:
                continue
            outcome.results.append(_result(doc, groups, carriers, card_types, language))
        if outcome.partial:
            outcome.partial_terms = _found_terms(groups, documents.values())
        if outcome.corrected:
            outcome.corrected = _surface(
                outcome.corrected, outcome.normalized, documents.values()
            )

    if log and parse_page(page) == 1:
        record = functools.partial(
            _log_query,
            tenant=tenant,
            language=language,
            query=outcome.normalized,
            result_count=outcome.total,
        )
        if client is None:
            outcome.query_id = record()
        else:
            outcome.query_id = log_gate(
                record,
                tenant_id=tenant.pk,
                client=client,
                language=language,
                query=outcome.normalized,
            )
    return outcome


def _run_all(backend, *, tenant, language, groups):
    """Match every group; a query of generic words only matches titles."""
    title_only = not _significant_groups(groups)
    return _match(
        backend, tenant=tenant, language=language, groups=groups, title_only=title_only
    )


def _found_terms(groups, documents) -> list[str]:
    """Return the query words (a group's first token) the page's results hold."""
    texts = [f"{d.title}\n{d.summary}\n{d.body}" for d in documents]
    return [
        group[0]
        for group in groups
        if any(analysis.matched_terms(text, group) for text in texts)
    ]


_WORD = re.compile(r"[^\W_]+")


def _surface(corrected: str, original: str, documents) -> str:
    """Return ``corrected`` with its replaced Latin words as the results write them.

    A correction is made of index tokens (``charg``); a reader should read a
    word (``charge``), so each replaced word becomes the first word of the
    results that stems to it.
    """
    before = set(original.split(" "))
    texts = [f"{d.title} {d.summary} {d.body}".casefold() for d in documents]
    words = corrected.split(" ")
    for index, word in enumerate(words):
        if word in before or not (word.isascii() and word.isalpha()):
            continue
        for text in texts:
            seen = next(
                (w for w in _WORD.findall(text) if analysis.stem(w) == word), None
            )
            if seen is not None:
                words[index] = seen
                break
    return " ".join(words)


#: Seconds during which a reader's repeat of a query is not logged again, and
#: over which at most ``LOG_LIMIT`` of their queries are logged.
LOG_WINDOW = 3600
LOG_LIMIT = 30

# A claim on a (client, query) pair whose row is not written (yet, or ever:
# the client was over its limit).
_PENDING = 0


def client_key(address: str) -> str:
    """Return the key of a reader's address: a keyed hash, never the address.

    Rate limits and click tokens are keyed on it; neither the cache nor the
    database ever holds the address itself.
    """
    return salted_hmac(
        "guides.search.client", address or "", algorithm="sha256"
    ).hexdigest()


def log_gate(
    record, *, tenant_id: int, client: str, language: str, query: str
) -> int | None:
    """Log a reader's query through ``record()`` at most once per window.

    Return the id of the row the reader's results link their clicks to: the
    new row, the row this client already logged for the same query within
    ``LOG_WINDOW``, or None when the client is over ``LOG_LIMIT`` (the
    search itself is answered as usual). One client therefore adds at most one
    row per query and ``LOG_LIMIT`` rows per window to the editors' reports.
    """
    digest = hashlib.sha256(f"{language}\n{query}".encode()).hexdigest()[:32]
    seen_key = f"helpcenter:search:seen:{tenant_id}:{client}:{digest}"
    if not cache.add(seen_key, _PENDING, LOG_WINDOW):
        found = cache.get(seen_key)
        return found if isinstance(found, int) and found != _PENDING else None
    count_key = f"helpcenter:search:count:{tenant_id}:{client}"
    cache.add(count_key, 0, LOG_WINDOW)
    try:
        count = cache.incr(count_key)
    except ValueError:  # expired between add and incr
        cache.set(count_key, 1, LOG_WINDOW)
        count = 1
    if count > LOG_LIMIT:
        return None
    query_id = record()
    cache.set(seen_key, query_id, LOG_WINDOW)
    return query_id


def click_token(*, tenant_id: int, query_id: int, client: str) -> str:
    """Return the token that lets ``client`` record a click on ``query_id``.

    Only the reader a query was logged for gets a token for it (in the result
    links), so a click cannot be recorded on someone else's query by guessing
    its id; each query records one click, so clicks are bounded like queries.
    """
    return salted_hmac(
        "guides.search.click", f"{tenant_id}:{query_id}:{client}", algorithm="sha256"
    ).hexdigest()[:20]


def click_allowed(*, tenant_id: int, query_id: int, client: str, token: str) -> bool:
    """Say whether ``token`` is ``client``'s token for ``query_id``."""
    expected = click_token(tenant_id=tenant_id, query_id=query_id, client=client)
    return constant_time_compare(expected, token)


def record_click(*, query_id: int, article_id: int) -> None:
    """Record the first result a reader opened for query ``query_id``."""
    SearchQuery.objects.filter(pk=query_id, clicked_article__isnull=True).update(
        clicked_article_id=article_id
    )


def _log_query(*, tenant, language: str, query: str, result_count: int) -> int:
    """Record a reader's query; return its id.

    On PostgreSQL the insert commits without waiting for the WAL flush
    (``synchronous_commit = off`` for this transaction only): the flush was
    3 to 6 ms of every search, and a crash can lose at most the last few log
    rows, as SQLite's ``synchronous=NORMAL`` already allows. Inside a
    caller's transaction nothing is changed: its durability is not ours.
    """
    fields = {
        "tenant": tenant,
        "language": language,
        "query": query,
        "result_count": result_count,
    }
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return SearchQuery.objects.create(**fields).pk
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")
        return SearchQuery.objects.create(**fields).pk


RESULT_FIELDS = (
    "id",
    "article_id",
    "slug",
    "title",
    "summary",
    "body",
    "published_at",
    "carrier_id",
    "card_type_id",
)
_Row = namedtuple("_Row", RESULT_FIELDS)


@dataclass(frozen=True)
class CatalogueEntry:
    """A carrier or card type as facets and results show it."""

    pk: int
    slug: str
    name: str
    sort_order: int


# Per process: (tenant, language, content generation) -> carriers, card types.
# Catalogue changes bump the content generation (guides.receivers), so a new
# key appears instead of an entry going stale; old ones fall off the end.
_CATALOGUES = LRU(512)


def catalogue(*, tenant, language: str) -> tuple[dict, dict]:
    """Return the tenant's carriers and card types by pk, named in ``language``."""
    fallback = tenant.default_language
    key = (tenant.pk, language, fallback, content_generation(tenant.pk))
    found = _CATALOGUES.get(key)
    if found is not None:
        return found
    names = list(
        dict.fromkeys(
            build_localized_fieldname("name", lang) for lang in (language, fallback)
        )
    )
    found = tuple(
        {
            obj.pk: CatalogueEntry(
                obj.pk, obj.slug, _name(obj, language, fallback), obj.sort_order
            )
            for obj in model.unscoped.filter(tenant_id=tenant.pk).only(
                "id", "slug", "sort_order", *names
            )
        }
        for model in (Carrier, CardType)
    )
    _CATALOGUES.put(key, found)
    return found


def _result(doc, groups, carriers, card_types, language) -> Result:
    terms = [t for group in groups for t in group]
    snippet = snippets.snippet(
        (doc.summary, doc.body),
        terms,
        groups=groups,
        language=language,
        max_length=SNIPPET_LENGTH,
    )
    carrier = carriers.get(doc.carrier_id)
    card = card_types.get(doc.card_type_id)
    return Result(
        slug=doc.slug,
        article_id=doc.article_id,
        title=doc.title,
        title_html=analysis.highlight(doc.title, terms, max_length=300),
        snippet_html=snippet,
        published_at=doc.published_at,
        carrier=Facet(carrier.slug, carrier.name, 0) if carrier else None,
        card_type=Facet(card.slug, card.name, 0) if card else None,
    )


def suggest(
    *, tenant, language: str, query: str, limit: int = SUGGEST_LIMIT
) -> list[dict]:
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
    documents = SearchDocument.unscoped.only("id", "slug", "title").in_bulk(ids)
    return [
        {"slug": documents[pk].slug, "title": documents[pk].title}
        for pk in ids
        if pk in documents
    ]
