"""``/api/v1/``: the API's operations, schema and docs; any other path a 404 problem."""

from django.urls import path, re_path

from guides.api.errors import not_found
from guides.api.site import api

urlpatterns = [
    path("", api.urls),
    re_path(r"", not_found, name="api_not_found"),
]
