"""A Traditional Chinese help center, in a real browser (headless Chromium).

Every visible interface string is Traditional: a scan of the rendered text of
home, a procedure, search and the admin's change form finds no character in
its Simplified form. And the editors' path: an editor converts a procedure
from Simplified Chinese, sees it marked for review, confirms it, a reviewer
publishes it, and a reader finds it with a Traditional query.

The tenant serves ``tw.localhost`` (Chromium resolves every ``*.localhost``
to 127.0.0.1, where the live server listens).
"""

from __future__ import annotations

import functools
import re

import opencc
import pytest
from django.utils import translation
from playwright.sync_api import Page, expect

from guides import services
from guides.models import Article, Membership, Publication
from guides.tenancy import tenant_context
from tests.factories import make_article, make_carrier, make_tenant, make_user

pytestmark = [pytest.mark.browser, pytest.mark.slow]

TENANT_NAME = "卡務幫助中心"
SLUG = "cancel-esim"

#: Text the scan reads: every text node that is shown, outside scripts and
#: styles, outside form controls (an editor's Simplified source text is
#: content, not interface) and outside elements marked as another language
#: (the language switcher's "简体中文" is that language's own name).
VISIBLE_TEXT_JS = """
() => {
  const parts = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const el = node.parentElement;
    if (!el || el.closest('script, style, noscript, textarea, select, option, template')) continue;
    const marked = el.closest('[lang]');
    if (marked && !/^zh-hant/i.test(marked.getAttribute('lang'))) continue;
    const style = getComputedStyle(el);
    if (style.display === 'none' || style.visibility === 'hidden') continue;
    if (node.textContent.trim()) parts.push(node.textContent.trim());
  }
  return parts.join(' ');
}
"""


@functools.cache
def _converters():
    return opencc.OpenCC("s2t"), opencc.OpenCC("t2s")


#: Characters written the same in Traditional text that s2t changes in some
#: phrases (台 in 台灣, 里 in 公里, 只, 干 in 干擾...): never evidence.
SHARED = set("台里只干后面表系余准松征冲咸托恶发几云才板仆")


def simplified_characters(text: str) -> list[str]:
    """Return the characters of ``text`` that are in their Simplified form."""
    s2t, t2s = _converters()
    found = []
    for char in set(re.findall(r"[\u4e00-\u9fff]", text)):
        if char in SHARED:
            continue
        traditional = s2t.convert(char)
        if traditional != char and t2s.convert(traditional) == char:
            found.append(char)
    return sorted(found)


def assert_traditional(page: Page, where: str) -> None:
    text = page.evaluate(VISIBLE_TEXT_JS)
    assert re.search(r"[\u4e00-\u9fff]", text), f"{where}: no Chinese text at all"
    found = simplified_characters(text)
    context = {c: text[max(0, text.index(c) - 15) : text.index(c) + 15] for c in found}
    assert not found, f"{where}: Simplified characters {context}"


@pytest.fixture
def site(live_server) -> str:
    assert live_server.url.startswith("http://localhost:")
    return live_server.url.replace("localhost", "tw.localhost")


@pytest.fixture
def tenant(live_server):
    tenant = make_tenant(
        "tw",
        hosts=["tw.localhost"],
        languages=["zh-hant", "zh-hans", "en"],
        default_language="zh-hans",
        name=TENANT_NAME,
    )
    carrier = make_carrier(tenant, "cht", hotline="123")
    with tenant_context(tenant):
        services.catalog_convert_to_traditional(user=None)
    make_article(
        tenant,
        SLUG,
        carrier=carrier,
        title_zh_hans="如何注销 eSIM 卡",
        summary_zh_hans="先停用号码，再删除设备里的 eSIM。",
        publish=True,
    )
    return tenant


@pytest.fixture
def people(tenant):
    return {
        "editor": make_user("tw-editor", tenant=tenant, role=Membership.Role.EDITOR),
        "reviewer": make_user(
            "tw-reviewer", tenant=tenant, role=Membership.Role.REVIEWER
        ),
    }


def zh_hant(message: str) -> str:
    """``message`` as the zh-hant interface shows it."""
    with translation.override("zh-hant"):
        return translation.gettext(message)


def sign_in(new_context, site: str, user) -> Page:
    page = new_context(locale="zh-TW").new_page()
    page.goto(f"{site}/admin/login/?next=/admin/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", "pw-" + user.username)
    page.locator("#login-form [type=submit]").click()
    expect(page).to_have_url(f"{site}/admin/")
    return page


def article_id(tenant) -> int:
    with tenant_context(tenant):
        return Article.objects.get(slug=SLUG).pk


def test_an_editor_converts_reviews_publishes_and_a_reader_finds_it(
    tenant, people, site, new_context
):
    editor = sign_in(new_context, site, people["editor"])
    editor.goto(f"{site}/admin/guides/article/{article_id(tenant)}/change/")
    editor.get_by_role(
        "button",
        name=zh_hant("Create the Traditional Chinese version from Simplified Chinese"),
    ).click()
    expect(editor.locator(".translation-review-flag")).to_be_visible()
    # The admin's change form, once the content has a Traditional version
    # too: everything outside the Simplified source fields is Traditional.
    assert_traditional(editor, "admin change form")
    # Converted, not yet reviewed: never published.
    with tenant_context(tenant):
        publication = Publication.objects.get(article__slug=SLUG)
        assert "zh-hant" not in publication.languages
    editor.locator("#translation-zh-hant button").first.click()
    expect(editor.locator(".translation-review-flag")).to_have_count(0)
    editor.get_by_role("button", name=zh_hant("Submit for review")).click()

    reviewer = sign_in(new_context, site, people["reviewer"])
    reviewer.goto(f"{site}/admin/guides/article/{article_id(tenant)}/change/")
    reviewer.get_by_role("button", name=zh_hant("Publish"), exact=True).click()
    with tenant_context(tenant):
        publication = Publication.objects.get(article__slug=SLUG)
        assert "zh-hant" in publication.languages

    reader = new_context(locale="zh-TW").new_page()
    reader.goto(f"{site}/zh-hant/")
    assert_traditional(reader, "home")
    reader.goto(f"{site}/zh-hant/search/?q=註銷")
    expect(
        reader.get_by_role("link", name=re.compile("如何註銷 eSIM 卡"))
    ).to_be_visible()
    assert_traditional(reader, "search")
    reader.get_by_role("link", name=re.compile("如何註銷 eSIM 卡")).first.click()
    expect(reader.locator("h1")).to_contain_text("如何註銷 eSIM 卡")
    assert_traditional(reader, "article")
