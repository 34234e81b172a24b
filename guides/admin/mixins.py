"""Building blocks of every tenant-scoped admin: permissions, languages, versions."""

from __future__ import annotations

from django.conf import settings
from django.http import (
    Http404,
)
from django.utils.translation import gettext_lazy as _
from modeltranslation import settings as mt_settings
from modeltranslation.admin import TranslationTabularInline
from reversion.admin import VersionAdmin
from reversion.models import Version

from guides import permissions


class TenantScopedAdminMixin:
    """Admin for tenant-owned models: members of the host's tenant only."""

    def has_module_permission(self, request):
        return permissions.is_member(request)

    def has_view_permission(self, request, obj=None):
        return permissions.is_member(request)

    def has_add_permission(self, request, *args):
        return permissions.is_member(request)

    def has_change_permission(self, request, obj=None):
        return permissions.is_member(request)

    def has_delete_permission(self, request, obj=None):
        return permissions.can_action(request, "delete")

    def get_queryset(self, request):
        # The default manager is already scoped to request.tenant.
        return super().get_queryset(request)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.tenant = request.tenant
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        for inline_form in formset.forms:
            instance = inline_form.instance
            if not instance.pk and hasattr(instance, "tenant_id"):
                instance.tenant = request.tenant
        super().save_formset(request, form, formset, change)


class ManagerOnlyMixin(TenantScopedAdminMixin):
    def _is_manager(self, request):
        return permissions.can_manage(request)

    def has_add_permission(self, request, *args):
        return self._is_manager(request)

    def has_change_permission(self, request, obj=None):
        return self._is_manager(request)

    def has_delete_permission(self, request, obj=None):
        return self._is_manager(request)


class TenantInlinePermissionsMixin:
    """Inline permissions follow the tenant role, not Django's model perms.

    Members hold no per-model permissions; without this the inlines of an
    article or carrier would not render for them at all.
    """

    def _role_allows(self, request, obj) -> bool:
        parent_admin = self.admin_site._registry.get(self.parent_model)
        if parent_admin is None:
            return permissions.is_member(request)
        return parent_admin.has_change_permission(request, obj) or (
            obj is None and parent_admin.has_add_permission(request)
        )

    def has_view_permission(self, request, obj=None):
        return permissions.is_member(request)

    def has_add_permission(self, request, obj=None):
        return self._role_allows(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._role_allows(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._role_allows(request, obj)


def form_languages(request) -> list[str]:
    """Return the languages a translated admin form shows, in tab order.

    The tenant's enabled languages, its default first. modeltranslation's
    default language always stays: its fields are the required ones and the
    readers' fallback, so a form without them could not be saved.
    """
    tenant = getattr(request, "tenant", None)
    if tenant is None:
        languages = list(mt_settings.AVAILABLE_LANGUAGES)
    else:
        languages = tenant.ordered_languages()
    if mt_settings.DEFAULT_LANGUAGE not in languages:
        languages.append(mt_settings.DEFAULT_LANGUAGE)
    return languages


def _without(fields, hidden: set[str]) -> list:
    """Return a fieldset's ``fields`` without the names in ``hidden``."""
    kept = []
    for field in fields:
        if isinstance(field, (list, tuple)):
            line = tuple(name for name in field if name not in hidden)
            if line:
                kept.append(line)
        elif field not in hidden:
            kept.append(field)
    return kept


class TenantLanguageFieldsMixin:
    """Render a translated model's fields only in the tenant's languages.

    modeltranslation adds a field per language in ``MODELTRANSLATION_LANGUAGES``
    (``title_zh_hant`` too); a tenant enables a subset. Leaving the others out
    of the fieldsets leaves them out of the form as well, so a save never
    touches those columns: the form does not set them, and the services set
    only the fields they are given. Their text survives and shows again once
    the tenant enables the language.
    """

    def _hidden_language_fields(self, request) -> set[str]:
        shown = set(form_languages(request))
        return {
            field.name
            for fields in self.trans_opts.all_fields.values()
            for field in fields
            if field.language not in shown
        }

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        hidden = self._hidden_language_fields(request)
        if not hidden:
            return fieldsets
        return [
            (name, {**options, "fields": _without(options["fields"], hidden)})
            for name, options in fieldsets
        ]


class LanguageTabsAdminMixin(TenantLanguageFieldsMixin):
    """A translated model's change form, with a tab per language.

    The tab bar (``admin/guides/includes/language_tabs.html``) is rendered
    hidden; ``guides/admin_languages.js`` shows it and, per tab, only that
    language's fields. Without JavaScript every field shows, as before.
    """

    change_form_template = "admin/guides/translated_change_form.html"

    def render_change_form(self, request, context, *args, **kwargs):
        names = dict(settings.LANGUAGES)
        tenant = getattr(request, "tenant", None)
        default = getattr(tenant, "default_language", None)
        context["language_tabs"] = [
            {
                "code": code,
                # modeltranslation's field suffix: title_zh_hans for zh-hans.
                "suffix": code.replace("-", "_"),
                "name": names.get(code, code),
                "is_default": code == default,
            }
            for code in form_languages(request)
        ]
        return super().render_change_form(request, context, *args, **kwargs)


class SortableTabularInline(
    TenantLanguageFieldsMixin, TenantInlinePermissionsMixin, TranslationTabularInline
):
    """A tabular inline of ordered, translated rows (parts, channels)."""

    extra = 0

    class Media:
        js = ("guides/admin_sortable.js",)
        css = {"all": ("guides/admin.css",)}

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)

        class LabelledFormSet(formset):
            """Name every input: a tabular inline heads its columns with
            ``<th>``, not ``<label>``, so screen readers announced bare
            text boxes (axe-core's "label" rule, critical)."""

            def add_fields(self, form, index):
                super().add_fields(form, index)
                for field in form.fields.values():
                    if field.widget.is_hidden or not field.label:
                        continue
                    # A foreign key's select sits inside the admin's wrapper.
                    widget = getattr(field.widget, "widget", field.widget)
                    widget.attrs.setdefault("aria-label", str(field.label))

        LabelledFormSet.__name__ = formset.__name__
        return LabelledFormSet


class TenantVersionAdmin(TenantScopedAdminMixin, VersionAdmin):
    """VersionAdmin whose reversion views refuse other tenants' versions."""

    def _tenant_version(self, request, version_id, object_id=None) -> Version:
        filters = {"pk": version_id, "revision__meta__tenant": request.tenant}
        if object_id is not None:
            filters["object_id"] = object_id
        try:
            return Version.objects.get(**filters)
        except (Version.DoesNotExist, ValueError):
            raise Http404(_("No such version in this help center.")) from None

    def revision_view(self, request, object_id, version_id, extra_context=None):
        self._tenant_version(request, version_id, object_id)
        return super().revision_view(request, object_id, version_id, extra_context)

    def recover_view(self, request, version_id, extra_context=None):
        self._tenant_version(request, version_id)
        return super().recover_view(request, version_id, extra_context)

    def recoverlist_view(self, request, extra_context=None):
        # Reversion lists every tenant's deleted rows here. Articles have a
        # tenant-checked list (guides.admin.history); other models have none.
        raise Http404
