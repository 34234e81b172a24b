"""The one "time needed" an article page shows and its JSON-LD states.

Editors write the estimate as text ("约 30 分钟，审核 1–7 个工作日",
"About 20 minutes; review takes 1–7 working days"), and steps may carry
their own durations. The page used to show the text while ``HowTo.totalTime``
was the sum of the steps (PT55M against "约 30 分钟" on every demo page).

Now one value serves both:

- an estimate whose first clause is a plain duration ("约 30 分钟",
  "About 1 hour") is that duration: the page wraps the clause in
  ``<time datetime="PT30M">`` and ``totalTime`` is ``PT30M``; the rest
  ("，审核 1–7 个工作日") is shown after it as written;
- an estimate that does not start with one ("营业厅办理约 15 分钟",
  "About 5 minutes to suspend, 20 minutes to replace") is shown as written
  and ``totalTime`` is left out: guessing would state a time the page does
  not;
- no estimate at all: the steps' total is shown ("about 55 minutes") and
  used, when the steps have durations.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

from guides.publishing.snapshot import iso_duration

#: Words that may precede the number ("约 30 分钟", "About 20 minutes").
_ABOUT = r"(?:约|大约|大概|about|approximately|approx\.?|around|roughly|~|≈)?"

#: Units, in seconds.
UNITS = {
    "秒": 1,
    "秒钟": 1,
    "second": 1,
    "seconds": 1,
    "sec": 1,
    "secs": 1,
    "分": 60,
    "分钟": 60,
    "minute": 60,
    "minutes": 60,
    "min": 60,
    "mins": 60,
    "小时": 3600,
    "个小时": 3600,
    "钟头": 3600,
    "个钟头": 3600,
    "hour": 3600,
    "hours": 3600,
    "hr": 3600,
    "hrs": 3600,
    "h": 3600,
    "天": 86400,
    "day": 86400,
    "days": 86400,
}
_UNIT = "|".join(sorted(map(re.escape, UNITS), key=len, reverse=True))
_AMOUNT = rf"(\d+(?:\.\d+)?)\s*({_UNIT})"
_DURATION = re.compile(
    rf"^\s*{_ABOUT}\s*{_AMOUNT}(?:\s*(?:and\s+)?{_AMOUNT})?\s*$", re.IGNORECASE
)
#: Where the first clause of an estimate ends.
_CLAUSE_END = re.compile(r"[，,；;、。!！?？(（]|\.(?=\s|$)")


@dataclass(frozen=True)
class TimeNeeded:
    """The page's time needed: ``lead`` is the part ``iso`` states."""

    lead: str = ""
    rest: str = ""
    iso: str | None = None
    #: The steps' total, shown ("about 55 minutes") when there is no estimate.
    step_seconds: int | None = None


def parse_duration(text: str) -> int | None:
    """Return the seconds of a plain duration ("约 30 分钟"), or None."""
    match = _DURATION.match(text or "")
    if not match:
        return None
    total = 0.0
    for amount, unit in (match.group(1, 2), match.group(3, 4)):
        if amount is None:
            continue
        total += float(amount) * UNITS[unit.lower()]
    return int(total) or None


def time_needed(content: dict) -> TimeNeeded:
    """Return the time needed an article snapshot shows (see the module)."""
    estimate = (content.get("estimated_time") or "").strip()
    if estimate:
        end = _CLAUSE_END.search(estimate)
        lead, rest = (
            (estimate[: end.start()], estimate[end.start() :])
            if end
            else (estimate, "")
        )
        seconds = parse_duration(lead)
        if seconds is None:
            return TimeNeeded(lead=estimate)
        return TimeNeeded(lead=lead, rest=rest, iso=_iso(seconds))
    total = sum(step.get("duration_seconds") or 0 for step in content.get("steps", []))
    if total:
        return TimeNeeded(iso=_iso(total), step_seconds=total)
    return TimeNeeded()


def _iso(seconds: int) -> str | None:
    return iso_duration(timedelta(seconds=seconds))
