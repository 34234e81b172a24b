"""Signal receivers, connected in ``GuidesConfig.ready()``.

Generations (``guides.cache.generations``) are bumped by an ``UPDATE`` in
the writer's own transaction, so a reader never stores old data under the
new number and no fault after the commit can lose the bump. Search indexing
and anything else that talks to another system is scheduled by the services
with ``transaction.on_commit``, never from here.

- Tenants, domains and memberships: every save, by any path (the tenant
  services, a revert's raw save, a shell), bumps the tenancy generation of
  host lookups and, for tenants and domains, the tenant's content
  generation. The tenant services rely on these and bump nothing twice.
- Carriers, channels and card types: the catalogue services bump the content
  generation themselves (``guides.services.catalog``); these receivers keep
  every other path covered too (a revert's raw save, ``loaddata``, a shell).
  A second ``UPDATE`` of the same row in one transaction changes nothing
  that matters: the number only has to differ from the one readers keyed on.
- A tenant's enabled languages: its search documents follow them.
- Every revision is tagged with its tenant (``guides.services.revisions``).
"""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save, pre_save
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
from guides.services.effects import catalog_before_save, catalog_purge, tenant_purge
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
    tenant_purge(instance.tenant_id)


@receiver(post_save, sender=Tenant)
@receiver(post_delete, sender=Tenant)
def tenant_changed(sender, instance: Tenant, **kwargs) -> None:
    forget_tenant_hosts()
    # Branding and languages are part of every cached public page.
    bump_content_generation(instance.pk)
    tenant_purge(instance.pk)


@receiver(post_save, sender=Carrier)
@receiver(post_delete, sender=Carrier)
@receiver(post_save, sender=Channel)
@receiver(post_delete, sender=Channel)
@receiver(post_save, sender=CardType)
@receiver(post_delete, sender=CardType)
def catalog_changed(sender, instance, **kwargs) -> None:
    """Carrier, channel and card-type names and numbers are on every page
    that shows them (shared facts, ``guides.publishing.body``)."""
    bump_content_generation(instance.tenant_id)
    catalog_purge(instance)


@receiver(pre_save, sender=Carrier)
@receiver(pre_save, sender=CardType)
def catalog_saving(sender, instance, **kwargs) -> None:
    """What listings show of it, so the purge after the save knows if it changed."""
    catalog_before_save(instance)


@receiver(post_save, sender=Tenant)
def tenant_languages_changed(sender, instance: Tenant, raw=False, **kwargs) -> None:
    """Drop or add search documents when the enabled languages change.

    The search documents are rows of the same database: following the
    languages in the writer's transaction commits them with the change.
    A revert's raw save is followed after commit by ``services.history``.
    """
    if raw:
        return
    from guides.search.indexing import tenant_languages_changed as reindex

    reindex(instance)


@receiver(post_revision_commit)
def revision_committed(sender, revision, versions, **kwargs) -> None:
    tag_revision(revision, versions)
