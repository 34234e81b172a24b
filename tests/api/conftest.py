import pytest

from guides import services
from guides.models import Membership
from guides.tenancy import tenant_context
from tests.factories import (
    make_article,
    make_card_type,
    make_carrier,
    make_tenant,
    make_user,
)

A = "alpha.test"
B = "beta.test"


@pytest.fixture
def tenant_a(db):
    return make_tenant("alpha", hosts=[A, "www.alpha.test"])


@pytest.fixture
def tenant_b(db):
    return make_tenant("beta", hosts=[B])


@pytest.fixture
def published_a(tenant_a, django_capture_on_commit_callbacks):
    """A published procedure with a carrier and card type in tenant A (indexed)."""
    carrier = make_carrier(tenant_a)
    card = make_card_type(tenant_a)
    with tenant_context(tenant_a), django_capture_on_commit_callbacks(execute=True):
        return make_article(
            tenant_a, "cancel-esim", publish=True, carrier=carrier, card_type=card
        )


@pytest.fixture
def published_b(tenant_b, django_capture_on_commit_callbacks):
    """A procedure of tenant B under the same slug, with another title."""
    with tenant_context(tenant_b), django_capture_on_commit_callbacks(execute=True):
        return make_article(
            tenant_b,
            "cancel-esim",
            publish=True,
            title_zh_hans="乙的注销",
            title_en="Beta's cancel",
        )


def token_for(tenant, role=Membership.Role.EDITOR, username=None):
    """Return (user, secret) of a new member of ``tenant`` with ``role``."""
    user = make_user(username, tenant=tenant, role=role)
    with tenant_context(tenant):
        _token, secret = services.api_token_create(user=user, name="test")
    return user, secret


@pytest.fixture
def editor_a(tenant_a):
    return token_for(tenant_a, Membership.Role.EDITOR)


@pytest.fixture
def reviewer_a(tenant_a):
    return token_for(tenant_a, Membership.Role.REVIEWER)
