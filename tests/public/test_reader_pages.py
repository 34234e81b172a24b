"""The reader's side of issue 14: article page, structured data, translations.

Each test names the finding of the audit it reproduces.
"""

from __future__ import annotations

import json
import re
from datetime import timedelta
from pathlib import Path

import pytest

from guides import services
from guides.public.seo import meta_description
from guides.publishing.timing import parse_duration, time_needed
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


def get(client, path, host=A, **extra):
    return client.get(path, HTTP_HOST=host, **extra)


def ld_blocks(html: str) -> dict[str, dict]:
    blocks = re.findall(
        r'<script type="application/ld\+json">(.*?)</script>', html, re.S
    )
    return {data["@type"]: data for data in map(json.loads, blocks)}


def meta(html: str, attribute: str, name: str) -> str | None:
    match = re.search(rf'<meta {attribute}="{re.escape(name)}" content="([^"]*)"', html)
    return match.group(1) if match else None


def timed_article(tenant, slug="timed", **fields):
    """An article whose three steps take 10 + 20 + 25 = 55 minutes."""
    with tenant_context(tenant):
        article = make_article(tenant, slug, **fields)
        services.article_update(
            article=article,
            user=None,
            parts={
                "steps": [
                    step(n, duration=timedelta(minutes=minutes))
                    for n, minutes in ((1, 10), (2, 20), (3, 25))
                ]
            },
        )
        services.article_publish(article=article, user=None)
    return article


# --- one time value -----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("约 30 分钟", 1800),
        ("30分钟", 1800),
        ("About 20 minutes", 1200),
        ("about 1 hour 30 minutes", 5400),
        ("约 1 小时", 3600),
        ("1.5 hours", 5400),
        ("营业厅办理约 15 分钟", None),
        ("About 15 minutes in store", None),
        ("", None),
    ],
)
def test_a_plain_duration_is_parsed_and_anything_else_is_not(text, seconds):
    assert parse_duration(text) == seconds


def test_the_estimates_first_clause_is_the_time_when_it_is_a_duration():
    needed = time_needed(
        {"estimated_time": "约 30 分钟，审核 1–7 个工作日", "steps": []}
    )
    assert (needed.lead, needed.rest, needed.iso) == (
        "约 30 分钟",
        "，审核 1–7 个工作日",
        "PT30M",
    )


def test_total_time_is_the_time_the_page_shows_not_the_sum_of_steps(
    client, tenant_a, english
):
    """Audit: HowTo.totalTime PT55M against a visible "约 30 分钟"."""
    timed_article(
        tenant_a,
        estimated_time_zh_hans="约 30 分钟，审核 1–7 个工作日",
        estimated_time_en="About 30 minutes; review takes 1–7 working days",
    )
    for language, shown in (("zh-hans", "约 30 分钟"), ("en", "About 30 minutes")):
        page = get(client, f"/{language}/guides/timed/").content.decode()
        assert f'<time class="nowrap" datetime="PT30M">{shown}</time>' in page
        assert ld_blocks(page)["HowTo"]["totalTime"] == "PT30M"


def test_without_an_estimate_the_steps_total_is_shown_and_stated(client, tenant_a):
    timed_article(tenant_a, estimated_time_zh_hans="", estimated_time_en="")
    page = get(client, "/en/guides/timed/").content.decode()
    assert '<time class="nowrap" datetime="PT55M">about 55 minutes</time>' in page
    assert ld_blocks(page)["HowTo"]["totalTime"] == "PT55M"


def test_an_estimate_that_is_not_one_duration_states_no_total_time(client, tenant_a):
    timed_article(
        tenant_a,
        estimated_time_zh_hans="挂失约 5 分钟，补卡约 20 分钟",
        estimated_time_en="About 5 minutes to suspend, 20 minutes to replace",
    )
    page = get(client, "/en/guides/timed/").content.decode()
    assert "About 5 minutes to suspend, 20 minutes to replace" in page
    assert "totalTime" not in ld_blocks(page)["HowTo"]


def test_step_durations_never_break_across_lines(client, tenant_a):
    """Audit: "约 5 分钟" broke across lines on a phone."""
    timed_article(tenant_a)
    page = get(client, "/zh-hans/guides/timed/").content.decode()
    assert '<span class="duration nowrap">约 10 分钟</span>' in page
    css = Path("static/guides/site.css").read_text(encoding="utf-8")
    assert re.search(r"\.nowrap[^{]*\{[^}]*white-space:\s*nowrap", css)


# --- datetimes, descriptions, og:image --------------------------------------


def test_datetimes_carry_whole_seconds(client, tenant_a):
    """Audit: <time datetime> and article:modified_time carried microseconds."""
    make_article(tenant_a, "dated", publish=True)
    page = get(client, "/en/guides/dated/").content.decode()
    stamp = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$")
    datetimes = re.findall(r'<time datetime="([^"]+)"', page)
    assert datetimes and all(stamp.match(value) for value in datetimes), datetimes
    assert stamp.match(meta(page, "property", "article:modified_time"))


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        ("Short.", 160, "Short."),
        (
            "Step by step, how to get the remaining balance back from a prepaid card",
            40,
            "Step by step, how to get the remaining…",
        ),
        (
            "Call 10086 first. Then visit a store with your ID card and the SIM card",
            40,
            "Call 10086 first. Then visit a store…",
        ),
        (
            "注销流程：确认无欠费，携带身份证到营业厅办理。审核通过后余额退还到原支付账户。",
            30,
            "注销流程：确认无欠费，携带身份证到营业厅办理。…",
        ),
        ("注销中国移动预付费卡需要携带身份证原件到营业厅", 10, "注销中国移动预付费…"),
        ("注销 eSIMcardwithalongname 需要", 12, "注销…"),
    ],
)
def test_descriptions_are_cut_at_a_sentence_or_word(text, limit, expected):
    """Audit: meta descriptions were cut mid-word ("…get the rem…")."""
    cut = meta_description(text, limit)
    assert cut == expected
    assert len(cut) <= limit


def test_the_article_description_is_cut_at_a_word(client, tenant_a):
    summary = "To get the remaining balance back, " * 8
    make_article(tenant_a, "long", publish=True, summary_en=summary)
    page = get(client, "/en/guides/long/").content.decode()
    description = meta(page, "name", "description")
    assert len(description) <= 160 and description.endswith("…")
    assert description[:-1].rstrip(",").split(" ")[-1] in summary.split(" ")
    assert summary.startswith(description[:-1])


def test_every_page_names_an_og_image_that_is_served(client, tenant_a, published):
    """Audit: there was no og:image. Without a logo: the default card."""
    for path in ("/en/", "/en/guides/cancel-esim/", "/en/carriers/china-mobile/"):
        page = get(client, path).content.decode()
        image = meta(page, "property", "og:image")
        assert image and image.startswith("http://alpha.test/static/"), path
    image_path = image.removeprefix("http://alpha.test")
    from django.contrib.staticfiles import finders

    found = finders.find(image_path.removeprefix("/static/"))
    assert found and Path(found).read_bytes()[:3] == b"\xff\xd8\xff"  # a JPEG


def test_the_tenants_logo_is_the_og_image_and_in_the_header(client, db):
    make_tenant("logo", hosts=["logo.test"], logo="https://cdn.example.com/logo.png")
    page = get(client, "/zh-hans/", host="logo.test").content.decode()
    assert meta(page, "property", "og:image") == "https://cdn.example.com/logo.png"
    assert '<img class="brand-logo" src="https://cdn.example.com/logo.png"' in page


def test_carrier_and_card_type_pages_have_a_breadcrumb_list(client, published):
    """Audit: carrier and card-type pages had no BreadcrumbList."""
    for path, name in (
        ("/en/carriers/china-mobile/", "China Mobile"),
        ("/en/cards/esim/", "eSIM"),
    ):
        crumbs = ld_blocks(get(client, path).content.decode())["BreadcrumbList"]
        items = crumbs["itemListElement"]
        assert [item["name"] for item in items] == ["Alpha", name]
        assert items[0]["item"] == "http://alpha.test/en/"
        assert items[1]["item"] == f"http://alpha.test{path}"


# --- missing translations ----------------------------------------------------


def test_a_missing_translation_is_a_notice_linking_the_existing_versions(
    client, tenant_a, english
):
    """Audit: a Chinese-only article under /en/ silently redirected."""
    make_article(tenant_a, "zh-only", publish=True, title_en="", summary_en="")
    response = get(client, "/en/guides/zh-only/")
    assert response.status_code == 404
    page = response.content.decode()
    assert '<html lang="en">' in page
    assert "This procedure is not translated yet" in page
    assert "It is not available in English yet." in page
    assert (
        '<a href="/zh-hans/guides/zh-only/" hreflang="zh-Hans" lang="zh-Hans">'
        "简体中文</a>" in page
    )
    assert '<meta name="robots" content="noindex">' in page
    assert 'rel="canonical"' not in page and 'rel="alternate"' not in page
    # the version that exists lists only itself: hreflang stays reciprocal
    existing = get(client, "/zh-hans/guides/zh-only/").content.decode()
    assert 'hreflang="en"' not in existing
    assert "noindex" not in existing


# --- channels, punctuation, lang ---------------------------------------------


@pytest.fixture
def channel_article(tenant_a):
    carrier = make_carrier(tenant_a, hotline="10010")
    with tenant_context(tenant_a):
        services.carrier_save(
            carrier=carrier,
            user=None,
            channels=[
                {
                    "id": carrier.channels.get().pk,
                    "kind": "hotline",
                    "label_zh_hans": "客服热线",
                    "label_en": "Hotline",
                    "value": "10010",
                    "opening_hours_zh_hans": "全天可用",
                    "opening_hours_en": "24 hours",
                },
                {
                    "kind": "app",
                    "label_zh_hans": "中国联通 APP",
                    "label_en": "",
                    "value": "中国联通 APP",
                    "opening_hours_zh_hans": "全天可用",
                },
                {
                    "kind": "website",
                    "label_zh_hans": "网上营业厅",
                    "label_en": "Online service hall",
                    "value": "https://example.com/",
                },
                {
                    "kind": "store",
                    "label_zh_hans": "营业厅",
                    "label_en": "Store",
                    "value": "北京市西城区金融大街 21 号",
                },
            ],
        )
        hotline, app, website, store = carrier.channels.order_by("sort_order", "id")
        article = make_article(tenant_a, "channels", carrier=carrier)
        services.article_update(
            article=article,
            user=None,
            parts={
                "steps": [
                    step(1, channel=hotline),
                    step(2, channel=app),
                    step(3, channel=website),
                    step(4, channel=store),
                ]
            },
        )
        services.article_publish(article=article, user=None)
    return article


def test_a_channel_shows_its_label_once_with_full_width_punctuation(
    client, channel_article
):
    """Audit: "中国联通 APP: 中国联通 APP (全天可用)"."""
    page = get(client, "/zh-hans/guides/channels/").content.decode()
    steps = re.findall(r'<p class="step-meta">(.*?)</p>', page, re.S)
    app, website = steps[1], steps[2]
    assert app.count("中国联通 APP") == 1, app
    assert (
        '<a class="channel-open" href="https://example.com/">网上营业厅</a>' in website
    )
    assert "example.com/<" not in website  # the address is behind the link only
    assert "（全天可用）" in page and "(全天可用)" not in page
    assert ": " not in "".join(steps)


def test_a_hotline_is_a_call_link_with_a_copy_button(client, channel_article):
    page = get(client, "/zh-hans/guides/channels/").content.decode()
    hotline = re.findall(r'<p class="step-meta">(.*?)</p>', page, re.S)[0]
    assert '<a href="tel:10010">10010</a>' in hotline
    # the copy button appears only when the script can copy (it unhides it)
    assert re.search(
        r'<button type="button" class="copy-button" data-copy="10010"[^>]* hidden>',
        hotline,
    )


def test_chinese_values_on_english_pages_say_so(client, channel_article):
    """Audit: Chinese values on English pages had no lang."""
    page = get(client, "/en/guides/channels/").content.decode()
    steps = re.findall(r'<p class="step-meta">(.*?)</p>', page, re.S)
    assert '<span class="hours">(24\u00a0hours)</span>' in steps[0]
    assert '<span class="channel-label" lang="zh-Hans">中国联通 APP</span>' in steps[1]
    assert steps[1].count("中国联通 APP") == 1
    assert 'lang="zh-Hans">(全天可用)</span>' in steps[1]
    assert (
        '<a class="channel-open" href="https://example.com/">Online service hall</a>'
        in steps[2]
    )
    assert '<span class="channel-value" lang="zh-Hans">北京市西城区' in steps[3]
    # the factory's steps have no English body: the Chinese one says so
    assert 'lang="zh-Hans"' not in steps[0].split("hours")[0]


# --- checklists and the step overview -----------------------------------------


def test_checklists_are_plain_lists_the_script_enhances(client, published):
    """Audit: checklists were drawn as checkboxes that did nothing."""
    page = get(client, "/en/guides/cancel-esim/").content.decode()
    assert (
        '<ul class="checklist" data-checklist="documents"><li>ID card</li></ul>' in page
    )
    assert 'type="checkbox"' not in page
    assert re.search(r'<script src="/static/guides/article\.js[^"]*" defer', page)
    css = Path("static/guides/site.css").read_text()
    # no drawn box unless the script made the item a real checkbox
    assert not re.search(r"\.checklist li::before", css)


def test_the_step_overview_links_every_step_and_sticks(client, published):
    page = get(client, "/en/guides/cancel-esim/").content.decode()
    overview = re.search(r'<nav class="step-overview".*?</nav>', page, re.S).group(0)
    assert re.findall(r'href="#step-(\d)"', overview) == ["1", "2", "3"]
    css = Path("static/guides/site.css").read_text()
    assert re.search(r"\.step-overview\s*\{[^}]*position:\s*sticky", css)
    assert "prefers-color-scheme: dark" in css


@pytest.fixture
def published(tenant_a):
    carrier = make_carrier(tenant_a)
    card = make_card_type(tenant_a)
    with tenant_context(tenant_a):
        return make_article(
            tenant_a, "cancel-esim", publish=True, carrier=carrier, card_type=card
        )


def test_a_bilingual_store_name_shows_the_pages_language_once():
    """Audit: store names mixed languages."""
    from guides.publishing.typography import channel_view

    store = {
        "kind": "store",
        "label": "中国移动自有营业厅",
        "value": "各地中国移动自有营业厅 / China Mobile own-brand stores",
    }
    chinese = channel_view(store, "zh-hans")
    assert chinese["value"] == "各地中国移动自有营业厅"
    assert not chinese["show_value"]  # it says what the label says
    english = channel_view({**store, "label": "Store"}, "en")
    assert (english["value"], english["show_value"]) == (
        "China Mobile own-brand stores",
        True,
    )
    assert channel_view({**store, "value": "A / B"}, "en")["value"] == "A / B"


def test_short_hours_never_break_and_long_hours_may():
    from guides.publishing.typography import channel_view

    short = channel_view({"kind": "hotline", "opening_hours": "24 小时"}, "zh-hans")
    assert short["hours"] == "（24\u00a0小时）"
    long = "一般为 9:00–18:00，各营业厅略有不同"
    assert (
        channel_view({"kind": "store", "opening_hours": long}, "zh-hans")["hours"]
        == f"（{long}）"
    )
