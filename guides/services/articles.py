"""Articles: create, update, reorder parts, delete."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guides.cache.generations import bump_content_generation
from guides.models import (
    PART_MODELS,
    Article,
    Membership,
    Publication,
)
from guides.permissions import require_role
from guides.publishing import translation_state
from guides.services.revisions import Action, article_revision
from guides.tenancy import require_current_tenant
from guides.tenancy.context import require_owned


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


def check_lock(article: Article, expected_version: int | None) -> None:
    if expected_version is not None and int(expected_version) != article.lock_version:
        raise ConcurrentEditError(article, int(expected_version))


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
            if (
                kind == "steps"
                and part.channel_id is not None
                and part.channel.carrier_id != article.carrier_id
            ):
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
            raise ValidationError(
                _("Carrier and card type must belong to this help center.")
            )
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
    with article_revision(
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
    tenant = require_owned(article)
    require_role(tenant=tenant, user=user, role=Membership.Role.EDITOR)
    with article_revision(
        article_getter=lambda: article,
        user=user,
        comment=comment or _("Edited"),
        action=Action.EDIT,
    ):
        locked = Article.objects.select_for_update().get(pk=article.pk)
        check_lock(locked, expected_version)
        for field, value in fields.items():
            setattr(article, field, value)
        for obj in (article.carrier, article.card_type):
            if obj is not None and obj.tenant_id != tenant.pk:
                raise ValidationError(
                    _("Carrier and card type must belong to this help center.")
                )
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


def article_delete(*, article: Article, user, comment: str = "") -> None:
    """Delete an article; its revisions stay, so it can be recovered."""
    tenant = require_owned(article)
    require_role(tenant=tenant, user=user, role=Membership.Role.REVIEWER)
    with transaction.atomic():
        # A last revision of the state being deleted, so recovery is exact.
        with article_revision(
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
