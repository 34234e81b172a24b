"""A small per-process map that forgets its least recently used entries.

Each process keeps a few things it would otherwise fetch or compute on every
request: stored pages (``guides.cache.pages``), host lookups
(``guides.tenancy.resolver``), analysed synonyms, spelling corrections and
catalogues (``guides.search.searching``). None of them is ever invalidated
by hand: their keys hold a generation (``guides.cache.generations``) or the
data they were computed from, so a change makes new keys and old entries
simply fall off the end.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable
from typing import Any


class LRU:
    """A bounded, thread-safe map; the least recently used entry goes first."""

    def __init__(self, size: int):
        self.size = size
        self._entries: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: Hashable, default: Any = None) -> Any:
        """Return the value for ``key`` (now the most recent), or ``default``."""
        with self._lock:
            try:
                self._entries.move_to_end(key)
            except KeyError:
                return default
            return self._entries[key]

    def put(self, key: Hashable, value: Any) -> None:
        """Store ``value`` under ``key``, forgetting the oldest entries past size."""
        with self._lock:
            self._entries[key] = value
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)

    def values(self) -> list:
        """Return the values, oldest first (a copy: safe to iterate)."""
        with self._lock:
            return list(self._entries.values())

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
