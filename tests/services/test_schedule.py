"""Scheduled publishing: ``publish_due`` from cron and from the admin."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.utils import timezone

from guides import services
from guides.models import Article, Publication
from guides.tenancy import tenant_context
from tests.factories import make_article, make_user

pytestmark = pytest.mark.django_db


def schedule(tenant, article, **when):
    with tenant_context(tenant):
        return services.article_schedule(article=article, user=None, **when)


def test_publish_due_publishes_and_unpublishes_what_is_due_once(tenant_a, tenant_b):
    past = timezone.now() - timedelta(minutes=1)
    future = timezone.now() + timedelta(hours=1)
    due = make_article(tenant_a, "due")
    later = make_article(tenant_a, "later")
    going = make_article(tenant_b, "going", publish=True)
    schedule(tenant_a, due, publish_at=past)
    schedule(tenant_a, later, publish_at=future)
    schedule(tenant_b, going, unpublish_at=past)
    out = io.StringIO()
    call_command("publish_due", stdout=out)
    assert "Published 1, unpublished 1" in out.getvalue()
    assert set(Publication.unscoped.values_list("slug", flat=True)) == {"due"}
    assert Article.unscoped.get(pk=due.pk).publish_at is None
    assert Article.unscoped.get(pk=later.pk).publish_at == future.replace(
        microsecond=future.microsecond
    )
    # a second run (cron every minute) does nothing more
    call_command("publish_due", stdout=out)
    assert "Published 0, unpublished 0" in out.getvalue().splitlines()[-1]


def test_publish_due_only_for_one_tenant(tenant_a, tenant_b):
    past = timezone.now() - timedelta(minutes=1)
    a, b = make_article(tenant_a, "a"), make_article(tenant_b, "b")
    schedule(tenant_a, a, publish_at=past)
    schedule(tenant_b, b, publish_at=past)
    call_command("publish_due", "--tenant", "beta", stdout=io.StringIO())
    assert list(Publication.unscoped.values_list("slug", flat=True)) == ["b"]
    with pytest.raises(CommandError, match="Unknown tenant"):
        call_command("publish_due", "--tenant", "nope")


def test_an_unpublishable_article_is_reported_and_not_retried(tenant_a):
    article = make_article(tenant_a, "empty", steps=0)
    schedule(tenant_a, article, publish_at=timezone.now() - timedelta(minutes=1))
    err = io.StringIO()
    call_command("publish_due", stdout=io.StringIO(), stderr=err)
    assert "could not be published" in err.getvalue()
    assert Article.unscoped.get(pk=article.pk).publish_at is None
    assert not Publication.unscoped.exists()


def test_the_admin_carries_out_due_publishing_on_its_next_request(client, tenant_a):
    article = make_article(tenant_a, "due")
    schedule(tenant_a, article, publish_at=timezone.now() - timedelta(minutes=1))
    editor = make_user(tenant=tenant_a)
    client.force_login(editor)
    client.get("/admin/", HTTP_HOST="alpha.test")
    assert Publication.unscoped.filter(article=article).exists()


def test_scheduling_needs_a_reviewer_and_a_sane_order(tenant_a):
    article = make_article(tenant_a, "x")
    editor = make_user(tenant=tenant_a)
    now = timezone.now()
    with tenant_context(tenant_a):
        with pytest.raises(PermissionDenied):
            services.article_schedule(article=article, user=editor, publish_at=now)
        with pytest.raises(ValidationError):
            services.article_schedule(
                article=article,
                user=None,
                publish_at=now,
                unpublish_at=now - timedelta(hours=1),
            )


def test_an_editor_cannot_get_unreviewed_text_published_through_a_revert(tenant_a):
    """Issue 11, finding 1: a revert never restores the schedule."""
    # given: a reviewer scheduled a publish, publish_due carried it out, and
    # the reviewer then unpublished the article
    reviewer = make_user("reviewer", tenant=tenant_a, role="reviewer")
    editor = make_user("editor", tenant=tenant_a, role="editor")
    article = make_article(tenant_a, "scheduled", user=editor)
    when = timezone.now() + timedelta(hours=1)
    with tenant_context(tenant_a):
        services.article_submit(article=article, user=editor)
        article.refresh_from_db()
        services.article_schedule(article=article, user=reviewer, publish_at=when)
        scheduled = services.article_revisions(article=article).first()
    assert services.publish_due(now=when + timedelta(minutes=1))["published"] == [
        article.pk
    ]
    with tenant_context(tenant_a):
        article = Article.objects.get(pk=article.pk)
        services.article_unpublish(article=article, user=reviewer)
        # when: an editor reverts to the scheduled revision and edits the title
        services.article_revert(article=article, user=editor, revision_id=scheduled.pk)
        article = Article.objects.get(pk=article.pk)
        services.article_update(
            article=article, user=editor, title_en="Unreviewed text"
        )
    # then: nothing is due, and the next run publishes nothing
    assert Article.unscoped.get(pk=article.pk).publish_at is None
    done = services.publish_due(now=when + timedelta(minutes=2))
    assert done["published"] == []
    assert not Publication.unscoped.filter(article=article).exists()


def test_a_reviewer_schedules_only_what_was_submitted_and_a_manager_may_skip(
    tenant_a,
):
    """Scheduling is publishing later: it comes from review too (issue 15)."""
    reviewer = make_user("reviewer", tenant=tenant_a, role="reviewer")
    manager = make_user("manager", tenant=tenant_a, role="manager")
    article = make_article(tenant_a, "draft")
    when = timezone.now() + timedelta(hours=1)
    with tenant_context(tenant_a):
        with pytest.raises(ValidationError):
            services.article_schedule(article=article, user=reviewer, publish_at=when)
        article.refresh_from_db()
        assert article.publish_at is None
        # Unpublishing later needs no review; a manager may skip review.
        services.article_schedule(article=article, user=reviewer, unpublish_at=when)
        services.article_schedule(article=article, user=manager, publish_at=when)
        article.refresh_from_db()
        assert article.publish_at == when
