"""The article admin: the change form saved through the services, the workflow."""

from __future__ import annotations

from functools import partial

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.http import (
    Http404,
    HttpResponseNotAllowed,
    HttpResponseRedirect,
    JsonResponse,
)
from django.http.request import split_domain_port
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone, translation
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language_info, ngettext
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin
from modeltranslation.utils import build_localized_fieldname

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
from guides.cache.pages import request_port
from guides.models import (
    FAQ,
    PART_MODELS,
    Article,
    Channel,
    Domain,
    Publication,
    Requirement,
    Step,
    Tip,
)
from guides.publishing import translation_state
from guides.publishing.markup import render_markdown
from guides.search import analysis
from guides.services.workflow import PublishNeedsConfirmation
from guides.tenancy import require_current_tenant


class PartInline(SortableTabularInline):
    ordering = ("sort_order", "id")
    # Each part a card with its fields stacked (fits 1366 px), same markup.
    template = "admin/guides/edit_inline/part_cards.html"


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


#: What the editors' search reads, per model: every language's column of
#: these translated fields, and the plain ones.
_SEARCHED = {
    Article: (("title", "summary", "introduction"), ("slug",)),
    Step: (("title", "body"), ()),
    FAQ: (("question", "answer"), ()),
    Requirement: (("text",), ()),
    Tip: (("text",), ()),
}


def _text_q(model, term: str) -> Q:
    """Return "some searched field of ``model`` contains ``term``"."""
    translated, plain = _SEARCHED[model]
    q = Q()
    for name in translated:
        for language, _name in settings.LANGUAGES:
            q |= Q(**{f"{build_localized_fieldname(name, language)}__icontains": term})
    for name in plain:
        q |= Q(**{f"{name}__icontains": term})
    return q


def _term_q(term: str) -> Q:
    """Return "the article, one of its parts or a hotline contains ``term``".

    Parts and channels are read through subqueries (no join fans out the
    list); a step's own channel and the carrier's channels both count.
    """
    q = _text_q(Article, term)
    for model in (Step, FAQ, Requirement, Tip):
        q |= Q(pk__in=model.objects.filter(_text_q(model, term)).values("article_id"))
    channels = Channel.objects.filter(value__icontains=term)
    q |= Q(carrier__in=channels.values("carrier_id"))
    q |= Q(pk__in=Step.objects.filter(channel__in=channels).values("article_id"))
    return q


def article_search_q(query: str) -> Q | None:
    """Return the condition of the editors' search for ``query``, or None.

    The query goes through the site's analyser (``guides.search.analysis``):
    full-width forms and Traditional Chinese are folded, Chinese is cut
    into words, and every word must occur somewhere in the article, its
    parts or its carrier's hotlines, in any language. The query as typed
    matches too (a Traditional text searched in Traditional).
    """
    words = analysis.query_tokens(query)
    typed = " ".join(query.split())
    if not words and not typed:
        return None
    q = Q()
    for word in words:
        q &= _term_q(word)
    if typed:
        q = (q | _term_q(typed)) if words else _term_q(typed)
    return q


def _published_url(request, tenant, slug: str) -> str:
    """Return the published page of ``slug`` on the tenant's primary domain.

    The scheme and port are the request's (``localhost:8000`` in development).
    """
    host = (
        Domain.objects.filter(tenant=tenant, verified_at__isnull=False)
        .order_by("-is_primary", "host")
        .values_list("host", flat=True)
        .first()
    ) or split_domain_port(request.get_host())[0]
    port = request_port(request)
    with translation.override(tenant.default_language):
        path = reverse("guides:article_detail", kwargs={"slug": slug})
    return f"{request.scheme}://{host}{':' + port if port else ''}{path}"


@admin.register(Article)
class ArticleAdmin(
    ServiceSaveAdminMixin,
    LanguageTabsAdminMixin,
    ArticleHistoryAdminMixin,
    TenantVersionAdmin,
    TranslationAdmin,
):
    list_display = (
        "title",
        "slug",
        "carrier",
        "card_type",
        "status_label",
        "translations",
        last_verified,
        "updated_at",
    )
    list_filter = ("status", "carrier", "card_type", StaleFilter)
    list_select_related = ("carrier", "card_type")
    search_fields = ("slug", "title_zh_hans", "title_en")
    form = ArticleAdminForm
    # The tenant comes from the host, never from the form. Status and the
    # schedule change only through the workflow buttons (services check roles).
    exclude = ("tenant", "publish_at", "unpublish_at")
    # The schedule is shown without the model's help text, which names a
    # management command editors never run (the workflow panel sets it).
    readonly_fields = (
        "status",
        "author",
        "scheduled_publish",
        "scheduled_unpublish",
        "lock_version",
    )
    inlines = (StepInline, RequirementInline, TipInline, FAQInline)
    actions = (
        "submit_selected",
        "publish_selected",
        "unpublish_selected",
        "convert_selected",
    )
    actions += (verify_selected,)
    # Extends admin/change_form.html: keeps its history link (object tools).
    change_form_template = "admin/guides/article/change_form.html"

    class Media:
        js = ("guides/admin_languages.js",)

    def get_queryset(self, request):
        queryset = (
            super()
            .get_queryset(request)
            .select_related("carrier", "card_type")
            .annotate(
                has_publication=Exists(
                    Publication.objects.filter(article=OuterRef("pk"))
                )
            )
        )
        match = request.resolver_match
        if match and match.url_name == "guides_article_changelist":
            # The completeness column reads every part: four queries a page.
            queryset = queryset.prefetch_related(*PART_MODELS)
        return queryset

    def get_search_results(self, request, queryset, search_term):
        """Search titles, steps, FAQs, requirements, tips and hotlines."""
        q = article_search_q(search_term or "")
        if q is None:
            return queryset, False
        return queryset.filter(q), False

    @admin.display(description=_("status"), ordering="status")
    def status_label(self, obj):
        """Name the status as readers are affected by it."""
        if getattr(obj, "has_publication", False):
            if obj.status == Article.Status.DRAFT:
                return _("Published, with pending edits")
            if obj.status == Article.Status.REVIEW:
                return _("Published, edits in review")
        return obj.get_status_display()

    @admin.display(description=_("translations"))
    def translations(self, obj):
        """Each language: complete, or how many texts are missing, or outdated."""
        tenant = require_current_tenant()
        languages = tenant.ordered_languages()
        parts = {kind: list(getattr(obj, kind).all()) for kind in PART_MODELS}
        missing = translation_state.completeness(obj, languages=languages, parts=parts)
        outdated = set(
            translation_state.outdated_languages(
                obj, languages=languages, source=tenant.default_language
            )
        )
        items = []
        for lang in languages:
            name = get_language_info(lang)["name_local"]
            if lang in outdated:
                state, css = _("outdated"), "translation-outdated"
            elif missing[lang]:
                count = len(missing[lang])
                state = ngettext("%(count)d missing", "%(count)d missing", count) % {
                    "count": count
                }
                css = "translation-incomplete"
            else:
                state, css = _("complete"), "translation-complete"
            items.append(
                format_html(
                    '<li class="{}" title="{}"><span lang="{}">{}</span>: {}</li>',
                    css,
                    ", ".join(map(str, missing[lang])),
                    lang,
                    name,
                    state,
                )
            )
        return format_html(
            '<ul class="translation-states">{}</ul>', mark_safe("".join(items))
        )

    @admin.display(description=_("publish at"))
    def scheduled_publish(self, obj):
        return obj.publish_at

    @admin.display(description=_("unpublish at"))
    def scheduled_unpublish(self, obj):
        return obj.unpublish_at

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
        version = form.instance.lock_version
        try:
            with refused_on_form():
                article = services.article_update(
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
        # The service writes nothing for a save without a change: say so,
        # and log nothing (log_change, message_user).
        request._article_unchanged = article.lock_version == version

    def log_change(self, request, obj, message):
        if getattr(request, "_article_unchanged", False):
            return None
        return super().log_change(request, obj, message)

    def message_user(self, request, message, level=messages.INFO, *args, **kwargs):
        if getattr(request, "_article_unchanged", False) and level == messages.SUCCESS:
            message, level = (
                _("No changes were made, so nothing was saved."),
                (messages.INFO),
            )
        return super().message_user(request, message, level, *args, **kwargs)

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
        published_slug = (
            Publication.objects.filter(article=article)
            .values_list("slug", flat=True)
            .first()
        )
        completeness = translation_state.completeness(
            article, languages=languages, parts=parts
        )
        outdated = set(
            translation_state.outdated_languages(
                article, languages=languages, source=tenant.default_language
            )
        )
        unreviewed = set(
            translation_state.languages_needing_review(article, languages=languages)
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
            # The buttons follow the status: submit a draft, publish from
            # review (a manager may skip it, after confirming).
            "can_submit": permissions.can_action(request, "submit")
            and article.status == Article.Status.DRAFT,
            "can_publish": permissions.can_action(request, "publish")
            and (
                article.status == Article.Status.REVIEW
                or (
                    article.status == Article.Status.DRAFT
                    and permissions.can_action(request, "skip_review")
                )
            ),
            "can_schedule": permissions.can_action(request, "schedule"),
            "publish_skips_review": article.status == Article.Status.DRAFT,
            "is_published": published_slug is not None,
            "view_on_site_url": (
                _published_url(request, tenant, published_slug)
                if published_slug is not None
                else None
            ),
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
                    "needs_review": lang in unreviewed,
                    # Traditional Chinese can be made from Simplified Chinese.
                    "convertible": lang == "zh-hant"
                    and "zh-hans" in languages
                    and bool(completeness[lang])
                    and permissions.can_action(request, "convert"),
                    "is_source": lang == tenant.default_language,
                }
                for lang in languages
            ],
        }

    # --- workflow buttons and the Markdown preview ----------------------------

    #: The workflow buttons; ``permissions.ACTION_ROLES`` says who may press each.
    WORKFLOW = ("submit", "publish", "unpublish", "schedule", "confirm", "convert")

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
        except PublishNeedsConfirmation as exc:
            return self._publish_confirm(request, article, exc)
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
            services.article_publish(
                article=article,
                user=user,
                skip_review=request.POST.get("skip_review") == "1",
                outdated_confirmed=request.POST.get("outdated_confirmed") == "1",
            )
            return _("Published.")
        if action == "unpublish":
            services.article_unpublish(article=article, user=user)
            return _("Unpublished.")
        if action == "convert":
            filled = services.article_convert_to_traditional(article=article, user=user)
            return ngettext(
                "The Traditional Chinese version was created from Simplified "
                "Chinese (%(count)d field). It is machine-converted: review it, "
                "then confirm it before it can be published.",
                "The Traditional Chinese version was created from Simplified "
                "Chinese (%(count)d fields). It is machine-converted: review it, "
                "then confirm it before it can be published.",
                filled,
            ) % {"count": filled}
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

    def _publish_confirm(self, request, article, refusal) -> TemplateResponse:
        """Ask to confirm a publish without review or over outdated texts."""
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Publish %(article)s?") % {"article": article},
            "object": article,
            "original": article,
            "warnings": refusal.messages,
            "skip_review": "skip_review" in refusal.reasons
            or request.POST.get("skip_review") == "1",
            "outdated_confirmed": "outdated" in refusal.reasons
            or request.POST.get("outdated_confirmed") == "1",
        }
        return TemplateResponse(
            request, "admin/guides/article/publish_confirm.html", context
        )

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

    @admin.action(
        description=_("Create the Traditional Chinese version of selected articles")
    )
    def convert_selected(self, request, queryset):
        """Fill the empty zh-hant fields of each, one revision each; skipped
        articles say why (nothing to convert, zh-hant not enabled)."""
        self._run(
            request,
            queryset,
            services.article_convert_to_traditional,
            _(
                "%(count)d converted to Traditional Chinese: review and confirm "
                "each before it is published."
            ),
        )

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
