"""Compare two revisions of an article: field by field, language by language.

Parts are aligned by primary key, so a step that moved is reported as
moved (not as deleted and added). Written with difflib: the usual package
for this, django-reversion-compare, is GPL (DESIGN.md).
"""

from __future__ import annotations

import bisect
import difflib
import json
import re
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from modeltranslation.utils import build_localized_fieldname

from guides.models import PART_MODELS, Article
from guides.publishing.translation_state import ARTICLE_FIELDS, PART_FIELDS

ARTICLE_PLAIN_FIELDS = (
    "slug",
    "carrier",
    "card_type",
    "status",
    "publish_at",
    "unpublish_at",
)
PART_PLAIN_FIELDS = {
    "steps": ("channel", "duration"),
    "requirements": ("kind",),
    "tips": ("kind",),
    "faqs": (),
}
_TOKENS = re.compile(r"[A-Za-z0-9_]+|\s+|.", re.DOTALL)


def inline_diff(old: str, new: str) -> SafeString:
    """Return ``new`` as HTML with ``<del>``/``<ins>`` marking the changes.

    Latin words are compared whole, CJK text character by character.
    """
    old, new = old or "", new or ""
    a, b = _TOKENS.findall(old), _TOKENS.findall(new)
    out = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            out.append(escape("".join(a[i1:i2])))
            continue
        if i2 > i1:
            out.append(f"<del>{escape(''.join(a[i1:i2]))}</del>")
        if j2 > j1:
            out.append(f"<ins>{escape(''.join(b[j1:j2]))}</ins>")
    return mark_safe("".join(out))


@dataclass
class FieldChange:
    name: str
    language: str | None
    old: str
    new: str

    @property
    def changed(self) -> bool:
        return self.old != self.new

    @property
    def html(self) -> SafeString:
        return inline_diff(self.old, self.new)


@dataclass
class PartChange:
    kind: str
    pk: int
    status: str  # added, deleted, moved, changed, unchanged
    old_position: int | None
    new_position: int | None
    fields: list[FieldChange] = field(default_factory=list)

    @property
    def label(self) -> str:
        for change in self.fields:
            if change.language is not None and (change.new or change.old):
                return change.new or change.old
        return f"#{self.pk}"


@dataclass
class RevisionDiff:
    plain: list[FieldChange]
    by_language: dict[str, list[FieldChange]]
    parts: dict[str, list[PartChange]]

    @property
    def has_changes(self) -> bool:
        return (
            any(c.changed for c in self.plain)
            or any(c.changed for changes in self.by_language.values() for c in changes)
            or any(
                p.status != "unchanged" for parts in self.parts.values() for p in parts
            )
        )


def revision_state(revision, article_id: int | None = None) -> dict:
    """Return the article and its ordered parts stored in ``revision``.

    ``{"article": fields or None, "parts": {kind: [(pk, fields), ...]}}``,
    read straight from the serialised versions (one query, none when
    ``version_set`` is prefetched). With ``article_id``, only that article
    and its own parts are read, should the revision hold more than one.
    """
    types = ContentType.objects.get_for_models(Article, *PART_MODELS.values())
    kinds = {types[model].pk: kind for kind, model in PART_MODELS.items()}
    state = {"article": None, "parts": {kind: [] for kind in PART_MODELS}}
    for version in revision.version_set.all():
        try:
            fields = json.loads(version.serialized_data)[0]["fields"]
        except (ValueError, KeyError, IndexError, TypeError):
            continue
        if version.content_type_id == types[Article].pk:
            if article_id is None or version.object_id == str(article_id):
                state["article"] = fields
        elif version.content_type_id in kinds:
            if article_id is not None and fields.get("article") != article_id:
                continue
            state["parts"][kinds[version.content_type_id]].append(
                (int(version.object_id), fields)
            )
    for items in state["parts"].values():
        items.sort(key=lambda item: (item[1].get("sort_order") or 0, item[0]))
    return state


def _value(fields: dict | None, name: str) -> str:
    if not fields:
        return ""
    value = fields.get(name)
    return "" if value is None else str(value)


def _translated(
    old: dict | None, new: dict | None, names, language: str
) -> list[FieldChange]:
    return [
        FieldChange(
            name,
            language,
            _value(old, build_localized_fieldname(name, language)),
            _value(new, build_localized_fieldname(name, language)),
        )
        for name in names
    ]


def _moved(old_order: list[int], new_order: list[int]) -> set[int]:
    """Return the parts kept in both versions whose relative order changed.

    The largest set of parts still in the same relative order stays (a
    longest increasing subsequence of their old positions); the rest moved.
    difflib's matching blocks are not used: they find contiguous runs, not
    the longest order-preserving subset, and so report too many moves.
    """
    new_ids = set(new_order)
    old_position = {
        pk: i for i, pk in enumerate(pk for pk in old_order if pk in new_ids)
    }
    kept_new = [pk for pk in new_order if pk in old_position]
    # Patience sort: tails[k] is the index (in kept_new) of the smallest tail
    # of an increasing run of length k + 1; previous[] links runs back.
    tails: list[int] = []
    tail_positions: list[int] = []
    previous: list[int | None] = [None] * len(kept_new)
    for index, pk in enumerate(kept_new):
        position = old_position[pk]
        k = bisect.bisect_left(tail_positions, position)
        previous[index] = tails[k - 1] if k else None
        if k == len(tails):
            tails.append(index)
            tail_positions.append(position)
        else:
            tails[k] = index
            tail_positions[k] = position
    stayed = set()
    cursor = tails[-1] if tails else None
    while cursor is not None:
        stayed.add(kept_new[cursor])
        cursor = previous[cursor]
    return set(kept_new) - stayed


def diff_states(old: dict, new: dict, languages: list[str]) -> RevisionDiff:
    """Compare two ``revision_state`` results in ``languages``."""
    plain = [
        FieldChange(
            name, None, _value(old["article"], name), _value(new["article"], name)
        )
        for name in ARTICLE_PLAIN_FIELDS
    ]
    by_language = {
        lang: _translated(old["article"], new["article"], ARTICLE_FIELDS, lang)
        for lang in languages
    }
    parts: dict[str, list[PartChange]] = {}
    for kind in PART_MODELS:
        old_items = dict(old["parts"][kind])
        new_items = dict(new["parts"][kind])
        old_order = [pk for pk, _f in old["parts"][kind]]
        new_order = [pk for pk, _f in new["parts"][kind]]
        moved = _moved(old_order, new_order)
        changes = []
        for pk in new_order + [pk for pk in old_order if pk not in new_items]:
            before, after = old_items.get(pk), new_items.get(pk)
            fields = [
                FieldChange(name, None, _value(before, name), _value(after, name))
                for name in PART_PLAIN_FIELDS[kind]
            ]
            for lang in languages:
                fields += _translated(before, after, PART_FIELDS[kind], lang)
            if before is None:
                status = "added"
            elif after is None:
                status = "deleted"
            elif pk in moved:
                status = "moved"
            elif any(c.changed for c in fields):
                status = "changed"
            else:
                status = "unchanged"
            changes.append(
                PartChange(
                    kind,
                    pk,
                    status,
                    old_order.index(pk) + 1 if before is not None else None,
                    new_order.index(pk) + 1 if after is not None else None,
                    fields,
                )
            )
        parts[kind] = changes
    return RevisionDiff(plain=plain, by_language=by_language, parts=parts)


def diff_revisions(
    old_revision, new_revision, languages: list[str], article_id: int | None = None
) -> RevisionDiff:
    """Compare the article stored in two revisions (caller checks the tenant)."""
    return diff_states(
        revision_state(old_revision, article_id),
        revision_state(new_revision, article_id),
        languages,
    )
