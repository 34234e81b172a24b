"""The Simplified Chinese catalogues translate every interface string."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

LOCALE = Path(__file__).resolve().parent.parent / "locale"


@pytest.mark.parametrize("domain", ["django", "djangojs"])
def test_the_zh_hans_catalogue_has_nothing_untranslated_or_fuzzy(domain):
    msgfmt = shutil.which("msgfmt")
    assert msgfmt, "make installs Debian's gettext (msgfmt)"
    po = LOCALE / "zh_Hans" / "LC_MESSAGES" / f"{domain}.po"
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
