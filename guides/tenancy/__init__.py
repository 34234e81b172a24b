"""The current tenant and the managers that refuse to work without one.

``context`` holds the tenant context and the fail-closed managers (models
import it, so it imports no model); ``resolver`` maps a host to its tenant;
``middleware`` enters the tenant of each request.
"""

from guides.tenancy.context import (
    TenantContextMissing,
    TenantManager,
    TenantOwned,
    TenantQuerySet,
    activate_tenant,
    deactivate_tenant,
    get_current_tenant,
    require_current_tenant,
    require_owned,
    tenant_context,
)

__all__ = [
    "TenantContextMissing",
    "TenantManager",
    "TenantOwned",
    "TenantQuerySet",
    "activate_tenant",
    "deactivate_tenant",
    "get_current_tenant",
    "require_current_tenant",
    "require_owned",
    "tenant_context",
]
