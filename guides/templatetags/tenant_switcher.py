"""The admin header's help-center switcher (templates/admin/base_site.html)."""

from __future__ import annotations

from django import template

from guides.cache.pages import request_port

register = template.Library()


@register.inclusion_tag("admin/includes/tenant_switcher.html", takes_context=True)
def tenant_switcher(context) -> dict:
    """Name the request's tenant and link the user's other tenants' admins.

    Each link goes to ``/admin/`` on the tenant's primary domain, with the
    request's scheme and port (so ``localhost:8000`` works in development).
    """
    from guides.selectors.admin import switcher_tenants

    request = context.get("request")
    tenant = getattr(request, "tenant", None)
    user = getattr(request, "user", None)
    if tenant is None or user is None or not user.is_authenticated:
        return {"current_name": "", "others": [], "show": False}
    port = request_port(request)
    origin = "{scheme}://{host}" + (f":{port}" if port else "")
    others = [
        {
            "name": name,
            "url": origin.format(scheme=request.scheme, host=host) + "/admin/",
        }
        for tenant_id, name, host in switcher_tenants(user)
        if tenant_id != tenant.pk
    ]
    return {"current_name": tenant.name, "others": others, "show": True}
