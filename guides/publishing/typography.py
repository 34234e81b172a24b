"""Typography across two scripts: ``lang`` of mixed text, Chinese punctuation.

An English page shows some Chinese: a store's address, a channel label or a
carrier name nobody translated yet. Screen readers and fonts pick the right
voice and glyphs only if that text carries ``lang="zh-Hans"``; and Chinese
text uses full-width brackets and colons where English uses ASCII ones.
"""

from __future__ import annotations

import re

#: Han characters (CJK Unified Ideographs, extension A, compatibility).
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def is_chinese(language: str) -> bool:
    """Return whether a Django language code is a Chinese one."""
    return (language or "").lower().startswith("zh")


def text_lang(text: str, language: str) -> str:
    """Return the BCP 47 tag ``text`` needs on a page in ``language``, or "".

    Chinese text on a page that is not Chinese is ``zh-Hans``; text in the
    page's own language, or without letters of a script we can tell (a
    phone number), needs none.
    """
    if text and not is_chinese(language) and _HAN.search(text):
        return "zh-Hans"
    return ""


def in_brackets(text: str, language: str) -> str:
    """Return ``text`` in the page language's brackets: （全天可用） or (24 hours)."""
    return f"（{text}）" if is_chinese(language) else f"({text})"


#: Hours this short stay on one line ("（24 小时）" broke after "24").
SHORT_HOURS = 14


def in_page_language(text: str, language: str) -> str:
    """Return the part of a bilingual value in the page's script.

    Store names are often written in both ("各地中国移动自有营业厅 / China
    Mobile own-brand stores"); a page shows the part in its own language
    when the parts are in different scripts, else the whole value.
    """
    parts = [part.strip() for part in re.split(r"\s+/\s+", text) if part.strip()]
    if len(parts) < 2:
        return text
    chinese = [part for part in parts if _HAN.search(part)]
    latin = [part for part in parts if not _HAN.search(part)]
    if not chinese or not latin:
        return text
    return " / ".join(chinese if is_chinese(language) else latin)


def _repeats(value: str, label: str) -> bool:
    """Return whether ``value`` says what ``label`` says.

    One holds the other and is most of it: "各地中国移动自有营业厅" repeats
    "中国移动自有营业厅", while "Store" says less than "China Mobile stores".
    """
    a, b = value.casefold(), label.casefold()
    if not (a and b):
        return False
    short, long = sorted((a, b), key=len)
    return short in long and len(short) >= 0.6 * len(long)


def channel_view(channel: dict, language: str) -> dict:
    """Return what ``guides/includes/channel.html`` shows of a channel.

    The label is shown once: a value equal to the label ("中国联通 APP"),
    or a web address behind the link, is not repeated. Hotlines and SMS
    numbers get a copy button. Every text says which language it is in.
    """
    label = (channel.get("label") or "").strip()
    value = (channel.get("value") or "").strip()
    href = (channel.get("href") or "").strip()
    kind = channel.get("kind") or ""
    hours = (channel.get("opening_hours") or "").strip()
    is_number = kind in ("hotline", "sms")
    if not is_number:
        value = in_page_language(value, language)
    show_value = (
        bool(value) and not _repeats(value, label) and not value.startswith("http")
    )
    short_hours = len(hours) <= SHORT_HOURS
    return {
        **channel,
        "label": label,
        "label_lang": text_lang(label, language),
        "value": value,
        "value_lang": text_lang(value, language),
        "show_value": show_value,
        "is_number": is_number,
        # The link's text: the number to call, else the label (an app, a site).
        "link_text": value if is_number and value else (label or value),
        "link_lang": "" if is_number else text_lang(label or value, language),
        "href": href,
        "hours": in_brackets(
            hours.replace(" ", "\u00a0") if short_hours else hours, language
        )
        if hours
        else "",
        "hours_lang": text_lang(hours, language),
    }
