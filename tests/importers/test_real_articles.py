"""Real web articles: the shapes measured on the corpus of issue 13.

Each sample here is an SEO-style how-to page as tenants bring them: a
promotional tag in the title and the closing paragraph, a background section
with numbered headings, scenario sections with bold-lead items, a problems
section of numbered question headings, a last step whose words start like a
section name, a link followed by a colon, and hotlines named as examples.
Every test runs on a Chinese and an English file of the same shape.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.utils import translation

from guides import services
from guides.importers import Source, import_sources
from guides.importers.hygiene import clean_text, clean_title
from guides.importers.parser import parse_document
from guides.models import Article, CardType, Channel, Membership, Publication
from guides.tenancy import tenant_context
from tests.factories import make_user
from tests.importers.test_runner import make_catalog

SAMPLES = Path(__file__).parent / "samples"
ALLOWED = {"10010.com", "10086.cn"}
PROMO = re.compile(r"加群|进群|交流群|@\w|💬|TG:|Telegram|join our group", re.I)


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def parse(name: str):
    text = (SAMPLES / name).read_text(encoding="utf-8")
    lines, removals = clean_text(text, ALLOWED)
    return parse_document(lines=lines, fallback_title="fallback"), removals


def stored_texts(procedure) -> list[str]:
    texts = [procedure.title, procedure.summary, procedure.introduction]
    for step in procedure.steps:
        texts += [step.title, step.body]
    texts += [text for _kind, text in procedure.requirements + procedure.tips]
    for faq in procedure.faqs:
        texts += [faq.question, faq.answer]
    return texts


# --- hygiene: the tag goes, its sentence stays -----------------------------------


@pytest.mark.parametrize(
    ("name", "title"),
    [
        ("cards_scenarios_zh.md", "交通卡、门禁卡、银行卡不用了怎么注销？一文看懂"),
        ("cards_scenarios_en.md", "How to cancel the cards you no longer use"),
        ("unicom_five_steps_zh.md", "联通流量卡注销教程（亲测有效）"),
        ("unicom_five_steps_en.md", "Cancel a China Unicom data card in five steps"),
        ("plain_list_zh.md", "手机号怎么注销？"),
        ("plain_list_en.md", "How to cancel a phone number"),
    ],
)
def test_the_promotional_tag_leaves_the_title_and_the_report_lists_it(name, title):
    document, removals = parse(name)
    assert document.title == title
    assert any(r.line == 1 and "@" in r.what for r in removals), removals
    for procedure in document.procedures:
        for text in stored_texts(procedure):
            assert not PROMO.search(text), text


@pytest.mark.parametrize(
    ("name", "summary"),
    [
        ("cards_scenarios_zh.md", "不用的卡记得及时注销，既保护隐私又能退回押金。"),
        (
            "cards_scenarios_en.md",
            "Cancel cards you no longer use: it protects your privacy and returns "
            "your deposit.",
        ),
    ],
)
def test_a_closing_summary_ending_in_an_invitation_keeps_its_summary(name, summary):
    document, removals = parse(name)
    for procedure in document.procedures:
        assert procedure.summary == summary
        assert all(summary not in step.body for step in procedure.steps)
    last = max(r.line for r in removals)
    assert any("@cardhelp" in r.what for r in removals if r.line == last)


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("【收藏】注销攻略 []", "【收藏】注销攻略"),
        ("注销攻略 ｜ ", "注销攻略"),
        ("— How to close a card —", "How to close a card"),
        ("注销教程（）：", "注销教程"),
    ],
)
def test_titles_lose_leftover_brackets_separators_and_punctuation(raw, clean):
    assert clean_title(raw) == clean


# --- structure: scenarios, background, problems, every step ----------------------


SCENARIOS = {
    "cards_scenarios_zh.md": (
        ["地铁卡怎么退", "门禁卡怎么注销", "银行卡怎么注销"],
        [3, 2, 3],
        ["带上身份证", "交回卡片", "领取押金"],
        "到任意地铁站客服中心，出示本人身份证。",
        ["服务密码忘了怎么办？", "押金多久到账？"],
        "保护隐私",
    ),
    "cards_scenarios_en.md": (
        ["How to cancel a transit card", "How to cancel an access card"],
        [3, 2],
        ["Bring your ID", "Hand in the card", "Collect your deposit"],
        "go to a service counter in any metro station.",
        ["What if I forgot my service password?", "How long does the refund take?"],
        "Protect your privacy",
    ),
}


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_scenarios_give_one_procedure_each_with_bold_leads_background_and_faqs(name):
    titles, counts, first_steps, first_body, questions, background = SCENARIOS[name]
    document, _removals = parse(name)
    assert [p.title for p in document.procedures] == titles
    assert [len(p.steps) for p in document.procedures] == counts
    first = document.procedures[0]
    assert [s.title for s in first.steps] == first_steps
    assert first.steps[0].body == first_body
    for procedure in document.procedures:
        # the problems section gives FAQs of each procedure, not steps
        assert [f.question for f in procedure.faqs] == questions
        assert all(f.answer for f in procedure.faqs)
        # the background's numbered headings are background, not steps
        assert background in procedure.introduction
        assert background not in [s.title for s in procedure.steps]


@pytest.mark.parametrize(
    ("name", "last"),
    [
        ("unicom_five_steps_zh.md", "注意收尾工作"),
        ("unicom_five_steps_en.md", "Note what is left to do"),
    ],
)
def test_a_step_list_keeps_every_numbered_heading(name, last):
    document, _removals = parse(name)
    [procedure] = document.procedures
    assert len(procedure.steps) == 5 and procedure.steps[-1].title == last
    assert procedure.steps[-1].body
    assert procedure.requirements[0][0] == "document"


@pytest.mark.parametrize(
    ("name", "first", "link_title"),
    [
        (
            "plain_list_zh.md",
            ("拨打运营商客服热线", "转人工后说明要注销的号码。"),
            "打开联通官网",
        ),
        (
            "plain_list_en.md",
            (
                "Call your carrier's hotline",
                "ask for an agent and give the number to cancel.",
            ),
            "Open the Unicom site",
        ),
    ],
)
def test_plain_items_get_a_short_title_and_a_body_and_links_stay_whole(
    name, first, link_title
):
    document, _removals = parse(name)
    [procedure] = document.procedures
    assert (procedure.steps[0].title, procedure.steps[0].body) == first
    assert all(step.body for step in procedure.steps)
    assert procedure.steps[3].title == link_title
    assert "](https://www.10010.com)" in procedure.steps[3].body
    for step in procedure.steps:
        assert "](" not in step.title and "https" not in step.title
    assert procedure.requirements == [("prerequisite", procedure.requirements[0][1])]


@pytest.mark.parametrize("name", ["unicom_five_steps_zh.md", "unicom_five_steps_en.md"])
def test_a_link_followed_by_a_colon_is_never_cut(name):
    document, _removals = parse(name)
    [procedure] = document.procedures
    assert "](https://www.10010.com)" in procedure.steps[0].body
    for text in stored_texts(procedure):
        assert "](https" not in text or "](https://www.10010.com)" in text


# --- writing: generic procedures, card types, channels -------------------------


def sample(name: str) -> Source:
    return Source(name=name, data=(SAMPLES / name).read_bytes())


@pytest.fixture
def catalog(tenant_a):
    make_catalog(tenant_a)
    return tenant_a


@pytest.mark.parametrize(
    ("name", "count"),
    [
        ("cards_scenarios_zh.md", 3),
        ("cards_scenarios_en.md", 2),
        ("plain_list_zh.md", 1),
        ("plain_list_en.md", 1),
    ],
)
def test_generic_procedures_have_no_carrier_and_are_published(catalog, name, count):
    report = import_sources(tenant=catalog, sources=[sample(name)], publish=True)
    [outcome] = report.files
    assert outcome.ok and len(outcome.articles) == count
    for article in outcome.articles:
        assert article.carrier == "" and article.published, article.notes
        assert Publication.unscoped.filter(article_id=article.article_id).exists()


@pytest.mark.parametrize(
    ("name", "created"),
    [
        ("cards_scenarios_zh.md", ["门禁卡", "银行卡"]),
        ("cards_scenarios_en.md", ["Access card"]),
    ],
)
def test_missing_card_types_are_created_and_reported(catalog, name, created):
    dry = import_sources(tenant=catalog, sources=[sample(name)], dry_run=True)
    lines = "\n".join(dry.lines())
    for card in created:
        assert f"would create the card type “{card}”" in lines
    with tenant_context(catalog):
        assert CardType.objects.count() == 4
    report = import_sources(tenant=catalog, sources=[sample(name)])
    lines = "\n".join(report.lines())
    for card in created:
        assert f"created the card type “{card}”" in lines
    with tenant_context(catalog):
        assert CardType.objects.count() == 4 + len(created)
        articles = Article.objects.order_by("source_key")
        slugs = [a.card_type.slug for a in articles]
    assert slugs[0] == "transit" and "access-card" in slugs
    # again: the card types now exist, nothing more is created
    again = import_sources(tenant=catalog, sources=[sample(name)])
    assert "card type “" not in "\n".join(again.lines())


@pytest.mark.parametrize("name", ["unicom_five_steps_zh.md", "unicom_five_steps_en.md"])
def test_hotlines_link_to_the_carrier_channel(catalog, name):
    report = import_sources(tenant=catalog, sources=[sample(name)], publish=True)
    [article_outcome] = report.files[0].articles
    assert article_outcome.carrier in ("China Unicom", "中国联通")
    with tenant_context(catalog):
        article = Article.objects.get(pk=article_outcome.article_id)
        steps = list(article.steps.all())
        hotline = Channel.objects.get(kind="hotline", value="10010")
    assert steps[2].channel == hotline
    assert "[10010](tel:10010)" in steps[2].body_zh_hans


def test_hotlines_named_as_examples_are_linked_in_a_generic_article(catalog):
    report = import_sources(tenant=catalog, sources=[sample("cards_scenarios_zh.md")])
    with tenant_context(catalog):
        article = Article.objects.get(pk=report.files[0].articles[0].article_id)
        answer = article.faqs.all()[0].answer_zh_hans
    for number in ("10086", "10010", "10000"):
        assert f"[{number}](tel:{number})" in answer


# --- idempotence: an editor's edits are never overwritten silently -------------


def test_a_reimport_over_an_editors_edit_says_so(catalog):
    first = import_sources(tenant=catalog, sources=[sample("plain_list_zh.md")])
    article_id = first.files[0].articles[0].article_id
    editor = make_user(tenant=catalog, role=Membership.Role.EDITOR)
    with tenant_context(catalog):
        article = Article.objects.get(pk=article_id)
        services.article_update(
            article=article, user=editor, title_zh_hans="编辑改过的标题"
        )
    dry = import_sources(
        tenant=catalog, sources=[sample("plain_list_zh.md")], dry_run=True
    )
    assert any("would overwrite" in note for note in dry.files[0].articles[0].notes)
    again = import_sources(tenant=catalog, sources=[sample("plain_list_zh.md")])
    [outcome] = again.files[0].articles
    assert outcome.action == "updated"
    assert any("overwrote" in note for note in outcome.notes)
    assert editor.username in "\n".join(again.lines())
    # an import over the import's own writing says nothing of the kind
    third = import_sources(tenant=catalog, sources=[sample("plain_list_zh.md")])
    assert third.files[0].articles[0].action == "unchanged"
    assert not any("overwr" in n for n in third.files[0].articles[0].notes)
