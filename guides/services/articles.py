"""Articles: create, update, reorder parts, delete."""

from __future__ import annotations

from functools import partial
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
from guides.models.articles import ARTICLE_CONTENT_FIELDS
from guides.permissions import require_role
from guides.publishing import translation_state
from guides.services.effects import article_purge
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


#: The article fields the editing services take: the content, and the import
#: source the importer keeps. Everything else (status, schedule, lock, author,
#: timestamps) belongs to the workflow and scheduling services, so an edit or
#: an import can never set when an article is published.
EDITABLE_FIELDS = ARTICLE_CONTENT_FIELDS | {"source_key"}


def _check_editable(fields: dict[str, Any]) -> None:
    """Refuse any field the editing services do not own (any language column)."""
    refused = sorted(
        name
        for name in fields
        if name not in EDITABLE_FIELDS
        and name.rsplit("_", 2)[0] not in EDITABLE_FIELDS
        and name.rsplit("_", 1)[0] not in EDITABLE_FIELDS
    )
    if refused:
        raise ValidationError(
            _("These fields are not edited here: %(fields)s.")
            % {"fields": ", ".join(refused)}
        )


PART_FIELDS = {
    "steps": ("title", "body"),
    "requirements": ("text",),
    "tips": ("text",),
    "faqs": ("question", "answer"),
}


def write_ordered_rows(
    *, owner, related_name: str, items: list[dict], check=None
) -> None:
    """Make ``owner``'s rows of ``related_name`` exactly ``items``, in order.

    An item with an ``id`` updates that row; one without creates a row;
    existing rows not listed are deleted. ``sort_order`` follows the list.
    ``check(row)`` may raise ValidationError before a row is validated. Used
    for an article's parts and a carrier's channels.
    """
    relation = owner._meta.get_field(related_name)
    model, fk_name = relation.related_model, relation.field.name
    existing = {row.pk: row for row in getattr(owner, related_name).all()}
    keep = set()
    for position, item in enumerate(items):
        item = dict(item)
        row_id = item.pop("id", None)
        if row_id is not None:
            try:
                row = existing[int(row_id)]
            except (KeyError, ValueError, TypeError):
                raise ValidationError(
                    _("This %(owner)s has no %(kind)s with id %(id)s.")
                    % {
                        "owner": owner._meta.verbose_name,
                        "kind": model._meta.verbose_name,
                        "id": row_id,
                    }
                ) from None
        else:
            row = model(tenant_id=owner.tenant_id, **{fk_name: owner})
        for field, value in item.items():
            setattr(row, field, value)
        row.sort_order = position
        if check is not None:
            check(row)
        row.full_clean(exclude=[fk_name, "tenant"])
        row.save()
        keep.add(row.pk)
    for pk, row in existing.items():
        if pk not in keep:
            row.delete()
    if hasattr(owner, "_prefetched_objects_cache"):
        owner._prefetched_objects_cache.pop(related_name, None)


def _write_parts(article: Article, parts: dict[str, list[dict]]) -> None:
    """Make each listed kind of part exactly the given list, in order."""

    def check_step(step) -> None:
        if (
            step.channel_id is not None
            and step.channel.carrier_id != article.carrier_id
        ):
            raise ValidationError(
                _("A step's channel must belong to the article's carrier.")
            )

    for kind, items in parts.items():
        if kind not in PART_MODELS:
            raise ValidationError(_("Unknown part kind %(kind)s.") % {"kind": kind})
        write_ordered_rows(
            owner=article,
            related_name=kind,
            items=items,
            check=check_step if kind == "steps" else None,
        )


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
    _check_editable(fields)
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
    _check_editable(fields)
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
    """Delete an article; its revisions stay, so it can be recovered.

    The delete is recorded as the article's last revision, tagged with the
    tenant. The tenant's content generation moves on in the same transaction,
    so every page that listed it (home, carrier, card type, its own page) is
    rendered afresh on the next request; its search documents go once it
    commits.
    """
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
        # The publication goes with the row (its foreign key cascades).
        article.delete()
        if was_published:
            # Readers saw it: every page that listed it changes with the commit.
            bump_content_generation(tenant.pk)
            article_purge(article, article_id=article_id)
        transaction.on_commit(
            partial(_unindex, tenant_id=tenant.pk, article_id=article_id), robust=True
        )


def _unindex(*, tenant_id: int, article_id: int) -> None:
    """Drop a deleted article's search documents."""
    from guides.search.indexing import unindex_article

    unindex_article(tenant_id=tenant_id, article_id=article_id)
