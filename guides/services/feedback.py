"""Readers' "Was this helpful?" answers."""

from __future__ import annotations

from django.db import transaction

from guides.cache.generations import bump_content_generation
from guides.models import (
    Feedback,
    Membership,
    Publication,
)
from guides.permissions import require_role
from guides.tenancy import require_current_tenant
from guides.tenancy.context import require_owned

FEEDBACK_LIMIT = 5  # votes per reader and article ...


FEEDBACK_WINDOW = 3600  # ... per this many seconds


class FeedbackRateLimited(Exception):
    """The reader sent too much feedback on this article recently."""


def feedback_client_hash(address: str) -> str:
    """Return a salted SHA-256 of the reader's address (never stored in clear)."""
    from django.utils.crypto import salted_hmac

    return salted_hmac(
        "guides.feedback.client", address or "", algorithm="sha256"
    ).hexdigest()


def feedback_submit(
    *,
    publication: Publication,
    language: str,
    helpful: bool,
    comment: str,
    client_address: str,
) -> Feedback:
    """Store a reader's "Was this helpful?" answer, rate-limited per reader and article."""
    from django.core.cache import cache

    tenant = require_current_tenant()
    if publication.tenant_id != tenant.pk:
        raise Publication.DoesNotExist
    client_hash = feedback_client_hash(client_address)
    key = f"helpcenter:feedback:{tenant.pk}:{publication.article_id}:{client_hash}"
    cache.add(key, 0, timeout=FEEDBACK_WINDOW)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=FEEDBACK_WINDOW)
        count = 1
    if count > FEEDBACK_LIMIT:
        raise FeedbackRateLimited
    feedback = Feedback(
        tenant=tenant,
        article_id=publication.article_id,
        language=language,
        helpful=helpful,
        comment=comment.strip(),
        client_hash=client_hash,
    )
    feedback.full_clean(exclude=["tenant", "article"])
    feedback.save()
    return feedback


def feedback_delete(*, feedback: Feedback, user) -> None:
    """Delete a reader's answer (spam), as a reviewer of its help center.

    Answers are not versioned. Helpful votes order the home page's popular
    procedures, so deleting one refreshes the tenant's pages once it commits.
    """
    tenant = require_owned(feedback)
    require_role(tenant=tenant, user=user, role=Membership.Role.REVIEWER)
    with transaction.atomic():
        Feedback.objects.filter(pk=feedback.pk).delete()
        if feedback.helpful:
            bump_content_generation(tenant.pk)
