"""The article admin: the change form saved through the services, the workflow."""

from __future__ import annotations

from functools import partial

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import (
    Http404,
    HttpResponseNotAllowed,
    HttpResponseRedirect,
    JsonResponse,
)
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from guides import permissions, services
from guides.admin.forms import (
    ArticleAdminForm,
    PreviewForm,
    ScheduleForm,
    StepInlineFormSet,
)
from guides.admin.freshness import (
    StaleFilter,
    article_freshness,
    last_verified,
    verify_selected,
    verify_view,
)
from guides.admin.history import ArticleHistoryAdminMixin, change_url
from guides.admin.mixins import (
    LanguageTabsAdminMixin,
    SortableTabularInline,
    TenantVersionAdmin,
)
from guides.admin.saving import (
    SaveRefused,
    ServiceSaveAdminMixin,
    formset_rows,
    refused_on_form,
)
from guides.models import (
    FAQ,
    PART_MODELS,
    Article,
    Channel,
    Publication,
    Requirement,
    Step,
    Tip,
)
from guides.publishing import translation_state
from guides.publishing.markup import render_markdown


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


_PART_KIND = {model: kind for kind, model in PART_MODELS.items()}


def _local_input(value) -> str:
    """Return ``value`` as a datetime-local input value, in local time."""
    if value is None:
        return ""
    return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M")


@admin.register(Article)
class ArticleAdmin(
    ServiceSaveAdminMixin,
    LanguageTabsAdminMixin,
    ArticleHistoryAdminMixin,
    TenantVersionAdmin,
    TranslationAdmin,
):
    list_display = ("title", "slug", "carrier", "card_type", "status", "updated_at")
    list_display += (last_verified,)
    list_filter = ("status", "carrier", "card_type", StaleFilter)
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
    actions += (verify_selected,)
    # Extends admin/change_form.html: keeps its history link (object tools).
    change_form_template = "admin/guides/article/change_form.html"

    class Media:
        js = ("guides/admin_languages.js",)
        css = {"all": ("guides/admin.css",)}

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("carrier", "card_type")

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        # Another tenant's article is "missing", answered like any unknown id.
        raise Http404(_("No such article in this help center."))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in ("carrier", "card_type"):
            kwargs["queryset"] = db_field.related_model.objects.all()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    # --- the change form: saved through services.article_update -------------

    def save_related(self, request, form, formsets, change):
        """Write the article with its parts: ``services.article_create`` for the
        add form, ``services.article_update`` for the change form."""
        parts = {}
        for formset in formsets:
            parts[_PART_KIND[formset.model]] = formset_rows(formset)
        comment = self.change_comment(request, form, formsets, change)
        fields = {
            name: value
            for name, value in form.cleaned_data.items()
            if name in form._meta.model._meta._forward_fields_map
        }
        if not change:
            self._create_article(request, form.instance, fields, parts, comment)
            return
        try:
            with refused_on_form():
                services.article_update(
                    article=form.instance,
                    user=request.user,
                    comment=comment,
                    expected_version=form.cleaned_data["expected_version"],
                    parts=parts,
                    **fields,
                )
        except services.ConcurrentEditError as exc:
            raise SaveRefused(
                ValidationError(
                    _(
                        "Someone else saved this article while you were editing. "
                        "Your changes are below and were not saved; compare them "
                        "with the history, then save again to replace the other "
                        "version."
                    )
                ),
                post={"expected_version": str(exc.article.lock_version)},
            ) from exc

    def _create_article(self, request, obj, fields, parts, comment) -> None:
        """Create the article of the add form through the service, into ``obj``.

        The service builds its own row (tenant from the host, author, draft
        status, one tagged revision); ``obj`` is the form's instance, which
        the admin then logs and redirects to, so it takes the row's values.
        """
        with refused_on_form():
            article = services.article_create(
                user=request.user, comment=comment, parts=parts, **fields
            )
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
        from guides.admin.feedback import article_feedback
        from guides.admin.preview import preview_url

        tenant = request.tenant
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
            **article_freshness(request, article),
            "preview_links": [
                {
                    "code": lang,
                    "name": names.get(lang, lang),
                    "url": preview_url(article, lang),
                }
                for lang in languages
            ],
            "can_submit": permissions.can_action(request, "submit"),
            "can_publish": permissions.can_action(request, "publish"),
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

    #: The workflow buttons; ``permissions.ACTION_ROLES`` says who may press each.
    WORKFLOW = ("submit", "publish", "unpublish", "schedule", "confirm")

    def workflow_view(self, request, object_id, action):
        """Run one workflow service for the article and go back to its form."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if action not in self.WORKFLOW:
            raise Http404
        article = self.get_object(request, unquote(object_id))
        if article is None:
            raise Http404(_("No such article in this help center."))
        # The services check the role too; refusing here first keeps a forged
        # request from getting anywhere (and answers it plainly).
        permissions.require_action(request, action)
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
        if not permissions.is_member(request):
            raise PermissionDenied
        form = PreviewForm(request.POST)
        if not form.is_valid():
            return JsonResponse({"errors": form.errors}, status=400)
        return JsonResponse({"html": render_markdown(form.cleaned_data["text"])})

    # --- deletes: one tagged revision per article, effects after commit -------

    def delete_model(self, request, obj):
        services.article_delete(article=obj, user=request.user)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for article in queryset:
                services.article_delete(article=article, user=request.user)

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
        self._run(
            request, queryset, services.article_publish, _("%(count)d published.")
        )

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
            "can_import": permissions.can_action(request, "import"),
        }
        return super().changelist_view(request, extra_context)

    def get_urls(self):
        """Add the import page, the workflow buttons, the Markdown preview and
        the draft preview."""
        from guides.admin.preview import draft_preview_view
        from guides.importers.views import import_view

        info = self.model._meta.app_label, self.model._meta.model_name
        wrap = self.admin_site.admin_view
        return [
            path(
                "import/",
                wrap(partial(import_view, model_admin=self)),
                name="{}_{}_import".format(*info),
            ),
            path(
                "preview/", wrap(self.preview_view), name="{}_{}_preview".format(*info)
            ),
            path(
                "<path:object_id>/preview/<str:language>/",
                wrap(partial(draft_preview_view, model_admin=self)),
                name="{}_{}_draft_preview".format(*info),
            ),
            path(
                "<path:object_id>/verify/",
                wrap(partial(verify_view, model_admin=self)),
                name="{}_{}_verify".format(*info),
            ),
            path(
                "<path:object_id>/workflow/<slug:action>/",
                wrap(self.workflow_view),
                name="{}_{}_workflow".format(*info),
            ),
            *super().get_urls(),
        ]
