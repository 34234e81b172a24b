"""The coverage report: which procedures exist per carrier, card type and language.

A row per carrier and card type, a column per language of the tenant; each
cell names the procedures of that pair with their state in that language
(published, draft, outdated, missing) and links to each, or, where none
exists, to the add form with the carrier, card type and language filled in
(Django's add form takes initial values from the query string). Totals
below, a CSV of the same cells. Members of the tenant only; three queries
for the report whatever the number of articles.
"""

from __future__ import annotations

import csv
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.db.models import Q
from django.http import (
    Http404,
    HttpResponse,
    HttpResponseNotAllowed,
    HttpResponseRedirect,
)
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from guides import permissions, services
from guides.models import Article
from guides.selectors import workspace
from guides.selectors.workspace import Coverage


def require_member(request) -> None:
    """Answer 404 to anyone who is no member of the host's tenant."""
    if getattr(request, "tenant", None) is None or not permissions.is_member(request):
        raise Http404(_("No such page in this help center."))


def add_url(*, carrier, card_type, language: str | None = None) -> str:
    """Return the article add form with ``carrier`` and ``card_type`` chosen."""
    params = {}
    if carrier is not None:
        params["carrier"] = carrier.pk
    if card_type is not None:
        params["card_type"] = card_type.pk
    if language:
        params["language"] = language
    url = reverse("admin:guides_article_add")
    return f"{url}?{urlencode(params)}" if params else url


def _filters(request, report_languages: list[str]) -> dict:
    """Return the valid filters of the query string (the rest is ignored)."""
    language = request.GET.get("language", "")
    state = request.GET.get("state", "")
    return {
        "language": language if language in report_languages else "",
        "state": state if state in Coverage.STATES else "",
    }


def report(request):
    """Return the coverage report and its filters for the request."""
    tenant = request.tenant
    all_languages = tenant.ordered_languages()
    filters = _filters(request, all_languages)
    languages = [filters["language"]] if filters["language"] else all_languages
    coverage = workspace.coverage(tenant=tenant, languages=languages)
    if filters["state"]:
        coverage.rows = [
            row for row in coverage.rows if filters["state"] in row.states()
        ]
    return coverage, filters, all_languages


def language_names() -> dict[str, str]:
    """Return the installation's language names, in the active language."""
    return {code: str(name) for code, name in settings.LANGUAGES}


#: Procedures a cell lists; the rest are counted and linked to the article list.
CELL_LIMIT = 3
#: The order a cell lists its procedures in: what needs work first.
URGENCY = {
    Coverage.MISSING: 0,
    Coverage.OUTDATED: 1,
    Coverage.DRAFT: 2,
    Coverage.PUBLISHED: 3,
}


def _cell(row, lang: str, *, changelist: str, can_add: bool) -> dict:
    """Return what one cell shows: its first entries, counts and the rest."""
    entries = sorted(row.cells[lang], key=lambda entry: URGENCY[entry.state])
    shown = []
    for entry in entries[:CELL_LIMIT]:
        if entry.article is not None:
            # The change URL without a reverse() per entry (thousands of them).
            url = f"{changelist}{entry.article.pk}/change/"
        elif can_add:
            url = add_url(carrier=row.carrier, card_type=row.card_type, language=lang)
        else:
            url = ""
        shown.append({"entry": entry, "url": url})
    more = len(entries) - len(shown)
    counts = {}
    if more:
        for entry in entries:
            counts[entry.state] = counts.get(entry.state, 0) + 1
    filters = {
        "carrier__id__exact": row.carrier.pk if row.carrier else "",
        "card_type__id__exact": row.card_type.pk if row.card_type else "",
    }
    return {
        "language": lang,
        "entries": shown,
        "more": more,
        "counts": [(Coverage.LABELS[state], counts[state]) for state in counts],
        "more_url": f"{changelist}?{urlencode({k: v for k, v in filters.items() if v})}",
    }


def convertible_articles(tenant):
    """The tenant's procedures with Simplified Chinese text and no Traditional
    version yet (no zh-hant title), archived ones left out."""
    return (
        Article.objects.exclude(status=Article.Status.ARCHIVED)
        .exclude(Q(title_zh_hans__isnull=True) | Q(title_zh_hans=""))
        .filter(Q(title_zh_hant__isnull=True) | Q(title_zh_hant=""))
        .order_by("pk")
    )


def coverage_convert_view(request, site):
    """POST: create the Traditional Chinese version of every procedure that has
    none (``services.articles_convert_to_traditional``, one revision each),
    then show the report's Traditional Chinese column."""
    require_member(request)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    permissions.require_action(request, "convert")
    tenant = request.tenant
    target = reverse("admin:guides_coverage") + "?" + urlencode({"language": "zh-hant"})
    if "zh-hant" not in tenant.languages:
        messages.error(
            request,
            _("Enable Traditional Chinese (zh-hant) for this help center first."),
        )
        return HttpResponseRedirect(reverse("admin:guides_coverage"))
    result = services.articles_convert_to_traditional(
        articles=list(convertible_articles(tenant)), user=request.user
    )
    converted, skipped = len(result["converted"]), len(result["skipped"])
    if converted:
        messages.success(
            request,
            ngettext(
                "%(count)d procedure converted to Traditional Chinese: review and "
                "confirm each before it is published.",
                "%(count)d procedures converted to Traditional Chinese: review and "
                "confirm each before it is published.",
                converted,
            )
            % {"count": converted},
        )
    if skipped or not converted:
        messages.info(
            request,
            ngettext(
                "%(count)d procedure had nothing to convert.",
                "%(count)d procedures had nothing to convert.",
                skipped,
            )
            % {"count": skipped},
        )
    return HttpResponseRedirect(target)


def coverage_view(request, site):
    """Show the coverage report (members of the tenant only)."""
    require_member(request)
    coverage, filters, all_languages = report(request)
    names = language_names()
    can_add = permissions.can_action(request, "edit")
    changelist = reverse("admin:guides_article_changelist")
    rows = [
        {
            "row": row,
            "cells": [
                _cell(row, lang, changelist=changelist, can_add=can_add)
                for lang in coverage.languages
            ],
        }
        for row in coverage.rows
    ]
    totals = coverage.totals()
    context = {
        **site.each_context(request),
        "title": _("Coverage report"),
        "rows": rows,
        "languages": [(code, names.get(code, code)) for code in coverage.languages],
        "all_languages": [(code, names.get(code, code)) for code in all_languages],
        "states": [(state, Coverage.LABELS[state]) for state in Coverage.STATES],
        "totals": [
            (names.get(lang, lang), [totals[lang][state] for state in Coverage.STATES])
            for lang in coverage.languages
        ],
        "filters": filters,
        "csv_url": reverse("admin:guides_coverage_csv")
        + ("?" + request.GET.urlencode() if request.GET else ""),
        "row_count": len(rows),
        # The bulk conversion: procedures with no Traditional Chinese version.
        "can_convert": "zh-hant" in request.tenant.languages
        and "zh-hans" in request.tenant.languages
        and permissions.can_action(request, "convert"),
        "convert_url": reverse("admin:guides_coverage_convert"),
    }
    request.current_app = site.name
    return TemplateResponse(request, "admin/guides/coverage.html", context)


#: Cells a spreadsheet would read as a formula start with one of these.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value) -> str:
    """Return ``value`` as text a spreadsheet shows as text, never runs."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def coverage_csv_view(request, site):
    """Return the coverage report as CSV: one line per cell entry."""
    require_member(request)
    coverage = report(request)[0]
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="coverage-{request.tenant.slug}.csv"'
    )
    # Spreadsheet programs read UTF-8 (Chinese titles) only with the mark.
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(
        [
            "carrier",
            "carrier_name",
            "card_type",
            "card_type_name",
            "language",
            "state",
            "article",
            "title",
        ]
    )
    for row in coverage.rows:
        for lang in coverage.languages:
            for entry in row.cells[lang]:
                article = entry.article
                writer.writerow(
                    [
                        csv_safe(row.carrier.slug if row.carrier else ""),
                        csv_safe(row.carrier or ""),
                        csv_safe(row.card_type.slug if row.card_type else ""),
                        csv_safe(row.card_type or ""),
                        lang,
                        entry.state,
                        csv_safe(article.slug if article else ""),
                        csv_safe(article or ""),
                    ]
                )
    return response
