"""The editors' admin: every page scoped to the tenant of the request's host.

An editor signs in on a tenant's host and sees that tenant only, and only if
they are a member of it (superusers see every tenant's admin on its host).
django-reversion's own views are not tenant-aware (DESIGN.md); the overrides
below check each version's tenant before reversion touches anything.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline
from reversion.admin import VersionAdmin
from reversion.models import Version

from guides import services
from guides.models import (
    FAQ,
    Article,
    CardType,
    Carrier,
    Channel,
    Domain,
    Membership,
    Requirement,
    SearchQuery,
    Step,
    SynonymGroup,
    Tenant,
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


class PartInline(TenantInlinePermissionsMixin, TranslationTabularInline):
    extra = 0
    ordering = ("sort_order", "id")


class StepInline(PartInline):
    model = Step
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
        version = self._tenant_version(request, version_id)
        if self.model is Article and version.pk not in {
            v.pk for v in services.deleted_articles(tenant=request.tenant)
        }:
            raise Http404(_("No such deleted article in this help center."))
        return super().recover_view(request, version_id, extra_context)

    def recoverlist_view(self, request, extra_context=None):
        if self.model is not Article:
            raise Http404
        return super().recoverlist_view(request, extra_context)


@admin.register(Article)
class ArticleAdmin(TenantVersionAdmin, TranslationAdmin):
    list_display = ("title", "slug", "carrier", "card_type", "status", "updated_at")
    list_filter = ("status", "carrier", "card_type")
    search_fields = ("slug", "title_zh_hans", "title_en")
    # The tenant comes from the host, never from the form.
    exclude = ("tenant",)
    readonly_fields = ("status", "author", "lock_version")
    inlines = (StepInline, RequirementInline, TipInline, FAQInline)
    actions = ("submit_selected", "publish_selected", "unpublish_selected")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("carrier", "card_type")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in ("carrier", "card_type"):
            kwargs["queryset"] = db_field.related_model.objects.all()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.tenant = request.tenant
            obj.author = request.user
        elif obj.status in (Article.Status.PUBLISHED, Article.Status.REVIEW):
            # An edit is a draft until a reviewer publishes again.
            obj.status = Article.Status.DRAFT
        if change:
            obj.lock_version += 1
        super().save_model(request, obj, form, change)

    def _run(self, request, queryset, service, done_message):
        count = 0
        for article in queryset:
            try:
                service(article=article, user=request.user)
                count += 1
            except (ValidationError, PermissionDenied) as exc:
                messages.error(request, f"{article}: {' '.join(getattr(exc, 'messages', [str(exc)]))}")
        if count:
            messages.success(request, done_message % {"count": count})

    @admin.action(description=_("Submit selected articles for review"))
    def submit_selected(self, request, queryset):
        self._run(request, queryset, services.article_submit, _("%(count)d submitted for review."))

    @admin.action(description=_("Publish selected articles"))
    def publish_selected(self, request, queryset):
        self._run(request, queryset, services.article_publish, _("%(count)d published."))

    @admin.action(description=_("Unpublish selected articles"))
    def unpublish_selected(self, request, queryset):
        self._run(request, queryset, services.article_unpublish, _("%(count)d unpublished."))

    # Extends reversion's list (which links "recover deleted") with the import link.
    change_list_template = "admin/guides/article/change_list.html"

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "can_import": request_role(request) == Membership.Role.MANAGER,
        }
        return super().changelist_view(request, extra_context)

    def get_urls(self):
        """Add the managers' import page (guides.importers.views)."""
        from functools import partial

        from django.urls import path

        from guides.importers.views import import_view

        view = self.admin_site.admin_view(partial(import_view, model_admin=self))
        return [path("import/", view, name="guides_article_import")] + super().get_urls()


class ChannelInline(TenantInlinePermissionsMixin, TranslationTabularInline):
    model = Channel
    extra = 0
    fields = ("sort_order", "kind", "label", "value", "opening_hours")


@admin.register(Carrier)
class CarrierAdmin(ManagerOnlyMixin, VersionAdmin, TranslationAdmin):
    list_display = ("name", "slug", "website")
    exclude = ("tenant",)
    inlines = (ChannelInline,)

    def has_view_permission(self, request, obj=None):
        return request_role(request) is not None


@admin.register(CardType)
class CardTypeAdmin(ManagerOnlyMixin, VersionAdmin, TranslationAdmin):
    list_display = ("name", "slug")
    exclude = ("tenant",)

    def has_view_permission(self, request, obj=None):
        return request_role(request) is not None


class SuperuserOnlyMixin:
    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    has_view_permission = has_change_permission = has_add_permission = (
        lambda self, request, *args: request.user.is_active and request.user.is_superuser
    )
    has_delete_permission = has_view_permission


class DomainInline(admin.TabularInline):
    model = Domain
    extra = 0


@admin.register(Tenant)
class TenantAdmin(SuperuserOnlyMixin, admin.ModelAdmin):
    list_display = ("name", "slug", "default_language")
    prepopulated_fields = {"slug": ("name",)}
    inlines = (DomainInline,)


@admin.register(Membership)
class MembershipAdmin(SuperuserOnlyMixin, admin.ModelAdmin):
    list_display = ("user", "tenant", "role")
    list_filter = ("tenant", "role")


@admin.register(SynonymGroup)
class SynonymGroupAdmin(ManagerOnlyMixin, VersionAdmin):
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
