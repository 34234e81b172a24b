"""History: revisions, revert, deleted rows and recovery.

A revert or a recover restores content only. For an article that is its
texts in every language, its parts (steps, requirements, tips, FAQs), its
slug, carrier and card type: never its status, schedule, publication, edit
version, author or import source, which only the workflow services change
(``ARTICLE_CONTENT`` and ``ARTICLE_KEPT``; a test fails on a field that is
in neither). Settings objects (carriers with their channels, card types,
synonym groups, the tenant with its domains, memberships) restore every
field but their key, tenant and timestamps, and a tenant's slug stays a
superuser's.

The rows are written with ordinary, validated saves, not with reversion's
``Revision.revert()``. That one reverts every object of a revision (which may
hold more than the one asked for), restores every field, saves raw (no
validation, no ``save()`` hooks), and lets a slug taken since or a carrier
deleted since fail as an IntegrityError, at the commit for a foreign key.
Here each conflict is checked first and answers a ValidationError that says
which; the database constraints stay the last word, and a violation of one
answers a ValidationError too.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial

import reversion
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from reversion.errors import RevertError
from reversion.models import Revision, Version

from guides.models import (
    PART_MODELS,
    Article,
    CardType,
    Carrier,
    Channel,
    Domain,
    Membership,
    RevisionMeta,
    Tenant,
)
from guides.models.articles import ARTICLE_CONTENT_FIELDS
from guides.permissions import require_role
from guides.services.effects import content_changed, publication_changed
from guides.services.members import membership_role_check
from guides.services.revisions import (
    VERSIONED,
    Action,
    article_revision,
    settings_revision,
)
from guides.services.tenants import follow_languages
from guides.tenancy import TenantOwned, require_current_tenant
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


#: The article fields a revert or recover restores: its content. Translated
#: fields are restored in every language.
ARTICLE_CONTENT = ARTICLE_CONTENT_FIELDS | {"translation_state"}
#: The article fields a revert keeps as they are now. Status, schedule and
#: edit version are reviewer-only or lock state: a revision must never hand
#: them back (an old ``publish_at`` once got an editor's text published).
ARTICLE_KEPT = frozenset(
    {
        "id",
        "tenant",
        "status",
        "author",
        "publish_at",
        "unpublish_at",
        "source_key",
        "lock_version",
        "created_at",
        "updated_at",
        # Freshness is what someone checked since, not content: a revert
        # never undoes a verification (guides/services/freshness.py).
        "last_verified_at",
        "last_verified_by",
        "review_interval_days",
    }
)
#: Fields of a settings object a revert keeps, beyond key, tenant and
#: timestamps: a membership stays the same person's, and a tenant's slug
#: names it in commands and imports (superusers restore it).
SETTINGS_KEPT = {Tenant: frozenset({"slug"}), Membership: frozenset({"user"})}
#: Fields that prove another field (a domain's verification proves its host)
#: are never restored: they stay as they are while the proved field keeps its
#: value, and are cleared when it changes or the row comes back, so a host
#: a revert brings back must be proved again.
PROOFS = {Domain: ("host", frozenset({"verified_at", "verified_via"}))}


def _restored_fields(model, *, only=None, skip=frozenset()) -> list:
    """Return the concrete fields of ``model`` a restore writes.

    A translated field is written language by language (``title_en``); its
    original column is modeltranslation's to keep in step. The key and the
    automatic timestamps are never written.
    """
    fields = list(model._meta.concrete_fields)
    originals = {
        f.translated_field.name for f in fields if hasattr(f, "translated_field")
    }
    chosen = []
    for field in fields:
        base = getattr(field, "translated_field", None)
        name = field.name if base is None else base.name
        if base is None and name in originals:
            continue
        if field.primary_key or name in skip or (only is not None and name not in only):
            continue
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            continue
        chosen.append(field)
    return chosen


def _copy(source, target, fields) -> None:
    for field in fields:
        setattr(target, field.attname, getattr(source, field.attname))


def _refusal(obj, exc: ValidationError) -> ValidationError:
    """Return ``exc`` as messages naming ``obj`` and each field's label."""
    if not hasattr(exc, "error_dict"):
        return ValidationError(
            [
                _("%(object)s: %(reason)s") % {"object": _describe(obj), "reason": m}
                for m in exc.messages
            ]
        )
    messages = []
    for name, errors in exc.error_dict.items():
        label = (
            None
            if name == NON_FIELD_ERRORS
            else capfirst(obj._meta.get_field(name).verbose_name)
        )
        for error in errors:
            for message in error.messages:
                if error.code in ("unique", "unique_together") and label:
                    # Never say who holds it: it may be another help center.
                    message = _("“%(value)s” is not available.") % {
                        "value": getattr(obj, name, "")
                    }
                elif error.code in ("unique", "unique_together"):
                    message = _("This combination is not available.")
                messages.append(
                    _("%(object)s, %(field)s: %(reason)s")
                    % {"object": _describe(obj), "field": label, "reason": message}
                    if label
                    else _("%(object)s: %(reason)s")
                    % {"object": _describe(obj), "reason": message}
                )
    return ValidationError(messages)


def _describe(obj) -> str:
    return f"{capfirst(obj._meta.verbose_name)} “{obj}”"


def _clean(obj, *, exclude=None) -> None:
    try:
        obj.full_clean(exclude=exclude)
    except ValidationError as exc:
        raise _refusal(obj, exc) from None


@contextlib.contextmanager
def _constraints_answer_plainly(tables) -> Iterator[None]:
    """Run the block in a savepoint; a violated constraint is a ValidationError.

    Foreign keys are checked at the end of the block, not at the commit
    (they are deferred on both backends), so the caller can still answer.
    """
    try:
        with transaction.atomic():
            yield
            connection.check_constraints(table_names=tables)
    except IntegrityError:
        raise ValidationError(
            _(
                "That version cannot be restored: it conflicts with changes made "
                "since. Nothing was changed."
            ),
            code="conflict",
        ) from None


def _last_name(model, pk, tenant: Tenant) -> str:
    """Return how the row ``pk`` of ``model`` was last shown (it may be gone)."""
    version = (
        Version.objects.get_for_object_reference(model, str(pk))
        .filter(revision__meta__tenant=tenant)
        .order_by("-pk")
        .first()
    )
    if version is None:
        return f"#{pk}"
    try:
        return str(version._object_version.object)
    except RevertError:
        return version.object_repr


def _restore_rows(*, owner, related_name: str, rows: list, prepare=None) -> None:
    """Make ``owner``'s rows of ``related_name`` exactly ``rows``, in order.

    ``rows`` are unsaved instances read from a version. A row that exists is
    updated, one that is gone comes back with its old key (a fresh one if
    another owner's row has it), and rows not listed are deleted first.
    ``prepare(row)`` may adjust a row before it is validated.
    """
    relation = owner._meta.get_field(related_name)
    model, fk = relation.related_model, relation.field
    proved, proof = PROOFS.get(model, (None, frozenset()))
    fields = _restored_fields(model, skip={"tenant", fk.name} | proof)
    wanted = {row.pk for row in rows}
    existing = {
        row.pk: row for row in model._base_manager.filter(**{fk.name: owner.pk})
    }
    for pk, row in existing.items():
        if pk not in wanted:
            row.delete()
    elsewhere = set(
        model._base_manager.filter(pk__in=wanted - existing.keys()).values_list(
            "pk", flat=True
        )
    )
    # A unique flag held by one row at a time moves off before it moves on.
    order = _SAVE_ORDER.get(model, lambda row: 0)
    restored = []
    for old in rows:
        row = existing.get(old.pk)
        adding = row is None
        if adding:
            row = model(pk=None if old.pk in elsewhere else old.pk)
        before = getattr(row, proved) if proved else None
        _copy(old, row, fields)
        if proved and getattr(row, proved) != before:
            for name in proof:
                field = model._meta.get_field(name)
                setattr(row, field.attname, field.get_default())
        setattr(row, fk.attname, owner.pk)
        if hasattr(row, "tenant_id") and fk.name != "tenant":
            row.tenant_id = owner.tenant_id
        if prepare is not None:
            prepare(row)
        _clean(row, exclude=[fk.name, "tenant"])
        restored.append((adding, row))
    for adding, row in sorted(restored, key=lambda item: order(item[1])):
        row.save(force_insert=adding)
    if hasattr(owner, "_prefetched_objects_cache"):
        owner._prefetched_objects_cache.pop(related_name, None)


_SAVE_ORDER = {Domain: lambda domain: domain.is_primary}


# --- articles -------------------------------------------------------------------


@dataclass
class _ArticleState:
    """An article and its parts as a revision holds them (unsaved)."""

    article: Article
    parts: dict[str, list]


def _article_state(revision: Revision, article_id: int) -> _ArticleState:
    kinds = {model: kind for kind, model in PART_MODELS.items()}
    article, parts = None, {kind: [] for kind in PART_MODELS}
    try:
        for version in revision.version_set.all():
            model = version._model
            if model is Article and version.object_id == str(article_id):
                article = version._object_version.object
            elif model in kinds:
                part = version._object_version.object
                if part.article_id == article_id:
                    parts[kinds[model]].append(part)
    except RevertError as exc:
        raise ValidationError(str(exc)) from None
    if article is None:
        raise Revision.DoesNotExist(_("That revision is not of this article."))
    for rows in parts.values():
        rows.sort(key=lambda part: (part.sort_order, part.pk))
    return _ArticleState(article=article, parts=parts)


def _check_article_references(article: Article, tenant: Tenant) -> None:
    """Refuse a carrier or card type deleted since, by name."""
    for model, pk in ((Carrier, article.carrier_id), (CardType, article.card_type_id)):
        if pk is not None and not model.objects.filter(pk=pk).exists():
            raise ValidationError(
                _(
                    "That version's %(kind)s “%(name)s” has been deleted since, so "
                    "it cannot be restored. Choose another %(kind)s by editing the "
                    "article, or recreate the %(kind)s first."
                )
                % {
                    "kind": model._meta.verbose_name,
                    "name": _last_name(model, pk, tenant),
                },
                code="deleted_reference",
            )


def _check_article_slug(article: Article, *, recovering: bool) -> None:
    other = Article.objects.filter(slug=article.slug).exclude(pk=article.pk).first()
    if other is None:
        return
    message = _("The slug “%(slug)s” is now used by the article “%(other)s”.") % {
        "slug": article.slug,
        "other": other,
    }
    hint = (
        _("Recover this article under another slug.")
        if recovering
        else _("Change the slug of one of them first.")
    )
    raise ValidationError(f"{message} {hint}", code="duplicate_slug")


def _restore_article(
    article: Article, state: _ArticleState, tenant: Tenant, *, adding: bool
) -> None:
    """Write ``state``'s content onto ``article`` and its parts, validated.

    The caller has set the kept fields (status, edit version, ...); ``slug``
    may already be the caller's choice.
    """
    slug = article.slug if adding and article.slug else None
    _copy(state.article, article, _restored_fields(Article, only=ARTICLE_CONTENT))
    if slug:
        article.slug = slug
    _check_article_references(article, tenant)
    _check_article_slug(article, recovering=adding)
    _clean(article)

    def keep_live_channel(step) -> None:
        # A channel deleted since (or of another carrier) is dropped, as its
        # deletion did to every step that used it.
        if (
            step.channel_id is not None
            and not Channel.objects.filter(
                pk=step.channel_id, carrier_id=article.carrier_id
            ).exists()
        ):
            step.channel_id = None

    tables = [Article._meta.db_table] + [m._meta.db_table for m in PART_MODELS.values()]
    with _constraints_answer_plainly(tables):
        article.save(force_insert=adding)
        for kind, rows in state.parts.items():
            _restore_rows(
                owner=article,
                related_name=kind,
                rows=rows,
                prepare=keep_live_channel if kind == "steps" else None,
            )


def _stamp(revision: Revision) -> str:
    return timezone.localtime(revision.date_created).strftime("%Y-%m-%d %H:%M")


def article_revert(
    *, article: Article, user, revision_id: int, comment: str = ""
) -> Article:
    """Restore the article's content to a revision: every language, exactly its parts.

    Parts added after the revision are deleted. Status, schedule, publication,
    edit version, author and import source stay as they are (the edit version
    goes up). The article becomes a draft: readers keep the last publication
    until someone publishes. The revert is recorded as a new revision. A
    conflict (slug taken since, carrier or card type deleted since, a field
    no longer valid) raises ValidationError and changes nothing.
    """
    tenant = require_owned(article)
    require_role(tenant=tenant, user=user, role=Membership.Role.EDITOR)
    revision = _tenant_revision(tenant, revision_id)
    state = _article_state(revision, article.pk)
    with transaction.atomic():
        restored = Article.objects.select_for_update().get(pk=article.pk)
        with article_revision(
            article_getter=lambda: restored,
            user=user,
            comment=comment
            or _("Reverted to the version of %(date)s") % {"date": _stamp(revision)},
            action=Action.REVERT,
        ):
            # The locked row's values: a stale copy never winds them back.
            restored.lock_version += 1
            if restored.status != Article.Status.ARCHIVED:
                restored.status = Article.Status.DRAFT
            _restore_article(restored, state, tenant, adding=False)
        publication_changed(restored)
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


def article_recover(
    *, version_id: int, user, slug: str = "", comment: str = ""
) -> Article:
    """Bring back a deleted article with all its parts and translations.

    It comes back as a draft with no schedule and no publication. ``slug``
    replaces the version's slug (for one taken since). A conflict raises
    ValidationError and changes nothing.
    """
    tenant = require_current_tenant()
    require_role(tenant=tenant, user=user, role=Membership.Role.EDITOR)
    candidates = {v.pk: v for v in deleted_articles(tenant=tenant)}
    try:
        version = candidates[int(version_id)]
    except (KeyError, ValueError, TypeError):
        raise Version.DoesNotExist(
            _("No such deleted article in this help center.")
        ) from None
    state = _article_state(version.revision, int(version.object_id))
    source = state.article
    author_id = source.author_id
    if not get_user_model()._base_manager.filter(pk=author_id).exists():
        author_id = None
    # The import source names one article: a newer import of it keeps it.
    source_key = source.source_key
    if source_key and Article.objects.filter(source_key=source_key).exists():
        source_key = ""
    article = Article(
        pk=source.pk,
        tenant=tenant,
        slug=(slug or "").strip(),
        status=Article.Status.DRAFT,
        author_id=author_id,
        source_key=source_key,
        # Above any value a stale tab may still hold.
        lock_version=source.lock_version + 1,
    )
    with transaction.atomic():
        with article_revision(
            article_getter=lambda: article,
            user=user,
            comment=comment or _("Recovered"),
            action=Action.RECOVER,
        ):
            _restore_article(article, state, tenant, adding=True)
            if source.created_at:
                Article.objects.filter(pk=article.pk).update(
                    created_at=source.created_at
                )
                article.created_at = source.created_at
        publication_changed(article)
    return article


# --- settings objects -------------------------------------------------------------


def _settings_tenant(model, obj=None, version: Version | None = None) -> Tenant:
    """Return the tenant a settings row (or a version of a gone one) belongs to."""
    if issubclass(model, TenantOwned):
        return require_current_tenant()
    if obj is not None:
        return obj if isinstance(obj, Tenant) else obj.tenant
    tenant_id = _tagged_tenant_id(version) if version is not None else None
    if tenant_id is None or model is Tenant:
        # A deleted help center takes its revisions' tags with it.
        raise Version.DoesNotExist(_("No such version in this help center."))
    return Tenant.objects.get(pk=tenant_id)


def _tagged_tenant_id(version: Version) -> int | None:
    try:
        return version.revision.meta.tenant_id
    except RevisionMeta.DoesNotExist:
        return None


def _settings_version(model, version_id, **filters) -> Version:
    try:
        return Version.objects.select_related("revision").get(
            pk=int(version_id),
            content_type=ContentType.objects.get_for_model(model),
            **filters,
        )
    except (Version.DoesNotExist, ValueError, TypeError):
        raise Version.DoesNotExist(_("No such version in this help center.")) from None


def _settings_object(model, object_id):
    manager = model.objects if issubclass(model, TenantOwned) else model._base_manager
    try:
        return manager.get(pk=object_id)
    except (model.DoesNotExist, ValueError, TypeError):
        raise model.DoesNotExist from None


def _restore_settings_object(obj, version: Version, user, *, adding: bool, rules: bool):
    """Write the version onto ``obj`` (and its followed rows), validated."""
    model = type(obj)
    try:
        source = version._object_version.object
        rows = [v._object_version.object for v in version.revision.version_set.all()]
    except RevertError as exc:
        raise ValidationError(str(exc)) from None
    skip = {"tenant"} | PROOFS.get(model, (None, frozenset()))[1]
    if not adding:
        skip |= SETTINGS_KEPT.get(model, set())
    if model is Tenant and (user is None or user.is_superuser):
        skip.discard("slug")
    _copy(source, obj, _restored_fields(model, skip=skip))
    if rules and isinstance(obj, Membership) and not adding:
        # The table still holds today's roles: the rule sees who manages now.
        membership_role_check(membership=obj, role=obj.role)
    _clean(obj)
    tables = [model._meta.db_table]
    follow = VERSIONED.get(model, ())
    for name in follow:
        tables.append(model._meta.get_field(name).related_model._meta.db_table)
    with _constraints_answer_plainly(tables):
        obj.save(force_insert=adding)
        for name in follow:
            relation = model._meta.get_field(name)
            _restore_rows(
                owner=obj,
                related_name=name,
                rows=sorted(
                    (
                        row
                        for row in rows
                        if isinstance(row, relation.related_model)
                        and getattr(row, relation.field.attname) == obj.pk
                    ),
                    key=lambda row: (getattr(row, "sort_order", 0), row.pk),
                ),
            )
    if reversion.is_active() and reversion.is_registered(model):
        reversion.add_to_revision(obj)


def _settings_restore(model, version_id, user, *, object_id=None):
    """Return ``(obj, version, tenant, adding)``, checked, nothing written."""
    if model is Article or model in PART_MODELS.values():
        # Every field but the key would come back: articles restore content
        # only, through article_revert and article_recover.
        raise TypeError(f"{model.__name__} is not a settings object.")
    if object_id is not None:
        obj = _settings_object(model, object_id)
        tenant = _settings_tenant(model, obj=obj)
        version = _settings_version(
            model, version_id, object_id=str(obj.pk), revision__meta__tenant=tenant
        )
        adding = False
    else:
        if model is Membership:
            # Membership needs the person's consent (an accepted invitation):
            # a recover would enrol them again without asking.
            raise ValidationError(
                _(
                    "A removed member comes back only by accepting a new "
                    "invitation. Invite them again."
                )
            )
        version = _settings_version(model, version_id)
        tenant = _settings_tenant(model, version=version)
        if _tagged_tenant_id(version) != tenant.pk:
            raise Version.DoesNotExist(_("No such version in this help center."))
        if model._base_manager.filter(pk=version.object_id).exists():
            # Not deleted: that is a revert, under the object's own URL.
            raise Version.DoesNotExist(_("No such deleted object in this help center."))
        try:
            obj = model(pk=version._object_version.object.pk)
        except RevertError as exc:
            raise ValidationError(str(exc)) from None
        if model is not Tenant:
            obj.tenant = tenant
        adding = True
    require_role(tenant=tenant, user=user, role=Membership.Role.MANAGER)
    return obj, version, tenant, adding


def settings_object_revert(*, model, object_id, version_id, user, comment: str = ""):
    """Restore a settings object (and the rows its revision follows) to a version.

    For a carrier, card type, synonym group, membership or the tenant, as a
    manager of its tenant: one transaction, one revision tagged with the
    tenant, page caches moved on after the commit. The version must be of
    ``model`` and of that object. A conflict raises ValidationError; the
    last manager stays a manager.
    """
    obj, version, tenant, _adding = _settings_restore(
        model, version_id, user, object_id=object_id
    )
    with transaction.atomic():
        with settings_revision(
            tenant=tenant,
            user=user,
            comment=comment
            or _("Reverted %(object)s to the version of %(date)s")
            % {"object": obj, "date": _stamp(version.revision)},
        ):
            _restore_settings_object(obj, version, user, adding=False, rules=True)
        _settings_restored(obj, tenant.pk)
    return obj


def settings_object_recover(*, model, version_id, user, comment: str = ""):
    """Bring back a deleted settings object (and its followed rows) from a version.

    As ``settings_object_revert``; the version must be the tenant's and its
    object deleted. A help center itself is not recovered here.
    """
    obj, version, tenant, _adding = _settings_restore(model, version_id, user)
    with transaction.atomic():
        with settings_revision(
            tenant=tenant,
            user=user,
            comment=comment
            or _("Recovered %(object)s") % {"object": version.object_repr},
        ):
            _restore_settings_object(obj, version, user, adding=True, rules=True)
        _settings_restored(obj, tenant.pk)
    return obj


def _settings_restored(obj, tenant_id: int) -> None:
    """Refresh what a restored settings object feeds, in the transaction.

    Reversion saves raw, so the services' own effects did not run: pages
    change with the transaction (host lookups too, through the receivers of
    tenant and domain saves), and the search index follows the tenant's
    languages once the restore commits.
    """
    content_changed(tenant_id)
    if isinstance(obj, Tenant):
        transaction.on_commit(partial(follow_languages, tenant_id), robust=True)


@contextlib.contextmanager
def settings_object_preview(*, model, version_id, user, object_id=None):
    """Yield the object as a revert (or, without ``object_id``, a recover) of
    the version would write it, and keep nothing.

    The admin shows a version in the object's own change form, which reads
    the row and its inlines from the database; so the version is written in
    a transaction that is always rolled back. Checks as the real thing, but
    for rules that only the saving applies (the last manager).
    """
    obj, version, _tenant, adding = _settings_restore(
        model, version_id, user, object_id=object_id
    )
    with transaction.atomic():
        try:
            _restore_settings_object(obj, version, user, adding=adding, rules=False)
            yield obj
        finally:
            transaction.set_rollback(True)
