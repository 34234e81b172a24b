"""JSON log lines with a request id, the access log, and Prometheus metrics."""

from __future__ import annotations

import io
import json
import logging

import pytest
from prometheus_client import REGISTRY

from guides.operations.logs import JsonFormatter, RequestContextFilter
from guides.tenancy import tenant_context
from tests.factories import make_article
from tests.operations.wsgi import call

pytestmark = pytest.mark.django_db

A = "alpha.test"


@pytest.fixture
def published(tenant_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), tenant_context(tenant_a):
        return make_article(tenant_a, "cancel-esim", publish=True, title_en="eSIM")


@pytest.fixture
def lines():
    """Capture what the access log and django.request write, as the settings do."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestContextFilter())
    handler.setFormatter(JsonFormatter())
    loggers = [logging.getLogger("guides.access"), logging.getLogger("django.request")]
    for logger in loggers:
        logger.addHandler(handler)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    for logger in loggers:
        logger.removeHandler(handler)


def test_the_settings_write_json_lines_with_the_request_context():
    handler = logging.getLogger("guides.access").handlers[0]
    assert isinstance(handler.formatter, JsonFormatter)
    assert any(isinstance(f, RequestContextFilter) for f in handler.filters)
    assert logging.getLogger("guides.access").getEffectiveLevel() == logging.INFO


def test_one_access_line_per_request_with_every_field(lines, published, tenant_a):
    status, headers, _body = call("/en/guides/cancel-esim/", host=A, remote="10.9.8.7")
    assert status == 200
    (line,) = [entry for entry in lines() if entry["logger"] == "guides.access"]
    assert line["request_id"] == headers["x-request-id"]
    assert line["tenant"] == tenant_a.pk
    assert (line["method"], line["path"], line["status"]) == (
        "GET",
        "/en/guides/cancel-esim/",
        200,
    )
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] >= 0
    assert (line["client"], line["view_kind"], line["level"]) == (
        "10.9.8.7",
        "public",
        "INFO",
    )
    assert line["time"].endswith("+00:00")


def test_a_sane_request_id_is_echoed_and_put_on_every_record(lines, published):
    status, headers, _body = call(
        "/en/guides/no-such-page/", host=A, headers={"X-Request-ID": "lb-1234.abc"}
    )
    assert (status, headers["x-request-id"]) == (404, "lb-1234.abc")
    records = lines()
    assert {entry["logger"] for entry in records} == {"django.request", "guides.access"}
    assert {entry["request_id"] for entry in records} == {"lb-1234.abc"}


@pytest.mark.parametrize("header", ["", "x" * 200, "a b", "id\x01", "<script>"])
def test_an_insane_request_id_is_replaced(header, published):
    _status, headers, _body = call(
        "/robots.txt", host=A, headers={"X-Request-ID": header}
    )
    assert headers["x-request-id"] != header
    assert len(headers["x-request-id"]) == 32


def test_a_stored_page_answered_before_django_gets_an_id_and_a_line(lines, published):
    call("/en/guides/cancel-esim/", host=A)  # stores it
    status, headers, _body = call("/en/guides/cancel-esim/", host=A)
    assert status == 200 and headers["x-request-id"]
    access = [entry for entry in lines() if entry["logger"] == "guides.access"]
    assert [entry["page_cache"] for entry in access] == ["miss", "hit"]


def test_the_record_filter_names_the_tenant_of_the_context(tenant_a):
    record = logging.LogRecord("x", logging.WARNING, __file__, 1, "m", (), None)
    with tenant_context(tenant_a):
        RequestContextFilter().filter(record)
    assert record.tenant == tenant_a.pk
    line = json.loads(JsonFormatter().format(record))
    assert (line["tenant"], line["message"], line["request_id"]) == (
        tenant_a.pk,
        "m",
        None,
    )


# --- metrics ------------------------------------------------------------------


def sample(name: str, **labels) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def test_requests_latency_and_page_cache_outcomes_are_counted(published):
    labels = {"status_class": "2xx", "view_kind": "public"}
    before = (
        sample("helpcenter_requests_total", **labels),
        sample("helpcenter_request_duration_seconds_count", **labels),
        sample("helpcenter_page_cache_lookups_total", outcome="miss"),
        sample("helpcenter_page_cache_lookups_total", outcome="hit"),
        sample("helpcenter_requests_total", status_class="4xx", view_kind="public"),
    )
    call("/en/guides/cancel-esim/", host=A)
    call("/en/guides/cancel-esim/", host=A)
    call("/en/guides/missing/", host=A)
    after = (
        sample("helpcenter_requests_total", **labels),
        sample("helpcenter_request_duration_seconds_count", **labels),
        sample("helpcenter_page_cache_lookups_total", outcome="miss"),
        sample("helpcenter_page_cache_lookups_total", outcome="hit"),
        sample("helpcenter_requests_total", status_class="4xx", view_kind="public"),
    )
    # The 404 asked the page cache too (a miss: nothing is stored for it).
    assert [b - a for a, b in zip(before, after, strict=True)] == [2, 2, 2, 1, 1]


def test_metrics_answer_local_readers_on_any_host():
    call("/healthz")
    status, headers, body = call("/metrics", host="unknown.example", remote="::1")
    assert status == 200
    assert headers["content-type"].startswith("text/plain")
    assert b"helpcenter_requests_total" in body
    assert (
        b"helpcenter_page_cache_lookups_total" in body
        or b"helpcenter_page_cache_lookups" in body
    )


@pytest.mark.parametrize("host", ["unknown.example", A])
def test_metrics_are_a_404_for_anyone_else(host, tenant_a):
    status, _headers, body = call("/metrics", host=host, remote="203.0.113.9")
    assert status == 404
    assert b"helpcenter_requests" not in body


def test_metrics_behind_a_local_proxy_answer_only_the_proxy_itself(settings):
    """A proxy on 127.0.0.1 must not expose /metrics to the readers it forwards."""
    settings.HELPCENTER_TRUSTED_PROXIES = ["1"]
    forwarded = {"X-Forwarded-For": "203.0.113.9"}
    assert call("/metrics", remote="127.0.0.1", headers=forwarded)[0] == 404
    assert (
        call("/metrics", remote="127.0.0.1", headers={"X-Forwarded-For": "::1"})[0]
        == 200
    )


def test_the_allowed_networks_are_a_setting(settings):
    settings.HELPCENTER_METRICS_ALLOW = ["203.0.113.0/24"]
    assert call("/metrics", remote="203.0.113.9")[0] == 200
    assert call("/metrics", remote="127.0.0.1")[0] == 404
