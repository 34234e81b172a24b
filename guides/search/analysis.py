"""Turn help-centre text into search tokens, in Python, for every backend.

Why this module exists: SQLite FTS5's ``unicode61`` tokenizer and PostgreSQL's
default text-search parser both treat a whole run of Chinese characters as one
token, so an article saying ``如何注销中国移动10日卡`` is indexed as a single
"word" and a search for ``注销`` finds nothing. Trigram indexes do not help
either: most Chinese words have two characters and a trigram index never
matches a two-character query. So the text is segmented here, once, the same
way for indexing and for querying, and the backends only ever see tokens.

Pipeline (``normalize`` then analysis):

1. Symbols and emoji become spaces (before NFKC, so ``eSIM™`` does not turn
   into ``esimtm``); NFKC folds full-width forms (``ＥＳＩＭ`` -> ``ESIM``,
   ``５Ｇ`` -> ``5G``); everything is casefolded; apostrophes inside words are
   dropped (``can't`` -> ``cant``); control and format characters are removed;
   anything else that is not a letter, digit or combining mark becomes a
   space; Traditional Chinese is folded to Simplified (``註銷`` -> ``注销``).
2. Script split: each whitespace-separated chunk is cut into Han runs and
   non-Han runs, so ``eSIM卡`` gives ``esim`` + ``卡`` instead of ``e`` +
   ``SIM卡``. A non-Han run (Latin letters and digits) is one token: ``10086``,
   ``5g`` and ``esim`` stay whole.
3. Han runs are segmented by a private ``jieba.Tokenizer`` (never the global
   one, so other code cannot change our segmentation) loaded with the domain
   dictionary ``dictionary.txt``. The HMM new-word finder is off: it guesses
   differently for a short query than for the same words inside a long
   article, and a guess the index does not share is a miss. Unknown words
   therefore fall back to single characters, on both sides.
4. Indexing (``tokens``) uses search-engine mode: a long word also yields the
   dictionary words inside it (``中国移动`` -> ``中国``, ``移动``, ``中国移动``),
   so both ``移动`` and ``中国移动`` match. Queries (``query_tokens``) use
   precise mode (the longest words only); every query token is therefore also
   an index token of the same text.
5. Stopwords (a small explicit list, Chinese and English) are dropped. Other
   single Han characters are kept (``卡`` and ``号`` carry meaning, and they are
   what unknown words fall back to). English tokens go through a tiny suffix
   stemmer (``cancelling`` -> ``cancel``, ``cards`` -> ``card``).

Mixed-script words: the script split alone turns ``10日卡`` into ``10`` +
``日卡`` and ``5G卡`` into ``5g`` + ``卡``. Dictionary entries that are a
non-Han run followed by Han words (``10日卡``, ``5G卡``, ``SIM卡``, ``eSIM卡``)
are *compounds*: when such a run is written directly against the Han words
that complete the entry, indexing emits the compound as an extra token (after
the non-Han token, before the Han words) and a query emits only the compound,
as precise mode does for ``中国移动``. So ``10日卡`` finds ``10日卡`` exactly,
while ``10`` and ``日卡`` on their own still match it. A compound is only formed
on jieba's word boundaries (``5G卡号`` is ``5g`` + ``卡号``, not ``5g卡`` +
``号``). Pure Latin entries (``eSIM``, ``APP``) change nothing, because Latin
runs are never split; they are listed so that the file also reads as the
domain vocabulary when loaded straight into jieba.

``dictionary.txt`` is in jieba's user dictionary format (``word [freq] [tag]``
per line, no comments); entries are normalized like text before use, so they
may be written in their usual case.

jieba keeps a marshal cache of its main dictionary. It is written to a private
per-user directory under the system temp dir (created ``0700``, used only if
it is ours and not writable by others); if that is impossible the dictionary
is built in memory instead, which costs a second per process but never fails.
"""

from __future__ import annotations

import functools
import html
import logging
import os
import re
import stat
import tempfile
import threading
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import jieba
import zhconv

__all__ = [
    "MAX_QUERY_CHARS",
    "MAX_QUERY_TOKENS",
    "MAX_TOKEN_LENGTH",
    "Synonyms",
    "could_match",
    "expand",
    "highlight",
    "matched_terms",
    "normalize",
    "query_tokens",
    "segment",
    "stem",
    "tokens",
]

MAX_QUERY_CHARS = 1000
"""Queries are cut to this many characters before analysis."""

MAX_QUERY_TOKENS = 32
"""At most this many (distinct) tokens are taken from a query."""

MAX_TOKEN_LENGTH = 64
"""Longer runs (hashes, base64, keyboard mashing) are not tokens at all."""

MAX_ALTERNATIVES = 16
"""At most this many alternatives per query token, the token included."""

DICTIONARY_PATH = Path(__file__).with_name("dictionary.txt")

_HAN = (
    "\u3400-\u4dbf"  # Extension A
    "\u4e00-\u9fff"  # Unified Ideographs
    "\uf900-\ufaff"  # Compatibility Ideographs (left over after NFKC)
    "\U00020000-\U000323af"  # Extensions B to H
)
_HAN_RUN = re.compile(f"([{_HAN}]+)")
_HAN_CHAR = re.compile(f"[{_HAN}]")
_INNER_APOSTROPHE = re.compile(r"(?<=\w)['\u2019](?=\w)")
_WHITESPACE = re.compile(r"\s+")

_APOSTROPHES = frozenset("'\u2019")
_VARIATION_SELECTORS = frozenset(
    [chr(c) for c in range(0xFE00, 0xFE10)] + [chr(c) for c in range(0xE0100, 0xE01F0)]
)
_BIDI_CONTROLS = frozenset("\u200e\u200f\u061c") | frozenset(
    chr(c) for c in [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]
)

_CHINESE_STOPWORDS = frozenset(
    [
        "的",
        "了",
        "和",
        "与",
        "及",
        "或",
        "是",
        "在",
        "吗",
        "呢",
        "啊",
        "吧",
        "呀",
        "嘛",
        "哦",
        "么",
        "也",
        "就",
        "都",
        "还",
        "又",
        "把",
        "被",
        "给",
        "让",
        "对",
        "从",
        "向",
        "将",
        "而",
        "之",
        "其",
        "该",
        "此",
        "这",
        "那",
        "哪",
        "我",
        "你",
        "您",
        "他",
        "她",
        "它",
        "们",
        "个",
        "有",
        "要",
        "会",
        "能",
        "可",
        "请",
        "想",
        "着",
        "过",
        "得",
        "地",
        "不",
        "没",
        "怎么",
        "怎样",
        "怎么样",
        "如何",
        "什么",
        "为什么",
        "为何",
        "哪里",
        "哪儿",
        "哪个",
        "是否",
        "能否",
        "可以",
        "一下",
        "请问",
        "我们",
        "你们",
        "他们",
        "我的",
        "你的",
        "这个",
        "那个",
        "这些",
        "那些",
        "以及",
        "或者",
        "还是",
        "然后",
        "如果",
        "因为",
        "所以",
        "但是",
        "已经",
    ]
)
_ENGLISH_STOPWORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "been",
        "but",
        "by",
        "can",
        "cant",
        "could",
        "did",
        "do",
        "does",
        "doesnt",
        "doing",
        "dont",
        "for",
        "from",
        "has",
        "have",
        "how",
        "i",
        "if",
        "im",
        "in",
        "into",
        "is",
        "it",
        "its",
        "ive",
        "me",
        "my",
        "no",
        "not",
        "of",
        "on",
        "or",
        "our",
        "please",
        "should",
        "so",
        "than",
        "that",
        "the",
        "their",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "to",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "who",
        "why",
        "will",
        "with",
        "would",
        "you",
        "your",
    ]
)
STOPWORDS = _CHINESE_STOPWORDS | _ENGLISH_STOPWORDS
"""Tokens that are never indexed nor searched."""

logger = logging.getLogger(__name__)


# --------------------------------------------------------------------------
# Normalisation


def _is_symbol(char: str) -> bool:
    return unicodedata.category(char)[0] == "S"


def _clean_char(char: str) -> str:
    """Return what one already NFKC-folded character becomes in normal text."""
    category = unicodedata.category(char)
    if char in _VARIATION_SELECTORS:
        return ""
    if category[0] in "LN" or category in ("Mn", "Mc"):
        return char
    if char.isspace():
        return " "
    if category in ("Cc", "Cf"):
        return ""
    return " "


def _fold_char(char: str) -> str:
    """Return the normal form of one character of original text (no zhconv)."""
    if char in _APOSTROPHES:
        return ""
    if _is_symbol(char):
        return " "
    folded = unicodedata.normalize("NFKC", char).casefold()
    return "".join(_clean_char(c) for c in folded)


_FOLD_CACHE: dict[str, str] = {}
_CLEAN_CACHE: dict[str, str] = {}


def _cached(cache: dict[str, str], func: Callable[[str], str], char: str) -> str:
    result = cache.get(char)
    if result is None:
        result = func(char)
        if len(cache) < 65536:
            cache[char] = result
    return result


_ZHCONV_LOCK = threading.Lock()
_zhconv_ready = False


def _to_simplified(text: str) -> str:
    """Fold Traditional Chinese to Simplified; zhconv keeps the length."""
    global _zhconv_ready
    if not _zhconv_ready:
        # zhconv builds its tables lazily in module globals; do it once.
        with _ZHCONV_LOCK:
            if not _zhconv_ready:
                zhconv.convert("註銷", "zh-hans")
                _zhconv_ready = True
    if not _HAN_CHAR.search(text):
        return text
    converted = zhconv.convert(text, "zh-hans")
    return converted if len(converted) == len(text) else text


def normalize(text: str) -> str:
    """Return ``text`` folded for matching: NFKC, casefolded, Simplified.

    Letters, digits and combining marks survive; symbols, emoji and
    punctuation become spaces; control and format characters disappear;
    whitespace is collapsed to single spaces.
    """
    if not isinstance(text, str) or not text:
        return ""
    text = "".join(" " if _is_symbol(c) else c for c in text)
    text = unicodedata.normalize("NFKC", text).casefold()
    text = _INNER_APOSTROPHE.sub("", text)
    text = "".join(_cached(_CLEAN_CACHE, _clean_char, c) for c in text)
    text = _to_simplified(text)
    return " ".join(text.split())


# --------------------------------------------------------------------------
# English stemming


def _undouble(word: str) -> str:
    if len(word) >= 4 and word[-1] == word[-2] and word[-1] not in "aeiouslz":
        return word[:-1]
    return word


def stem(word: str) -> str:
    """Return ``word`` with a plural, ``-ing`` or ``-ed`` ending removed.

    Only lower-case ASCII words longer than three letters are touched, and
    the rules are deliberately few: the same function runs on indexed text
    and on queries, so consistency matters more than linguistic accuracy
    (``charge``, ``charges``, ``charged`` and ``charging`` all give
    ``charg``).
    """
    if len(word) <= 3 or not word.isascii() or not word.isalpha():
        return word
    if word.endswith("ies") and len(word) > 4:
        word = word[:-3] + "y"
    elif word.endswith("sses") or word.endswith(("ches", "shes", "xes", "zes")):
        word = word[:-2]
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    for suffix in ("ing", "ed"):
        base = word[: -len(suffix)]
        if word.endswith(suffix) and len(base) >= 3 and re.search("[aeiouy]", base):
            word = _undouble(base)
            break
    if len(word) > 4 and word.endswith("e"):
        word = word[:-1]
    if len(word) > 4 and word.endswith("ll"):
        word = word[:-1]
    return word


# --------------------------------------------------------------------------
# Segmentation


@dataclass(frozen=True)
class _Segmenter:
    tokenizer: jieba.Tokenizer
    compounds: frozenset[str]
    longest_compound: int

    def cut(self, run: str) -> list[str]:
        """Return the precise-mode words of a run of Han characters."""
        return [w for w in self.tokenizer.cut(run, HMM=False) if w]

    def sub_words(self, word: str) -> list[str]:
        """Return the dictionary words of two and three characters in ``word``.

        This is what ``jieba.Tokenizer.cut_for_search`` adds before a long
        word.
        """
        freq = self.tokenizer.FREQ
        found: list[str] = []
        for size in (2, 3):
            if len(word) > size:
                found.extend(
                    word[i : i + size]
                    for i in range(len(word) - size + 1)
                    if freq.get(word[i : i + size])
                )
        return found


_SEGMENTER_LOCK = threading.Lock()
_segmenter_instance: _Segmenter | None = None


def _cache_dir() -> str | None:
    """Return a private directory for jieba's cache, or None if there is none."""
    getuid = getattr(os, "getuid", None)
    name = "helpcenter-jieba" if getuid is None else f"helpcenter-jieba-{getuid()}"
    path = os.path.join(tempfile.gettempdir(), name)
    try:
        os.makedirs(path, mode=0o700, exist_ok=True)
        info = os.lstat(path)
    except OSError:
        return None
    if not stat.S_ISDIR(info.st_mode):
        return None
    if getuid is not None and (
        info.st_uid != getuid() or info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)
    ):
        return None
    if not os.access(path, os.W_OK | os.X_OK):
        return None
    return path


def _read_dictionary(path: Path) -> list[tuple[str, int | None, str | None]]:
    """Return the ``(word, freq, tag)`` entries of a jieba user dictionary."""
    entries: list[tuple[str, int | None, str | None]] = []
    text = path.read_text(encoding="utf-8-sig")
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        match = jieba.re_userdict.match(line)
        if match is None:
            continue
        word, freq, tag = match.groups()
        entries.append(
            (
                word,
                int(freq) if freq is not None else None,
                tag.strip() if tag is not None else None,
            )
        )
    return entries


def _build_segmenter(dictionary: Path = DICTIONARY_PATH) -> _Segmenter:
    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    cache_dir = _cache_dir()
    if cache_dir is not None:
        tokenizer.tmp_dir = cache_dir
        tokenizer.initialize()
    else:
        tokenizer.FREQ, tokenizer.total = tokenizer.gen_pfdict(
            tokenizer.get_dict_file()
        )
        tokenizer.initialized = True
    compounds: set[str] = set()
    for raw_word, freq, tag in _read_dictionary(dictionary):
        word = normalize(raw_word)
        if not word or " " in word or not _HAN_CHAR.search(word):
            continue  # pure non-Han words are whole tokens already
        parts = [p for p in _HAN_RUN.split(word) if p]
        if len(parts) == 1:
            if freq is not None and freq <= 0:
                continue  # jieba would force-split globally
            tokenizer.add_word(word, freq, tag)
        elif len(parts) == 2 and not _HAN_CHAR.match(parts[0]):
            compounds.add(word)
        else:
            logger.debug("Ignoring dictionary entry %r", raw_word)
    return _Segmenter(
        tokenizer=tokenizer,
        compounds=frozenset(compounds),
        longest_compound=max(map(len, compounds), default=0),
    )


def _segmenter() -> _Segmenter:
    """Return the shared segmenter, building it on first use."""
    global _segmenter_instance
    instance = _segmenter_instance
    if instance is None:
        with _SEGMENTER_LOCK:
            if _segmenter_instance is None:
                _segmenter_instance = _build_segmenter()
            instance = _segmenter_instance
    return instance


# --------------------------------------------------------------------------
# Analysis


def _keep(token: str) -> bool:
    return (
        0 < len(token) <= MAX_TOKEN_LENGTH
        and token not in STOPWORDS
        and any(c.isalnum() for c in token)
    )


def _compound_length(segmenter: _Segmenter, prefix: str, words: Sequence[str]) -> int:
    """Return how many of ``words`` form a dictionary compound after ``prefix``."""
    if not segmenter.compounds:
        return 0
    candidate = prefix
    best = 0
    for count, word in enumerate(words, 1):
        candidate += word
        if len(candidate) > segmenter.longest_compound:
            break
        if candidate in segmenter.compounds:
            best = count
    return best


def _analyse(text: str, *, search: bool) -> list[str]:
    normalized = normalize(text)
    if not normalized:
        return []
    segmenter = _segmenter()
    out: list[str] = []

    def emit(token: str) -> None:
        if _keep(token):
            out.append(token)

    def emit_word(word: str) -> None:
        if word not in STOPWORDS:
            emit(stem(word))

    for chunk in normalized.split(" "):
        pieces = _HAN_RUN.split(chunk)  # [other, han, other, han, ..., other]
        for index in range(0, len(pieces), 2):
            other = pieces[index]
            han = pieces[index + 1] if index + 1 < len(pieces) else ""
            words = segmenter.cut(han) if han else []
            joined = _compound_length(segmenter, other, words) if other else 0
            if joined:
                compound = other + "".join(words[:joined])
                if search:
                    emit_word(other)
                    emit(compound)
                else:
                    emit(compound)
                    words = words[joined:]
            elif other:
                emit_word(other)
            for word in words:
                if search and word not in STOPWORDS:
                    for sub in segmenter.sub_words(word):
                        emit(sub)
                emit(word)
    return out


def tokens(text: str) -> list[str]:
    """Return the index tokens of ``text``, in order, repeats included.

    Long Chinese words are followed by the shorter dictionary words inside
    them, so a query for any of them matches.
    """
    if not isinstance(text, str):
        return []
    return _analyse(text, search=True)


def segment(run: str) -> list[str]:
    """Return the precise-mode words of a run of (normalized) Han characters."""
    return _segmenter().cut(run) if run else []


def query_tokens(text: str) -> list[str]:
    """Return the distinct tokens of a search query, in order.

    The query is cut to ``MAX_QUERY_CHARS`` characters first and at most
    ``MAX_QUERY_TOKENS`` tokens are returned, so hostile input stays cheap.
    """
    if not isinstance(text, str):
        return []
    unique = dict.fromkeys(_analyse(text[:MAX_QUERY_CHARS], search=False))
    return list(unique)[:MAX_QUERY_TOKENS]


# --------------------------------------------------------------------------
# Synonyms


class Synonyms:
    """Expand query tokens with per-tenant synonym groups.

    Every member of a group is analysed like a query. A member that gives
    exactly one token (``注销``, ``Cancelling`` -> ``cancel``) takes part; a
    member that gives several (``deregister esim``, or nothing but stopwords)
    is skipped, because the backends match tokens, not phrases, and joining
    the words would make a token no document contains.
    """

    def __init__(self, groups: Iterable[Iterable[str]] = ()) -> None:
        """Analyse ``groups`` once, so that ``expand`` is a lookup."""
        self._alternatives: dict[str, list[str]] = {}
        for group in groups or ():
            if isinstance(group, str):
                continue  # a bare string is not a group of words
            members: list[str] = []
            for member in group:
                analysed = query_tokens(member) if isinstance(member, str) else []
                if len(analysed) == 1 and analysed[0] not in members:
                    members.append(analysed[0])
            if len(members) < 2:
                continue
            for member in members:
                known = self._alternatives.setdefault(member, [member])
                known.extend(m for m in members if m not in known)

    def words(self) -> list[str]:
        """Return every analysed member of every group."""
        return list(self._alternatives)

    def alternatives(self, token: str) -> list[str]:
        """Return ``token`` followed by its synonyms (at most MAX_ALTERNATIVES)."""
        return list(self._alternatives.get(token, [token])[:MAX_ALTERNATIVES])

    def expand(self, tokens: Iterable[str]) -> list[list[str]]:
        """Return, for each query token, the token and its synonyms."""
        return [self.alternatives(token) for token in tokens]


def expand(tokens: Iterable[str], groups: Iterable[Iterable[str]]) -> list[list[str]]:
    """Return, for each query token, the token and its synonyms from ``groups``."""
    return Synonyms(groups).expand(tokens)


# --------------------------------------------------------------------------
# Highlighting


def _is_word_char(char: str) -> bool:
    """Return whether ``char`` continues a non-Han (Latin, digit) word."""
    return char.isalnum() and not _HAN_CHAR.match(char)


def _find_spans(
    folded: str, owner: Sequence[int], needles: Sequence[str]
) -> list[tuple[int, int]]:
    """Return non-overlapping ``(start, end)`` spans of ``folded`` to mark."""
    size = len(folded)
    taken = bytearray(size)
    spans: list[tuple[int, int]] = []
    for needle in needles:
        starts_word = _is_word_char(needle[0])
        ends_word = _is_word_char(needle[-1])
        position = folded.find(needle)
        while position != -1:
            start, end = position, position + len(needle)
            position = folded.find(needle, position + 1)
            if starts_word and start > 0 and _is_word_char(folded[start - 1]):
                continue
            if ends_word:
                tail = end
                while tail < size and _is_word_char(folded[tail]):
                    tail += 1
                if tail != end:
                    # Mark a longer word only if it is indexed as the needle:
                    # "cards" gives "card", but "cardinal" does not, nor does
                    # "100" give "10" or "file" give "f".
                    if stem(folded[start:tail]) != needle:
                        continue
                    end = tail
            # Only whole original characters: never mark half of "ﬁ".
            if start > 0 and owner[start - 1] == owner[start]:
                continue
            if end < size and owner[end] == owner[end - 1]:
                continue
            if any(taken[start:end]):
                continue
            taken[start:end] = b"\x01" * (end - start)
            spans.append((owner[start], owner[end - 1] + 1))
    return sorted(spans)


def _visible_char(char: str) -> str:
    if char.isspace():
        return " "
    if char in _BIDI_CONTROLS or unicodedata.category(char) in ("Cc", "Cs"):
        return ""
    return char


class _CharTable(dict):
    """A ``str.translate`` table that computes and keeps each character's value.

    ``translate`` runs in C, so a text is folded without a Python call per
    character once its characters have been seen. ``irregular`` collects the
    characters whose value is not exactly one character long.
    """

    def __init__(self, func: Callable[[str], str]) -> None:
        super().__init__()
        self.func = func
        self.irregular: set[str] = set()

    def __missing__(self, code: int) -> str:
        char = chr(code)
        value = self.func(char)
        if len(value) != 1:
            self.irregular.add(char)
        if len(self) < 65536:
            self[code] = value
        return value


_FOLD_TABLE = _CharTable(_fold_char)
_VISIBLE_TABLE = _CharTable(_visible_char)


def _visible(text: str) -> str:
    """Return ``text`` without characters that must not reach a page."""
    return text.translate(_VISIBLE_TABLE)


def _fold_with_owners(text: str) -> tuple[str, Sequence[int]]:
    """Return ``text`` folded (no zhconv) and, per folded character, its source."""
    folded = text.translate(_FOLD_TABLE)
    if len(folded) == len(text) and _FOLD_TABLE.irregular.isdisjoint(text):
        # Every character folded to exactly one: positions are unchanged.
        return folded, range(len(text))
    # A few characters fold to none or several (apostrophes, ligatures): walk
    # from one to the next, so runs of ordinary characters map in C.
    owner: list[int] = []
    cursor = 0
    for found in _irregular_pattern().finditer(text):
        index = found.start()
        owner.extend(range(cursor, index))
        owner.extend([index] * len(_FOLD_TABLE[ord(found.group())]))
        cursor = index + 1
    owner.extend(range(cursor, len(text)))
    return folded, owner


_IRREGULAR_PATTERN: tuple[int, re.Pattern[str]] = (-1, re.compile("(?!)"))


def _irregular_pattern() -> re.Pattern[str]:
    """Return a pattern matching any character known to fold irregularly."""
    global _IRREGULAR_PATTERN
    size, pattern = _IRREGULAR_PATTERN
    irregular = _FOLD_TABLE.irregular
    if size != len(irregular):  # the set only grows
        chars = sorted(irregular)
        pattern = re.compile("[" + "".join(re.escape(c) for c in chars) + "]")
        _IRREGULAR_PATTERN = (len(chars), pattern)
    return pattern


def _window(
    text: str, first: tuple[int, int] | None, max_length: int
) -> tuple[int, int]:
    """Return the ``[start, end)`` slice of ``text`` to show."""
    size = len(text)
    if first is None or size <= max_length:
        return 0, min(size, max_length)
    start = max(0, first[0] - max_length // 3)
    end = min(size, start + max_length)
    start = max(0, end - max_length)
    if start > 0:  # do not begin or end in the middle of a word
        space = _WHITESPACE.search(text, start, min(first[0], start + 20))
        if space is not None:
            start = space.end()
    if end < size:
        spaces = list(_WHITESPACE.finditer(text, max(first[1], end - 20), end))
        if spaces:
            end = spaces[-1].start()
    return start, end


@functools.lru_cache(maxsize=4096)
def _needle_words(token: str) -> tuple[str, ...]:
    """Return the normalized words of a query token (the same few, every time)."""
    return tuple(normalize(token).split())


def could_match(
    text: str, query_tokens: Iterable[str], *, simplify: bool = False
) -> bool:
    """Return whether a query token's word occurs in ``text`` at all (a cheap test).

    Folded like ``highlight`` folds, without the Traditional-to-Simplified
    step unless ``simplify``; ``matched_terms`` then decides for real.
    """
    if not isinstance(text, str) or not text:
        return False
    folded = text.translate(_FOLD_TABLE)
    if simplify:
        folded = _to_simplified(folded)
    return any(
        needle in folded
        for token in query_tokens or ()
        if isinstance(token, str)
        for needle in _needle_words(token[:MAX_TOKEN_LENGTH])
    )


def matched_terms(
    text: str, query_tokens: Iterable[str], *, simplify: bool = True
) -> set[str]:
    """Return the query tokens ``highlight`` would mark somewhere in ``text``.

    Without ``simplify``, Traditional characters are not folded first (for
    text known to be Simplified or Latin: zhconv is the costly step).
    """
    if not isinstance(text, str) or not text:
        return set()
    folded = None
    found: set[str] = set()
    for token in query_tokens or ():
        if not isinstance(token, str):
            continue
        needles = sorted(_needle_words(token[:MAX_TOKEN_LENGTH]), key=len, reverse=True)
        if not needles:
            continue
        if folded is None:
            folded, owner = _fold_with_owners(text)
            if simplify:
                folded = _to_simplified(folded)
        if not any(n in folded for n in needles):
            continue
        if _find_spans(folded, owner, needles):
            found.add(token)
    return found


def highlight(text: str, query_tokens: Iterable[str], *, max_length: int = 160) -> str:
    """Return an HTML snippet of ``text`` with query matches in ``<mark>``.

    The snippet holds at most ``max_length`` characters of ``text`` around
    the first match (or its beginning), with ``…`` where it was cut. Matching
    is done on the normalized form, character by character, and marks are
    put on the original characters; a Latin word longer than a token is
    marked only if it stems to it (``Cancelling`` for ``cancel``, not
    ``cancellation``), and a match that would split an original character is
    left unmarked. Everything from ``text`` is HTML-escaped, so
    the result is safe to insert into a page as it is.
    """
    if not isinstance(text, str) or not text:
        return ""
    max_length = max(1, int(max_length))
    needles: dict[str, None] = {}
    for token in query_tokens or ():
        if isinstance(token, str):
            needles.update(dict.fromkeys(_needle_words(token[:MAX_TOKEN_LENGTH])))
        if len(needles) >= 2 * MAX_QUERY_TOKENS:
            break
    ordered = sorted(needles, key=len, reverse=True)

    spans: list[tuple[int, int]] = []
    if ordered:
        folded, owner = _fold_with_owners(text)
        spans = _find_spans(_to_simplified(folded), owner, ordered)

    start, end = _window(text, spans[0] if spans else None, max_length)
    parts: list[str] = ["…"] if start > 0 else []
    cursor = start
    for span_start, span_end in spans:
        if span_start < start or span_end > end:
            continue
        parts.append(html.escape(_visible(text[cursor:span_start])))
        parts.append(f"<mark>{html.escape(_visible(text[span_start:span_end]))}</mark>")
        cursor = span_end
    parts.append(html.escape(_visible(text[cursor:end])))
    if end < len(text):
        parts.append("…")
    return _WHITESPACE.sub(" ", "".join(parts)).strip()
