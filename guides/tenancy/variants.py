"""The Traditional Chinese interface in the tenant's regional wording.

``locale/zh_Hant`` is the Traditional Chinese catalogue, in Taiwan's wording
(搜尋, 資訊, 行動網路). ``locale/zh_Hant_HK`` carries only the entries whose
Hong Kong wording differs. For a tenant whose ``chinese_variant`` is Hong Kong,
``ChineseVariantMiddleware`` activates a translation of ``zh-hant`` with the
Hong Kong entries laid over it: the language code stays ``zh-hant`` (URLs,
``<html lang>``, modeltranslation's fields), only the interface wording
changes.

Django keeps one translation object per language code in
``trans_real._translations``; the merged one is registered there under
``VARIANT_CODES[variant]`` (a code no URL or setting uses), and activated
with the public ``translation.activate``. Its ``to_language()`` is
``zh-hant``, so ``get_language()`` answers ``zh-hant`` as usual.
"""

from __future__ import annotations

import gettext as gettext_module
import threading

from django.conf import settings
from django.utils import translation
from django.utils.translation import trans_real

TRADITIONAL = "zh-hant"

#: variant -> the internal code its merged translation is registered under.
VARIANT_CODES = {"hk": "zh-hant-x-hk"}
#: variant -> the catalogue of its differences (under each LOCALE_PATHS entry).
VARIANT_LOCALES = {"hk": "zh_Hant_HK"}

_lock = threading.Lock()


def _variant_translation(variant: str) -> trans_real.DjangoTranslation:
    """Return zh-hant with ``variant``'s differences laid over it (built once)."""
    code = VARIANT_CODES[variant]
    found = trans_real._translations.get(code)
    if found is not None:
        return found
    with _lock:
        merged = trans_real.DjangoTranslation(TRADITIONAL)
        for localedir in settings.LOCALE_PATHS:
            differences = gettext_module.translation(
                "django",
                localedir=str(localedir),
                languages=[VARIANT_LOCALES[variant]],
                fallback=True,
            )
            if isinstance(differences, gettext_module.GNUTranslations):
                # merge() lets the later catalogue win: the variant's entries.
                merged.merge(differences)
        trans_real._translations[code] = merged
        return merged


def active_variant() -> str | None:
    """Return the variant whose wording is active ("hk"), or None (zh-hant's own
    Taiwan wording, or another language)."""
    for variant, code in VARIANT_CODES.items():
        if trans_real._translations.get(code) is getattr(
            trans_real._active, "value", None
        ):
            return variant
    return None


def activate_variant(variant: str) -> None:
    """Activate the Traditional Chinese interface in ``variant``'s wording."""
    if variant not in VARIANT_CODES:
        return
    _variant_translation(variant)
    translation.activate(VARIANT_CODES[variant])


class ChineseVariantMiddleware:
    """After LocaleMiddleware: a Hong Kong tenant's zh-hant pages in Hong Kong
    wording (Taiwan's is the catalogue's own)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        tenant = getattr(request, "tenant", None)
        if (
            tenant is not None
            and tenant.chinese_variant in VARIANT_CODES
            and translation.get_language() == TRADITIONAL
        ):
            activate_variant(tenant.chinese_variant)
        return self.get_response(request)
