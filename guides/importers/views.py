"""The admin upload page: managers import files into the request's tenant."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from guides import permissions
from guides.importers.forms import ImportForm
from guides.importers.runner import import_sources
from guides.importers.sources import Source, max_bytes


def import_view(request, *, model_admin):
    """Show the upload form; on POST import the files and show the report."""
    tenant = request.tenant
    if not permissions.can_action(request, "import"):
        raise PermissionDenied(
            _("Only managers of this help center may import articles.")
        )
    form = ImportForm(request.POST or None, request.FILES or None, tenant=tenant)
    report = None
    if request.method == "POST" and form.is_valid():
        sources = [
            # Read one byte past the limit: enough to refuse a large file.
            Source(
                name=upload.name, size=upload.size, data=upload.read(max_bytes() + 1)
            )
            for upload in form.cleaned_data["files"]
        ]
        report = import_sources(
            tenant=tenant,
            sources=sources,
            user=request.user,
            carrier=form.cleaned_data["carrier"],
            card_type=form.cleaned_data["card_type"],
            language=form.cleaned_data["language"],
            publish=form.cleaned_data["publish"],
            dry_run=form.cleaned_data["dry_run"],
        )
        level = messages.ERROR if report.failed else messages.SUCCESS
        messages.add_message(request, level, report.summary())
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": _("Import articles"),
        "form": form,
        "report": report,
        "report_lines": report.lines(structure=True) if report else [],
    }
    return TemplateResponse(request, "admin/guides/article/import.html", context)
