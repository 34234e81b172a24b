"""Signal receivers, connected in ``GuidesConfig.ready()``.

They keep derived state in step with saves that reach the models by any
path, reversion's raw saves (a revert) included:

- bump the generations that key cached pages and host lookups
  (``guides.cache.generations``): an ``UPDATE`` in the writer's own
  transaction, so a reader never stores old data under the new number;
- rebuild a tenant's search documents when its enabled languages change;
- tag each revision with its tenant (``guides.services.revisions``).
"""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from reversion.signals import post_revision_commit

from guides.cache.generations import bump_content_generation
from guides.models import (
    CardType,
    Carrier,
    Channel,
    Domain,
    Membership,
    Tenant,
)
from guides.services.revisions import tag_revision
from guides.tenancy.resolver import forget_tenant_hosts


@receiver(post_save, sender=Membership)
@receiver(post_delete, sender=Membership)
def membership_changed(sender, **kwargs) -> None:
    """The admin's list of help centers per user is keyed on the tenancy
    generation."""
    forget_tenant_hosts()


@receiver(post_save, sender=Domain)
@receiver(post_delete, sender=Domain)
def domain_changed(sender, instance: Domain, **kwargs) -> None:
    forget_tenant_hosts()
    # Pages name their canonical address on the primary domain.
    bump_content_generation(instance.tenant_id)


@receiver(post_save, sender=Tenant)
@receiver(post_delete, sender=Tenant)
def tenant_changed(sender, instance: Tenant, **kwargs) -> None:
    forget_tenant_hosts()
    # Branding and languages are part of every cached public page.
    bump_content_generation(instance.pk)


@receiver(post_save, sender=Carrier)
@receiver(post_delete, sender=Carrier)
@receiver(post_save, sender=Channel)
@receiver(post_delete, sender=Channel)
@receiver(post_save, sender=CardType)
@receiver(post_delete, sender=CardType)
def catalog_changed(sender, instance, **kwargs) -> None:
    """Carrier, channel and card-type names and numbers are on listing pages."""
    bump_content_generation(instance.tenant_id)


@receiver(post_save, sender=Tenant)
def tenant_languages_changed(sender, instance: Tenant, raw=False, **kwargs) -> None:
    """Drop or add search documents when the enabled languages change."""
    if raw:
        return
    from guides.search.indexing import tenant_languages_changed as reindex

    reindex(instance)


@receiver(post_revision_commit)
def revision_committed(sender, revision, versions, **kwargs) -> None:
    tag_revision(revision, versions)
