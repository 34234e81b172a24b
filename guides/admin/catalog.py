"""Carriers with their channels, card types and synonym groups (managers edit).

Every save and delete goes through ``guides.services.catalog``: one revision
tagged with the tenant (a carrier's with its channels), the manager role
checked again, the pages' generation bumped with the write. A refused save shows the form
again with what was typed (``guides.admin.saving``).
"""

from __future__ import annotations

import json

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
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
from guides.services.catalog import split_synonym_terms


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


class TermsField(forms.CharField):
    """The terms of a synonym group as typed: one a line, or comma-separated."""

    widget = forms.Textarea(attrs={"rows": 4, "cols": 40})

    def prepare_value(self, value):
        if isinstance(value, list):
            return "\n".join(str(term) for term in value)
        return value

    def to_python(self, value):
        text = super().to_python(value).strip()
        if text[:1] in ("[", "{"):
            # A pasted JSON list (how the terms were once typed) still works.
            try:
                terms = json.loads(text)
            except ValueError:
                terms = None
            if not isinstance(terms, list) or not all(
                isinstance(term, str) for term in terms
            ):
                raise ValidationError(
                    _("Enter one term a line, or separate the terms with commas."),
                    code="invalid_terms",
                )
            return [term.strip() for term in terms]
        return split_synonym_terms(text)


class SynonymGroupForm(forms.ModelForm):
    terms = TermsField(
        label=_("terms"),
        help_text=_(
            "One term a line, or separated by commas: 注销, 销户, cancel. "
            "A group needs at least two different terms."
        ),
    )

    class Meta:
        model = SynonymGroup
        fields = ("terms",)


@admin.register(SynonymGroup)
class SynonymGroupAdmin(CatalogAdmin):
    """Words readers use for the same thing, per help center (managers edit)."""

    list_display = ("__str__", "updated_at")
    form = SynonymGroupForm

    def save_related(self, request, form, formsets, change):
        with refused_on_form():
            services.synonym_group_save(
                synonym_group=form.instance,
                terms=form.cleaned_data["terms"],
                user=request.user,
                comment=self.change_comment(request, form, formsets, change),
            )

    def delete_model(self, request, obj):
        services.synonym_group_delete(synonym_group=obj, user=request.user)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for group in queryset:
                services.synonym_group_delete(synonym_group=group, user=request.user)
