"""The history pages as editors read them (issue #15): readable compare,
breadcrumbs with their bar, the recover list's deletion time."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from reversion.models import Revision

from guides import services
from guides.models import Membership
from guides.tenancy import tenant_context
from tests.factories import make_article, make_user

pytestmark = pytest.mark.django_db

A = {"HTTP_HOST": "alpha.test", "HTTP_ACCEPT_LANGUAGE": "en"}
URL = "/admin/guides/article"


@pytest.fixture
def editor(tenant_a):
    return make_user("editor-a", tenant=tenant_a, role=Membership.Role.EDITOR)


@pytest.fixture
def manager(tenant_a):
    return make_user("manager-a", tenant=tenant_a, role=Membership.Role.MANAGER)


def test_compare_shows_status_names_and_no_double_full_stop(client, tenant_a, editor):
    article = make_article(tenant_a, user=editor)
    with tenant_context(tenant_a):
        services.article_submit(article=article, user=editor)
        new, old = services.article_revisions(article=article)[:2]
    client.force_login(editor)
    page = client.get(
        f"{URL}/{article.pk}/history/compare/?old={old.pk}&new={new.pk}", **A
    ).content.decode()
    row = re.search(r'<tr class="field-status">.*?</tr>', page, re.S).group(0)
    assert "Draft" in row and "In review" in row
    assert ">draft<" not in row and ">review<" not in row
    assert ".." not in re.sub(r"<[^>]+>", "", page).replace("...", "")


@pytest.mark.parametrize(
    "path",
    [
        "{URL}/{pk}/history/",
        "{URL}/{pk}/history/compare/?old={old}&new={new}",
        "{URL}/{pk}/history/{old}/revert/",
        "{URL}/recover/",
        "{URL}/import/",
    ],
)
def test_history_compare_revert_recover_and_import_have_the_breadcrumb_bar(
    client, tenant_a, manager, path
):
    article = make_article(tenant_a, user=manager)
    with tenant_context(tenant_a):
        services.article_submit(article=article, user=manager)
        new, old = services.article_revisions(article=article)[:2]
    client.force_login(manager)
    url = path.format(URL=URL, pk=article.pk, old=old.pk, new=new.pk)
    response = client.get(url, **A)
    assert response.status_code == 200, url
    page = response.content.decode()
    # Django's admin styles ol.breadcrumbs; a div.breadcrumbs has no bar.
    assert '<ol class="breadcrumbs">' in page
    assert 'div class="breadcrumbs"' not in page


def test_the_revert_button_fits_its_label(client, tenant_a, editor):
    article = make_article(tenant_a, user=editor)
    client.force_login(editor)
    page = client.get(f"{URL}/{article.pk}/history/", **A).content.decode()
    assert 'class="button revert-button"' in page


def test_the_recover_list_shows_when_the_article_was_deleted(
    client, tenant_a, editor, manager
):
    # given: an article last edited at 21:36 and deleted at 22:00 (Shanghai)
    article = make_article(tenant_a, user=editor)
    pk = article.pk
    edited = dt.datetime(2026, 3, 1, 13, 36, tzinfo=dt.UTC)
    Revision.objects.filter(meta__article_id=article.pk).update(date_created=edited)
    with tenant_context(tenant_a):
        services.article_delete(article=article, user=manager)
    deleted = dt.datetime(2026, 3, 1, 14, 0, tzinfo=dt.UTC)
    Revision.objects.filter(meta__article_id=pk, meta__action="delete").update(
        date_created=deleted
    )
    client.force_login(editor)
    page = client.get(f"{URL}/recover/", **A).content.decode()
    row = re.search(r'<tr class="deleted-article">.*?</tr>', page, re.S).group(0)
    assert 'datetime="2026-03-01T22:00:00+08:00"' in row
    assert "10 p.m." in row
    assert "9:36" not in row


def test_compare_names_languages_as_editors_read_them(client, tenant_a, editor):
    article = make_article(tenant_a, user=editor)
    with tenant_context(tenant_a):
        services.article_update(article=article, user=editor, title_en="New title")
        new, old = services.article_revisions(article=article)[:2]
    client.force_login(editor)
    page = client.get(
        f"{URL}/{article.pk}/history/compare/?old={old.pk}&new={new.pk}", **A
    ).content.decode()
    assert "Article text (English)" in page
    assert "(en)" not in page
