"""The Chinese catalogues translate every interface string: Simplified, and
Traditional (Taiwan wording, with Hong Kong's differences beside it)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

LOCALE = Path(__file__).resolve().parent.parent / "locale"


@pytest.mark.parametrize("locale", ["zh_Hans", "zh_Hant"])
@pytest.mark.parametrize("domain", ["django", "djangojs"])
def test_the_chinese_catalogues_have_nothing_untranslated_or_fuzzy(locale, domain):
    msgfmt = shutil.which("msgfmt")
    assert msgfmt, "make installs Debian's gettext (msgfmt)"
    po = LOCALE / locale / "LC_MESSAGES" / f"{domain}.po"
    result = subprocess.run(
        [msgfmt, "--check", "--statistics", "-o", "/dev/null", str(po)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "translated message" in result.stderr
    assert "untranslated" not in result.stderr and "fuzzy" not in result.stderr


def test_public_templates_strings_reach_the_reader_in_chinese(client, tenant_a):
    page = client.get("/zh-hans/", HTTP_HOST="alpha.test").content.decode()
    assert "能为您提供哪些帮助" in page  # jinja2/guides/home.html, via makemessages
    assert "跳到主要内容" in page  # jinja2/guides/base.html


HAN = re.compile(r"[\u4e00-\u9fff]")


@pytest.mark.parametrize("domain", ["django", "djangojs"])
def test_the_hong_kong_catalogue_holds_only_differences_from_zh_hant(domain):
    import polib

    hant = {
        (e.msgctxt, e.msgid): e.msgstr
        for e in polib.pofile(str(LOCALE / "zh_Hant" / "LC_MESSAGES" / f"{domain}.po"))
    }
    hk_path = LOCALE / "zh_Hant_HK" / "LC_MESSAGES" / f"{domain}.po"
    for entry in polib.pofile(str(hk_path)):
        key = (entry.msgctxt, entry.msgid)
        assert key in hant, f"{entry.msgid!r} is not in zh_Hant"
        if not entry.msgid_plural:
            assert entry.msgstr and entry.msgstr != hant[key], entry.msgid


def test_the_traditional_catalogue_uses_regional_wording():
    import polib

    hant = {
        e.msgid: e.msgstr
        for e in polib.pofile(str(LOCALE / "zh_Hant" / "LC_MESSAGES" / "django.po"))
    }
    assert hant["Search"] == "搜尋"
    simplified_forms = {
        msgid: msgstr
        for msgid, msgstr in hant.items()
        if any(word in msgstr for word in ("搜索", "信息", "网络", "类型", "型別"))
    }
    assert not simplified_forms
