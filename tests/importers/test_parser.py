"""The importer's parser finds titles, steps, requirements, tips, FAQs and procedures.

Each sample in tests/importers/samples/ is one shape articles copied from the
web take; these tests pin what the parser reads out of each.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from guides.importers.hygiene import clean_text
from guides.importers.parser import classify, parse_document

SAMPLES = Path(__file__).parent / "samples"


@pytest.fixture(autouse=True)
def _english():
    """Notes are translated; these tests read the English ones."""
    from django.utils import translation

    with translation.override("en"):
        yield


ALLOWED = {"10086.cn", "transit.example.com"}


def parse(name: str = "", *, text: str | None = None):
    text = (SAMPLES / name).read_text(encoding="utf-8") if text is None else text
    lines, removals = clean_text(text, ALLOWED)
    return parse_document(lines=lines, fallback_title="fallback"), removals


def test_heading_steps_requirements_tips_faqs_and_summary_in_chinese():
    document, _removals = parse("esim_cancel_zh.md")
    [procedure] = document.procedures
    # the promotional fragment is cut from the "# heading" title
    assert procedure.title == "中国移动 eSIM 注销全攻略"
    assert [s.title for s in procedure.steps] == [
        "确认账户状态",
        "前往营业厅",
        "确认注销",
    ]
    assert "10086" in procedure.steps[0].body
    assert procedure.requirements == [
        ("prerequisite", "号码无欠费，话费已结清"),
        ("prerequisite", "已解除所有绑定的业务和合约"),
        ("document", "机主本人身份证原件"),
        ("document", "需要注销的手机号码"),
    ]
    assert procedure.tips == [
        ("warning", "谨防冒充客服的诈骗电话，切勿透露验证码"),
        ("tip", "保留好业务受理单"),
    ]
    assert [f.question for f in procedure.faqs] == [
        "注销后号码还能找回吗？",
        "余额怎么办？",
    ]
    assert procedure.faqs[1].answer == "账户余额可以申请退回到原支付账户。"
    # the closing summary is the article's summary, not a step
    assert procedure.summary == "准备好身份证，到营业厅办理，耐心等待审核即可。"
    assert procedure.introduction.startswith("很多用户换手机后")


def test_bold_title_numbered_list_under_a_steps_heading_and_a_question_heading():
    document, _removals = parse("data_card_bold_title.md")
    [procedure] = document.procedures
    assert procedure.title == "联通流量卡怎么注销"
    # a plain item's title is its first clause, its body the rest (or the item)
    assert [s.title for s in procedure.steps] == [
        "拨打客服",
        "说明要注销的流量卡号码",
        "等待短信通知注销结果",
    ]
    # "**title**：text" splits into title and body; a continuation line joins the body
    assert procedure.steps[0].body == "拨打 10010，按语音提示转人工服务。"
    assert procedure.steps[1].body == "并验证机主身份。\n客服会核对实名信息。"
    assert procedure.steps[2].body == "等待短信通知注销结果。"
    assert procedure.tips == [("tip", "流量卡注销前，先把卡内余额用完或申请退款。")]
    [faq] = procedure.faqs
    assert faq.question == "注销后还在扣费怎么办？"
    assert faq.answer == "保留注销凭证，再次拨打 10010 要求退费。"


def test_english_step_headings_below_a_documents_section_and_q_a_pairs():
    document, _removals = parse("transit_card_en.md")
    [procedure] = document.procedures
    assert procedure.title == "How to close a transit card"
    assert [s.title for s in procedure.steps] == [
        "Check your balance",
        "Go to a service counter",
        "Get your refund",
    ]
    # "### Step 1" under "## Documents" is a step, not a document
    assert [kind for kind, _text in procedure.requirements] == [
        "prerequisite",
        "prerequisite",
        "document",
        "document",
    ]
    assert [kind for kind, _text in procedure.tips] == ["tip", "warning"]
    assert [(f.question, f.answer) for f in procedure.faqs] == [
        ("How long does the refund take?", "Usually within 7 working days."),
        ("Can someone else close my card?", "Yes, with your ID card and theirs."),
    ]


def test_one_file_with_a_section_per_card_type_gives_one_procedure_each():
    document, _removals = parse("telecom_multi.md")
    assert [p.section for p in document.procedures] == [
        "eSIM 注销",
        "10日卡注销",
        "公交卡注销",
    ]
    assert [[s.title for s in p.steps] for p in document.procedures] == [
        ["登录 App", "提交注销申请"],
        ["拨打 10000 转人工", "核对身份信息", "等待注销完成短信"],
        ["到营业厅出示身份证", "交回公交卡并办理退款"],
    ]
    # each procedure's title is its own, not "page title - section"
    assert [p.title for p in document.procedures] == [
        "eSIM 注销",
        "10日卡注销",
        "公交卡注销",
    ]
    # the shared FAQ section belongs to every procedure of the file
    assert all(
        [f.question for f in p.faqs] == ["注销要多久？"] for p in document.procedures
    )


def test_plain_text_with_step_lines_and_colon_sections():
    document, _removals = parse("plain_text_steps.txt")
    [procedure] = document.procedures
    assert procedure.title == "流量卡销户办法"
    assert [s.title for s in procedure.steps] == [
        "准备好身份证和手机卡",
        "拨打客服热线 10086 申请销户",
        "等待审核短信",
    ]
    assert procedure.steps[1].body == "按提示转人工，说明销户原因。"
    assert procedure.requirements == [
        ("prerequisite", "无欠费"),
        ("prerequisite", "已过合约期"),
    ]
    assert procedure.tips == [("warning", "谨防诈骗，客服不会索要银行卡密码。")]


def test_a_scenario_heading_with_a_list_and_a_numbered_notes_heading():
    document, _removals = parse("scenario_zh.md")
    [procedure] = document.procedures
    assert [s.title for s in procedure.steps] == [
        "携带身份证到物业服务中心",
        "填写门禁卡注销申请表",
        "工作人员当场注销旧卡",
    ]
    # "## 1. 注意事项" numbers a section: its item is a tip, not a step
    assert procedure.tips == [("tip", "注销后旧卡立即失效")]
    assert procedure.requirements == [("prerequisite", "物业登记的手机号")]


def test_a_file_without_steps_yields_a_procedure_without_steps():
    document, _removals = parse("no_steps.md")
    assert [p.steps for p in document.procedures] == [[]]


def test_headings_inside_code_fences_are_not_sections():
    text = "# Title\n\n## Steps\n\n1. Run this\n\n```\n## Step 9: not a step\n```\n"
    document, _removals = parse(text=text)
    [procedure] = document.procedures
    assert [s.title for s in procedure.steps] == ["Run this"]
    assert "## Step 9: not a step" in procedure.steps[0].body


def test_a_file_without_any_title_takes_the_fallback():
    document, _removals = parse(text="1. 打开 App\n2. 点击注销\n")
    assert document.title == "fallback" and document.title_from_name


@pytest.mark.parametrize(
    "heading, kind",
    [
        ("步骤一：登录", "step"),
        ("第二步：提交", "step"),
        ("Step 3: Wait", "step"),
        ("4. 等待审核", "step"),
        ("1. 准备材料", "documents"),
        ("一、办理条件", "prerequisites"),
        ("注意事项", "tips"),
        ("小贴士", "tips"),
        ("Tips", "tips"),
        ("常见问题", "faq"),
        ("FAQ", "faq"),
        ("号码被停机了怎么办？", "question"),
        ("所需证件", "documents"),
        ("总结", "summary"),
        ("操作步骤", "steps"),
        ("场景二：线上办理", "scenario"),
        ("关于我们", "other"),
    ],
)
def test_headings_are_classified_by_their_words(heading, kind):
    assert classify(heading)[0] == kind


# --- a question without an answer (issue 11, finding 8) ------------------------

NO_ANSWER = (
    "# 标题\n\n## 步骤\n\n1. 拨打 10086 申请注销\n\n## 常见问题\n\n### 可以代办吗？\n"
)


def test_a_question_heading_without_an_answer_is_skipped_with_a_note():
    """The parser recursed without end here; now it skips the question and says so."""
    document, _removals = parse(text=NO_ANSWER)
    [procedure] = document.procedures
    assert [s.title for s in procedure.steps] == ["拨打 10086 申请注销"]
    assert procedure.faqs == []
    assert procedure.notes == ["FAQ “可以代办吗？” has no answer and was left out."]


def test_unanswered_questions_in_every_position_are_noted_and_answered_ones_kept():
    text = (
        "# 标题\n\n## 步骤\n\n1. 拨打 10086\n\n"
        "## 常见问题\n\n问：没有答案的问题？\n\n### 有答案吗？\n\n有。\n\n"
        "### 最后一个？\n\n## 能退款吗？\n"
    )
    document, _removals = parse(text=text)
    [procedure] = document.procedures
    assert [(f.question, f.answer) for f in procedure.faqs] == [("有答案吗？", "有。")]
    assert procedure.notes == [
        "FAQ “没有答案的问题？” has no answer and was left out.",
        "FAQ “最后一个？” has no answer and was left out.",
        "FAQ “能退款吗？” has no answer and was left out.",
    ]


def test_a_long_summary_section_is_shortened_with_a_note():
    text = "# 标题\n\n## 步骤\n\n1. 拨打 10086\n\n## 总结\n\n" + "很长的总结。" * 200
    document, _removals = parse(text=text)
    [procedure] = document.procedures
    assert len(procedure.summary) == 500 and procedure.summary.endswith("…")
    assert procedure.notes == ["The summary was shortened to 500 characters."]


@pytest.mark.django_db
def test_the_command_imports_a_file_with_an_unanswered_question(tenant_a, tmp_path):
    """The command aborted the whole batch with a traceback on this file."""
    from io import StringIO

    from django.core.management import call_command
    from django.utils import translation

    from guides.models import Article
    from tests.importers.test_runner import make_catalog

    make_catalog(tenant_a)
    (tmp_path / "no_answer.md").write_text(NO_ANSWER, encoding="utf-8")
    shutil.copy(SAMPLES / "scenario_zh.md", tmp_path / "scenario_zh.md")
    out = StringIO()
    with translation.override("en"):
        call_command("import_guides", str(tmp_path), "--tenant", "alpha", stdout=out)
    output = out.getvalue()
    assert "no_answer.md: 1 article(s)" in output
    assert "note: FAQ “可以代办吗？” has no answer and was left out." in output
    assert "2 file(s): 2 imported, 0 failed" in output
    assert Article.unscoped.filter(tenant=tenant_a).count() == 2
