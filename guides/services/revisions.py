"""django-reversion: what is versioned, and one tenant-tagged revision per write."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator

import reversion
from django.db import transaction
from reversion.models import Revision

from guides.models import (
    FAQ,
    Article,
    CardType,
    Carrier,
    Channel,
    Domain,
    Invitation,
    Membership,
    Requirement,
    RevisionMeta,
    Step,
    Tenant,
    Tip,
)
from guides.tenancy import require_current_tenant

Action = RevisionMeta.Action


@contextlib.contextmanager
def article_revision(
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
        reversion.add_meta(
            RevisionMeta, tenant=tenant, article_id=article.pk, action=action
        )


@contextlib.contextmanager
def settings_revision(*, tenant: Tenant, user, comment: str) -> Iterator[None]:
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


#: Models versioned with reversion, and the relations followed into the same
#: revision: an article's revision holds all of its parts.
VERSIONED = {
    Article: ("steps", "requirements", "tips", "faqs"),
    Step: (),
    Requirement: (),
    Tip: (),
    FAQ: (),
    Carrier: ("channels",),
    Channel: (),
    CardType: (),
    # A tenant's revision holds its settings and all of its domains.
    Tenant: ("domains",),
    Domain: (),
    Membership: (),
    Invitation: (),
}


def register_versioned_models() -> None:
    for model, follow in VERSIONED.items():
        if not reversion.is_registered(model):
            reversion.register(model, follow=follow)


def tenant_of_versions(versions) -> int | None:
    """Return the single tenant id stored in ``versions``.

    Raise ValueError when one revision mixes tenants: that would let one
    tenant's history reach another's rows.
    """
    tenant_ids = set()
    for version in versions:
        if version.content_type.model_class() is Tenant:
            # A tenant's own row has no tenant field: it is the tenant.
            tenant_ids.add(int(version.object_id))
            continue
        try:
            fields = json.loads(version.serialized_data)[0]["fields"]
        except (ValueError, KeyError, IndexError, TypeError):
            continue
        if "tenant" in fields:
            tenant_ids.add(fields["tenant"])
    if len(tenant_ids) > 1:
        raise ValueError(f"A revision may not mix tenants: {sorted(tenant_ids)}")
    return tenant_ids.pop() if tenant_ids else None


def tag_revision(revision: Revision, versions) -> None:
    """Make sure a committed revision carries its tenant.

    Services add the metadata themselves with ``reversion.add_meta``; this
    catches every other path (the admin's own saves, a shell) so that no
    revision of tenant-owned data is ever untagged.
    """
    if RevisionMeta.unscoped.filter(revision=revision).exists():
        return
    tenant_id = tenant_of_versions(versions)
    if tenant_id is None:
        return
    article_ids = {
        int(v.object_id) for v in versions if v.content_type.model_class() is Article
    }
    RevisionMeta.unscoped.create(
        revision=revision,
        tenant_id=tenant_id,
        article_id=article_ids.pop() if len(article_ids) == 1 else None,
        action=RevisionMeta.Action.OTHER,
    )
