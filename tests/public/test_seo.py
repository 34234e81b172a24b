"""What search engines read on a page (guides.public.seo), function by function."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.test import RequestFactory
from django.utils import translation

from guides.public import seo


def request_for(host: str, *, primary: str | None = "help.example", secure=False):
    """Return a request on ``host`` for a tenant whose primary domain is ``primary``."""
    request = RequestFactory().get("/", HTTP_HOST=host, secure=secure)
    request.tenant = SimpleNamespace(primary_host=primary)
    return request


# --- language tags ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "tag"),
    [
        ("zh-hans", "zh-Hans"),
        ("zh-hant", "zh-Hant"),
        ("en", "en"),
        ("en-us", "en-US"),
        ("pt-br", "pt-BR"),
        ("sr-latn", "sr-Latn"),
        ("zh-hant-tw", "zh-Hant-TW"),
    ],
)
def test_bcp47_titles_a_script_and_capitalises_a_region(code, tag):
    assert seo.bcp47(code) == tag


@pytest.mark.parametrize(
    ("code", "locale"),
    [
        ("zh-hans", "zh_CN"),
        ("zh-hant", "zh_TW"),
        ("en", "en_US"),
        ("pt-br", "pt_BR"),  # not in the table: Django's locale name
        ("de", "de"),
    ],
)
def test_og_locale_is_the_open_graph_name(code, locale):
    assert seo.og_locale(code) == locale


# --- absolute URLs ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("host", "secure", "expected"),
    [
        ("www.help.example", False, "http://help.example/en/"),
        ("help.example", True, "https://help.example/en/"),
        ("www.help.example:8000", False, "http://help.example:8000/en/"),
        ("www.help.example:80", False, "http://help.example/en/"),
        ("www.help.example:443", True, "https://help.example/en/"),
        ("www.help.example:8443", True, "https://help.example:8443/en/"),
    ],
)
def test_site_url_names_the_primary_domain_with_the_requests_scheme_and_port(
    host, secure, expected
):
    request = request_for(host, secure=secure)
    assert seo.site_url(request, "/en/") == expected
    assert seo.site_host(request) == expected.split("/")[2]


def test_site_url_falls_back_to_the_requests_host():
    request = request_for("alpha.test:8000", primary=None)
    assert seo.site_url(request, "/en/") == "http://alpha.test:8000/en/"


def test_localized_url_is_the_path_in_that_language_whatever_is_active():
    with translation.override("en"):
        assert seo.localized_url("guides:home", "zh-hans") == "/zh-hans/"
        assert (
            seo.localized_url("guides:article_detail", "zh-hans", slug="cancel-esim")
            == "/zh-hans/guides/cancel-esim/"
        )
        assert translation.get_language() == "en"
    assert seo.localized_url("guides:carrier_detail", "en", slug="cm") == (
        "/en/carriers/cm/"
    )


def test_localized_url_is_memoised():
    seo.localized_url("guides:card_type_detail", "en", slug="memo")
    before = seo._localized_url.cache_info()
    assert seo.localized_url("guides:card_type_detail", "en", slug="memo") == (
        "/en/cards/memo/"
    )
    after = seo._localized_url.cache_info()
    assert (after.hits, after.misses) == (before.hits + 1, before.misses)


def test_site_links_are_the_pages_and_assets_every_page_names():
    links = seo.site_links("en")
    assert links["home"] == "/en/"
    assert links["search"] == "/en/search/"
    assert links["suggest"] == "/en/search/suggest/"
    assert links["stylesheet"].startswith("/static/guides/site")
    assert links["suggest_script"].startswith("/static/guides/suggest")


# --- alternates ---------------------------------------------------------------------


def test_alternates_are_every_language_version_with_absolute_urls():
    request = request_for("www.help.example")
    alternates = seo.alternates(
        request, "guides:article_detail", ["zh-hans", "en"], slug="cancel-esim"
    )
    assert alternates == [
        seo.Alternate(
            language="zh-hans",
            hreflang="zh-Hans",
            name="简体中文",
            url="http://help.example/zh-hans/guides/cancel-esim/",
            path="/zh-hans/guides/cancel-esim/",
        ),
        seo.Alternate(
            language="en",
            hreflang="en",
            name="English",
            url="http://help.example/en/guides/cancel-esim/",
            path="/en/guides/cancel-esim/",
        ),
    ]
    assert seo.alternates(request, "guides:home", []) == []


def test_x_default_is_the_default_language_else_the_first_version():
    request = request_for("help.example")
    both = seo.alternates(request, "guides:home", ["zh-hans", "en"])
    assert seo.x_default(both, "en").language == "en"
    assert seo.x_default(both, "zh-hant").language == "zh-hans"
    english = seo.alternates(request, "guides:home", ["en"])
    assert seo.x_default(english, "zh-hans").language == "en"
    assert seo.x_default([], "zh-hans") is None


# --- JSON-LD ------------------------------------------------------------------------

URL = "https://help.example/en/guides/cancel-esim/"


def snapshot(**extra) -> dict:
    """Return a publication snapshot shaped like build_snapshot's."""
    return {
        "title": "Cancel an eSIM",
        "summary": "How to cancel an eSIM",
        "estimated_time": "约 30 分钟",  # the time the page shows
        "steps": [
            {"title": "Call 10086", "body_html": "<p>Say <b>cancel</b></p>"},
            {"title": "Wait", "body_html": "<p>ignored</p>", "body_text": "Stored"},
            {"title": "Done", "body_html": "", "body_text": ""},
        ],
        "requirements": [
            {"kind": "document", "text": "ID card"},
            {"kind": "condition", "text": "No unpaid bills"},
            {"kind": "document", "text": "The SIM card"},
        ],
        "faqs": [
            {"question": "How long?", "answer_html": "<p>1 to <i>7</i> days</p>"},
            {"question": "Fee?", "answer_html": "<p>x</p>", "answer_text": "None"},
        ],
        **extra,
    }


def test_howto_ld_lists_the_steps_supplies_and_time():
    data = seo.howto_ld(snapshot(), url=URL, language="zh-hans")
    assert data == {
        "@context": "https://schema.org",
        "@type": "HowTo",
        "name": "Cancel an eSIM",
        "inLanguage": "zh-Hans",
        "url": URL,
        "description": "How to cancel an eSIM",
        "totalTime": "PT30M",
        "step": [
            {
                "@type": "HowToStep",
                "position": 1,
                "name": "Call 10086",
                "text": "Say cancel",  # from the HTML when no text was stored
                "url": f"{URL}#step-1",
            },
            {
                "@type": "HowToStep",
                "position": 2,
                "name": "Wait",
                "text": "Stored",  # the text stored at publish time wins
                "url": f"{URL}#step-2",
            },
            {
                "@type": "HowToStep",
                "position": 3,
                "name": "Done",
                "text": "Done",  # an empty body falls back to the title
                "url": f"{URL}#step-3",
            },
        ],
        "supply": [
            {"@type": "HowToSupply", "name": "ID card"},
            {"@type": "HowToSupply", "name": "The SIM card"},
        ],
    }


def test_howto_ld_leaves_out_what_the_article_does_not_have():
    content = snapshot(summary="", estimated_time="", requirements=[])
    data = seo.howto_ld(content, url=URL, language="en")
    assert "description" not in data
    assert "totalTime" not in data
    assert "supply" not in data
    assert data["inLanguage"] == "en"


def test_faq_ld_is_a_faq_page_of_questions_and_answers():
    assert seo.faq_ld(snapshot()) == {
        "@context": "https://schema.org",
        "@type": "FAQPage",
        "mainEntity": [
            {
                "@type": "Question",
                "name": "How long?",
                "acceptedAnswer": {"@type": "Answer", "text": "1 to 7 days"},
            },
            {
                "@type": "Question",
                "name": "Fee?",
                "acceptedAnswer": {"@type": "Answer", "text": "None"},
            },
        ],
    }


@pytest.mark.parametrize("content", [snapshot(faqs=[]), {"title": "No FAQ key"}])
def test_faq_ld_is_none_without_faqs(content):
    assert seo.faq_ld(content) is None


def test_breadcrumb_ld_numbers_the_trail_from_one():
    crumbs = [
        ("Alpha", "https://help.example/en/"),
        ("China Mobile", "https://help.example/en/carriers/china-mobile/"),
        ("Cancel an eSIM", URL),
    ]
    assert seo.breadcrumb_ld(crumbs) == {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": 1, "name": "Alpha", "item": crumbs[0][1]},
            {
                "@type": "ListItem",
                "position": 2,
                "name": "China Mobile",
                "item": crumbs[1][1],
            },
            {"@type": "ListItem", "position": 3, "name": "Cancel an eSIM", "item": URL},
        ],
    }
    assert seo.breadcrumb_ld([])["itemListElement"] == []
