"""Freshness: mark a procedure as verified, set its review interval, and
remind each help center's members of what is stale or waiting for review.

Verification is metadata, not content. ``article_verify`` records one
tenant-tagged revision (action ``verify``, comment "Verified: …") and
writes only ``last_verified_at``, ``last_verified_by`` and, when given,
``review_interval_days``: the status, the edit version (``lock_version``),
``updated_at`` and the translation state stay as they were, so verifying
never turns a published article into a draft, never refuses an editor's
open form as a concurrent edit, and never marks a translation outdated.
A revert restores content only (``ARTICLE_CONTENT_FIELDS``), so it never
undoes a verification either.
"""

from __future__ import annotations

import logging
import smtplib
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from guides.models import Article, Membership, ReviewReminder, Tenant
from guides.permissions import ACTION_ROLES, require_role, role_allows
from guides.selectors.freshness import stale_articles
from guides.services.revisions import Action, article_revision
from guides.tenancy.context import require_owned

logger = logging.getLogger(__name__)

#: ``review_interval_days`` left out: the article keeps its interval.
KEEP = object()


def _clean_interval(days):
    """Return ``days`` as a valid review interval (or None), or raise."""
    if days in ("", None):
        return None
    try:
        days = int(days)
    except (TypeError, ValueError):
        raise ValidationError(
            _("The review interval is a whole number of days.")
        ) from None
    Article._meta.get_field("review_interval_days").run_validators(days)
    return days


def article_verify(
    *,
    article: Article,
    user,
    comment: str = "",
    review_interval_days=KEEP,
    verified_at=None,
) -> Article:
    """Record that someone checked the procedure is still right, now.

    ``review_interval_days`` (optional) sets the article's own interval at
    the same time; None goes back to the help center's default.
    ``verified_at`` records an earlier check (the demo, a migration from
    another help center); never in the future.
    """
    now = timezone.now()
    if verified_at is not None and verified_at > now:
        raise ValidationError(_("A verification cannot be in the future."))
    tenant = require_owned(article)
    require_role(tenant=tenant, user=user, role=ACTION_ROLES["verify"])
    values = {"last_verified_at": verified_at or now, "last_verified_by": user}
    if review_interval_days is not KEEP:
        values["review_interval_days"] = _clean_interval(review_interval_days)
    comment = (comment or "").strip()
    _write_freshness(
        article,
        values,
        user=user,
        comment=_("Verified: %(comment)s") % {"comment": comment}
        if comment
        else _("Verified"),
        action=Action.VERIFY,
    )
    return article


def _write_freshness(article: Article, values: dict, *, user, comment, action):
    """Write only ``values`` (freshness columns) in one tagged revision.

    The revision records the row as stored (locked and read again), not the
    caller's copy, which may be older; the caller's copy gets the new values.
    """
    locked = None

    def stored():
        return locked

    with article_revision(
        article_getter=stored, user=user, comment=comment, action=action
    ):
        # Locked, so two verifications (or a verification and an edit) do
        # not interleave.
        locked = Article.objects.select_for_update().get(pk=article.pk)
        for name, value in values.items():
            setattr(locked, name, value)
            setattr(article, name, value)
        locked.save(update_fields=list(values))


def article_review_interval_set(
    *, article: Article, user, review_interval_days, comment: str = ""
) -> Article:
    """Set the article's own review interval (None: the help center's default)."""
    tenant = require_owned(article)
    require_role(tenant=tenant, user=user, role=ACTION_ROLES["verify"])
    days = _clean_interval(review_interval_days)
    default = _("Review interval: the help center's default")
    _write_freshness(
        article,
        {"review_interval_days": days},
        user=user,
        comment=comment
        or (_("Review interval: %(days)d days") % {"days": days} if days else default),
        action=Action.OTHER,
    )
    return article


# --- reminders -------------------------------------------------------------------


@dataclass
class Reminder:
    """What one member is reminded of."""

    membership: Membership
    stale: list[Article] = field(default_factory=list)
    waiting: list[Article] = field(default_factory=list)


def reminders_due(*, tenant: Tenant, now=None) -> list[Reminder]:
    """Return each member's reminder (only members with something to do).

    Every member is reminded of the stale procedures (any member may verify
    one); reviewers and managers of every article waiting for review, an
    editor of the ones they wrote. Members without an e-mail address, and
    inactive accounts, are left out. Three queries, whatever the size.
    """
    stale = list(stale_articles(tenant, now=now))
    waiting = list(
        Article.unscoped.filter(tenant=tenant, status=Article.Status.REVIEW).order_by(
            "updated_at", "id"
        )
    )
    members = (
        Membership.objects.filter(tenant=tenant, user__is_active=True)
        .exclude(user__email="")
        .select_related("user")
        .order_by("user__username")
    )
    reminders = []
    for membership in members:
        mine = (
            waiting
            if role_allows(membership.role, ACTION_ROLES["publish"])
            else [a for a in waiting if a.author_id == membership.user_id]
        )
        if stale or mine:
            reminders.append(Reminder(membership, stale, mine))
    return reminders


@dataclass(frozen=True)
class AdminLinks:
    """Absolute links into a tenant's admin, on its primary domain."""

    base: str

    @classmethod
    def for_tenant(cls, tenant: Tenant, *, scheme: str = "https", port=None):
        domain = (
            tenant.domains.filter(verified_at__isnull=False)
            .order_by("-is_primary", "host")
            .first()
        )
        if domain is None:
            return None
        netloc = domain.host if not port else f"{domain.host}:{port}"
        return cls(f"{scheme}://{netloc}")

    def article(self, article: Article) -> str:
        return self.base + reverse("admin:guides_article_change", args=[article.pk])

    def stale_list(self) -> str:
        return self.base + reverse("admin:guides_article_changelist") + "?stale=due"

    def waiting_list(self) -> str:
        return (
            self.base
            + reverse("admin:guides_article_changelist")
            + f"?status__exact={Article.Status.REVIEW}"
        )


def reminder_language(tenant: Tenant, user) -> str:
    """Return the language of ``user``'s reminder.

    Users have no language preference yet, so this is the help center's
    default language; a preference, once there is one, goes first here.
    """
    preferred = getattr(user, "preferred_language", "")
    return preferred if preferred in tenant.languages else tenant.default_language


def reminder_message(
    *, tenant: Tenant, reminder: Reminder, links: AdminLinks, now=None
) -> EmailMultiAlternatives:
    """Build one member's reminder, in their language: text and HTML."""
    from guides.selectors.freshness import review_due_at

    user = reminder.membership.user
    now = now or timezone.now()
    with translation.override(reminder_language(tenant, user)):
        context = {
            "tenant": tenant,
            "user": user,
            "stale": [
                {
                    "title": str(article),
                    "url": links.article(article),
                    "due": timezone.localdate(review_due_at(article, tenant=tenant)),
                    "verified": article.last_verified_at,
                }
                for article in reminder.stale
            ],
            "waiting": [
                {"title": str(article), "url": links.article(article)}
                for article in reminder.waiting
            ],
            "stale_url": links.stale_list(),
            "waiting_url": links.waiting_list(),
            "today": timezone.localdate(now),
        }
        subject = " ".join(
            render_to_string(
                "guides/email/review_reminder_subject.txt", context
            ).split()
        )
        text = render_to_string("guides/email/review_reminder.txt", context)
        html = render_to_string("guides/email/review_reminder.html", context)
        language = translation.get_language()
    message = EmailMultiAlternatives(
        subject,
        text,
        None,
        [user.email],
        headers={"Content-Language": language},
    )
    message.attach_alternative(html, "text/html")
    return message


def review_reminders_send(
    *, tenant: Tenant, today: date | None = None, scheme="https", port=None, now=None
) -> list[ReviewReminder]:
    """Send each member of ``tenant`` their reminder, once a day at most.

    A ``ReviewReminder`` row is written in the transaction that sends the
    e-mail: a second run the same day finds it and sends nothing, and a
    concurrent run waits on the unique constraint and then skips. An e-mail
    the server refuses rolls its row back, so the next run tries again.
    Return the reminders sent.
    """
    today = today or timezone.localdate(now)
    links = AdminLinks.for_tenant(tenant, scheme=scheme, port=port)
    if links is None:
        logger.warning("%s has no verified domain: no reminders sent.", tenant.slug)
        return []
    already = set(
        ReviewReminder.unscoped.filter(tenant=tenant, sent_on=today).values_list(
            "user_id", flat=True
        )
    )
    sent = []
    for reminder in reminders_due(tenant=tenant, now=now):
        user = reminder.membership.user
        if user.pk in already:
            continue
        try:
            with transaction.atomic():
                row = ReviewReminder(
                    tenant=tenant,
                    user=user,
                    sent_on=today,
                    stale_count=len(reminder.stale),
                    waiting_count=len(reminder.waiting),
                )
                try:
                    with transaction.atomic():
                        row.save()
                except IntegrityError:
                    continue  # Sent by a concurrent run.
                reminder_message(
                    tenant=tenant, reminder=reminder, links=links, now=now
                ).send()
        except (smtplib.SMTPException, OSError):
            logger.exception(
                "The review reminder to %s (%s) could not be sent.",
                user.email,
                tenant.slug,
            )
            continue
        sent.append(row)
    return sent
