"""Building blocks of every tenant-scoped admin: permissions, languages, versions."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.admin.utils import quote, unquote
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import (
    ObjectDoesNotExist,
    PermissionDenied,
    ValidationError,
)
from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from django.http import (
    Http404,
)
from django.shortcuts import redirect
from django.utils.formats import localize
from django.utils.text import capfirst
from django.utils.timezone import template_localtime
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _
from modeltranslation import settings as mt_settings
from modeltranslation.admin import TranslationTabularInline
from reversion import set_comment
from reversion.admin import VersionAdmin
from reversion.models import Version
from reversion.utils import mute_signals

from guides import permissions, services
from guides.models import Tenant


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

    # A refusal must not tell "exists elsewhere" from "missing": for a
    # non-member, and for a row outside the tenant's queryset, every view
    # answers 404. The lookup runs only on the refusal path, so the pages'
    # query counts do not change.

    def _refusal(self, request, object_id) -> Exception:
        if not permissions.is_member(request):
            return Http404(_("No such page in this help center."))
        if object_id is not None and not self._tenant_has(request, object_id):
            return Http404(_("No such object in this help center."))
        return PermissionDenied()

    def _tenant_has(self, request, object_id) -> bool:
        """Return whether the row exists in the request's tenant (any role)."""
        model = self.model
        try:
            pk = model._meta.pk.to_python(unquote(object_id))
        except ValidationError:
            return False
        if model is Tenant:
            return pk == request.tenant.pk
        return model._base_manager.filter(pk=pk, tenant=request.tenant).exists()

    def changelist_view(self, request, extra_context=None):
        if not permissions.is_member(request):
            raise Http404(_("No such page in this help center."))
        return super().changelist_view(request, extra_context)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except PermissionDenied:
            raise self._refusal(request, object_id) from None

    def delete_view(self, request, object_id, extra_context=None):
        try:
            return super().delete_view(request, object_id, extra_context)
        except PermissionDenied:
            raise self._refusal(request, object_id) from None

    def history_view(self, request, object_id, extra_context=None):
        try:
            return super().history_view(request, object_id, extra_context)
        except PermissionDenied:
            raise self._refusal(request, object_id) from None


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


def language_label(field, language: str) -> str:
    """Return "Title (English)" for a translated field, not "Title [en]".

    The language is named in the interface's language (简体中文 in a
    Simplified Chinese admin, 簡體中文 in a Traditional one, Simplified
    Chinese in English): a label is plain text, also used in attributes, so
    it cannot mark a name in another script with its ``lang``.
    """
    try:
        name = get_language_info(language)["name_translated"]
    except KeyError:
        name = language
    return f"{capfirst(field.verbose_name)} ({name})"


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

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        language = getattr(db_field, "language", None)
        if formfield is not None and language and hasattr(db_field, "translated_field"):
            formfield.label = language_label(db_field.translated_field, language)
        return formfield

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


class _RollBack(Exception):
    """Leave the transaction of a form that was shown, not saved."""

    def __init__(self, response):
        super().__init__()
        self.response = response


class TenantVersionAdmin(TenantScopedAdminMixin, VersionAdmin):
    """VersionAdmin whose history views stay with the object in the URL.

    Reversion's views take a version id without checking that it is of the
    admin's model, of the object in the URL or of the tenant, and revert it
    with ``Revision.revert()``: every object of the revision, every field,
    raw. Here a version shown, reverted or recovered must be this model's,
    of this object (or a deleted one of this tenant), in a revision tagged
    with the tenant; anything else answers 404. The write goes through
    ``services.settings_object_revert`` / ``settings_object_recover``: only
    this object and the rows it follows, one tagged revision, caches moved on
    after the commit. The version is shown in the object's own change form,
    which saves as usual in the same transaction and revision.
    """

    # Reversion's history list, with a refused revert's reasons on top.
    object_history_template = "admin/guides/object_history.html"

    def _tenant_version(self, request, version_id, object_id=None) -> Version:
        filters = {
            "pk": version_id,
            "content_type": ContentType.objects.get_for_model(self.model),
            "revision__meta__tenant": request.tenant,
        }
        if object_id is not None:
            filters["object_id"] = str(object_id)
        try:
            return Version.objects.select_related("revision").get(**filters)
        except (Version.DoesNotExist, ValueError, TypeError):
            raise Http404(_("No such version in this help center.")) from None

    def _own_object(self, request, object_id):
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404(_("No such object in this help center."))
        return obj

    def history_view(self, request, object_id, extra_context=None):
        # Django redirects for a row outside the queryset; another tenant's
        # row must answer like a missing one.
        self._own_object(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def revision_view(self, request, object_id, version_id, extra_context=None):
        obj = self._own_object(request, object_id)
        version = self._tenant_version(request, version_id, str(obj.pk))
        context = {
            "title": _("Revert %(name)s") % {"name": version.object_repr},
            "revert": True,
            **(extra_context or {}),
        }
        template = self.revision_form_template or self._reversion_get_template_list(
            "revision_form.html"
        )
        comment = _("Reverted to the version of %(datetime)s") % {
            "datetime": localize(template_localtime(version.revision.date_created))
        }
        return self._restore_view(
            request, version, template, context, comment, object_id=obj.pk
        )

    def recover_view(self, request, version_id, extra_context=None):
        version = self._tenant_version(request, version_id)
        if not self.has_add_permission(request):
            raise PermissionDenied
        if self.model._base_manager.filter(pk=version.object_id).exists():
            # Not deleted: a revert, which belongs under the object's URL.
            raise Http404(_("No such deleted object in this help center."))
        context = {
            "title": _("Recover %(name)s") % {"name": version.object_repr},
            "recover": True,
            **(extra_context or {}),
        }
        template = self.recover_form_template or self._reversion_get_template_list(
            "recover_form.html"
        )
        comment = _("Recovered from the version of %(datetime)s") % {
            "datetime": localize(template_localtime(version.revision.date_created))
        }
        return self._restore_view(request, version, template, context, comment)

    def recoverlist_view(self, request, extra_context=None):
        # Reversion lists every tenant's deleted rows here. Articles have a
        # tenant-checked list (guides.admin.history); other models have none.
        raise Http404

    def _restore_view(
        self, request, version, template, context, comment, object_id=None
    ):
        """Show the version in the change form (GET), or restore and save it (POST).

        A refusal (a conflict, the last manager) changes nothing and is shown
        on the object's history page, or for a recover on the list.
        """
        restore = {
            "model": self.model,
            "version_id": version.pk,
            "user": request.user,
        }
        if object_id is not None:
            restore["object_id"] = object_id
        try:
            if request.method == "POST":
                return self._restore_and_save(
                    request, restore, template, context, comment
                )
            return self._preview(request, restore, template, context)
        except (Version.DoesNotExist, ObjectDoesNotExist):
            raise Http404(_("No such version in this help center.")) from None
        except ValidationError as exc:
            if object_id is not None:
                return self.history_view(
                    request, quote(str(object_id)), {"errors": exc.messages}
                )
            # A deleted object has no page of its own to come back to.
            messages.error(request, " ".join(exc.messages))
            opts = self.model._meta
            return redirect(
                f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_changelist"
            )

    def _preview(self, request, restore, template, context):
        # Receivers stay quiet for a write that is always rolled back.
        with (
            mute_signals(pre_save, post_save, pre_delete, post_delete),
            services.settings_object_preview(**restore) as obj,
        ):
            response = self.changeform_view(
                request, quote(str(obj.pk)), request.path, context
            )
            if response.status_code == 200:
                response.template_name = template
                # Rendered now: the version is gone once the block ends.
                response.render()
        return response

    def _restore_and_save(self, request, restore, template, context, comment):
        service = (
            services.settings_object_revert
            if "object_id" in restore
            else services.settings_object_recover
        )
        try:
            with transaction.atomic(), self.create_revision(request):
                obj = service(**restore)
                response = self.changeform_view(
                    request, quote(str(obj.pk)), request.path, context
                )
                if response.status_code != 302:
                    # The form refused (shown with its errors): keep nothing.
                    if response.status_code == 200:
                        response.template_name = template
                        response.render()
                    raise _RollBack(response)
                set_comment(comment)
        except _RollBack as rolled_back:
            return rolled_back.response
        return response
