"""Caching: content generations, a per-process LRU, the page cache and its WSGI front."""
