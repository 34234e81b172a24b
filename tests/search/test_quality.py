"""Search quality (issue #14): facet counts, precision, snippets, "did you mean".

Each test is a finding of the audit: counts that ignored the other active
filter, ``量子纠缠卡`` matching everything through ``卡``, snippets running step
titles into bodies and mixing languages, and misspellings in Chinese.
"""

from __future__ import annotations

import re

import pytest

from guides.models import SearchQuery
from guides.search import searching, snippets
from guides.search.indexing import document_fields
from guides.tenancy import tenant_context
from tests.search_corpus import build_corpus

pytestmark = pytest.mark.django_db

A = "alpha.test"
B = "beta.test"
HAN = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def corpus(db, django_capture_on_commit_callbacks):
    return build_corpus(django_capture_on_commit_callbacks)


def run(tenant, query, language="zh-hans", **kwargs):
    with tenant_context(tenant):
        return searching.search(
            tenant=tenant, language=language, query=query, log=False, **kwargs
        )


# --- facet counts -------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "language"), [("注销", "zh-hans"), ("cancel", "en"), ("卡", "zh-hans")]
)
def test_every_facet_count_is_the_number_of_results_it_leads_to(
    corpus, query, language
):
    """Under any carrier, a card-type count is what that card type then shows."""
    tenant = corpus.tenant_a
    start = run(tenant, query, language)
    assert start.total
    checked = 0
    for carrier in ["", *(f.slug for f in start.carriers)]:
        for card in ["", *(f.slug for f in start.card_types)]:
            here = run(tenant, query, language, carrier=carrier, card_type=card)
            for facet in here.card_types:
                led = run(
                    tenant, query, language, carrier=carrier, card_type=facet.slug
                )
                assert (facet.slug, facet.count) == (facet.slug, led.total)
                checked += 1
            for facet in here.carriers:
                led = run(tenant, query, language, carrier=facet.slug, card_type=card)
                assert (facet.slug, facet.count) == (facet.slug, led.total)
                checked += 1
            assert (
                here.carrier_total == run(tenant, query, language, card_type=card).total
            )
            assert (
                here.card_type_total
                == run(tenant, query, language, carrier=carrier).total
            )
    assert checked > 10


def test_a_selected_filter_with_no_result_under_the_other_stays_selected(corpus):
    """A stale link (telecom + transit card) still shows both filters, at 0."""
    outcome = run(corpus.tenant_a, "注销", carrier="telecom", card_type="transit-card")
    assert outcome.total == 0
    assert (
        outcome.carrier.slug == "telecom" and outcome.card_type.slug == "transit-card"
    )
    assert outcome.card_type.count == 0


# --- precision ----------------------------------------------------------------


def test_a_lone_generic_character_never_matches_everything(corpus):
    """``量子纠缠卡``: no procedure has 量子 nor 纠缠, so nothing is found."""
    outcome = run(corpus.tenant_a, "量子纠缠卡")
    assert (outcome.total, outcome.partial) == (0, False)
    english = run(corpus.tenant_a, "quantum entanglement card", "en")
    assert (english.total, english.partial) == (0, False)


def test_all_terms_first_then_any_significant_term_and_it_says_so(corpus):
    both = run(corpus.tenant_a, "注销 eSIM")
    assert both.total and not both.partial
    assert all("esim" in r.slug for r in both.results)
    some = run(corpus.tenant_a, "注销 量子")
    assert some.partial and some.total
    assert some.partial_terms == ["注销"]


def test_a_query_of_generic_words_only_matches_titles(corpus):
    outcome = run(corpus.tenant_a, "卡")
    assert outcome.total
    assert all("卡" in r.title for r in outcome.results)
    with tenant_context(corpus.tenant_a):
        from guides.models import SearchDocument

        holding = SearchDocument.objects.filter(
            language="zh-hans", body__contains="卡"
        ).count()
    assert outcome.total < holding


def test_partial_results_are_announced_on_the_page(client, corpus, english):
    page = client.get(
        "/en/search/", {"q": "cancel quantum"}, HTTP_HOST=A
    ).content.decode()
    assert "No procedure matches every word" in page
    assert "cancel" in page.split("No procedure matches every word")[1][:300]


# --- snippets -----------------------------------------------------------------


STEPS = {
    "title": "确认办理地点",
    "introduction_html": "<p>预付费卡不用了要及时注销。</p>",
    "steps": [
        {
            "title": "拨打 10000 确认办理地点",
            "body_html": "<p>拨打 10000，说明要注销预付费卡。客服会告知办理地点。</p>",
            "channel": {"label": "中国电信 APP", "value": "中国电信 APP"},
        },
        {
            "title": "到营业厅办理",
            "body_html": "<p>带身份证到营业厅。</p>",
            "channel": {
                "label": "营业厅",
                "value": "各地中国联通自有营业厅 / China Unicom own-brand stores",
            },
        },
    ],
}


def test_snippets_never_run_a_step_title_into_its_body():
    body = document_fields(STEPS)["body"]
    html = snippets.snippet(["", body], ["10000"], language="zh-hans")
    text = re.sub(r"</?mark>", "", html)
    assert text.startswith("拨打 10000，说明要注销预付费卡。")
    assert "确认办理地点 拨打" not in text
    assert "<mark>10000</mark>" in html


def test_snippets_are_whole_sentences_of_the_documents_language():
    body = document_fields(STEPS)["body"]
    zh = snippets.snippet(["", body], ["营业厅"], language="zh-hans")
    assert "China" not in zh and "stores" not in zh
    english = {
        "title": "Where to apply",
        "steps": [
            {
                "title": "Go to a store",
                "body_html": "<p>Take your ID to a store. Sign the form.</p>",
                "channel": {
                    "label": "Stores",
                    "value": "各地中国联通自有营业厅 / China Unicom own-brand stores",
                },
            },
            {
                "title": "Confirm",
                "body_html": "<p>确认销户并销毁卡片</p>",
            },
        ],
    }
    body = document_fields(english)["body"]
    for term in ("store", "confirm", "sign"):
        html = snippets.snippet(["", body], [term], language="en")
        assert not HAN.search(html), (term, html)
        assert html.rstrip("…").endswith((".", "stores", "</mark>", "Confirm")), html
    assert snippets.snippet(["", body], ["store"], language="en").startswith(
        "Take your ID to a <mark>store</mark>."
    )


def test_search_page_snippets_come_from_one_language(client, corpus):
    for language, query in (("zh-hans", "10086"), ("en", "hotline")):
        page = client.get(
            f"/{language}/search/", {"q": query}, HTTP_HOST=A
        ).content.decode()
        found = re.findall(r'<p class="search-snippet">(.*?)</p>', page, re.S)
        assert found
        for html in found:
            if language == "en":
                assert not HAN.search(html), html
            else:
                assert HAN.search(html), html


# --- did you mean -------------------------------------------------------------


def test_a_chinese_slip_is_corrected_from_the_tenants_words(corpus):
    outcome = run(corpus.tenant_a, "注消")
    assert outcome.corrected == "注销"
    assert outcome.total and not outcome.partial
    assert run(corpus.tenant_a, "中国移冻实名认证").corrected == "中国移动实名认证"


def test_an_english_slip_is_corrected_to_a_readable_word(corpus):
    outcome = run(corpus.tenant_a, "refnd", "en")
    assert outcome.corrected == "refund"
    assert run(corpus.tenant_a, "cancle", "en").corrected == "cancel"
    # "deposit" is indexed as itself; "balance" as "balanc": shown as written
    assert run(corpus.tenant_a, "balanse", "en").corrected == "balance"


def test_corrections_come_from_the_tenants_own_words_only(corpus):
    """Beta has "smartwatch"; alpha has not, so alpha never suggests it."""
    assert run(corpus.tenant_b, "smartwach", "en").corrected == "smartwatch"
    assert run(corpus.tenant_a, "smartwach", "en").corrected == ""


def test_the_page_offers_the_correction(client, corpus, english):
    page = client.get("/en/search/", {"q": "cancle"}, HTTP_HOST=A).content.decode()
    assert "Showing results for" in page
    assert 'href="/en/search/?q=cancel"' in page


# --- malformed queries --------------------------------------------------------


@pytest.mark.parametrize(
    "query", ['"', "(", "*", "-", "AND OR NOT", "???", "的", "NEAR("]
)
def test_a_query_without_searchable_words_gets_a_message(client, corpus, query):
    response = client.get("/en/search/", {"q": query}, HTTP_HOST=A)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'class="search-result"' not in page
    assert 'class="search-message"' in page


def test_following_facets_never_logs_a_false_zero_result(client, corpus):
    page = client.get("/zh-hans/search/", {"q": "注销"}, HTTP_HOST=A).content.decode()
    links = re.findall(r'<a class="chip" href="([^"]+)"', page)
    assert links
    for number, href in enumerate(links, 2):
        # a reader each, so every visit is logged (once per reader and query)
        client.get(
            "/zh-hans/search/" + href.replace("&amp;", "&"),
            HTTP_HOST=A,
            REMOTE_ADDR=f"192.0.2.{number}",
        )
    assert SearchQuery.unscoped.count() == len(links) + 1
    assert not SearchQuery.unscoped.filter(result_count=0).exists()


# --- query counts and tenants -------------------------------------------------


def page_queries(client, django_assert_num_queries, expected, query, **params):
    with django_assert_num_queries(expected) as captured:
        response = client.get(
            "/en/search/", {"q": query, **params}, HTTP_HOST=A, REMOTE_ADDR="192.0.2.9"
        )
    assert response.status_code == 200
    return response.content.decode(), captured


def test_the_search_page_makes_a_fixed_number_of_queries_on_every_path(
    client, corpus, django_assert_num_queries
):
    """Synonyms, each match the path needs, the page's documents, the log.

    Nothing found adds the popular procedures and the hotlines; a query with
    no searchable word touches neither the index nor the log.
    """
    client.get("/en/search/", {"q": "warm"}, HTTP_HOST=A)  # host, vocabulary
    # synonyms, match, documents, log
    page, _ = page_queries(client, django_assert_num_queries, 4, "cancel")
    assert 'class="search-result"' in page
    # a filter adds nothing (it narrows the same matches), and the reader's
    # query is already logged: synonyms, match, documents
    page_queries(client, django_assert_num_queries, 3, "cancel", carrier="cmcc")
    page_queries(
        client, django_assert_num_queries, 3, "cancel", carrier="cmcc", card="esim"
    )
    # did you mean: synonyms, match, corrected match, documents, log
    page, _ = page_queries(client, django_assert_num_queries, 5, "cancle")
    assert "Showing results for" in page
    # partial: synonyms, match, any-match, documents, log
    page, _ = page_queries(client, django_assert_num_queries, 5, "cancel quantum")
    assert "No procedure matches every word" in page
    # nothing: synonyms, match, any-match, log, popular, hotlines
    page, _ = page_queries(client, django_assert_num_queries, 6, "quantum wombat")
    assert 'class="search-empty"' in page
    # no searchable word: popular, hotlines
    page_queries(client, django_assert_num_queries, 2, "???")


def test_the_zero_result_page_offers_only_the_tenants_own_procedures(client, corpus):
    page = client.get(
        "/zh-hans/search/", {"q": "量子纠缠卡"}, HTTP_HOST=B
    ).content.decode()
    popular = re.findall(r'<ul class="search-popular">(.*?)</ul>', page, re.S)[0]
    slugs = set(re.findall(r'href="/zh-hans/guides/([\w-]+)/"', popular))
    assert slugs and slugs <= {"beta-esim-cancel", "beta-5g-cancel"}
    assert 'class="call" href="tel:' in page


def test_facets_and_results_stay_in_the_tenant(corpus):
    alpha = run(corpus.tenant_a, "注销")
    beta = run(corpus.tenant_b, "注销")
    assert {r.slug for r in beta.results} == {"beta-esim-cancel", "beta-5g-cancel"}
    assert sum(f.count for f in beta.carriers) == beta.total == 2
    assert alpha.total > beta.total
    assert not {r.slug for r in alpha.results} & {r.slug for r in beta.results}


def test_a_chinese_slip_becomes_the_tenants_most_used_word():
    """注消 is one character from both 注销 and 取消: the commoner word wins."""
    assert searching.correct_query("注消", ["注销", "取消"]) == "注销"
    assert searching.correct_query("注消", ["取消", "注销"]) == "取消"
    assert searching.correct_query("完全无关", ["注销", "取消"]) == "完全无关"


def test_the_vocabulary_lists_the_most_used_words_first(corpus):
    """注销 is in more alpha titles and summaries than 漫游 (backend counts)."""
    with tenant_context(corpus.tenant_a):
        words = searching.vocabulary(tenant=corpus.tenant_a, language="zh-hans")
    assert words.index("注销") < words.index("漫游")
    assert "t" + str(corpus.tenant_a.pk) not in "".join(words)
