"""History of articles: revisions, revert, deleted articles and recovery."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from reversion.models import Revision, Version

from guides.models import (
    Article,
    Membership,
    Tenant,
)
from guides.permissions import require_role
from guides.services.effects import article_changed_raw
from guides.services.revisions import Action, article_revision
from guides.tenancy import require_current_tenant
from guides.tenancy.context import require_owned


def article_revisions(*, article: Article):
    """Return the article's revisions, newest first (tenant-checked)."""
    tenant = require_owned(article)
    return (
        Revision.objects.filter(meta__tenant=tenant, meta__article_id=article.pk)
        .select_related("user", "meta")
        .order_by("-date_created", "-pk")
    )


def _tenant_revision(tenant: Tenant, revision_id) -> Revision:
    try:
        return Revision.objects.get(pk=int(revision_id), meta__tenant=tenant)
    except (Revision.DoesNotExist, ValueError, TypeError):
        raise Revision.DoesNotExist(
            _("No such revision in this help center.")
        ) from None


def article_revert(
    *, article: Article, user, revision_id: int, comment: str = ""
) -> Article:
    """Restore the article to a revision: every language, exactly its parts.

    Parts added after the revision are deleted (``delete=True``). The article
    becomes a draft: readers keep the last publication until someone
    publishes. The revert itself is recorded as a new revision.
    """
    tenant = require_owned(article)
    require_role(tenant=tenant, user=user, role=Membership.Role.EDITOR)
    revision = _tenant_revision(tenant, revision_id)
    if not revision.version_set.filter(
        content_type__model="article", object_id=str(article.pk)
    ).exists():
        raise Revision.DoesNotExist(_("That revision is not of this article."))
    with transaction.atomic():
        current_lock = (
            Article.objects.select_for_update().get(pk=article.pk).lock_version
        )
        revision.revert(delete=True)
        restored = Article.objects.get(pk=article.pk)
        with article_revision(
            article_getter=lambda: restored,
            user=user,
            comment=comment
            or _("Reverted to the version of %(date)s")
            % {
                "date": timezone.localtime(revision.date_created).strftime(
                    "%Y-%m-%d %H:%M"
                )
            },
            action=Action.REVERT,
        ):
            restored.lock_version = current_lock + 1
            if restored.status != Article.Status.ARCHIVED:
                restored.status = Article.Status.DRAFT
            restored.save(update_fields=["status", "lock_version", "updated_at"])
        transaction.on_commit(lambda: article_changed_raw(restored))
    return restored


def deleted_articles(*, tenant: Tenant):
    """Return the latest version of each deleted article of ``tenant``."""
    live = Article.unscoped.filter(tenant=tenant).values_list("pk", flat=True)
    versions = (
        Version.objects.get_for_model(Article)
        .filter(revision__meta__tenant=tenant)
        .exclude(object_id__in=[str(pk) for pk in live])
        .select_related("revision")
        .order_by("object_id", "-pk")
    )
    latest: dict[str, Version] = {}
    for version in versions:
        latest.setdefault(version.object_id, version)
    return sorted(latest.values(), key=lambda v: v.revision.date_created, reverse=True)


def article_recover(*, version_id: int, user, comment: str = "") -> Article:
    """Bring back a deleted article with all its parts and translations."""
    tenant = require_current_tenant()
    require_role(tenant=tenant, user=user, role=Membership.Role.EDITOR)
    candidates = {v.pk: v for v in deleted_articles(tenant=tenant)}
    try:
        version = candidates[int(version_id)]
    except (KeyError, ValueError, TypeError):
        raise Version.DoesNotExist(
            _("No such deleted article in this help center.")
        ) from None
    with transaction.atomic():
        version.revision.revert(delete=True)
        article = Article.objects.get(pk=int(version.object_id))
        with article_revision(
            article_getter=lambda: article,
            user=user,
            comment=comment or _("Recovered"),
            action=Action.RECOVER,
        ):
            article.status = Article.Status.DRAFT
            article.lock_version += 1
            article.save(update_fields=["status", "lock_version", "updated_at"])
        transaction.on_commit(lambda: article_changed_raw(article))
    return article
