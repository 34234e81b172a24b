"""The editors' admin: every page scoped to the tenant of the request's host.

An editor signs in on a tenant's host and sees that tenant only, and only if
they are a member of it (superusers see every tenant's admin on its host).
django-reversion's own views are not tenant-aware (DESIGN.md); the overrides
below check each version's tenant before reversion touches anything.
"""

from __future__ import annotations

import contextlib
import json
from functools import partial

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.models import LogEntry
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import (
    Http404,
    HttpResponseNotAllowed,
    HttpResponseRedirect,
    JsonResponse,
)
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modeltranslation import settings as mt_settings
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline
from reversion.admin import VersionAdmin
from reversion.models import Version

from guides import services, translation_state
from guides.admin_forms import (
    ArticleAdminForm,
    PreviewForm,
    ScheduleForm,
    StepInlineFormSet,
)
from guides.admin_history import ArticleHistoryAdminMixin, change_url
from guides.markup import render_markdown
from guides.models import (
    FAQ,
    PART_MODELS,
    Article,
    CardType,
    Carrier,
    Channel,
    Membership,
    Publication,
    Requirement,
    SearchQuery,
    Step,
    SynonymGroup,
    Tip,
)
from guides.search import selectors as search_selectors


def request_role(request) -> str | None:
    tenant = getattr(request, "tenant", None)
    if tenant is None or not request.user.is_active:
        return None
    if not hasattr(request, "_helpcenter_role"):
        request._helpcenter_role = services.user_role(tenant=tenant, user=request.user)
    return request._helpcenter_role


class TenantScopedAdminMixin:
    """Admin for tenant-owned models: members of the host's tenant only."""

    def has_module_permission(self, request):
        return request_role(request) is not None

    def has_view_permission(self, request, obj=None):
        return request_role(request) is not None

    def has_add_permission(self, request, *args):
        return request_role(request) is not None

    def has_change_permission(self, request, obj=None):
        return request_role(request) is not None

    def has_delete_permission(self, request, obj=None):
        return request_role(request) in (Membership.Role.REVIEWER, Membership.Role.MANAGER)

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
        return request_role(request) == Membership.Role.MANAGER

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
            return request_role(request) is not None
        return parent_admin.has_change_permission(request, obj) or (
            obj is None and parent_admin.has_add_permission(request)
        )

    def has_view_permission(self, request, obj=None):
        return request_role(request) is not None

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


class PartInline(SortableTabularInline):
    ordering = ("sort_order", "id")


class StepInline(PartInline):
    model = Step
    formset = StepInlineFormSet
    fields = ("sort_order", "title", "body", "channel", "duration")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "channel":
            kwargs["queryset"] = Channel.objects.select_related("carrier")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class RequirementInline(PartInline):
    model = Requirement
    fields = ("sort_order", "kind", "text")


class TipInline(PartInline):
    model = Tip
    fields = ("sort_order", "kind", "text")


class FAQInline(PartInline):
    model = FAQ
    fields = ("sort_order", "question", "answer")


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
        # tenant-checked list (guides.admin_history); other models have none.
        raise Http404


class _SaveRefused(Exception):
    """The service refused an admin save; the form is shown again."""

    def __init__(self, reasons, current_version=None):
        self.messages = [str(reason) for reason in reasons]
        super().__init__(" ".join(self.messages))
        self.current_version = current_version


_PART_KIND = {model: kind for kind, model in PART_MODELS.items()}


def _formset_parts(formset) -> list[dict]:
    """Return the formset's parts as ``services.article_update`` takes them.

    Kept parts come in the order of their ``sort_order`` box (ties keep the
    page order); deleted ones are left out, so the service deletes them.
    Unchanged parts carry only their id, so nothing about them is rewritten.
    """
    fk_name = formset.fk.name
    deleted = formset.deleted_forms
    skip = {"id", "DELETE", "ORDER", "sort_order", fk_name}
    rows = []
    for index, form in enumerate(formset.forms):
        pk = form.instance.pk
        if form in deleted:
            continue
        if pk is None and not form.has_changed():
            continue
        item = {"id": pk} if pk is not None else {}
        if pk is None or form.has_changed():
            item.update(
                (name, value)
                for name, value in form.cleaned_data.items()
                if name not in skip
            )
        order = form.cleaned_data.get("sort_order")
        rows.append((order if order is not None else 0, index, item))
    # What construct_change_message reports (formset.save() is not called).
    formset.new_objects = [
        f.instance for f in formset.forms if f.instance.pk is None and f.has_changed()
    ]
    formset.changed_objects = [
        (f.instance, f.changed_data)
        for f in formset.initial_forms
        if f.has_changed() and f not in deleted
    ]
    formset.deleted_objects = [
        f.instance for f in formset.initial_forms if f in deleted
    ]
    return [item for _order, _index, item in sorted(rows, key=lambda r: r[:2])]


def _local_input(value) -> str:
    """Return ``value`` as a datetime-local input value, in local time."""
    if value is None:
        return ""
    return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M")


@admin.register(Article)
class ArticleAdmin(
    LanguageTabsAdminMixin,
    ArticleHistoryAdminMixin,
    TenantVersionAdmin,
    TranslationAdmin,
):
    list_display = ("title", "slug", "carrier", "card_type", "status", "updated_at")
    list_filter = ("status", "carrier", "card_type")
    list_select_related = ("carrier", "card_type")
    search_fields = ("slug", "title_zh_hans", "title_en")
    form = ArticleAdminForm
    # The tenant comes from the host, never from the form. Status and the
    # schedule change only through the workflow buttons (services check roles).
    exclude = ("tenant",)
    readonly_fields = (
        "status",
        "author",
        "publish_at",
        "unpublish_at",
        "lock_version",
    )
    inlines = (StepInline, RequirementInline, TipInline, FAQInline)
    actions = ("submit_selected", "publish_selected", "unpublish_selected")
    # Extends admin/change_form.html: keeps its history link (object tools).
    change_form_template = "admin/guides/article/change_form.html"

    class Media:
        js = ("guides/admin_languages.js",)
        css = {"all": ("guides/admin.css",)}

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("carrier", "card_type")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in ("carrier", "card_type"):
            kwargs["queryset"] = db_field.related_model.objects.all()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    # --- the change form: saved through services.article_update -------------

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        refusal = getattr(request, "_article_save_refused", None)
        if refusal:
            form = type(form.__name__, (form,), {"refusal": refusal})
        return form

    @contextlib.contextmanager
    def create_revision(self, request):
        """Open no revision of reversion's on the add and change forms.

        They are written by ``services.article_create`` and
        ``services.article_update``, which record their own revision: one,
        tagged with the tenant, with user and comment.
        """
        if request.resolver_match and request.resolver_match.url_name.endswith(
            ("_change", "_add")
        ):
            yield
            return
        with super().create_revision(request):
            yield

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except _SaveRefused as refused:
            # The transaction rolled back; show the form again with everything
            # the editor typed, the reason on top, and (after a concurrent
            # save) the current version, so saving again is a deliberate choice.
            request._article_save_refused = refused.messages
            if refused.current_version is not None:
                request.POST = request.POST.copy()
                request.POST["expected_version"] = str(refused.current_version)
            return super().changeform_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        # Written with its parts in save_related, by the service: the add form
        # by services.article_create, the change form by article_update.
        return

    def save_related(self, request, form, formsets, change):
        parts = {}
        for formset in formsets:
            parts[_PART_KIND[formset.model]] = _formset_parts(formset)
        message = self.construct_change_message(request, form, formsets, not change)
        comment = LogEntry(change_message=json.dumps(message)).get_change_message()
        fields = {
            name: value
            for name, value in form.cleaned_data.items()
            if name in form._meta.model._meta._forward_fields_map
        }
        if not change:
            self._create_article(request, form.instance, fields, parts, comment)
            return
        try:
            services.article_update(
                article=form.instance,
                user=request.user,
                comment=comment,
                expected_version=form.cleaned_data["expected_version"],
                parts=parts,
                **fields,
            )
        except services.ConcurrentEditError as exc:
            raise _SaveRefused(
                [
                    _(
                        "Someone else saved this article while you were editing. "
                        "Your changes are below and were not saved; compare them "
                        "with the history, then save again to replace the other "
                        "version."
                    )
                ],
                current_version=exc.article.lock_version,
            ) from exc
        except ValidationError as exc:
            raise _SaveRefused(exc.messages) from exc

    def _create_article(self, request, obj, fields, parts, comment) -> None:
        """Create the article of the add form through the service, into ``obj``.

        The service builds its own row (tenant from the host, author, draft
        status, one tagged revision); ``obj`` is the form's instance, which
        the admin then logs and redirects to, so it takes the row's values.
        """
        try:
            article = services.article_create(
                user=request.user, comment=comment, parts=parts, **fields
            )
        except ValidationError as exc:
            raise _SaveRefused(exc.messages) from exc
        for field in Article._meta.concrete_fields:
            setattr(obj, field.attname, getattr(article, field.attname))
        obj._state.adding = False
        obj._state.db = article._state.db

    def render_change_form(self, request, context, add=False, change=False, **kwargs):
        article = context.get("original")
        if change and article is not None:
            context.update(self._article_panel_context(request, article, context))
        return super().render_change_form(request, context, add, change, **kwargs)

    def _article_panel_context(self, request, article, context) -> dict:
        """Return the workflow, preview, completeness, translation-state and
        reader-feedback context."""
        from guides.admin_feedback import article_feedback
        from guides.admin_preview import preview_url

        tenant = request.tenant
        role = request_role(request)
        rank = services.ROLE_RANK.get(role, 0)
        languages = tenant.ordered_languages()
        # The inlines' querysets are already loaded for the form: no query here.
        parts = {
            _PART_KIND[inline.formset.model]: list(inline.formset.get_queryset())
            for inline in context.get("inline_admin_formsets", ())
        }
        names = dict(settings.LANGUAGES)
        completeness = translation_state.completeness(
            article, languages=languages, parts=parts
        )
        outdated = set(
            translation_state.outdated_languages(
                article, languages=languages, source=tenant.default_language
            )
        )
        return {
            **article_feedback(request, article),
            "preview_links": [
                {
                    "code": lang,
                    "name": names.get(lang, lang),
                    "url": preview_url(article, lang),
                }
                for lang in languages
            ],
            "can_submit": rank >= services.ROLE_RANK[Membership.Role.EDITOR],
            "can_publish": rank >= services.ROLE_RANK[Membership.Role.REVIEWER],
            "is_published": Publication.objects.filter(article=article).exists(),
            "schedule_form": ScheduleForm(
                initial={
                    "publish_at": _local_input(article.publish_at),
                    "unpublish_at": _local_input(article.unpublish_at),
                },
                auto_id="id_schedule_%s",
            ),
            "translation_rows": [
                {
                    "code": lang,
                    "name": names.get(lang, lang),
                    "missing": completeness[lang],
                    "outdated": lang in outdated,
                    "is_source": lang == tenant.default_language,
                }
                for lang in languages
            ],
        }

    # --- workflow buttons and the Markdown preview ----------------------------

    WORKFLOW = {
        "submit": Membership.Role.EDITOR,
        "publish": Membership.Role.REVIEWER,
        "unpublish": Membership.Role.REVIEWER,
        "schedule": Membership.Role.REVIEWER,
        "confirm": Membership.Role.EDITOR,
    }

    def workflow_view(self, request, object_id, action):
        """Run one workflow service for the article and go back to its form."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if action not in self.WORKFLOW:
            raise Http404
        article = self.get_object(request, unquote(object_id))
        if article is None:
            raise Http404(_("No such article in this help center."))
        role = request_role(request)
        # The services check the role too; refusing here first keeps a forged
        # request from getting anywhere (and answers it plainly).
        if role is None or services.ROLE_RANK[role] < services.ROLE_RANK[
            self.WORKFLOW[action]
        ]:
            raise PermissionDenied
        try:
            done = self._run_workflow(request, article, action)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            if done:
                messages.success(request, done)
        return HttpResponseRedirect(change_url(self, article))

    def _run_workflow(self, request, article, action) -> str | None:
        user = request.user
        if action == "submit":
            services.article_submit(article=article, user=user)
            return _("Submitted for review.")
        if action == "publish":
            services.article_publish(article=article, user=user)
            return _("Published.")
        if action == "unpublish":
            services.article_unpublish(article=article, user=user)
            return _("Unpublished.")
        if action == "confirm":
            language = request.POST.get("language", "")
            services.article_translation_confirm(
                article=article, user=user, language=language
            )
            names = dict(settings.LANGUAGES)
            return _("The %(language)s translation is marked as current.") % {
                "language": names.get(language, language)
            }
        form = ScheduleForm(request.POST)
        if not form.is_valid():
            raise ValidationError(
                [error for errors in form.errors.values() for error in errors]
            )
        services.article_schedule(
            article=article,
            user=user,
            publish_at=form.cleaned_data["publish_at"],
            unpublish_at=form.cleaned_data["unpublish_at"],
        )
        return _("Schedule saved.")

    def preview_view(self, request):
        """Return sanitised HTML for a step body's Markdown (members only)."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if request_role(request) is None:
            raise PermissionDenied
        form = PreviewForm(request.POST)
        if not form.is_valid():
            return JsonResponse({"errors": form.errors}, status=400)
        return JsonResponse({"html": render_markdown(form.cleaned_data["text"])})

    # --- list actions ----------------------------------------------------------

    def _run(self, request, queryset, service, done_message):
        count = 0
        for article in queryset:
            try:
                service(article=article, user=request.user)
                count += 1
            except (ValidationError, PermissionDenied) as exc:
                reason = " ".join(getattr(exc, "messages", [str(exc)]))
                messages.error(request, f"{article}: {reason}")
        if count:
            messages.success(request, done_message % {"count": count})

    @admin.action(description=_("Submit selected articles for review"))
    def submit_selected(self, request, queryset):
        done = _("%(count)d submitted for review.")
        self._run(request, queryset, services.article_submit, done)

    @admin.action(description=_("Publish selected articles"))
    def publish_selected(self, request, queryset):
        self._run(request, queryset, services.article_publish, _("%(count)d published."))

    @admin.action(description=_("Unpublish selected articles"))
    def unpublish_selected(self, request, queryset):
        self._run(
            request, queryset, services.article_unpublish, _("%(count)d unpublished.")
        )

    # Extends reversion's list (which links "recover deleted") with the import link.
    change_list_template = "admin/guides/article/change_list.html"

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "can_import": request_role(request) == Membership.Role.MANAGER,
        }
        return super().changelist_view(request, extra_context)

    def get_urls(self):
        """Add the import page, the workflow buttons, the Markdown preview and
        the draft preview."""
        from guides.admin_preview import draft_preview_view
        from guides.importers.views import import_view

        info = self.model._meta.app_label, self.model._meta.model_name
        wrap = self.admin_site.admin_view
        return [
            path(
                "import/",
                wrap(partial(import_view, model_admin=self)),
                name="%s_%s_import" % info,
            ),
            path("preview/", wrap(self.preview_view), name="%s_%s_preview" % info),
            path(
                "<path:object_id>/preview/<str:language>/",
                wrap(partial(draft_preview_view, model_admin=self)),
                name="%s_%s_draft_preview" % info,
            ),
            path(
                "<path:object_id>/workflow/<slug:action>/",
                wrap(self.workflow_view),
                name="%s_%s_workflow" % info,
            ),
        ] + super().get_urls()


from guides import admin_feedback  # noqa: E402, F401  (readers' feedback)


class ChannelInline(SortableTabularInline):
    model = Channel
    fields = ("sort_order", "kind", "label", "value", "opening_hours")


@admin.register(Carrier)
class CarrierAdmin(
    LanguageTabsAdminMixin, ManagerOnlyMixin, TenantVersionAdmin, TranslationAdmin
):
    list_display = ("name", "slug", "website")
    exclude = ("tenant",)
    inlines = (ChannelInline,)

    class Media:
        js = ("guides/admin_languages.js",)
        css = {"all": ("guides/admin.css",)}

    def has_view_permission(self, request, obj=None):
        return request_role(request) is not None


@admin.register(CardType)
class CardTypeAdmin(
    LanguageTabsAdminMixin, ManagerOnlyMixin, TenantVersionAdmin, TranslationAdmin
):
    list_display = ("name", "slug")
    exclude = ("tenant",)

    class Media:
        js = ("guides/admin_languages.js",)
        css = {"all": ("guides/admin.css",)}

    def has_view_permission(self, request, obj=None):
        return request_role(request) is not None


from guides import admin_tenants  # noqa: E402, F401  (tenants, domains, members)


@admin.register(SynonymGroup)
class SynonymGroupAdmin(ManagerOnlyMixin, TenantVersionAdmin):
    """Words readers use for the same thing, per help center (managers edit)."""

    list_display = ("__str__", "updated_at")
    exclude = ("tenant",)

    def has_view_permission(self, request, obj=None):
        return request_role(request) is not None

    def save_model(self, request, obj, form, change):
        obj.tenant = request.tenant
        super().save_model(request, obj, form, change)


@admin.register(SearchQuery)
class SearchQueryAdmin(TenantScopedAdminMixin, admin.ModelAdmin):
    """What readers searched for, and what they could not find (read-only)."""

    change_list_template = "admin/guides/searchquery/change_list.html"
    list_display = ("query", "language", "result_count", "clicked_article", "created_at")
    list_filter = ("language", "created_at")
    search_fields = ("query",)
    list_select_related = ("clicked_article",)

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        tenant = request.tenant
        extra_context = {
            **(extra_context or {}),
            "top_queries": search_selectors.top_queries(tenant=tenant),
            "zero_result_queries": search_selectors.zero_result_queries(tenant=tenant),
        }
        return super().changelist_view(request, extra_context)
