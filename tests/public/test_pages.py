"""The public help site: pages, languages, caching, search engines, feedback."""

from __future__ import annotations

import json
import re

import pytest
from django.core.cache import cache

from guides import services
from guides.models import Article, Feedback, Tenant
from guides.services.feedback import FEEDBACK_LIMIT
from guides.tenancy import tenant_context
from tests.factories import make_article, make_card_type, make_carrier, make_tenant

pytestmark = pytest.mark.django_db

A = "alpha.test"
B = "beta.test"


def get(client, path, host=A, **extra):
    return client.get(path, HTTP_HOST=host, **extra)


def ld_blocks(html: str) -> dict[str, dict]:
    """Return the page's JSON-LD objects by @type (each must parse as JSON)."""
    blocks = re.findall(
        r'<script type="application/ld\+json">(.*?)</script>', html, re.S
    )
    return {data["@type"]: data for data in map(json.loads, blocks)}


@pytest.fixture
def published(tenant_a):
    carrier = make_carrier(tenant_a)
    card = make_card_type(tenant_a)
    with tenant_context(tenant_a):
        return make_article(
            tenant_a, "cancel-esim", publish=True, carrier=carrier, card_type=card
        )


# --- languages and the root redirect ------------------------------------------


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        ("en-US,en;q=0.9", "/en/"),
        ("zh-CN,zh;q=0.9,en;q=0.5", "/zh-hans/"),
        ("fr-FR,de;q=0.8", "/zh-hans/"),  # nothing enabled matches: the default
        ("", "/zh-hans/"),
        ("zh-TW", "/zh-hans/"),  # zh-hant is not enabled for this tenant
        ("!!garbage;;q=x", "/zh-hans/"),
    ],
)
def test_root_redirects_to_the_best_enabled_language(
    client, tenant_a, accept, expected
):
    response = get(client, "/", HTTP_ACCEPT_LANGUAGE=accept)
    assert response.status_code == 302
    assert response["Location"] == expected
    assert "Accept-Language" in response["Vary"]


def test_root_follows_the_tenants_own_default(client, db):
    make_tenant("enonly", hosts=["en.test"], languages=["en"], default_language="en")
    assert get(client, "/", host="en.test")["Location"] == "/en/"


def test_a_language_the_tenant_does_not_enable_is_a_404_in_the_tenants_look(
    client, published
):
    response = get(client, "/zh-hant/guides/cancel-esim/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "Alpha" in page and "--brand: #0b5cad" in page
    assert 'lang="zh-hans"' in page  # rendered in a language the tenant offers


@pytest.mark.parametrize(
    "path",
    [
        "/en/guides/no-such-guide/",
        "/en/carriers/no-such-carrier/",
        "/en/cards/no-such-card/",
        "/fr/",
        "/en/guides/%E2%9C%93/",
        "/en/guides/" + "x" * 3000 + "/",
    ],
)
def test_unknown_things_are_404_pages_never_500(client, published, path):
    response = get(client, path)
    assert response.status_code == 404
    assert b"Alpha" in response.content


def test_an_article_missing_in_the_urls_language_links_the_one_it_has(client, tenant_a):
    # Never a silent redirect: a notice (tests/public/test_reader_pages.py).
    make_article(tenant_a, "zh-only", publish=True, title_en="", summary_en="")
    response = get(client, "/en/guides/zh-only/")
    assert response.status_code == 404
    assert 'href="/zh-hans/guides/zh-only/"' in response.content.decode()
    page = get(client, "/zh-hans/guides/zh-only/").content.decode()
    # and the switcher offers no English version of it
    assert 'hreflang="en"' not in page


def test_untranslated_parts_fall_back_with_a_visible_notice(client, tenant_a):
    # the factory's steps have no English body
    make_article(tenant_a, "partly", publish=True)
    page = get(client, "/en/guides/partly/").content.decode()
    assert "not translated yet" in page
    assert "步骤1说明" in page  # the Chinese body is shown rather than nothing
    assert (
        "not translated yet"
        not in get(client, "/zh-hans/guides/partly/").content.decode()
    )


# --- the pages ---------------------------------------------------------------


def test_article_page_shows_the_procedure(client, published):
    page = get(client, "/en/guides/cancel-esim/").content.decode()
    for text in (
        "Cancel an eSIM",
        "How to cancel an eSIM",
        "Before you start",
        "ID card",
        "Beware of fraud",
        "How long?",
        "1 to 7 working days",
        "Was this helpful?",
    ):
        assert text in page, text
    assert re.findall(r'<li class="step" id="step-(\d+)">', page) == ["1", "2", "3"]
    assert 'href="/en/carriers/china-mobile/"' in page  # breadcrumb and facts
    assert '<html lang="en">' in page


def test_hotline_of_a_step_is_a_tel_link(client, tenant_a):
    carrier = make_carrier(tenant_a, hotline="10086")
    with tenant_context(tenant_a):
        hotline = carrier.channels.get()
        article = make_article(tenant_a, "call", carrier=carrier)
        services.article_update(
            article=article,
            user=None,
            parts={"steps": [{"title_zh_hans": "打电话", "channel": hotline}]},
        )
        services.article_publish(article=article, user=None)
    page = get(client, "/zh-hans/guides/call/").content.decode()
    assert '<a href="tel:10086">10086</a>' in page


def test_home_lists_carriers_card_types_and_procedures(client, published, tenant_b):
    make_article(tenant_b, "beta-only", publish=True, title_zh_hans="乙的指南")
    page = get(client, "/zh-hans/").content.decode()
    assert "中国移动" in page and "eSIM" in page and "注销 eSIM" in page
    assert "乙的指南" not in page
    assert 'role="search"' in page


def test_carrier_page_lists_channels_and_procedures_by_card_type(client, published):
    page = get(client, "/en/carriers/china-mobile/").content.decode()
    assert '<a href="tel:10086">10086</a>' in page
    assert "<h3>eSIM</h3>" in page and "Cancel an eSIM" in page


def test_card_type_page_lists_its_procedures(client, published):
    page = get(client, "/en/cards/esim/").content.decode()
    assert "Cancel an eSIM" in page


def test_a_draft_never_reaches_a_reader(client, published):
    with tenant_context(published.tenant):
        services.article_update(article=published, user=None, title_en="DRAFT TITLE")
    for path in ("/en/", "/en/guides/cancel-esim/", "/en/cards/esim/", "/sitemap.xml"):
        assert b"DRAFT TITLE" not in get(client, path).content, path
    make_article(published.tenant, "never-published", title_en="Unpublished")
    assert get(client, "/en/guides/never-published/").status_code == 404


def test_the_same_slug_in_two_tenants_renders_each_tenants_own_article(
    client, tenant_a, tenant_b
):
    make_article(tenant_a, "same", publish=True, title_en="Alpha's guide")
    make_article(tenant_b, "same", publish=True, title_en="Beta's guide")
    for _round in range(2):  # a miss, then a cache hit
        a = get(client, "/en/guides/same/").content.decode()
        b = get(client, "/en/guides/same/", host=B).content.decode()
        assert "Alpha's guide" in a and "Beta's guide" not in a
        assert "Beta's guide" in b and "Alpha's guide" not in b


def test_carrier_and_card_slugs_are_per_tenant(client, published, tenant_b):
    assert get(client, "/en/carriers/china-mobile/", host=B).status_code == 404
    assert get(client, "/en/cards/esim/", host=B).status_code == 404
    make_carrier(tenant_b, hotline="95555")
    page = get(client, "/en/carriers/china-mobile/", host=B).content.decode()
    assert "95555" in page and "10086" not in page


# --- query counts ------------------------------------------------------------


@pytest.mark.parametrize("steps", [1, 40])
def test_article_page_queries_do_not_grow_with_steps(
    client, tenant_a, steps, django_assert_num_queries
):
    carrier = make_carrier(tenant_a)
    make_article(tenant_a, "counted", steps=steps, publish=True, carrier=carrier)
    make_article(tenant_a, "sibling", publish=True, carrier=carrier)
    get(client, "/en/")  # warm the host lookup
    # a cache miss: the publication, then related procedures
    with django_assert_num_queries(2):
        page = get(client, "/en/guides/counted/").content.decode()
    assert page.count('<li class="step"') == steps
    assert "/en/guides/sibling/" in page  # the related procedures were read
    # a cache hit: nothing at all
    with django_assert_num_queries(0):
        assert get(client, "/en/guides/counted/").status_code == 200


def test_listing_pages_make_a_fixed_number_of_queries(
    client, published, django_assert_num_queries
):
    for n in range(5):
        make_article(published.tenant, f"more-{n}", publish=True)
    get(client, "/robots.txt")  # warm the host lookup
    with django_assert_num_queries(4):  # carriers, card types, popular, recent
        get(client, "/en/")
    # carrier, the listing's summary, its page of procedures, its channels
    with django_assert_num_queries(4):
        get(client, "/en/carriers/china-mobile/")
    with django_assert_num_queries(3):  # card type, summary, its procedures
        get(client, "/en/cards/esim/")
    with django_assert_num_queries(0):
        get(client, "/en/")


# --- caching ---------------------------------------------------------------


def test_publishing_unpublishing_and_reverting_invalidate_the_page(
    client, published, django_capture_on_commit_callbacks
):
    url = "/en/guides/cancel-esim/"
    assert b"Cancel an eSIM" in get(client, url).content
    with (
        tenant_context(published.tenant),
        django_capture_on_commit_callbacks(execute=True),
    ):
        first = services.article_revisions(article=published).last()
        services.article_update(article=published, user=None, title_en="Cancel it now")
        services.article_publish(article=published, user=None)
    assert b"Cancel it now" in get(client, url).content
    with (
        tenant_context(published.tenant),
        django_capture_on_commit_callbacks(execute=True),
    ):
        services.article_revert(article=published, user=None, revision_id=first.pk)
    # a revert makes a draft: readers keep the publication until it is published
    assert b"Cancel it now" in get(client, url).content
    with (
        tenant_context(published.tenant),
        django_capture_on_commit_callbacks(execute=True),
    ):
        services.article_publish(
            article=Article.objects.get(pk=published.pk), user=None
        )
    assert b"Cancel an eSIM" in get(client, url).content
    with (
        tenant_context(published.tenant),
        django_capture_on_commit_callbacks(execute=True),
    ):
        services.article_unpublish(
            article=Article.objects.get(pk=published.pk), user=None
        )
    assert get(client, url).status_code == 404


def test_branding_change_invalidates_cached_pages(client, published):
    assert b"--brand: #0b5cad" in get(client, "/en/").content
    tenant = Tenant.objects.get(pk=published.tenant_id)
    tenant.primary_color = "#aa0000"
    tenant.save()
    assert b"--brand: #aa0000" in get(client, "/en/").content


def test_validators_and_304(client, published):
    first = get(client, "/en/guides/cancel-esim/")
    assert "public" in first["Cache-Control"] and "max-age=" in first["Cache-Control"]
    etag, modified = first["ETag"], first["Last-Modified"]
    again = get(client, "/en/guides/cancel-esim/", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again["ETag"] == etag
    since = get(client, "/en/guides/cancel-esim/", HTTP_IF_MODIFIED_SINCE=modified)
    assert since.status_code == 304


def test_a_request_with_a_session_is_private_and_not_stored(client, published):
    client.cookies["sessionid"] = "x"
    response = get(client, "/en/guides/cancel-esim/")
    assert "private" in response["Cache-Control"]
    assert not [k for k in cache._cache if b"page" in str(k).encode()]  # locmem


# --- search engines ------------------------------------------------------------


def test_article_head_has_canonical_hreflang_description_and_open_graph(
    client, published
):
    page = get(client, "/en/guides/cancel-esim/").content.decode()
    assert (
        '<link rel="canonical" href="http://alpha.test/en/guides/cancel-esim/">' in page
    )
    assert (
        'hreflang="zh-Hans" href="http://alpha.test/zh-hans/guides/cancel-esim/"'
        in page
    )
    assert 'hreflang="en" href="http://alpha.test/en/guides/cancel-esim/"' in page
    assert (
        'hreflang="x-default" href="http://alpha.test/zh-hans/guides/cancel-esim/"'
        in page
    )
    assert '<meta name="description" content="How to cancel an eSIM">' in page
    assert '<meta property="og:title" content="Cancel an eSIM">' in page
    assert '<meta property="og:locale" content="en_US">' in page


def test_json_ld_validates_and_matches_the_visible_content(client, published):
    page = get(client, "/en/guides/cancel-esim/").content.decode()
    data = ld_blocks(page)
    assert set(data) == {"HowTo", "FAQPage", "BreadcrumbList"}
    howto = data["HowTo"]
    assert howto["name"] == "Cancel an eSIM"
    visible_steps = re.findall(
        r'<li class="step" id="step-\d+">\s*<h3>(.*?)</h3>', page
    )
    assert [s["name"] for s in howto["step"]] == visible_steps
    assert [s["position"] for s in howto["step"]] == [1, 2, 3]
    assert howto["supply"] == [{"@type": "HowToSupply", "name": "ID card"}]
    faq = data["FAQPage"]["mainEntity"][0]
    assert (
        faq["name"] == "How long?"
        and faq["acceptedAnswer"]["text"] == "1 to 7 working days"
    )
    crumbs = [item["name"] for item in data["BreadcrumbList"]["itemListElement"]]
    assert crumbs == ["Alpha", "China Mobile", "Cancel an eSIM"]


def test_json_ld_cannot_be_broken_out_of_by_editor_text(client, tenant_a):
    make_article(
        tenant_a, "evil", publish=True, title_en="</script><script>alert(1)</script>"
    )
    page = get(client, "/en/guides/evil/").content.decode()
    assert "<script>alert(1)" not in page
    assert ld_blocks(page)["HowTo"]["name"] == "</script><script>alert(1)</script>"


def test_every_host_of_a_tenant_names_the_primary_domain_as_canonical(
    client, published
):
    for host in ("www.alpha.test", "alpha.test", "www.alpha.test:8000"):
        page = get(client, "/en/guides/cancel-esim/", host=host).content.decode()
        port = ":8000" if host.endswith(":8000") else ""
        assert (
            f'<link rel="canonical" href="http://alpha.test{port}/en/guides/cancel-esim/">'
            in page
        ), host


# --- feedback ----------------------------------------------------------------


def test_feedback_is_stored_for_the_tenant_and_thanked(client, published):
    response = client.post(
        "/en/guides/cancel-esim/feedback/",
        {"helpful": "no", "comment": "Step 2 was unclear"},
        HTTP_HOST=A,
    )
    assert response.status_code == 303
    assert response["Location"] == "/en/guides/cancel-esim/?feedback=thanks#feedback"
    feedback = Feedback.unscoped.get()
    assert (feedback.tenant_id, feedback.article_id) == (
        published.tenant_id,
        published.pk,
    )
    assert (feedback.helpful, feedback.comment, feedback.language) == (
        False,
        "Step 2 was unclear",
        "en",
    )
    assert (
        "Thank you for your feedback."
        in get(client, response["Location"]).content.decode()
    )


def test_feedback_is_rate_limited_per_reader_and_article(client, published):
    states = [
        client.post(
            "/en/guides/cancel-esim/feedback/", {"helpful": "yes"}, HTTP_HOST=A
        )["Location"]
        for _ in range(FEEDBACK_LIMIT + 1)
    ]
    assert "feedback=limited" in states[-1]
    assert Feedback.unscoped.count() == FEEDBACK_LIMIT
    page = get(client, states[-1]).content.decode()
    assert "try again later" in page


@pytest.mark.parametrize(
    "data", [{}, {"helpful": "maybe"}, {"helpful": "yes", "comment": "x" * 2001}]
)
def test_invalid_feedback_stores_nothing_and_says_so(client, published, data):
    response = client.post("/en/guides/cancel-esim/feedback/", data, HTTP_HOST=A)
    assert response.status_code == 303 and "feedback=invalid" in response["Location"]
    assert (
        "Please choose Yes or No." in get(client, response["Location"]).content.decode()
    )
    assert Feedback.unscoped.count() == 0


def test_feedback_from_a_bot_filling_the_hidden_field_is_dropped(client, published):
    client.post(
        "/en/guides/cancel-esim/feedback/",
        {"helpful": "yes", "website": "http://spam.example"},
        HTTP_HOST=A,
    )
    assert Feedback.unscoped.count() == 0


def test_feedback_cannot_reach_another_tenants_article(client, tenant_a, tenant_b):
    make_article(tenant_b, "beta-only", publish=True)
    response = client.post(
        "/en/guides/beta-only/feedback/", {"helpful": "yes"}, HTTP_HOST=A
    )
    assert response.status_code == 404
    assert Feedback.unscoped.count() == 0
    assert get(client, "/en/guides/cancel-esim/feedback/").status_code in (404, 405)


def test_a_changed_hotline_shows_on_cached_pages(client, published):
    assert b"10086" in get(client, "/en/carriers/china-mobile/").content
    with tenant_context(published.tenant):
        channel = published.carrier.channels.get()
        channel.value = "10088"
        channel.save()
    page = get(client, "/en/carriers/china-mobile/").content
    assert b"10088" in page and b"10086" not in page


def test_search_page_renders_in_the_site_layout(client, published):
    response = get(client, "/en/search/?q=%22%20NEAR(%20*")
    assert response.status_code == 200
    assert b'role="search"' in response.content
    assert get(client, "/zh-hant/search/?q=esim").status_code == 404


def test_a_cache_hit_sends_the_headers_of_the_full_stack(client, published):
    miss = get(client, "/en/guides/cancel-esim/")
    hit = get(client, "/en/guides/cancel-esim/")
    assert hit.content == miss.content
    for header in (
        "X-Frame-Options",
        "X-Content-Type-Options",
        "Referrer-Policy",
        "Content-Type",
        "Content-Language",
        "Content-Length",
        "ETag",
        "Cache-Control",
    ):
        assert hit[header] == miss[header], header
    assert not hit.cookies


def test_the_procedure_is_rendered_at_publish_time_and_again_after_a_template_change(
    client, published, monkeypatch
):
    """The stored body is used while its templates are unchanged, and rendered
    anew (from the snapshot) once ``body_version`` differs."""
    from guides.models import Publication
    from guides.publishing import body

    publication = Publication.unscoped.get(article=published)
    stored = publication.content["en"]
    assert '<li class="step" id="step-3">' in stored["body_html"]
    assert stored["body_version"] == body.body_version()
    # given: a marker only the stored rendering carries
    stored["body_html"] = stored["body_html"].replace(
        '<li class="step" id="step-3">', '<li class="step" id="step-3" data-stored="1">'
    )
    Publication.unscoped.filter(pk=publication.pk).update(content=publication.content)
    page = get(client, "/en/guides/cancel-esim/?fresh=1").content.decode()
    assert 'data-stored="1"' in page
    # when: the templates changed since the article was published
    monkeypatch.setattr(body, "body_version", lambda: "changed-since")
    # then: the page renders the procedure from the snapshot instead
    page = get(client, "/en/guides/cancel-esim/?fresh=2").content.decode()
    assert 'data-stored="1"' not in page
    assert page.count('<li class="step"') == 3 and "Beware of fraud" in page


def test_feedback_makes_a_fixed_number_of_queries(
    client, published, django_assert_num_queries
):
    get(client, "/robots.txt")  # warm the host lookup
    # the publication's keys, the vote (the rate limit is in the cache)
    with django_assert_num_queries(2):
        response = client.post(
            "/en/guides/cancel-esim/feedback/", {"helpful": "yes"}, HTTP_HOST=A
        )
    assert response.status_code == 303
