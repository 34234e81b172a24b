"""Fill the Traditional Chinese catalogues from the Simplified Chinese ones.

``make catalogues`` runs it after ``makemessages``:

- ``locale/zh_Hant``: every entry that is empty or fuzzy gets the zh_Hans
  translation converted with Taiwan's wording (``guides.publishing.chinese``) and its fuzzy flag
  cleared. Entries already translated are kept, so a reviewer's fix stays.
- ``locale/zh_Hant_HK``: only the entries whose Hong Kong wording
  (``to_traditional(..., "hk")``) differs from the zh_Hant text; ``guides.tenancy.variants``
  lays them over zh_Hant for Hong Kong tenants. Rebuilt each time, except
  entries a reviewer marked with the ``# reviewed`` translator comment.

Needs polib (requirements-dev.txt): a tool for developers, not the server.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from guides.publishing.chinese import to_traditional

DOMAINS = ("django", "djangojs")
HEADER_PLURAL = "nplurals=1; plural=0;"


def _strings(entry) -> list[str]:
    if entry.msgid_plural:
        return [entry.msgstr_plural[k] for k in sorted(entry.msgstr_plural)]
    return [entry.msgstr]


def _set_strings(entry, values: list[str]) -> None:
    if entry.msgid_plural:
        entry.msgstr_plural = dict(enumerate(values))
    else:
        entry.msgstr = values[0]


class Command(BaseCommand):
    help = "Fill locale/zh_Hant (Taiwan) and locale/zh_Hant_HK from locale/zh_Hans."

    def handle(self, *args, **options):
        import polib

        root = Path(settings.LOCALE_PATHS[0])
        for domain in DOMAINS:
            source_path = root / "zh_Hans" / "LC_MESSAGES" / f"{domain}.po"
            target_path = root / "zh_Hant" / "LC_MESSAGES" / f"{domain}.po"
            if not source_path.exists() or not target_path.exists():
                self.stderr.write(f"skipped {domain}: run makemessages first")
                continue
            source = {
                (e.msgctxt, e.msgid): e
                for e in polib.pofile(str(source_path))
                if e.translated()
            }
            target = polib.pofile(str(target_path), wrapwidth=79)
            target.metadata["Language"] = "zh_Hant"
            target.metadata["Plural-Forms"] = HEADER_PLURAL
            filled = 0
            for entry in target:
                if entry.obsolete:
                    continue
                if entry.translated() and "fuzzy" not in entry.flags:
                    continue
                simplified = source.get((entry.msgctxt, entry.msgid))
                if simplified is None:
                    continue
                _set_strings(
                    entry, [to_traditional(s, "tw") for s in _strings(simplified)]
                )
                if "fuzzy" in entry.flags:
                    entry.flags.remove("fuzzy")
                entry.previous_msgid = entry.previous_msgid_plural = None
                entry.previous_msgctxt = None
                filled += 1
            target.save()
            self.stdout.write(f"zh_Hant {domain}: {filled} entries filled")

            hk_path = root / "zh_Hant_HK" / "LC_MESSAGES" / f"{domain}.po"
            hk_path.parent.mkdir(parents=True, exist_ok=True)
            reviewed = {}
            if hk_path.exists():
                reviewed = {
                    (e.msgctxt, e.msgid): e
                    for e in polib.pofile(str(hk_path))
                    if "reviewed" in (e.tcomment or "")
                }
            hk = polib.POFile(wrapwidth=79)
            hk.metadata = {
                **target.metadata,
                "Language": "zh_Hant_HK",
            }
            for entry in target:
                if entry.obsolete or not entry.translated():
                    continue
                key = (entry.msgctxt, entry.msgid)
                if key in reviewed:
                    hk.append(reviewed[key])
                    continue
                simplified = source.get(key)
                if simplified is None:
                    continue
                values = [to_traditional(s, "hk") for s in _strings(simplified)]
                if values != _strings(entry):
                    difference = polib.POEntry(
                        msgid=entry.msgid,
                        msgctxt=entry.msgctxt,
                        msgid_plural=entry.msgid_plural,
                    )
                    _set_strings(difference, values)
                    hk.append(difference)
            hk.save(str(hk_path))
            self.stdout.write(f"zh_Hant_HK {domain}: {len(hk)} differences")
