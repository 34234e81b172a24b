"""A cache outage is not a site outage: a private Redis killed, frozen, restarted.

Every request goes through the application as gunicorn runs it
(``helpcenter.wsgi.application``: ``PageCacheFront`` around Django's WSGI
handler) with the cache pointed at a private ``redis-server``
(``tests/cache/redis_server.py``). Before each request this process's own copy
of the pages is emptied, as for a worker that never served them, so every
page is looked up in Redis. The circuit breaker's clock is a stand-in the
tests move on by hand: no test sleeps through an interval.
"""

from __future__ import annotations

import logging
import subprocess
import sys
import time

import pytest
import redis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import RequestFactory, override_settings

from guides import services
from guides.cache import backends
from guides.cache.front import PageCacheFront
from guides.cache.generations import content_generation
from guides.cache.pages import local_pages
from guides.models import Article
from guides.tenancy import tenant_context
from tests.cache.servers import ROOT
from tests.factories import make_article, make_carrier, make_user

pytestmark = pytest.mark.django_db

A = "alpha.test"
B = "beta.test"
ARTICLE = "/en/guides/cancel-esim/"
PAGES = ("/en/", ARTICLE, "/en/carriers/china-mobile/")
ADMIN_LIST = "/admin/guides/article/"

BACKEND = "guides.cache.backends.FailSoftRedisCache"
CONNECT_TIMEOUT = 0.25
READ_TIMEOUT = 0.5
BREAKER_SECONDS = 5.0

#: Generous bound on one request while Redis is frozen: one read timeout,
#: plus the page rendered from the database. Without a socket timeout the
#: request never returns at all.
FROZEN_REQUEST_SECONDS = 3.0


class Clock:
    """The breaker's clock, moved on by the test."""

    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch):
    fake = Clock()
    monkeypatch.setattr(backends, "clock", fake)
    backends.breakers.clear()
    yield fake
    backends.breakers.clear()


@pytest.fixture
def redis_cache(redis_server, clock):
    """Point the default cache at the private server, as production settings do."""
    caches = {
        "default": {
            "BACKEND": BACKEND,
            "LOCATION": redis_server.url,
            "KEY_PREFIX": "faults",
            "OPTIONS": {
                "socket_connect_timeout": CONNECT_TIMEOUT,
                "socket_timeout": READ_TIMEOUT,
                "breaker_seconds": BREAKER_SECONDS,
            },
        }
    }
    with override_settings(CACHES=caches):
        yield redis_server


@pytest.fixture
def redis_commands(monkeypatch):
    """Count the commands the site sends to Redis (each may wait on a socket)."""
    sent = []
    execute = redis.Redis.execute_command

    def counting(self, *args, **options):
        sent.append(args[0])
        return execute(self, *args, **options)

    monkeypatch.setattr(redis.Redis, "execute_command", counting)
    return sent


class Site:
    """``helpcenter.wsgi.application``'s shape, counting what Django answers."""

    def __init__(self):
        self.handler = WSGIHandler()
        self.django_answers = 0
        self.front = PageCacheFront(self._django)

    def _django(self, environ, start_response):
        self.django_answers += 1
        return self.handler(environ, start_response)

    def get(self, path: str, host: str = A, cookie: str = "") -> tuple[int, str]:
        """Answer ``GET path`` as a worker that never served it; (status, body)."""
        local_pages.clear()
        # A signed-in editor reads the admin in English (titles in English).
        extra = {"HTTP_COOKIE": cookie, "HTTP_ACCEPT_LANGUAGE": "en"} if cookie else {}
        environ = RequestFactory().get(path, HTTP_HOST=host, **extra).environ
        answer = {}

        def start_response(status, headers, exc_info=None):
            answer["status"] = int(status.split()[0])

        # As Django's test client does: the test's transaction stays open.
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        try:
            chunks = self.front(environ, start_response)
            body = b"".join(chunks)
            if hasattr(chunks, "close"):
                chunks.close()
        finally:
            request_started.connect(close_old_connections)
            request_finished.connect(close_old_connections)
        return answer["status"], body.decode()


@pytest.fixture
def site():
    return Site()


@pytest.fixture
def published(tenant_a, tenant_b):
    for tenant, title in ((tenant_a, "Alpha cancels"), (tenant_b, "Beta cancels")):
        with tenant_context(tenant):
            make_article(
                tenant,
                "cancel-esim",
                publish=True,
                carrier=make_carrier(tenant),
                title_en=title,
            )


@pytest.fixture
def session_cookie(client, tenant_a):
    """The cookie of a manager signed in to tenant A's admin (database session)."""
    from django.conf import settings

    client.force_login(make_user("manager", tenant=tenant_a, role="manager"))
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def outage_records(caplog) -> list[logging.LogRecord]:
    return [
        r
        for r in caplog.records
        if r.name.startswith("guides.cache") and "unreachable" in r.getMessage()
    ]


def publish_new_title(tenant, title: str, django_capture_on_commit_callbacks) -> None:
    editor = make_user(tenant=tenant, role="manager")
    with tenant_context(tenant), django_capture_on_commit_callbacks(execute=True):
        article = Article.objects.get(slug="cancel-esim")
        services.article_update(article=article, user=editor, title_en=title)
        services.article_publish(article=Article.objects.get(pk=article.pk), user=None)


# --- killed -----------------------------------------------------------------------


def test_a_killed_redis_costs_no_request_and_is_logged_once(
    redis_cache, site, published, session_cookie, caplog, redis_commands
):
    for path in PAGES:
        assert site.get(path)[0] == 200  # stored in Redis
    assert site.get(ARTICLE)[0] == 200
    answered_by_django = site.django_answers
    caplog.set_level(logging.INFO, logger="guides.cache")

    sent = len(redis_commands)
    redis_cache.kill()
    statuses = []
    for _round in range(5):
        for path in PAGES:
            status, body = site.get(path)
            statuses.append(status)
            if path == ARTICLE:
                assert "Alpha cancels" in body
        status, body = site.get(ADMIN_LIST, cookie=session_cookie)
        statuses.append(status)
        assert "Alpha cancels" in body
    assert set(statuses) == {200}
    # Pages came from the database (uncached), not from a stale copy.
    assert site.django_answers == answered_by_django + len(statuses)
    # The first fault opened the breaker: one refused connection, then none.
    assert len(redis_commands) == sent + 1
    assert len(outage_records(caplog)) == 1


def test_with_redis_down_logins_feedback_and_search_degrade_softly(
    redis_cache, client, published, tenant_a, settings
):
    settings.AXES_ENABLED = True
    make_user("editor", tenant=tenant_a)
    redis_cache.kill()
    login = client.post(
        "/admin/login/?next=/admin/",
        {"username": "editor", "password": "pw-editor"},
        HTTP_HOST=A,
        REMOTE_ADDR="10.0.0.1",
    )
    assert login.status_code == 302
    assert client.get("/admin/", HTTP_HOST=A).status_code == 200
    client.logout()
    feedback = client.post(
        ARTICLE + "feedback/", {"helpful": "yes"}, HTTP_HOST=A, REMOTE_ADDR="10.0.0.2"
    )
    assert feedback.status_code == 303
    assert client.get("/en/search/?q=esim", HTTP_HOST=A).status_code == 200


def test_a_dead_server_answers_every_call_as_a_missing_key(redis_cache, clock):
    from django.core.cache import cache

    cache.set("kept", "value")
    assert cache.get("kept") == "value"
    redis_cache.kill()
    for _probe in range(2):  # the faulting call, then the skipped ones
        assert cache.get("kept") is None
        assert cache.get("kept", "default") == "default"
        assert cache.get_many(["kept"]) == {}
        assert cache.has_key("kept") is False
        assert cache.add("throttle", 1) is True  # let through, not kept
        with pytest.raises(ValueError):
            cache.incr("counter")
        assert cache.get_or_set("kept", "computed") == "computed"
        cache.set("kept", "dropped")
        assert cache.set_many({"a": 1}) == []
        cache.delete("kept")
        cache.delete_many(["a"])
        assert cache.touch("kept") is False
        cache.clear()
        clock.now += BREAKER_SECONDS


# --- frozen -----------------------------------------------------------------------


def test_a_frozen_redis_costs_one_timeout_then_nothing_until_the_probe(
    redis_cache, site, published, clock, redis_commands, caplog
):
    assert site.get(ARTICLE)[0] == 200
    caplog.set_level(logging.INFO, logger="guides.cache")
    redis_cache.freeze()

    started = time.monotonic()
    status, body = site.get(ARTICLE)
    assert (status, "Alpha cancels" in body) == (200, True)
    assert time.monotonic() - started < FROZEN_REQUEST_SECONDS

    # The breaker is open: no request waits on Redis within the interval.
    sent = len(redis_commands)
    for path in PAGES * 3:
        assert site.get(path)[0] == 200
    assert len(redis_commands) == sent

    # Once the interval is over one request probes, fails again, and the
    # breaker stays open for another interval; the outage is logged once per
    # interval.
    clock.now += BREAKER_SECONDS
    started = time.monotonic()
    assert site.get(ARTICLE)[0] == 200
    assert time.monotonic() - started < FROZEN_REQUEST_SECONDS
    probed = len(redis_commands)
    assert probed == sent + 1
    assert site.get(ARTICLE)[0] == 200
    assert len(redis_commands) == probed
    assert len(outage_records(caplog)) == 2


# --- back -------------------------------------------------------------------------


@pytest.mark.parametrize("fault", ["killed-and-restarted-empty", "frozen-and-thawed"])
def test_when_redis_is_back_pages_are_cached_fresh_and_never_another_tenants(
    fault,
    redis_cache,
    site,
    published,
    tenant_a,
    tenant_b,
    clock,
    caplog,
    django_capture_on_commit_callbacks,
):
    for host in (A, B):
        assert site.get(ARTICLE, host=host)[0] == 200
    old_generation = content_generation(tenant_a.pk)
    if fault == "frozen-and-thawed":
        redis_cache.freeze()
    else:
        redis_cache.kill()
    assert "Alpha cancels" in site.get(ARTICLE)[1]  # opens the breaker

    publish_new_title(
        tenant_a, "Alpha cancels anew", django_capture_on_commit_callbacks
    )
    assert content_generation(tenant_a.pk) != old_generation
    assert "Alpha cancels anew" in site.get(ARTICLE)[1]  # from the database

    caplog.set_level(logging.INFO, logger="guides.cache")
    if fault == "frozen-and-thawed":
        redis_cache.thaw()  # still holds the old page under the old generation
    else:
        redis_cache.restart()
    clock.now += BREAKER_SECONDS

    answers = []
    for _round in range(3):
        for host in (A, B):
            status, body = site.get(ARTICLE, host=host)
            answers.append((host, status, "Alpha cancels anew" in body, body))
    for host, status, fresh, body in answers:
        assert status == 200
        if host == A:
            assert fresh, "a page from before the publish was served"
            assert "Beta cancels" not in body
        else:
            assert "Beta cancels" in body and "Alpha cancels" not in body
    assert any("back" in r.getMessage() for r in caplog.records)

    # Cached again: the pages are answered by the front, without Django.
    before = site.django_answers
    for host in (A, B):
        assert site.get(ARTICLE, host=host)[0] == 200
    assert site.django_answers == before


# --- settings ---------------------------------------------------------------------


def test_a_redis_cache_url_gets_the_fail_soft_backend_with_short_timeouts():
    code = (
        "from django.conf import settings; c = settings.CACHES['default'];"
        "print(c['BACKEND'], c.get('OPTIONS', {}).get('socket_connect_timeout'),"
        " c.get('OPTIONS', {}).get('socket_timeout'))"
    )

    def backend(**env):
        done = subprocess.run(
            [sys.executable, "-c", code],
            cwd=ROOT,
            env={
                "PATH": "/usr/bin:/bin",
                "DJANGO_SETTINGS_MODULE": "helpcenter.settings.base",
                **env,
            },
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout.split()

    assert backend(CACHE_URL="redis://127.0.0.1:1/0") == [BACKEND, "0.25", "0.5"]
    assert backend()[0] == "django.core.cache.backends.locmem.LocMemCache"
