"""Assisted conversion: Traditional Chinese drafts made from Simplified Chinese.

``article_convert_to_traditional`` fills every empty ``zh-hant`` field of an
article and of its parts from the ``zh-hans`` text, with the tenant's variant
(``Tenant.chinese_variant``: Taiwan or Hong Kong wording, through OpenCC in
``guides.publishing.chinese``). Fields an editor already wrote are kept.
The language is then marked machine-converted: it is never published until
an editor confirms it (``services.article_translation_confirm``), and a later
change of the Simplified source marks it outdated like any translation.

``catalog_convert_to_traditional`` does the same for the tenant's carriers,
channels and card types, whose names appear on every page.
"""

from __future__ import annotations

import reversion
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from modeltranslation.utils import build_localized_fieldname

from guides.models import PART_MODELS, Article, CardType, Carrier, Channel, Membership
from guides.permissions import require_role
from guides.publishing import translation_state
from guides.publishing.chinese import to_traditional
from guides.services.catalog import _catalogue_changed, _manager_tenant
from guides.services.revisions import Action, article_revision, settings_revision
from guides.tenancy.context import require_owned

SOURCE = "zh-hans"
TARGET = "zh-hant"

CATALOG_FIELDS = {
    Carrier: ("name", "description"),
    Channel: ("label", "opening_hours"),
    CardType: ("name", "description"),
}


def _fill(obj, fields, variant: str) -> list[str]:
    """Fill ``obj``'s empty TARGET fields from SOURCE; return the names filled."""
    filled = []
    for field in fields:
        source = getattr(obj, build_localized_fieldname(field, SOURCE), "") or ""
        target_name = build_localized_fieldname(field, TARGET)
        if source.strip() and not (getattr(obj, target_name, "") or "").strip():
            setattr(obj, target_name, to_traditional(source, variant))
            filled.append(target_name)
    return filled


def _require_languages(tenant) -> None:
    if TARGET not in tenant.languages:
        raise ValidationError(
            _("Enable Traditional Chinese (zh-hant) for this help center first.")
        )


def article_convert_to_traditional(*, article: Article, user, comment: str = "") -> int:
    """Fill the article's empty Traditional Chinese fields; return how many.

    One revision; the article goes back to draft like any edit. Raises
    ValidationError when zh-hant is not enabled or nothing can be filled.
    """
    tenant = require_owned(article)
    require_role(tenant=tenant, user=user, role=Membership.Role.EDITOR)
    _require_languages(tenant)
    variant = tenant.chinese_variant
    with article_revision(
        article_getter=lambda: article,
        user=user,
        comment=comment
        or _("Created the Traditional Chinese version from Simplified Chinese"),
        action=Action.EDIT,
    ):
        locked = Article.objects.select_for_update().get(pk=article.pk)
        filled = _fill(article, translation_state.ARTICLE_FIELDS, variant)
        for kind, model in PART_MODELS.items():
            for part in model.objects.filter(article_id=article.pk).order_by("pk"):
                names = _fill(part, translation_state.PART_FIELDS[kind], variant)
                if names:
                    part.save(update_fields=names)
                    filled += names
        if not filled:
            raise ValidationError(
                _(
                    "Nothing to convert: every Traditional Chinese field is "
                    "already written, or the Simplified Chinese text is empty."
                )
            )
        article.translation_state = translation_state.record_conversion(
            locked.translation_state, language=TARGET, now=timezone.now()
        )
        if article.status in (Article.Status.PUBLISHED, Article.Status.REVIEW):
            article.status = Article.Status.DRAFT
        article.lock_version = locked.lock_version + 1
        article.save()
    return len(filled)


def articles_convert_to_traditional(*, articles, user) -> dict[str, list]:
    """Convert several articles, each in its own revision (the coverage
    report's bulk action); return {"converted": [...], "skipped": [...]}."""
    result: dict[str, list] = {"converted": [], "skipped": []}
    for article in articles:
        try:
            article_convert_to_traditional(article=article, user=user)
        except ValidationError:
            result["skipped"].append(article)
        else:
            result["converted"].append(article)
    return result


def catalog_convert_to_traditional(*, user, comment: str = "") -> int:
    """Fill the empty Traditional Chinese names of the current tenant's
    carriers, channels and card types; return how many fields were filled."""
    tenant = _manager_tenant(user)
    _require_languages(tenant)
    variant = tenant.chinese_variant
    filled = 0
    with (
        transaction.atomic(),
        settings_revision(
            tenant=tenant,
            user=user,
            comment=comment
            or _("Created the Traditional Chinese names from Simplified Chinese"),
        ),
    ):
        for model, fields in CATALOG_FIELDS.items():
            for obj in model.objects.order_by("pk"):
                names = _fill(obj, fields, variant)
                if names:
                    obj.save(update_fields=names)
                    filled += len(names)
                    if reversion.is_registered(model):
                        reversion.add_to_revision(obj)
        if filled:
            _catalogue_changed(tenant.pk)
    return filled
