"""/favicon.ico on every tenant host, and the icon link on every page."""

from __future__ import annotations

import pytest

from guides.cache.front import PageCacheFront
from guides.models import Tenant
from guides.public import favicon as favicon_module
from tests.cache.test_front import Recorder, call
from tests.factories import make_tenant

pytestmark = pytest.mark.django_db

A = "alpha.test"
B = "beta.test"
DEFAULT = (favicon_module.icon_file(favicon_module.DEFAULT_ICON) or (b"",))[0]


def test_the_default_icon_is_a_real_ico():
    assert DEFAULT[:4] == b"\x00\x00\x01\x00"  # ICONDIR: reserved 0, type 1


@pytest.mark.parametrize("host", [A, B])
def test_every_tenant_host_answers_the_default_icon(client, tenant_a, tenant_b, host):
    """Failed before: /favicon.ico answered 404 (Lighthouse best-practices 96)."""
    response = client.get("/favicon.ico", HTTP_HOST=host)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    assert response.content == DEFAULT
    assert "public" in response["Cache-Control"]
    assert client.head("/favicon.ico", HTTP_HOST=host).status_code == 200


def test_an_unknown_host_is_still_a_404(client, tenant_a):
    assert client.get("/favicon.ico", HTTP_HOST="nobody.test").status_code == 404


def test_a_tenants_static_icon_is_served_on_its_hosts_only(client, tenant_a, tenant_b):
    Tenant.objects.filter(pk=tenant_a.pk).update(favicon="/static/guides/site.css")
    # not an image type: the default instead
    assert client.get("/favicon.ico", HTTP_HOST=A).content == DEFAULT
    other = make_tenant("gamma", hosts=["gamma.test"])
    Tenant.objects.filter(pk=other.pk).update(favicon="/static/guides/favicon.ico")
    response = client.get("/favicon.ico", HTTP_HOST="gamma.test")
    assert response.status_code == 200
    assert response.content == DEFAULT


def test_a_tenants_https_icon_is_a_redirect_and_linked_by_pages(
    client, tenant_a, tenant_b
):
    icon = "https://cdn.alpha.example/icon.png"
    tenant_a.favicon = icon
    tenant_a.save()
    response = client.get("/favicon.ico", HTTP_HOST=A)
    assert response.status_code == 302
    assert response["Location"] == icon
    page = client.get("/en/", HTTP_HOST=A).content.decode()
    assert f'<link rel="icon" href="{icon}">' in page
    # tenant B keeps the default
    assert client.get("/favicon.ico", HTTP_HOST=B).content == DEFAULT
    page = client.get("/en/", HTTP_HOST=B).content.decode()
    assert '<link rel="icon" href="/favicon.ico">' in page


def test_the_icon_is_answered_by_the_front_once_stored(client, tenant_a):
    client.get("/favicon.ico", HTTP_HOST=A)
    front = PageCacheFront(Recorder())
    status, _headers, body = call(front, "/favicon.ico")
    assert status == "200 OK"
    assert body == DEFAULT
    assert front.application.calls == []


def test_the_admin_validates_the_favicon_like_the_logo():
    from guides.admin.tenants import TenantAdminForm

    form = TenantAdminForm(data={"favicon": "javascript:alert(1)"})
    form.is_valid()
    assert "favicon" in form.errors
    form = TenantAdminForm(data={"favicon": "/static/guides/favicon.ico"})
    form.is_valid()
    assert "favicon" not in form.errors
