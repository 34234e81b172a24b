"""django-reversion registration and the tenant tag on every revision."""

from __future__ import annotations

import json

import reversion
from reversion.models import Revision

from guides.models import (
    FAQ,
    Article,
    CardType,
    Carrier,
    Channel,
    Domain,
    Membership,
    Requirement,
    RevisionMeta,
    Step,
    Tenant,
    Tip,
)

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
        int(v.object_id)
        for v in versions
        if v.content_type.model_class() is Article
    }
    RevisionMeta.unscoped.create(
        revision=revision,
        tenant_id=tenant_id,
        article_id=article_ids.pop() if len(article_ids) == 1 else None,
        action=RevisionMeta.Action.OTHER,
    )
