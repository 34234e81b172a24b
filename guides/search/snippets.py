"""Result snippets: whole sentences of the reader's language, with the matches marked.

A document's display text is made of *parts*: the summary, then the body's
pieces (introduction, each step's title, each step's text, a channel's label
and value, requirements, tips, FAQs), one per line (``indexing.document_fields``
joins them with ``\\n``). A part is cut into sentences at their end
punctuation (``。！？；`` and ``. ! ? ;`` before a space). A snippet is built
from the sentences of *one* part, so a step title never runs into the text of
the step after it, and only from sentences written in the document's language:
a Chinese value on an English page (``中国电信 APP``), or the English half of a
bilingual ``中文 / English`` store name on a Chinese page, is never shown.

The sentence that matches the most distinct query words wins (on a tie, a
sentence with end punctuation over a bare title or value, then the summary
and the earlier sentence); the sentences after it in the same
part follow while they fit. Nothing matched: the summary's first sentences.
``analysis.highlight`` marks the words and cuts an over-long sentence with
``…``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from guides.search import analysis

SNIPPET_LENGTH = 160

# After CJK end punctuation always; after Latin end punctuation before a space.
_SENTENCE_END = re.compile(r"(?<=[。！？；!?])\s*|(?<=[.;])\s+")
# "各地中国联通自有营业厅 / China Unicom own-brand stores": two languages.
_BILINGUAL_SPLIT = re.compile(r"\s+[/|]\s+")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U000323af]")
_LATIN = re.compile(r"[A-Za-z]")
_END = re.compile(r"[。！？；.!?;]$")
# CJK sentences are joined without a space, Latin ones with one.
_CJK_END = re.compile(r"[。！？；：，、）」』”]$")


def is_chinese(language: str) -> bool:
    """Return whether ``language`` is written in Han characters."""
    return str(language).lower().startswith("zh")


def in_language(text: str, language: str) -> bool:
    """Return whether ``text`` reads as written in ``language``.

    Chinese text may carry Latin words (``eSIM``, ``APP``) but has at least
    as many Han characters as Latin letters; other languages have no Han
    character at all. Text with neither (``10086``) reads in every language.
    """
    return _in_language(text, is_chinese(language))


def _in_language(text: str, chinese: bool) -> bool:
    if not text.strip():
        return False
    han = len(_HAN.findall(text))
    if chinese:
        return han >= len(_LATIN.findall(text))
    return han == 0


def _in_language_only(sentence: str, chinese: bool) -> str:
    """Return ``sentence`` without the pieces of a bilingual value in another language."""
    pieces = _BILINGUAL_SPLIT.split(sentence)
    if len(pieces) == 1:
        return sentence if _in_language(sentence, chinese) else ""
    return " / ".join(p for p in pieces if _in_language(p, chinese))


def _raw_parts(texts: Iterable[str]) -> list[list[str]]:
    """Return each line of ``texts`` as its list of sentences (any language)."""
    parts = []
    for text in texts:
        for line in (text or "").split("\n"):
            found = [s for s in _SENTENCE_END.split(" ".join(line.split())) if s]
            if found:
                parts.append(found)
    return parts


def sentences(text: str, language: str) -> list[list[str]]:
    """Return the parts of ``text`` (one per line) as lists of their sentences.

    Sentences in another language than ``language`` are left out, and so
    are parts left empty.
    """
    chinese = is_chinese(language)
    parts = []
    for part in _raw_parts([text]):
        kept = [k for k in (_in_language_only(s, chinese) for s in part) if k]
        if kept:
            parts.append(kept)
    return parts


def _join(sentences_: Sequence[str]) -> str:
    out = ""
    for sentence in sentences_:
        if out and not _CJK_END.search(out):
            out += " "
        out += sentence
    return out


def _run(first: str, rest: Sequence[str], chinese: bool, max_length: int) -> str:
    """Return ``first`` and the sentences of ``rest`` (in the language) that fit."""
    chosen = [first]
    size = len(first)
    for raw in rest:
        sentence = _in_language_only(raw, chinese)
        if not sentence:
            continue
        if size + len(sentence) + 1 > max_length:
            break
        chosen.append(sentence)
        size += len(sentence) + 1
    return _join(chosen)


def snippet(
    texts: Iterable[str],
    terms: Sequence[str],
    *,
    language: str,
    groups: Sequence[Sequence[str]] | None = None,
    max_length: int = SNIPPET_LENGTH,
) -> str:
    """Return the HTML snippet of a result (escaped, matches in ``<mark>``).

    ``texts`` are the document's display texts, best first (summary, body).
    ``groups`` are the query's words with their synonyms (``terms`` is all
    of them): a sentence scores one per group it matches, and the first
    punctuated sentence matching every group ends the search. Sentences are
    tested cheaply first (``analysis.could_match``); only candidates are
    checked for their language and marked for real.
    """
    groups = [list(g) for g in groups] if groups else [[t] for t in terms]
    chinese = is_chinese(language)
    parts = _raw_parts(texts)
    # Traditional text is folded to Simplified before the cheap test (zhconv
    # on every sentence cost more than the rest of the snippet together).
    simplify = str(language).lower() in ("zh-hant", "zh-tw", "zh-hk")
    best = None  # (-matched, bare, part, sentence), the sentence in the language
    if terms:
        for p, part in enumerate(parts):
            for s, raw in enumerate(part):
                if not analysis.could_match(raw, terms, simplify=simplify):
                    continue
                sentence = _in_language_only(raw, chinese)
                found = (
                    analysis.matched_terms(sentence, terms, simplify=simplify)
                    if sentence
                    else set()
                )
                matched = sum(1 for g in groups if found.intersection(g))
                if not matched:
                    continue
                key = (-matched, int(not _END.search(sentence)), p, s, sentence)
                if best is None or key < best:
                    best = key
                if key[:2] == (-len(groups), 0):
                    break  # every word, a whole sentence: nothing beats it
            else:
                continue
            break
    if best is not None:
        _, _, p, s, sentence = best
        text = _run(sentence, parts[p][s + 1 :], chinese, max_length)
        return analysis.highlight(text, terms, max_length=max_length)
    for part in parts:
        for s, raw in enumerate(part):
            sentence = _in_language_only(raw, chinese)
            if sentence:
                text = _run(sentence, part[s + 1 :], chinese, max_length)
                return analysis.highlight(text, [], max_length=max_length)
    return ""


__all__ = ["SNIPPET_LENGTH", "in_language", "sentences", "snippet"]
