"""The admin upload form for the importer."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from guides.models import CardType, Carrier


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """A file field that accepts several files and cleans to a list."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        # An empty file is the importer's to report, with the others.
        kwargs.setdefault("allow_empty_file", True)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(item, initial) for item in data]
        return [single(data, initial)]


class ImportForm(forms.Form):
    files = MultipleFileField(label=_("Markdown or text files"))
    carrier = forms.ModelChoiceField(
        # Real querysets are set in __init__; a tenant-scoped one here would
        # raise at import time, outside any tenant context (system checks).
        queryset=Carrier.unscoped.none(),
        required=False,
        label=_("Carrier"),
        help_text=_("Leave empty to detect it from the text."),
    )
    card_type = forms.ModelChoiceField(
        queryset=CardType.unscoped.none(),
        required=False,
        label=_("Card type"),
        help_text=_("Leave empty to detect it from the text."),
    )
    language = forms.ChoiceField(label=_("Language of the files"))
    publish = forms.BooleanField(
        required=False,
        label=_("Publish"),
        help_text=_(
            "Publish each article once imported. An article that names no "
            "carrier, or several only as examples, is published for any carrier."
        ),
    )
    dry_run = forms.BooleanField(
        required=False,
        initial=True,
        label=_("Preview first"),
        help_text=_(
            "Show the structure found in each file, and import only after you confirm."
        ),
    )

    def __init__(self, *args, tenant, **kwargs):
        super().__init__(*args, **kwargs)
        # Querysets are built here, inside the request's tenant context.
        self.fields["carrier"].queryset = Carrier.objects.all()
        self.fields["card_type"].queryset = CardType.objects.all()
        names = dict(settings.LANGUAGES)
        self.fields["language"].choices = [
            (code, names.get(code, code)) for code in tenant.ordered_languages()
        ]
        self.fields["language"].initial = tenant.default_language
