"""Read replicas, against a real PostgreSQL streaming replica.

The test builds a private primary (``initdb``) and a replica
(``pg_basebackup -R``) from Debian's PostgreSQL binaries in a temporary
directory, on free ports of 127.0.0.1, migrates and loads the demo on the
primary, and runs tests/operations/replica_probe.py in a child process with
``DATABASE_URL`` and ``DATABASE_REPLICA_URLS`` set. The probe pauses the
replica's replay, writes on the primary and reports what each kind of
request reads. The router's rules are also tested in-process below.
"""

from __future__ import annotations

import glob
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from django.test import RequestFactory, override_settings

from guides.operations import replicas

ROOT = Path(__file__).resolve().parents[2]
HOST = "127.0.0.1"


def pg_bin(name: str) -> str | None:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return found[-1] if found else shutil.which(name)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


class Cluster:
    """One private PostgreSQL server in a directory (run as ``postgres`` if root)."""

    def __init__(self, root: Path, name: str) -> None:
        self.root = root
        self.data = root / name
        self.log = root / f"{name}.log"
        self.port = free_port()
        self.prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []

    def run(self, *cmd: str, timeout: float = 120) -> subprocess.CompletedProcess:
        result = subprocess.run(
            [*self.prefix, *cmd],
            capture_output=True,
            text=True,
            timeout=timeout,
            stdin=subprocess.DEVNULL,
            cwd=self.root,
            check=False,
        )
        if result.returncode != 0:
            log = self.log.read_text() if self.log.exists() else ""
            raise RuntimeError(f"{cmd[0]} failed: {result.stderr}{result.stdout}{log}")
        return result

    def configure(self) -> None:
        with open(self.data / "postgresql.conf", "a") as conf:
            conf.write(
                f"\nport = {self.port}\nlisten_addresses = '{HOST}'\n"
                f"unix_socket_directories = '{self.root}'\nmax_connections = 30\n"
                "wal_level = replica\nmax_wal_senders = 4\nfsync = off\n"
            )

    def start(self) -> None:
        self.run(
            pg_bin("pg_ctl"), "-D", str(self.data), "-l", str(self.log), "-w",
            "-t", "60", "start",
        )  # fmt: skip

    def stop(self) -> None:
        subprocess.run(
            [*self.prefix, pg_bin("pg_ctl"), "-D", str(self.data), "-m",
             "immediate", "-w", "stop"],
            capture_output=True, timeout=60, check=False,
        )  # fmt: skip

    @property
    def url(self) -> str:
        return f"postgres://postgres@{HOST}:{self.port}/helpcenter"


@pytest.fixture
def primary_and_replica():
    missing = [
        name
        for name in ("initdb", "pg_ctl", "pg_basebackup", "createdb")
        if pg_bin(name) is None
    ]
    if missing:
        pytest.skip(f"PostgreSQL server binaries missing ({', '.join(missing)})")
    if os.geteuid() == 0 and shutil.which("runuser") is None:
        pytest.skip("running as root without runuser to drop to postgres")
    # Not under pytest's own temporary root (mode 0700): the postgres user
    # must walk into this directory.
    root = Path(tempfile.mkdtemp(prefix="helpcenter-replication-"))
    root.chmod(0o755)
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
    primary = Cluster(root, "primary")
    replica = Cluster(root, "replica")
    started = []
    try:
        primary.run(
            pg_bin("initdb"), "-D", str(primary.data), "-U", "postgres", "-A",
            "trust", "-E", "UTF8", "--locale=C.UTF-8",
        )  # fmt: skip
        primary.configure()
        primary.start()
        started.append(primary)
        primary.run(
            pg_bin("createdb"), "-h", HOST, "-p", str(primary.port), "-U",
            "postgres", "helpcenter",
        )  # fmt: skip
        replica.run(
            pg_bin("pg_basebackup"), "-h", HOST, "-p", str(primary.port), "-U",
            "postgres", "-D", str(replica.data), "-R", "-X", "stream",
        )  # fmt: skip
        with open(replica.data / "postgresql.conf", "a") as conf:
            conf.write(f"\nport = {replica.port}\nhot_standby = on\n")
        replica.start()
        started.append(replica)
        yield primary, replica
    finally:
        for cluster in reversed(started):
            cluster.stop()
        shutil.rmtree(root, ignore_errors=True)


def child_env(primary: Cluster, replica: Cluster) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DATABASE_", "CACHE_", "DJANGO_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="helpcenter.settings.base",
        DATABASE_URL=primary.url,
        DATABASE_REPLICA_URLS=replica.url,
        DB_CONN_MAX_AGE="0",
        PYTHONPATH=str(ROOT),
    )
    return env


@pytest.mark.slow
def test_public_reads_use_the_replica_and_writers_read_their_writes(
    primary_and_replica,
):
    primary, replica = primary_and_replica
    env = child_env(primary, replica)
    for command in (["migrate", "--no-input", "-v", "0"], ["load_demo"]):
        result = subprocess.run(
            [sys.executable, "manage.py", *command],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=600,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr[-3000:]
    began = time.monotonic()
    result = subprocess.run(
        [sys.executable, str(ROOT / "tests" / "operations" / "replica_probe.py")],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    line = next(
        line for line in result.stdout.splitlines() if line.startswith("PROBE_JSON ")
    )
    probe = json.loads(line.removeprefix("PROBE_JSON "))
    assert probe == {
        "before": True,
        # The replica is paused: a reader still sees the old name, which
        # proves the read went to the replica.
        "reader_sees_old": True,
        # A signed-in editor reads the primary.
        "signed_in_sees_new": True,
        "admin_status": 200,
        "admin_sees_new": True,
        # Feedback is written to the primary, and the writer then reads it.
        "feedback_status": 303,
        "feedback_on_primary": True,
        "wrote_cookie": True,
        "writer_sees_new": True,
        "reader_sees_new_after_replay": True,
    }, probe
    assert time.monotonic() - began < 300


# --- the rules, in-process --------------------------------------------------

REPLICA_DATABASES = {
    "default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"},
    "replica_1": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": ":memory:",
        "TEST": {"MIRROR": "default"},
    },
}


@pytest.mark.parametrize(
    ("method", "path", "meta", "cookies", "expected"),
    [
        ("GET", "/zh-hans/", {}, {}, True),
        ("HEAD", "/en/guides/x/", {}, {}, True),
        ("POST", "/zh-hans/guides/x/feedback/", {}, {}, False),
        ("GET", "/admin/", {}, {}, False),
        ("GET", "/api/v1/drafts/", {"HTTP_AUTHORIZATION": "Bearer x"}, {}, False),
        ("GET", "/zh-hans/", {}, {"sessionid": "abc"}, False),
        ("GET", "/zh-hans/", {}, {replicas.WROTE_COOKIE: "1"}, False),
    ],
)
def test_which_requests_may_read_a_replica(method, path, meta, cookies, expected):
    request = RequestFactory().generic(method, path, **meta)
    request.COOKIES.update(cookies)
    assert replicas.may_read_replica(request) is expected


def test_without_replicas_everything_reads_the_primary():
    router = replicas.ReplicaRouter()
    token = replicas._route.set(replicas.REPLICA)
    try:
        assert replicas.replica_aliases() == []
        assert router.db_for_read(None) == "default"
        assert replicas.generation_alias() == "default"
    finally:
        replicas._route.reset(token)


@pytest.mark.filterwarnings("ignore:Overriding setting DATABASES")
def test_router_sends_replica_reads_there_and_writes_to_the_primary():
    router = replicas.ReplicaRouter()
    with override_settings(DATABASES=REPLICA_DATABASES):
        assert router.db_for_write(None) == "default"
        # Outside a routed request: the primary, but generations follow the
        # replica that renders the pages.
        assert router.db_for_read(None) == "default"
        assert replicas.generation_alias() == "replica_1"
        token = replicas._route.set(replicas.REPLICA)
        try:
            assert router.db_for_read(None) == "replica_1"
        finally:
            replicas._route.reset(token)
        token = replicas._route.set(replicas.PRIMARY)
        try:
            assert router.db_for_read(None) == "default"
            assert replicas.generation_alias() == "default"
        finally:
            replicas._route.reset(token)
        assert router.allow_migrate("replica_1", "guides") is False
        assert router.allow_migrate("default", "guides") is True
