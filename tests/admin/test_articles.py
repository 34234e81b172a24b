"""The article change form and list: service writes, lock, workflow, preview.

POST data is built from the GET page's own form fields (``form_data``), so a
field the page does not render cannot be sent by accident.
"""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client
from reversion.models import Revision

from guides import services
from guides.models import Article, Membership, Publication, RevisionMeta
from guides.publishing.translation_state import outdated_languages
from guides.tenancy import tenant_context
from tests.factories import (
    make_article,
    make_card_type,
    make_carrier,
    make_user,
    step,
)
from tests.forms import form_data

pytestmark = pytest.mark.django_db

# English UI strings, so the assertions read as the messages are written.
HOST = {"HTTP_HOST": "alpha.test", "HTTP_ACCEPT_LANGUAGE": "en"}
CONFLICT = "Someone else saved this article while you were editing"


# --- helpers ---------------------------------------------------------------


def change_url(article) -> str:
    return f"/admin/guides/article/{article.pk}/change/"


def workflow_url(article, action: str) -> str:
    return f"/admin/guides/article/{article.pk}/workflow/{action}/"


def login(client, user) -> Client:
    client.force_login(user)
    return client


def fresh(article) -> Article:
    with tenant_context(article.tenant):
        return Article.objects.get(pk=article.pk)


def revisions_of(article):
    return Revision.objects.filter(meta__article_id=article.pk)


@pytest.fixture
def editor(tenant_a):
    return make_user(tenant=tenant_a, role=Membership.Role.EDITOR)


@pytest.fixture
def reviewer(tenant_a):
    return make_user(tenant=tenant_a, role=Membership.Role.REVIEWER)


@pytest.fixture
def published(tenant_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return make_article(tenant_a, publish=True)


# --- saving through the services -------------------------------------------


def test_saving_the_form_records_one_tagged_revision_and_keeps_the_publication(
    client, editor, published, tenant_a
):
    # given: a published article and its publication as readers see it
    login(client, editor)
    publication = Publication.unscoped.get(article=published)
    before = revisions_of(published).count()
    data = form_data(client.get(change_url(published), **HOST))
    # when: the editor changes the title and a step, and forges a status
    data.update(
        {
            "title_zh_hans": "注销 eSIM（新）",
            "steps-0-body_zh_hans": "拨打热线。",
            "status": Article.Status.PUBLISHED,
            "publish_at": "2030-01-01T10:00",
            "_save": "Save",
        }
    )
    response = client.post(change_url(published), data, **HOST)
    # then: saved as a draft in exactly one revision, tagged and signed
    assert response.status_code == 302, response.content.decode()[:2000]
    article = fresh(published)
    assert article.title_zh_hans == "注销 eSIM（新）"
    assert article.status == Article.Status.DRAFT
    assert article.publish_at is None
    assert article.lock_version == published.lock_version + 1
    assert revisions_of(published).count() == before + 1
    revision = revisions_of(published).order_by("-pk").first()
    meta = RevisionMeta.unscoped.get(revision=revision)
    assert meta.tenant_id == tenant_a.pk
    assert meta.action == RevisionMeta.Action.EDIT
    assert revision.user == editor
    assert "title" in revision.get_comment().lower()
    # every part is in the revision with the article
    assert revision.version_set.count() == 1 + 3 + 1 + 1 + 1
    with tenant_context(tenant_a):
        assert article.steps.get(sort_order=0).body_zh_hans == "拨打热线。"
    # readers still see the last publication
    kept = Publication.unscoped.get(article=published)
    assert kept.published_at == publication.published_at
    assert kept.content == publication.content
    # only the source language changed: English is now outdated
    assert outdated_languages(article, languages=["en"], source="zh-hans") == ["en"]


def test_inline_rows_are_added_reordered_and_deleted_through_the_form(
    client, editor, tenant_a
):
    article = make_article(tenant_a, steps=3)
    login(client, editor)
    data = form_data(client.get(change_url(article), **HOST))
    # move the last step first, delete the middle one, add a fourth
    data["steps-2-sort_order"] = "0"
    data["steps-0-sort_order"] = "1"
    data["steps-1-DELETE"] = "on"
    data.update(
        {
            "steps-TOTAL_FORMS": "4",
            "steps-3-sort_order": "5",
            "steps-3-title_zh_hans": "第四步",
            "steps-3-title_en": "Step 4",
            "_save": "Save",
        }
    )
    response = client.post(change_url(article), data, **HOST)
    assert response.status_code == 302
    with tenant_context(tenant_a):
        titles = list(fresh(article).steps.values_list("title_en", "sort_order"))
    assert titles == [("Step 3", 0), ("Step 1", 1), ("Step 4", 2)]


# --- optimistic locking and kept values --------------------------------------


def test_a_concurrent_save_is_refused_and_the_form_keeps_what_was_typed(
    editor, tenant_a
):
    # given: two editors load the same article
    article = make_article(tenant_a, steps=3)
    other = make_user(tenant=tenant_a, role=Membership.Role.EDITOR)
    first, second = login(Client(), editor), login(Client(), other)
    first_data = form_data(first.get(change_url(article), **HOST))
    second_data = form_data(second.get(change_url(article), **HOST))
    # when: the first saves, then the second saves their own typing
    first_data.update({"title_en": "First wins", "_save": "Save"})
    assert first.post(change_url(article), first_data, **HOST).status_code == 302
    second_data.update(
        {
            "title_en": "Second typed this",
            "steps-1-title_en": "Second's step text",
            "steps-TOTAL_FORMS": "4",
            "steps-3-sort_order": "9",
            "steps-3-title_zh_hans": "新的一步",
            "_save": "Save",
        }
    )
    response = second.post(change_url(article), second_data, **HOST)
    # then: refused with the message, everything typed is shown again
    assert response.status_code == 200
    page = response.content.decode()
    assert CONFLICT in page
    shown = form_data(response)
    assert shown["title_en"] == "Second typed this"
    assert shown["steps-1-title_en"] == "Second's step text"
    assert shown["steps-3-title_zh_hans"] == "新的一步"
    # and the database holds the first save only
    saved = fresh(article)
    assert saved.title_en == "First wins"
    with tenant_context(tenant_a):
        assert list(saved.steps.values_list("title_en", flat=True)) == [
            "Step 1",
            "Step 2",
            "Step 3",
        ]
    # saving the re-shown form again is a deliberate overwrite: it goes through
    assert shown["expected_version"] == str(saved.lock_version)
    shown["_save"] = "Save"
    assert second.post(change_url(article), shown, **HOST).status_code == 302
    assert fresh(article).title_en == "Second typed this"


def test_a_save_without_the_loaded_version_is_refused(client, editor, tenant_a):
    article = make_article(tenant_a)
    login(client, editor)
    data = form_data(client.get(change_url(article), **HOST))
    del data["expected_version"]
    data.update({"title_en": "Sneaky", "_save": "Save"})
    response = client.post(change_url(article), data, **HOST)
    assert response.status_code == 200
    assert fresh(article).title_en == "Cancel an eSIM"


def test_an_invalid_form_keeps_every_value(client, editor, tenant_a):
    article = make_article(tenant_a)
    login(client, editor)
    data = form_data(client.get(change_url(article), **HOST))
    data.update(
        {
            "slug": "",  # required
            "title_en": "Typed title",
            "steps-0-body_en": "Typed step body",
            "steps-1-title_zh_hans": "",  # required in the default language
            "_save": "Save",
        }
    )
    response = client.post(change_url(article), data, **HOST)
    assert response.status_code == 200
    shown = form_data(response)
    assert shown["slug"] == ""
    assert shown["title_en"] == "Typed title"
    assert shown["steps-0-body_en"] == "Typed step body"
    assert fresh(article).title_en == "Cancel an eSIM"
    assert fresh(article).lock_version == article.lock_version


def test_a_service_refusal_is_shown_on_the_form_not_a_server_error(
    client, editor, tenant_a
):
    """A slug taken by another article is caught by the service's full_clean."""
    make_article(tenant_a, slug="taken")
    article = make_article(tenant_a, slug="mine")
    login(client, editor)
    data = form_data(client.get(change_url(article), **HOST))
    data.update({"slug": "taken", "title_en": "Typed", "_save": "Save"})
    response = client.post(change_url(article), data, **HOST)
    assert response.status_code == 200
    assert "This slug is already used in this help center." in response.content.decode()
    assert form_data(response)["title_en"] == "Typed"
    assert fresh(article).slug == "mine"


# --- workflow buttons ----------------------------------------------------------


def test_an_editor_submits_but_sees_and_gets_no_reviewer_buttons(
    client, editor, tenant_a
):
    article = make_article(tenant_a)
    login(client, editor)
    page = client.get(change_url(article), **HOST).content.decode()
    assert workflow_url(article, "submit") in page
    assert workflow_url(article, "publish") not in page
    assert workflow_url(article, "schedule") not in page
    # submit works
    response = client.post(workflow_url(article, "submit"), **HOST)
    assert response.status_code == 302
    assert fresh(article).status == Article.Status.REVIEW
    # a forged publish or schedule is refused and changes nothing
    lock = fresh(article).lock_version
    assert client.post(workflow_url(article, "publish"), **HOST).status_code == 403
    forged = {"publish_at": "2030-01-01T10:00"}
    response = client.post(workflow_url(article, "schedule"), forged, **HOST)
    assert response.status_code == 403
    assert not Publication.unscoped.filter(article=article).exists()
    assert fresh(article).status == Article.Status.REVIEW
    assert fresh(article).publish_at is None
    assert fresh(article).lock_version == lock


def test_a_reviewer_publishes_unpublishes_and_schedules(
    client, reviewer, tenant_a, django_capture_on_commit_callbacks
):
    article = make_article(tenant_a)
    with tenant_context(tenant_a):
        # Published from review only (issue #15).
        services.article_submit(article=article, user=reviewer)
    login(client, reviewer)
    page = client.get(change_url(article), **HOST).content.decode()
    assert workflow_url(article, "publish") in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(workflow_url(article, "publish"), follow=True, **HOST)
    assert "Published." in response.content.decode()
    assert Publication.unscoped.filter(article=article).exists()
    assert fresh(article).status == Article.Status.PUBLISHED
    with django_capture_on_commit_callbacks(execute=True):
        client.post(workflow_url(article, "unpublish"), **HOST)
    assert not Publication.unscoped.filter(article=article).exists()
    assert fresh(article).status == Article.Status.DRAFT
    # Scheduling a publish comes from review too.
    when = {"publish_at": "2030-01-02T09:30", "unpublish_at": "2030-02-01T09:30"}
    response = client.post(workflow_url(article, "schedule"), when, **HOST)
    assert fresh(article).publish_at is None
    with tenant_context(tenant_a):
        services.article_submit(article=fresh(article), user=reviewer)
    response = client.post(workflow_url(article, "schedule"), when, **HOST)
    assert response.status_code == 302
    scheduled = fresh(article)
    assert scheduled.publish_at is not None and scheduled.unpublish_at is not None
    assert scheduled.publish_at.year == 2030 and scheduled.unpublish_at.month == 2
    # the form shows the scheduled time back
    page = client.get(change_url(article), **HOST).content.decode()
    assert 'value="2030-01-02T09:30"' in page


def test_a_schedule_in_the_wrong_order_is_refused_with_a_message(
    client, reviewer, tenant_a
):
    article = make_article(tenant_a)
    login(client, reviewer)
    when = {"publish_at": "2030-02-01T09:30", "unpublish_at": "2030-01-01T09:30"}
    response = client.post(workflow_url(article, "schedule"), when, follow=True, **HOST)
    assert "Unpublish after the scheduled publication" in response.content.decode()
    assert fresh(article).publish_at is None


def test_publishing_without_steps_shows_the_services_reason(client, reviewer, tenant_a):
    article = make_article(tenant_a, steps=0)
    login(client, reviewer)
    response = client.post(workflow_url(article, "publish"), follow=True, **HOST)
    assert "needs at least one step" in response.content.decode()
    assert not Publication.unscoped.filter(article=article).exists()


def test_workflow_buttons_need_post_and_do_not_reach_other_tenants(
    client, reviewer, tenant_b
):
    other = make_article(tenant_b)
    login(client, reviewer)
    assert client.post(workflow_url(other, "publish"), **HOST).status_code == 404
    assert not Publication.unscoped.filter(article=other).exists()
    mine = make_article(Membership.objects.get(user=reviewer).tenant, slug="mine")
    assert client.get(workflow_url(mine, "publish"), **HOST).status_code == 405


# --- translation state on the form ---------------------------------------------


def _save(client, article, **changes):
    data = form_data(client.get(change_url(article), **HOST))
    data.update(changes, _save="Save")
    response = client.post(change_url(article), data, **HOST)
    assert response.status_code == 302, response.content.decode()[:2000]


def _english_row(client, article) -> str:
    page = client.get(change_url(article), **HOST).content.decode()
    return page.split('id="translation-en"')[1].split("</tr>")[0]


def test_the_outdated_flag_follows_source_edits_translation_edits_and_confirms(
    client, editor, tenant_a
):
    article = make_article(tenant_a)
    login(client, editor)
    assert "Translation outdated" not in _english_row(client, article)
    # a change of the Chinese (source) text raises the English flag
    _save(client, article, **{"steps-0-body_zh_hans": "新的说明"})
    row = _english_row(client, article)
    assert "Translation outdated" in row
    assert "Confirm English translation is current" in row
    # editing the English text clears it
    _save(client, article, title_en="Cancel your eSIM")
    assert "Translation outdated" not in _english_row(client, article)
    # raised again, then cleared by confirming
    _save(client, article, title_zh_hans="注销你的 eSIM")
    assert "Translation outdated" in _english_row(client, article)
    response = client.post(workflow_url(article, "confirm"), {"language": "en"}, **HOST)
    assert response.status_code == 302
    assert "Translation outdated" not in _english_row(client, article)
    assert outdated_languages(fresh(article), languages=["en"], source="zh-hans") == []


def test_confirming_the_source_language_is_refused(client, editor, tenant_a):
    article = make_article(tenant_a)
    login(client, editor)
    response = client.post(
        workflow_url(article, "confirm"), {"language": "zh-hans"}, follow=True, **HOST
    )
    assert "translation languages" in response.content.decode()
    assert fresh(article).translation_state == article.translation_state


def test_completeness_lists_missing_english_step_titles(client, editor, tenant_a):
    article = make_article(tenant_a, steps=0)
    with tenant_context(tenant_a):
        services.article_update(
            article=article,
            user=None,
            parts={"steps": [step(1, title_en=""), step(2, title_en=""), step(3)]},
        )
    login(client, editor)
    row = _english_row(client, article)
    assert "steps (2)" in row
    page = client.get(change_url(article), **HOST).content.decode()
    chinese = page.split('id="translation-zh-hans"')[1].split("</tr>")[0]
    assert "Complete" in chinese and "steps" not in chinese


# --- Markdown preview -------------------------------------------------------------

PREVIEW = "/admin/guides/article/preview/"


def test_preview_returns_sanitised_html(client, editor):
    login(client, editor)
    text = "**Call** 10086\n\n<script>alert(1)</script>\n\n[x](javascript:alert(1))"
    response = client.post(PREVIEW, {"text": text}, **HOST)
    assert response.status_code == 200
    html = json.loads(response.content)["html"]
    assert "<strong>Call</strong>" in html
    assert "<script" not in html
    assert "javascript:" not in html


def test_preview_refuses_non_members_other_tenants_gets_and_missing_csrf(
    client, editor, tenant_b
):
    # a staff user of another tenant only
    outsider = make_user(tenant=tenant_b, role=Membership.Role.MANAGER)
    login(client, outsider)
    assert client.post(PREVIEW, {"text": "hi"}, **HOST).status_code == 403
    # a member of alpha on beta's host
    login(client, editor)
    elsewhere = client.post(PREVIEW, {"text": "hi"}, HTTP_HOST="beta.test")
    assert elsewhere.status_code == 403
    assert client.get(PREVIEW, **HOST).status_code == 405
    # anonymous: sent to the login page
    assert Client().post(PREVIEW, {"text": "hi"}, **HOST).status_code == 302
    # no CSRF token
    strict = login(Client(enforce_csrf_checks=True), editor)
    assert strict.post(PREVIEW, {"text": "hi"}, **HOST).status_code == 403


def test_the_change_form_loads_the_preview_script_and_keeps_history(
    client, editor, tenant_a
):
    article = make_article(tenant_a)
    login(client, editor)
    page = client.get(change_url(article), **HOST).content.decode()
    assert f"/admin/guides/article/{article.pk}/history/" in page
    assert "guides/admin.js" in page
    assert f'data-preview-url="{PREVIEW}"' in page


# --- query counts -------------------------------------------------------------------

# Session, user, membership, the two filters' choices, two counts, two
# permission lookups for the sidebar, the page of articles, and its steps,
# requirements, tips and FAQs for the translations column (issue #15). (No
# savepoint and release: the list opens no reversion revision, the services
# record theirs.)
LIST_QUERIES = 14
# Session, user, article, membership, the four inlines' parts, channel choices
# (once, for every step), two permission lookups, publication, carrier and
# card-type choices, and the reader-feedback panel (counts in one aggregate,
# the latest comments in one more).
CHANGE_FORM_QUERIES = 16


def _articles(tenant, count: int) -> None:
    carrier = make_carrier(tenant)
    for n in range(count):
        make_article(tenant, slug=f"a{n}", steps=1, carrier=carrier)


@pytest.mark.parametrize("count", [5, 20])
def test_the_article_list_makes_a_fixed_number_of_queries(
    client, editor, tenant_a, count, django_assert_num_queries
):
    _articles(tenant_a, count)
    login(client, editor)
    client.get("/admin/guides/article/", **HOST)  # the first admin hit runs publish_due
    with django_assert_num_queries(LIST_QUERIES):
        response = client.get("/admin/guides/article/", **HOST)
    assert response.content.decode().count('class="action-select"') == count


@pytest.mark.parametrize("steps", [3, 30])
def test_the_change_form_makes_a_fixed_number_of_queries(
    client, editor, tenant_a, steps, django_assert_num_queries
):
    carrier = make_carrier(tenant_a)
    article = make_article(tenant_a, carrier=carrier, steps=0)
    with tenant_context(tenant_a):
        channel = carrier.channels.get()
        services.article_update(
            article=article,
            user=None,
            parts={"steps": [step(n, channel=channel) for n in range(steps)]},
        )
    login(client, editor)
    client.get(change_url(article), **HOST)
    with django_assert_num_queries(CHANGE_FORM_QUERIES):
        response = client.get(change_url(article), **HOST)
    assert response.content.decode().count('name="steps-') >= steps


def test_step_channels_are_grouped_by_carrier_and_another_carriers_is_refused(
    client, editor, tenant_a
):
    own = make_carrier(tenant_a, slug="china-mobile", hotline="10086")
    other = make_carrier(tenant_a, slug="china-unicom", hotline="10010")
    with tenant_context(tenant_a):
        other.name_en = other.name_zh_hans = "China Unicom"
        other.save()
        article = make_article(tenant_a, "grouped", carrier=own)
        other_channel = other.channels.get()
    login(client, editor)
    page = client.get(change_url(article), HTTP_HOST="alpha.test").content.decode()
    select = page[page.index('name="steps-0-channel"') :]
    select = select[: select.index("</select>")]
    # the article's carrier first, each channel under its carrier's name
    assert select.index("中国移动") < select.index("China Unicom")
    assert "(10010)" in select.split("China Unicom", 1)[1]
    data = form_data(client.get(change_url(article), HTTP_HOST="alpha.test"))
    data["steps-0-channel"] = str(other_channel.pk)
    response = client.post(
        change_url(article), data, HTTP_HOST="alpha.test", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    assert "must belong to the article" in response.content.decode()
    with tenant_context(tenant_a):
        assert article.steps.order_by("sort_order").first().channel_id is None


# --- deleting from the admin ------------------------------------------------------


def _public_pages(carrier, card) -> list[str]:
    return ["/en/", f"/en/carriers/{carrier.slug}/", f"/en/cards/{card.slug}/"]


def _found(response) -> list[str]:
    """Return the slugs of a search page's results."""
    return re.findall(
        r'<li class="search-result">\s*<h2><a href="[^"]*?/([\w-]+)/(?:\?[^"]*)?"',
        response.content.decode(),
    )


def _delete_in_admin(client, article, how: str):
    if how == "own page":
        url = f"/admin/guides/article/{article.pk}/delete/"
        assert client.get(url, **HOST).status_code == 200
        return client.post(url, {"post": "yes"}, **HOST)
    data = {
        "action": "delete_selected",
        "_selected_action": [str(article.pk)],
        "index": "0",
    }
    confirm = client.post("/admin/guides/article/", data, **HOST)
    assert "Are you sure" in confirm.content.decode()
    return client.post("/admin/guides/article/", {**data, "post": "yes"}, **HOST)


@pytest.mark.parametrize("how", ["own page", "delete selected"])
def test_an_admin_delete_goes_through_the_service_and_leaves_every_page(
    client, reviewer, tenant_a, how, django_capture_on_commit_callbacks
):
    # given: a published article with a carrier and card type, its pages cached
    carrier = make_carrier(tenant_a)
    card = make_card_type(tenant_a)
    with django_capture_on_commit_callbacks(execute=True):
        article = make_article(
            tenant_a,
            "cancel-esim",
            publish=True,
            carrier=carrier,
            card_type=card,
            title_en="Cancel a gone eSIM",
        )
        kept = make_article(
            tenant_a, "kept", publish=True, carrier=carrier, card_type=card
        )
    reader = Client()
    article_page = "/en/guides/cancel-esim/"
    search = "/en/search/?q=gone"
    for path in [*_public_pages(carrier, card), article_page]:
        response = reader.get(path, HTTP_HOST="alpha.test")
        assert response.status_code == 200, path
        assert "Cancel a gone eSIM" in response.content.decode(), path
    assert "cancel-esim" in _found(reader.get(search, HTTP_HOST="alpha.test"))
    # when: a reviewer deletes it in the admin
    login(client, reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        response = _delete_in_admin(client, article, how)
    assert response.status_code == 302, response.content.decode()[:2000]
    # then: one delete revision, tagged with the tenant, signed by the reviewer
    with tenant_context(tenant_a):
        assert not Article.objects.filter(pk=article.pk).exists()
        assert Article.objects.filter(pk=kept.pk).exists()
    deletes = RevisionMeta.unscoped.filter(
        article_id=article.pk, action=RevisionMeta.Action.DELETE
    )
    assert [(m.tenant_id, m.revision.user) for m in deletes] == [
        (tenant_a.pk, reviewer)
    ]
    # listed under "recover deleted"
    recover = client.get("/admin/guides/article/recover/", **HOST).content.decode()
    assert "Cancel a gone eSIM" in recover or "注销 eSIM" in recover
    version = services.deleted_articles(tenant=tenant_a)[0]
    assert version.object_id == str(article.pk)
    assert f"/admin/guides/article/recover/{version.pk}/" in recover
    # and gone from every page readers see, on the very next request
    for path in _public_pages(carrier, card):
        response = reader.get(path, HTTP_HOST="alpha.test")
        assert response.status_code == 200, path
        page = response.content.decode()
        assert "Cancel a gone eSIM" not in page, path
        assert article_page not in page, path
    assert reader.get(article_page, HTTP_HOST="alpha.test").status_code == 404
    assert _found(reader.get(search, HTTP_HOST="alpha.test")) == []


def test_another_tenants_article_is_exactly_404_and_is_not_deleted(
    client, reviewer, tenant_b
):
    theirs = make_article(tenant_b, publish=True)
    login(client, reviewer)
    for path in ("change/", "delete/"):
        url = f"/admin/guides/article/{theirs.pk}/{path}"
        assert client.get(url, **HOST).status_code == 404, path
    url = f"/admin/guides/article/{theirs.pk}/delete/"
    assert client.post(url, {"post": "yes"}, **HOST).status_code == 404
    # a forged "delete selected" of its id selects nothing in this tenant
    data = {"action": "delete_selected", "_selected_action": [str(theirs.pk)]}
    client.post("/admin/guides/article/", {**data, "post": "yes"}, **HOST)
    assert Article.unscoped.filter(pk=theirs.pk).exists()
    assert not RevisionMeta.unscoped.filter(action=RevisionMeta.Action.DELETE).exists()
