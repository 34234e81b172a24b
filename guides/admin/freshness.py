"""Freshness in the article admin: "Mark as verified", the stale filter and
the last-verified column.

The article admin (``guides.admin.articles``) mounts ``verify_view``, lists
``last_verified`` and ``StaleFilter`` and offers ``verify_selected``; the
change form's panel shows ``article_freshness``. Every write is
``services.article_verify``; who may press the button is
``permissions.ACTION_ROLES["verify"]``.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guides import permissions, services
from guides.admin.history import change_url
from guides.models.articles import REVIEW_INTERVAL_MAX_DAYS, REVIEW_INTERVAL_MIN_DAYS
from guides.selectors.freshness import review_due_at, stale_articles


class VerifyForm(forms.Form):
    """The change form's "Mark as verified": a comment and the interval."""

    comment = forms.CharField(
        label=_("What did you check?"),
        max_length=500,
        required=False,
        widget=forms.TextInput(attrs={"size": 40}),
    )
    review_interval_days = forms.IntegerField(
        label=_("Review again after (days)"),
        min_value=REVIEW_INTERVAL_MIN_DAYS,
        max_value=REVIEW_INTERVAL_MAX_DAYS,
        required=False,
        help_text=_("Empty: the help center's default."),
    )


def article_freshness(request, article) -> dict:
    """Return the change form's "Freshness" context (no query, or one for the
    person who last verified)."""
    tenant = request.tenant
    due = review_due_at(article, tenant=tenant)
    return {
        "freshness": {
            "verified_at": article.last_verified_at,
            "verified_by": article.last_verified_by
            if article.last_verified_by_id
            else None,
            "interval": article.review_interval_days or tenant.review_interval_days,
            "own_interval": article.review_interval_days is not None,
            "due": due,
            "overdue": due <= timezone.now(),
            "can_verify": permissions.can_action(request, "verify"),
            "form": VerifyForm(
                initial={"review_interval_days": article.review_interval_days},
                auto_id="id_verify_%s",
            ),
            "url": reverse("admin:guides_article_verify", args=(article.pk,)),
        }
    }


def verify_view(request, object_id, *, model_admin):
    """Mark one article as verified (POST) and go back to its change form."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    article = model_admin.get_object(request, unquote(object_id))
    if article is None:
        raise Http404(_("No such article in this help center."))
    permissions.require_action(request, "verify")
    form = VerifyForm(request.POST)
    if not form.is_valid():
        messages.error(
            request,
            " ".join(error for errors in form.errors.values() for error in errors),
        )
        return HttpResponseRedirect(change_url(model_admin, article))
    try:
        services.article_verify(
            article=article,
            user=request.user,
            comment=form.cleaned_data["comment"],
            review_interval_days=form.cleaned_data["review_interval_days"],
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Marked as verified."))
    return HttpResponseRedirect(change_url(model_admin, article))


@admin.action(description=_("Mark selected articles as verified"))
def verify_selected(model_admin, request, queryset):
    """Verify every selected article (each its own revision)."""
    count = 0
    for article in queryset:
        try:
            services.article_verify(article=article, user=request.user)
            count += 1
        except (ValidationError, PermissionDenied) as exc:
            reason = " ".join(getattr(exc, "messages", [str(exc)]))
            messages.error(request, f"{article}: {reason}")
    if count:
        messages.success(request, _("%(count)d marked as verified.") % {"count": count})


@admin.display(description=_("last verified"), ordering="last_verified_at")
def last_verified(article) -> str:
    """The list column: the date of the last verification, or "never"."""
    if article.last_verified_at is None:
        return _("never")
    return timezone.localdate(article.last_verified_at).isoformat()


class StaleFilter(admin.SimpleListFilter):
    """The list filter "Freshness": published articles due for verification
    (``selectors.freshness.stale_articles``), or the others."""

    title = _("freshness")
    parameter_name = "stale"

    def lookups(self, request, model_admin):
        return (("due", _("Due for verification")), ("fresh", _("Verified in time")))

    def queryset(self, request, queryset):
        if self.value() not in ("due", "fresh"):
            return None
        due = stale_articles(request.tenant).values("pk")
        if self.value() == "due":
            return queryset.filter(pk__in=due)
        return queryset.exclude(pk__in=due)
