"""The search page in a real browser: filters, phone layout, axe-core.

Headless Debian Chromium through Playwright against pytest-django's live
server, like ``tests/public/test_browser.py`` (whose docstring says how the
browser tests are set up). The demo tenant "acme" is loaded once per module
with all its procedures, so the filters have several carriers and card types.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from urllib.parse import urljoin

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from guides.demo import data
from guides.models import SearchQuery
from tests.browser import PHONE, axe_violations, describe

pytestmark = pytest.mark.browser

ACME = next(spec for spec in data.TENANTS if spec["slug"] == "acme")
DEMO_APPS = ("guides", "auth.user", "reversion")
#: A query each language finds several procedures of several carriers for.
QUERIES = {"zh-hans": "注销", "en": "cancel"}


@pytest.fixture(scope="module")
def acme_rows(django_db_setup, django_db_blocker, tmp_path_factory) -> Path:
    """Load acme (every procedure, no other tenant) once; keep its rows in a file.

    Live-server tests are transactional, so each test loads the rows back
    (``site``) instead of running the demo loader again.
    """
    rows = tmp_path_factory.mktemp("search-demo") / "acme.json"
    with django_db_blocker.unblock(), pytest.MonkeyPatch.context() as patch:
        patch.setattr(data, "TENANTS", [ACME])
        call_command("load_demo", stdout=io.StringIO())
        call_command(
            "dumpdata",
            *DEMO_APPS,
            natural_foreign=True,
            use_base_manager=True,
            output=str(rows),
            verbosity=0,
        )
        call_command("flush", interactive=False, verbosity=0)
    return rows


@pytest.fixture
def site(acme_rows, live_server) -> str:
    call_command("loaddata", str(acme_rows), verbosity=0)
    assert live_server.url.startswith("http://localhost:")
    return live_server.url


def search_path(language: str, query: str) -> str:
    return f"/{language}/search/?q={query}"


def result_total(page: Page) -> int:
    """Return the number of results the page reports (0 when it finds none)."""
    summary = page.locator(".search-summary")
    if summary.count() == 0:
        expect(page.locator(".search-result")).to_have_count(0)
        return 0
    total = int(re.search(r"\d+", summary.inner_text()).group())
    if total <= 10:  # one page: the cards are the results
        expect(page.locator(".search-result")).to_have_count(total)
    return total


def filter_links(page: Page) -> list[tuple[str, int]]:
    """Return ``(absolute href, count shown)`` of every filter link on the page."""
    links = page.locator("a.chip")
    found = []
    for index in range(links.count()):
        link = links.nth(index)
        href = urljoin(page.url, link.get_attribute("href"))
        count = int(link.locator(".chip-count").inner_text())
        found.append((href, count))
    return found


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_every_filter_count_is_the_number_of_results_its_link_leads_to(
    site, new_context, language
):
    """Click every filter link reachable from the query; compare its count.

    Every distinct link is clicked once (from the first page showing it) and
    the results it leads to are counted; every other page showing the same
    link must show the same count. No visit logs a false zero-result query.
    """
    page = new_context().new_page()
    start = site + search_path(language, QUERIES[language])
    page.goto(start)
    assert result_total(page) > 2
    totals: dict[str, int] = {}
    pending = [start]
    seen_pages = {start}
    clicked = 0
    while pending:
        here = pending.pop(0)
        page.goto(here)
        for index, (href, count) in enumerate(filter_links(page)):
            if href not in totals:
                page.locator("a.chip").nth(index).click()
                page.wait_for_url(href)
                totals[href] = result_total(page)
                clicked += 1
                page.goto(here)
            assert count == totals[href], f"{here}: link {href} says {count}"
            if href not in seen_pages:
                seen_pages.add(href)
                pending.append(href)
    assert clicked >= 8
    assert all(totals.values()), totals
    assert not SearchQuery.unscoped.filter(result_count=0).exists()


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_on_a_phone_the_first_result_starts_high_and_nothing_overflows(
    site, new_context, language
):
    page = new_context(viewport=PHONE).new_page()
    page.goto(site + search_path(language, QUERIES[language]))
    first = page.locator(".search-result").first
    top = first.bounding_box()["y"]
    assert top < 400, top
    assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]
    # the header keeps the language switcher and the query in its search box
    expect(page.locator(".language-switcher")).to_be_visible()
    expect(page.locator("#site-search")).to_have_value(QUERIES[language])
    # highlights take the tenant's brand colour, not the browser's yellow
    mark = page.locator(".search-result mark").first
    background = mark.evaluate("(el) => getComputedStyle(el).backgroundColor")
    assert background not in ("rgb(255, 255, 0)", "rgba(0, 0, 0, 0)")


@pytest.mark.parametrize(
    "path, viewport",
    [
        (search_path("en", "cancel"), None),
        (search_path("zh-hans", "注销") + "&carrier=china-mobile", PHONE),
        (search_path("zh-hans", "量子纠缠卡"), PHONE),  # nothing found
        (search_path("en", "cancle"), None),  # did you mean
        (search_path("en", "cancel quantum"), None),  # partial
        (search_path("en", "???"), PHONE),  # nothing to search for
    ],
    ids=["results", "filtered-phone", "nothing-found", "corrected", "partial", "empty"],
)
def test_the_search_page_has_no_axe_violations(site, new_context, path, viewport):
    page = new_context(**({"viewport": viewport} if viewport else {})).new_page()
    page.goto(site + path)
    expect(page.locator("h1")).to_be_visible()
    violations = axe_violations(page)
    assert violations == [], describe(violations)


def test_the_language_switcher_keeps_the_query_and_filters(site, new_context):
    page = new_context().new_page()
    page.goto(site + search_path("zh-hans", "注销") + "&carrier=china-mobile")
    page.locator(".language-switcher a[hreflang=en]").click()
    expect(page).to_have_url(re.compile(r"/en/search/\?q=.*&carrier=china-mobile$"))
    expect(page.locator("#site-search")).to_have_value("注销")
