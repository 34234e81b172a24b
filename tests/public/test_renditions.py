"""Machine-readable renditions: a procedure in Markdown, and llms.txt."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from guides import services
from guides.models import Article
from guides.public.renditions import escape, html_to_markdown
from guides.publishing.markup import render_markdown
from guides.publishing.snapshot import plain_text
from guides.tenancy import tenant_context
from tests.factories import (
    make_article,
    make_card_type,
    make_carrier,
    make_tenant,
    step,
)

pytestmark = pytest.mark.django_db

A = "alpha.test"
B = "beta.test"
MD = "/en/guides/cancel-esim.md"

#: "<" that would open raw HTML in Markdown (an unescaped one); autolinks
#: (``<http://...>``) are links, not HTML.
RAW_HTML = re.compile(r"(?<!\\)<(?!https?://)[A-Za-z/!?]")


def get(client, path, host=A, **extra):
    return client.get(path, HTTP_HOST=host, **extra)


@pytest.fixture
def published(tenant_a):
    carrier = make_carrier(tenant_a)
    card = make_card_type(tenant_a)
    with tenant_context(tenant_a):
        hotline = carrier.channels.get()
        return make_article(
            tenant_a,
            "cancel-esim",
            publish=True,
            carrier=carrier,
            card_type=card,
            estimated_time_en="1 to 7 working days",
            parts={
                "steps": [
                    step(
                        1,
                        body_en="Call **10086** and say <cancel>.",
                        channel=hotline,
                        duration=timedelta(minutes=5),
                    ),
                    step(2, body_en="- keep the receipt\n- wait"),
                ],
                "requirements": [
                    {
                        "kind": "prerequisite",
                        "text_zh_hans": "无欠费",
                        "text_en": "No unpaid bills",
                    },
                    {
                        "kind": "document",
                        "text_zh_hans": "身份证",
                        "text_en": "ID card",
                    },
                ],
                "tips": [
                    {"kind": "warning", "text_zh_hans": "谨防诈骗", "text_en": "Fraud"},
                    {"kind": "tip", "text_zh_hans": "保留回执", "text_en": "Receipt"},
                ],
                "faqs": [
                    {
                        "question_zh_hans": "要多久？",
                        "question_en": "How long?",
                        "answer_zh_hans": "1~7 个工作日",
                        "answer_en": "1~7 *working* days",
                    }
                ],
            },
        )


def publish_change(article, **fields):
    with tenant_context(article.tenant):
        article = Article.objects.get(pk=article.pk)
        services.article_update(article=article, user=None, **fields)
        services.article_publish(article=article, user=None)


# --- the Markdown rendition --------------------------------------------------


def test_markdown_rendition_holds_the_whole_procedure(client, published):
    response = get(client, MD)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/markdown; charset=utf-8"
    assert response["Content-Language"] == "en"
    text = response.content.decode()
    assert text.startswith("# Cancel an eSIM\n\n> How to cancel an eSIM\n")
    for part in (
        "- Carrier: China Mobile",
        "- Card type: eSIM",
        "- Time needed: 1 to 7 working days",
        "## Before you start",
        "### Check that\n\n- No unpaid bills",
        "### Bring\n\n- ID card",
        "## Warnings\n\n- Fraud",
        "### 1. Step 1\n\nHotline: [10086](tel:10086) · about 5 minutes\n\n"
        "Call **10086** and say \\<cancel>.",
        "### 2. Step 2\n\n- keep the receipt\n- wait",
        "## Tips\n\n- Receipt",
        "## Frequently asked questions\n\n### How long?\n\n1\\~7 *working* days",
        "Canonical page: <http://alpha.test/en/guides/cancel-esim/>",
    ):
        assert part in text, part
    assert not RAW_HTML.search(text)


def test_the_article_page_links_its_markdown_rendition(client, published):
    page = get(client, "/en/guides/cancel-esim/").content.decode()
    assert '<link rel="alternate" type="text/markdown" href="' + MD + '">' in page


def test_editor_html_never_comes_out_as_markup(client, tenant_a):
    hostile = '<img src=x onerror="alert(1)"> <script>alert(2)</script> [x](javascript:alert(3))'
    make_article(
        tenant_a,
        "hostile",
        publish=True,
        title_en="<b>Bold</b> # [title]",
        summary_en="<i>sum</i>",
        introduction_en=hostile,
        parts={"steps": [step(1, title_en="<u>one</u>", body_en=hostile)]},
    )
    text = get(client, "/en/guides/hostile.md").content.decode()
    assert not RAW_HTML.search(text)
    assert "javascript:" not in text
    assert text.startswith("# \\<b>Bold\\</b> # \\[title\\]\n")


@pytest.mark.parametrize(
    "source",
    [
        "plain text with * star and _under_ and `tick` and a|b",
        "1. first\n2. second\n   - nested *em*\n\n> quoted **bold**",
        "# not a heading in the body\n\n+ plus\n\n2024. a year",
        "[link](https://example.com/a_(b)) and ![img](https://example.com/i.png)",
        "| a | b |\n|:--|--:|\n| 1 \\| x | 2 |",
        "```\ncode with ``` inside\n```\n\nline one  \nline two",
        "&amp; &copy; & < > <b>shown</b> 1~7 ~~gone~~ \\escaped",
        "__init__ snake_case _lead trail_",
    ],
)
def test_html_to_markdown_keeps_the_text_a_reader_sees(source):
    """Rendering the converted Markdown again shows the same text."""
    html = render_markdown(source)
    again = render_markdown(html_to_markdown(html))
    assert plain_text(again) == plain_text(html)
    assert not RAW_HTML.search(html_to_markdown(html))


@pytest.mark.parametrize(
    "text",
    ["# x", "- x", "+ x", "> x", "1. x", "3) x", "x #", "[a](b)", "<b>", "a | b"],
)
def test_escaped_text_renders_as_that_text(text):
    assert plain_text(render_markdown(escape(text))) == text


def test_unknown_slugs_unpublished_languages_and_disabled_ones_are_404(
    client, published, tenant_a
):
    make_article(tenant_a, "zh-only", publish=True, title_en="", summary_en="")
    make_article(tenant_a, "draft-only")
    assert get(client, "/zh-hans/guides/zh-only.md").status_code == 200
    for path in (
        "/en/guides/zh-only.md",  # not published in English: no redirect
        "/en/guides/draft-only.md",
        "/en/guides/no-such-guide.md",
        "/zh-hant/guides/cancel-esim.md",  # a language the tenant does not enable
        "/fr/guides/cancel-esim.md",
    ):
        assert get(client, path).status_code == 404, path


def test_the_same_slug_in_two_tenants_is_each_tenants_own(client, published, tenant_b):
    make_article(tenant_b, "cancel-esim", publish=True, title_en="Beta's eSIM")
    make_article(tenant_b, "beta-only", publish=True)
    assert get(client, MD).content.decode().startswith("# Cancel an eSIM")
    assert get(client, MD, host=B).content.decode().startswith("# Beta's eSIM")
    assert get(client, "/en/guides/beta-only.md").status_code == 404
    assert get(client, "/en/guides/beta-only.md", host=B).status_code == 200


@pytest.mark.parametrize("steps", [1, 30])
def test_markdown_queries_do_not_grow_with_steps(
    client, tenant_a, steps, django_assert_num_queries
):
    make_article(tenant_a, "counted", steps=steps, publish=True)
    get(client, "/robots.txt")  # warm the host lookup
    with django_assert_num_queries(1):  # the publication in that language
        text = get(client, "/en/guides/counted.md").content.decode()
    assert len(re.findall(r"^### \d+\. ", text, re.M)) == steps
    with django_assert_num_queries(0):
        assert get(client, "/en/guides/counted.md").status_code == 200


def test_markdown_head_and_304(client, published):
    first = get(client, MD)
    head = client.head(MD, HTTP_HOST=A)
    assert head.status_code == 200 and head.content == b""
    assert head["ETag"] == first["ETag"]
    assert head["Content-Type"] == "text/markdown; charset=utf-8"
    assert "public" in first["Cache-Control"] and "max-age=" in first["Cache-Control"]
    again = get(client, MD, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again.content == b""
    since = get(client, MD, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert since.status_code == 304


def test_markdown_follows_publish_and_unpublish(
    client, published, django_capture_on_commit_callbacks
):
    assert get(client, MD).content.decode().startswith("# Cancel an eSIM")
    with django_capture_on_commit_callbacks(execute=True):
        publish_change(published, title_en="Cancel it now")
    assert get(client, MD).content.decode().startswith("# Cancel it now")
    with (
        tenant_context(published.tenant),
        django_capture_on_commit_callbacks(execute=True),
    ):
        services.article_unpublish(
            article=Article.objects.get(pk=published.pk), user=None
        )
    assert get(client, MD).status_code == 404


def test_a_changed_hotline_and_carrier_name_show_in_the_markdown(
    client, published, django_capture_on_commit_callbacks
):
    assert "[10086](tel:10086)" in get(client, MD).content.decode()
    with (
        tenant_context(published.tenant),
        django_capture_on_commit_callbacks(execute=True),
    ):
        carrier = published.carrier
        carrier.name_en = "CMCC"
        channel = carrier.channels.get()
        services.carrier_save(
            carrier=carrier,
            user=None,
            channels=[
                {
                    "id": channel.pk,
                    "kind": channel.kind,
                    "label_zh_hans": channel.label_zh_hans,
                    "label_en": channel.label_en,
                    "value": "10088",
                }
            ],
        )
    text = get(client, MD).content.decode()
    assert "[10088](tel:10088)" in text and "(tel:10086)" not in text
    assert "- Carrier: CMCC" in text


def test_a_draft_edit_never_reaches_the_markdown(client, published):
    get(client, MD)
    with tenant_context(published.tenant):
        services.article_update(
            article=Article.objects.get(pk=published.pk),
            user=None,
            title_en="Draft title",
        )
    assert "Draft title" not in get(client, MD).content.decode()
    assert "Draft title" not in get(client, MD + "?nocache").content.decode()


# --- llms.txt ------------------------------------------------------------------


def test_llms_txt_lists_procedures_by_carrier_in_the_default_language(
    client, published, tenant_a
):
    card = make_card_type(tenant_a, slug="transit")
    make_article(tenant_a, "close-transit", publish=True, card_type=card)
    make_article(tenant_a, "loose", publish=True, summary_zh_hans="")
    response = get(client, "/llms.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response["Content-Language"] == "zh-hans"
    text = response.content.decode()
    lines = text.splitlines()
    assert lines[0] == "# Alpha"
    assert lines[2].startswith("> ")
    sections = re.findall(r"^## (.+)$", text, re.M)
    assert sections[0] == "中国移动" and sections[1] == "eSIM"
    assert (
        "- [注销 eSIM](http://alpha.test/zh-hans/guides/cancel-esim.md): "
        "如何注销 eSIM" in lines
    )
    assert "- [注销 eSIM](http://alpha.test/zh-hans/guides/close-transit.md): " in (
        text
    )
    assert "- [注销 eSIM](http://alpha.test/zh-hans/guides/loose.md)" in lines
    assert "- [English](http://alpha.test/en/llms.txt)" in lines


def test_llms_txt_in_another_language_links_back_to_the_default(client, published):
    text = get(client, "/en/llms.txt").content.decode()
    assert (
        "- [Cancel an eSIM](http://alpha.test/en/guides/cancel-esim.md): "
        "How to cancel an eSIM" in text.splitlines()
    )
    assert "- [简体中文](http://alpha.test/llms.txt)" in text.splitlines()
    assert get(client, "/zh-hant/llms.txt").status_code == 404


def test_every_link_of_llms_txt_answers_markdown(client, published, tenant_a):
    make_article(tenant_a, "second", publish=True)
    text = get(client, "/llms.txt").content.decode()
    links = re.findall(r"\]\(http://alpha\.test(/[^)]+\.md)\)", text)
    assert len(links) == 2
    for path in links:
        response = get(client, path)
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/markdown")


def test_llms_txt_is_per_tenant(client, published, tenant_b):
    make_article(tenant_b, "beta-only", publish=True, title_zh_hans="乙的流程")
    own = get(client, "/llms.txt", host=B).content.decode()
    assert own.startswith("# Beta\n")
    assert "beta-only.md" in own and "cancel-esim" not in own
    assert "alpha.test" not in own
    assert "beta-only" not in get(client, "/llms.txt").content.decode()


def test_llms_txt_of_an_empty_help_center_says_so(client, tenant_a):
    text = get(client, "/llms.txt").content.decode()
    assert text.startswith("# Alpha\n") and "##" in text  # other languages only


def test_llms_txt_uses_the_tenants_own_default_language(client, db):
    tenant = make_tenant(
        "enonly", hosts=["en.test"], languages=["en"], default_language="en"
    )
    make_article(tenant, "only", publish=True)
    text = get(client, "/llms.txt", host="en.test").content.decode()
    assert "- [Cancel an eSIM](http://en.test/en/guides/only.md)" in text
    assert "## Other languages" not in text


@pytest.mark.parametrize("count", [1, 12])
def test_llms_txt_makes_a_fixed_number_of_queries(
    client, tenant_a, count, django_assert_num_queries
):
    carrier = make_carrier(tenant_a)
    for n in range(count):
        make_article(tenant_a, f"p-{n}", publish=True, carrier=carrier)
    get(client, "/robots.txt")  # warm the host lookup
    with django_assert_num_queries(2):  # the procedures, the carriers' order
        text = get(client, "/llms.txt").content.decode()
    assert text.count(".md)") == count
    with django_assert_num_queries(0):
        assert get(client, "/llms.txt").status_code == 200


def test_llms_txt_follows_publish_and_unpublish(
    client, published, tenant_a, django_capture_on_commit_callbacks
):
    assert "cancel-esim.md" in get(client, "/llms.txt").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        make_article(tenant_a, "fresh", publish=True)
    assert "fresh.md" in get(client, "/llms.txt").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        publish_change(published, title_zh_hans="新标题")
    assert "[新标题]" in get(client, "/llms.txt").content.decode()
    with (
        tenant_context(tenant_a),
        django_capture_on_commit_callbacks(execute=True),
    ):
        services.article_unpublish(
            article=Article.objects.get(pk=published.pk), user=None
        )
    text = get(client, "/llms.txt").content.decode()
    assert "cancel-esim" not in text and "fresh.md" in text


def test_llms_txt_head_and_304(client, published):
    first = get(client, "/llms.txt")
    head = client.head("/llms.txt", HTTP_HOST=A)
    assert head.status_code == 200 and head.content == b""
    assert head["ETag"] == first["ETag"]
    again = get(client, "/llms.txt", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert client.post("/llms.txt", HTTP_HOST=A).status_code == 405


def test_llms_txt_on_an_unknown_host_is_404(client, published):
    assert get(client, "/llms.txt", host="nobody.test").status_code in (400, 404)
