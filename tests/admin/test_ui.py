"""The translated admin forms without a browser: tabs, scripts, order boxes.

What JavaScript adds (language tabs, drag and drop) is tested in
``tests/admin/test_browser.py``; here, what the server renders for it and
what a save without JavaScript does.
"""

from __future__ import annotations

import re
import struct

import pytest
from django.test import override_settings

from guides.models import Membership
from guides.tenancy import tenant_context
from tests.admin.test_articles import HOST, change_url, fresh, login
from tests.factories import make_article, make_carrier, make_tenant, make_user
from tests.forms import form_data

pytestmark = pytest.mark.django_db

SCRIPTS = ("guides/admin_languages.js", "guides/admin_sortable.js")
INLINES = ("steps", "requirements", "tips", "faqs")


@pytest.fixture
def editor(tenant_a):
    return make_user(tenant=tenant_a, role=Membership.Role.EDITOR)


def tab_languages(page: str) -> list[str]:
    """Return the tab bar's languages in order ("all" last)."""
    bar = page.split("data-language-tabs", 1)[1].split("</div>\n</div>", 1)[0]
    return re.findall(r'data-language="([^"]+)"', bar)


def field_names(page: str) -> set[str]:
    return set(re.findall(r'name="([^"]+)"', page))


# --- the tab bar and the fields of the tenant's languages -------------------------


def test_the_change_form_has_tabs_and_fields_for_the_tenants_languages_only(
    client, editor, tenant_a
):
    """zh-hant is not enabled for alpha: no tab, and no zh_hant field anywhere."""
    article = make_article(tenant_a)
    login(client, editor)
    page = client.get(change_url(article), **HOST).content.decode()
    assert tab_languages(page) == ["zh_hans", "en", "all"]
    assert "Simplified Chinese" in page and "All languages" in page
    names = field_names(page)
    shown = {"title_zh_hans", "title_en", "steps-0-title_en", "faqs-0-answer_en"}
    assert shown <= names
    assert not [name for name in names if name.endswith("zh_hant")]
    assert "zh-hant" not in page.split("data-language-tabs", 1)[1].split("</form>")[0]
    # hidden until the script shows it: without JavaScript every field shows
    assert '<div class="language-tabs" data-language-tabs hidden>' in page


def test_a_tenant_with_three_languages_gets_three_tabs_its_default_first(client):
    tenant = make_tenant(
        "gamma",
        hosts=["gamma.test"],
        languages=["zh-hans", "en", "zh-hant"],
        default_language="en",
    )
    user = make_user(tenant=tenant, role=Membership.Role.EDITOR)
    article = make_article(tenant)
    login(client, user)
    page = client.get(change_url(article), HTTP_HOST="gamma.test").content.decode()
    assert tab_languages(page) == ["en", "zh_hans", "zh_hant", "all"]
    assert {"title_zh_hant", "steps-0-body_zh_hant"} <= field_names(page)


def test_the_add_form_and_the_catalogue_forms_have_the_tabs_too(client, tenant_a):
    manager = make_user(tenant=tenant_a, role=Membership.Role.MANAGER)
    carrier = make_carrier(tenant_a)
    login(client, manager)
    for url in (
        "/admin/guides/article/add/",
        f"/admin/guides/carrier/{carrier.pk}/change/",
        "/admin/guides/cardtype/add/",
    ):
        page = client.get(url, **HOST).content.decode()
        assert tab_languages(page) == ["zh_hans", "en", "all"], url
        assert not [n for n in field_names(page) if n.endswith("zh_hant")], url


def test_the_scripts_and_the_style_are_included_once_after_the_catalogue(
    client, editor, tenant_a
):
    """The tabs and reorder scripts follow the admin's jsi18n (their gettext)."""
    article = make_article(tenant_a)
    login(client, editor)
    for url in (change_url(article), "/admin/guides/article/add/"):
        page = client.get(url, **HOST).content.decode()
        catalogue = page.index('src="/admin/jsi18n/"')
        for script in SCRIPTS:
            assert page.count(f'src="/static/{script}"') == 1, (url, script)
            assert page.index(f'src="/static/{script}"') > catalogue
        assert page.count('href="/static/guides/admin.css"') == 1, url
    # the Markdown preview keeps its own script on the change form
    page = client.get(change_url(article), **HOST).content.decode()
    assert 'src="/static/guides/admin.js"' in page


def test_the_admins_javascript_catalogue_carries_the_projects_strings(
    client, editor, tmp_path
):
    """Strings of guides/*.js are translated by a djangojs catalogue in LOCALE_PATHS.

    The admin's jsi18n view (loaded by every change form before the scripts)
    merges LOCALE_PATHS into django.contrib.admin's catalogue; ``makemessages
    -d djangojs`` writes the project's catalogue there.
    """
    messages = tmp_path / "zh_Hans" / "LC_MESSAGES"
    messages.mkdir(parents=True)
    write_mo(messages / "djangojs.mo", {"Move up": "上移", "All languages": "所有语言"})
    login(client, editor)
    with override_settings(LOCALE_PATHS=[tmp_path]):
        response = client.get(
            "/admin/jsi18n/", HTTP_HOST="alpha.test", HTTP_ACCEPT_LANGUAGE="zh-hans"
        )
    assert response.status_code == 200
    assert '"Move up": "\\u4e0a\\u79fb"' in response.content.decode()


def write_mo(path, messages: dict[str, str]) -> None:
    """Write a GNU .mo catalogue (what msgfmt makes) holding ``messages``."""
    header = (
        "Content-Type: text/plain; charset=UTF-8\nPlural-Forms: nplurals=1; plural=0;\n"
    )
    entries = sorted({"": header, **messages}.items())
    ids = b"".join(key.encode() + b"\0" for key, _value in entries)
    strs = b"".join(value.encode() + b"\0" for _key, value in entries)
    count = len(entries)
    start = 7 * 4 + count * 16
    table, offset = [], 0
    for key, _value in entries:
        table += [len(key.encode()), start + offset]
        offset += len(key.encode()) + 1
    offset = 0
    for _key, value in entries:
        table += [len(value.encode()), start + len(ids) + offset]
        offset += len(value.encode()) + 1
    path.write_bytes(
        struct.pack("<7I", 0x950412DE, 0, count, 28, 28 + count * 8, 0, 0)
        + struct.pack(f"<{4 * count}I", *table)
        + ids
        + strs
    )


# --- the order boxes: the no-JavaScript way to reorder --------------------------


def test_every_part_inline_has_an_order_box(client, editor, tenant_a):
    article = make_article(tenant_a, steps=3)
    login(client, editor)
    data = form_data(client.get(change_url(article), **HOST))
    assert [data[f"steps-{n}-sort_order"] for n in range(3)] == ["0", "1", "2"]
    for prefix in INLINES[1:]:
        assert data[f"{prefix}-0-sort_order"] == "0", prefix


def test_a_carriers_channels_have_an_order_box(client, tenant_a):
    manager = make_user(tenant=tenant_a, role=Membership.Role.MANAGER)
    carrier = make_carrier(tenant_a)
    login(client, manager)
    page = client.get(f"/admin/guides/carrier/{carrier.pk}/change/", **HOST)
    assert form_data(page, "carrier_form")["channels-0-sort_order"] == "0"


def test_posting_reordered_boxes_saves_that_order(client, editor, tenant_a):
    """What the reorder script sends: every box rewritten in the new row order."""
    article = make_article(tenant_a, steps=3)
    login(client, editor)
    data = form_data(client.get(change_url(article), **HOST))
    # Step 3, Step 1, Step 2, as after dragging the last step to the top
    data.update(
        {
            "steps-0-sort_order": "1",
            "steps-1-sort_order": "2",
            "steps-2-sort_order": "0",
            "_save": "Save",
        }
    )
    response = client.post(change_url(article), data, **HOST)
    assert response.status_code == 302, response.content.decode()[:2000]
    with tenant_context(tenant_a):
        saved = list(fresh(article).steps.values_list("title_en", "sort_order"))
    assert saved == [("Step 3", 0), ("Step 1", 1), ("Step 2", 2)]


def test_a_save_keeps_the_text_of_languages_the_tenant_does_not_show(
    client, editor, tenant_a
):
    """Fields left out of the form are left alone: zh-hant text survives a save."""
    article = make_article(tenant_a, steps=2, title_zh_hant="註銷 eSIM")
    with tenant_context(tenant_a):
        article.steps.filter(sort_order=0).update(title_zh_hant="第一步（繁）")
    login(client, editor)
    data = form_data(client.get(change_url(article), **HOST))
    assert "title_zh_hant" not in data
    data.update(
        {
            "title_en": "Cancel your eSIM",
            "steps-0-title_en": "First",
            "steps-0-sort_order": "1",
            "steps-1-sort_order": "0",
            "_save": "Save",
        }
    )
    assert client.post(change_url(article), data, **HOST).status_code == 302
    saved = fresh(article)
    assert (saved.title_en, saved.title_zh_hant) == ("Cancel your eSIM", "註銷 eSIM")
    with tenant_context(tenant_a):
        steps = list(saved.steps.values_list("title_en", "title_zh_hant"))
    assert steps == [("Step 2", None), ("First", "第一步（繁）")]
