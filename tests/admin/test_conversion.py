"""The change form's "Create the Traditional Chinese version" and its review."""

from __future__ import annotations

import pytest

from guides import services
from guides.models import Article, Membership, Publication
from guides.publishing import translation_state
from guides.tenancy import tenant_context
from tests.factories import make_article, make_tenant, make_user

pytestmark = pytest.mark.django_db

HOST = {"HTTP_HOST": "tw.test", "HTTP_ACCEPT_LANGUAGE": "en"}
CONVERT = "Create the Traditional Chinese version from Simplified Chinese"
NEEDS_REVIEW = "Machine-converted, needs review"


@pytest.fixture
def tenant():
    return make_tenant("tw", hosts=["tw.test"], languages=["zh-hans", "en", "zh-hant"])


@pytest.fixture
def editor(tenant):
    return make_user("tw-editor", tenant=tenant, role=Membership.Role.EDITOR)


def change_url(article) -> str:
    return f"/admin/guides/article/{article.pk}/change/"


def convert_url(article) -> str:
    return f"/admin/guides/article/{article.pk}/workflow/convert/"


def fresh(article) -> Article:
    with tenant_context(article.tenant):
        return Article.objects.get(pk=article.pk)


def test_an_editor_converts_reviews_and_a_reviewer_publishes(client, tenant, editor):
    article = make_article(tenant, "cancel-esim")
    client.force_login(editor)
    page = client.get(change_url(article), **HOST).content.decode()
    assert CONVERT in page and convert_url(article) in page

    response = client.post(convert_url(article), follow=True, **HOST)
    page = response.content.decode()
    assert "The Traditional Chinese version was created" in page
    assert NEEDS_REVIEW in page
    converted = fresh(article)
    assert converted.summary_zh_hant == "如何註銷 eSIM"
    assert translation_state.needs_review(converted.translation_state, "zh-hant")
    # Nothing is left to convert: the button is gone.
    assert CONVERT not in page

    # Not published while unreviewed.
    with tenant_context(tenant):
        services.article_submit(article=converted, user=editor)
        services.article_publish(article=fresh(article), user=None)
        assert "zh-hant" not in Publication.objects.get(article=article).languages

    response = client.post(
        f"/admin/guides/article/{article.pk}/workflow/confirm/",
        {"language": "zh-hant"},
        follow=True,
        **HOST,
    )
    assert NEEDS_REVIEW not in response.content.decode()
    with tenant_context(tenant):
        services.article_publish(article=fresh(article), user=None)
        assert "zh-hant" in Publication.objects.get(article=article).languages


def test_no_button_and_a_clear_refusal_without_traditional_chinese(client, db):
    tenant = make_tenant("cn", hosts=["cn.test"], languages=["zh-hans", "en"])
    editor = make_user("cn-editor", tenant=tenant, role=Membership.Role.EDITOR)
    article = make_article(tenant, "cancel-esim")
    client.force_login(editor)
    host = {**HOST, "HTTP_HOST": "cn.test"}
    assert CONVERT not in client.get(change_url(article), **host).content.decode()
    response = client.post(convert_url(article), follow=True, **host)
    assert "Enable Traditional Chinese" in response.content.decode()
    assert not fresh(article).summary_zh_hant


def test_another_tenants_article_answers_404(client, tenant, editor):
    other = make_tenant("hk", hosts=["hk.test"], languages=["zh-hans", "zh-hant"])
    article = make_article(other, "cancel-esim")
    client.force_login(editor)
    assert client.post(convert_url(article), **HOST).status_code == 404
    assert not fresh(article).summary_zh_hant


def test_a_signed_in_non_member_cannot_convert(client, tenant):
    outsider = make_user("outsider")
    article = make_article(tenant, "cancel-esim")
    client.force_login(outsider)
    assert client.post(convert_url(article), **HOST).status_code in (302, 403, 404)
    assert not fresh(article).summary_zh_hant


def test_the_list_action_converts_several_and_says_which_were_skipped(
    client, tenant, editor
):
    first = make_article(tenant, "first")
    second = make_article(tenant, "second")
    with tenant_context(tenant):
        services.article_convert_to_traditional(article=second, user=None)
    client.force_login(editor)
    response = client.post(
        "/admin/guides/article/",
        {"action": "convert_selected", "_selected_action": [first.pk, second.pk]},
        follow=True,
        **HOST,
    )
    page = response.content.decode()
    assert "1 converted to Traditional Chinese" in page
    assert "Nothing to convert" in page
    assert fresh(first).summary_zh_hant


def test_the_coverage_report_converts_every_procedure_without_a_traditional_version(
    client, tenant, editor
):
    first = make_article(tenant, "first")
    second = make_article(tenant, "second", title_zh_hant="已有的標題")
    client.force_login(editor)
    page = client.get("/admin/coverage/", **HOST).content.decode()
    assert "Create the missing Traditional Chinese versions" in page
    assert client.get("/admin/coverage/convert/", **HOST).status_code == 405
    response = client.post("/admin/coverage/convert/", follow=True, **HOST)
    assert "1 procedure converted to Traditional Chinese" in response.content.decode()
    assert fresh(first).summary_zh_hant == "如何註銷 eSIM"
    # A procedure with its own Traditional title is left to its editors.
    assert not fresh(second).summary_zh_hant
    assert translation_state.needs_review(fresh(first).translation_state, "zh-hant")


def test_the_coverage_conversion_is_refused_without_traditional_chinese(client, db):
    tenant = make_tenant("cn", hosts=["cn.test"], languages=["zh-hans", "en"])
    editor = make_user("cn-editor", tenant=tenant, role=Membership.Role.EDITOR)
    article = make_article(tenant, "cancel-esim")
    client.force_login(editor)
    host = {**HOST, "HTTP_HOST": "cn.test"}
    page = client.get("/admin/coverage/", **host).content.decode()
    assert "Create the missing Traditional Chinese versions" not in page
    response = client.post("/admin/coverage/convert/", follow=True, **host)
    assert "Enable Traditional Chinese" in response.content.decode()
    assert not fresh(article).summary_zh_hant
