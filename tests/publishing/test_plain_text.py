"""guides.publishing.snapshot.plain_text: the one HTML-to-text.

Structured data (the HowTo and FAQ text) and the search index both read the
text of rendered Markdown through it.
"""

from __future__ import annotations

import pytest

from guides.publishing.markup import render_markdown
from guides.publishing.snapshot import plain_text
from guides.search.indexing import document_fields


@pytest.mark.parametrize(
    ("html", "text"),
    [
        ("<p>Call <strong>10086</strong>.</p>", "Call 10086."),
        ("<p>one</p><p>two</p>", "one two"),  # blocks are never glued
        ("<ul><li>ID card</li><li>SIM card</li></ul>", "ID card SIM card"),
        ("line<br>next", "line next"),
        ("can<em>cel</em>", "cancel"),  # inline elements are
        ("<p>Fees &amp; refunds &lt;5 days&gt;</p>", "Fees & refunds <5 days>"),
        ('<a href="https://e.test/" title="a>b">link</a> text', "link text"),
        ("<p>注销<strong>手机号</strong>需要身份证</p>", "注销手机号需要身份证"),
        ("", ""),
        ("<p>  spaced\n\n out </p>", "spaced out"),
    ],
)
def test_plain_text(html, text):
    assert plain_text(html) == text


def test_rendered_markdown_reads_as_its_words():
    html = render_markdown(
        "1. Dial **10086**\n2. Say *cancel*\n\nKeep the receipt & ID"
    )
    assert plain_text(html) == "Dial 10086 Say cancel Keep the receipt & ID"


def test_search_documents_take_their_body_text_from_plain_text():
    body = "<p>Bring your <em>ID</em> card</p><p>and the SIM</p>"
    fields = document_fields(
        {
            "title": "Cancel",
            "introduction_html": body,
            "steps": [{"title": "Call", "body_html": "<p>A &amp; B</p>"}],
        }
    )
    # one piece per line (introduction, step title, step text): snippets
    # never run a step's title into its text (guides/search/snippets.py)
    assert fields["body"] == f"{plain_text(body)}\nCall\nA & B"
