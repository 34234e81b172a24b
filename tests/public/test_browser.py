"""The public help pages in a real browser: headless Chromium against a live server.

Chromium is Debian's package (``make browsers``), driven through Playwright's
sync API; Playwright's own browser downloads are never used. Pages are served
by pytest-django's ``live_server`` on ``localhost``, which the demo tenant
"acme" serves. axe-core comes from npm (``package-lock.json``; ``make test``
runs ``npm ci`` when ``node_modules/axe-core/axe.min.js`` is missing).

Set ``BROWSER_SCREENSHOTS=/some/dir`` to save full-page screenshots of the
article on a phone and on a desktop there: ``article-phone.png`` and
``article-desktop.png`` in English, ``article-phone-zh-hans.png`` and
``article-desktop-zh-hans.png`` in Chinese (which needs a CJK font such as
Debian's fonts-noto-cjk to be legible).
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from guides.demo import data
from guides.models import Article, Feedback, Tenant
from tests.browser import DESKTOP, PHONE, axe_violations, describe

pytestmark = pytest.mark.browser


ACME = next(spec for spec in data.TENANTS if spec["slug"] == "acme")
ARTICLE = next(
    spec
    for spec in ACME["articles"]
    if spec["slug"] == "cancel-china-mobile-prepaid-10-day-card"
)
#: A second China Mobile article, so the article page has related procedures.
OTHER_ARTICLE = next(
    spec for spec in ACME["articles"] if spec["slug"] == "deregister-china-mobile-esim"
)
CARRIER = next(spec for spec in ACME["carriers"] if spec["slug"] == ARTICLE["carrier"])
HOTLINE = next(ch["value"] for ch in CARRIER["channels"] if ch["kind"] == "hotline")
LANGUAGES = ["zh-hans", "en"]


def article_path(language: str, slug: str = ARTICLE["slug"]) -> str:
    """Return the public path of an article in ``language``."""
    return f"/{language}/guides/{slug}/"


# --- fixtures (browser, new_context: tests/conftest.py) ----------------------


@pytest.fixture
def page(new_context) -> Page:
    """A page in a desktop-sized, English-speaking browser context."""
    return new_context().new_page()


#: What ``load_demo`` writes: the tenant's rows, its users and its revisions.
DEMO_APPS = ("guides", "auth.user", "reversion")


@pytest.fixture(scope="module")
def acme_rows(django_db_setup, django_db_blocker, tmp_path_factory) -> Path:
    """Load the demo once for the module and keep its rows in a fixture file.

    ``load_demo`` runs with two of acme's published articles instead of all
    of them and without the second tenant. Tests against the live server are
    transactional (its thread reads committed rows, on a connection of its own
    under PostgreSQL), so pytest-django empties every table after each of
    them: rows cannot outlive a test. Each test loads them back from this
    file instead (``acme``), in half the time the demo loader takes.
    """
    rows = tmp_path_factory.mktemp("demo") / "acme.json"
    with django_db_blocker.unblock(), pytest.MonkeyPatch.context() as patch:
        patch.setattr(data, "TENANTS", [{**ACME, "articles": [ARTICLE, OTHER_ARTICLE]}])
        call_command("load_demo", stdout=io.StringIO())
        call_command(
            "dumpdata",
            *DEMO_APPS,
            natural_foreign=True,  # content types get new ids after a flush
            use_base_manager=True,  # every tenant's rows, outside a tenant context
            output=str(rows),
            verbosity=0,
        )
        call_command("flush", interactive=False, verbosity=0)
    return rows


@pytest.fixture
def acme(acme_rows, live_server) -> Tenant:
    """The demo tenant "acme" (hosts ``localhost`` and ``127.0.0.1``)."""
    call_command("loaddata", str(acme_rows), verbosity=0)
    return Tenant.objects.get(slug="acme")


@pytest.fixture
def site(acme, live_server) -> str:
    """The base URL of acme's help site on the live server."""
    assert live_server.url.startswith("http://localhost:")
    return live_server.url


# --- helpers ----------------------------------------------------------------


def stored_feedback(tenant: Tenant) -> list[dict]:
    """Return the feedback stored for ``tenant`` on the article under test."""
    article = Article.unscoped.get(tenant=tenant, slug=ARTICLE["slug"])
    return list(
        Feedback.unscoped.filter(tenant=tenant, article=article).values(
            "language", "helpful", "comment"
        )
    )


def horizontal_overflow(page: Page, width: int) -> dict:
    """Return the page's scroll and viewport widths and what is wider than ``width``.

    "What" names up to ten elements that reach past ``width`` or whose own
    content (a long word or URL) spills out of them.
    """
    return page.evaluate(
        """(width) => {
          const name = (el) => el.tagName.toLowerCase()
            + (el.id ? "#" + el.id : "")
            + [...el.classList].map((c) => "." + c).join("");
          const spills = (el) => el.clientWidth > 0
            && el.scrollWidth > el.clientWidth + 1
            && getComputedStyle(el).overflowX === "visible";
          const wide = [...document.querySelectorAll("body *")]
            .filter((el) => el.getBoundingClientRect().right > width + 0.5
              || spills(el))
            .slice(0, 10)
            .map(name);
          return {
            scrollWidth: document.scrollingElement.scrollWidth,
            innerWidth: innerWidth,
            wide: wide,
          };
        }""",
        width,
    )


def save_screenshot(page: Page, name: str, language: str) -> None:
    """Save a full-page screenshot if ``BROWSER_SCREENSHOTS`` names a directory."""
    directory = os.environ.get("BROWSER_SCREENSHOTS")
    if directory:
        suffix = "" if language == "en" else f"-{language}"
        page.screenshot(
            path=str(Path(directory) / f"{name}{suffix}.png"), full_page=True
        )


# --- tests ------------------------------------------------------------------


@pytest.mark.parametrize(
    "locale, language", [("zh-CN", "zh-hans"), ("en-US", "en")], ids=LANGUAGES
)
def test_home_opens_in_the_readers_language_and_a_click_opens_a_carrier(
    site, new_context, locale, language
):
    """``/`` redirects by Accept-Language; a carrier tile opens its page.

    The carrier page lists its hotline as a ``tel:`` link and its procedures,
    and a procedure opens the article.
    """
    page = new_context(locale=locale).new_page()
    page.goto(site + "/")
    expect(page).to_have_url(f"{site}/{language}/")
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.get_by_role("heading", level=1)).to_be_visible()

    carriers = page.locator("section[aria-labelledby=carriers-heading]")
    carriers.get_by_role("link", name=CARRIER["name"][language], exact=True).click()
    expect(page).to_have_url(f"{site}/{language}/carriers/{CARRIER['slug']}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(CARRIER["name"][language])
    expect(page.locator(f'a[href="tel:{HOTLINE}"]').first).to_be_visible()

    page.get_by_role("link", name=ARTICLE["title"][language]).click()
    expect(page).to_have_url(site + article_path(language))


@pytest.mark.parametrize("language", LANGUAGES)
def test_article_reads_in_each_language(site, page, language):
    """The article shows its title, numbered steps and hotline in the language."""
    title = ARTICLE["title"][language]
    page.goto(site + article_path(language))
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page).to_have_title(f"{title} · {ACME['name']}")
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page.locator("p.notice")).to_have_count(0)  # fully translated

    steps = page.locator("ol.step-list > li.step")
    expect(steps).to_have_count(len(ARTICLE["steps"]))
    expect(steps.locator("h3")).to_have_text(
        [step["title"][language] for step in ARTICLE["steps"]]
    )
    expect(steps.locator(f'a[href="tel:{HOTLINE}"]').first).to_be_visible()
    expect(page.locator("section#feedback form")).to_be_visible()


def test_language_switcher_opens_the_same_article_in_the_other_language(site, page):
    """The switcher link changes the URL, ``<html lang>``, the title and text."""
    page.goto(site + article_path("zh-hans"))
    switcher = page.locator("nav.language-switcher")
    expect(switcher.locator("[aria-current=page]")).to_have_attribute("lang", "zh-Hans")

    switcher.locator("a[hreflang=en]").click()
    expect(page).to_have_url(site + article_path("en"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_title(f"{ARTICLE['title']['en']} · {ACME['name']}")
    expect(page.get_by_role("heading", level=1)).to_have_text(ARTICLE["title"]["en"])
    expect(switcher.locator("[aria-current=page]")).to_have_attribute("lang", "en")

    switcher.locator("a[hreflang=zh-Hans]").click()
    expect(page).to_have_url(site + article_path("zh-hans"))
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        ARTICLE["title"]["zh-hans"]
    )


def test_feedback_is_stored_and_the_reader_is_thanked(site, acme, page):
    """Submitting "Was this helpful?" stores one row and shows a thank-you."""
    url = site + article_path("en")
    page.goto(url)
    feedback = page.locator("section#feedback")
    feedback.get_by_label("No", exact=True).check()
    feedback.get_by_label("What could be better?").fill("Which stores accept it?")
    feedback.get_by_role("button", name="Send feedback").click()

    expect(page).to_have_url(url + "?feedback=thanks#feedback")
    expect(feedback.get_by_role("status")).to_have_text("Thank you for your feedback.")
    expect(feedback.locator("form")).to_have_count(0)
    assert stored_feedback(acme) == [
        {"language": "en", "helpful": False, "comment": "Which stores accept it?"}
    ]


def test_pages_work_without_javascript(site, acme, new_context):
    """Without JavaScript a reader gets home, searches, reads and gives feedback."""
    page = new_context(java_script_enabled=False, locale="zh-CN").new_page()
    page.goto(site + "/")
    expect(page).to_have_url(f"{site}/zh-hans/")

    page.locator("#site-search").fill("10 日卡")
    page.locator("#site-search").press("Enter")
    expect(page).to_have_url(f"{site}/zh-hans/search/?q=10+%E6%97%A5%E5%8D%A1")
    results = page.locator("ol.search-results")
    expect(
        results.get_by_role("link", name=ARTICLE["title"]["zh-hans"])
    ).to_be_visible()

    page.goto(f"{site}/zh-hans/")
    # nobody has read anything yet: the procedure is under "Recently updated"
    recent = page.locator("section[aria-labelledby=recent-heading]")
    recent.get_by_role("link", name=ARTICLE["title"]["zh-hans"]).click()
    expect(page).to_have_url(site + article_path("zh-hans"))
    expect(page.locator("ol.step-list > li.step")).to_have_count(len(ARTICLE["steps"]))

    feedback = page.locator("section#feedback")
    feedback.locator("input[name=helpful][value=yes]").check()
    feedback.locator("button[type=submit]").click()
    expect(page).to_have_url(
        site + article_path("zh-hans") + "?feedback=thanks#feedback"
    )
    expect(feedback.get_by_role("status")).to_be_visible()
    assert stored_feedback(acme) == [
        {"language": "zh-hans", "helpful": True, "comment": ""}
    ]


@pytest.mark.parametrize(
    "device, options",
    [
        pytest.param(
            "phone",
            {
                "viewport": PHONE,
                "device_scale_factor": 2,
                "is_mobile": True,
                "has_touch": True,
            },
            id="phone",
        ),
        pytest.param("desktop", {"viewport": DESKTOP}, id="desktop"),
    ],
)
def test_article_steps_fit_the_screen_without_horizontal_scrolling(
    site, new_context, device, options
):
    """On a 390 px phone and a desktop the steps are readable with no sideways scroll.

    On a phone the page is not zoomed out either: the layout viewport stays
    the device width.
    """
    page = new_context(**options).new_page()
    width = options["viewport"]["width"]
    for language in LANGUAGES:
        page.goto(site + article_path(language))
        save_screenshot(page, f"article-{device}", language)
        metrics = horizontal_overflow(page, width)
        assert metrics["scrollWidth"] <= metrics["innerWidth"] == width, (
            f"{language}: the page is wider than the {width} px screen "
            f"(it scrolls sideways or a phone zooms out): {metrics}"
        )
        steps = page.locator("ol.step-list > li.step")
        expect(steps).to_have_count(len(ARTICLE["steps"]))
        for index in range(steps.count()):
            box = steps.nth(index).bounding_box()
            assert box and box["x"] >= 0 and box["x"] + box["width"] <= width, (
                f"{language}: step {index + 1} is outside the screen: {box}"
            )


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(
    "path",
    ["/{language}/", article_path("{language}")],
    ids=["home", "article"],
)
def test_no_serious_accessibility_violations(site, page, path, language):
    """axe-core finds nothing "serious" or "critical" on the home and article pages."""
    page.goto(site + path.format(language=language))
    violations = axe_violations(page)
    counts: dict[str, int] = {}
    for violation in violations:
        counts[violation["impact"]] = counts.get(violation["impact"], 0) + 1
    print(f"axe {path.format(language=language)}: {counts or 'no violations'}")
    if violations:
        print(describe(violations))
    serious = [v for v in violations if v["impact"] in ("serious", "critical")]
    assert not serious, "axe-core violations:\n" + describe(serious)
