"""Carriers with their channels, card types and synonym groups (managers edit).

Every save and delete goes through ``guides.services.catalog``: one revision
tagged with the tenant (a carrier's with its channels), the manager role
checked again, the pages' generation bumped with the write. A refused save shows the form
again with what was typed (``guides.admin.saving``).
"""

from __future__ import annotations

from django.contrib import admin
from django.db import transaction
from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from guides import services
from guides.admin.mixins import (
    LanguageTabsAdminMixin,
    ManagerOnlyMixin,
    SortableTabularInline,
    TenantVersionAdmin,
)
from guides.admin.saving import ServiceSaveAdminMixin, formset_rows, refused_on_form
from guides.models import (
    CardType,
    Carrier,
    Channel,
    Step,
    SynonymGroup,
)


class ChannelInline(SortableTabularInline):
    model = Channel
    fields = ("sort_order", "kind", "label", "value", "opening_hours", "used_in")
    readonly_fields = ("used_in",)

    def get_queryset(self, request):
        """Count, per channel, the procedures whose steps use it: one query.

        A channel is a shared fact (``guides.publishing.body``): a change
        shows on every one of those pages on the next request, so the editor
        sees how many before saving.
        """
        procedures = (
            Step.objects.filter(channel=OuterRef("pk"))
            .order_by()
            .values("channel")
            .annotate(count=Count("article", distinct=True))
            .values("count")
        )
        return (
            super()
            .get_queryset(request)
            .annotate(
                procedures=Coalesce(
                    Subquery(procedures, output_field=IntegerField()), Value(0)
                )
            )
        )

    @admin.display(description=_("Used in"))
    def used_in(self, channel: Channel) -> str:
        count = getattr(channel, "procedures", None)
        if channel.pk is None or count is None:
            return "—"
        return ngettext(
            "used in %(count)d procedure", "used in %(count)d procedures", count
        ) % {"count": count}


class CatalogAdmin(ServiceSaveAdminMixin, ManagerOnlyMixin, TenantVersionAdmin):
    """Managers edit, every member may look; the tenant comes from the host."""

    exclude = ("tenant",)

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        # Another tenant's row is "missing", answered like any unknown id.
        raise Http404(gettext("No such object in this help center."))


@admin.register(Carrier)
class CarrierAdmin(LanguageTabsAdminMixin, CatalogAdmin, TranslationAdmin):
    list_display = ("name", "slug", "website")
    inlines = (ChannelInline,)

    class Media:
        js = ("guides/admin_languages.js",)
        css = {"all": ("guides/admin.css",)}

    def save_related(self, request, form, formsets, change):
        """Save the carrier and exactly the channels of the inline, in order."""
        channels = None
        for formset in formsets:
            channels = formset_rows(formset)
        with refused_on_form():
            services.carrier_save(
                carrier=form.instance,
                user=request.user,
                channels=channels,
                comment=self.change_comment(request, form, formsets, change),
            )

    def delete_model(self, request, obj):
        services.carrier_delete(carrier=obj, user=request.user)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for carrier in queryset:
                services.carrier_delete(carrier=carrier, user=request.user)


@admin.register(CardType)
class CardTypeAdmin(LanguageTabsAdminMixin, CatalogAdmin, TranslationAdmin):
    list_display = ("name", "slug")

    class Media:
        js = ("guides/admin_languages.js",)
        css = {"all": ("guides/admin.css",)}

    def save_related(self, request, form, formsets, change):
        with refused_on_form():
            services.card_type_save(
                card_type=form.instance,
                user=request.user,
                comment=self.change_comment(request, form, formsets, change),
            )

    def delete_model(self, request, obj):
        services.card_type_delete(card_type=obj, user=request.user)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for card_type in queryset:
                services.card_type_delete(card_type=card_type, user=request.user)


@admin.register(SynonymGroup)
class SynonymGroupAdmin(CatalogAdmin):
    """Words readers use for the same thing, per help center (managers edit)."""

    list_display = ("__str__", "updated_at")

    def save_related(self, request, form, formsets, change):
        with refused_on_form():
            services.synonym_group_save(
                synonym_group=form.instance,
                user=request.user,
                comment=self.change_comment(request, form, formsets, change),
            )

    def delete_model(self, request, obj):
        services.synonym_group_delete(synonym_group=obj, user=request.user)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for group in queryset:
                services.synonym_group_delete(synonym_group=group, user=request.user)
