"""The admin upload page: managers import files into the request's tenant.

An upload is previewed first (a dry run): the page shows the structure found
for each procedure, and a confirm button imports exactly the files previewed,
kept in the session meanwhile. The final report links every article written.
"""

from __future__ import annotations

import base64
import secrets

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from guides import permissions
from guides.importers.forms import ImportForm
from guides.importers.runner import ImportReport, import_sources
from guides.importers.sources import Source, max_bytes
from guides.models import CardType, Carrier

SESSION_KEY = "guides_import_preview"


def _store_preview(request, sources: list[Source], options: dict) -> str:
    """Keep the previewed files in the session; return the token that names them."""
    token = secrets.token_urlsafe(16)
    request.session[SESSION_KEY] = {
        "token": token,
        "tenant": request.tenant.pk,
        "files": [
            [source.name, base64.b64encode(source.data or b"").decode("ascii")]
            for source in sources
        ],
        "options": options,
    }
    return token


def _take_preview(request, token: str) -> tuple[list[Source], dict] | None:
    """Return the previewed files and options for ``token`` once, or None."""
    stored = request.session.get(SESSION_KEY)
    if (
        not stored
        or not token
        or not secrets.compare_digest(str(stored.get("token", "")), token)
        or stored.get("tenant") != request.tenant.pk
    ):
        return None
    del request.session[SESSION_KEY]
    sources = [
        Source(name=name, data=(data := base64.b64decode(encoded)), size=len(data))
        for name, encoded in stored["files"]
    ]
    return sources, stored["options"]


def _link_articles(report: ImportReport) -> None:
    """Give each article of the report the address of its admin page."""
    for outcome in report.files:
        for article in outcome.articles:
            if article.article_id:
                article.link = reverse(
                    "admin:guides_article_change", args=[article.article_id]
                )


def _run(request, sources, options: dict, *, dry_run: bool) -> ImportReport:
    carrier = (
        Carrier.objects.filter(pk=options["carrier"]).first()
        if options.get("carrier")
        else None
    )
    card_type = (
        CardType.objects.filter(pk=options["card_type"]).first()
        if options.get("card_type")
        else None
    )
    return import_sources(
        tenant=request.tenant,
        sources=sources,
        user=request.user,
        carrier=carrier,
        card_type=card_type,
        language=options["language"],
        publish=options["publish"],
        dry_run=dry_run,
    )


def import_view(request, *, model_admin):
    """Show the upload form; preview an upload, import it on confirmation."""
    tenant = request.tenant
    if not permissions.can_action(request, "import"):
        raise PermissionDenied(
            _("Only managers of this help center may import articles.")
        )
    report = None
    token = ""
    if request.method == "POST" and "confirm" in request.POST:
        form = ImportForm(tenant=tenant)
        preview = _take_preview(request, request.POST.get("token", ""))
        if preview is None:
            messages.error(
                request,
                _("This preview is no longer available; upload the files again."),
            )
        else:
            report = _run(request, preview[0], preview[1], dry_run=False)
    else:
        form = ImportForm(request.POST or None, request.FILES or None, tenant=tenant)
        if request.method == "POST" and form.is_valid():
            sources = [
                # Read one byte past the limit: enough to refuse a large file.
                Source(
                    name=upload.name,
                    size=upload.size,
                    data=upload.read(max_bytes() + 1),
                )
                for upload in form.cleaned_data["files"]
            ]
            data = form.cleaned_data
            options = {
                "carrier": data["carrier"].pk if data["carrier"] else None,
                "card_type": data["card_type"].pk if data["card_type"] else None,
                "language": data["language"],
                "publish": data["publish"],
            }
            report = _run(request, sources, options, dry_run=data["dry_run"])
            if data["dry_run"] and any(outcome.ok for outcome in report.files):
                token = _store_preview(request, sources, options)
    if report is not None:
        _link_articles(report)
        level = messages.ERROR if report.failed else messages.SUCCESS
        messages.add_message(request, level, report.summary())
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": _("Import articles"),
        "form": form,
        "report": report,
        "token": token,
        "report_lines": report.lines(structure=True) if report else [],
    }
    return TemplateResponse(request, "admin/guides/article/import.html", context)
