"""``services.feedback_delete``: reviewers remove spam answers, of their tenant."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from guides import services
from guides.models import Feedback, Membership
from guides.services import feedback as feedback_services
from guides.tenancy import tenant_context
from tests.factories import make_article, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def bumps(monkeypatch):
    """Record the content-generation bumps the feedback service makes."""
    calls: list[int] = []
    monkeypatch.setattr(feedback_services, "bump_content_generation", calls.append)
    return calls


def answer(tenant, *, helpful: bool) -> Feedback:
    with tenant_context(tenant):
        article = make_article(tenant, f"guide-{Feedback.unscoped.count()}")
        return Feedback.objects.create(
            tenant=tenant, article=article, language="en", helpful=helpful
        )


def test_a_helpful_vote_deleted_refreshes_the_pages_with_the_commit(
    in_a, bumps, django_capture_on_commit_callbacks
):
    """Helpful votes order the home page's popular procedures."""
    reviewer = make_user(tenant=in_a, role=Membership.Role.REVIEWER)
    helpful, unhelpful = answer(in_a, helpful=True), answer(in_a, helpful=False)
    with django_capture_on_commit_callbacks() as callbacks:
        services.feedback_delete(feedback=helpful, user=reviewer)
        services.feedback_delete(feedback=unhelpful, user=reviewer)
    assert not Feedback.objects.exists()
    # in the delete's own transaction, once (the unhelpful vote is on no page)
    assert bumps == [in_a.pk]
    assert callbacks == []


def test_editors_may_not_delete_feedback(in_a):
    editor = make_user(tenant=in_a, role=Membership.Role.EDITOR)
    spam = answer(in_a, helpful=False)
    with pytest.raises(PermissionDenied):
        services.feedback_delete(feedback=spam, user=editor)
    assert Feedback.objects.filter(pk=spam.pk).exists()


def test_another_tenants_feedback_is_missing(tenant_a, tenant_b):
    theirs = answer(tenant_b, helpful=True)
    with tenant_context(tenant_a), pytest.raises(Feedback.DoesNotExist):
        services.feedback_delete(feedback=theirs, user=None)
    assert Feedback.unscoped.filter(pk=theirs.pk).exists()
