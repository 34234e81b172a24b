"""The tenant's admin home: a dashboard of the editors' work and readers' signals.

The admin index of a tenant's host shows its members what needs them: their
drafts, what waits for review, what is scheduled, stale or has outdated
translations (each a short list, its count and a link to the full list),
this week's searches, the least helpful procedures, and three small charts
of the last 30 days drawn here as SVG, each with a text alternative and its
numbers in a table: readable without JavaScript.

``install(site)`` puts the dashboard into the index view of ``site`` and adds
the coverage report and the activity log to its URLs (guides/admin/__init__.py
calls it for Django's default site).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial
from urllib.parse import urlencode

from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from guides import permissions
from guides.admin import activity, coverage
from guides.admin.coverage import language_names
from guides.models import Article, Feedback, SearchQuery
from guides.search import selectors as search_selectors
from guides.selectors import feedback as feedback_selectors
from guides.selectors import workspace

#: Days of "this week" for the search lists.
WEEK = 7


def _changelist(model, **filters) -> str:
    opts = model._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    return f"{url}?{urlencode(filters)}" if filters else url


@dataclass
class WorkList:
    """One of the dashboard's lists: a title, a count, a few items, the full list."""

    key: str
    title: str
    count: int
    items: list
    url: str
    empty: str


def _when(value) -> str:
    return date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")


def _day(value) -> str:
    return date_format(timezone.localtime(value), "SHORT_DATE_FORMAT")


def work_lists(request) -> list[WorkList]:
    """Return the editor's lists, each item ``(article, note)`` (fixed queries)."""
    tenant, user = request.tenant, request.user
    names = language_names()
    counts = workspace.work_counts(tenant=tenant, user=user)
    outdated_count, outdated = workspace.outdated_translations(tenant=tenant)
    stale_count, stale = workspace.stale(tenant=tenant)
    return [
        WorkList(
            "my-drafts",
            _("My drafts"),
            counts["my_drafts"],
            [
                (a, _("changed %(when)s") % {"when": _day(a.updated_at)})
                for a in workspace.my_drafts(tenant=tenant, user=user)
            ],
            _changelist(Article, status__exact="draft", author__id__exact=user.pk),
            _("You have no drafts."),
        ),
        WorkList(
            "review",
            _("Waiting for review"),
            counts["review"],
            [
                (a, _("since %(when)s") % {"when": _day(a.updated_at)})
                for a in workspace.waiting_for_review(tenant=tenant)
            ],
            _changelist(Article, status__exact="review"),
            _("Nothing waits for review."),
        ),
        WorkList(
            "scheduled",
            _("Scheduled"),
            counts["scheduled"],
            [
                (a, _("publishes %(when)s") % {"when": _when(a.publish_at)})
                for a in workspace.scheduled(tenant=tenant)
            ],
            _changelist(Article, publish_at__isnull="False"),
            _("Nothing is scheduled."),
        ),
        WorkList(
            "stale",
            _("Due for verification"),
            stale_count,
            [(a, _("due %(when)s") % {"when": _day(a.review_due_at)}) for a in stale],
            # The article list's freshness filter (guides.admin.articles, hfresh).
            _changelist(Article, stale="due"),
            _("Every published procedure was verified in time."),
        ),
        WorkList(
            "outdated",
            _("Outdated translations"),
            outdated_count,
            [
                (a, ", ".join(names.get(code, code) for code in languages))
                for a, languages in outdated
            ],
            reverse("admin:guides_coverage") + "?state=outdated",
            _("Every translation is current."),
        ),
    ]


# --- charts -----------------------------------------------------------------------


@dataclass
class Chart:
    """A small chart drawn as SVG: bars or a line, with its numbers as text."""

    key: str
    title: str
    summary: str
    width: int = 300
    height: int = 110
    bars: list[dict] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)
    dots: list[dict] = field(default_factory=list)
    top_label: str = ""
    first_label: str = ""
    last_label: str = ""
    rows: list[tuple[str, str]] = field(default_factory=list)

    #: The plot area inside the SVG: left margin for the axis label.
    LEFT = 34
    TOP = 8
    BOTTOM = 18

    @property
    def plot_height(self) -> int:
        return self.height - self.TOP - self.BOTTOM

    @property
    def baseline(self) -> int:
        return self.height - self.BOTTOM

    @property
    def axis_label_x(self) -> int:
        return self.LEFT - 4

    @property
    def top_label_y(self) -> int:
        return self.TOP + 8

    @property
    def date_label_y(self) -> int:
        return self.height - 4


def _day_label(date) -> str:
    return date_format(date, "MONTH_DAY_FORMAT")


def bar_chart(key, title, days, value, summary) -> Chart:
    """Return a bar per day of ``value(day)`` (a count)."""
    chart = Chart(key=key, title=title, summary=summary)
    values = [value(day) for day in days]
    top = max([*values, 1])
    step = (chart.width - chart.LEFT) / len(days)
    for n, (day, count) in enumerate(zip(days, values, strict=True)):
        height = round(chart.plot_height * count / top, 1)
        chart.bars.append(
            {
                "x": round(chart.LEFT + n * step + 1, 1),
                "y": round(chart.baseline - height, 1),
                "width": round(max(step - 2, 1), 1),
                "height": height,
                "label": f"{_day_label(day.date)}: {count}",
            }
        )
        chart.rows.append((_day_label(day.date), str(count)))
    chart.top_label = str(top)
    chart.first_label, chart.last_label = (
        _day_label(days[0].date),
        _day_label(days[-1].date),
    )
    return chart


def rate_chart(key, title, days, value, summary) -> Chart:
    """Return a line of ``value(day)`` (a percentage, None: no data that day)."""
    chart = Chart(key=key, title=title, summary=summary)
    step = (chart.width - chart.LEFT) / max(len(days) - 1, 1)
    segment: list[str] = []
    for n, day in enumerate(days):
        rate = value(day)
        if rate is None:
            if segment:
                chart.lines.append(" ".join(segment))
                segment = []
            chart.rows.append((_day_label(day.date), "–"))
            continue
        x = round(chart.LEFT + n * step, 1)
        y = round(chart.baseline - chart.plot_height * rate / 100, 1)
        segment.append(f"{x},{y}")
        chart.dots.append({"x": x, "y": y, "label": f"{_day_label(day.date)}: {rate}%"})
        chart.rows.append((_day_label(day.date), f"{rate}%"))
    if segment:
        chart.lines.append(" ".join(segment))
    chart.top_label = "100%"
    chart.first_label, chart.last_label = (
        _day_label(days[0].date),
        _day_label(days[-1].date),
    )
    return chart


def _percent(part: int, whole: int) -> int | None:
    return round(100 * part / whole) if whole else None


def charts(days: list[workspace.Day]) -> list[Chart]:
    """Return the dashboard's three charts of ``days``."""
    searches = sum(d.searches for d in days)
    zero = sum(d.zero_results for d in days)
    yes = sum(d.helpful for d in days)
    answers = yes + sum(d.not_helpful for d in days)
    n = len(days)
    zero_rate, helpful_rate = _percent(zero, searches), _percent(yes, answers)
    return [
        bar_chart(
            "searches",
            _("Searches per day"),
            days,
            lambda d: d.searches,
            ngettext(
                "%(count)d search in the last %(days)d days.",
                "%(count)d searches in the last %(days)d days.",
                searches,
            )
            % {"count": searches, "days": n},
        ),
        rate_chart(
            "zero-results",
            _("Searches that found nothing"),
            days,
            lambda d: d.zero_rate,
            (
                _("%(rate)d%% of %(count)d searches found nothing.")
                % {"rate": zero_rate, "count": searches}
                if zero_rate is not None
                else _("No searches yet.")
            ),
        ),
        rate_chart(
            "helpful",
            _("Helpful answers"),
            days,
            lambda d: d.helpful_rate,
            (
                _("%(rate)d%% of %(count)d answers said “helpful”.")
                % {"rate": helpful_rate, "count": answers}
                if helpful_rate is not None
                else _("No reader answered yet.")
            ),
        ),
    ]


# --- the index --------------------------------------------------------------------


def dashboard_context(request) -> dict:
    """Return the dashboard's template context for the request's tenant."""
    tenant = request.tenant
    days = workspace.daily_activity(tenant=tenant)
    return {
        "dashboard": True,
        "work_lists": work_lists(request),
        "top_searches": search_selectors.top_queries(
            tenant=tenant, days=WEEK, limit=workspace.SHORT_LIST
        ),
        "zero_searches": search_selectors.zero_result_queries(
            tenant=tenant, days=WEEK, limit=workspace.SHORT_LIST
        ),
        "least_helpful": feedback_selectors.articles_by_feedback(
            tenant=tenant, limit=workspace.SHORT_LIST
        ),
        "searches_url": _changelist(SearchQuery),
        "zero_searches_url": _changelist(SearchQuery, result_count__exact=0),
        "feedback_url": _changelist(Feedback),
        "coverage_url": reverse("admin:guides_coverage"),
        "activity_url": reverse("admin:guides_activity"),
        "charts": charts(days),
        "chart_days": len(days),
        "week_days": WEEK,
    }


def install(site) -> None:
    """Make ``site``'s index the dashboard, and add coverage and activity.

    The index keeps Django's app list (below the dashboard); a user who is
    no member of the host's tenant sees only that, as before.
    """
    django_index = site.index
    django_get_urls = site.get_urls

    def index(request, extra_context=None):
        context = dict(extra_context or {})
        if getattr(request, "tenant", None) is not None and permissions.is_member(
            request
        ):
            context.update(dashboard_context(request))
        return django_index(request, context)

    def get_urls():
        wrap = site.admin_view
        return [
            path(
                "coverage/",
                wrap(partial(coverage.coverage_view, site=site)),
                name="guides_coverage",
            ),
            path(
                "coverage/convert/",
                wrap(partial(coverage.coverage_convert_view, site=site)),
                name="guides_coverage_convert",
            ),
            path(
                "coverage.csv",
                wrap(partial(coverage.coverage_csv_view, site=site)),
                name="guides_coverage_csv",
            ),
            path(
                "activity/",
                wrap(partial(activity.activity_view, site=site)),
                name="guides_activity",
            ),
            path(
                "activity.csv",
                wrap(partial(activity.activity_csv_view, site=site)),
                name="guides_activity_csv",
            ),
            *django_get_urls(),
        ]

    site.index = index
    site.get_urls = get_urls
