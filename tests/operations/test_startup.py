"""Servers refuse to start on settings nobody chose or a key everybody knows.

Each case runs in a fresh interpreter (settings are read once, at start-up);
one case serves production settings with gunicorn and asks for the probes.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
GUNICORN = (sys.executable, "-m", "gunicorn", "helpcenter.wsgi")
REAL_KEY = "k" * 20 + "-production-secret-for-the-start-up-test-" + "z" * 20
SUITE_ONLY = {
    "DJANGO_SETTINGS_MODULE",
    "SECRET_KEY",
    "DEBUG",
    "DATABASE_URL",
    "CACHE_URL",
    "SENTRY_DSN",
    "HELPCENTER_VAR_DIR",
}


def run(args: list[str], tmp_path: Path, **env: str) -> subprocess.CompletedProcess:
    full = {k: v for k, v in os.environ.items() if k not in SUITE_ONLY}
    full.update(HELPCENTER_VAR_DIR=str(tmp_path), PYTHONPATH=str(ROOT), **env)
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=full,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize("entry", ["helpcenter.wsgi", "helpcenter.asgi"])
def test_a_server_entry_refuses_to_start_without_a_settings_module(entry, tmp_path):
    result = run(["-c", f"import {entry}"], tmp_path)
    assert result.returncode != 0
    assert "DJANGO_SETTINGS_MODULE" in result.stderr
    assert "ImproperlyConfigured" in result.stderr


@pytest.mark.parametrize("entry", ["helpcenter.wsgi", "helpcenter.asgi"])
def test_development_settings_named_explicitly_start(entry, tmp_path):
    """What the suite, tests/cache/servers.py and bench/ do: base, dev key."""
    result = run(
        ["-c", f"import {entry}"],
        tmp_path,
        DJANGO_SETTINGS_MODULE="helpcenter.settings.base",
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["-c", "import helpcenter.wsgi"],
        ["-c", "import helpcenter.asgi"],
        ["manage.py", "check"],
    ],
)
def test_a_site_settings_module_refuses_the_development_key(args, tmp_path):
    result = run(
        args, tmp_path, DJANGO_SETTINGS_MODULE="tests.operations.site_settings"
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
    ok = run(
        args,
        tmp_path,
        DJANGO_SETTINGS_MODULE="tests.operations.site_settings",
        SECRET_KEY=REAL_KEY,
    )
    assert ok.returncode == 0, ok.stderr
    debug = run(
        args,
        tmp_path,
        DJANGO_SETTINGS_MODULE="tests.operations.site_settings",
        DEBUG="1",
    )
    assert debug.returncode == 0, debug.stderr


def test_production_settings_refuse_the_development_key_at_the_wsgi_entry(tmp_path):
    result = run(
        ["-c", "import helpcenter.wsgi"],
        tmp_path,
        DJANGO_SETTINGS_MODULE="helpcenter.settings.production",
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_manage_py_keeps_its_development_default(tmp_path):
    """`make run` and `make test` set nothing."""
    result = run(["manage.py", "check"], tmp_path)
    assert result.returncode == 0, result.stderr


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(port: int, path: str, host: str) -> tuple[int, dict, bytes]:
    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}")
    request.add_header("Host", host)
    try:
        with opener.open(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


@pytest.mark.parametrize(
    "database, ready",
    [
        ("sqlite:///{tmp}/ops.sqlite3", 200),
        ("postgres://postgres@127.0.0.1:1/down", 503),
    ],
)
def test_gunicorn_with_production_settings_answers_the_probes(
    database, ready, tmp_path
):
    """No tenant host, no X-Forwarded-Proto, no redirect; /readyz follows the DB."""
    full = {k: v for k, v in os.environ.items() if k not in SUITE_ONLY}
    full.update(
        DJANGO_SETTINGS_MODULE="helpcenter.settings.production",
        SECRET_KEY=REAL_KEY,
        DATABASE_URL=database.format(tmp=tmp_path),
        HELPCENTER_VAR_DIR=str(tmp_path),
        PYTHONPATH=str(ROOT),
    )
    port = free_port()
    log = tmp_path / "gunicorn.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [*GUNICORN, "--bind", f"127.0.0.1:{port}", "--workers", "1"],
            cwd=ROOT,
            env=full,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, log.read_text()
            try:
                alive = get(port, "/healthz", "unknown.example")
                break
            except OSError:
                assert time.monotonic() < deadline, log.read_text()
                time.sleep(0.1)
        assert alive[0] == 200 and json.loads(alive[2]) == {"status": "ok"}
        status, headers, body = get(port, "/readyz", "10.0.0.7")
        assert status == ready, body
        assert "Location" not in headers
        assert json.loads(body)["database"] == ("ok" if ready == 200 else "unavailable")
        assert headers["X-Request-ID"]
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_gunicorn_refuses_to_start_without_a_settings_module(tmp_path):
    full = {k: v for k, v in os.environ.items() if k not in SUITE_ONLY}
    full.update(PYTHONPATH=str(ROOT), HELPCENTER_VAR_DIR=str(tmp_path))
    result = subprocess.run(
        [*GUNICORN, "--bind", f"127.0.0.1:{free_port()}", "--workers", "1"],
        cwd=ROOT,
        env=full,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "DJANGO_SETTINGS_MODULE" in result.stdout + result.stderr


SENTRY = """
import django, json
django.setup()
import sentry_sdk
client = sentry_sdk.get_client()
print(json.dumps({"active": client.is_active(),
                  "pii": client.options.get("send_default_pii")}))
"""


def test_sentry_starts_only_with_a_dsn_and_sends_no_personal_data(tmp_path):
    base = {"DJANGO_SETTINGS_MODULE": "helpcenter.settings.base"}
    off = run(["-c", SENTRY], tmp_path, **base)
    assert json.loads(off.stdout)["active"] is False, off.stderr
    on = run(["-c", SENTRY], tmp_path, SENTRY_DSN="http://key@127.0.0.1:9/1", **base)
    assert json.loads(on.stdout) == {"active": True, "pii": False}, on.stderr
