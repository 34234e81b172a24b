"""Simplified to Traditional Chinese, with the wording of Taiwan or Hong Kong.

OpenCC (PyPI ``opencc``) converts with Taiwan's phrase table, ``s2twp``
(软件 -> 軟體, 移动网络 -> 行動網路, 搜索信息 -> 搜尋資訊). Hong Kong shares most
of that wording and differs in a known set of words (網絡, 軟件, 短訊, 流動網絡,
用戶), so a Hong Kong text is the Taiwan text with ``TW_TO_HK`` applied and
OpenCC's ``t2hk`` character forms (户). OpenCC's tables are general purpose,
so a few terms of this field are fixed first (``GLOSSARY``): s2twp reads 注销
as "log out" (登出), but cancelling a card or a number is 註銷 in both regions.

A conversion is a draft: editors review it before it is published
(``translation_state.needs_review``).
"""

from __future__ import annotations

import functools
import re

import opencc

VARIANTS = ("tw", "hk")

#: Terms of this field that the general tables get wrong, per variant:
#: Simplified -> Traditional. Longest first when matched.
GLOSSARY: dict[str, dict[str, str]] = {
    "tw": {
        "注销": "註銷",
        "销户": "銷戶",
        "销号": "銷號",
        "携号转网": "攜號轉網",
        "充值": "儲值",
        "账号": "帳號",
        "账户": "帳戶",
        # s2twp takes 类型 for the programming term 型別.
        "类型": "類型",
        "发布": "發布",
        "审核": "審核",
        "运营商": "電信業者",
    },
    "hk": {
        "注销": "註銷",
        "销户": "銷戶",
        "销号": "銷號",
        "携号转网": "攜號轉網",
        "充值": "增值",
        "账号": "帳號",
        "账户": "帳戶",
        "类型": "類型",
        "发布": "發布",
        "审核": "審核",
        "运营商": "電訊商",
    },
}

#: Taiwan wording -> Hong Kong wording, for the words that differ. Longest
#: first when matched, so 行動網路 is not first cut at 網路.
TW_TO_HK = {
    "行動網路": "流動網絡",
    "行動數據": "流動數據",
    "行動電話": "流動電話",
    "行動裝置": "流動裝置",
    "行動應用": "流動應用",
    "網際網路": "互聯網",
    "網路": "網絡",
    "軟體": "軟件",
    "簡訊": "短訊",
    "使用者": "用戶",
    "印表機": "打印機",
    "列印": "打印",
    "螢幕": "屏幕",
    "數位": "數碼",
    "計程車": "的士",
    "電信業者": "電訊商",
    "儲值": "增值",
}


@functools.cache
def _converter(config: str) -> opencc.OpenCC:
    return opencc.OpenCC(config)


def _pattern(terms) -> re.Pattern:
    return re.compile("|".join(map(re.escape, sorted(terms, key=len, reverse=True))))


_GLOSSARY_PATTERNS = {variant: _pattern(GLOSSARY[variant]) for variant in VARIANTS}
_TW_TO_HK_PATTERN = _pattern(TW_TO_HK)


def _to_taiwan(text: str, glossary: dict[str, str], pattern: re.Pattern) -> str:
    """s2twp, with the glossary's terms put in as they are."""
    converter = _converter("s2twp")
    pieces = []
    position = 0
    for match in pattern.finditer(text):
        pieces.append(converter.convert(text[position : match.start()]))
        pieces.append(glossary[match.group()])
        position = match.end()
    pieces.append(converter.convert(text[position:]))
    return "".join(pieces)


def to_traditional(text: str, variant: str = "tw") -> str:
    """Return ``text`` (Simplified Chinese, may mix in other scripts) in
    Traditional Chinese with ``variant``'s wording ("tw" or "hk")."""
    if variant not in VARIANTS:
        raise ValueError(f"unknown Chinese variant {variant!r}")
    if not text:
        return text
    result = _to_taiwan(text, GLOSSARY[variant], _GLOSSARY_PATTERNS[variant])
    if variant == "hk":
        result = _TW_TO_HK_PATTERN.sub(lambda m: TW_TO_HK[m.group()], result)
        result = _converter("t2hk").convert(result)
    return result
