"""The admin upload: managers of the host's tenant only."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from guides.models import Article, Membership
from tests.factories import make_user

pytestmark = pytest.mark.django_db

SAMPLES = Path(__file__).parent / "samples"
URL = "/admin/guides/article/import/"


def upload(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, (SAMPLES / name).read_bytes(), "text/markdown")


def test_a_manager_uploads_files_and_sees_the_report(client, tenant_a):
    manager = make_user("boss", tenant=tenant_a, role=Membership.Role.MANAGER)
    client.force_login(manager)
    form = client.get(URL, HTTP_HOST="alpha.test")
    assert form.status_code == 200 and 'name="files"' in form.content.decode()
    response = client.post(
        URL,
        {
            "files": [upload("esim_cancel_zh.md"), upload("no_steps.md")],
            "language": "zh-hans",
        },
        HTTP_HOST="alpha.test",
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="import-report"' in page and "no_steps.md" in page
    [article] = Article.unscoped.filter(tenant=tenant_a)
    assert (
        article.title_zh_hans == "中国移动 eSIM 注销全攻略"
        and article.author == manager
    )
    assert "QQ群" not in article.summary_zh_hans
    # the upload is the same import as the command: again is unchanged
    client.post(
        URL,
        {"files": [upload("esim_cancel_zh.md")], "language": "zh-hans"},
        HTTP_HOST="alpha.test",
    )
    assert Article.unscoped.filter(tenant=tenant_a).count() == 1


def test_an_editor_is_refused(client, tenant_a):
    client.force_login(make_user(tenant=tenant_a, role=Membership.Role.EDITOR))
    assert client.get(URL, HTTP_HOST="alpha.test").status_code == 403
    response = client.post(
        URL,
        {"files": [upload("esim_cancel_zh.md")], "language": "zh-hans"},
        HTTP_HOST="alpha.test",
    )
    assert response.status_code == 403
    assert not Article.unscoped.exists()


def test_another_tenants_manager_is_refused(client, tenant_a, tenant_b):
    client.force_login(make_user(tenant=tenant_b, role=Membership.Role.MANAGER))
    response = client.post(
        URL,
        {"files": [upload("esim_cancel_zh.md")], "language": "zh-hans"},
        HTTP_HOST="alpha.test",
    )
    assert response.status_code == 403
    assert not Article.unscoped.exists()
    # on their own host the same manager may import, into their own tenant only
    response = client.post(
        URL,
        {"files": [upload("esim_cancel_zh.md")], "language": "zh-hans"},
        HTTP_HOST="beta.test",
    )
    assert response.status_code == 200
    assert list(Article.unscoped.values_list("tenant__slug", flat=True)) == ["beta"]


def test_the_article_list_links_the_import_page_for_managers_only(client, tenant_a):
    manager = make_user("chief", tenant=tenant_a, role=Membership.Role.MANAGER)
    editor = make_user("writer", tenant=tenant_a, role=Membership.Role.EDITOR)
    client.force_login(manager)
    page = client.get("/admin/guides/article/", HTTP_HOST="alpha.test").content.decode()
    assert f'href="{URL}"' in page
    client.force_login(editor)
    page = client.get("/admin/guides/article/", HTTP_HOST="alpha.test").content.decode()
    assert f'href="{URL}"' not in page
