"""Forms readers fill in on the public site."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class FeedbackForm(forms.Form):
    """ "Was this helpful?" with an optional comment.

    The article page is cached whole and shared by every reader, so it can
    carry no per-reader CSRF token; the endpoint is CSRF-exempt instead. What
    it accepts is harmless (an anonymous vote), rate-limited per reader and
    article, and ``website`` is a field people never see and bots fill in.
    """

    helpful = forms.ChoiceField(
        label=_("Was this helpful?"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("What could be better? (optional)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    website = forms.CharField(required=False, max_length=200)
