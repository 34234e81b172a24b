"""Front-end cache backends, configured like ``CACHES``.

``HELPCENTER_FRONTEND_CACHES`` maps a name to ``{"BACKEND": dotted path of a
class, ...options}``::

    HELPCENTER_FRONTEND_CACHES = {
        "varnish": {
            "BACKEND": "guides.frontcache.backends.varnish.VarnishBackend",
            "LOCATIONS": ["http://127.0.0.1:6081"],
        },
    }

A backend's ``purge(tenant_id=..., keys=[...])`` evicts everything tagged with
any of ``keys`` (all of one tenant) or raises ``PurgeError``. An empty setting
(the default) turns purging off: writes then enqueue nothing.
"""

from __future__ import annotations

import functools
import json
import urllib.error
import urllib.request
from collections.abc import Iterable, Iterator

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

#: Seconds a cache's API may take to answer one purge request.
TIMEOUT = 5


class PurgeError(Exception):
    """A cache did not confirm a purge; the outbox will send it again."""


class FrontendCacheBackend:
    """Base of every backend: options, HTTP, batching."""

    #: Keys one request may carry (the provider's limit).
    batch_size = 100

    def __init__(self, name: str, params: dict) -> None:
        self.name = name
        self.params = params
        self.timeout = float(params.get("TIMEOUT", TIMEOUT))

    def option(self, name: str):
        try:
            return self.params[name]
        except KeyError:
            raise ImproperlyConfigured(
                f"HELPCENTER_FRONTEND_CACHES[{self.name!r}] needs {name!r}."
            ) from None

    def batches(self, keys: list[str]) -> Iterator[list[str]]:
        for start in range(0, len(keys), self.batch_size):
            yield keys[start : start + self.batch_size]

    def purge(self, *, tenant_id: int, keys: list[str]) -> None:
        raise NotImplementedError

    def send(
        self,
        method: str,
        url: str,
        *,
        headers: dict[str, str] | None = None,
        body: bytes | None = None,
    ) -> bytes:
        """Send one request; return the body of a 2xx answer, else raise."""
        if not url.startswith(("http://", "https://")):
            raise PurgeError(f"{self.name}: not an http(s) URL: {url!r}")
        request = urllib.request.Request(  # noqa: S310  (http(s) only, checked above)
            url, data=body, method=method, headers=headers or {}
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310  (configured http(s) URL)
                return response.read()
        except urllib.error.HTTPError as exc:
            detail = exc.read()[:300].decode("utf-8", "replace")
            raise PurgeError(
                f"{self.name}: {method} {url}: {exc.code} {detail}"
            ) from exc
        except (OSError, ValueError) as exc:
            raise PurgeError(f"{self.name}: {method} {url}: {exc}") from exc

    def send_json(self, method: str, url: str, payload, headers: dict) -> dict:
        answer = self.send(
            method,
            url,
            headers={"Content-Type": "application/json", **headers},
            body=json.dumps(payload).encode(),
        )
        return json.loads(answer or b"{}")


def frontend_caches() -> dict:
    return getattr(settings, "HELPCENTER_FRONTEND_CACHES", None) or {}


def is_enabled() -> bool:
    """Say whether any front-end cache is configured (else nothing is purged)."""
    return bool(frontend_caches())


def get_backends() -> list[FrontendCacheBackend]:
    """Return a backend for each configured cache (``ImproperlyConfigured`` else)."""
    caches = frontend_caches()
    return [_load(name, _frozen(params)) for name, params in sorted(caches.items())]


def _frozen(params: dict) -> str:
    return json.dumps(params, sort_keys=True, default=str)


@functools.lru_cache(maxsize=32)
def _load(name: str, frozen: str) -> FrontendCacheBackend:
    params = json.loads(frozen)
    path = params.get("BACKEND", "")
    try:
        backend_class = import_string(path)
    except ImportError as exc:
        raise ImproperlyConfigured(
            f"HELPCENTER_FRONTEND_CACHES[{name!r}]: no backend {path!r}."
        ) from exc
    return backend_class(name, params)


def key_tenant(key: str) -> int | None:
    """Return the tenant id a surrogate key starts with (``t12-a3`` -> 12)."""
    head = key.split("-", 1)[0]
    valid = (
        head.startswith("t")
        and head[1:].isdigit()
        and key.isascii()
        and all(part.isalnum() for part in key.split("-"))
    )
    return int(head[1:]) if valid else None


def tenants_of(keys: Iterable[str]) -> dict[int, list[str]]:
    """Group keys by the tenant they start with; drop anything else."""
    grouped: dict[int, list[str]] = {}
    for key in keys:
        tenant_id = key_tenant(key)
        if tenant_id is None:
            continue  # Not one of ours: never purge across tenants.
        keys_of = grouped.setdefault(tenant_id, [])
        if key not in keys_of:
            keys_of.append(key)
    return grouped
