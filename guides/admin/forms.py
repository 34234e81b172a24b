"""Forms of the article admin: the change form's lock, step choices, schedule."""

from __future__ import annotations

from django import forms
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _

from guides.models.articles import MARKDOWN_MAX_LENGTH


class ArticleAdminForm(forms.ModelForm):
    """The article form, carrying the ``lock_version`` the editor loaded.

    ``services.article_update`` refuses the save when the article changed
    since; the hidden value travels with the form so the check holds however
    long the editor keeps the page open.
    """

    expected_version = forms.IntegerField(
        widget=forms.HiddenInput, required=False, min_value=0
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # A change without the version would skip the check: require it.
            self.fields["expected_version"].required = True
            self.fields["expected_version"].initial = self.instance.lock_version


class StepInlineFormSet(BaseInlineFormSet):
    """Step forms that share one list of channel choices.

    Each form's channel select would otherwise run its own query: one per
    step on every change page. The choices are grouped by carrier, the
    article's own first: a step's channel must be one of its carrier's
    (``services.article_update`` refuses others), and the groups show whose
    hotline "Customer service (10086)" is.
    """

    _channel_choices: list | None = None

    def _share_channel_choices(self, form):
        field = form.fields.get("channel")
        if field is None:
            return form
        if self._channel_choices is None:
            self._channel_choices = self._grouped_channel_choices(field)
        field.choices = self._channel_choices
        return form

    def _grouped_channel_choices(self, field) -> list:
        own = getattr(self.instance, "carrier_id", None)
        groups: dict[int, tuple[str, list]] = {}
        # One query (the field's queryset joins the carrier).
        for channel in field.queryset:
            _name, options = groups.setdefault(
                channel.carrier_id, (str(channel.carrier), [])
            )
            options.append((channel.pk, str(channel)))
        ordered = sorted(groups.items(), key=lambda item: (item[0] != own, item[1][0]))
        return [("", field.empty_label or "")] + [group for _id, group in ordered]

    def _construct_form(self, i, **kwargs):
        return self._share_channel_choices(super()._construct_form(i, **kwargs))

    @property
    def empty_form(self):
        return self._share_channel_choices(super().empty_form)


class ScheduleForm(forms.Form):
    """When to publish and unpublish; an empty box clears that time."""

    input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"]
    publish_at = forms.DateTimeField(
        label=_("Publish at"), required=False, input_formats=input_formats
    )
    unpublish_at = forms.DateTimeField(
        label=_("Unpublish at"), required=False, input_formats=input_formats
    )


class PreviewForm(forms.Form):
    """The Markdown an editor wants to see rendered."""

    # As long as the longest Markdown field, not more: rendering is linear,
    # and this bounds what one preview request costs.
    text = forms.CharField(required=False, strip=False, max_length=MARKDOWN_MAX_LENGTH)
