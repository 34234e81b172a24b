"""Two real gunicorn servers sharing one database, each with its own cache.

The README's deployment (``gunicorn --workers 2``) with the default
per-process local-memory cache: a write made by a third process (the editor,
``tests.cache.servers``) reaches every server within about a second, because
the generations that key cached pages and host lookups live in the database
(``guides.cache.generations``). And no byte sequence in a request path gets
a 500 over real HTTP.
"""

from __future__ import annotations

import time

import psycopg
import pytest
from django.conf import settings

from guides.cache import generations
from tests.cache.servers import HOST, ServerSet, raw_get
from tests.cache.test_front import NAUGHTY_PATHS

#: How long the servers reuse their copy of a generation, and the slack
#: allowed on a busy machine for the requests that notice a change.
REFRESH_SECONDS = generations.REFRESH_SECONDS
SLACK_SECONDS = 1.0


def _database_url(tmp_path) -> tuple[str, str | None]:
    """Return the servers' database URL, and a PostgreSQL database to drop."""
    database = settings.DATABASES["default"]
    if database["ENGINE"] != "django.db.backends.postgresql":
        return f"sqlite:///{tmp_path / 'servers.sqlite3'}", None
    name = f"{database['NAME']}_servers"
    with psycopg.connect(
        host=database["HOST"] or "127.0.0.1",
        port=database["PORT"] or 5432,
        user=database["USER"],
        dbname="postgres",
        autocommit=True,
    ) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    host = database["HOST"] or "127.0.0.1"
    port = database["PORT"] or 5432
    return f"postgres://{database['USER']}@{host}:{port}/{name}", name


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("servers")
    url, postgres_name = _database_url(tmp_path)
    server_set = ServerSet(tmp_path, url, count=2)
    try:
        server_set.start()
        yield server_set
    finally:
        server_set.stop()
        if postgres_name:
            database = settings.DATABASES["default"]
            with psycopg.connect(
                host=database["HOST"] or "127.0.0.1",
                port=database["PORT"] or 5432,
                user=database["USER"],
                dbname="postgres",
                autocommit=True,
            ) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{postgres_name}" WITH (FORCE)')


def get(port: int, path: str, host: str = HOST):
    status, _headers, body = raw_get(port, path.encode(), host=host)
    return status, body


def warm(servers, *paths: str) -> None:
    """Have every server store each page (the second answer is the stored one)."""
    for port in servers.ports:
        for path in paths:
            for _ in range(2):
                assert get(port, path)[0] == 200, (port, path)


def write(servers, *command: str) -> float:
    """Make a write in the editor's process; return when it was committed."""
    servers.run("editor", *command)
    return time.monotonic()


def converge(servers, check, committed: float) -> float:
    """Poll every server until ``check(port)`` holds on all of them.

    Return the seconds from the commit to the last server's change; fail
    once that passes ``REFRESH_SECONDS + SLACK_SECONDS``.
    """
    pending = set(servers.ports)
    while True:
        for port in sorted(pending):
            if check(port):
                pending.discard(port)
        elapsed = time.monotonic() - committed
        if not pending:
            return elapsed
        assert elapsed < REFRESH_SECONDS + SLACK_SECONDS, (
            f"still stale on port(s) {sorted(pending)} {elapsed:.2f} s after the "
            f"commit\n{servers.log()}"
        )
        time.sleep(0.02)


def test_an_unpublish_reaches_every_server_within_a_second(servers):
    page = "/en/guides/cancel-esim/"
    warm(servers, page, "/en/")
    committed = write(servers, "unpublish", "cancel-esim")
    elapsed = converge(servers, lambda port: get(port, page)[0] == 404, committed)
    assert elapsed < REFRESH_SECONDS + SLACK_SECONDS
    for port in servers.ports:
        assert b"/en/guides/cancel-esim/" not in get(port, "/en/")[1]


def test_a_delete_reaches_every_server_within_a_second(servers):
    page = "/en/guides/close-card/"
    warm(servers, page, "/en/", "/en/carriers/china-mobile/")

    def gone(port) -> bool:
        return get(port, page)[0] == 404 and not any(
            page.encode() in get(port, listing)[1]
            for listing in ("/en/", "/en/carriers/china-mobile/")
        )

    converge(servers, gone, write(servers, "delete", "close-card"))


def test_a_tenant_rename_reaches_every_server_within_a_second(servers):
    page = "/en/guides/stop-roaming/"
    warm(servers, page)
    assert b"Renamed Help" not in get(servers.ports[0], page)[1]
    committed = write(servers, "rename", "Renamed Help")
    converge(servers, lambda port: b"Renamed Help" in get(port, page)[1], committed)


def test_a_host_added_and_removed_reaches_every_server_within_a_second(servers):
    page = "/en/guides/stop-roaming/"
    for port in servers.ports:
        assert get(port, page, host="new.alpha.test")[0] == 404
        assert get(port, page, host=f"www.{HOST}")[0] == 200
    committed = write(servers, "add-host", "new.alpha.test")
    converge(
        servers,
        lambda port: get(port, page, host="new.alpha.test")[0] == 200,
        committed,
    )
    committed = write(servers, "remove-host", f"www.{HOST}")
    converge(
        servers,
        lambda port: get(port, page, host=f"www.{HOST}")[0] == 404,
        committed,
    )


#: Request targets as raw bytes: escapes, and octets no client should send
#: unescaped (UTF-8 text, invalid UTF-8, a NUL).
RAW_TARGETS = [
    *(path.encode("latin-1") for path in NAUGHTY_PATHS if path.isascii()),
    "/zh-hans/carriers/\u03a9/".encode(),
    "/en/guides/\u6ce8\u9500/".encode(),
    b"/en/guides/\xff/",
    b"/en/guides/\xc0\xaf/",
    b"/en/guides/\xed\xa0\x80/",
    b"/en/guides/\x00/",
    b"/\x7f",
]


@pytest.mark.parametrize("host", [HOST, "nobody.test"])
def test_no_byte_sequence_in_a_path_gets_a_500_over_http(servers, host):
    warm(servers, "/en/", "/zh-hans/")
    statuses = {}
    for port in servers.ports:
        for target in RAW_TARGETS:
            for _ in range(2):  # the second time, anything stored is answered
                statuses[target] = raw_get(port, target, host=host)[0]
    errors = {target: status for target, status in statuses.items() if status >= 500}
    assert not errors, servers.log()
    # 414: gunicorn refuses a request line over 4094 bytes before the app.
    assert set(statuses.values()) <= {301, 302, 400, 404, 414}, statuses
