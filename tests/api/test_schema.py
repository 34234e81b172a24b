"""Schemathesis against /api/v1/openapi.json: every operation, with bounded
examples (valid and invalid), anonymous and with an editor's token.

No server error, and every response conforms to the schema: its status code,
content type, headers and body. The examples run inside the test's
transaction, through the WSGI application the servers run.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import override_settings
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from guides.models import Membership
from tests.api.conftest import A, token_for

pytestmark = pytest.mark.django_db

#: Examples per operation and generation mode.
MAX_EXAMPLES = 15

#: No server error, and the response is the one the schema documents.
#: (Schemathesis's checks of whether valid-looking input is accepted are left
#: out: a schema cannot say that a cursor must be one the API gave out.)
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """Keep the test's connection (and transaction) across requests.

    Schemathesis calls the WSGI application directly, whose request signals
    would close the connection after each request, as Django's test client
    prevents.
    """
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


def _operations():
    from helpcenter.wsgi import application

    schema = schemathesis.openapi.from_wsgi(
        "/api/v1/openapi.json", application, headers={"Host": A}
    )
    return [result.ok() for result in schema.get_all_operations()]


@override_settings(HELPCENTER_API_RATE_LIMIT=(1_000_000, 60))
@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_every_operation_conforms_to_the_schema(tenant_a, published_a, mode):
    _user, secret = token_for(tenant_a, Membership.Role.REVIEWER)
    operations = _operations()
    assert len(operations) == 13
    failures = []
    for operation in operations:
        # Schemathesis's WSGI transport asks for gzip and brotli but does not
        # decode them; compression has its own tests (tests/cache).
        headers = {"Host": A, "Accept-Encoding": "identity"}
        if "/editor/" in operation.path:
            headers["Authorization"] = f"Bearer {secret}"
        try:
            _examples(operation, mode, headers)()
        except (Exception, BaseExceptionGroup) as error:
            failures.append(f"{operation.label}: {error}")
    assert failures == [], "\n\n".join(failures)


def _examples(operation, mode, headers):
    """Return the bounded hypothesis test of one operation."""

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        derandomize=True,
        database=None,
    )
    def check(case):
        case.call_and_validate(headers=headers, checks=CHECKS)

    return check
