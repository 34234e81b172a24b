"""A Hong Kong tenant's Traditional Chinese interface in Hong Kong wording."""

from __future__ import annotations

from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils import translation

from guides.tenancy.variants import activate_variant
from tests.factories import make_carrier, make_tenant

LOCALE = Path(settings.LOCALE_PATHS[0])


def a_difference() -> polib.POEntry:
    """An entry whose Hong Kong wording differs from zh_Hant's (Taiwan)."""
    path = LOCALE / "zh_Hant_HK" / "LC_MESSAGES" / "django.po"
    entries = [
        e for e in polib.pofile(str(path)) if not e.msgid_plural and not e.msgctxt
    ]
    assert entries, "the Hong Kong catalogue holds differences"
    return entries[0]


def test_the_hong_kong_variant_lays_its_wording_over_zh_hant():
    entry = a_difference()
    with translation.override("zh-hant"):
        taiwan = translation.gettext(entry.msgid)
        activate_variant("hk")
        assert translation.get_language() == "zh-hant"
        assert translation.gettext(entry.msgid) == entry.msgstr
        assert entry.msgstr != taiwan
        # An entry without a difference is zh_Hant's own.
        assert translation.gettext("Search") == "搜尋"


@pytest.mark.parametrize(
    ("variant", "expected_hreflang"), [("tw", "zh-Hant-TW"), ("hk", "zh-Hant-HK")]
)
def test_pages_follow_the_tenants_variant(client, db, variant, expected_hreflang):
    tenant = make_tenant(
        f"t{variant}",
        hosts=[f"{variant}.test"],
        languages=["zh-hant", "en"],
        default_language="zh-hant",
        chinese_variant=variant,
    )
    make_carrier(tenant, "cht")
    response = client.get("/zh-hant/", HTTP_HOST=f"{variant}.test")
    assert response.status_code == 200
    page = response.content.decode()
    assert f'hreflang="{expected_hreflang}"' in page
    assert '<html lang="zh-hant"' in page or 'lang="zh-Hant' in page
    # "Carriers" is 電信業者 in Taiwan and 電訊商 in Hong Kong.
    taiwan, hong_kong = "電信業者", "電訊商"
    assert (hong_kong if variant == "hk" else taiwan) in page
    assert (taiwan if variant == "hk" else hong_kong) not in page
