"""URLs: the admin, per-tenant sitemap, robots.txt and llms.txt, the public site.

The same paths answer on every tenant host; the host picks the tenant
(guides.tenancy.middleware.TenantMiddleware). Public pages carry the language in
the path: ``/zh-hans/...``, ``/en/...``.
"""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from guides.public import favicon, renditions, sitemaps, views

urlpatterns = [
    path("admin/", admin.site.urls),
    # The API answers on every tenant host, outside the language prefixes.
    path("api/v1/", include("guides.api.urls")),
    path("sitemap.xml", sitemaps.sitemap, name="sitemap"),
    # The pages of a sitemap index, for a tenant past TenantSitemap.limit URLs.
    path(
        "sitemap-<slug:section>.xml", sitemaps.sitemap_section, name="sitemap_section"
    ),
    path("robots.txt", sitemaps.robots, name="robots"),
    path("llms.txt", renditions.llms_txt, name="llms_txt"),
    path("favicon.ico", favicon.favicon, name="favicon"),
    path("", views.root, name="root"),
]
urlpatterns += i18n_patterns(
    path("", include("guides.public.urls")), prefix_default_language=True
)

handler404 = "guides.public.views.page_not_found"
