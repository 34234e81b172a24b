"""Name the carrier and card type an imported procedure is about.

Only the tenant's own rows are candidates. A carrier is recognised by its
name in any language, its slug and its hotline and SMS numbers; a card type
by its names, its slug and the common words for its kind (``10日卡`` and
``十日卡``, ``公交卡`` and ``交通卡``). When the text names several and the
title does not settle it, or names none, the importer says so in a note
rather than guess.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext as _
from modeltranslation.utils import build_localized_fieldname

from guides.models import CardType, Carrier, Channel

# Kinds of card: (slug, Chinese name, English name, words for it). A tenant's
# row joins a kind when one of its names or its slug is among the words; a
# kind the tenant has no row for is created from this table on import.
CARD_KINDS = (
    ("esim", "eSIM", "eSIM", ("esim", "e-sim", "eSIM卡", "电子SIM卡")),
    ("5g", "5G卡", "5G card", ("5g", "5G卡", "5G card")),
    (
        "ten-day",
        "10日卡",
        "10-day card",
        ("10日卡", "十日卡", "10天卡", "10-day", "10-day card", "ten-day card"),
    ),
    (
        "data-card",
        "流量卡",
        "Data card",
        ("流量卡", "上网卡", "数据卡", "data card", "data-card", "data-sim"),
    ),
    (
        "transit",
        "公交卡",
        "Transit card",
        (
            "公交卡",
            "交通卡",
            "一卡通",
            "地铁卡",
            "羊城通",
            "transit card",
            "transit",
            "transport card",
            "metro card",
            "subway card",
            "bus card",
        ),
    ),
    (
        "bank-card",
        "银行卡",
        "Bank card",
        ("银行卡", "借记卡", "储蓄卡", "bank card", "bank-card", "debit card"),
    ),
    ("credit-card", "信用卡", "Credit card", ("信用卡", "credit card")),
    (
        "access-card",
        "门禁卡",
        "Access card",
        ("门禁卡", "门卡", "access card", "access-card", "door card", "key card"),
    ),
    (
        "campus-card",
        "校园卡",
        "Campus card",
        ("校园卡", "饭卡", "campus card", "student card"),
    ),
    (
        "social-card",
        "社保卡",
        "Social security card",
        ("社保卡", "social security card"),
    ),
    ("sim", "手机卡", "SIM card", ("手机卡", "sim卡", "sim card", "电话卡")),
)
CARD_TYPE_ALIASES = tuple((*words, slug) for slug, _zh, _en, words in CARD_KINDS)


@dataclass(frozen=True)
class NewCardType:
    """A kind of card the text names and the tenant has no row for."""

    slug: str
    name_zh: str
    name_en: str

    def name(self, chinese: bool) -> str:
        return self.name_zh if chinese else self.name_en


@dataclass
class Candidate:
    """A carrier or card type and the terms that name it."""

    obj: Carrier | CardType
    terms: set[str] = field(default_factory=set)
    numbers: set[str] = field(default_factory=set)


@dataclass
class Detection:
    """What was found, and a note for each thing that was not certain."""

    carrier: Carrier | None = None
    card_type: CardType | None = None
    new_card_type: NewCardType | None = None
    notes: list[str] = field(default_factory=list)


def _norm(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "").lower()


def _names(obj) -> set[str]:
    names = set()
    for code, _name in settings.LANGUAGES:
        value = getattr(obj, build_localized_fieldname("name", code), "") or ""
        if value.strip():
            names.add(_norm(value.strip()))
    names.add(_norm(obj.slug))
    names.add(_norm(obj.slug.replace("-", " ")))
    return {name for name in names if len(name) >= 2}


def carrier_candidates() -> list[Candidate]:
    """Return the current tenant's carriers with their names and numbers."""
    candidates = {
        carrier.pk: Candidate(carrier, _names(carrier))
        for carrier in Carrier.objects.all()
    }
    channels = Channel.objects.filter(kind__in=(Channel.Kind.HOTLINE, Channel.Kind.SMS))
    for carrier_id, value in channels.values_list("carrier_id", "value"):
        digits = re.sub(r"\D", "", value)
        if len(digits) >= 4 and carrier_id in candidates:
            candidates[carrier_id].numbers.add(digits)
    return list(candidates.values())


def card_type_terms(card_type: CardType) -> set[str]:
    """Return the words that name ``card_type``: its names and its kind's words."""
    terms = _names(card_type)
    for group in CARD_TYPE_ALIASES:
        group_terms = {_norm(term) for term in group}
        if terms & group_terms:
            terms |= group_terms
    return terms


def card_type_candidates() -> list[Candidate]:
    """Return the current tenant's card types with their names and aliases."""
    return [
        Candidate(card_type, card_type_terms(card_type))
        for card_type in CardType.objects.all()
    ]


def _term_re(term: str) -> re.Pattern:
    # Latin words need word edges ("data" is not in "database"); Chinese
    # has no spaces, so a CJK term matches anywhere.
    escaped = re.escape(term).replace(r"\ ", r"\s*")
    if re.match(r"[a-z0-9]", term):
        escaped = r"(?<![a-z0-9])" + escaped
    if re.search(r"[a-z0-9]$", term):
        escaped += r"(?![a-z0-9])"
    return re.compile(escaped)


def _count(candidate: Candidate, text: str) -> int:
    hits = sum(len(_term_re(term).findall(text)) for term in candidate.terms)
    hits += sum(len(re.findall(rf"(?<!\d){n}(?!\d)", text)) for n in candidate.numbers)
    return hits


def _choose(candidates: list[Candidate], *, title: str, text: str):
    """Return (object or None, names of the candidates named without a winner).

    The one named, else the one in the title, else one named far more often
    than the rest; several named alike (hotlines given as examples) are no
    choice.
    """
    title, text = _norm(title), _norm(text)
    scored = [(c, _count(c, title), _count(c, text)) for c in candidates]
    named = [(c, t, b) for c, t, b in scored if t or b]
    if len(named) == 1:
        return named[0][0].obj, []
    in_title = [c for c, t, _b in named if t]
    if len(in_title) == 1:
        return in_title[0].obj, []
    ranked = sorted(named, key=lambda row: row[2], reverse=True)
    if len(ranked) >= 2 and ranked[0][2] >= 3 and ranked[0][2] >= 3 * ranked[1][2]:
        return ranked[0][0].obj, []
    return None, [str(c.obj) for c, _t, _b in named]


def new_card_type(title: str, existing: list[Candidate]) -> NewCardType | None:
    """Return the kind of card ``title`` names when the tenant has no row for it."""
    title = _norm(title)
    taken = set().union(*(c.terms for c in existing)) if existing else set()
    for slug, zh, en, words in CARD_KINDS:
        terms = {_norm(word) for word in (*words, zh, en)}
        if terms & taken or _norm(slug) in taken:
            continue
        if any(_term_re(term).search(title) for term in terms if len(term) >= 2):
            return NewCardType(slug, zh, en)
    return None


def detect(
    *,
    title: str,
    text: str,
    fallback_text: str = "",
    carriers: list[Candidate],
    card_types: list[Candidate],
    detect_carrier: bool = True,
    detect_card_type: bool = True,
) -> Detection:
    """Return the carrier and card type ``text`` is about, with notes for the report.

    A text that names no carrier, or several only as examples, is generic:
    no carrier, and nothing that stops it from being published. A kind of
    card named in the title that the tenant has no row for is returned as
    ``new_card_type``. ``fallback_text`` (the whole file, for one procedure
    of several) is read when the procedure's own text names nothing.
    """
    detection = Detection()
    if detect_carrier and carriers:
        found, tied = _choose(carriers, title=title, text=text)
        if found is None and not tied and fallback_text:
            found, tied = _choose(carriers, title="", text=fallback_text)
        detection.carrier = found
        if tied:
            detection.notes.append(
                _(
                    "The text names several carriers (%(names)s) only as examples; "
                    "the article is for any carrier."
                )
                % {"names": ", ".join(tied)}
            )
    if detect_card_type:
        found, tied = _choose(card_types, title=title, text=text)
        if found is None:
            detection.new_card_type = new_card_type(title, card_types)
        if found is None and not tied and not detection.new_card_type and fallback_text:
            found, tied = _choose(card_types, title="", text=fallback_text)
        detection.card_type = found
        if tied and detection.new_card_type is None:
            detection.notes.append(
                _(
                    "The text names several card types (%(names)s); the article "
                    "has no card type. Choose one if it is about one of them."
                )
                % {"names": ", ".join(tied)}
            )
    return detection
