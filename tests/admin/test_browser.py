"""The editors' admin in a real browser: language tabs and reordering parts.

Headless Debian Chromium against pytest-django's live server, as in
``tests/public/test_browser.py`` (whose module docstring says how it is set up). The
tenant here serves ``localhost``, the live server's host; editors and
reviewers sign in through the admin's own login page.

Set ``BROWSER_SCREENSHOTS=/some/dir`` to save screenshots of the article
form there: ``admin-article-english.png`` (one language's tab) and
``admin-article-all.png`` ("All languages").
"""

from __future__ import annotations

import contextlib
import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import (
    Locator,
    Page,
    expect,
)
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from reversion.models import Revision

from guides.models import Article, Carrier, Membership, Tenant
from guides.tenancy import tenant_context
from tests.browser import axe_violations, describe
from tests.factories import make_article, make_carrier, make_tenant, make_user

pytestmark = pytest.mark.browser


SLUG = "cancel-data-card"
TITLE = {"zh_hans": "注销流量卡", "en": "Cancel a data card"}
#: Three steps, (Chinese, English), in the order the editor types them.
STEPS = [
    ("查询余额", "Check the balance"),
    ("拨打客服热线", "Call the hotline"),
    ("退还旧卡", "Return the old card"),
]
CHINESE = re.compile("Simplified Chinese")
ENGLISH = re.compile("English")


# --- fixtures (browser, new_context: tests/conftest.py) ----------------------


@pytest.fixture
def desk(live_server) -> Tenant:
    """A help center on the live server's host, in Chinese and English only."""
    assert live_server.url.startswith("http://localhost:")
    return make_tenant("desk", hosts=["localhost"], languages=["zh-hans", "en"])


@pytest.fixture
def carrier(desk) -> Carrier:
    return make_carrier(desk)


@pytest.fixture
def site(desk, live_server) -> str:
    return live_server.url


@pytest.fixture
def editor(desk):
    return make_user("eddie", tenant=desk, role=Membership.Role.EDITOR)


@pytest.fixture
def reviewer(desk):
    return make_user("rita", tenant=desk, role=Membership.Role.REVIEWER)


# --- helpers ----------------------------------------------------------------


def sign_in(new_context, site: str, user, **options) -> Page:
    """Return a page of a fresh browser context signed in to the admin as ``user``."""
    page = new_context(**options).new_page()
    page.goto(f"{site}/admin/login/?next=/admin/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", "pw-" + user.username)
    page.locator("#login-form [type=submit]").click()
    expect(page).to_have_url(f"{site}/admin/")
    return page


def article(tenant: Tenant) -> Article:
    with tenant_context(tenant):
        return Article.objects.get(slug=SLUG)


def stored_steps(tenant: Tenant) -> list[tuple[str, int]]:
    with tenant_context(tenant):
        return list(article(tenant).steps.values_list("title_en", "sort_order"))


STEP_ROWS = "#steps-group tbody > tr.form-row:not(.empty-form)"


def step_rows(page: Page) -> Locator:
    return page.locator(STEP_ROWS)


def row_titles(page: Page) -> list[str]:
    return (
        step_rows(page)
        .locator("input[name$='-title_en']")
        .evaluate_all("(inputs) => inputs.map((input) => input.value)")
    )


def order_boxes(page: Page) -> list[str]:
    return (
        step_rows(page)
        .locator("input[name$='-sort_order']")
        .evaluate_all("(inputs) => inputs.map((input) => input.value)")
    )


def wait_for_rows(page: Page, titles: list[str], boxes: list[str] | None = None):
    """Wait until the step rows start with ``titles`` and hold the order ``boxes``.

    A condition, never a delay: rows move on pointer events and animation
    frames, which a busy machine runs late. If the rows never get there, the
    assertions say what they hold instead.
    """
    with contextlib.suppress(PlaywrightTimeoutError):
        page.wait_for_function(
            """([selector, titles, boxes]) => {
              const rows = [...document.querySelectorAll(selector)];
              const value = (row, name) =>
                row.querySelector(`input[name$='-${name}']`).value;
              const sorted = titles.every(
                (title, i) => rows[i] && value(rows[i], "title_en") === title
              );
              return sorted && (boxes === null || (rows.length === boxes.length
                && boxes.every((box, i) => value(rows[i], "sort_order") === box)));
            }""",
            arg=[STEP_ROWS, titles, boxes],
        )
    assert row_titles(page)[: len(titles)] == titles
    if boxes is not None:
        assert order_boxes(page) == boxes


def wait_for_autoscroll(page: Page, first_title: str) -> None:
    """Wait, a scroll step at a time, until the dragged row is the first one.

    The page scrolls a few pixels per animation frame, so the whole way takes
    as long as the machine needs: each wait is only for the next step (the
    window scrolled up, or the row arrived), and fails once scrolling stops.
    """
    while row_titles(page)[0] != first_title:
        top = page.evaluate("scrollY")
        try:
            page.wait_for_function(
                """([top, selector, title]) => scrollY < top
                  || document.querySelector(selector).value === title""",
                arg=[top, f"{STEP_ROWS} input[name$='-title_en']", first_title],
                polling="raf",
            )
        except PlaywrightTimeoutError:
            pytest.fail(f"The page stopped scrolling at {top}px: {row_titles(page)}")


def tab(page: Page, name) -> Locator:
    return page.get_by_role("tab", name=name)


def reader_page(new_context, site: str, language: str = "en") -> Page:
    """Open the public article as a new reader.

    A new browser context each time: pages may be kept for a minute
    (``Cache-Control: max-age``), and a reader who looked before may be shown
    their copy; the server's own cache is what must follow publishing.
    """
    page = new_context().new_page()
    page.goto(f"{site}/{language}/guides/{SLUG}/")
    return page


def public_steps(new_context, site: str, language: str = "en") -> list[str]:
    page = reader_page(new_context, site, language)
    return page.locator("ol.step-list > li.step h3").all_inner_texts()


def public_title(new_context, site: str, language: str = "en") -> str:
    return reader_page(new_context, site).get_by_role("heading", level=1).inner_text()


def save_and_continue(page: Page) -> None:
    page.locator("input[name=_continue]").click()
    expect(page.locator("ul.messagelist .success")).to_be_visible()


def save_screenshot(page: Page, name: str) -> None:
    """Save a full-page screenshot if ``BROWSER_SCREENSHOTS`` names a directory."""
    directory = os.environ.get("BROWSER_SCREENSHOTS")
    if directory:
        page.screenshot(path=str(Path(directory) / f"{name}.png"), full_page=True)


def add_article(page: Page, site: str, carrier_id: int) -> None:
    """Fill the add form with three steps in both languages, tab by tab, and save."""
    page.goto(f"{site}/admin/guides/article/add/")
    page.fill("#id_slug", SLUG)
    page.select_option("#id_carrier", str(carrier_id))
    add_step = page.get_by_role("button", name="Add another Step")
    for _ in STEPS:
        add_step.click()
    expect(step_rows(page)).to_have_count(len(STEPS))
    # New rows are numbered in the order they were added.
    assert order_boxes(page) == ["0", "1", "2"]

    tab(page, CHINESE).click()
    expect(page.locator("#id_title_en")).to_be_hidden()
    expect(page.locator("#id_steps-0-title_en")).to_be_hidden()
    expect(page.locator("#steps-group th.column-title_en")).to_be_hidden()
    page.fill("#id_title_zh_hans", TITLE["zh_hans"])
    for index, (chinese, _english) in enumerate(STEPS):
        page.fill(f"#id_steps-{index}-title_zh_hans", chinese)

    tab(page, ENGLISH).click()
    expect(page.locator("#id_title_zh_hans")).to_be_hidden()
    expect(page.locator("#steps-group th.column-title_zh_hans")).to_be_hidden()
    page.fill("#id_title_en", TITLE["en"])
    for index, (_chinese, english) in enumerate(STEPS):
        page.fill(f"#id_steps-{index}-title_en", english)
    save_and_continue(page)


# --- the editor-to-reader flow ------------------------------------------------


def test_editor_writes_and_reorders_reviewer_compares_publishes_and_reverts(
    site, desk, carrier, editor, reviewer, new_context
):
    """Issue #5's whole flow, from the editor's add form to the reader's page."""
    # given: an editor adds an article with three steps in two languages
    page = sign_in(new_context, site, editor)
    add_article(page, site, carrier.pk)
    check, call, card = (english for _chinese, english in STEPS)
    assert stored_steps(desk) == [(check, 0), (call, 1), (card, 2)]
    change_url = page.url
    assert re.search(r"/admin/guides/article/\d+/change/$", change_url)

    # when: they drag "Call" onto the last row, then move "Return" up by keyboard
    expect(page.get_by_role("tab", selected=True)).to_have_text(ENGLISH)  # remembered
    assert row_titles(page) == [check, call, card]
    handles = step_rows(page).locator(".sortable-handle")
    handles.nth(1).drag_to(step_rows(page).nth(2))
    wait_for_rows(page, [check, card, call], ["0", "1", "2"])
    move_up = step_rows(page).nth(1).get_by_role("button", name="Move up")
    move_up.focus()
    page.keyboard.press("Enter")
    wait_for_rows(page, [card, check, call], ["0", "1", "2"])
    # at the top "Move up" is disabled: the focus went to the row's "Move down"
    focused = page.evaluate("document.activeElement.getAttribute('aria-label')")
    assert focused == "Move down"
    expect(page.locator("#steps-group .sortable-status")).to_have_text(
        "Moved to position 1 of 3."
    )
    save_and_continue(page)

    # then: the new order is stored, and shown after the save
    assert stored_steps(desk) == [(card, 0), (check, 1), (call, 2)]
    assert row_titles(page) == [card, check, call]

    # the editor submits it for review
    page.get_by_role("button", name="Submit for review").click()
    expect(page.locator(".article-status strong")).to_have_text("In review")
    assert article(desk).status == Article.Status.REVIEW

    # a reviewer compares the first version with the reordered one
    revisions = list(
        Revision.objects.filter(meta__article_id=article(desk).pk).order_by("pk")
    )
    created, reordered = revisions[0], revisions[1]
    review = sign_in(new_context, site, reviewer)
    review.goto(change_url.replace("/change/", "/history/"))
    review.locator(f"#revision-{created.pk} input[name=old]").check()
    review.locator(f"#revision-{reordered.pk} input[name=new]").check()
    review.get_by_role("button", name="Compare the chosen versions").click()
    moved = review.locator(".compare-parts li.part-moved")
    expect(moved).to_have_count(1)
    expect(moved).to_contain_text("Moved from position 3 to 1")
    # parts are labelled in the source language
    expect(moved).to_contain_text(STEPS[2][0])

    # publishes it: readers see the steps in the new order
    review.goto(change_url)
    review.get_by_role("button", name="Publish", exact=True).click()
    expect(review.locator("ul.messagelist")).to_contain_text("Published.")
    assert public_steps(new_context, site) == [card, check, call]
    assert public_title(new_context, site) == TITLE["en"]

    # schedules an unpublish
    review.fill("#id_schedule_unpublish_at", "2031-03-04T09:30")
    review.locator("#workflow-schedule button[type=submit]").click()
    expect(review.locator("ul.messagelist")).to_contain_text("Schedule saved.")
    unpublish_at = article(desk).unpublish_at
    assert unpublish_at is not None and (unpublish_at.year, unpublish_at.month) == (
        2031,
        3,
    )

    # edits the title: readers keep the published one until it is published
    tab(review, ENGLISH).click()
    review.fill("#id_title_en", "Cancel a data card (edited)")
    save_and_continue(review)
    assert article(desk).title_en == "Cancel a data card (edited)"
    assert public_title(new_context, site) == TITLE["en"]

    # reverts to the first version: still a draft, readers see the publication
    review.goto(change_url.replace("/change/", "/history/"))
    review.locator(f"#revision-{created.pk}").get_by_role(
        "link", name="Revert to this version"
    ).click()
    review.get_by_role("button", name="Yes, revert to this version").click()
    expect(review.locator("ul.messagelist")).to_contain_text("was reverted")
    assert stored_steps(desk) == [(check, 0), (call, 1), (card, 2)]
    assert article(desk).title_en == TITLE["en"]
    assert public_steps(new_context, site) == [card, check, call]

    # and publishes it, from review (issue #15): readers see the reverted order
    review.get_by_role("button", name="Submit for review").click()
    review.get_by_role("button", name="Publish", exact=True).click()
    expect(review.locator("ul.messagelist")).to_contain_text("Published.")
    assert public_steps(new_context, site) == [check, call, card]
    assert public_steps(new_context, site, "zh-hans") == [c for c, _e in STEPS]


# --- language tabs --------------------------------------------------------------


def make_article_for(tenant: Tenant, carrier: Carrier) -> Article:
    """Return a draft with three steps whose English step bodies are empty."""
    return make_article(tenant, slug=SLUG, carrier=carrier, steps=3)


def badge(page: Page, name) -> str:
    return tab(page, name).locator(".language-tab-badge [aria-hidden]").inner_text()


def test_tabs_show_one_language_count_empty_fields_and_are_remembered(
    site, desk, carrier, editor, new_context
):
    """A tab shows its language's fields only; badges follow typing; keys move."""
    target = make_article_for(desk, carrier)
    page = sign_in(new_context, site, editor)
    page.goto(f"{site}/admin/guides/article/{target.pk}/change/")

    # the first visit opens the default language, the source
    tabs = page.get_by_role("tablist")
    expect(tabs.get_by_role("tab")).to_have_count(3)  # zh-hans, en, all; no zh-hant
    expect(tab(page, CHINESE)).to_have_attribute("aria-selected", "true")
    expect(page.locator("#id_title_zh_hans")).to_be_visible()
    expect(page.locator("#id_title_en")).to_be_hidden()
    expect(page.locator("#id_title_en")).to_have_attribute("lang", "en")
    expect(page.locator("[name$=_zh_hant]")).to_have_count(0)

    # arrow keys move between tabs and select them
    tab(page, CHINESE).focus()
    page.keyboard.press("ArrowRight")
    expect(tab(page, ENGLISH)).to_be_focused()
    expect(tab(page, ENGLISH)).to_have_attribute("aria-selected", "true")
    expect(tab(page, CHINESE)).to_have_attribute("aria-selected", "false")
    expect(tab(page, CHINESE)).to_have_attribute("tabindex", "-1")
    expect(page.locator("#id_steps-0-title_en")).to_be_visible()
    expect(page.locator("#id_steps-0-title_zh_hans")).to_be_hidden()
    # each part is a card (issue #15): its fields carry their own labels
    expect(page.locator("#steps-group label[for$='-0-body_zh_hans']")).to_be_hidden()
    expect(page.locator("#steps-group label[for$='-0-body_en']")).to_be_visible()

    # the English badge counts the empty English fields, and follows typing
    before = int(badge(page, ENGLISH))
    assert before > 0
    page.fill("#id_steps-0-body_en", "Dial 10086.")
    count = tab(page, ENGLISH).locator(".language-tab-badge [aria-hidden]")
    expect(count).to_have_text(str(before - 1))
    expect(tab(page, ENGLISH)).to_contain_text(f"{before - 1} empty fields")
    save_screenshot(page, "admin-article-english")

    # "All languages" shows both side by side
    tab(page, ENGLISH).focus()
    page.keyboard.press("End")
    expect(tab(page, "All languages")).to_have_attribute("aria-selected", "true")
    chinese = page.locator("#id_title_zh_hans").bounding_box()
    english = page.locator("#id_title_en").bounding_box()
    assert chinese and english
    assert abs(chinese["y"] - english["y"]) < 5 and english["x"] > chinese["x"]
    save_screenshot(page, "admin-article-all")

    # the choice is remembered on the next form, here a carrier's
    page.keyboard.press("ArrowLeft")
    expect(tab(page, ENGLISH)).to_have_attribute("aria-selected", "true")
    manager = make_user("manny", tenant=desk, role=Membership.Role.MANAGER)
    other = sign_in(new_context, site, manager)
    other.goto(f"{site}/admin/guides/article/{target.pk}/change/")
    tab(other, ENGLISH).click()
    other.goto(f"{site}/admin/guides/carrier/{carrier.pk}/change/")
    expect(tab(other, ENGLISH)).to_have_attribute("aria-selected", "true")
    expect(other.locator("#id_name_en")).to_be_visible()
    expect(other.locator("#id_name_zh_hans")).to_be_hidden()
    expect(other.locator("#channels-group td.field-label_zh_hans").first).to_be_hidden()


def test_a_form_with_errors_opens_the_tab_of_the_first_error(
    site, desk, carrier, editor, new_context
):
    """The English tab is remembered, but a Chinese error opens the Chinese tab."""
    target = make_article_for(desk, carrier)
    page = sign_in(new_context, site, editor)
    page.goto(f"{site}/admin/guides/article/{target.pk}/change/")
    tab(page, "All languages").click()
    page.fill("#id_steps-1-title_zh_hans", "")  # required in the source language
    tab(page, ENGLISH).click()
    page.fill("#id_title_en", "Typed before the error")
    page.locator("input[name=_continue]").click()

    expect(page.locator("p.errornote")).to_be_visible()
    expect(tab(page, CHINESE)).to_have_attribute("aria-selected", "true")
    expect(tab(page, CHINESE)).to_contain_text("(has errors)")
    expect(tab(page, ENGLISH)).not_to_contain_text("(has errors)")
    expect(page.locator("#id_steps-1-title_zh_hans")).to_be_visible()
    expect(page.locator("#id_title_en")).to_have_value("Typed before the error")
    assert article(desk).title_en == "Cancel an eSIM"


def test_without_javascript_every_language_shows_and_the_order_boxes_reorder(
    site, desk, carrier, editor, new_context
):
    """No tab bar, no handles: every field shows and typed numbers set the order."""
    target = make_article_for(desk, carrier)
    page = sign_in(new_context, site, editor, java_script_enabled=False)
    page.goto(f"{site}/admin/guides/article/{target.pk}/change/")
    expect(page.locator("[data-language-tabs]")).to_be_hidden()
    expect(page.locator(".sortable-handle")).to_have_count(0)
    expect(page.locator("#id_title_zh_hans")).to_be_visible()
    expect(page.locator("#id_title_en")).to_be_visible()
    expect(page.locator("#id_steps-0-title_en")).to_be_visible()
    page.fill("#id_steps-0-sort_order", "5")  # first step last
    page.locator("input[name=_continue]").click()
    expect(page.locator("ul.messagelist .success")).to_be_visible()
    assert stored_steps(desk) == [("Step 2", 0), ("Step 3", 1), ("Step 1", 2)]


def test_rows_added_after_a_drag_save_in_place_and_blank_ones_are_skipped(
    site, desk, carrier, editor, new_context
):
    """A new row dragged above saved ones saves there; an untouched one is left out."""
    target = make_article_for(desk, carrier)
    page = sign_in(new_context, site, editor)
    page.goto(f"{site}/admin/guides/article/{target.pk}/change/")
    tab(page, "All languages").click()
    add_step = page.get_by_role("button", name="Add another Step")
    add_step.click()
    add_step.click()
    expect(step_rows(page)).to_have_count(5)
    assert order_boxes(page) == ["0", "1", "2", "3", "4"]
    page.fill("#id_steps-3-title_zh_hans", "新的第一步")
    page.fill("#id_steps-3-title_en", "New first step")
    step_rows(page).nth(3).locator(".sortable-handle").drag_to(step_rows(page).nth(0))
    wait_for_rows(page, ["New first step", "Step 1", "Step 2", "Step 3"])
    # remove the blank row with Django's own link: it renumbers the names
    step_rows(page).nth(4).locator(".inline-deletelink").click()
    add_step.click()  # and one more, left blank
    save_and_continue(page)
    assert stored_steps(desk) == [
        ("New first step", 0),
        ("Step 1", 1),
        ("Step 2", 2),
        ("Step 3", 3),
    ]


def test_a_row_dragged_to_the_window_edge_scrolls_the_page_along(
    site, desk, carrier, editor, new_context
):
    """Ten tall steps do not fit the window: holding a row at its top edge scrolls."""
    target = make_article(desk, slug=SLUG, carrier=carrier, steps=10)
    page = sign_in(new_context, site, editor)
    page.goto(f"{site}/admin/guides/article/{target.pk}/change/")
    handle = step_rows(page).nth(9).locator(".sortable-handle")
    handle.scroll_into_view_if_needed()
    first_row = step_rows(page).first
    expect(first_row).not_to_be_in_viewport()
    box = handle.bounding_box()
    assert box
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(box["x"], 10, steps=5)
    wait_for_autoscroll(page, "Step 10")
    page.mouse.up()
    wait_for_rows(page, ["Step 10", "Step 1"], [str(n) for n in range(10)])
    save_and_continue(page)
    assert [title for title, _order in stored_steps(desk)][:2] == ["Step 10", "Step 1"]


# --- accessibility ------------------------------------------------------------------


def test_the_change_form_tabs_and_handles_have_no_serious_axe_violations(
    site, desk, carrier, editor, new_context
):
    """axe-core finds nothing serious on the article change form.

    Tab bar and reorder controls first, then the whole page: Django's tabular
    inlines head their columns with <th>, so every inline input carries an
    aria-label (guides.admin.SortableTabularInline).
    """
    target = make_article_for(desk, carrier)
    page = sign_in(new_context, site, editor)
    page.goto(f"{site}/admin/guides/article/{target.pk}/change/")
    expect(page.locator("[data-language-tabs]")).to_be_visible()
    ours = axe_violations(page, [".language-tabs", ".sortable-controls"])
    serious = [v for v in ours if v["impact"] in ("serious", "critical")]
    assert not serious, "axe-core violations:\n" + describe(serious)
    page_wide = [
        v for v in axe_violations(page) if v["impact"] in ("serious", "critical")
    ]
    assert not page_wide, "axe-core violations:\n" + describe(page_wide)
    assert page.get_attribute("#id_steps-0-channel", "aria-label")
