"""Reads for the public side: keyword-only, scoped to the current tenant.

Public pages read ``Publication`` rows only, never the article's working
copy, so a draft cannot reach a reader. Listings pull just the fields they
show out of the small ``listing`` JSON (``listing -> lang -> title``) in one query,
with the carrier and card type names joined from their own rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Q
from modeltranslation.utils import build_localized_fieldname

from guides.models import CardType, Carrier, Channel, Publication
from guides.tenancy import require_current_tenant


def _name_columns(prefix: str, language: str, fallback: str) -> list[str]:
    columns = [f"{prefix}{build_localized_fieldname('name', language)}"]
    if fallback != language:
        columns.append(f"{prefix}{build_localized_fieldname('name', fallback)}")
    return columns


def _pick(row: dict, columns: list[str]) -> str:
    return next((row[c] for c in columns if row.get(c)), "")


def translated_name(obj, *, language: str, fallback: str) -> str:
    """Return ``obj.name`` in ``language``, else in ``fallback``, else the slug."""
    for lang in (language, fallback):
        value = getattr(obj, build_localized_fieldname("name", lang), "") or ""
        if value.strip():
            return value
    return obj.slug


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


def publication_cards(
    *,
    language: str,
    fallback: str,
    carrier_id: int | None = None,
    card_type_id: int | None = None,
    related_to: Publication | None = None,
    order: str = "recent",
    limit: int | None = None,
) -> list[ListedPublication]:
    """Return publications in ``language`` for a listing, in one query.

    ``order`` is ``recent`` (last published first), ``popular`` (most
    "helpful" votes first) or ``catalog`` (by card type, then title).
    ``related_to`` lists other procedures of the same card type or carrier.
    """
    require_current_tenant()
    carrier_cols = _name_columns("carrier__", language, fallback)
    card_cols = _name_columns("card_type__", language, fallback)
    queryset = Publication.objects.filter(listing__has_key=language)
    if carrier_id is not None:
        queryset = queryset.filter(carrier_id=carrier_id)
    if card_type_id is not None:
        queryset = queryset.filter(card_type_id=card_type_id)
    if related_to is not None:
        same = Q(pk__in=[])
        if related_to.card_type_id:
            same |= Q(card_type_id=related_to.card_type_id)
        if related_to.carrier_id:
            same |= Q(carrier_id=related_to.carrier_id)
        queryset = queryset.filter(same).exclude(pk=related_to.pk)
    if order == "popular":
        queryset = queryset.annotate(
            votes=Count("article__feedback", filter=Q(article__feedback__helpful=True))
        ).order_by("-votes", "-published_at", "id")
    elif order == "catalog":
        queryset = queryset.order_by("card_type__sort_order", "card_type__slug", "slug")
    else:
        queryset = queryset.order_by("-published_at", "id")
    # The small ``listing`` column is decoded in Python: a key transform per
    # field costs more to compile than the whole query takes to run.
    rows = queryset.values(
        "slug", "published_at", "listing", "carrier__slug", "card_type__slug",
        *carrier_cols, *card_cols,
    )
    if limit is not None:
        rows = rows[:limit]
    cards = []
    for row in rows:
        listed = (row["listing"] or {}).get(language) or {}
        cards.append(
            ListedPublication(
                slug=row["slug"],
                title=listed.get("title") or row["slug"],
                summary=listed.get("summary") or "",
                published_at=row["published_at"],
                carrier_slug=row["carrier__slug"],
                carrier_name=_pick(row, carrier_cols) or (row["carrier__slug"] or ""),
                card_type_slug=row["card_type__slug"],
                card_type_name=_pick(row, card_cols) or (row["card_type__slug"] or ""),
            )
        )
    return cards


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
    """Return the publication with ``slug``, or None.

    The snapshot holds the carrier's and card type's names and slugs, so
    their rows are not joined.
    """
    require_current_tenant()
    return Publication.objects.filter(slug=slug).first()
