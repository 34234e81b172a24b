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

# Words readers and writers use for the same kind of card. A tenant's row
# joins a group when one of its names or its slug is in the group.
CARD_TYPE_ALIASES = (
    ("esim", "e-sim", "eSIM卡", "电子SIM卡"),
    ("5g", "5G卡", "5G card"),
    ("10日卡", "十日卡", "10天卡", "10-day", "10-day card", "ten-day", "ten-day card"),
    ("流量卡", "上网卡", "数据卡", "data card", "data-card", "data-sim"),
    ("公交卡", "交通卡", "一卡通", "transit card", "transit", "transport card"),
    ("银行卡", "借记卡", "信用卡", "bank card", "bank-card"),
    ("门禁卡", "access card", "access-card", "door card"),
)


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
    notes: list[str] = field(default_factory=list)

    @property
    def unsure(self) -> bool:
        return bool(self.notes)


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


def card_type_candidates() -> list[Candidate]:
    """Return the current tenant's card types with their names and aliases."""
    out = []
    for card_type in CardType.objects.all():
        terms = _names(card_type)
        for group in CARD_TYPE_ALIASES:
            group_terms = {_norm(term) for term in group}
            if terms & group_terms:
                terms |= group_terms
        out.append(Candidate(card_type, terms))
    return out


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
    """Return (object or None, names of the tied candidates)."""
    title, text = _norm(title), _norm(text)
    scored = [(c, _count(c, title), _count(c, text)) for c in candidates]
    named = [(c, t, b) for c, t, b in scored if t or b]
    if len(named) == 1:
        return named[0][0].obj, []
    in_title = [c for c, t, _b in named if t]
    if len(in_title) == 1:
        return in_title[0].obj, []
    return None, [str(c.obj) for c, _t, _b in named]


def detect(
    *,
    title: str,
    text: str,
    fallback_text: str = "",
    carriers: list[Candidate],
    card_types: list[Candidate],
) -> Detection:
    """Return the carrier and card type ``text`` is about, with notes when unsure.

    ``fallback_text`` (the whole file, for one procedure of several) is read
    when the procedure's own text names nothing.
    """
    detection = Detection()
    for attr, candidates, label in (
        ("carrier", carriers, _("carrier")),
        ("card_type", card_types, _("card type")),
    ):
        if not candidates:
            continue  # nothing to choose from, so nothing to be unsure about
        found, tied = _choose(candidates, title=title, text=text)
        if found is None and not tied and fallback_text:
            found, tied = _choose(candidates, title="", text=fallback_text)
        if found is not None:
            setattr(detection, attr, found)
        elif tied:
            detection.notes.append(
                _(
                    "The text names several of this help center's %(what)s values "
                    "(%(names)s); choose one and publish."
                )
                % {"what": label, "names": ", ".join(tied)}
            )
        else:
            detection.notes.append(
                _(
                    "No %(what)s of this help center was recognised in the text; "
                    "choose one and publish."
                )
                % {"what": label}
            )
    return detection
