"""The search backends: golden queries, isolation and hostile input.

Every test here runs on the configured database's backend: SQLite FTS5 by
default, PostgreSQL when DATABASE_URL points at PostgreSQL (the CI runs the
suite on both), so this module is the shared backend test class.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from guides.search import searching
from guides.search.backends import clean_groups, get_search_backend
from guides.search.indexing import scoped_fields
from guides.tenancy import tenant_context
from tests.search_corpus import DRAFT_SLUG, UNPUBLISHED_SLUG, build_corpus

GOLDEN = [
    # (language, query, expected slug in the top three)
    ("zh-hans", "注销10日卡", "cmcc-10day-cancel"),
    ("zh-hans", "如何注销中国移动10日卡", "cmcc-10day-cancel"),
    ("zh-hans", "销户 流量卡", "unicom-data-card-close"),
    ("zh-hans", "联通流量卡", "unicom-data-card-close"),
    ("zh-hans", "eSIM 注销", "cmcc-esim-cancel"),
    ("zh-hans", "ＥＳＩＭ", "cmcc-esim-cancel"),  # full-width
    ("zh-hans", "５Ｇ卡", "telecom-5g-cancel"),  # full-width
    ("zh-hans", "5G卡", "telecom-5g-cancel"),
    ("zh-hans", "公交卡退卡", "transit-card-refund"),
    ("zh-hans", "押金", "transit-card-refund"),  # two characters
    ("zh-hans", "10086", "cmcc-10day-cancel"),  # carrier hotline
    ("zh-hans", "10010", "unicom-data-card-close"),  # carrier hotline
    ("zh-hans", "註銷 eSIM", "cmcc-esim-cancel"),  # Traditional Chinese
    ("zh-hans", "攜號轉網", "cmcc-number-porting"),  # Traditional Chinese
    ("zh-hans", "挂失", "unicom-lost-sim"),
    ("zh-hans", "补卡", "unicom-lost-sim"),
    ("zh-hans", "漫游", "cmcc-international-roaming"),
    ("zh-hans", "实名", "cmcc-real-name"),
    ("zh-hans", "余额退费", "telecom-balance-refund"),
    ("zh-hans", "怎么注销电信5G卡", "telecom-5g-cancel"),
    ("zh-hans", "销户 eSIM", "cmcc-esim-cancel"),  # synonym of 注销 (title word)
    ("en", "cancel esim", "cmcc-esim-cancel"),
    ("en", "deregister eSIM", "cmcc-esim-cancel"),  # synonym
    ("en", "close data card", "unicom-data-card-close"),
    ("en", "transit card deposit", "transit-card-refund"),
    ("en", "cancle 10-day card", "cmcc-10day-cancel"),  # misspelled
    ("en", "roaming", "cmcc-international-roaming"),
    ("en", "5G card", "telecom-5g-cancel"),
    ("en", "lost SIM replacement", "unicom-lost-sim"),
    ("en", "port my number", "cmcc-number-porting"),
    ("en", "ＥＳＩＭ", "cmcc-esim-cancel"),  # full-width
]

HOSTILE = [
    "",
    "   \t\u3000 ",
    "注" * 10_000,
    "esim " * 2_000,
    '"',
    "*",
    "AND OR NOT",
    "NEAR(",
    ")",
    '" OR 1=1 --',
    "'; DROP TABLE guides_searchdocument; --",
    "esim*",
    "title:esim",
    "{title summary}: esim",
    "^esim -注销 +5g",
    "'esim':*A & !注销",
    "esim NEAR/2 卡",
    "\x00\x01\x1b[31m注销\x7f",
    "😀🎉👨‍👩‍👧",
    "注销😀eSIM",
    "\ud800",
]


@pytest.fixture
def corpus(db, django_capture_on_commit_callbacks):
    return build_corpus(django_capture_on_commit_callbacks)


def _slugs(tenant, language, query, **kwargs):
    with tenant_context(tenant):
        outcome = searching.search(
            tenant=tenant, language=language, query=query, log=False, **kwargs
        )
    return [r.slug for r in outcome.results], outcome


def test_configured_backend_matches_the_database():
    """The default settings pick FTS5 on SQLite and tsvector on PostgreSQL."""
    backend = get_search_backend()
    assert backend.vendor == connection.vendor


def test_unknown_backend_alias_is_improperly_configured():
    """Asking for a backend alias that is not configured raises ImproperlyConfigured."""
    with pytest.raises(ImproperlyConfigured):
        get_search_backend("nope")


def test_unknown_backend_module_is_improperly_configured(settings):
    """A BACKEND path that cannot be imported raises ImproperlyConfigured."""
    settings.HELPCENTER_SEARCH_BACKENDS = {
        "default": {"BACKEND": "guides.search.backends.nope"}
    }
    with pytest.raises(ImproperlyConfigured):
        get_search_backend()


def test_clean_groups_keeps_only_letters_and_digits():
    """Operators, quotes and stars never reach a match expression."""
    assert clean_groups([['"esim"*'], ["NEAR(", ")"], ["a_b"], ["", "*"]]) == [
        ["esim"],
        ["NEAR"],
        ["a", "b"],
    ]


def test_golden_query_set_has_enough_queries():
    """The golden set holds at least 25 queries in both languages."""
    assert len(GOLDEN) >= 25
    assert {lang for lang, _q, _s in GOLDEN} == {"zh-hans", "en"}


def test_golden_query_set_finds_procedures_in_top_three(corpus):
    """Every golden query ranks its procedure among the first three results."""
    misses = []
    for language, query, expected in GOLDEN:
        slugs, _outcome = _slugs(corpus.tenant_a, language, query)
        if expected not in slugs[:3]:
            misses.append((language, query, expected, slugs[:3]))
    assert misses == []


def test_title_outranks_summary(corpus):
    """A word in a title ranks above the same word in a summary."""
    # 退还 is in the transit title and in the balance-refund summary.
    slugs, _ = _slugs(corpus.tenant_a, "zh-hans", "退还")
    assert slugs[:2] == ["transit-card-refund", "telecom-balance-refund"]


def test_backend_ranks_title_then_summary_then_body(tenant_a):
    """The same word ranks a title match above a summary match above a body match."""
    # given: three documents with the word in exactly one field each
    from guides.models import SearchDocument
    from tests.factories import make_article

    docs = []
    for field_name in ("body", "summary", "title"):
        article = make_article(tenant_a, slug=f"rank-{field_name}")
        tokens = {
            "title_tokens": "procedure",
            "summary_tokens": "guide",
            "body_tokens": "text",
        }
        tokens[f"{field_name}_tokens"] += " wombat"
        docs.append(
            SearchDocument(
                tenant=tenant_a,
                article=article,
                language="en",
                slug=article.slug,
                title=field_name,
                **scoped_fields(tokens, tenant_id=tenant_a.pk, language="en"),
            )
        )
    SearchDocument.unscoped.bulk_create(docs)
    # when
    matches = get_search_backend().match(
        tenant_id=tenant_a.pk, language="en", groups=[["wombat"]]
    )
    # then
    by_id = {d.pk: d.title for d in SearchDocument.unscoped.filter(tenant=tenant_a)}
    assert [by_id[m.id] for m in matches.matches] == ["title", "summary", "body"]


def test_same_query_on_two_tenants_returns_own_procedures(corpus):
    """注销 on alpha finds alpha's procedures only, on beta beta's only."""
    alpha, _ = _slugs(corpus.tenant_a, "zh-hans", "注销")
    beta, _ = _slugs(corpus.tenant_b, "zh-hans", "注销")
    assert alpha and beta
    assert all(not s.startswith("beta-") for s in alpha)
    assert set(beta) == {"beta-esim-cancel", "beta-5g-cancel"}


def test_languages_do_not_leak(corpus):
    """An English word finds nothing in the Chinese index and vice versa."""
    assert _slugs(corpus.tenant_a, "zh-hans", "deposit")[0] == []
    assert _slugs(corpus.tenant_a, "en", "押金")[0] == []


def test_drafts_and_unpublished_are_never_found(corpus):
    """A never-published draft and an unpublished article are not in the index."""
    for query in ("草稿注销秘密", "秘密", "撤下", "已撤下的注销"):
        slugs, _ = _slugs(corpus.tenant_a, "zh-hans", query)
        assert DRAFT_SLUG not in slugs and UNPUBLISHED_SLUG not in slugs
    for query in ("secret draft", "withdrawn"):
        slugs, _ = _slugs(corpus.tenant_a, "en", query)
        assert DRAFT_SLUG not in slugs and UNPUBLISHED_SLUG not in slugs


def test_filters_narrow_results_and_counts_cover_all_matches(corpus):
    """carrier= narrows results; the facet counts stay over every match."""
    slugs, outcome = _slugs(corpus.tenant_a, "zh-hans", "注销", carrier="telecom")
    assert set(slugs) == {"telecom-5g-cancel", "telecom-balance-refund"}
    counts = {f.slug: f.count for f in outcome.carriers}
    assert counts == {"cmcc": 2, "telecom": 2, "unicom": 1}
    assert outcome.carrier.slug == "telecom"
    slugs, outcome = _slugs(corpus.tenant_a, "zh-hans", "注销", card_type="esim")
    assert slugs == ["cmcc-esim-cancel"]


def test_unknown_filters_are_ignored(corpus):
    """An unknown or another tenant's carrier or card slug does not filter."""
    everything, _ = _slugs(corpus.tenant_a, "zh-hans", "注销")
    slugs, outcome = _slugs(
        corpus.tenant_a, "zh-hans", "注销", carrier="nope\x00", card_type="' OR 1"
    )
    assert slugs == everything and outcome.carrier is None


def test_pagination_splits_results(corpus):
    """per_page splits the ranked list; pages outside the range clamp."""
    all_slugs, _ = _slugs(corpus.tenant_a, "zh-hans", "注销")
    first, outcome = _slugs(corpus.tenant_a, "zh-hans", "注销", per_page=2, page=1)
    second, _ = _slugs(corpus.tenant_a, "zh-hans", "注销", per_page=2, page="2")
    last, last_outcome = _slugs(
        corpus.tenant_a, "zh-hans", "注销", per_page=2, page=99999
    )
    assert outcome.num_pages == 3 and first + second == all_slugs[:4]
    assert last_outcome.page == 3 and last == all_slugs[4:]
    for page in ("abc", "-1", "0", "1e9", None):
        slugs, outcome = _slugs(
            corpus.tenant_a, "zh-hans", "注销", per_page=2, page=page
        )
        assert outcome.page == 1 and slugs == all_slugs[:2]


def test_titles_and_snippets_are_highlighted(corpus):
    """Result titles mark the matched word; snippets show the context escaped."""
    _found, outcome = _slugs(corpus.tenant_a, "zh-hans", "押金")
    result = outcome.results[0]
    assert result.title_html == "公交卡退卡及<mark>押金</mark>退还"
    assert "<mark>押金</mark>" in result.snippet_html


def test_hostile_queries_answer_normally(corpus):
    """Operators, huge, control and emoji queries give results or none, never errors."""
    for query in HOSTILE:
        for language in ("zh-hans", "en"):
            slugs, outcome = _slugs(corpus.tenant_a, language, query)
            assert outcome.total >= len(slugs)
            assert all(not s.startswith("beta-") for s in slugs), query
    # Operators are words, not syntax: "esim*" is the word esim, not a prefix.
    assert (
        _slugs(corpus.tenant_a, "en", "esim*")[0]
        == _slugs(corpus.tenant_a, "en", "esim")[0]
    )


def test_emoji_around_words_still_finds(corpus):
    """Emoji next to a word are ignored: 注销😀eSIM finds the eSIM procedure."""
    slugs, _ = _slugs(corpus.tenant_a, "zh-hans", "注销😀eSIM")
    assert "cmcc-esim-cancel" in slugs[:3]


def test_suggest_completes_title_words(corpus):
    """Typing the start of a title word suggests titles, at most eight, own tenant."""
    with tenant_context(corpus.tenant_a):
        titles = searching.suggest(tenant=corpus.tenant_a, language="en", query="roam")
        many = searching.suggest(tenant=corpus.tenant_a, language="zh-hans", query="中")
    assert [t["slug"] for t in titles] == ["cmcc-international-roaming"]
    assert 0 < len(many) <= 8
    assert all(not t["slug"].startswith("beta-") for t in many)
