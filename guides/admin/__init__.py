"""The editors' admin: every page scoped to the tenant of the request's host.

An editor signs in on a tenant's host and sees that tenant only, and only if
they are a member of it (superusers see every tenant's admin on its host).
django-reversion's own views are not tenant-aware (DESIGN.md); the overrides
in ``mixins`` and ``history`` check each version's tenant before reversion
touches anything. Every hook that writes calls a service.

One module per area; importing this package registers them all
(Django's admin autodiscovery imports ``guides.admin``).
"""

from django.contrib import admin as _admin

from guides.admin import (  # noqa: F401  (each module registers its admins)
    articles,
    catalog,
    feedback,
    search,
    tenants,
    tokens,
)
from guides.admin import dashboard as _dashboard

# The index becomes the tenant's dashboard; coverage and activity get URLs.
_dashboard.install(_admin.site)
