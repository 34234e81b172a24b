"""URLs: the admin and each tenant's public help site (same paths on every host)."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("guides.urls")),
]
