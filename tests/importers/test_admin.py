"""The admin upload: managers of the host's tenant only."""

from __future__ import annotations

import re
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


def test_the_page_explains_the_shapes_with_an_example(client, tenant_a):
    client.force_login(make_user(tenant=tenant_a, role=Membership.Role.MANAGER))
    page = client.get(URL, HTTP_HOST="alpha.test").content.decode()
    assert 'id="import-help"' in page and 'id="import-example"' in page
    assert "场景一" in page and "**带上身份证**" in page


def test_a_preview_shows_each_procedure_and_the_confirm_imports_it(client, tenant_a):
    """The page gave a text dump and no way to check before writing (issue 13)."""
    client.force_login(make_user(tenant=tenant_a, role=Membership.Role.MANAGER))
    response = client.post(
        URL,
        {
            "files": [upload("cards_scenarios_zh.md")],
            "language": "zh-hans",
            "dry_run": "on",
            "publish": "on",
        },
        HTTP_HOST="alpha.test",
    )
    page = response.content.decode()
    assert not Article.unscoped.exists()
    # one block per procedure, with its steps, FAQs and the removals
    assert page.count('class="import-procedure"') == 3
    for text in ("地铁卡怎么退", "带上身份证", "服务密码忘了怎么办？", "@cardhelp"):
        assert text in page
    assert 'id="import-confirm"' in page
    token = re.search(r'name="token" value="([^"]+)"', page).group(1)
    done = client.post(
        URL, {"confirm": "1", "token": token}, HTTP_HOST="alpha.test"
    ).content.decode()
    articles = Article.unscoped.filter(tenant=tenant_a)
    assert articles.count() == 3
    for article in articles:
        assert f'href="/admin/guides/article/{article.pk}/change/"' in done
        assert article.status == Article.Status.PUBLISHED
    assert 'id="import-confirm"' not in done
    # the same token does not import twice
    again = client.post(URL, {"confirm": "1", "token": token}, HTTP_HOST="alpha.test")
    assert again.status_code == 200 and articles.count() == 3
    assert "该预览已失效" in again.content.decode()  # "no longer available"
