"""System checks for traps of this stack (DESIGN.md, "learned the hard way")."""

from __future__ import annotations

from django.conf import settings
from django.core import checks
from modeltranslation.translator import translator
from modeltranslation.utils import build_localized_fieldname


def missing_translated_columns(model) -> list[str]:
    """Return the per-language columns of ``model`` that reversion does not store."""
    import reversion
    from reversion.revisions import _get_options

    if not reversion.is_registered(model):
        return []
    stored = set(_get_options(model).fields)
    opts = translator.get_options_for_model(model)
    expected = [
        build_localized_fieldname(field, lang)
        for field in opts.all_fields
        for lang in settings.MODELTRANSLATION_LANGUAGES
    ]
    return [name for name in expected if name not in stored]


@checks.register(checks.Tags.models)
def check_reversion_stores_translations(app_configs=None, **kwargs):
    """Fail when reversion would lose a language's text of a versioned model."""
    errors = []
    for model in translator.get_registered_models(abstract=False):
        missing = missing_translated_columns(model)
        if missing:
            errors.append(
                checks.Error(
                    f"django-reversion does not store {', '.join(missing)} of "
                    f"{model._meta.label}; a revert would lose or mix translations.",
                    hint="Register the model with reversion in AppConfig.ready(), "
                    "after modeltranslation has added its language columns.",
                    obj=model,
                    id="guides.E001",
                )
            )
    return errors
