"""The current tenant, and the managers that refuse to work without one.

Every tenant-owned model uses ``TenantManager`` as its default manager: its
querysets are filtered to the tenant of the current context, and building one
outside a tenant context raises ``TenantContextMissing`` instead of returning
every tenant's rows. Requests enter a context in ``TenantMiddleware``;
management commands and background work enter one with ``tenant_context``.
Code that must see all tenants (system checks, the superuser's tenant list)
says so with the ``unscoped`` manager.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar
from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from guides.models import Tenant

_current_tenant: ContextVar[Tenant | None] = ContextVar(
    "helpcenter_tenant", default=None
)


class TenantContextMissing(RuntimeError):
    """A tenant-owned table was queried outside a tenant context."""


def get_current_tenant() -> Tenant | None:
    """Return the tenant of the current context, or None."""
    return _current_tenant.get()


def require_current_tenant() -> Tenant:
    """Return the tenant of the current context or raise TenantContextMissing."""
    tenant = _current_tenant.get()
    if tenant is None:
        raise TenantContextMissing(
            "Tenant-owned data was queried outside a tenant context. "
            "Wrap the code in guides.tenancy.tenant_context(tenant)."
        )
    return tenant


@contextlib.contextmanager
def tenant_context(tenant: Tenant) -> Iterator[Tenant]:
    """Run the block with ``tenant`` as the current tenant."""
    if tenant is None:
        raise ValueError("tenant_context() needs a tenant.")
    token = _current_tenant.set(tenant)
    try:
        yield tenant
    finally:
        _current_tenant.reset(token)


def activate_tenant(tenant: Tenant | None):
    """Set the current tenant and return a token for ``deactivate_tenant``."""
    return _current_tenant.set(tenant)


def deactivate_tenant(token) -> None:
    _current_tenant.reset(token)


class TenantQuerySet(models.QuerySet):
    """Base queryset for tenant-owned rows (``TenantManager`` scopes it)."""


class TenantManager(models.Manager):
    """Default manager of tenant-owned models: scoped, and failing closed."""

    def get_queryset(self):
        tenant = require_current_tenant()
        return super().get_queryset().filter(tenant_id=tenant.pk)


class TenantOwned(models.Model):
    """Abstract base of every tenant-owned model.

    ``objects`` is scoped to the current tenant and raises outside one;
    ``unscoped`` sees every tenant and is for code that says why it must.
    """

    tenant = models.ForeignKey(
        "guides.Tenant",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("tenant"),
    )

    objects = TenantManager.from_queryset(TenantQuerySet)()
    unscoped = models.Manager()  # noqa: DJ012  (the tenant field is the abstract base's)

    class Meta:
        abstract = True


def require_owned(obj) -> Tenant:
    """Return the current tenant if ``obj`` is one of its rows.

    Another tenant's row raises the model's ``DoesNotExist``: callers answer
    it exactly as for a missing row, never revealing that it exists.
    """
    tenant = require_current_tenant()
    if obj.tenant_id != tenant.pk:
        raise type(obj).DoesNotExist
    return tenant
