"""Any byte sequence in a path is a 404 or a 400 in Django, never a 500.

Django's own request is built from the path's octets; these tests send them
through the test client (which decodes the escapes as a WSGI server does).
``tests/cache/test_front.py`` sends the same through ``PageCacheFront`` and
``tests/cache/test_servers.py`` over real HTTP.
"""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from tests.factories import make_article, make_carrier

pytestmark = pytest.mark.django_db

A = {"HTTP_HOST": "alpha.test"}

#: Each model whose history reversion's admin shows, by its admin URL.
HISTORY_MODELS = ["article", "carrier", "cardtype", "synonymgroup", "tenant"]


@pytest.fixture
def superuser_client(client, tenant_a):
    make_article(tenant_a, "cancel-esim", publish=True, carrier=make_carrier(tenant_a))
    user = get_user_model().objects.create_superuser("root", "root@alpha.test", "pw")
    client.force_login(user)
    return client


@pytest.mark.parametrize("model", HISTORY_MODELS)
@pytest.mark.parametrize("object_id", ["%00", "1%00", "a%00b"])
def test_a_nul_in_an_admin_object_id_is_a_400(superuser_client, model, object_id):
    """PostgreSQL refused the NUL in reversion's history lookup: a 500."""
    for view in ("history", "change", "delete"):
        path = f"/admin/guides/{model}/{object_id}/{view}/"
        assert superuser_client.get(path, **A).status_code == 400, path


@pytest.mark.parametrize(
    "path",
    [
        "/en/guides/%00/",
        "/en/guides/cancel-esim%00/",
        "/zh-hans/carriers/%00/",
        "/en/%00",
        "/%00",
        "/sitemap.xml%00",
    ],
)
def test_a_nul_anywhere_in_a_public_path_is_a_400(client, tenant_a, path):
    assert client.get(path, **A).status_code == 400


def test_an_unknown_host_is_still_a_404_whatever_the_path(client, tenant_a):
    response = client.get("/en/%00/", HTTP_HOST="nobody.test")
    assert response.status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/zh-hans/carriers/%CE%A9/",
        "/en/guides/%E6%B3%A8%E9%94%80/",
        "/en/guides/%FF/",
        "/en/guides/%C0%AF/",
        "/admin/guides/article/%CE%A9/history/",
        "/admin/guides/article/%FF/change/",
        "/admin/guides/carrier/%ED%A0%80/history/",
    ],
)
def test_other_bytes_in_a_path_are_a_404_or_a_redirect(superuser_client, path):
    assert superuser_client.get(path, **A).status_code in (302, 404)
