"""A small per-process least-recently-used map."""

from __future__ import annotations

import threading
from collections import OrderedDict


class LocalPages:
    """A small per-process copy of recently served pages, in front of the cache.

    Safe without invalidation: the key holds the tenant's content generation,
    read from the shared cache on every request, so a publish on any server
    makes every process look up a new key. It saves a cache round trip and
    the unpickling of the page on the hottest path.
    """

    def __init__(self, size: int = 256):
        self.size = size
        self._pages: OrderedDict[str, dict] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> dict | None:
        with self._lock:
            entry = self._pages.get(key)
            if entry is not None:
                self._pages.move_to_end(key)
            return entry

    def put(self, key: str, entry: dict) -> None:
        with self._lock:
            self._pages[key] = entry
            self._pages.move_to_end(key)
            while len(self._pages) > self.size:
                self._pages.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._pages.clear()
