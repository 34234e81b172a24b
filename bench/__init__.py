"""Benchmarks (``make bench-article``); not part of ``make test``."""
