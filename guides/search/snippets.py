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
    han = len(_HAN.findall(text))
    latin = len(_LATIN.findall(text))
    if is_chinese(language):
        return han >= latin and bool(text.strip())
    return han == 0 and bool(text.strip())


def _pieces_in_language(part: str, language: str) -> str:
    """Return ``part`` without the pieces of a bilingual value in another language."""
    pieces = _BILINGUAL_SPLIT.split(part)
    if len(pieces) == 1:
        return part if in_language(part, language) else ""
    return " / ".join(p for p in pieces if in_language(p, language))


def sentences(text: str, language: str) -> list[list[str]]:
    """Return the parts of ``text`` (one per line) as lists of their sentences.

    Sentences in another language than ``language`` are left out, and so
    are parts left empty.
    """
    parts = []
    for line in (text or "").split("\n"):
        line = " ".join(line.split())
        if not line:
            continue
        found = []
        for sentence in _SENTENCE_END.split(line):
            sentence = _pieces_in_language(sentence.strip(), language)
            if sentence:
                found.append(sentence)
        if found:
            parts.append(found)
    return parts


def _join(sentences_: Sequence[str]) -> str:
    out = ""
    for sentence in sentences_:
        if out and not _CJK_END.search(out):
            out += " "
        out += sentence
    return out


def _run(part: Sequence[str], index: int, max_length: int) -> str:
    """Return sentence ``index`` of ``part`` and the ones after it that fit."""
    chosen = [part[index]]
    size = len(part[index])
    for sentence in part[index + 1 :]:
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
    max_length: int = SNIPPET_LENGTH,
) -> str:
    """Return the HTML snippet of a result (escaped, matches in ``<mark>``).

    ``texts`` are the document's display texts, best first (summary, body).
    """
    parts = [part for text in texts for part in sentences(text, language)]
    if not parts:
        return ""
    best: tuple[int, int, int, int] | None = None  # (-matched, bare, part, sentence)
    if terms:
        for p, part in enumerate(parts):
            for s, sentence in enumerate(part):
                matched = len(analysis.matched_terms(sentence, terms))
                if not matched:
                    continue
                key = (-matched, int(not _END.search(sentence)), p, s)
                if best is None or key < best:
                    best = key
    if best is None:
        return analysis.highlight(
            _run(parts[0], 0, max_length), [], max_length=max_length
        )
    _, _, p, s = best
    return analysis.highlight(
        _run(parts[p], s, max_length), terms, max_length=max_length
    )


__all__ = ["SNIPPET_LENGTH", "in_language", "sentences", "snippet"]
