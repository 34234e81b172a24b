""" "Recent actions" on the admin index, scoped to the request's help center."""

from __future__ import annotations

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def tenant_admin_log(context, limit: int = 10):
    """Return the user's recent admin actions in the request's tenant."""
    from guides.selectors.admin import tenant_admin_log as entries

    request = context.get("request")
    tenant = getattr(request, "tenant", None)
    user = getattr(request, "user", None)
    if tenant is None or user is None or not user.is_authenticated:
        return []
    return list(entries(tenant=tenant, user=user, limit=limit))
