"""Tests for the search text analyser (pure Python, no database)."""

from __future__ import annotations

import re
import stat
import threading

import jieba
import pytest

from guides.search import analysis
from guides.search.analysis import (
    MAX_ALTERNATIVES,
    MAX_QUERY_CHARS,
    MAX_QUERY_TOKENS,
    Synonyms,
    expand,
    highlight,
    normalize,
    query_tokens,
    stem,
    tokens,
)

UNSAFE_IN_TOKEN = re.compile(r"[\s\"'()*:^<>&;\-+]")

HOSTILE = [
    "",
    " ",
    "\t\n\r  \u3000",
    '" * AND OR NOT NEAR( )',
    'esim" OR 1=1 --',
    "注销*",
    "(注销 OR 销户) AND NOT 10086",
    "NEAR(esim 卡, 2)",
    "'; DROP TABLE guides_article; --",
    "\x00\x01\x1b[31m注销\x7f",
    "\u202eesim\u202c\u200b\u200d\ufeff",
    "😀🎉👨‍👩‍👧 ❤️ 1️⃣ 🇨🇳",
    "\ud800 lone surrogate \udfff",
    "<script>alert(1)</script>",
    "a" * 10_000,
    "注" * 10_000,
    "注销 " * 2_000,
    "😀" * 10_000,
]


# --------------------------------------------------------------------------
# normalize


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ＥＳＩＭ", "esim"),
        ("５Ｇ卡", "5g卡"),
        ("eSIM", "esim"),
        ("註銷", "注销"),
        ("銷戶", "销户"),
        ("網絡", "网络"),
        ("中國移動", "中国移动"),
        ("STRASSE Straße", "strasse strasse"),
        ("esim\x00卡\x07", "esim卡"),
        ("soft\u00adhyphen", "softhyphen"),
        ("line\none\ttwo", "line one two"),
        ("eSIM™卡", "esim 卡"),
        ("取消😀注销", "取消 注销"),
        ("can't it’s", "cant its"),
        ('" * AND OR NOT NEAR( )', "and or not near"),
        ("   ", ""),
        ("", ""),
    ],
)
def test_normalize(text: str, expected: str) -> None:
    assert normalize(text) == expected


# --------------------------------------------------------------------------
# Script split and segmentation


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("eSIM卡", ["esim", "esim卡", "卡"]),
        ("ＥＳＩＭ", ["esim"]),
        ("５Ｇ卡", ["5g", "5g卡", "卡"]),
        ("4G/5G", ["4g", "5g"]),
        ("拨打10086", ["拨打", "10086"]),
        ("5G卡号", ["5g", "卡号"]),
        (
            "如何注销中国移动10日卡",
            ["注销", "中国", "移动", "中国移动", "10", "10日卡", "日卡"],
        ),
    ],
)
def test_index_tokens(text: str, expected: list[str]) -> None:
    assert tokens(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("eSIM卡", ["esim卡"]),
        ("５Ｇ卡", ["5g卡"]),
        ("10086", ["10086"]),
        ("5G卡号", ["5g", "卡号"]),
        ("如何注销中国移动10日卡", ["注销", "中国移动", "10日卡"]),
        ("10 日卡", ["10", "日卡"]),
        ("怎么销户", ["销户"]),
        ("携号转网后如何补卡", ["携号转网", "后", "补卡"]),
        ("中国广电的物联网卡", ["中国广电", "物联网卡"]),
        ("网上营业厅APP", ["网上营业厅", "app"]),
    ],
)
def test_query_tokens(text: str, expected: list[str]) -> None:
    assert query_tokens(text) == expected


DOCUMENT = "如何注销中国移动10日卡"


@pytest.mark.parametrize(
    "query", ["注销", "中国移动", "移动", "中国", "10日卡", "日卡", "10", "註銷"]
)
def test_query_matches_the_indexed_sentence(query: str) -> None:
    found = query_tokens(query)
    assert found
    assert set(found) <= set(tokens(DOCUMENT))


@pytest.mark.parametrize(
    ("sentence", "word"),
    [
        ("如何注销中国移动10日卡", "注销"),
        ("账户注销后能恢复吗", "注销"),
        ("取消注销申请", "注销"),
        ("注销户口", "注销"),
        ("如何办理副卡注销", "注销"),
        ("怎么销户", "销户"),
        ("已销户的号码", "销户"),
        ("销户后余额退还", "销户"),
        ("申请销户需要身份证", "销户"),
        ("电信宽带如何销户", "销户"),
        ("携号转网后如何补卡", "补卡"),
        ("副卡停机复机", "复机"),
        ("用APP解绑银行卡", "解绑"),
        ("公交卡余额退款", "退款"),
    ],
)
def test_two_character_words_survive_in_context(sentence: str, word: str) -> None:
    assert query_tokens(word) == [word]
    assert word in tokens(sentence)
    assert word in query_tokens(sentence)


@pytest.mark.parametrize(
    ("traditional", "simplified"),
    [
        ("註銷中國移動帳號", "注销中国移动帐号"),
        ("如何銷戶", "如何销户"),
        ("網絡設置", "网络设置"),
        ("國際漫遊", "国际漫游"),
    ],
)
def test_traditional_and_simplified_analyse_alike(
    traditional: str, simplified: str
) -> None:
    assert tokens(traditional) == tokens(simplified)
    assert query_tokens(traditional) == query_tokens(simplified)


def test_search_mode_yields_sub_words_and_whole_word() -> None:
    assert tokens("中国移动营业厅") == ["中国", "移动", "中国移动", "营业", "营业厅"]
    assert query_tokens("中国移动营业厅") == ["中国移动", "营业厅"]


def test_english_query_and_text_meet() -> None:
    assert query_tokens("cancel esim") == ["cancel", "esim"]
    assert query_tokens("Cancelling eSIMs") == ["cancel", "esim"]
    assert tokens("Cancelled eSIM's steps") == ["cancel", "esim", "step"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("如何注销", ["注销"]),
        ("怎么办理销户呢", ["办理", "销户"]),
        ("我的卡是什么", ["卡"]),
        ("How do I cancel my eSIM?", ["cancel", "esim"]),
        ("the a an to of is", []),
        ("如何 怎么 的 了 吗", []),
    ],
)
def test_stopwords_are_dropped(query: str, expected: list[str]) -> None:
    assert query_tokens(query) == expected
    assert tokens(query) == expected


def test_index_keeps_repeats_and_query_deduplicates() -> None:
    assert tokens("卡 esim 卡 eSIMs") == ["卡", "esim", "卡", "esim"]
    assert query_tokens("卡 esim 卡 eSIMs") == ["卡", "esim"]


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("cancelling", "cancel"),
        ("cancelled", "cancel"),
        ("cancel", "cancel"),
        ("cards", "card"),
        ("steps", "step"),
        ("deregistering", "deregister"),
        ("deregistered", "deregister"),
        ("stopped", "stop"),
        ("calling", "call"),
        ("batteries", "battery"),
        ("status", "status"),
        ("sms", "sms"),
        ("using", "using"),
        ("5g", "5g"),
        ("注销", "注销"),
    ],
)
def test_stem(word: str, expected: str) -> None:
    assert stem(word) == expected


@pytest.mark.parametrize("words", [("charge", "charges", "charged", "charging")])
def test_stem_is_consistent_across_forms(words: tuple[str, ...]) -> None:
    assert len({stem(word) for word in words}) == 1


# --------------------------------------------------------------------------
# Hostile and long input


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_input_gives_safe_tokens(text: str) -> None:
    for produced in (tokens(text), query_tokens(text)):
        assert isinstance(produced, list)
        for token in produced:
            assert token
            assert not UNSAFE_IN_TOKEN.search(token), token
            assert len(token) <= analysis.MAX_TOKEN_LENGTH
    assert len(query_tokens(text)) <= MAX_QUERY_TOKENS
    assert isinstance(normalize(text), str)
    assert isinstance(highlight(text, ["注销", '"', "*"]), str)


@pytest.mark.parametrize("value", [None, 42, b"\xe6\xb3\xa8"])
def test_non_strings_give_nothing(value: object) -> None:
    assert tokens(value) == []  # type: ignore[arg-type]
    assert query_tokens(value) == []  # type: ignore[arg-type]
    assert normalize(value) == ""  # type: ignore[arg-type]
    assert highlight(value, ["注销"]) == ""  # type: ignore[arg-type]


def test_fts_syntax_is_reduced_to_plain_words() -> None:
    assert query_tokens('"注销" * AND OR NOT NEAR( esim )') == ["注销", "near", "esim"]


def test_query_is_truncated_before_analysis() -> None:
    padding = " " * (MAX_QUERY_CHARS - 2)
    # The raw text is cut, so spaces count and a word may lose its end.
    assert query_tokens(padding + "注销") == ["注销"]  # ends at the limit
    assert query_tokens(padding + " 注销") == ["注"]  # one character over
    assert query_tokens(padding + "  注销") == []  # starts after the limit


def test_query_token_count_is_capped_in_order() -> None:
    words = [f"w{number}" for number in range(100)]
    assert query_tokens(" ".join(words)) == words[:MAX_QUERY_TOKENS]


def test_overlong_runs_are_not_tokens() -> None:
    assert tokens("x" * 65 + " esim") == ["esim"]
    assert tokens("x" * 64) == ["x" * 64]


# --------------------------------------------------------------------------
# highlight


def test_highlight_marks_matches_and_escapes_html() -> None:
    text = "如何注销？<script>alert(1)</script> Cancelling your eSIMs & more"
    snippet = highlight(text, query_tokens("注销 cancel esim"))
    assert snippet == (
        "如何<mark>注销</mark>？&lt;script&gt;alert(1)&lt;/script&gt; "
        "<mark>Cancelling</mark> your <mark>eSIMs</mark> &amp; more"
    )


def test_highlight_keeps_original_characters() -> None:
    snippet = highlight(
        "請先註銷ＥＳＩＭ，再撥打10086", query_tokens("注销 esim 10086")
    )
    assert snippet == (
        "請先<mark>註銷</mark><mark>ＥＳＩＭ</mark>，再撥打<mark>10086</mark>"
    )


def test_highlight_prefers_the_longest_match() -> None:
    snippet = highlight("中国移动营业厅", ["移动", "中国移动"])
    assert snippet == "<mark>中国移动</mark>营业厅"


@pytest.mark.parametrize(
    ("text", "token"),
    [
        ("call 100 now", "10"),
        ("an eSIM card", "sim"),
        ("cancellation fee", "cancel"),
    ],
)
def test_highlight_never_marks_inside_other_words(text: str, token: str) -> None:
    assert "<mark>" not in highlight(text, [token])


def test_highlight_does_not_split_an_original_character() -> None:
    assert highlight("ﬁle", ["f"]) == "ﬁle"
    assert highlight("ﬁle", ["file"]) == "<mark>ﬁle</mark>"
    # "⑽" folds to " 10 " and "½" to "1 2": the match is whole there, but
    # only part of one original character.
    assert tokens("⑽") == ["10"]
    assert highlight("拨打⑽", ["10"]) == "拨打⑽"
    assert highlight("½", ["2"]) == "½"


@pytest.mark.parametrize(
    ("text", "token", "expected"),
    [
        ("Cancelling", "cancel", "<mark>Cancelling</mark>"),
        ("terminate", "terminat", "<mark>terminate</mark>"),
        ("settings", "set", "<mark>settings</mark>"),
        ("apple", "app", "apple"),
        ("cardinal", "card", "cardinal"),
    ],
)
def test_highlight_marks_words_that_stem_to_the_token(
    text: str, token: str, expected: str
) -> None:
    assert highlight(text, [token]) == expected
    assert (token in tokens(text)) == ("<mark>" in expected)


def test_highlight_does_not_inject_markup_through_tokens() -> None:
    snippet = highlight("plain <mark> text", ["<mark>", "mark"])
    assert snippet == "plain &lt;<mark>mark</mark>&gt; text"


def test_highlight_removes_bidi_and_control_characters() -> None:
    snippet = highlight("a\u202eb\x00c\ndone", ["done"])
    assert snippet == "abc <mark>done</mark>"


def test_highlight_windows_around_the_first_match() -> None:
    text = (
        "这是一段很长的说明。" * 40 + "最后讲如何注销账号。" + "后面还有很多内容。" * 40
    )
    snippet = highlight(text, ["注销"], max_length=60)
    assert snippet.startswith("…") and snippet.endswith("…")
    assert "<mark>注销</mark>" in snippet
    visible = snippet.replace("<mark>", "").replace("</mark>", "").strip("…")
    assert len(visible) <= 60
    assert visible in text


def test_highlight_without_match_shows_the_beginning() -> None:
    text = "word " * 100
    snippet = highlight(text, ["missing"], max_length=40)
    assert "<mark>" not in snippet
    assert snippet.endswith("…") and not snippet.startswith("…")
    assert len(snippet.rstrip("…")) <= 40


@pytest.mark.parametrize(
    ("text", "query", "expected"),
    [
        ("", ["注销"], ""),
        ("   ", ["注销"], ""),
        ("esim", [], "esim"),
        ("esim", ["", " ", '"'], "esim"),
    ],
)
def test_highlight_edge_cases(text: str, query: list[str], expected: str) -> None:
    assert highlight(text, query) == expected


# --------------------------------------------------------------------------
# Synonyms

GROUPS = [["注销", "销户", "cancel", "deregister"], ["eSIM", "嵌入式SIM"]]


def test_expand_adds_group_members_after_the_token() -> None:
    expanded = expand(query_tokens("Cancelling 10日卡"), GROUPS)
    assert expanded == [["cancel", "注销", "销户", "deregister"], ["10日卡"]]


def test_expand_normalizes_members() -> None:
    expanded = expand(
        ["销户", "esim"], [["註銷", "銷戶", "Cancelling"], ["ＥＳＩＭ", "eSIM"]]
    )
    assert expanded == [["销户", "注销", "cancel"], ["esim"]]


def test_expand_skips_multi_token_members() -> None:
    expanded = expand(["cancel"], [["cancel", "deregister esim", "如何", "terminate"]])
    # "terminate" is kept, as the token an article containing it indexes to.
    assert tokens("How to terminate") == ["terminat"]
    assert expanded == [["cancel", "terminat"]]


def test_expand_merges_groups_sharing_a_token() -> None:
    groups = [["注销", "销户"], ["注销", "cancel"], ["unrelated", "other"]]
    assert expand(["注销"], groups) == [["注销", "销户", "cancel"]]


@pytest.mark.parametrize(
    "groups",
    [[], [[]], [["only"]], ["注销销户"], [[None, 3, "注销", "销户"]], None],
)
def test_expand_tolerates_odd_groups(groups: object) -> None:
    result = expand(["注销"], groups)  # type: ignore[arg-type]
    assert result[0][0] == "注销"
    assert len(result) == 1


def test_expand_caps_alternatives() -> None:
    group = [f"w{number}" for number in range(50)]
    synonyms = Synonyms([group])
    assert synonyms.alternatives("w0") == group[:MAX_ALTERNATIVES]
    assert synonyms.expand(["w0", "zzz"])[1] == ["zzz"]


# --------------------------------------------------------------------------
# Dictionary and jieba set-up


def test_dictionary_file_is_jieba_user_dictionary_format() -> None:
    lines = analysis.DICTIONARY_PATH.read_text(encoding="utf-8").splitlines()
    words = set()
    for line in lines:
        assert re.fullmatch(r"\S+ [1-9][0-9]* [a-z]+", line), line
        words.add(line.split(" ")[0])
    required = {
        "eSIM", "5G卡", "流量卡", "10日卡", "公交卡", "交通卡", "银行卡", "门禁卡",
        "物联网卡", "副卡", "主卡", "手机卡", "电话卡", "SIM卡", "注销", "销户",
        "停机", "复机", "携号转网", "补卡", "换卡", "退费", "退款", "余额", "押金",
        "解绑", "实名", "过户", "中国移动", "中国联通", "中国电信", "中国广电",
        "移动", "联通", "电信", "营业厅", "客服热线", "人工客服", "短信", "APP",
        "网上营业厅",
    }  # fmt: skip
    assert required <= words


def test_domain_words_come_out_whole() -> None:
    for line in analysis.DICTIONARY_PATH.read_text(encoding="utf-8").splitlines():
        word = normalize(line.split(" ")[0])
        assert query_tokens(word) == [word], word


def test_private_tokenizer_leaves_global_jieba_alone() -> None:
    query_tokens("10日卡")
    assert analysis._segmenter().tokenizer is not jieba.dt
    assert "日卡" in analysis._segmenter().tokenizer.FREQ
    assert "日卡" not in jieba.dt.FREQ


def test_building_without_cache_dir_is_quiet_and_equivalent(
    monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(analysis, "_cache_dir", lambda: None)
    built = analysis._build_segmenter()
    assert built.cut("如何注销中国移动日卡") == ["如何", "注销", "中国移动", "日卡"]
    assert built.compounds == analysis._segmenter().compounds
    captured = capfd.readouterr()
    assert captured.err == ""
    assert captured.out == ""


def test_cache_dir_is_private(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    monkeypatch.setattr(analysis.tempfile, "gettempdir", lambda: str(tmp_path))
    path = analysis._cache_dir()
    assert path is not None and path.startswith(str(tmp_path))
    assert stat.S_IMODE((tmp_path / path).stat().st_mode) & 0o077 == 0


@pytest.mark.parametrize("problem", ["file", "shared"])
def test_cache_dir_refuses_unsafe_paths(
    monkeypatch: pytest.MonkeyPatch, tmp_path, problem: str
) -> None:
    monkeypatch.setattr(analysis.tempfile, "gettempdir", lambda: str(tmp_path))
    path = analysis._cache_dir()
    assert path is not None
    (tmp_path / path).rmdir()
    if problem == "file":
        (tmp_path / path).write_text("not a directory")
    else:
        (tmp_path / path).mkdir(mode=0o777)
        (tmp_path / path).chmod(0o777)
    assert analysis._cache_dir() is None


def test_lazy_initialisation_builds_once_across_threads(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls = []
    real_build = analysis._build_segmenter

    def counting_build() -> analysis._Segmenter:
        calls.append(1)
        return real_build()

    monkeypatch.setattr(analysis, "_segmenter_instance", None)
    monkeypatch.setattr(analysis, "_build_segmenter", counting_build)
    barrier = threading.Barrier(8)
    results: list[list[str]] = []

    def work() -> None:
        barrier.wait()
        results.append(query_tokens("如何注销中国移动10日卡"))

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(calls) == 1
    assert results == [["注销", "中国移动", "10日卡"]] * 8
