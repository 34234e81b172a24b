"""Signal receivers, connected in ``GuidesConfig.ready()``."""

from __future__ import annotations

from django.core.cache import cache
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
from guides.selectors.admin import SWITCHER_GENERATION_KEY
from guides.services.revisions import tag_revision
from guides.tenancy.resolver import forget_tenant_hosts


@receiver(post_save, sender=Tenant)
@receiver(post_delete, sender=Tenant)
@receiver(post_save, sender=Domain)
@receiver(post_delete, sender=Domain)
@receiver(post_save, sender=Membership)
@receiver(post_delete, sender=Membership)
def forget_switcher_tenants(sender, **kwargs) -> None:
    """A name, domain or membership changed: every cached switcher list goes."""
    try:
        cache.incr(SWITCHER_GENERATION_KEY)
    except ValueError:
        cache.set(SWITCHER_GENERATION_KEY, 2, timeout=None)


@receiver(post_save, sender=Domain)
@receiver(post_delete, sender=Domain)
def domain_changed(sender, instance: Domain, **kwargs) -> None:
    forget_tenant_hosts([instance.host], tenant_id=instance.tenant_id)


@receiver(post_save, sender=Tenant)
@receiver(post_delete, sender=Tenant)
def tenant_changed(sender, instance: Tenant, **kwargs) -> None:
    forget_tenant_hosts([], tenant_id=instance.pk)
    # Branding and languages are part of every cached public page.
    bump_content_generation(instance.pk)


@receiver(post_save, sender=Carrier)
@receiver(post_delete, sender=Carrier)
@receiver(post_save, sender=Channel)
@receiver(post_delete, sender=Channel)
@receiver(post_save, sender=CardType)
@receiver(post_delete, sender=CardType)
def catalog_changed(sender, instance, **kwargs) -> None:
    """Carrier, channel and card-type names and numbers are on listing pages.

    Reversion's raw saves (a revert) send post_save too, so they are covered.
    """
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
