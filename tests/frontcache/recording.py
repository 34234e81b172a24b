"""A front-end cache backend that records its purges (and can fail on demand)."""

from __future__ import annotations

from guides.frontcache.backends import FrontendCacheBackend, PurgeError

purges: list[tuple[str, int, list[str]]] = []
failing: set[str] = set()


class RecordingBackend(FrontendCacheBackend):
    def purge(self, *, tenant_id: int, keys: list[str]) -> None:
        if self.name in failing:
            raise PurgeError(f"{self.name} is down")
        purges.append((self.name, tenant_id, list(keys)))
