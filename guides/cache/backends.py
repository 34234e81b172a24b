"""A Redis cache whose outage is a cache miss, never a site outage.

Every use of the cache on this site is an optimisation or a soft limit: pages
(keyed by a generation that lives in the database), host lookups, the admin's
help-center list, search vocabularies, and the feedback and search-log
throttles. So ``FailSoftRedisCache`` answers a Redis that refuses, is
unreachable or is frozen the way a cache answers a missing key:

- reads return the default (a miss), ``get_many`` an empty dict,
  ``has_key`` and ``touch`` False;
- writes (``set``, ``set_many``, ``delete``, ``delete_many``, ``clear``) are
  dropped;
- ``add`` returns True as on a missing key (the value is not kept: a throttle
  lets the action through, as it would after its window), and ``incr``
  raises ``ValueError`` as on a missing key, which every caller handles.

Sockets get short connect and read timeouts (``socket_connect_timeout`` and
``socket_timeout`` in ``OPTIONS``, set by the settings) and redis-py retries
nothing, so a frozen server costs one read timeout, not a stalled request.

A circuit breaker, one per process and server, keeps a dead Redis from
costing a timeout on every request: after a connection fault the cache is
skipped for ``breaker_seconds`` (``OPTIONS``, default 5), then one call
probes the server again. The outage is logged (logger ``guides.cache``) when
the breaker opens and after every failed probe, so once per interval, and the
recovery once.

Nothing stale or foreign can come back with the server: a page's key holds
its tenant and the tenant's content generation, read from the database, so a
change made during the outage makes new keys, and whatever the server kept
(after SIGCONT) or lost (after a restart) is at worst an unused entry.
"""

from __future__ import annotations

import functools
import logging
import threading
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger(__name__)

#: Seconds the cache is skipped after a connection fault, before one probe.
BREAKER_SECONDS = 5.0

#: The clock the breaker is measured on (tests replace it).
clock = time.monotonic


class Breaker:
    """Open after a connection fault; let one caller probe once per interval.

    Shared by every thread of the process (Django gives each thread its own
    cache object, so the state cannot live on the cache object).
    """

    def __init__(self, name: str, interval: float):
        self.name = name
        self.interval = interval
        #: When the next probe may run; None while the breaker is closed.
        self.retry_at: float | None = None
        self.logged_at: float | None = None
        self._lock = threading.Lock()

    def allows(self) -> bool:
        """Say whether this call may use the server (closed, or this call probes)."""
        if self.retry_at is None:
            return True
        now = clock()
        with self._lock:
            if self.retry_at is None:
                return True
            if now < self.retry_at:
                return False
            # This call probes; the others keep skipping until it is done.
            self.retry_at = now + self.interval
            return True

    def failed(self, error: Exception) -> None:
        """Open (or keep open) after a fault; log it once per interval."""
        now = clock()
        with self._lock:
            self.retry_at = now + self.interval
            # Calls under way when the breaker opened fail too: only the
            # first fault of an interval is news.
            log = self.logged_at is None or now - self.logged_at >= self.interval
            if log:
                self.logged_at = now
        if log:
            logger.warning(
                "Cache %s unreachable (%s: %s); answering without it for %g s",
                self.name,
                type(error).__name__,
                error,
                self.interval,
            )

    def succeeded(self) -> None:
        """Close after a successful call; log the recovery once."""
        if self.retry_at is None:
            return
        with self._lock:
            if self.retry_at is None:
                return
            self.retry_at = None
            self.logged_at = None
        logger.warning("Cache %s is back", self.name)


#: servers -> this process's breaker for them.
breakers: dict[tuple[str, ...], Breaker] = {}
_breakers_lock = threading.Lock()


def breaker_for(servers: list[str], interval: float) -> Breaker:
    """Return this process's breaker for ``servers`` (one per server list)."""
    key = tuple(servers)
    with _breakers_lock:
        breaker = breakers.get(key)
        if breaker is None:
            # The address only: a password in the URL stays out of the logs.
            name = ",".join(server.rsplit("@", 1)[-1] for server in servers)
            breaker = breakers[key] = Breaker(name, interval)
        return breaker


def fail_soft(miss):
    """Run the wrapped method against Redis unless the breaker is open.

    ``miss`` takes the method's arguments and returns (or raises) what the
    call answers when Redis is skipped or faults, as for a missing key.
    """

    def decorator(method):
        @functools.wraps(method)
        def wrapper(self, *args, **kwargs):
            import redis

            breaker = self.breaker
            if not breaker.allows():
                return miss(*args, **kwargs)
            try:
                result = method(self, *args, **kwargs)
            except (redis.ConnectionError, redis.TimeoutError) as error:
                breaker.failed(error)
                return miss(*args, **kwargs)
            except redis.RedisError:
                # The server answered, with an error (out of memory, a
                # read-only replica): a miss for this call, nothing to skip.
                logger.warning("Cache %s refused a call", breaker.name, exc_info=True)
                return miss(*args, **kwargs)
            breaker.succeeded()
            return result

        return wrapper

    return decorator


def _returns(value):
    return lambda *args, **kwargs: value() if callable(value) else value


def _default(key, default=None, version=None):
    return default


def _key_missing(key, *args, **kwargs):
    raise ValueError(f"Key '{key}' not found.")


class FailSoftRedisCache(RedisCache):
    """Django's Redis cache, answering a fault as a miss (see the module docstring)."""

    def __init__(self, server, params):
        params = {**params, "OPTIONS": {**params.get("OPTIONS", {})}}
        options = params["OPTIONS"]
        interval = float(options.pop("breaker_seconds", BREAKER_SECONDS))
        # Each redis-py retry would cost another timeout: the breaker decides.
        options.setdefault("retry", _no_retry())
        super().__init__(server, params)
        self.breaker = breaker_for(self._servers, interval)

    @fail_soft(_default)
    def get(self, key, default=None, version=None):
        return super().get(key, default, version)

    @fail_soft(_returns(dict))
    def get_many(self, keys, version=None):
        return super().get_many(keys, version)

    @fail_soft(_returns(False))
    def has_key(self, key, version=None):
        return super().has_key(key, version)

    @fail_soft(_returns(True))
    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return super().add(key, value, timeout, version)

    @fail_soft(_returns(None))
    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return super().set(key, value, timeout, version)

    @fail_soft(_returns(False))
    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return super().touch(key, timeout, version)

    @fail_soft(_returns(False))
    def delete(self, key, version=None):
        return super().delete(key, version)

    @fail_soft(_key_missing)
    def incr(self, key, delta=1, version=None):
        return super().incr(key, delta, version)

    @fail_soft(_returns(list))
    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return super().set_many(data, timeout, version)

    @fail_soft(_returns(None))
    def delete_many(self, keys, version=None):
        return super().delete_many(keys, version)

    @fail_soft(_returns(False))
    def clear(self):
        return super().clear()


def _no_retry():
    from redis.backoff import NoBackoff
    from redis.retry import Retry

    return Retry(NoBackoff(), 0)
