"""Activity: who did what in the help center, and when.

Built on the revisions the services already record, each tagged with its
tenant (``RevisionMeta``): saves, submissions, publications, reverts,
deletions, restores, imports, settings, domains and memberships
(``selectors.workspace.Activity``). Filterable by person, kind and dates,
paginated, and exported as CSV with the same filters. Only revisions tagged
with the host's tenant are read: another help center's never show.
Members of the tenant only.
"""

from __future__ import annotations

import csv

from django import forms
from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guides.admin.coverage import csv_safe, require_member
from guides.selectors import workspace
from guides.selectors.workspace import Activity

PER_PAGE = 50
#: Rows the CSV export reads per query.
CSV_CHUNK = 2000


class ActivityFilterForm(forms.Form):
    """The filters of the activity list; invalid values are shown, not applied."""

    person = forms.TypedChoiceField(
        label=gettext_lazy("Person"), required=False, coerce=int, empty_value=None
    )
    kind = forms.ChoiceField(label=gettext_lazy("Action"), required=False)
    since = forms.DateField(
        label=gettext_lazy("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    until = forms.DateField(
        label=gettext_lazy("Until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [("", _("Everyone")), *people]
        self.fields["kind"].choices = [("", _("Every action")), *Activity.CHOICES]

    def filters(self) -> dict:
        """Return the valid filters as ``selectors.workspace.activity`` takes them."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "user_id": data.get("person"),
            "kind": data.get("kind") or None,
            "since": data.get("since"),
            "until": data.get("until"),
        }


def _filtered(request):
    tenant = request.tenant
    people = workspace.activity_people(tenant=tenant)
    form = ActivityFilterForm(request.GET or None, people=people)
    filters = form.filters() if request.GET else {}
    return form, workspace.activity(tenant=tenant, **filters)


def _subject_url(entry) -> str:
    if entry.article_id and entry.article_exists:
        return reverse("admin:guides_article_change", args=[entry.article_id])
    return ""


def activity_view(request, site):
    """Show the tenant's activity, newest first, a page at a time."""
    require_member(request)
    form, entries = _filtered(request)
    page = Paginator(entries, PER_PAGE).get_page(request.GET.get("page"))
    rows = [
        {
            "entry": entry,
            "label": Activity.LABELS.get(entry.kind, entry.kind),
            "url": _subject_url(entry),
        }
        for entry in page.object_list
    ]
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        **site.each_context(request),
        "title": _("Activity"),
        "form": form,
        "rows": rows,
        "page": page,
        "query": query.urlencode(),
        "csv_url": reverse("admin:guides_activity_csv")
        + ("?" + query.urlencode() if query else ""),
    }
    request.current_app = site.name
    return TemplateResponse(request, "admin/guides/activity.html", context)


class _Echo:
    """A file that hands back what is written to it (for streaming CSV)."""

    def write(self, value):
        return value


def activity_csv_view(request, site):
    """Return the filtered activity as CSV (every page), streamed."""
    require_member(request)
    _form, entries = _filtered(request)
    writer = csv.writer(_Echo())
    # Translated now, in the request's language: the lines are written
    # after the view returns, while the server sends them.
    labels = {kind: str(label) for kind, label in Activity.LABELS.items()}

    def lines():
        yield "\ufeff"
        yield writer.writerow(
            ["date", "user", "action", "kind", "subject", "article_id", "comment"]
        )
        for entry in entries.iterator(chunk_size=CSV_CHUNK):
            revision = entry.revision
            yield writer.writerow(
                [
                    timezone.localtime(revision.date_created).isoformat(),
                    csv_safe(revision.user.get_username() if revision.user else ""),
                    csv_safe(labels.get(entry.kind, entry.kind)),
                    entry.kind,
                    csv_safe(entry.subject or ""),
                    entry.article_id or "",
                    csv_safe(revision.comment),
                ]
            )

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="activity-{request.tenant.slug}.csv"'
    )
    return response
