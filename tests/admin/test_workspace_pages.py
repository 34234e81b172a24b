"""The admin's pages as an editor team meets them (issue #15): readable
labels, the list's status and translations, search in every part and
language, synonyms as typed, a new tenant's languages, scoped recent actions,
the tenant's branding and the admin's own 403 and 404 pages."""

from __future__ import annotations

import re

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType

from guides import services
from guides.models import Article, Membership, SynonymGroup, Tenant
from guides.tenancy import tenant_context
from tests.factories import make_article, make_carrier, make_user
from tests.forms import form_data

pytestmark = pytest.mark.django_db

A = {"HTTP_HOST": "alpha.test", "HTTP_ACCEPT_LANGUAGE": "en"}
ARTICLES = "/admin/guides/article/"


@pytest.fixture
def editor(tenant_a):
    return make_user("editor-a", tenant=tenant_a, role=Membership.Role.EDITOR)


@pytest.fixture
def manager(tenant_a):
    return make_user("manager-a", tenant=tenant_a, role=Membership.Role.MANAGER)


def page_of(client, url, host=A) -> str:
    response = client.get(url, **host)
    assert response.status_code == 200, url
    return response.content.decode()


# --- the change form ----------------------------------------------------------


def test_labels_name_the_language_and_help_names_no_command(client, tenant_a, editor):
    article = make_article(tenant_a)
    client.force_login(editor)
    page = page_of(client, f"{ARTICLES}{article.pk}/change/")
    assert "[zh-hans]" not in page and "[en]" not in page
    assert "Title (Simplified Chinese)" in page and "Title (English)" in page
    # the inline parts' column heads and labels too
    assert "Instructions (Markdown) (English)" in page
    assert "manage.py" not in page and "publish_due" not in page


def test_a_published_article_links_to_its_page_on_the_primary_domain(
    client, tenant_a, editor, django_capture_on_commit_callbacks
):
    draft = make_article(tenant_a, slug="draft")
    with django_capture_on_commit_callbacks(execute=True):
        published = make_article(tenant_a, slug="cancel-esim", publish=True)
    client.force_login(editor)
    assert 'id="view-on-site"' not in page_of(client, f"{ARTICLES}{draft.pk}/change/")
    page = page_of(
        client,
        f"{ARTICLES}{published.pk}/change/",
        {**A, "HTTP_HOST": "www.alpha.test"},
    )
    link = re.search(r'<a href="([^"]+)"[^>]*id="view-on-site"', page).group(1)
    assert link == "http://alpha.test/zh-hans/guides/cancel-esim/"


# --- the list -----------------------------------------------------------------


def test_the_list_shows_pending_edits_and_each_languages_completeness(
    client, tenant_a, editor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        published = make_article(tenant_a, slug="published", publish=True)
    with tenant_context(tenant_a):
        services.article_update(
            article=published, user=editor, title_zh_hans="注销 eSIM（新）"
        )
        untranslated = make_article(tenant_a, slug="untranslated", title_en="")
    client.force_login(editor)
    page = page_of(client, ARTICLES)
    rows = dict(
        re.findall(r'<tr>.*?name="_selected_action" value="(\d+)".*?</tr>', page, re.S)
        and (
            # the row's text: the language names are marked up with their lang
            (m.group(1), re.sub(r"<[^>]+>", "", m.group(0)))
            for m in re.finditer(
                r'<tr>.*?name="_selected_action" value="(\d+)".*?</tr>', page, re.S
            )
        )
    )
    assert "Published, with pending edits" in rows[str(published.pk)]
    # the source changed after the English text: English is outdated
    assert "English: outdated" in rows[str(published.pk)]
    assert "简体中文: complete" in rows[str(untranslated.pk)]
    assert re.search(r"English: \d+ missing", rows[str(untranslated.pk)])


# --- search -------------------------------------------------------------------


@pytest.fixture
def searchable(tenant_a):
    carrier = make_carrier(tenant_a, slug="china-telecom", hotline="10000")
    plain = make_article(tenant_a, slug="plain")
    with tenant_context(tenant_a):
        telecom = make_article(tenant_a, slug="telecom", carrier=carrier)
        services.article_update(
            article=telecom,
            user=None,
            parts={
                "requirements": [
                    {"kind": "prerequisite", "text_zh_hans": "先结清所有欠费"}
                ],
                "faqs": [
                    {"question_zh_hans": "多久注销完成？", "answer_zh_hans": "一天"}
                ],
            },
        )
    return plain, telecom


@pytest.mark.parametrize("query", ["10000", "１００００", "结清欠费", "註銷完成"])
def test_the_editors_search_reads_parts_hotlines_and_folds_the_query(
    client, editor, searchable, query
):
    plain, telecom = searchable
    client.force_login(editor)
    page = page_of(client, f"{ARTICLES}?q={query}")
    assert f'value="{telecom.pk}"' in page
    assert f'value="{plain.pk}"' not in page


def test_a_search_finds_nothing_of_another_tenant(client, editor, tenant_b):
    other = make_article(tenant_b, slug="other-tenant")
    client.force_login(editor)
    page = page_of(client, f"{ARTICLES}?q=eSIM")
    assert f'value="{other.pk}"' not in page


# --- synonyms ------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed", ["拆机, 注销", "拆机，注销", "拆机\n注销", " 拆机 ,\n注销,\n"]
)
def test_synonyms_are_typed_as_a_list_of_terms(client, manager, tenant_a, typed):
    client.force_login(manager)
    url = "/admin/guides/synonymgroup/add/"
    data = form_data(client.get(url, **A), "synonymgroup_form")
    data.update({"terms": typed, "_save": "Save"})
    response = client.post(url, data, **A)
    assert response.status_code == 302, response.content.decode()[:2000]
    with tenant_context(tenant_a):
        group = SynonymGroup.objects.get()
    assert group.terms == ["拆机", "注销"]
    page = page_of(client, f"/admin/guides/synonymgroup/{group.pk}/change/")
    assert "拆机\n注销</textarea>" in page


def test_the_service_takes_typed_terms(in_a, manager):
    group = services.synonym_group_save(
        synonym_group=SynonymGroup(tenant=in_a), terms="销户、注销", user=manager
    )
    assert group.terms == ["销户", "注销"]


# --- tenants --------------------------------------------------------------------


def test_a_new_tenant_starts_with_the_default_languages_ticked(client, tenant_a):
    root = make_user("root", is_superuser=True)
    client.force_login(root)
    url = "/admin/guides/tenant/add/"
    data = form_data(client.get(url, **A), "tenant_form")
    assert data["languages"] == ["zh-hans", "en"]
    data.update(
        {
            "name": "Gamma",
            "slug": "gamma",
            "domains-0-host": "gamma.test",
            "domains-0-is_primary": "on",
        }
    )
    response = client.post(url, data, **A)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Tenant.objects.get(slug="gamma").languages == ["zh-hans", "en"]


def test_recent_actions_list_only_this_tenants_objects(client, tenant_a, tenant_b):
    root = make_user("root", is_superuser=True)
    mine = make_article(tenant_a, slug="mine")
    theirs = make_article(tenant_b, slug="theirs")
    article_type = ContentType.objects.get_for_model(Article)
    for article, name in ((mine, "Mine in alpha"), (theirs, "Theirs in beta")):
        LogEntry.objects.create(
            user=root,
            content_type=article_type,
            object_id=str(article.pk),
            object_repr=name,
            action_flag=CHANGE,
        )
    client.force_login(root)
    page = page_of(client, "/admin/")
    assert "Mine in alpha" in page
    assert "Theirs in beta" not in page
    assert f"/admin/guides/article/{theirs.pk}/change/" not in page


def test_the_admin_carries_the_tenants_name_and_logo(client, tenant_a, editor):
    tenant_a.logo = "/static/guides/logo.svg"
    tenant_a.save()
    client.force_login(editor)
    page = page_of(client, "/admin/")
    assert "Django administration" not in page
    assert "Django site admin" not in page
    assert tenant_a.name in re.search(
        r'<div id="site-name".*?</div>', page, re.S
    ).group(0)
    assert 'src="/static/guides/logo.svg"' in page


# --- error pages ----------------------------------------------------------------


def test_an_editor_refused_a_delete_gets_the_admins_styled_403(
    client, tenant_a, editor
):
    article = make_article(tenant_a)
    client.force_login(editor)
    response = client.get(f"{ARTICLES}{article.pk}/delete/", **A)
    assert response.status_code == 403
    page = response.content.decode()
    assert '<ol class="breadcrumbs">' in page
    assert 'id="site-name"' in page
    assert "does not allow this" in page


def test_a_missing_object_gets_the_admins_404_that_names_nothing(
    client, tenant_a, tenant_b, editor
):
    theirs = make_article(tenant_b, slug="theirs")
    client.force_login(editor)
    missing = client.get(f"{ARTICLES}999999/change/", **A)
    other = client.get(f"{ARTICLES}{theirs.pk}/change/", **A)
    assert missing.status_code == other.status_code == 404
    assert 'id="site-name"' in other.content.decode()
    assert "There is no such page" in other.content.decode()
    assert "Cancel an eSIM" not in other.content.decode()


# --- the search-query report ----------------------------------------------------


def test_the_search_report_headers_are_padded_apart(client, manager):
    client.force_login(manager)
    page = page_of(client, "/admin/guides/searchquery/")
    assert "guides/admin.css" in page
    from pathlib import Path

    from django.conf import settings

    css = (Path(settings.BASE_DIR) / "static/guides/admin.css").read_text()
    assert "#changelist .report-module table thead th" in css
