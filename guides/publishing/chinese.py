"""Simplified to Traditional Chinese, with the wording of Taiwan or Hong Kong.

OpenCC (PyPI ``opencc``) converts with phrase tables per region: ``s2twp``
(Taiwan: 软件 -> 軟體, 移动网络 -> 行動網路, 视频 -> 影片) and ``s2hk`` (Hong
Kong: 軟件, 移動網絡, 視頻). Its tables are general
purpose, so a few terms of this field are fixed first (``GLOSSARY``): s2twp
reads 注销 as "log out" (登出), but cancelling a card or a number is 註銷 in
both regions. A conversion is a draft: the editors review it before it is
published (``translation_state.needs_review``).
"""

from __future__ import annotations

import functools
import re

import opencc

#: The tenant's variant -> OpenCC configuration.
CONFIGS = {"tw": "s2twp", "hk": "s2hk"}

#: Terms of this field that the general tables get wrong, per variant:
#: Simplified -> Traditional. Longest first when matched.
GLOSSARY: dict[str, dict[str, str]] = {
    "tw": {
        "注销": "註銷",
        "销户": "銷戶",
        "销号": "銷號",
        "携号转网": "攜號轉網",
        "充值": "儲值",
    },
    "hk": {
        "注销": "註銷",
        "销户": "銷戶",
        "销号": "銷號",
        "携号转网": "攜號轉網",
        "充值": "增值",
    },
}


@functools.cache
def _converter(config: str) -> opencc.OpenCC:
    return opencc.OpenCC(config)


@functools.cache
def _glossary_pattern(variant: str) -> re.Pattern:
    terms = sorted(GLOSSARY[variant], key=len, reverse=True)
    return re.compile("|".join(map(re.escape, terms)))


def to_traditional(text: str, variant: str = "tw") -> str:
    """Return ``text`` (Simplified Chinese, may mix in other scripts) in
    Traditional Chinese with ``variant``'s wording ("tw" or "hk")."""
    if not text:
        return text
    if variant not in CONFIGS:
        raise ValueError(f"unknown Chinese variant {variant!r}")
    converter = _converter(CONFIGS[variant])
    glossary = GLOSSARY[variant]
    pieces = []
    position = 0
    for match in _glossary_pattern(variant).finditer(text):
        pieces.append(converter.convert(text[position : match.start()]))
        pieces.append(glossary[match.group()])
        position = match.end()
    pieces.append(converter.convert(text[position:]))
    return "".join(pieces)
