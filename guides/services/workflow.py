"""The editorial workflow: submit, publish, unpublish, archive, schedule."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import get_language_info
from django.utils.translation import gettext as _
from reversion.models import Revision

from guides.models import (
    Article,
    Membership,
    Publication,
    Tenant,
)
from guides.permissions import may_skip_review, require_role
from guides.publishing import translation_state
from guides.publishing.body import render_article_body
from guides.publishing.snapshot import article_languages, build_snapshot
from guides.services.effects import publication_changed
from guides.services.revisions import Action, article_revision
from guides.tenancy import tenant_context
from guides.tenancy.context import require_owned


def _set_status(
    article: Article, user, status: str, action: str, comment: str
) -> Article:
    with article_revision(
        article_getter=lambda: article, user=user, comment=comment, action=action
    ):
        # From the locked row: a stale copy must not wind the edit version
        # back, or a stale editor tab would be accepted again.
        locked = Article.objects.select_for_update().get(pk=article.pk)
        article.status = status
        article.lock_version = locked.lock_version + 1
        article.save(update_fields=["status", "lock_version", "updated_at"])
    return article


def article_submit(*, article: Article, user, comment: str = "") -> Article:
    """Ask a reviewer to publish the article."""
    tenant = require_owned(article)
    require_role(tenant=tenant, user=user, role=Membership.Role.EDITOR)
    if article.status == Article.Status.ARCHIVED:
        raise ValidationError(
            _("An archived article cannot be submitted; restore it first.")
        )
    return _set_status(
        article,
        user,
        Article.Status.REVIEW,
        Action.SUBMIT,
        comment or _("Submitted for review"),
    )


def validate_publishable(article: Article, tenant: Tenant) -> list[str]:
    """Return the languages the article can be published in, or raise."""
    languages = article_languages(article, tenant.ordered_languages())
    if tenant.default_language not in languages:
        raise ValidationError(
            _(
                "Write a title in the help center's default language (%(lang)s) before publishing."
            )
            % {"lang": get_language_info(tenant.default_language)["name_translated"]}
        )
    if not article.steps.exists():
        raise ValidationError(
            _("An article needs at least one step before it is published.")
        )
    return languages


class PublishNeedsConfirmation(ValidationError):
    """A publish that the person must confirm first (``reasons``: why).

    ``"skip_review"``: a manager publishes an article nobody reviewed;
    ``"outdated"``: translations lag behind the source (``outdated``).
    Publishing again with ``skip_review`` / ``outdated_confirmed`` goes on.
    """

    def __init__(self, messages: list[str], *, reasons: list[str], outdated):
        super().__init__(messages, code="needs_confirmation")
        self.reasons = reasons
        self.outdated = outdated


def is_reviewed(article: Article) -> bool:
    """Say whether the article came through review (or is published as it is)."""
    return article.status in (Article.Status.REVIEW, Article.Status.PUBLISHED)


def require_review_or_manager(*, tenant: Tenant, user) -> None:
    """Refuse an unreviewed article to anyone who may not skip review."""
    if not may_skip_review(tenant=tenant, user=user):
        raise ValidationError(
            _(
                "This article has not been reviewed. Submit it for review "
                "first; a reviewer publishes it from there."
            ),
            code="not_in_review",
        )


def check_publish_guards(
    article: Article,
    tenant: Tenant,
    user,
    *,
    skip_review: bool = False,
    outdated_confirmed: bool = False,
) -> None:
    """Refuse a publish that did not come through review, or ask to confirm.

    An article is published from review (or published again unchanged). A
    manager may skip review, once they confirm; a reviewer may not. Outdated
    translations are published only once confirmed. The system itself
    (scheduled publishing, ``user=None``) is never asked.
    """
    if user is None:
        return
    reasons, messages = [], []
    if not is_reviewed(article):
        require_review_or_manager(tenant=tenant, user=user)
        if not skip_review:
            reasons.append("skip_review")
            messages.append(
                _(
                    "“%(article)s” has not been reviewed: nobody submitted it "
                    "for review. As a manager you may publish it without review."
                )
                % {"article": article}
            )
    outdated = translation_state.outdated_languages(
        article,
        languages=article_languages(article, tenant.ordered_languages()),
        source=tenant.default_language,
    )
    if outdated and not outdated_confirmed:
        reasons.append("outdated")
        messages.append(
            _(
                "Outdated translations: the source text changed after these were "
                "last edited or confirmed (%(languages)s). Readers would get them "
                "as they are."
            )
            % {
                "languages": ", ".join(
                    str(get_language_info(lang)["name_translated"]) for lang in outdated
                )
            }
        )
    if reasons:
        raise PublishNeedsConfirmation(messages, reasons=reasons, outdated=outdated)


def article_publish(
    *,
    article: Article,
    user,
    comment: str = "",
    skip_review: bool = False,
    outdated_confirmed: bool = False,
) -> Publication:
    """Freeze the article as readers will see it, in every language it has.

    It comes from review (``check_publish_guards``): a manager skips review
    with ``skip_review``, outdated translations need ``outdated_confirmed``.
    """
    tenant = require_owned(article)
    require_role(tenant=tenant, user=user, role=Membership.Role.REVIEWER)
    with transaction.atomic():
        article = (
            Article.objects.with_parts()
            .select_for_update(of=("self",))
            .get(pk=article.pk)
        )
        unreviewed = not is_reviewed(article)
        languages = validate_publishable(article, tenant)
        check_publish_guards(
            article,
            tenant,
            user,
            skip_review=skip_review,
            outdated_confirmed=outdated_confirmed,
        )
        if unreviewed and user is not None:
            comment = comment or _("Published without review")
        published_at = timezone.now()
        content = {
            lang: build_snapshot(article, lang, tenant.default_language)
            for lang in languages
        }
        for lang, snapshot in content.items():
            render_article_body(
                snapshot,
                language=lang,
                default_language=tenant.default_language,
                published_at=published_at,
            )
        moved = _release_slug(slug=article.slug, article=article)
        comment = " ".join(
            [
                comment or _("Published"),
                *(
                    _(
                        "“%(article)s” was still published at “%(old)s” and now "
                        "answers at its new slug “%(new)s”."
                    )
                    % {"article": p.article, "old": article.slug, "new": p.slug}
                    for p in moved[:1]
                ),
            ]
        )
        with article_revision(
            article_getter=lambda: article,
            user=user,
            comment=comment,
            action=Action.PUBLISH,
        ):
            article.status = Article.Status.PUBLISHED
            article.lock_version += 1
            article.save(update_fields=["status", "lock_version", "updated_at"])
        revision = (
            Revision.objects.filter(
                meta__tenant=tenant,
                meta__article_id=article.pk,
                meta__action=Action.PUBLISH,
            )
            .order_by("-pk")
            .first()
        )
        try:
            with transaction.atomic():
                publication, _created = Publication.objects.update_or_create(
                    article=article,
                    defaults={
                        "tenant": tenant,
                        "slug": article.slug,
                        "carrier": article.carrier,
                        "card_type": article.card_type,
                        "languages": languages,
                        "content": content,
                        "listing": Publication.listing_of(content),
                        "revision": revision,
                        "published_at": published_at,
                        "published_by": user,
                    },
                )
        except IntegrityError:
            # Another publish took the slug after the release above.
            raise ValidationError(
                _(
                    "Another published article took the slug “%(slug)s” meanwhile. "
                    "Publish again, or give this article another slug."
                )
                % {"slug": article.slug},
                code="duplicate_slug",
            ) from None
        for changed in [article, *(p.article for p in moved)]:
            publication_changed(changed)
    return publication


def _release_slug(*, slug: str, article: Article) -> list[Publication]:
    """Free ``slug`` for ``article``'s publication; return the moved publications.

    A publication keeps its article's slug from when it was published, so
    readers still find it after the article is renamed in a draft. When
    another article is published under that old slug, the old publication
    moves to its article's current slug, which may in turn free another
    publication's, and so on (each article slug is unique, so the chain
    ends). Its reviewed content is unchanged.
    """
    moved: list[Publication] = []
    claimant, wanted = article, slug
    while True:
        holder = (
            Publication.objects.select_for_update()
            .select_related("article")
            .filter(slug=wanted)
            .exclude(article_id=claimant.pk)
            .first()
        )
        if holder is None or holder in moved:
            break
        moved.append(holder)
        claimant, wanted = holder.article, holder.article.slug
    # The last first: each slug is free by the time its new holder takes it.
    for holder in reversed(moved):
        holder.slug = holder.article.slug
        holder.save(update_fields=["slug"])
    return moved


def _take_down(
    article: Article, user, *, status: str, action: str, comment: str
) -> Article:
    """Remove the article's publication and give it ``status``, as a reviewer."""
    tenant = require_owned(article)
    require_role(tenant=tenant, user=user, role=Membership.Role.REVIEWER)
    with transaction.atomic():
        Publication.objects.filter(article=article).delete()
        _set_status(article, user, status, action, comment)
        publication_changed(article)
    return article


def article_unpublish(*, article: Article, user, comment: str = "") -> Article:
    """Take the article off the public site; the working copy stays."""
    return _take_down(
        article,
        user,
        status=Article.Status.DRAFT,
        action=Action.UNPUBLISH,
        comment=comment or _("Unpublished"),
    )


def article_archive(*, article: Article, user, comment: str = "") -> Article:
    """Retire the article: off the public site, kept with its history."""
    return _take_down(
        article,
        user,
        status=Article.Status.ARCHIVED,
        action=Action.ARCHIVE,
        comment=comment or _("Archived"),
    )


def article_translation_confirm(
    *, article: Article, user, language: str, comment: str = ""
) -> Article:
    """Record that ``language``'s text is current with the source language."""
    tenant = require_owned(article)
    require_role(tenant=tenant, user=user, role=Membership.Role.EDITOR)
    if language not in tenant.languages or language == tenant.default_language:
        raise ValidationError(
            _("Choose one of the help center's translation languages.")
        )
    with article_revision(
        article_getter=lambda: article,
        user=user,
        comment=comment
        or _("Confirmed the %(lang)s translation is current") % {"lang": language},
        action=Action.EDIT,
    ):
        locked = Article.objects.select_for_update().get(pk=article.pk)
        article.translation_state = translation_state.record_confirm(
            locked.translation_state, language=language, now=timezone.now()
        )
        article.lock_version = locked.lock_version + 1
        article.save(update_fields=["translation_state", "lock_version", "updated_at"])
    return article


def article_schedule(
    *, article: Article, user, publish_at=None, unpublish_at=None, comment: str = ""
) -> Article:
    """Set (or clear, with None) when the article is published and unpublished."""
    tenant = require_owned(article)
    require_role(tenant=tenant, user=user, role=Membership.Role.REVIEWER)
    if publish_at and unpublish_at and unpublish_at <= publish_at:
        raise ValidationError(
            _("Unpublish after the scheduled publication, not before.")
        )
    if publish_at and user is not None and not is_reviewed(article):
        # Scheduling is publishing later: it too comes from review, or from a
        # manager, who may skip it.
        require_review_or_manager(tenant=tenant, user=user)
    parts = []
    if publish_at:
        parts.append(_("publish at %(when)s") % {"when": _stamp(publish_at)})
    if unpublish_at:
        parts.append(_("unpublish at %(when)s") % {"when": _stamp(unpublish_at)})
    with article_revision(
        article_getter=lambda: article,
        user=user,
        comment=comment
        or (
            _("Scheduled: %(what)s") % {"what": ", ".join(parts)}
            if parts
            else _("Schedule cleared")
        ),
        action=Action.OTHER,
    ):
        locked = Article.objects.select_for_update().get(pk=article.pk)
        article.publish_at = publish_at
        article.unpublish_at = unpublish_at
        article.lock_version = locked.lock_version + 1
        article.save(
            update_fields=["publish_at", "unpublish_at", "lock_version", "updated_at"]
        )
    return article


def _stamp(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")


def publish_due(*, now=None, tenant: Tenant | None = None) -> dict[str, list[int]]:
    """Carry out every scheduled publish and unpublish that is due.

    Idempotent and safe to run concurrently (cron every minute, and the
    admin on its next request): each article is claimed with
    ``select_for_update(skip_locked=True)`` where the database supports it,
    its due time is cleared in the same transaction, and the work runs in
    the article's tenant context as the system user (``user=None``).
    """

    now = now or timezone.now()
    done: dict[str, list[int]] = {"published": [], "unpublished": [], "failed": []}
    articles = Article.unscoped.all()
    if tenant is not None:
        articles = articles.filter(tenant=tenant)
    due = [
        (field, pk, tenant_id)
        for field in ("publish_at", "unpublish_at")
        for pk, tenant_id in articles.filter(**{f"{field}__lte": now})
        .order_by(field, "pk")
        .values_list("pk", "tenant_id")
    ]
    if not due:
        return done
    tenants = Tenant.objects.in_bulk({tenant_id for _f, _pk, tenant_id in due})
    skip_locked = connection.features.has_select_for_update_skip_locked
    for field, pk, tenant_id in due:
        with tenant_context(tenants[tenant_id]):
            try:
                with transaction.atomic():
                    claim = Article.objects.filter(pk=pk, **{f"{field}__lte": now})
                    claim = (
                        claim.select_for_update(skip_locked=True)
                        if skip_locked
                        else claim
                    )
                    article = claim.first()
                    if article is None:
                        continue  # Done by a concurrent run.
                    Article.objects.filter(pk=pk).update(**{field: None})
                    setattr(article, field, None)
                    if field == "publish_at":
                        article_publish(
                            article=article,
                            user=None,
                            comment=_("Published as scheduled"),
                        )
                        done["published"].append(pk)
                    elif Publication.objects.filter(article_id=pk).exists():
                        article_unpublish(
                            article=article,
                            user=None,
                            comment=_("Unpublished as scheduled"),
                        )
                        done["unpublished"].append(pk)
            except ValidationError:
                # Not publishable (no steps, no title): clear the time so the
                # job does not retry every minute; the editor sees it unset.
                Article.objects.filter(pk=pk).update(**{field: None})
                done["failed"].append(pk)
    return done
