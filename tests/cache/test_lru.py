"""guides.cache.lru.LRU: the one per-process map of pages, hosts and search."""

from __future__ import annotations

from guides.cache.lru import LRU


def test_the_least_recently_used_entry_goes_first():
    lru = LRU(2)
    lru.put("a", 1)
    lru.put("b", 2)
    assert lru.get("a") == 1  # "a" is now the most recent
    lru.put("c", 3)
    assert (lru.get("a"), lru.get("b"), lru.get("c")) == (1, None, 3)
    assert len(lru) == 2


def test_putting_a_key_again_replaces_it_and_makes_it_recent():
    lru = LRU(2)
    lru.put("a", 1)
    lru.put("b", 2)
    lru.put("a", 10)
    lru.put("c", 3)
    assert lru.values() == [10, 3]


def test_a_stored_none_is_told_apart_from_a_missing_key():
    lru = LRU(4)
    missing = object()
    lru.put("unknown.example", None)
    assert lru.get("unknown.example", missing) is None
    assert lru.get("other.example", missing) is missing


def test_clear_forgets_everything():
    lru = LRU(4)
    lru.put(("tenant", 1), "x")
    lru.clear()
    assert len(lru) == 0 and lru.get(("tenant", 1)) is None


def test_every_per_process_map_is_this_lru():
    """Pages, host ids and search's memos share the one implementation."""
    from guides.cache import pages
    from guides.search import searching
    from guides.tenancy import resolver

    for lru in (
        pages.local_pages,
        resolver._local_ids,
        searching._SYNONYMS,
        searching._CORRECTIONS,
        searching._CATALOGUES,
    ):
        assert isinstance(lru, LRU)
