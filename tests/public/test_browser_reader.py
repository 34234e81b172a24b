"""Issue 14's reader features in a real browser: checklists, copy, overview,
the missing-translation notice, read counts and axe-core.

Set up as ``tests/public/test_browser.py`` (whose fixtures this module
imports): Debian's Chromium through Playwright against the live server, the
demo tenant "acme" loaded once per module.
"""

# ruff: noqa: F811  (the fixtures imported from test_browser are redefined as arguments)
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from guides.models import ArticleReadCount
from guides.services import reads
from tests.browser import DESKTOP, PHONE, axe_violations, describe
from tests.factories import make_article
from tests.public.test_browser import (  # noqa: F401  (fixtures)
    ACME,
    ARTICLE,
    HOTLINE,
    LANGUAGES,
    acme,
    acme_rows,
    article_path,
    page,
    site,
)

pytestmark = pytest.mark.browser

DOCUMENTS = [r for r in ARTICLE["requirements"] if r["kind"] == "document"]
PREREQUISITES = [r for r in ARTICLE["requirements"] if r["kind"] == "prerequisite"]


def test_checklist_ticks_are_real_checkboxes_kept_across_a_reload(site, page):
    page.goto(site + article_path("en"))
    documents = page.locator('ul.checklist[data-checklist="documents"]')
    boxes = documents.get_by_role("checkbox")
    expect(boxes).to_have_count(len(DOCUMENTS))
    expect(boxes.first).not_to_be_checked()
    # the label is the item's text: clicking the words ticks the box
    documents.get_by_text(DOCUMENTS[1]["text"]["en"], exact=True).click()
    expect(boxes.nth(1)).to_be_checked()
    page.locator('ul.checklist[data-checklist="prerequisites"]').get_by_role(
        "checkbox"
    ).first.check()

    page.reload()
    documents = page.locator('ul.checklist[data-checklist="documents"]')
    boxes = documents.get_by_role("checkbox")
    expect(boxes.nth(1)).to_be_checked()
    expect(boxes.first).not_to_be_checked()
    prerequisites = page.locator('ul.checklist[data-checklist="prerequisites"]')
    expect(prerequisites.get_by_role("checkbox")).to_have_count(len(PREREQUISITES))
    expect(prerequisites.get_by_role("checkbox").first).to_be_checked()

    # unticking is kept too, and the other language's page has its own list
    boxes.nth(1).uncheck()
    page.reload()
    expect(
        page.locator('ul.checklist[data-checklist="documents"]')
        .get_by_role("checkbox")
        .nth(1)
    ).not_to_be_checked()
    page.goto(site + article_path("zh-hans"))
    expect(
        page.locator('ul.checklist[data-checklist="prerequisites"]')
        .get_by_role("checkbox")
        .first
    ).not_to_be_checked()


def test_without_javascript_checklists_are_plain_lists(site, new_context):
    page = new_context(java_script_enabled=False).new_page()
    page.goto(site + article_path("en"))
    documents = page.locator('ul.checklist[data-checklist="documents"]')
    expect(documents.locator("li")).to_have_text(
        [document["text"]["en"] for document in DOCUMENTS]
    )
    expect(page.locator("input[type=checkbox]")).to_have_count(0)
    # a bullet, not a drawn box that does nothing
    style = documents.evaluate("(el) => getComputedStyle(el).listStyleType")
    assert style == "disc"
    # the number is there to read and tap; the copy button needs the script
    expect(page.locator(f'a[href="tel:{HOTLINE}"]').first).to_be_visible()
    expect(page.locator("button.copy-button").first).to_be_hidden()


def test_the_copy_button_copies_the_hotline(site, new_context):
    context = new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.goto(site + article_path("en"))
    button = page.locator(f'button.copy-button[data-copy="{HOTLINE}"]').first
    expect(button).to_be_visible()
    expect(button).to_have_accessible_name(f"Copy {HOTLINE}")
    button.click()
    assert page.evaluate("navigator.clipboard.readText()") == HOTLINE
    expect(button).to_have_attribute("data-state", "done")


def test_the_carrier_page_copies_its_hotline_too(site, new_context):
    context = new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.goto(f"{site}/en/carriers/{ARTICLE['carrier']}/")
    button = page.locator(f'button.copy-button[data-copy="{HOTLINE}"]').first
    button.click()
    assert page.evaluate("navigator.clipboard.readText()") == HOTLINE


def test_the_step_overview_stays_in_view_on_wide_screens(site, new_context):
    page = new_context(viewport={"width": 1366, "height": 800}).new_page()
    page.goto(site + article_path("en"))
    overview = page.locator("nav.step-overview")
    expect(overview.get_by_role("link")).to_have_count(len(ARTICLE["steps"]))
    page.locator("#feedback").scroll_into_view_if_needed()
    box = overview.bounding_box()
    assert box and 0 <= box["y"] < 800, box
    overview.get_by_role("link").nth(2).click()
    expect(page).to_have_url(site + article_path("en") + "#step-3")

    phone = new_context(viewport=PHONE, is_mobile=True).new_page()
    phone.goto(site + article_path("en"))
    expect(phone.locator("nav.step-overview")).to_be_hidden()


def test_a_missing_translation_shows_a_notice_that_links_the_version(site, acme, page):
    make_article(acme, "zh-only", publish=True, title_en="", summary_en="")
    response = page.goto(site + "/en/guides/zh-only/")
    assert response.status == 404
    expect(page).to_have_url(site + "/en/guides/zh-only/")  # no redirect
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "This procedure is not translated yet"
    )
    link = page.get_by_role("link", name="简体中文")
    expect(link).to_have_attribute("lang", "zh-Hans")
    link.click()
    expect(page).to_have_url(site + "/zh-hans/guides/zh-only/")
    expect(page.get_by_role("heading", level=1)).to_have_text("注销 eSIM")
    assert axe_violations(page) == []


def test_a_reader_is_counted_once_per_tab_session(site, acme, page, settings):
    settings.HELPCENTER_READS_FLUSH_SECONDS = 0
    reads.reads_discard()
    with page.expect_request(lambda r: r.url.endswith("/read/")):
        page.goto(site + article_path("en"))
    page.wait_for_function("() => sessionStorage.length > 0")
    page.reload()
    page.goto(site + article_path("zh-hans"))
    page.wait_for_timeout(300)
    counts = list(ArticleReadCount.unscoped.values_list("count", flat=True))
    # one read per page address (each language is its own page)
    assert counts == [2]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(
    "path",
    ["/{language}/", article_path("{language}")],
    ids=["home", "article"],
)
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_violations(site, new_context, path, language, scheme):
    """axe-core reports nothing at all on home and article, in both schemes."""
    page = new_context(viewport=DESKTOP, color_scheme=scheme).new_page()
    page.goto(site + path.format(language=language))
    violations = axe_violations(page)
    assert not violations, "axe-core violations:\n" + describe(violations)


@pytest.mark.parametrize("language", LANGUAGES)
def test_home_h1_and_blocks(site, page, language):
    page.goto(f"{site}/{language}/")
    expect(page.get_by_role("heading", level=1)).to_have_count(1)
    expect(page.locator(".hero-eyebrow")).to_have_text(ACME["name"])
    expect(page.locator("section.hero input[type=search]")).to_be_visible()
    expect(page.locator("ul.blocks a").first).to_be_visible()
