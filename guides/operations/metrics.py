"""Prometheus metrics (prometheus-client): requests, latency, page cache.

Each process counts its own requests. Under gunicorn with several workers,
set ``PROMETHEUS_MULTIPROC_DIR`` to an empty directory writable by the
workers (cleared before each start): prometheus-client then keeps the
counts in files there and ``/metrics`` adds up every worker's, whichever
worker answers (docs/OPERATIONS.md). Without it, a scrape sees the one
worker that answered it.
"""

from __future__ import annotations

from django.conf import settings
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client import REGISTRY as PROCESS_REGISTRY

REQUESTS = Counter(
    "helpcenter_requests",
    "Requests answered, by status class and view kind.",
    ["status_class", "view_kind"],
)
LATENCY = Histogram(
    "helpcenter_request_duration_seconds",
    "Time to produce a response, by status class and view kind.",
    ["status_class", "view_kind"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
PAGE_CACHE = Counter(
    "helpcenter_page_cache_lookups",
    "Public pages asked of the page cache, by outcome (hit or miss).",
    ["outcome"],
)

#: Paths of the operations endpoints (answered by OperationsFront).
OPERATIONS_PATHS = ("/healthz", "/readyz", "/metrics")


def view_kind(path: str) -> str:
    """Return a coarse, bounded name for the kind of page at ``path``."""
    if path in OPERATIONS_PATHS:
        return "operations"
    if path.startswith("/static/"):
        return "static"
    if path.startswith("/admin/"):
        return "admin"
    if path in ("/robots.txt", "/sitemap.xml") or (
        path.startswith("/sitemap-") and path.endswith(".xml")
    ):
        return "sitemap"
    parts = path.split("/")
    if len(parts) > 2 and parts[2] == "search":
        return "search"
    return "public"


def observe(*, status: int, path: str, seconds: float, page_cache: str) -> None:
    """Count one answered request."""
    labels = (f"{status // 100}xx", view_kind(path))
    REQUESTS.labels(*labels).inc()
    LATENCY.labels(*labels).observe(seconds)
    if page_cache:
        PAGE_CACHE.labels(page_cache).inc()


def exposition() -> tuple[bytes, str]:
    """Return the metrics text and its content type."""
    if settings.PROMETHEUS_MULTIPROC_DIR:
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(
            registry, path=settings.PROMETHEUS_MULTIPROC_DIR
        )
    else:
        registry = PROCESS_REGISTRY
    return generate_latest(registry), CONTENT_TYPE_LATEST
