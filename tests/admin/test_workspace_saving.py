"""Saving and the workflow as an editor team uses them (issue #15).

A save that changes nothing writes nothing and says so; the buttons offered
follow the article's status; a publish comes from review, and a manager who
skips review, or anyone publishing over outdated translations, confirms first.
"""

from __future__ import annotations

import pytest
from django.contrib.admin.models import LogEntry
from django.core.exceptions import ValidationError
from reversion.models import Revision

from guides import services
from guides.models import Article, Membership, Publication
from guides.tenancy import tenant_context
from tests.factories import make_article, make_user
from tests.forms import form_data

pytestmark = pytest.mark.django_db

HOST = {"HTTP_HOST": "alpha.test", "HTTP_ACCEPT_LANGUAGE": "en"}


def change_url(article) -> str:
    return f"/admin/guides/article/{article.pk}/change/"


def workflow_url(article, action: str) -> str:
    return f"/admin/guides/article/{article.pk}/workflow/{action}/"


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
def manager(tenant_a):
    return make_user(tenant=tenant_a, role=Membership.Role.MANAGER)


@pytest.fixture
def published(tenant_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return make_article(tenant_a, publish=True)


def in_review(tenant, user, **kwargs) -> Article:
    article = make_article(tenant, **kwargs)
    with tenant_context(tenant):
        services.article_submit(article=article, user=user)
    return fresh(article)


# --- a save with no change ---------------------------------------------------


def test_the_service_writes_nothing_for_an_update_without_a_change(
    in_a, editor, published
):
    # given: the article's own values and its parts in their order
    article = fresh(published)
    before = revisions_of(article).count()
    steps = list(article.steps.values_list("pk", flat=True))
    # when
    services.article_update(
        article=article,
        user=editor,
        expected_version=article.lock_version,
        parts={"steps": [{"id": pk} for pk in steps]},
        title_zh_hans=article.title_zh_hans,
        title_en=article.title_en,
        carrier=article.carrier,
    )
    # then: no revision, no new edit version, still published
    after = fresh(article)
    assert revisions_of(article).count() == before
    assert after.lock_version == published.lock_version
    assert after.status == Article.Status.PUBLISHED
    # and a real change still writes one revision
    services.article_update(article=after, user=editor, title_en="Changed")
    assert revisions_of(article).count() == before + 1
    assert fresh(article).lock_version == published.lock_version + 1


def test_the_service_sees_a_changed_part_or_a_new_order_as_a_change(
    in_a, editor, tenant_a
):
    article = make_article(tenant_a)
    steps = list(article.steps.order_by("sort_order").values_list("pk", flat=True))
    version = fresh(article).lock_version
    services.article_update(
        article=fresh(article),
        user=editor,
        parts={"steps": [{"id": steps[0], "title_en": "Step 1"}, *map(_id, steps[1:])]},
    )
    assert fresh(article).lock_version == version
    services.article_update(
        article=fresh(article),
        user=editor,
        parts={"steps": [{"id": steps[0], "title_en": "New"}, *map(_id, steps[1:])]},
    )
    assert fresh(article).lock_version == version + 1
    services.article_update(
        article=fresh(article),
        user=editor,
        parts={"steps": list(map(_id, steps[::-1]))},
    )
    assert fresh(article).lock_version == version + 2


def _id(pk):
    return {"id": pk}


def test_saving_the_form_unchanged_says_nothing_changed_and_records_nothing(
    client, editor, published, english
):
    client.force_login(editor)
    before = revisions_of(published).count()
    logged = LogEntry.objects.count()
    data = form_data(client.get(change_url(published), **HOST))
    data["_save"] = "Save"
    response = client.post(change_url(published), data, follow=True, **HOST)
    page = response.content.decode()
    assert response.status_code == 200
    assert "changed successfully" not in page
    assert "No changes were made" in page
    assert revisions_of(published).count() == before
    assert not revisions_of(published).filter(comment__icontains="No fields").exists()
    assert LogEntry.objects.count() == logged
    article = fresh(published)
    assert article.lock_version == published.lock_version
    assert article.status == Article.Status.PUBLISHED


# --- buttons that follow the status -------------------------------------------


def test_after_submitting_the_submit_button_is_gone(client, editor, tenant_a):
    article = make_article(tenant_a)
    client.force_login(editor)
    page = client.get(change_url(article), **HOST).content.decode()
    assert 'id="workflow-submit"' in page
    client.post(workflow_url(article, "submit"), **HOST)
    page = client.get(change_url(article), **HOST).content.decode()
    assert fresh(article).status == Article.Status.REVIEW
    assert 'id="workflow-submit"' not in page


# --- publish from review only -------------------------------------------------


def test_a_reviewer_cannot_publish_a_draft_that_was_never_submitted(
    client, reviewer, tenant_a, english
):
    article = make_article(tenant_a)
    with tenant_context(tenant_a), pytest.raises(ValidationError):
        services.article_publish(article=article, user=reviewer)
    client.force_login(reviewer)
    page = client.get(change_url(article), **HOST).content.decode()
    assert 'id="workflow-publish"' not in page
    response = client.post(workflow_url(article, "publish"), follow=True, **HOST)
    assert "Submit it for review first" in response.content.decode()
    assert not Publication.unscoped.filter(article=article).exists()


def test_a_reviewer_publishes_an_article_in_review(
    client, reviewer, editor, tenant_a, django_capture_on_commit_callbacks
):
    article = in_review(tenant_a, editor)
    client.force_login(reviewer)
    page = client.get(change_url(article), **HOST).content.decode()
    assert 'id="workflow-publish"' in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(workflow_url(article, "publish"), **HOST)
    assert Publication.unscoped.filter(article=article).exists()


def test_a_manager_skipping_review_is_warned_and_confirms(
    client, manager, tenant_a, english, django_capture_on_commit_callbacks
):
    article = make_article(tenant_a)
    client.force_login(manager)
    # when: the manager presses publish on a draft
    response = client.post(workflow_url(article, "publish"), **HOST)
    # then: a confirmation page, nothing published yet
    page = response.content.decode()
    assert response.status_code == 200
    assert "has not been reviewed" in page
    assert 'name="skip_review"' in page
    assert not Publication.unscoped.filter(article=article).exists()
    # when: they confirm
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            workflow_url(article, "publish"), {"skip_review": "1"}, **HOST
        )
    assert response.status_code == 302
    assert Publication.unscoped.filter(article=article).exists()
    comment = revisions_of(article).order_by("-pk").first().get_comment()
    assert "without review" in comment


def test_publishing_over_outdated_translations_asks_for_confirmation(
    client, reviewer, editor, tenant_a, english, django_capture_on_commit_callbacks
):
    # given: in review, the source changed after the English text was written
    article = in_review(tenant_a, editor, slug="second")
    with tenant_context(tenant_a):
        services.article_update(article=article, user=editor, title_zh_hans="新标题")
        services.article_submit(article=fresh(article), user=editor)
        with pytest.raises(ValidationError):
            services.article_publish(article=fresh(article), user=reviewer)
    client.force_login(reviewer)
    response = client.post(workflow_url(article, "publish"), **HOST)
    page = response.content.decode()
    assert response.status_code == 200
    assert "outdated" in page and "English" in page
    assert 'name="outdated_confirmed"' in page
    assert not Publication.unscoped.filter(article=article).exists()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            workflow_url(article, "publish"), {"outdated_confirmed": "1"}, **HOST
        )
    assert Publication.unscoped.filter(article=article).exists()


def test_the_system_and_scheduled_publishing_need_no_review(tenant_a):
    article = make_article(tenant_a)
    with tenant_context(tenant_a):
        services.article_publish(article=article, user=None)
    assert Publication.unscoped.filter(article=article).exists()
