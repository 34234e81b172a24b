"""Carriers with their channels, card types and synonym groups (managers edit).

Every save and delete goes through ``guides.services.catalog``: one revision
tagged with the tenant (a carrier's with its channels), the manager role
checked again, pages refreshed after commit. A refused save shows the form
again with what was typed (``guides.admin.saving``).
"""

from __future__ import annotations

from django.contrib import admin
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext
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
    SynonymGroup,
)


class ChannelInline(SortableTabularInline):
    model = Channel
    fields = ("sort_order", "kind", "label", "value", "opening_hours")


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
