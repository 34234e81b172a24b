"""Reads for the public side: keyword-only, scoped to the current tenant.

Public pages read ``Publication`` rows only, never the article's working
copy, so a draft cannot reach a reader. Listings pull just the fields they
show out of the small ``listing`` JSON (``listing -> lang -> title``) in one query,
with the carrier and card type names joined from their own rows.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.db import connection
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from modeltranslation.utils import build_localized_fieldname

from guides.cache.generations import content_generation
from guides.cache.lru import LRU
from guides.models import (
    ArticleReadCount,
    CardType,
    Carrier,
    Channel,
    Feedback,
    Publication,
)
from guides.models.tenants import language_codes
from guides.public import seo
from guides.publishing.snapshot import localized
from guides.tenancy import require_current_tenant


def translated_name(obj, *, language: str, fallback: str) -> str:
    """Return ``obj.name`` in ``language``, else in ``fallback``, else the slug."""
    for lang in (language, fallback):
        value = getattr(obj, build_localized_fieldname("name", lang), "") or ""
        if value.strip():
            return value
    return obj.slug


#: Days of reads "popular" counts, and what one "helpful" vote weighs in reads.
POPULAR_DAYS = 30
HELPFUL_WEIGHT = 5


@dataclass(frozen=True)
class ListedPublication:
    """What a listing shows of one publication."""

    slug: str
    title: str
    summary: str
    published_at: datetime
    carrier_slug: str | None
    carrier_name: str
    card_type_slug: str | None
    card_type_name: str
    url: str


def publication_cards(
    *,
    language: str,
    fallback: str,
    carrier_id: int | None = None,
    card_type_id: int | None = None,
    related_to: Publication | PublishedPage | None = None,
    order: str = "recent",
    limit: int | None = None,
    read_only: bool = False,
    exclude: tuple[str, ...] = (),
    offset: int = 0,
) -> list[ListedPublication]:
    """Return publications in ``language`` for a listing, in one query.

    ``order`` is ``recent`` (last published first), ``popular`` (by reads in
    the last ``POPULAR_DAYS`` days plus ``HELPFUL_WEIGHT`` per "helpful"
    vote, see ``guides.services.reads``) or ``catalog`` (by card type, then
    title). With ``popular``, ``read_only`` keeps only publications readers
    have read or found helpful, so the home page's "popular" never repeats
    "recent" in its order when nobody has read anything yet. ``exclude``
    leaves out publications by slug.
    ``related_to`` lists other procedures of the same card type or carrier.
    ``offset`` (with ``limit``) skips that many: one page of a listing.

    Written in SQL: every public page runs this on a cache miss, and building
    the same statement through the ORM cost more than running it (about
    1 ms against 0.1 ms, see docs/PERFORMANCE.md). The tenant filter is the
    first condition, as the scoped manager would add it.
    """
    tenant = require_current_tenant()
    codes = language_codes()
    if language not in codes or fallback not in codes:
        return []
    vendor = connection.vendor
    publication = _table(Publication)
    carrier, card_type = _table(Carrier), _table(CardType)
    name_languages = [language] if fallback == language else [language, fallback]
    carrier_names = [
        f"c.{build_localized_fieldname('name', lang)}" for lang in name_languages
    ]
    card_names = [
        f"k.{build_localized_fieldname('name', lang)}" for lang in name_languages
    ]
    listing_sql, listing_param = _json_member("p.listing", language, vendor)
    select = ", ".join(
        [
            "p.slug",
            "p.published_at",
            listing_sql,
            "c.slug",
            "k.slug",
            *carrier_names,
            *card_names,
        ]
    )
    params: list = [listing_param]
    joins = [
        f"LEFT JOIN {carrier} c ON c.id = p.carrier_id",
        f"LEFT JOIN {card_type} k ON k.id = p.card_type_id",
    ]
    if order == "popular":
        joins.append(
            f"LEFT JOIN (SELECT article_id, COUNT(*) AS votes FROM {_table(Feedback)} "  # noqa: S608  (table names are constants; values are parameters)
            "WHERE tenant_id = %s AND helpful GROUP BY article_id) f "
            "ON f.article_id = p.article_id"
        )
        params.append(tenant.pk)
        joins.append(
            f"LEFT JOIN (SELECT article_id, SUM(count) AS reads FROM {_table(ArticleReadCount)} "  # noqa: S608  (table names are constants; values are parameters)
            "WHERE tenant_id = %s AND day >= %s GROUP BY article_id) r "
            "ON r.article_id = p.article_id"
        )
        since = timezone.now().date() - timedelta(days=POPULAR_DAYS)
        # SQLite stores dates as ISO text; PostgreSQL compares dates.
        params += [tenant.pk, since if vendor == "postgresql" else since.isoformat()]
    where_member, where_param = _json_member("p.listing", language, vendor)
    where = ["p.tenant_id = %s", f"{where_member} IS NOT NULL"]
    params += [tenant.pk, where_param]
    if carrier_id is not None:
        where.append("p.carrier_id = %s")
        params.append(carrier_id)
    if card_type_id is not None:
        where.append("p.card_type_id = %s")
        params.append(card_type_id)
    if order == "popular" and read_only:
        where.append("(r.reads IS NOT NULL OR f.votes IS NOT NULL)")
    if exclude:
        where.append(f"p.slug NOT IN ({', '.join(['%s'] * len(exclude))})")
        params += list(exclude)
    if related_to is not None:
        same = ["p.card_type_id = %s", "p.carrier_id = %s"]
        same_params = [related_to.card_type_id, related_to.carrier_id]
        kept = [
            (sql, value) for sql, value in zip(same, same_params, strict=False) if value
        ]
        if not kept:
            return []
        where.append("(" + " OR ".join(sql for sql, _value in kept) + ")")
        where.append("p.id <> %s")
        params += [value for _sql, value in kept] + [related_to.id]
    if order == "popular":
        order_by = (
            f"COALESCE(r.reads, 0) + {HELPFUL_WEIGHT} * COALESCE(f.votes, 0) DESC, "
            "p.published_at DESC, p.id"
        )
    elif order == "catalog":
        order_by = "k.sort_order, k.slug, p.slug"
    else:
        order_by = "p.published_at DESC, p.id"
    sql = (
        f"SELECT {select} FROM {publication} p {' '.join(joins)} "  # noqa: S608  (table names are constants; values are parameters)
        f"WHERE {' AND '.join(where)} ORDER BY {order_by}"
    )
    if limit is not None:
        sql += " LIMIT %s"
        params.append(int(limit))
        if offset:
            sql += " OFFSET %s"
            params.append(int(offset))
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    names = len(name_languages)
    cards = []
    for slug, published_at, listed, carrier_slug, card_slug, *rest in rows:
        listed = _json_value(listed) or {}
        carrier_name = next((n for n in rest[:names] if n), "") or (carrier_slug or "")
        card_name = next((n for n in rest[names:] if n), "") or (card_slug or "")
        cards.append(
            ListedPublication(
                slug=slug,
                title=listed.get("title") or slug,
                summary=listed.get("summary") or "",
                published_at=_aware(published_at),
                carrier_slug=carrier_slug,
                carrier_name=carrier_name,
                card_type_slug=card_slug,
                card_type_name=card_name,
                url=seo.localized_url("guides:article_detail", language, slug=slug),
            )
        )
    return cards


#: The most procedures one page of a carrier or card type lists. Issue 12
#: measured a carrier page of 671 procedures (175 KiB) at 2,000 articles.
LISTING_PAGE_SIZE = 50


@dataclass(frozen=True)
class ListingSummary:
    """What a paginated listing needs to know before it reads one page.

    ``counts``: how many procedures the listing shows in each language (a
    listing shows a publication in the languages it is listed in).
    ``newest``: the latest of the listed publications' ``published_at``
    and of their carriers' and card types' ``updated_at`` (names shown on
    the page), in any language, or None for an empty listing.
    """

    counts: dict[str, int]
    newest: datetime | None

    def page_count(self, language: str) -> int:
        """Return the number of pages in ``language`` (an empty listing has one)."""
        return max(1, -(-self.counts.get(language, 0) // LISTING_PAGE_SIZE))


def listing_summary(
    *,
    languages: list[str],
    carrier_id: int | None = None,
    card_type_id: int | None = None,
) -> ListingSummary:
    """Return the counts and the newest change of a carrier's or card type's
    listing in ``languages``, in one query whatever its size."""
    tenant = require_current_tenant()
    codes = language_codes()
    languages = [code for code in languages if code in codes]
    vendor = connection.vendor
    members = [_json_member("p.listing", code, vendor) for code in languages]
    select = [f"COUNT({sql})" for sql, _param in members] + [
        "MAX(p.published_at)",
        "MAX(c.updated_at)",
        "MAX(k.updated_at)",
    ]
    params: list = [param for _sql, param in members] + [tenant.pk]
    where = ["p.tenant_id = %s"]
    if carrier_id is not None:
        where.append("p.carrier_id = %s")
        params.append(carrier_id)
    if card_type_id is not None:
        where.append("p.card_type_id = %s")
        params.append(card_type_id)
    sql = (
        f"SELECT {', '.join(select)} FROM {_table(Publication)} p "  # noqa: S608  (table names are constants; values are parameters)
        f"LEFT JOIN {_table(Carrier)} c ON c.id = p.carrier_id "
        f"LEFT JOIN {_table(CardType)} k ON k.id = p.card_type_id "
        f"WHERE {' AND '.join(where)}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    counts = dict(zip(languages, row[: len(languages)], strict=True))
    moments = [_aware(value) for value in row[len(languages) :] if value is not None]
    return ListingSummary(counts=counts, newest=max(moments, default=None))


def listing_counts(*, languages: list[str]) -> dict[str, dict[int, dict[str, int]]]:
    """Return how many procedures each carrier and each card type lists, per
    language: ``{"carrier": {id: {language: n}}, "card_type": {...}}``.

    One query for the whole tenant (the sitemap lists every page of every
    listing).
    """
    tenant = require_current_tenant()
    codes = language_codes()
    languages = [code for code in languages if code in codes]
    members = [_json_member("listing", code, connection.vendor) for code in languages]
    select = ", ".join(
        ["carrier_id", "card_type_id", *(f"COUNT({sql})" for sql, _p in members)]
    )
    sql = (
        f"SELECT {select} FROM {_table(Publication)} "  # noqa: S608  (table names are constants; values are parameters)
        "WHERE tenant_id = %s GROUP BY carrier_id, card_type_id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [param for _sql, param in members] + [tenant.pk])
        rows = cursor.fetchall()
    result: dict[str, dict[int, dict[str, int]]] = {"carrier": {}, "card_type": {}}
    for carrier_id, card_type_id, *counts in rows:
        for kind, key in (("carrier", carrier_id), ("card_type", card_type_id)):
            if key is None:
                continue
            into = result[kind].setdefault(key, dict.fromkeys(languages, 0))
            for code, count in zip(languages, counts, strict=True):
                into[code] += count
    return result


def carrier_list() -> list[Carrier]:
    """Return the current tenant's carriers in display order."""
    require_current_tenant()
    return list(Carrier.objects.order_by("sort_order", "slug"))


def card_type_list() -> list[CardType]:
    """Return the current tenant's card types in display order."""
    require_current_tenant()
    return list(CardType.objects.order_by("sort_order", "slug"))


def carrier_get(*, slug: str) -> Carrier | None:
    """Return the current tenant's carrier with ``slug``, or None."""
    require_current_tenant()
    return Carrier.objects.filter(slug=slug).first()


def carrier_channels(*, carrier: Carrier) -> list[Channel]:
    """Return the carrier's channels in display order."""
    return list(Channel.objects.filter(carrier=carrier).order_by("sort_order", "id"))


def card_type_get(*, slug: str) -> CardType | None:
    """Return the current tenant's card type with ``slug``, or None."""
    require_current_tenant()
    return CardType.objects.filter(slug=slug).first()


def publication_get(*, slug: str) -> Publication | None:
    """Return the publication with ``slug`` (its keys only), or None.

    For writes that name a publication (feedback); pages read one language
    of it through ``publication_page``.
    """
    require_current_tenant()
    return (
        Publication.objects.only("id", "tenant_id", "article_id", "slug")
        .filter(slug=slug)
        .first()
    )


@dataclass(frozen=True)
class PublishedPage:
    """What the article page needs of a publication: one language's snapshot.

    ``carrier_name`` and ``card_type_name`` are the current names (shared
    facts, see ``guides.publishing.body``), "" when there is none.
    """

    id: int
    slug: str
    carrier_id: int | None
    card_type_id: int | None
    languages: list[str]
    published_at: datetime
    content: dict | None
    carrier_name: str = ""
    card_type_name: str = ""
    article_id: int | None = None


def publication_page(
    *, slug: str, language: str, fallback: str | None = None
) -> PublishedPage | None:
    """Return the publication with ``slug`` and its snapshot in ``language``.

    Only that language's part of ``content`` leaves the database (the column
    holds every language, rendered bodies included), with the current names
    of its carrier and card type in ``language``, else in ``fallback`` (the
    tenant's default language). The statement is written in SQL for the
    reason given in ``publication_cards``.
    """
    tenant = require_current_tenant()
    fallback = fallback or tenant.default_language
    codes = language_codes()
    if language not in codes or fallback not in codes:
        return None
    member, param = _json_member("p.content", language, connection.vendor)
    name_languages = [language] if fallback == language else [language, fallback]
    names = [
        f"{alias}.{build_localized_fieldname('name', lang)}"
        for alias in ("c", "k")
        for lang in name_languages
    ]
    sql = (
        "SELECT p.id, p.slug, p.carrier_id, p.card_type_id, p.languages, "  # noqa: S608  (table names are constants; values are parameters)
        f"p.published_at, {member}, {', '.join(names)}, p.article_id "
        f"FROM {_table(Publication)} p "
        f"LEFT JOIN {_table(Carrier)} c ON c.id = p.carrier_id "
        f"LEFT JOIN {_table(CardType)} k ON k.id = p.card_type_id "
        "WHERE p.tenant_id = %s AND p.slug = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [param, tenant.pk, slug])
        row = cursor.fetchone()
    if row is None:
        return None
    pk, slug, carrier_id, card_type_id, languages, published_at, content = row[:7]
    count = len(name_languages)
    carrier_names, card_names = row[7 : 7 + count], row[7 + count : 7 + 2 * count]
    return PublishedPage(
        id=pk,
        slug=slug,
        carrier_id=carrier_id,
        card_type_id=card_type_id,
        languages=_json_value(languages) or [],
        published_at=_aware(published_at),
        content=_json_value(content),
        carrier_name=next((n for n in carrier_names if n and n.strip()), ""),
        card_type_name=next((n for n in card_names if n and n.strip()), ""),
        article_id=row[-1],
    )


#: This process's copy of each tenant's current channels, per language: keyed
#: on the content generation, which every channel save bumps.
_channel_facts = LRU(256)
#: The channel rows those are built from, per tenant and content generation.
_channel_rows = LRU(64)


def channel_facts(*, language: str, fallback: str) -> dict[int, dict]:
    """Return the current tenant's channels as the article body shows them.

    Channel id -> kind, label, value, href and opening hours in ``language``
    (else ``fallback``): the shared facts that replace the channel markers of
    a stored body (``guides.publishing.body``). One query per tenant and
    content generation in each process, for every language; none after that.
    """
    tenant = require_current_tenant()
    generation = content_generation(tenant.pk)
    key = (tenant.pk, generation, language, fallback)
    facts = _channel_facts.get(key)
    if facts is None:
        # One read per generation serves every language's facts.
        rows_key = (tenant.pk, generation)
        channels = _channel_rows.get(rows_key)
        if channels is None:
            channels = list(Channel.objects.all())
            _channel_rows.put(rows_key, channels)
        facts = {
            channel.pk: {
                "kind": channel.kind,
                "label": localized(channel, "label", language, fallback)[0],
                "value": channel.value,
                "href": channel.href,
                "opening_hours": localized(
                    channel, "opening_hours", language, fallback
                )[0],
            }
            for channel in channels
        }
        _channel_facts.put(key, facts)
    return facts


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _json_member(column: str, key: str, vendor: str) -> tuple[str, str]:
    """Return SQL for ``column[key]`` of a JSON column, and its parameter."""
    if vendor == "postgresql":
        return f"({column} -> %s)", key
    # SQLite's JSON path; ``key`` is a language code, checked by the callers.
    return f"json_extract({column}, %s)", f'$."{key}"'


def _json_value(value):
    """Decode a JSON value read by SQL (drivers hand back text)."""
    if value is None or not isinstance(value, (str, bytes)):
        return value
    return json.loads(value)


def _aware(value: datetime | str) -> datetime:
    if isinstance(value, str):
        value = parse_datetime(value)
    if timezone.is_naive(value):
        value = value.replace(tzinfo=UTC)
    return value
