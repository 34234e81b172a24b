"""Reads for the admin's chrome: the help-center switcher."""

from __future__ import annotations

from django.core.cache import cache

from guides.cache.generations import tenancy_generation
from guides.models import Domain

#: Seconds a user's list of tenants is reused; a change to a tenant's name,
#: its domains or its memberships bumps the tenancy generation in the key.
SWITCHER_TIMEOUT = 300


def switcher_tenants(user) -> list[tuple[int, str, str]]:
    """Return ``(tenant id, name, primary host)`` of each tenant ``user`` may
    administer (every tenant for a superuser), by name.

    One query on a miss, none from the cache: the admin header shows it on
    every page, and most users belong to one tenant.
    """
    key = (
        f"helpcenter:switcher:{tenancy_generation()}:{user.pk}:{int(user.is_superuser)}"
    )
    tenants = cache.get(key)
    if tenants is not None:
        return tenants
    domains = Domain.objects.order_by(
        "tenant__name", "tenant_id", "-is_primary", "host"
    )
    if not user.is_superuser:
        domains = domains.filter(tenant__memberships__user=user)
    tenants, seen = [], set()
    for tenant_id, name, host in domains.values_list(
        "tenant_id", "tenant__name", "host"
    ):
        if tenant_id not in seen:
            seen.add(tenant_id)
            tenants.append((tenant_id, name, host))
    cache.set(key, tenants, SWITCHER_TIMEOUT)
    return tenants


def tenant_admin_log(*, tenant, user, limit: int = 10):
    """Return ``user``'s latest admin log entries on ``tenant``'s objects.

    Django's "Recent actions" lists every entry of the user, in every help
    center, with links that answer 404 here. An entry counts when its object
    is this tenant (its settings) or a row of it; entries of deleted objects
    cannot be placed and are left out. One query.
    """
    from django.apps import apps
    from django.contrib.admin.models import LogEntry
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import CharField, Q
    from django.db.models.functions import Cast

    from guides.models import Tenant
    from guides.tenancy.context import TenantOwned

    models = [
        model
        for model in apps.get_app_config("guides").get_models()
        if issubclass(model, TenantOwned)
    ]
    types = ContentType.objects.get_for_models(Tenant, *models)
    owned = Q(content_type=types[Tenant], object_id=str(tenant.pk))
    for model in models:
        ids = (
            model._base_manager.filter(tenant=tenant)
            .annotate(object_key=Cast("pk", CharField()))
            .values("object_key")
        )
        owned |= Q(content_type=types[model], object_id__in=ids)
    return (
        LogEntry.objects.filter(user_id=user.pk)
        .filter(owned)
        .select_related("content_type", "user")[:limit]
    )
