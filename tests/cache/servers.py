"""Real servers for tests: gunicorn processes on 127.0.0.1 sharing one database.

``ServerSet`` migrates a database of its own (an SQLite file, or a PostgreSQL
database next to the test database when the suite runs on PostgreSQL),
seeds it, and starts gunicorn processes on free ports, each with its own
default local-memory cache, as ``gunicorn --workers N`` runs them. Writes
are made by another process too, ``python -m tests.cache.servers <command>``
(an editor's request in miniature), through the services.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
HOST = "alpha.test"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def raw_get(port: int, target: bytes, host: str = HOST, timeout: float = 10):
    """Send ``GET target`` as raw bytes; return ``(status, headers, body)``."""
    request = (
        b"GET " + target + b" HTTP/1.1\r\nHost: " + host.encode() + b"\r\n"
        b"Connection: close\r\n\r\n"
    )
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(request)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    response = b"".join(chunks)
    head, _sep, body = response.partition(b"\r\n\r\n")
    status_line, *header_lines = head.split(b"\r\n")
    headers = {}
    for line in header_lines:
        name, _colon, value = line.partition(b":")
        headers[name.decode("latin-1").lower()] = value.strip().decode("latin-1")
    return int(status_line.split()[1]), headers, body


class ServerSet:
    """Gunicorn processes serving one database, and an editor to write to it."""

    def __init__(self, workdir: Path, database_url: str, count: int = 2):
        self.workdir = workdir
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "helpcenter.settings.base",
            "DATABASE_URL": database_url,
            "CACHE_URL": "locmem://",
            "HELPCENTER_VAR_DIR": str(workdir),
            "DEBUG": "false",
            "PYTHONPATH": str(ROOT),
        }
        self.count = count
        self.ports: list[int] = []
        self.processes: list[subprocess.Popen] = []
        self._logs: list = []

    def run(self, *args: str) -> str:
        """Run ``manage.py`` or an editor command (``editor ...``) to its end."""
        if args[0] == "editor":
            command = [sys.executable, "-m", "tests.cache.servers", *args[1:]]
        else:
            command = [sys.executable, "manage.py", *args]
        done = subprocess.run(
            command,
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, done.stderr[-3000:]
        return done.stdout

    def start(self) -> None:
        self.run("migrate", "--no-input", "-v", "0")
        self.run("editor", "seed")
        for index in range(self.count):
            port = free_port()
            log = open(self.workdir / f"gunicorn-{index}.log", "wb")  # noqa: SIM115
            self._logs.append(log)
            self.processes.append(
                subprocess.Popen(
                    [
                        str(Path(sys.executable).with_name("gunicorn")),
                        "helpcenter.wsgi:application",
                        "--bind",
                        f"127.0.0.1:{port}",
                        "--workers",
                        "1",
                        "--worker-class",
                        "sync",
                    ],
                    cwd=ROOT,
                    env=self.env,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
            )
            self.ports.append(port)
        deadline = time.monotonic() + 60
        for port, process in zip(self.ports, self.processes, strict=True):
            while True:
                assert process.poll() is None, self.log()
                try:
                    raw_get(port, b"/robots.txt", timeout=2)
                    break
                except OSError:
                    assert time.monotonic() < deadline, self.log()
                    time.sleep(0.05)

    def log(self) -> str:
        return "\n".join(
            path.read_text(errors="replace")[-3000:]
            for path in sorted(self.workdir.glob("gunicorn-*.log"))
        )

    def stop(self) -> None:
        for process in self.processes:
            process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        for log in self._logs:
            log.close()


# --- the editor: writes through the services, in a process of its own --------


def _editor(command: str, *args: str) -> None:
    import django

    django.setup()
    from guides import services
    from guides.models import Article, Domain, Tenant
    from guides.tenancy import tenant_context
    from tests.factories import make_article, make_carrier, make_tenant

    if command == "seed":
        tenant = make_tenant("alpha", hosts=[HOST, f"www.{HOST}"])
        carrier = make_carrier(tenant)
        for slug in ("cancel-esim", "close-card", "stop-roaming"):
            make_article(tenant, slug, publish=True, carrier=carrier)
        return
    tenant = Tenant.objects.get(slug="alpha")
    with tenant_context(tenant):
        if command == "unpublish":
            article = Article.objects.get(slug=args[0])
            services.article_unpublish(article=article, user=None)
        elif command == "delete":
            article = Article.objects.get(slug=args[0])
            services.article_delete(article=article, user=None)
        elif command == "rename":
            tenant.name = args[0]
            services.tenant_settings_update(tenant=tenant, user=None)
        elif command == "add-host":
            services.domain_add(tenant=tenant, user=None, host=args[0])
        elif command == "remove-host":
            domain = Domain.objects.get(tenant=tenant, host=args[0])
            services.domain_remove(tenant=tenant, user=None, domain=domain)
        else:
            raise SystemExit(f"unknown command {command!r}")


if __name__ == "__main__":
    _editor(*sys.argv[1:])
