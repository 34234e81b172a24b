"""Reads for the editors' workspace: the dashboard, the coverage report, activity.

Keyword-only and scoped to one tenant (the tenant condition first, through
the ``unscoped`` managers with an explicit ``tenant``). Each function costs a
fixed number of queries whatever the number of articles, searches, answers
or revisions, so the admin pages built on them keep an exact query count
(tests/admin/test_dashboard.py, test_coverage.py, test_activity.py).
"""

from __future__ import annotations

import datetime as dt
import operator
from collections import defaultdict
from dataclasses import dataclass, field
from functools import reduce

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import TruncDate
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from modeltranslation.utils import build_localized_fieldname
from reversion.models import Version

from guides.models import (
    Article,
    CardType,
    Carrier,
    Domain,
    Feedback,
    Invitation,
    Membership,
    RevisionMeta,
    SearchQuery,
    SynonymGroup,
    Tenant,
)
from guides.publishing.translation_state import all_languages, is_outdated
from guides.selectors import freshness

#: Items each list of the dashboard shows; its count says how many there are.
SHORT_LIST = 5
#: Days the dashboard's charts cover.
CHART_DAYS = 30

Status = Article.Status


def _title_columns() -> list[str]:
    return ["title", *(build_localized_fieldname("title", c) for c in all_languages())]


def _light(articles: QuerySet, *more: str) -> QuerySet:
    """Return ``articles`` loading what a list of links shows (and ``more``).

    One ``only()`` call: a second one would replace the first's fields, and
    each title read then costs a query per article.
    """
    return articles.only(
        *more,
        "id",
        "slug",
        "status",
        "author_id",
        "publish_at",
        "updated_at",
        "tenant_id",
        *_title_columns(),
    )


# --- the dashboard's work lists -------------------------------------------------


def work_counts(*, tenant, user) -> dict[str, int]:
    """Return the sizes of the dashboard's article lists, in one query.

    ``my_drafts`` (drafts ``user`` wrote), ``review`` (waiting for review),
    ``scheduled`` (a publication is scheduled).
    """
    return Article.unscoped.filter(tenant=tenant).aggregate(
        my_drafts=Count("id", filter=Q(status=Status.DRAFT, author_id=user.pk)),
        review=Count("id", filter=Q(status=Status.REVIEW)),
        scheduled=Count("id", filter=Q(publish_at__isnull=False)),
    )


def my_drafts(*, tenant, user, limit: int = SHORT_LIST) -> list[Article]:
    """Return the drafts ``user`` wrote, last changed first."""
    return list(
        _light(
            Article.unscoped.filter(tenant=tenant, status=Status.DRAFT, author=user)
        ).order_by("-updated_at", "id")[:limit]
    )


def waiting_for_review(*, tenant, limit: int = SHORT_LIST) -> list[Article]:
    """Return the articles submitted for review, longest waiting first."""
    return list(
        _light(Article.unscoped.filter(tenant=tenant, status=Status.REVIEW)).order_by(
            "updated_at", "id"
        )[:limit]
    )


def scheduled(*, tenant, limit: int = SHORT_LIST) -> list[Article]:
    """Return the articles with a scheduled publication, soonest first."""
    return list(
        _light(
            Article.unscoped.filter(tenant=tenant, publish_at__isnull=False)
        ).order_by("publish_at", "id")[:limit]
    )


def stale(*, tenant, limit: int = SHORT_LIST) -> tuple[int, list[Article]]:
    """Return how many published articles are past their review date, and the
    most overdue (each with ``review_due_at``), in two queries."""
    articles = freshness.stale_articles(tenant)
    return articles.count(), list(_light(articles)[:limit])


def outdated_translations(
    *, tenant, limit: int = SHORT_LIST
) -> tuple[int, list[tuple[Article, list[str]]]]:
    """Return how many articles have an outdated translation, and the first
    ``limit`` as ``(article, outdated languages)``: most languages behind
    first, then the last changed.

    Two queries (one when none is outdated): every article's state, a JSON
    column compared in Python (``publishing.translation_state``) and read as
    plain values (no model per article), then the few articles shown.
    """
    languages = tenant.ordered_languages()
    source = tenant.default_language
    found = []
    states = (
        Article.unscoped.filter(tenant=tenant)
        .order_by("-updated_at", "id")
        .values_list("id", "translation_state")
    )
    for pk, state in states:
        outdated = [lang for lang in languages if is_outdated(state, lang, source)]
        if outdated:
            found.append((pk, outdated))
    found.sort(key=lambda row: -len(row[1]))
    first = found[:limit]
    articles = _light(Article.unscoped.filter(tenant=tenant)).in_bulk(
        [pk for pk, _languages in first]
    )
    return len(found), [
        (articles[pk], outdated) for pk, outdated in first if pk in articles
    ]


# --- the dashboard's charts -------------------------------------------------------


@dataclass(frozen=True)
class Day:
    """One day of the charts: searches (and how many found nothing), answers."""

    date: dt.date
    searches: int = 0
    zero_results: int = 0
    helpful: int = 0
    not_helpful: int = 0

    @property
    def zero_rate(self) -> int | None:
        """Return the share of searches that found nothing, in percent."""
        return round(100 * self.zero_results / self.searches) if self.searches else None

    @property
    def helpful_rate(self) -> int | None:
        """Return the share of "yes" answers, in percent."""
        answers = self.helpful + self.not_helpful
        return round(100 * self.helpful / answers) if answers else None


def _window(days: int, now) -> tuple[list[dt.date], dt.datetime]:
    today = timezone.localdate(now)
    dates = [today - dt.timedelta(days=n) for n in range(days - 1, -1, -1)]
    start = timezone.make_aware(dt.datetime.combine(dates[0], dt.time.min))
    return dates, start


def daily_activity(*, tenant, days: int = CHART_DAYS, now=None) -> list[Day]:
    """Return one ``Day`` per day of the last ``days`` (today last), in two
    queries: searches and zero-result searches, helpful and unhelpful answers.
    Days are local (``TIME_ZONE``)."""
    dates, start = _window(days, now or timezone.now())
    searches = {
        row["day"]: row
        for row in SearchQuery.unscoped.filter(tenant=tenant, created_at__gte=start)
        .exclude(query="")
        .annotate(day=TruncDate("created_at"))
        .values("day")
        .annotate(n=Count("id"), zero=Count("id", filter=Q(result_count=0)))
        .order_by("day")
    }
    answers = {
        row["day"]: row
        for row in Feedback.unscoped.filter(tenant=tenant, created_at__gte=start)
        .annotate(day=TruncDate("created_at"))
        .values("day")
        .annotate(
            yes=Count("id", filter=Q(helpful=True)),
            no=Count("id", filter=Q(helpful=False)),
        )
        .order_by("day")
    }
    result = []
    for date in dates:
        search, answer = searches.get(date, {}), answers.get(date, {})
        result.append(
            Day(
                date=date,
                searches=search.get("n", 0),
                zero_results=search.get("zero", 0),
                helpful=answer.get("yes", 0),
                not_helpful=answer.get("no", 0),
            )
        )
    return result


# --- the coverage report ----------------------------------------------------------


class Coverage:
    """The states of a coverage cell (one procedure in one language)."""

    PUBLISHED = "published"
    DRAFT = "draft"
    OUTDATED = "outdated"
    MISSING = "missing"
    STATES = (PUBLISHED, DRAFT, OUTDATED, MISSING)
    LABELS = {
        PUBLISHED: _("Published"),
        DRAFT: _("Draft"),
        OUTDATED: _("Outdated"),
        MISSING: _("Missing"),
    }


@dataclass
class CoverageEntry:
    """One procedure's state in one language (``article`` None: none exists)."""

    state: str
    article: Article | None = None

    @property
    def label(self):
        return Coverage.LABELS[self.state]


@dataclass
class CoverageRow:
    """A carrier and card type (either may be None: "every"), per language."""

    carrier: Carrier | None
    card_type: CardType | None
    cells: dict[str, list[CoverageEntry]] = field(default_factory=dict)

    def states(self) -> set[str]:
        return {entry.state for cell in self.cells.values() for entry in cell}


@dataclass
class CoverageReport:
    languages: list[str]
    rows: list[CoverageRow]
    carriers: list[Carrier]
    card_types: list[CardType]

    def totals(self) -> dict[str, dict[str, int]]:
        """Return, per language, how many entries are in each state."""
        totals = {lang: dict.fromkeys(Coverage.STATES, 0) for lang in self.languages}
        for row in self.rows:
            for lang, cell in row.cells.items():
                for entry in cell:
                    totals[lang][entry.state] += 1
        return totals


def entry_state(article: Article, language: str, *, source: str) -> str:
    """Return one article's coverage state in ``language``.

    Missing: no title in that language (and nothing published in it).
    Outdated: the source language changed after this translation (even when
    published: readers see an old text). Published: the last publication
    holds the language. Draft: a text exists that readers do not see yet.
    """
    published = language in (getattr(article, "published_languages", None) or [])
    text = (
        getattr(article, build_localized_fieldname("title", language)) or ""
    ).strip()
    if not text and not published:
        return Coverage.MISSING
    if is_outdated(article.translation_state, language, source):
        return Coverage.OUTDATED
    return Coverage.PUBLISHED if published else Coverage.DRAFT


def coverage(*, tenant, languages: list[str] | None = None) -> CoverageReport:
    """Return the coverage of carriers x card types x languages, in three queries.

    Each carrier and card type pair is a row, whether a procedure exists for
    it or not; procedures for every carrier or every card type (either left
    empty) add rows of their own. Archived procedures cover nothing.
    """
    languages = languages or tenant.ordered_languages()
    source = tenant.default_language
    carriers = list(
        Carrier.unscoped.filter(tenant=tenant).order_by("sort_order", "slug")
    )
    card_types = list(
        CardType.unscoped.filter(tenant=tenant).order_by("sort_order", "slug")
    )
    articles = (
        Article.unscoped.filter(tenant=tenant)
        .exclude(status=Status.ARCHIVED)
        .select_related("publication")
        .only(
            "id",
            "slug",
            "status",
            "carrier_id",
            "card_type_id",
            "translation_state",
            "tenant_id",
            "publication__id",
            "publication__languages",
            *_title_columns(),
        )
        .order_by("slug", "id")
    )
    by_pair: dict[tuple, list[Article]] = defaultdict(list)
    for article in articles:
        article.published_languages = _published_languages(article)
        by_pair[(article.carrier_id, article.card_type_id)].append(article)

    carrier_by_id = {c.pk: c for c in carriers}
    card_type_by_id = {c.pk: c for c in card_types}
    pairs = [(c.pk, t.pk) for c in carriers for t in card_types]
    order = {pair: n for n, pair in enumerate(pairs)}
    extra = sorted(
        (pair for pair in by_pair if pair not in order),
        key=lambda p: (
            p[0] is None,
            p[1] is None,
            _rank(carriers, p[0]),
            _rank(card_types, p[1]),
        ),
    )
    rows = []
    for pair in [*pairs, *extra]:
        row = CoverageRow(
            carrier=carrier_by_id.get(pair[0]), card_type=card_type_by_id.get(pair[1])
        )
        found = by_pair.get(pair, [])
        for lang in languages:
            if found:
                row.cells[lang] = [
                    CoverageEntry(entry_state(a, lang, source=source), a) for a in found
                ]
            else:
                row.cells[lang] = [CoverageEntry(Coverage.MISSING)]
        rows.append(row)
    return CoverageReport(
        languages=languages, rows=rows, carriers=carriers, card_types=card_types
    )


def _rank(objects: list, pk) -> int:
    for n, obj in enumerate(objects):
        if obj.pk == pk:
            return n
    return -1


def _published_languages(article: Article) -> list[str]:
    try:
        publication = article.publication
    except Article.publication.RelatedObjectDoesNotExist:
        return []
    languages = publication.languages
    return languages if isinstance(languages, list) else []


# --- activity ----------------------------------------------------------------------

Action = RevisionMeta.Action


class Activity:
    """What an activity entry was; derived from the revision metadata.

    Article revisions carry their action (``RevisionMeta.action``). The rest
    are told apart by what the revision holds (a membership, the tenant, a
    carrier) and, for imports and domains, by their comment, written by the
    services in the writer's language: every installed language is matched.
    """

    SAVE = "save"
    SUBMIT = "submit"
    PUBLISH = "publish"
    UNPUBLISH = "unpublish"
    REVERT = "revert"
    DELETE = "delete"
    RESTORE = "restore"
    IMPORT = "import"
    SETTINGS = "settings"
    DOMAINS = "domains"
    MEMBERSHIPS = "memberships"
    CATALOGUE = "catalogue"
    OTHER = "other"
    CHOICES = [
        (SAVE, _("Saves")),
        (SUBMIT, _("Submissions for review")),
        (PUBLISH, _("Publications")),
        (UNPUBLISH, _("Unpublished or archived")),
        (REVERT, _("Reverts")),
        (DELETE, _("Deletions")),
        (RESTORE, _("Restores")),
        (IMPORT, _("Imports")),
        (SETTINGS, _("Settings")),
        (DOMAINS, _("Domains")),
        (MEMBERSHIPS, _("Members and invitations")),
        (CATALOGUE, _("Carriers, card types and synonyms")),
        (OTHER, _("Other changes")),
    ]
    LABELS = {
        SAVE: _("Saved"),
        SUBMIT: _("Submitted for review"),
        PUBLISH: _("Published"),
        UNPUBLISH: _("Unpublished"),
        REVERT: _("Reverted"),
        DELETE: _("Deleted"),
        RESTORE: _("Restored"),
        IMPORT: _("Imported"),
        SETTINGS: _("Settings"),
        DOMAINS: _("Domains"),
        MEMBERSHIPS: _("Members"),
        CATALOGUE: _("Catalogue"),
        OTHER: _("Changed"),
    }


#: Comments the services write for imports and for domain changes (msgids).
IMPORT_COMMENTS = ("Imported from %(name)s", "Created by an import")
DOMAIN_COMMENTS = (
    "Added the domain %(host)s.",
    "Removed the domain %(host)s.",
    "Verified the domain %(host)s.",
    "Added domains.",
)


def _comment_prefixes(msgids) -> set[str]:
    """Return the fixed start of each message in every installed language."""
    prefixes = set()
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            for msgid in msgids:
                prefix = gettext(msgid).split("%(", 1)[0].strip()
                if prefix:
                    prefixes.add(prefix)
    return prefixes


def _comment_q(msgids) -> Q:
    return reduce(
        operator.or_,
        (
            Q(revision__comment__startswith=prefix)
            for prefix in sorted(_comment_prefixes(msgids))
        ),
    )


def _holds(models) -> Exists:
    cts = ContentType.objects.get_for_models(*models).values()
    return Exists(
        Version.objects.filter(
            revision_id=OuterRef("revision_id"), content_type__in=list(cts)
        )
    )


#: What an entry is about, in order of preference (parts and channels never).
SUBJECT_MODELS = (
    Article,
    Membership,
    Invitation,
    Carrier,
    CardType,
    SynonymGroup,
    Tenant,
    Domain,
)


def _subject(tenant, column: str) -> Subquery:
    cts = ContentType.objects.get_for_models(*SUBJECT_MODELS)
    rank = Case(
        *(
            When(content_type_id=cts[model].pk, then=Value(n))
            for n, model in enumerate(SUBJECT_MODELS)
        ),
        output_field=IntegerField(),
    )
    return Subquery(
        Version.objects.filter(
            revision_id=OuterRef("revision_id"),
            content_type_id__in=[ct.pk for ct in cts.values()],
        )
        .annotate(rank=rank)
        .order_by("rank", "id")
        .values(column)[:1]
    )


def activity_kind() -> Case:
    """Return the SQL expression of an entry's ``Activity`` kind."""
    article_actions = {
        Action.CREATE: Activity.SAVE,
        Action.EDIT: Activity.SAVE,
        Action.SUBMIT: Activity.SUBMIT,
        Action.PUBLISH: Activity.PUBLISH,
        Action.UNPUBLISH: Activity.UNPUBLISH,
        Action.ARCHIVE: Activity.UNPUBLISH,
        Action.REVERT: Activity.REVERT,
        Action.RECOVER: Activity.RESTORE,
        Action.DELETE: Activity.DELETE,
    }
    on_article = Q(article_id__isnull=False)
    return Case(
        When(_comment_q(IMPORT_COMMENTS), then=Value(Activity.IMPORT)),
        *(
            When(on_article & Q(action=action), then=Value(kind))
            for action, kind in article_actions.items()
        ),
        When(on_article, then=Value(Activity.SAVE)),
        When(holds_membership=True, then=Value(Activity.MEMBERSHIPS)),
        When(
            Q(holds_domain=True)
            & (Q(holds_tenant=False) | _comment_q(DOMAIN_COMMENTS)),
            then=Value(Activity.DOMAINS),
        ),
        When(holds_tenant=True, then=Value(Activity.SETTINGS)),
        When(holds_catalogue=True, then=Value(Activity.CATALOGUE)),
        When(action=Action.DELETE, then=Value(Activity.DELETE)),
        default=Value(Activity.OTHER),
        output_field=CharField(),
    )


def activity(
    *,
    tenant,
    user_id: int | None = None,
    kind: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> QuerySet[RevisionMeta]:
    """Return the tenant's revisions as activity entries, newest first.

    Each ``RevisionMeta`` carries its ``revision`` (with ``user``) and
    ``kind`` (an ``Activity`` value), ``subject`` (what it was about, as
    recorded), ``subject_type`` (a content type id) and ``subject_id``, and
    ``article_exists``. One query per page, whatever the entries hold.
    ``since`` and ``until`` are local dates, both included.
    """
    entries = (
        RevisionMeta.unscoped.filter(tenant=tenant)
        .select_related("revision__user")
        .annotate(
            holds_membership=_holds([Membership, Invitation]),
            holds_domain=_holds([Domain]),
            holds_tenant=_holds([Tenant]),
            holds_catalogue=_holds([Carrier, CardType, SynonymGroup]),
        )
        .annotate(
            kind=activity_kind(),
            subject=_subject(tenant, "object_repr"),
            subject_type=_subject(tenant, "content_type_id"),
            subject_id=_subject(tenant, "object_id"),
            article_exists=Exists(
                Article.unscoped.filter(tenant=tenant, pk=OuterRef("article_id"))
            ),
        )
        .order_by("-revision__date_created", "-revision_id")
    )
    if user_id is not None:
        entries = entries.filter(revision__user_id=user_id)
    if kind:
        entries = entries.filter(kind=kind)
    if since is not None:
        entries = entries.filter(revision__date_created__gte=_local_midnight(since))
    if until is not None:
        entries = entries.filter(
            revision__date_created__lt=_local_midnight(until + dt.timedelta(days=1))
        )
    return entries


def _local_midnight(date: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(date, dt.time.min))


def activity_people(*, tenant) -> list[tuple[int, str]]:
    """Return ``(user id, username)`` of everyone in the tenant's activity."""
    return list(
        RevisionMeta.unscoped.filter(tenant=tenant, revision__user__isnull=False)
        .values_list("revision__user_id", "revision__user__username")
        .distinct()
        .order_by("revision__user__username", "revision__user_id")
    )
