from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GuidesConfig(AppConfig):
    name = "guides"
    verbose_name = _("Help center")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from guides import receivers  # noqa: F401
        from guides.operations.startup import require_real_secret_key
        from guides.services.revisions import register_versioned_models

        # Every entry point (servers, manage.py, workers) loads the apps.
        require_real_secret_key()
        # Registered here, after modeltranslation's own ready() has added the
        # per-language columns, so reversion stores every one of them
        # (DESIGN.md: a registration made earlier stores only the plain field).
        register_versioned_models()
