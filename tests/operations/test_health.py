"""/healthz and /readyz: JSON on any host, no tenant lookup, no HTTPS redirect."""

from __future__ import annotations

import json
from unittest import mock

import pytest
from django.db import OperationalError, connection

from tests.operations.wsgi import call

pytestmark = pytest.mark.django_db


@pytest.fixture
def production_like(settings):
    """HTTPS redirect and proxy header on, as helpcenter.settings.production has."""
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")


@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
@pytest.mark.parametrize("host", ["unknown.example", "alpha.test", "10.1.2.3:8000"])
def test_probes_answer_json_on_any_host_over_plain_http(
    path, host, tenant_a, production_like
):
    with mock.patch("guides.tenancy.resolver.tenant_for_host") as lookup:
        status, headers, body = call(path, host=host)
    assert status == 200, body
    assert headers["content-type"] == "application/json"
    assert headers["cache-control"] == "no-store"
    assert "location" not in headers
    assert json.loads(body)["status"] == "ok"
    lookup.assert_not_called()  # no tenant lookup


def test_readyz_reports_database_and_cache():
    status, _headers, body = call("/readyz")
    assert (status, json.loads(body)) == (
        200,
        {"status": "ok", "database": "ok", "cache": "ok"},
    )


def test_readyz_is_503_when_the_database_is_down_and_healthz_stays_200():
    with mock.patch.object(
        connection, "cursor", side_effect=OperationalError("connection refused")
    ):
        ready = call("/readyz")
        alive = call("/healthz")
    assert ready[0] == 503
    assert json.loads(ready[2])["database"] == "unavailable"
    assert alive[0] == 200


def test_a_cache_outage_is_reported_but_not_fatal():
    with mock.patch("django.core.cache.cache.set", side_effect=ConnectionError):
        status, _headers, body = call("/readyz")
    assert status == 200
    assert json.loads(body) == {
        "status": "ok",
        "database": "ok",
        "cache": "unavailable",
    }


def test_a_probe_answers_head_without_a_body_and_refuses_post():
    assert call("/healthz", method="HEAD")[::2] == (200, b"")
    status, headers, _body = call("/healthz", method="POST")
    assert (status, headers["allow"]) == (405, "GET, HEAD")


def test_other_paths_on_an_unknown_host_are_still_the_unknown_host_page():
    status, _headers, body = call("/healthz/", host="unknown.example")
    assert status == 404
    assert b"Help center not found" in body
