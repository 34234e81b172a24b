"""URLs: the admin, per-tenant sitemap and robots.txt, and the public site.

The same paths answer on every tenant host; the host picks the tenant
(guides.tenancy.middleware.TenantMiddleware). Public pages carry the language in
the path: ``/zh-hans/...``, ``/en/...``.
"""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from guides.public import seo, views

urlpatterns = [
    path("admin/", admin.site.urls),
    path("sitemap.xml", seo.sitemap, name="sitemap"),
    path("robots.txt", seo.robots, name="robots"),
    path("", views.root, name="root"),
]
urlpatterns += i18n_patterns(
    path("", include("guides.public.urls")), prefix_default_language=True
)

handler404 = "guides.public.views.page_not_found"
