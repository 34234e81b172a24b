"""The editors' admin at a laptop's width, in headless Chromium (issue #15).

The article form at 1366 px: each part a card, Channel, Duration and Delete
on screen without scrolling sideways, and no serious or critical axe-core
violation. The editors' search finds an article by its hotline number and by
a Traditional Chinese word. The history's revert button holds its label and
the search report's column headers stand apart.
Set-up as in ``tests/admin/test_browser.py`` (the tenant serves ``localhost``);
``BROWSER_SCREENSHOTS=/some/dir`` saves ``admin-article-cards-1366.png``.
"""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import Page, expect

from guides import services
from guides.models import Membership, Tenant
from guides.tenancy import tenant_context
from tests.admin.test_browser import save_screenshot
from tests.browser import axe_violations, describe
from tests.factories import make_article, make_carrier, make_tenant, make_user

pytestmark = pytest.mark.browser

LAPTOP = {"width": 1366, "height": 768}
LONG = "请携带本人有效身份证件原件前往营业厅办理，" * 6


@pytest.fixture
def desk(live_server) -> Tenant:
    assert live_server.url.startswith("http://localhost:")
    return make_tenant("desk", hosts=["localhost"], languages=["zh-hans", "en"])


@pytest.fixture
def editor(desk):
    return make_user("eddie", tenant=desk, role=Membership.Role.EDITOR)


@pytest.fixture
def manager(desk):
    return make_user("molly", tenant=desk, role=Membership.Role.MANAGER)


@pytest.fixture
def telecom(desk):
    """An article of a carrier whose hotline is 10000, its steps long and using it."""
    carrier = make_carrier(desk, slug="china-telecom", hotline="10000")
    with tenant_context(desk):
        channel = carrier.channels.get()
        article = make_article(desk, slug="telecom", carrier=carrier, steps=0)
        services.article_update(
            article=article,
            user=None,
            parts={
                "steps": [
                    {
                        "title_zh_hans": f"第{n}步：拨打客服热线",
                        "title_en": f"Step {n}: call the hotline",
                        "body_zh_hans": LONG,
                        "body_en": "Bring your ID card. " * 10,
                        "channel": channel,
                        "duration": dt.timedelta(minutes=30),
                    }
                    for n in range(1, 4)
                ],
                "faqs": [
                    {
                        "question_zh_hans": "注销后余额怎么退？",
                        "answer_zh_hans": "退回原账户",
                    }
                ],
            },
        )
    return article


def sign_in(new_context, site: str, user) -> Page:
    page = new_context(viewport=LAPTOP).new_page()
    page.goto(f"{site}/admin/login/?next=/admin/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", "pw-" + user.username)
    page.locator("#login-form [type=submit]").click()
    expect(page).to_have_url(f"{site}/admin/")
    return page


def test_the_article_form_fits_1366_px_with_its_parts_as_cards(
    new_context, live_server, editor, telecom
):
    page = sign_in(new_context, live_server.url, editor)
    page.goto(f"{live_server.url}/admin/guides/article/{telecom.pk}/change/")
    page.get_by_role("tab", name="All languages").click()
    # no sideways scrolling at all
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, window.innerWidth]"
    )
    assert widths[0] <= widths[1], widths
    cards = page.locator("#steps-group tr.form-row.part-card:not(.empty-form)")
    expect(cards).to_have_count(3)
    for index in range(3):
        for selector in (
            f"#id_steps-{index}-channel",
            f"#id_steps-{index}-duration",
            f"#id_steps-{index}-DELETE",
        ):
            box = page.locator(selector).bounding_box()
            assert box is not None, selector
            assert box["x"] >= 0 and box["x"] + box["width"] <= LAPTOP["width"], (
                selector,
                box,
            )
    # each field has its own visible label in the card
    expect(
        page.locator("#steps-group label[for='id_steps-0-duration']")
    ).to_be_visible()
    # the order boxes and the move buttons stay
    expect(page.locator("#id_steps-0-sort_order")).to_be_visible()
    expect(page.locator("#steps-0 .sortable-handle")).to_be_visible()
    save_screenshot(page, "admin-article-cards-1366")


def test_the_article_form_has_no_serious_axe_violation_at_1366_px(
    new_context, live_server, editor, telecom
):
    page = sign_in(new_context, live_server.url, editor)
    page.goto(f"{live_server.url}/admin/guides/article/{telecom.pk}/change/")
    expect(page.locator("[data-language-tabs]")).to_be_visible()
    found = [v for v in axe_violations(page) if v["impact"] in ("serious", "critical")]
    assert not found, describe(found)


@pytest.mark.parametrize("query", ["10000", "註銷後餘額"])
def test_the_editors_search_finds_by_hotline_and_traditional_chinese(
    new_context, live_server, editor, telecom, desk, query
):
    other = make_article(desk, slug="other")
    page = sign_in(new_context, live_server.url, editor)
    page.goto(f"{live_server.url}/admin/guides/article/")
    page.fill("#searchbar", query)
    page.locator("#changelist-search [type=submit]").click()
    rows = page.locator("#result_list tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first.locator("input.action-select")).to_have_value(str(telecom.pk))
    expect(page.locator(f"input.action-select[value='{other.pk}']")).to_have_count(0)


def test_the_revert_button_holds_its_label(new_context, live_server, editor, telecom):
    page = sign_in(new_context, live_server.url, editor)
    page.goto(f"{live_server.url}/admin/guides/article/{telecom.pk}/history/")
    button = page.locator("a.revert-button").first
    expect(button).to_be_visible()
    inside = button.evaluate(
        """(a) => {
          const range = document.createRange();
          range.selectNodeContents(a);
          const text = range.getBoundingClientRect(), box = a.getBoundingClientRect();
          return text.left >= box.left && text.right <= box.right
            && text.top >= box.top && text.bottom <= box.bottom;
        }"""
    )
    assert inside
    # the breadcrumbs keep their bar
    background = page.locator("ol.breadcrumbs").evaluate(
        "(el) => getComputedStyle(el).backgroundColor"
    )
    assert background not in ("rgba(0, 0, 0, 0)", "transparent")


def test_the_search_report_headers_stand_apart(new_context, live_server, manager):
    page = sign_in(new_context, live_server.url, manager)
    page.goto(f"{live_server.url}/admin/guides/searchquery/")
    gaps = page.evaluate(
        """() => [...document.querySelectorAll('.report-module thead tr')].flatMap((tr) => {
          const boxes = [...tr.children].map((th) => {
            const range = document.createRange();
            range.selectNodeContents(th);
            return range.getBoundingClientRect();
          });
          return boxes.slice(1).map((box, i) => box.left - boxes[i].right);
        })"""
    )
    assert gaps and min(gaps) >= 12, gaps
