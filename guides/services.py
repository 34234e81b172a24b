"""Every write to tenants and articles goes through these functions.

The admin, the management commands, the importer and the API call the same
service for the same write. Each runs in one transaction and, for articles,
records exactly one django-reversion revision holding the article with all
its parts, tagged with the tenant (``RevisionMeta``).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator
from typing import Any

import reversion
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import get_language_info
from django.utils.translation import gettext as _
from reversion.models import Revision, Version

from guides import translation_state
from guides.models import (
    PART_MODELS,
    Article,
    Domain,
    Feedback,
    Membership,
    Publication,
    RevisionMeta,
    Tenant,
)
from guides.publishing import (
    article_languages,
    build_snapshot,
    bump_content_generation,
    render_article_body,
)
from guides.tenancy import require_current_tenant, tenant_context

Action = RevisionMeta.Action


class ConcurrentEditError(Exception):
    """The article changed since the editor loaded it."""

    def __init__(self, article: Article, expected: int):
        self.article = article
        self.expected = expected
        super().__init__(
            _(
                "Someone else saved this article while you were editing "
                "(your version %(expected)s, now %(current)s)."
            )
            % {"expected": expected, "current": article.lock_version}
        )


# --- permissions -----------------------------------------------------------


def user_role(*, tenant: Tenant, user) -> str | None:
    """Return the user's role in ``tenant`` (superusers act as managers)."""
    if user is None:
        return None
    if user.is_superuser:
        return Membership.Role.MANAGER
    membership = Membership.objects.filter(tenant=tenant, user=user).only("role").first()
    return membership.role if membership else None


ROLE_RANK = {Membership.Role.EDITOR: 1, Membership.Role.REVIEWER: 2, Membership.Role.MANAGER: 3}


def require_role(*, tenant: Tenant, user, role: str) -> None:
    """Raise PermissionDenied unless ``user`` holds ``role`` or a higher one.

    ``user=None`` is the system itself (management commands, scheduled jobs).
    """
    if user is None:
        return
    have = user_role(tenant=tenant, user=user)
    if have is None or ROLE_RANK[have] < ROLE_RANK[role]:
        raise PermissionDenied(_("You do not have permission to do this in this help center."))


# --- tenants ---------------------------------------------------------------


@transaction.atomic
def tenant_create(
    *,
    slug: str,
    name: str,
    hosts: Iterable[str],
    languages: list[str] | None = None,
    default_language: str | None = None,
    **branding: Any,
) -> tuple[Tenant, bool]:
    """Create a tenant with its domains, or return the existing one unchanged.

    Idempotent: calling it again with the same slug and hosts changes nothing.
    A host that already serves another tenant is a ValidationError.
    """
    # Only case and a trailing dot are forgiven: a scheme, path or port is
    # reported by the host validator rather than silently cut off.
    hosts = [h.strip().lower().rstrip(".") for h in hosts]
    if not hosts:
        raise ValidationError(_("A tenant needs at least one domain."))
    tenant = Tenant.objects.filter(slug=slug).first()
    created = tenant is None
    if created:
        languages = ["zh-hans", "en"] if languages is None else languages
        tenant = Tenant(
            slug=slug,
            name=name,
            languages=languages,
            default_language=default_language or (languages[0] if languages else ""),
            **branding,
        )
        tenant.full_clean()
        tenant.save()
    taken = Domain.objects.filter(host__in=hosts).exclude(tenant=tenant).first()
    if taken is not None:
        raise ValidationError(
            _("The host %(host)s already serves the help center “%(tenant)s”.")
            % {"host": taken.host, "tenant": taken.tenant.slug}
        )
    has_primary = tenant.domains.filter(is_primary=True).exists()
    for host in hosts:
        if tenant.domains.filter(host=host).exists():
            continue
        domain = Domain(tenant=tenant, host=host, is_primary=not has_primary)
        domain.full_clean()
        domain.save()
        has_primary = True
    return tenant, created


def membership_set(*, tenant: Tenant, user, role: str) -> Membership:
    """Give ``user`` ``role`` in ``tenant`` (create or change the membership).

    Demoting the tenant's last manager is refused: nobody could manage its
    members and domains any more.
    """
    with transaction.atomic():
        current = Membership.objects.filter(tenant=tenant, user=user).first()
        if current is not None and role != Membership.Role.MANAGER and is_last_manager(current):
            raise ValidationError(last_manager_message(current), code="last_manager")
        membership, _created = Membership.objects.update_or_create(
            tenant=tenant, user=user, defaults={"role": role}
        )
    return membership


def lock_tenant(tenant_id: int) -> None:
    """Serialise concurrent changes to one tenant's domains or managers.

    Inside a transaction the lock holds until it commits, so two managers
    demoting each other cannot both pass the last-manager check. (SQLite has
    no row locks; it serialises writes.)
    """
    if connection.in_atomic_block:
        list(Tenant.objects.select_for_update().filter(pk=tenant_id).values_list("pk"))


def is_last_manager(membership: Membership) -> bool:
    """Return whether ``membership`` is its tenant's only manager membership."""
    if membership.pk is None:
        return False
    lock_tenant(membership.tenant_id)
    managers = Membership.objects.filter(
        tenant_id=membership.tenant_id, role=Membership.Role.MANAGER
    ).values_list("pk", flat=True)
    return list(managers) == [membership.pk]


def last_manager_message(membership: Membership) -> str:
    return _(
        "%(user)s is the last manager of this help center. Make another member "
        "a manager first."
    ) % {"user": membership.user}


# --- revisions -------------------------------------------------------------


@contextlib.contextmanager
def _article_revision(
    *, article_getter, user, comment: str, action: str
) -> Iterator[None]:
    """Run the block in a transaction that records one tagged revision.

    The article is added to the revision last, after its parts were written,
    so the revision holds exactly the parts that exist when it commits.
    """
    tenant = require_current_tenant()
    if reversion.is_active():
        # Inside an outer revision (the admin's): it records and tags it.
        with transaction.atomic():
            yield
            reversion.add_to_revision(article_getter())
            reversion.set_comment(comment)
        return
    with transaction.atomic(), reversion.create_revision(atomic=False):
        if user is not None:
            reversion.set_user(user)
        reversion.set_comment(comment)
        yield
        article = article_getter()
        reversion.add_to_revision(article)
        reversion.add_meta(RevisionMeta, tenant=tenant, article_id=article.pk, action=action)


def _check_tenant(article: Article) -> Tenant:
    tenant = require_current_tenant()
    if article.tenant_id != tenant.pk:
        # Answer as for a missing article: never reveal another tenant's rows.
        raise Article.DoesNotExist
    return tenant


def _check_lock(article: Article, expected_version: int | None) -> None:
    if expected_version is not None and int(expected_version) != article.lock_version:
        raise ConcurrentEditError(article, int(expected_version))


# --- articles --------------------------------------------------------------

PART_FIELDS = {
    "steps": ("title", "body"),
    "requirements": ("text",),
    "tips": ("text",),
    "faqs": ("question", "answer"),
}


def _write_parts(article: Article, parts: dict[str, list[dict]]) -> None:
    """Make each listed kind of part exactly the given list, in order.

    An item with an ``id`` updates that part; one without creates a part;
    existing parts not listed are deleted. ``sort_order`` follows the list.
    """
    for kind, items in parts.items():
        model = PART_MODELS[kind]
        existing = {part.pk: part for part in getattr(article, kind).all()}
        keep = set()
        for position, item in enumerate(items):
            item = dict(item)
            part_id = item.pop("id", None)
            if part_id is not None:
                try:
                    part = existing[int(part_id)]
                except (KeyError, ValueError, TypeError):
                    raise ValidationError(
                        _("This article has no %(kind)s with id %(id)s.")
                        % {"kind": model._meta.verbose_name, "id": part_id}
                    ) from None
            else:
                part = model(tenant_id=article.tenant_id, article=article)
            for field, value in item.items():
                setattr(part, field, value)
            part.sort_order = position
            if kind == "steps" and part.channel_id is not None:
                if part.channel.carrier_id != article.carrier_id:
                    raise ValidationError(
                        _("A step's channel must belong to the article's carrier.")
                    )
            part.full_clean(exclude=["article", "tenant"])
            part.save()
            keep.add(part.pk)
        for pk, part in existing.items():
            if pk not in keep:
                part.delete()
        if hasattr(article, "_prefetched_objects_cache"):
            article._prefetched_objects_cache.pop(kind, None)


def article_create(
    *,
    user,
    slug: str,
    carrier=None,
    card_type=None,
    parts: dict[str, list[dict]] | None = None,
    comment: str = "",
    **fields: Any,
) -> Article:
    """Create a draft article in the current tenant, with its parts."""
    tenant = require_current_tenant()
    require_role(tenant=tenant, user=user, role=Membership.Role.EDITOR)
    for obj in (carrier, card_type):
        if obj is not None and obj.tenant_id != tenant.pk:
            raise ValidationError(_("Carrier and card type must belong to this help center."))
    article = Article(
        tenant=tenant,
        slug=slug,
        carrier=carrier,
        card_type=card_type,
        author=user,
        status=Article.Status.DRAFT,
        **fields,
    )
    article.full_clean()
    with _article_revision(
        article_getter=lambda: article,
        user=user,
        comment=comment or _("Created"),
        action=Action.CREATE,
    ):
        article.save()
        if parts:
            _write_parts(article, parts)
    return article


def article_update(
    *,
    article: Article,
    user,
    comment: str = "",
    expected_version: int | None = None,
    parts: dict[str, list[dict]] | None = None,
    **fields: Any,
) -> Article:
    """Change an article's fields and parts; a published article stays a draft
    for readers until it is published again."""
    tenant = _check_tenant(article)
    require_role(tenant=tenant, user=user, role=Membership.Role.EDITOR)
    with _article_revision(
        article_getter=lambda: article,
        user=user,
        comment=comment or _("Edited"),
        action=Action.EDIT,
    ):
        locked = Article.objects.select_for_update().get(pk=article.pk)
        _check_lock(locked, expected_version)
        for field, value in fields.items():
            setattr(article, field, value)
        for obj in (article.carrier, article.card_type):
            if obj is not None and obj.tenant_id != tenant.pk:
                raise ValidationError(_("Carrier and card type must belong to this help center."))
        if article.status in (Article.Status.PUBLISHED, Article.Status.REVIEW):
            article.status = Article.Status.DRAFT
        article.lock_version = locked.lock_version + 1
        article.full_clean()
        before = translation_state.language_texts(locked)
        if parts:
            _write_parts(article, parts)
        article.translation_state = translation_state.record_edit(
            locked.translation_state,
            changed=translation_state.changed_languages(
                before, translation_state.language_texts(article)
            ),
            source=tenant.default_language,
            now=timezone.now(),
        )
        article.save()
    return article


def article_reorder_parts(
    *, article: Article, user, kind: str, ordered_ids: list[int], comment: str = ""
) -> Article:
    """Put the parts of one kind in the given order (all ids, each once)."""
    if kind not in PART_MODELS:
        raise ValidationError(_("Unknown part kind %(kind)s.") % {"kind": kind})
    current = list(getattr(article, kind).values_list("pk", flat=True))
    ordered_ids = [int(pk) for pk in ordered_ids]
    if sorted(current) != sorted(ordered_ids):
        raise ValidationError(_("The new order must list every part exactly once."))
    return article_update(
        article=article,
        user=user,
        comment=comment or _("Reordered %(kind)s") % {"kind": kind},
        parts={kind: [{"id": pk} for pk in ordered_ids]},
    )


def _set_status(article: Article, user, status: str, action: str, comment: str) -> Article:
    with _article_revision(
        article_getter=lambda: article, user=user, comment=comment, action=action
    ):
        article.status = status
        article.lock_version += 1
        article.save(update_fields=["status", "lock_version", "updated_at"])
    return article


def article_submit(*, article: Article, user, comment: str = "") -> Article:
    """Ask a reviewer to publish the article."""
    tenant = _check_tenant(article)
    require_role(tenant=tenant, user=user, role=Membership.Role.EDITOR)
    if article.status == Article.Status.ARCHIVED:
        raise ValidationError(_("An archived article cannot be submitted; restore it first."))
    return _set_status(
        article, user, Article.Status.REVIEW, Action.SUBMIT, comment or _("Submitted for review")
    )


def validate_publishable(article: Article, tenant: Tenant) -> list[str]:
    """Return the languages the article can be published in, or raise."""
    languages = article_languages(article, tenant.ordered_languages())
    if tenant.default_language not in languages:
        raise ValidationError(
            _("Write a title in the help center's default language (%(lang)s) before publishing.")
            % {"lang": get_language_info(tenant.default_language)["name_translated"]}
        )
    if not article.steps.exists():
        raise ValidationError(_("An article needs at least one step before it is published."))
    return languages


def article_publish(*, article: Article, user, comment: str = "") -> Publication:
    """Freeze the article as readers will see it, in every language it has."""
    tenant = _check_tenant(article)
    require_role(tenant=tenant, user=user, role=Membership.Role.REVIEWER)
    with transaction.atomic():
        article = Article.objects.with_parts().select_for_update(of=("self",)).get(pk=article.pk)
        languages = validate_publishable(article, tenant)
        published_at = timezone.now()
        content = {
            lang: build_snapshot(article, lang, tenant.default_language) for lang in languages
        }
        for lang, snapshot in content.items():
            render_article_body(
                snapshot,
                language=lang,
                default_language=tenant.default_language,
                published_at=published_at,
            )
        with _article_revision(
            article_getter=lambda: article,
            user=user,
            comment=comment or _("Published"),
            action=Action.PUBLISH,
        ):
            article.status = Article.Status.PUBLISHED
            article.lock_version += 1
            article.save(update_fields=["status", "lock_version", "updated_at"])
        revision = (
            Revision.objects.filter(
                meta__tenant=tenant, meta__article_id=article.pk, meta__action=Action.PUBLISH
            )
            .order_by("-pk")
            .first()
        )
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
        transaction.on_commit(lambda: publication_changed(article))
    return publication


def article_unpublish(*, article: Article, user, comment: str = "") -> Article:
    """Take the article off the public site; the working copy stays."""
    tenant = _check_tenant(article)
    require_role(tenant=tenant, user=user, role=Membership.Role.REVIEWER)
    with transaction.atomic():
        Publication.objects.filter(article=article).delete()
        _set_status(article, user, Article.Status.DRAFT, Action.UNPUBLISH, comment or _("Unpublished"))
        transaction.on_commit(lambda: publication_changed(article))
    return article


def article_archive(*, article: Article, user, comment: str = "") -> Article:
    """Retire the article: off the public site, kept with its history."""
    tenant = _check_tenant(article)
    require_role(tenant=tenant, user=user, role=Membership.Role.REVIEWER)
    with transaction.atomic():
        Publication.objects.filter(article=article).delete()
        _set_status(article, user, Article.Status.ARCHIVED, Action.ARCHIVE, comment or _("Archived"))
        transaction.on_commit(lambda: publication_changed(article))
    return article


def article_revisions(*, article: Article):
    """Return the article's revisions, newest first (tenant-checked)."""
    tenant = _check_tenant(article)
    return (
        Revision.objects.filter(meta__tenant=tenant, meta__article_id=article.pk)
        .select_related("user", "meta")
        .order_by("-date_created", "-pk")
    )


def _tenant_revision(tenant: Tenant, revision_id) -> Revision:
    try:
        return Revision.objects.get(pk=int(revision_id), meta__tenant=tenant)
    except (Revision.DoesNotExist, ValueError, TypeError):
        raise Revision.DoesNotExist(_("No such revision in this help center.")) from None


def article_revert(*, article: Article, user, revision_id: int, comment: str = "") -> Article:
    """Restore the article to a revision: every language, exactly its parts.

    Parts added after the revision are deleted (``delete=True``). The article
    becomes a draft: readers keep the last publication until someone
    publishes. The revert itself is recorded as a new revision.
    """
    tenant = _check_tenant(article)
    require_role(tenant=tenant, user=user, role=Membership.Role.EDITOR)
    revision = _tenant_revision(tenant, revision_id)
    if not revision.version_set.filter(
        content_type__model="article", object_id=str(article.pk)
    ).exists():
        raise Revision.DoesNotExist(_("That revision is not of this article."))
    with transaction.atomic():
        current_lock = Article.objects.select_for_update().get(pk=article.pk).lock_version
        revision.revert(delete=True)
        restored = Article.objects.get(pk=article.pk)
        with _article_revision(
            article_getter=lambda: restored,
            user=user,
            comment=comment
            or _("Reverted to the version of %(date)s")
            % {"date": timezone.localtime(revision.date_created).strftime("%Y-%m-%d %H:%M")},
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
        raise Version.DoesNotExist(_("No such deleted article in this help center.")) from None
    with transaction.atomic():
        version.revision.revert(delete=True)
        article = Article.objects.get(pk=int(version.object_id))
        with _article_revision(
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


def article_delete(*, article: Article, user, comment: str = "") -> None:
    """Delete an article; its revisions stay, so it can be recovered."""
    tenant = _check_tenant(article)
    require_role(tenant=tenant, user=user, role=Membership.Role.REVIEWER)
    with transaction.atomic():
        # A last revision of the state being deleted, so recovery is exact.
        with _article_revision(
            article_getter=lambda: article,
            user=user,
            comment=comment or _("Deleted"),
            action=Action.DELETE,
        ):
            pass
        was_published = Publication.objects.filter(article=article).exists()
        article_id = article.pk
        article.delete()
        from guides.search.indexing import unindex_article

        transaction.on_commit(
            lambda: unindex_article(tenant_id=tenant.pk, article_id=article_id)
        )
        if was_published:
            transaction.on_commit(lambda: bump_content_generation(tenant.pk))


# --- reader feedback ---------------------------------------------------------

FEEDBACK_LIMIT = 5  # votes per reader and article ...
FEEDBACK_WINDOW = 3600  # ... per this many seconds


class FeedbackRateLimited(Exception):
    """The reader sent too much feedback on this article recently."""


def feedback_client_hash(address: str) -> str:
    """Return a salted SHA-256 of the reader's address (never stored in clear)."""
    from django.utils.crypto import salted_hmac

    return salted_hmac("guides.feedback.client", address or "", algorithm="sha256").hexdigest()


def feedback_submit(
    *, publication: Publication, language: str, helpful: bool, comment: str, client_address: str
) -> Feedback:
    """Store a reader's "Was this helpful?" answer, rate-limited per reader and article."""
    from django.core.cache import cache

    tenant = require_current_tenant()
    if publication.tenant_id != tenant.pk:
        raise Publication.DoesNotExist
    client_hash = feedback_client_hash(client_address)
    key = f"helpcenter:feedback:{tenant.pk}:{publication.article_id}:{client_hash}"
    cache.add(key, 0, timeout=FEEDBACK_WINDOW)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=FEEDBACK_WINDOW)
        count = 1
    if count > FEEDBACK_LIMIT:
        raise FeedbackRateLimited
    feedback = Feedback(
        tenant=tenant,
        article_id=publication.article_id,
        language=language,
        helpful=helpful,
        comment=comment.strip(),
        client_hash=client_hash,
    )
    feedback.full_clean(exclude=["tenant", "article"])
    feedback.save()
    return feedback


# --- translations, scheduling ---------------------------------------------


def article_translation_confirm(
    *, article: Article, user, language: str, comment: str = ""
) -> Article:
    """Record that ``language``'s text is current with the source language."""
    tenant = _check_tenant(article)
    require_role(tenant=tenant, user=user, role=Membership.Role.EDITOR)
    if language not in tenant.languages or language == tenant.default_language:
        raise ValidationError(_("Choose one of the help center's translation languages."))
    with _article_revision(
        article_getter=lambda: article,
        user=user,
        comment=comment or _("Confirmed the %(lang)s translation is current") % {"lang": language},
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
    tenant = _check_tenant(article)
    require_role(tenant=tenant, user=user, role=Membership.Role.REVIEWER)
    if publish_at and unpublish_at and unpublish_at <= publish_at:
        raise ValidationError(_("Unpublish after the scheduled publication, not before."))
    parts = []
    if publish_at:
        parts.append(_("publish at %(when)s") % {"when": _stamp(publish_at)})
    if unpublish_at:
        parts.append(_("unpublish at %(when)s") % {"when": _stamp(unpublish_at)})
    with _article_revision(
        article_getter=lambda: article,
        user=user,
        comment=comment
        or (_("Scheduled: %(what)s") % {"what": ", ".join(parts)} if parts else _("Schedule cleared")),
        action=Action.OTHER,
    ):
        locked = Article.objects.select_for_update().get(pk=article.pk)
        article.publish_at = publish_at
        article.unpublish_at = unpublish_at
        article.lock_version = locked.lock_version + 1
        article.save(update_fields=["publish_at", "unpublish_at", "lock_version", "updated_at"])
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
    from django.db import connection

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
                    claim = claim.select_for_update(skip_locked=True) if skip_locked else claim
                    article = claim.first()
                    if article is None:
                        continue  # Done by a concurrent run.
                    Article.objects.filter(pk=pk).update(**{field: None})
                    setattr(article, field, None)
                    if field == "publish_at":
                        article_publish(article=article, user=None, comment=_("Published as scheduled"))
                        done["published"].append(pk)
                    elif Publication.objects.filter(article_id=pk).exists():
                        article_unpublish(
                            article=article, user=None, comment=_("Unpublished as scheduled")
                        )
                        done["unpublished"].append(pk)
            except ValidationError:
                # Not publishable (no steps, no title): clear the time so the
                # job does not retry every minute; the editor sees it unset.
                Article.objects.filter(pk=pk).update(**{field: None})
                done["failed"].append(pk)
    return done


# --- help-center settings for managers ------------------------------------


@contextlib.contextmanager
def _settings_revision(*, tenant: Tenant, user, comment: str) -> Iterator[None]:
    """Run the block in one revision tagged with ``tenant``.

    Inside an outer revision (the admin's, which tags it) only the comment
    is set.
    """
    if reversion.is_active():
        with transaction.atomic():
            yield
            reversion.set_comment(comment)
        return
    with transaction.atomic(), reversion.create_revision(atomic=False):
        if user is not None:
            reversion.set_user(user)
        reversion.set_comment(comment)
        yield
        reversion.add_meta(RevisionMeta, tenant=tenant, action=Action.OTHER)


def _owned_by(obj, tenant: Tenant) -> bool:
    """Return whether ``obj`` is ``tenant`` or its row (or a new row)."""
    if isinstance(obj, Tenant):
        return obj.pk == tenant.pk
    return obj.tenant_id in (None, tenant.pk)


def settings_object_save(*, obj, user, comment: str = ""):
    """Save a carrier, channel, card type, synonym group, domain, membership or
    the tenant itself, as a manager of the current tenant, in one revision."""
    tenant = require_current_tenant()
    require_role(tenant=tenant, user=user, role=Membership.Role.MANAGER)
    if not _owned_by(obj, tenant):
        raise PermissionDenied(_("That belongs to another help center."))
    if not isinstance(obj, Tenant) and obj.tenant_id is None:
        obj.tenant = tenant
    obj.full_clean()
    with _settings_revision(
        tenant=tenant, user=user, comment=comment or _("Changed %(object)s") % {"object": obj}
    ):
        obj.save()
        if reversion.is_registered(type(obj)):
            reversion.add_to_revision(obj)
    return obj


def settings_object_delete(*, obj, user, comment: str = "") -> None:
    """Delete a manager-edited object of the current tenant (versioned first)."""
    tenant = require_current_tenant()
    require_role(tenant=tenant, user=user, role=Membership.Role.MANAGER)
    if isinstance(obj, Tenant) or not _owned_by(obj, tenant) or obj.tenant_id is None:
        raise PermissionDenied(_("That belongs to another help center."))
    comment = comment or _("Deleted %(object)s") % {"object": obj}
    with transaction.atomic():
        # The revision is saved before the row goes: reversion serialises at
        # the end of its block and skips rows deleted by then. (Inside an
        # outer revision, the admin's, the last save's version is what a
        # recover brings back.)
        with _settings_revision(tenant=tenant, user=user, comment=comment):
            if reversion.is_registered(type(obj)):
                reversion.add_to_revision(obj)
        obj.delete()


# --- after-change hooks ----------------------------------------------------


def publication_changed(article: Article) -> None:
    """Refresh what depends on the public state: page caches (and search)."""
    from guides.search.indexing import index_article

    index_article(article)
    bump_content_generation(article.tenant_id)


def article_changed_raw(article: Article) -> None:
    """Run after a revert or recover: reversion saves raw, so no save() hook ran."""
    from guides.search.indexing import index_article

    index_article(article)
    bump_content_generation(article.tenant_id)


__all__ = [
    "ConcurrentEditError",
    "article_archive",
    "article_create",
    "article_delete",
    "article_publish",
    "article_recover",
    "article_reorder_parts",
    "article_revert",
    "article_revisions",
    "article_submit",
    "article_unpublish",
    "article_update",
    "deleted_articles",
    "feedback_submit",
    "membership_set",
    "require_role",
    "tenant_create",
    "user_role",
    "article_schedule",
    "article_translation_confirm",
    "publish_due",
    "settings_object_delete",
    "settings_object_save",
]
