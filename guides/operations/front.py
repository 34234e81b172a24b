"""The outermost WSGI layer: probes, metrics, request ids and the access log.

``helpcenter.wsgi`` wraps the whole application (the page cache front and
Django) in ``OperationsFront``:

- ``/healthz``, ``/readyz`` and ``/metrics`` are answered here, on any host,
  before the tenant is looked up and before Django's HTTPS redirect, so a
  probe needs neither a tenant's host name nor ``X-Forwarded-Proto``.
  ``/metrics`` answers only readers in ``HELPCENTER_METRICS_ALLOW`` (their
  address found through trusted proxies); for anyone else the path is passed
  on like any other, and is a 404 there.
- Every other request gets an id (the caller's ``X-Request-ID`` when it is
  sane, else a new one), echoed in the response's ``X-Request-ID`` and put
  on every log record made while it runs; it is counted in the metrics, and
  the ``guides.access`` logger writes one line for it. Stored pages answered
  by ``PageCacheFront`` are counted and logged too.
"""

from __future__ import annotations

import ipaddress
import json
import logging
import time

from django.conf import settings

from guides.operations import context, health, metrics
from guides.operations.clients import client_address

access_logger = logging.getLogger("guides.access")
logger = logging.getLogger(__name__)

JSON = "application/json"


def metrics_allowed(environ) -> bool:
    """Say whether the reader may read ``/metrics``."""
    address = client_address(environ)
    if not address:
        return False
    ip = ipaddress.ip_address(address)
    return any(
        ip in ipaddress.ip_network(network, strict=False)
        for network in settings.HELPCENTER_METRICS_ALLOW
    )


def operations_answer(environ) -> tuple[int, str, bytes]:
    """Return ``(status, content type, body)`` for an operations path."""
    path = environ.get("PATH_INFO", "")
    if path == "/metrics":  # Only asked for readers metrics_allowed() admits.
        body, content_type = metrics.exposition()
        return 200, content_type, body
    status, payload = health.liveness() if path == "/healthz" else health.readiness()
    return status, JSON, json.dumps(payload).encode()


REASONS = {200: "OK", 405: "Method Not Allowed", 503: "Unavailable"}


class OperationsFront:
    """Wrap a WSGI application with probes, metrics and the access log."""

    def __init__(self, application):
        self.application = application

    def __call__(self, environ, start_response):
        started = time.perf_counter()
        rid = context.request_id_from(environ.get("HTTP_X_REQUEST_ID"))
        rid_token = context.request_id.set(rid)
        cache_token = context.page_cache_outcome.set("")
        status_code = 500
        try:
            path = environ.get("PATH_INFO", "")
            if path in metrics.OPERATIONS_PATHS and (
                path != "/metrics" or metrics_allowed(environ)
            ):
                return self.operations(environ, start_response, rid)

            def start(status, headers, exc_info=None):
                nonlocal status_code
                status_code = int(status.split(" ", 1)[0])
                headers = [*headers]  # never the stored page's own list
                if not any(name.lower() == "x-request-id" for name, _v in headers):
                    headers.append(("X-Request-ID", rid))
                return start_response(status, headers, exc_info)

            try:
                body = self.application(environ, start)
            except Exception:
                self.record(environ, 500, started)
                raise
            self.record(environ, status_code, started)
            return body
        finally:
            context.page_cache_outcome.reset(cache_token)
            context.request_id.reset(rid_token)

    def operations(self, environ, start_response, rid: str):
        started = time.perf_counter()
        if environ.get("REQUEST_METHOD") not in ("GET", "HEAD"):
            status, content_type, body = 405, JSON, b'{"status": "method not allowed"}'
            extra = [("Allow", "GET, HEAD")]
        else:
            status, content_type, body = operations_answer(environ)
            extra = []
        start_response(
            f"{status} {REASONS[status]}",
            [
                ("Content-Type", content_type),
                ("Content-Length", str(len(body))),
                ("Cache-Control", "no-store"),
                ("X-Request-ID", rid),
                *extra,
            ],
        )
        metrics.observe(
            status=status,
            path=environ.get("PATH_INFO", ""),
            seconds=time.perf_counter() - started,
            page_cache="",
        )
        return [] if environ.get("REQUEST_METHOD") == "HEAD" else [body]

    @staticmethod
    def record(environ, status: int, started: float) -> None:
        """Count the request and write its access line; never fail the request."""
        seconds = time.perf_counter() - started
        path = environ.get("PATH_INFO", "")
        outcome = context.page_cache_outcome.get()
        try:
            metrics.observe(
                status=status, path=path, seconds=seconds, page_cache=outcome
            )
            access_logger.info(
                "%s %s %s",
                environ.get("REQUEST_METHOD", ""),
                path,
                status,
                extra={
                    "method": environ.get("REQUEST_METHOD", ""),
                    "path": path,
                    "status": status,
                    "duration_ms": round(seconds * 1000, 3),
                    "client": client_address(environ),
                    "view_kind": metrics.view_kind(path),
                    "page_cache": outcome or None,
                    "tenant": tenant_of(environ),
                },
            )
        except Exception:
            logger.warning("Could not record a request", exc_info=True)


def tenant_of(environ) -> int | None:
    """Return the id of the tenant the request's host names, if any.

    The same per-process lookup ``PageCacheFront`` makes for every page, so
    it costs nothing after a host's first request.
    """
    from guides.tenancy.resolver import tenant_id_for_host

    try:
        return tenant_id_for_host(
            environ.get("HTTP_HOST") or environ.get("SERVER_NAME", "")
        )
    except Exception:
        return None
