"""Measure errors and staleness under faults in the production-shaped setup.

Run it with ``make bench-faults`` (or ``.venv/bin/python bench/faults.py``
once ``make install messages`` has run and redis-server, wrk and the
PostgreSQL binaries are installed). Everything runs on 127.0.0.1:

1. a private PostgreSQL (``initdb`` into a temporary directory, ``pg_ctl
   start`` on a free port; the shared server on 5432 is never touched),
   migrated and loaded with the demo;
2. a private ``redis-server`` on a free port (``CACHE_URL``);
3. two gunicorn servers (two sync workers each) with
   ``helpcenter.settings.production``, DEBUG off, a random SECRET_KEY and
   ``SECURE_SSL_REDIRECT=off``;
4. wrk on both servers (article, carrier and home pages in turn) for the
   whole run, counting statuses per second; six pollers (one per server and
   page) timing every response and looking for the editor's markers;
5. an editor process that, at planned times, publishes the article with a
   new title, changes the carrier's hotline and renames the tenant, and
   reports each commit's time;
6. faults at planned times: Redis killed (SIGKILL) for about 10 s, then
   restarted; PostgreSQL restarted with ``pg_ctl restart -m fast``.

It prints requests, errors per phase and the worst staleness per change
kind (time from the commit until every later response on a server shows
the change), a PASS/MISS line per target, and writes
``bench/out/faults.json``. Exit status: 0 whatever was measured (a miss is
reported, not fatal); 2 when a tool is missing or the setup fails. Every
process it starts is stopped on the way out, on failure or Ctrl-C too.
"""

from __future__ import annotations

import argparse
import datetime
import glob
import http.client
import json
import os
import platform
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.article import Processes, cpu_model, free_port, tail  # noqa: E402

OUT_FILE = ROOT / "bench" / "out" / "faults.json"
HOST = "127.0.0.1"
TENANT = "acme"  # the demo tenant that serves 127.0.0.1
ARTICLE_SLUG = "cancel-china-mobile-prepaid-10-day-card"
CARRIER_SLUG = "china-mobile"
PAGES = {
    "article": f"/zh-hans/guides/{ARTICLE_SLUG}/",
    "carrier": f"/zh-hans/carriers/{CARRIER_SLUG}/",
    "home": "/zh-hans/",
}
#: The pages on which each kind of change must show.
EXPECTED_PAGES = {
    "publish": ("article", "carrier", "home"),
    "channel": ("article", "carrier"),
    "branding": ("article", "carrier", "home"),
}
#: Targets from issue 12.
MAX_STALENESS_S = 1.0
#: Responses >= 500 are counted "while Redis is killed" until this long
#: after it answers PING again (the workers reconnect meanwhile).
REDIS_RECOVERY_S = 2.0

# The plan, in seconds from the start of the load. Changes of one kind are
# far enough apart for each to settle before the next.
SCHEDULE = {
    "changes": [
        ("publish", 6),
        ("channel", 9),
        ("branding", 12),
        ("publish", 20),  # Redis is down
        ("channel", 22),
        ("branding", 24),
        ("publish", 33),  # Redis is back
        ("channel", 36),
        ("branding", 39),
        ("publish", 53),  # after the PostgreSQL restart
        ("channel", 56),
        ("branding", 59),
    ],
    "redis_kill": 17,
    "redis_down_s": 10,
    "pg_restart": 47,
    "end": 66,
}

WRK_LUA = """\
local paths = {PATHS}
local n = 0
local threads = {}
statuses = {}
fives = {}
fives_at = {}
bad = {}
per_second = {}

-- os.time() has whole seconds: a response >= 500 also records when it
-- completed to the microsecond (LuaJIT's ffi, as Debian's wrk is built).
local ffi = require("ffi")
ffi.cdef[[
typedef struct { long tv_sec; long tv_usec; } bench_timeval;
int gettimeofday(bench_timeval *tv, void *tz);
]]
local tv = ffi.new("bench_timeval")
local function now()
  ffi.C.gettimeofday(tv, nil)
  return tonumber(tv.tv_sec) + tonumber(tv.tv_usec) / 1e6
end

setup = function(thread)
  table.insert(threads, thread)
end

request = function()
  n = n % #paths + 1
  return wrk.format(nil, paths[n])
end

response = function(status, headers, body)
  local s = os.time()
  per_second[s] = (per_second[s] or 0) + 1
  statuses[status] = (statuses[status] or 0) + 1
  if status >= 500 then
    fives[s] = (fives[s] or 0) + 1
    table.insert(fives_at, now())
  end
  if status < 200 or status >= 400 then
    bad[s] = (bad[s] or 0) + 1
  end
end

local function merge(into, from)
  for k, v in pairs(from) do
    into[k] = (into[k] or 0) + v
  end
end

local function encode(t)
  local parts = {}
  for k, v in pairs(t) do
    table.insert(parts, string.format("\\"%s\\": %d", tostring(k), v))
  end
  return "{" .. table.concat(parts, ", ") .. "}"
end

done = function(summary, latency, requests)
  local all = {statuses = {}, fives = {}, bad = {}, per_second = {}}
  local times = {}
  for _, thread in ipairs(threads) do
    for name, into in pairs(all) do
      merge(into, thread:get(name))
    end
    for _, t in ipairs(thread:get("fives_at")) do
      table.insert(times, string.format("%.6f", t))
    end
  end
  local e = summary.errors
  io.write(string.format(
    "WRK_JSON {\\"requests\\": %d, \\"duration_us\\": %d, "
    .. "\\"p50_us\\": %d, \\"p99_us\\": %d, \\"max_us\\": %d, "
    .. "\\"errors\\": {\\"connect\\": %d, \\"read\\": %d, \\"write\\": %d, "
    .. "\\"status\\": %d, \\"timeout\\": %d}, "
    .. "\\"statuses\\": %s, \\"fives\\": %s, \\"bad\\": %s, \\"per_second\\": %s, "
    .. "\\"fives_at\\": [%s]}\\n",
    summary.requests, summary.duration, latency:percentile(50),
    latency:percentile(99), latency.max, e.connect, e.read, e.write,
    e.status, e.timeout, encode(all.statuses), encode(all.fives),
    encode(all.bad), encode(all.per_second), table.concat(times, ", ")))
end
"""


class SetupError(Exception):
    """A tool is missing or a server did not start (exit status 2)."""


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Read the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--connections", type=int, default=4, help="wrk connections per server"
    )
    parser.add_argument(
        "--workers", type=int, default=2, help="gunicorn sync workers per server"
    )
    parser.add_argument(
        "--poll-interval",
        type=float,
        default=0.05,
        help="seconds between a poller's requests (default: %(default)s)",
    )
    parser.add_argument("--out", type=Path, default=OUT_FILE, help="JSON output")
    parser.add_argument(
        "--keep", action="store_true", help="keep the temporary directory"
    )
    # Internal: the editor process (started by this script).
    parser.add_argument("--editor", type=Path, help=argparse.SUPPRESS)
    return parser.parse_args(argv)


# --------------------------------------------------------------------------
# Tools and processes


def find_tool(name: str) -> str:
    """Return the path of a Debian tool, looking in the sbin folders too."""
    path = os.environ.get("PATH", os.defpath) + ":/usr/sbin:/sbin:/usr/local/sbin"
    found = shutil.which(name, path=path)
    if found is None:
        raise SetupError(
            f"{name} is not installed: run `make bench-faults`, which installs "
            f"Debian's redis-server, wrk and postgresql where missing."
        )
    return found


def pg_bin(name: str) -> str:
    """Return a PostgreSQL server binary (Debian keeps them off the PATH)."""
    found = sorted(
        glob.glob(f"/usr/lib/postgresql/*/bin/{name}"),
        key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0,
    )
    if found:
        return found[-1]
    return find_tool(name)


def get(port: int, target: str, timeout: float = 10.0) -> tuple[int, bytes]:
    """GET ``target`` from 127.0.0.1:``port``; return (status, body)."""
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        conn.request("GET", target, headers={"Accept-Encoding": "identity"})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def wait_for_http(port: int, proc: subprocess.Popen, name: str, log: Path) -> None:
    """Wait up to 60 s for a server to answer any HTTP request."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SetupError(f"{name} exited with {proc.returncode}:\n{tail(log)}")
        try:
            get(port, "/", timeout=2)
            return
        except OSError:
            time.sleep(0.2)
    raise SetupError(f"{name} did not answer on port {port} in 60 s:\n{tail(log)}")


# --------------------------------------------------------------------------
# PostgreSQL and Redis


class Postgres:
    """A private PostgreSQL cluster in a temporary directory."""

    def __init__(self, tmp: Path) -> None:
        self.root = tmp / "pg"
        self.data = self.root / "data"
        self.log = self.root / "server.log"
        self.port = free_port()
        self.started = False
        # initdb and pg_ctl refuse root: run them as Debian's postgres user.
        self.prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []

    def _run(self, cmd: list[str], timeout: float = 120) -> subprocess.CompletedProcess:
        return subprocess.run(
            self.prefix + cmd,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
            cwd=self.root,
        )

    def _pg_ctl(self, *args: str, timeout: float = 120):
        return self._run(
            [
                pg_bin("pg_ctl"),
                "-D",
                str(self.data),
                "-l",
                str(self.log),
                "-w",
                "-t",
                "60",
                *args,
            ],
            timeout=timeout,
        )

    def start(self) -> None:
        """Create the cluster and start it on 127.0.0.1 only."""
        self.root.mkdir()
        if self.prefix:
            shutil.chown(self.root, "postgres", "postgres")
        result = self._run(
            [
                pg_bin("initdb"),
                "-D",
                str(self.data),
                "-U",
                "postgres",
                "-A",
                "trust",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
            ]
        )
        if result.returncode != 0:
            raise SetupError(f"initdb failed:\n{result.stdout}{result.stderr}")
        conf = (
            f"\nport = {self.port}\nlisten_addresses = '{HOST}'\n"
            f"unix_socket_directories = '{self.root}'\nmax_connections = 50\n"
        )
        with open(self.data / "postgresql.conf", "a") as out:
            out.write(conf)
        result = self._pg_ctl("start")
        if result.returncode != 0:
            raise SetupError(f"pg_ctl start failed:\n{tail(self.log)}")
        self.started = True
        result = self._run(
            [
                pg_bin("createdb"),
                "-h",
                HOST,
                "-p",
                str(self.port),
                "-U",
                "postgres",
                "helpcenter",
            ]
        )
        if result.returncode != 0:
            raise SetupError(f"createdb failed:\n{result.stderr}")

    def checkpoint(self) -> None:
        """Write the demo load out now, as a server in steady state has.

        Otherwise the restart's shutdown checkpoint would flush the whole
        freshly loaded database and the window would measure the setup.
        """
        result = self._run(
            [pg_bin("psql"), "-h", HOST, "-p", str(self.port), "-U", "postgres",
             "-d", "helpcenter", "-c", "CHECKPOINT"]
        )  # fmt: skip
        if result.returncode != 0:
            raise SetupError(f"CHECKPOINT failed:\n{result.stderr}")

    def restart(self) -> tuple[float, float, int]:
        """Restart (fast shutdown); return wall-clock start, end and status."""
        began = time.time()
        result = self._pg_ctl("restart", "-m", "fast")
        return began, time.time(), result.returncode

    def stop(self) -> None:
        """Stop the cluster (immediate: nothing in it is kept)."""
        if self.started:
            self._pg_ctl("stop", "-m", "immediate", timeout=60)
            self.started = False

    @property
    def url(self) -> str:
        return f"postgres://postgres@{HOST}:{self.port}/helpcenter"


def redis_ping(port: int) -> bool:
    """Return whether a Redis server answers PING on 127.0.0.1:``port``."""
    try:
        with socket.create_connection((HOST, port), timeout=1) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(64).startswith(b"+PONG")
    except OSError:
        return False


def start_redis(procs: Processes, tmp: Path, port: int) -> subprocess.Popen:
    """Start a private redis-server on ``port`` without persistence."""
    cmd = [
        find_tool("redis-server"),
        "--port", str(port),
        "--bind", HOST,
        "--save", "",
        "--appendonly", "no",
        "--dir", str(tmp),
    ]  # fmt: skip
    log = tmp / "redis.log"
    proc = procs.start("redis-server", cmd, log)
    deadline = time.monotonic() + 20
    while not redis_ping(port):
        if proc.poll() is not None or time.monotonic() > deadline:
            raise SetupError(f"redis-server did not start:\n{tail(log)}")
        time.sleep(0.05)
    return proc


# --------------------------------------------------------------------------
# Django: environment, demo, gunicorn, editor


def django_env(tmp: Path, database_url: str, redis_port: int) -> dict[str, str]:
    """Return the production-like environment of every Django process."""
    env = dict(os.environ)
    for name in ("DB_CONN_MAX_AGE", "CACHE_KEY_PREFIX", "SENTRY_DSN", "LOG_LEVEL"):
        env.pop(name, None)
    env.update(
        DJANGO_SETTINGS_MODULE="helpcenter.settings.production",
        SECRET_KEY=secrets.token_urlsafe(48),
        DEBUG="0",
        SECURE_SSL_REDIRECT="off",
        DATABASE_URL=database_url,
        CACHE_URL=f"redis://{HOST}:{redis_port}/0",
        HELPCENTER_VAR_DIR=str(tmp / "var"),
        EMAIL_URL="consolemail://",
        PYTHONDONTWRITEBYTECODE="1",
        PYTHONUNBUFFERED="1",
    )
    return env


def manage(env: dict[str, str], tmp: Path, *command: str) -> None:
    """Run a management command; raise SetupError when it fails."""
    log = tmp / f"{command[0]}.log"
    with open(log, "wb") as out:
        result = subprocess.run(
            [sys.executable, "manage.py", *command],
            check=False,
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            timeout=600,
        )
    if result.returncode != 0:
        raise SetupError(f"manage.py {command[0]} failed:\n{tail(log)}")


def start_gunicorn(procs, args, env, tmp: Path, name: str) -> int:
    """Serve the demo with gunicorn on a free port; return the port."""
    port = free_port()
    log = tmp / f"{name}.log"
    cmd = [
        sys.executable, "-m", "gunicorn", "helpcenter.wsgi:application",
        "--bind", f"{HOST}:{port}",
        "--workers", str(args.workers),
        "--worker-class", "sync",
        "--timeout", "30",
        "--log-level", "warning",
    ]  # fmt: skip
    proc = procs.start(name, cmd, log, cwd=ROOT, env=env)
    wait_for_http(port, proc, name, log)
    return port


def editor_main(plan_file: Path) -> int:
    """Run the planned changes through the services; print one JSON line each.

    Each change runs in an outer transaction whose first on-commit callback
    records the time: that is the commit, before any effect of the service.
    """
    import django

    django.setup()
    from django.db import close_old_connections, transaction
    from django.db.utils import InterfaceError, OperationalError

    from guides import services
    from guides.models import Article, Carrier, Tenant
    from guides.tenancy import tenant_context

    plan = json.loads(plan_file.read_text())
    tenant = Tenant.objects.get(slug=TENANT)
    with tenant_context(tenant):
        base_title = Article.objects.get(slug=ARTICLE_SLUG).title_zh_hans
    base_name = tenant.name

    def publish(marker: str) -> None:
        article = Article.objects.get(slug=ARTICLE_SLUG)
        services.article_update(
            article=article, user=None, title_zh_hans=f"{base_title} {marker}"
        )
        article = Article.objects.get(pk=article.pk)
        services.article_publish(article=article, user=None)

    def channel(marker: str) -> None:
        carrier = Carrier.objects.get(slug=CARRIER_SLUG)
        items = [
            {"id": ch.pk, **({"value": marker} if ch.kind == "hotline" else {})}
            for ch in carrier.channels.all()
        ]
        services.carrier_save(carrier=carrier, user=None, channels=items)

    def branding(marker: str) -> None:
        fresh = Tenant.objects.get(pk=tenant.pk)
        fresh.name = f"{base_name} {marker}"
        services.tenant_settings_update(tenant=fresh, user=None)

    actions = {"publish": publish, "channel": channel, "branding": branding}
    for change in plan:
        delay = change["at"] - time.time()
        if delay > 0:
            time.sleep(delay)
        record = {**change, "commit": None, "errors": []}
        for _attempt in range(5):
            stamp: dict[str, float] = {}
            started = time.time()
            try:
                close_old_connections()
                with tenant_context(tenant), transaction.atomic():
                    transaction.on_commit(
                        lambda s=stamp: s.setdefault("t", time.time())
                    )
                    actions[change["kind"]](change["marker"])
            except (OperationalError, InterfaceError) as exc:
                record["errors"].append(
                    {"at": started, "error": f"{type(exc).__name__}: {exc}"[:300]}
                )
                if "t" not in stamp:
                    time.sleep(0.5)
                    continue
            except Exception as exc:  # reported, not fatal
                # A cache fault in an effect after the commit, or a refusal.
                record["errors"].append(
                    {"at": started, "error": f"{type(exc).__name__}: {exc}"[:300]}
                )
            record["commit"] = stamp.get("t")
            record["done"] = time.time()
            break
        print(json.dumps(record), flush=True)
    return 0


# --------------------------------------------------------------------------
# Load and polling


class Poller(threading.Thread):
    """GET one page of one server in a loop; keep every response's facts."""

    def __init__(self, server: str, port: int, page: str, markers, args, stop):
        super().__init__(daemon=True, name=f"poll-{server}-{page}")
        self.server, self.port, self.page = server, port, page
        self.markers = markers
        self.interval = args.poll_interval
        self.stop = stop
        self.records: list[tuple] = []

    def run(self) -> None:
        target = PAGES[self.page]
        while not self.stop.is_set():
            began = time.time()
            try:
                status, body = get(self.port, target, timeout=10)
                text = body.decode("utf-8", "replace")
                found = frozenset(m for m in self.markers if m in text)
                self.records.append((began, time.time(), status, found, None))
            except (OSError, http.client.HTTPException) as exc:
                error = f"{type(exc).__name__}: {exc}"[:200]
                self.records.append((began, time.time(), None, frozenset(), error))
            self.stop.wait(self.interval)


def run_wrk(port: int, seconds: int, lua: Path, log: Path) -> subprocess.Popen:
    """Start wrk against one server for ``seconds``."""
    cmd = [
        find_tool("wrk"),
        "--threads", "1",
        "--connections", str(ARGS.connections),
        "--duration", f"{seconds}s",
        "--timeout", "5s",
        "--script", str(lua),
        f"http://{HOST}:{port}/",
    ]  # fmt: skip
    out = open(log, "wb")  # noqa: SIM115 - closed by the caller's wait
    return subprocess.Popen(
        cmd,
        stdin=subprocess.DEVNULL,
        stdout=out,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def read_wrk(log: Path) -> dict:
    """Return wrk's figures from its output."""
    text = log.read_text(errors="replace")
    line = next((ln for ln in text.splitlines() if ln.startswith("WRK_JSON ")), None)
    if line is None:
        return {"error": f"wrk printed no figures:\n{text[-2000:]}"}
    return json.loads(line.removeprefix("WRK_JSON "))


ARGS: argparse.Namespace


# --------------------------------------------------------------------------
# Analysis


def staleness(records, marker: str, commit: float, until: float) -> dict:
    """Return how long after ``commit`` one page of one server was stale.

    Stale ends at the later of the first response showing ``marker`` and the
    last response, started after the commit, that still did not (a worker
    flipping back to the old page counts). Error responses show neither.
    ``staleness_s`` is an upper bound (when those responses ended);
    ``lower_bound_s`` is when the last old response started.
    """
    seen = [r for r in records if commit <= r[0] < until and r[2] == 200]
    fresh = [r for r in seen if marker in r[3]]
    stale = [r for r in seen if marker not in r[3]]
    if not fresh:
        return {"staleness_s": None, "never_within_s": round(until - commit, 2)}
    end = fresh[0][1]
    if stale and stale[-1][1] > end:
        end = stale[-1][1]
    if stale and stale[-1][0] > fresh[-1][0]:
        # The last response of the window was old again: never settled.
        return {
            "staleness_s": None,
            "never_within_s": round(until - commit, 2),
            "settled": False,
            "fresh_responses": len(fresh),
            "stale_responses": len(stale),
            "first_fresh_s": round(fresh[0][1] - commit, 3),
            "last_fresh_s": round(fresh[-1][0] - commit, 3),
            "stale_started_s": [round(r[0] - commit, 3) for r in stale[-20:]],
        }
    return {
        "staleness_s": round(end - commit, 3),
        "lower_bound_s": round(max(0.0, stale[-1][0] - commit), 3) if stale else 0.0,
        "first_fresh_s": round(fresh[0][1] - commit, 3),
        "stale_after_commit": len(stale),
    }


def phase_of(moment: float, phases: list[tuple[str, float, float]]) -> str:
    for name, start, end in phases:
        if start <= moment < end:
            return name
    return "outside"


def analyse(t0, events, changes, pollers, wrk_runs) -> dict:
    """Turn the raw records into the report's figures."""
    kill, back = events["redis_kill"], events["redis_back"]
    pg_start, pg_end = events["pg_restart_start"], events["pg_restart_end"]
    end = events["load_end"]
    phases = [
        ("baseline", t0, kill),
        ("redis killed", kill, back),
        ("redis back", back, pg_start),
        ("pg restart window", pg_start, pg_end),
        ("after pg restart", pg_end, end + 30),
    ]

    def rel(moment: float) -> float:
        return round(moment - t0, 3)

    # Poller errors: a status >= 500, another non-2xx/3xx status or no answer.
    poll = {
        name: {"requests": 0, "ge500": 0, "other_non_2xx_3xx": 0, "no_answer": 0}
        for name, _, _ in phases
    }
    poll_errors = []
    for poller in pollers:
        for began, ended, status, _found, error in poller.records:
            phase = phase_of(began, phases)
            row = poll.setdefault(
                phase,
                {"requests": 0, "ge500": 0, "other_non_2xx_3xx": 0, "no_answer": 0},
            )
            row["requests"] += 1
            if status is not None and 200 <= status < 400:
                continue
            if status is None:
                row["no_answer"] += 1
            elif status >= 500:
                row["ge500"] += 1
            else:
                row["other_non_2xx_3xx"] += 1
            poll_errors.append(
                {
                    "server": poller.server,
                    "page": poller.page,
                    "start_s": rel(began),
                    "end_s": rel(ended),
                    "from_pg_restart_s": round(began - pg_start, 3),
                    "from_redis_kill_s": round(began - kill, 3),
                    "status": status,
                    "error": error,
                    "phase": phase,
                }
            )

    # wrk: statuses per wall-clock second (os.time()), by phase of the
    # second's middle; responses >= 500 by the phase of the moment they
    # completed (``fives_at``), when wrk recorded it.
    wrk_phase = {
        name: {"requests": 0, "ge500": 0, "non_2xx_3xx": 0} for name, _, _ in phases
    }
    wrk_seconds = []
    for server, figures in wrk_runs.items():
        for key in ("per_second", "fives", "bad"):
            figures.setdefault(key, {})
        for second in sorted({int(s) for s in figures["per_second"]}):
            s = str(second)
            phase = phase_of(second + 0.5, phases)
            counts = {
                "requests": figures["per_second"].get(s, 0),
                "ge500": figures["fives"].get(s, 0),
                "non_2xx_3xx": figures["bad"].get(s, 0),
            }
            row = wrk_phase.setdefault(phase, dict.fromkeys(counts, 0))
            for k, v in counts.items():
                row[k] += v
            if "fives_at" in figures:
                row["ge500"] -= counts["ge500"]
            if counts["non_2xx_3xx"]:
                wrk_seconds.append(
                    {
                        "server": server,
                        "second_s": rel(second),
                        "phase": phase,
                        **counts,
                    }
                )

    for figures in wrk_runs.values():
        for completed in figures.get("fives_at", ()):
            phase = phase_of(completed, phases)
            row = wrk_phase.setdefault(
                phase, {"requests": 0, "ge500": 0, "non_2xx_3xx": 0}
            )
            row["ge500"] += 1

    # Targets. Redis: >= 500 from the kill until REDIS_RECOVERY_S after it
    # answers again (wrk seconds overlapping that span count).
    r_from, r_to = kill, back + REDIS_RECOVERY_S
    redis_500 = sum(
        1
        for e in poll_errors
        if e["status"] is not None
        and e["status"] >= 500
        and e["start_s"] + t0 < r_to
        and e["end_s"] + t0 >= r_from
    )
    for figures in wrk_runs.values():
        for s, n in figures.get("fives", {}).items():
            if int(s) + 1 > r_from and int(s) < r_to:
                redis_500 += n

    # PostgreSQL: any failure from 5 s before the restart to the end that
    # does not overlap the restart window.
    p_from = pg_start - 5
    pg_inside = pg_outside = 0
    for e in poll_errors:
        began, ended = e["start_s"] + t0, e["end_s"] + t0
        if ended < p_from:
            continue
        if began <= pg_end and ended >= pg_start:
            pg_inside += 1
        else:
            pg_outside += 1
    # wrk's responses >= 500 carry when they completed (``fives_at``), not
    # when they started: one that completed after the window may have been
    # under way in it. It counts as inside when it completed no later than
    # the window's end plus the longest a failed request took, as the
    # pollers (which time both ends) measured in the window of this run.
    failed_in_window = [
        e["end_s"] - e["start_s"]
        for e in poll_errors
        if e["start_s"] + t0 <= pg_end and e["end_s"] + t0 >= pg_start
    ]
    fail_latency = max(failed_in_window, default=0.0)
    wrk_pg_fives = []
    for server, figures in wrk_runs.items():
        if "fives_at" in figures:
            for completed in figures["fives_at"]:
                if completed < p_from:
                    continue
                inside = pg_start <= completed <= pg_end + fail_latency
                pg_inside += inside
                pg_outside += not inside
                wrk_pg_fives.append(
                    {
                        "server": server,
                        "completed_s": rel(completed),
                        "after_window_end_s": round(completed - pg_end, 3),
                        "inside": inside,
                    }
                )
            continue
        for s, n in figures.get("fives", {}).items():
            second = int(s)
            if second + 1 < p_from:
                continue
            if second <= pg_end and second + 1 >= pg_start:
                pg_inside += n
            else:
                pg_outside += n
    for figures in wrk_runs.values():
        socket_errors = sum(
            v for k, v in figures.get("errors", {}).items() if k != "status"
        )
        figures["socket_errors"] = socket_errors

    # Staleness per change, page and server.
    by_key = {(p.server, p.page): p.records for p in pollers}
    servers = sorted({p.server for p in pollers})
    change_rows = []
    worst: dict[str, dict] = {}
    for index, change in enumerate(changes):
        row = {
            "kind": change["kind"],
            "marker": change["marker"],
            "planned_s": rel(change["at"]),
            "commit_s": rel(change["commit"]) if change.get("commit") else None,
            "editor_errors": change.get("errors", []),
            "pages": {},
        }
        change_rows.append(row)
        kind_worst = worst.setdefault(
            change["kind"], {"staleness_s": 0.0, "never": 0, "changes": 0}
        )
        if not change.get("commit"):
            kind_worst["not_committed"] = kind_worst.get("not_committed", 0) + 1
            continue
        kind_worst["changes"] += 1
        later = [
            c["commit"] or c["at"]
            for c in changes[index + 1 :]
            if c["kind"] == change["kind"]
        ]
        until = min(later) if later else end
        for page in EXPECTED_PAGES[change["kind"]]:
            for server in servers:
                result = staleness(
                    by_key[(server, page)], change["marker"], change["commit"], until
                )
                row["pages"][f"{server} {page}"] = result
                value = result["staleness_s"]
                if value is None:
                    kind_worst["never"] += 1
                    kind_worst.setdefault("never_on", []).append(
                        f"{change['marker']} @{row['commit_s']}s: {server} {page}"
                    )
                elif value > kind_worst["staleness_s"]:
                    kind_worst["staleness_s"] = value
                    kind_worst["where"] = (
                        f"{change['marker']} @{row['commit_s']}s: {server} {page}"
                    )

    targets = [
        {
            "name": "0 responses >= 500 while Redis is killed",
            "measured": redis_500,
            "met": redis_500 == 0,
        }
    ]
    for kind in ("publish", "channel", "branding"):
        w = worst.get(kind, {"staleness_s": None, "never": 0, "changes": 0})
        met = (
            w.get("changes", 0) > 0
            and not w.get("never")
            and not w.get("not_committed")
            and w["staleness_s"] <= MAX_STALENESS_S
        )
        targets.append(
            {
                "name": f"worst staleness <= {MAX_STALENESS_S:g} s for {kind}",
                "measured": w,
                "met": met,
            }
        )
    targets.append(
        {
            "name": "PostgreSQL restart errors only inside the restart window",
            "measured": {
                "inside": pg_inside,
                "outside": pg_outside,
                "failed_request_latency_s": round(fail_latency, 3),
                "wrk_fives": wrk_pg_fives,
            },
            "met": pg_outside == 0,
        }
    )
    return {
        "timeline_s": {k: rel(v) for k, v in events.items()},
        "phases": [
            {"name": n, "from_s": rel(a), "to_s": rel(min(b, end))}
            for n, a, b in phases
        ],
        "poller_by_phase": poll,
        "poller_errors": poll_errors,
        "wrk_by_phase": wrk_phase,
        "wrk_error_seconds": wrk_seconds,
        "changes": change_rows,
        "worst_staleness": worst,
        "targets": targets,
    }


def print_report(report: dict) -> None:
    """Print the figures and a PASS/MISS line per target."""
    print()
    print("Timeline (s from load start):", json.dumps(report["timeline_s"]))
    for server, figures in report["wrk"].items():
        print(
            f"wrk {server}: {figures.get('requests', 0)} requests, statuses "
            f"{figures.get('statuses')}, non-2xx/3xx {figures.get('errors', {}).get('status')}"
            f", socket errors {figures.get('socket_errors')}"
        )
    print(
        f"\n{'phase':<20} {'wrk req':>8} {'wrk>=500':>9} {'poll req':>9} "
        f"{'poll>=500':>10} {'no answer':>10}"
    )
    for phase in report["phases"]:
        name = phase["name"]
        w = report["wrk_by_phase"].get(name, {})
        p = report["poller_by_phase"].get(name, {})
        print(
            f"{name:<20} {w.get('requests', 0):>8} {w.get('ge500', 0):>9} "
            f"{p.get('requests', 0):>9} {p.get('ge500', 0):>10} "
            f"{p.get('no_answer', 0):>10}"
        )
    print()
    for row in report["changes"]:
        pages = ", ".join(
            f"{k}={v['staleness_s'] if v['staleness_s'] is not None else 'never'}"
            for k, v in row["pages"].items()
        )
        errors = f" errors={len(row['editor_errors'])}" if row["editor_errors"] else ""
        print(f"{row['kind']:<9} commit@{row['commit_s']}s{errors}: {pages}")
    print()
    for target in report["targets"]:
        verdict = "PASS" if target["met"] else "MISS"
        print(f"{verdict}  {target['name']}: {json.dumps(target['measured'])}")


# --------------------------------------------------------------------------
# The run


def benchmark(args, procs: Processes, tmp: Path) -> dict:
    """Set everything up, load, inject faults, measure; return the report."""
    load_at_start = os.getloadavg()[0]
    for tool in ("wrk", "redis-server", "runuser" if os.geteuid() == 0 else "true"):
        find_tool(tool)
    for tool in ("initdb", "pg_ctl", "createdb"):
        pg_bin(tool)

    print(f"Starting a private PostgreSQL and Redis in {tmp} ...")
    tmp.chmod(0o755)  # the postgres user walks into tmp/pg
    pg = Postgres(tmp)
    procs.pg = pg
    pg.start()
    redis_port = free_port()
    redis = start_redis(procs, tmp, redis_port)
    env = django_env(tmp, pg.url, redis_port)
    print("Migrating and loading the demo ...")
    manage(env, tmp, "migrate", "--no-input", "-v", "0")
    manage(env, tmp, "load_demo")
    pg.checkpoint()

    print(f"Starting two gunicorn servers ({args.workers} sync workers each) ...")
    ports = {
        "A": start_gunicorn(procs, args, env, tmp, "gunicorn-a"),
        "B": start_gunicorn(procs, args, env, tmp, "gunicorn-b"),
    }
    checks = {}
    for server, port in ports.items():
        for page, target in PAGES.items():
            status, _body = get(port, target)
            if status != 200:
                raise SetupError(f"server {server}: GET {target} answered {status}")
            checks[f"{server} {page}"] = status
    _, article = get(ports["A"], PAGES["article"])
    checks["article_shows_hotline_10086"] = "10086" in article.decode()

    # The plan in wall-clock seconds; markers unique per change.
    t0 = time.time() + 3
    changes = []
    for number, (kind, at) in enumerate(SCHEDULE["changes"], 1):
        token = secrets.token_hex(2)
        marker = {
            "publish": f"PUB{number}x{token}",
            "channel": f"400-{number:03d}-{int(token, 16) % 10000:04d}",
            "branding": f"BRAND{number}x{token}",
        }[kind]
        changes.append({"kind": kind, "marker": marker, "at": t0 + at})
    plan = tmp / "plan.json"
    plan.write_text(json.dumps(changes))
    markers = [c["marker"] for c in changes]

    lua = tmp / "load.lua"
    lua.write_text(
        WRK_LUA.replace(
            "{PATHS}", "{" + ", ".join(f'"{p}"' for p in PAGES.values()) + "}"
        )
    )
    stop = threading.Event()
    editor_log = tmp / "editor.out"
    editor = subprocess.Popen(
        [sys.executable, str(Path(__file__).resolve()), "--editor", str(plan)],
        cwd=ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=open(editor_log, "wb"),  # noqa: SIM115 - closed at exit
        stderr=open(tmp / "editor.err", "wb"),  # noqa: SIM115
        start_new_session=True,
    )
    procs.running.append(("editor", editor))
    time.sleep(max(0.0, t0 - time.time()))

    duration = SCHEDULE["end"]
    print(f"Load for {duration} s: wrk on both servers, pollers, editor, faults ...")
    wrks = {}
    for server, port in ports.items():
        wrks[server] = run_wrk(port, duration, lua, tmp / f"wrk-{server}.log")
        procs.running.append((f"wrk-{server}", wrks[server]))
    pollers = [
        Poller(server, port, page, markers, args, stop)
        for server, port in ports.items()
        for page in PAGES
    ]
    for poller in pollers:
        poller.start()

    events: dict[str, float] = {"load_start": t0}

    def sleep_until(offset: float) -> None:
        time.sleep(max(0.0, t0 + offset - time.time()))

    sleep_until(SCHEDULE["redis_kill"])
    redis.kill()
    redis.wait()
    events["redis_kill"] = time.time()
    print(f"  {events['redis_kill'] - t0:5.1f} s: Redis killed (SIGKILL)")
    sleep_until(SCHEDULE["redis_kill"] + SCHEDULE["redis_down_s"])
    events["redis_restart"] = time.time()
    start_redis(procs, tmp, redis_port)
    events["redis_back"] = time.time()
    print(f"  {events['redis_back'] - t0:5.1f} s: Redis answers again")

    sleep_until(SCHEDULE["pg_restart"])
    began, ended, status = pg.restart()
    events["pg_restart_start"], events["pg_restart_end"] = began, ended
    print(
        f"  {began - t0:5.1f} s: PostgreSQL restarted in {ended - began:.2f} s"
        f" (pg_ctl exit {status})"
    )

    sleep_until(duration)
    stop.set()
    for poller in pollers:
        poller.join(timeout=15)
    wrk_runs = {}
    for server, proc in wrks.items():
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
        wrk_runs[server] = read_wrk(tmp / f"wrk-{server}.log")
    events["load_end"] = time.time()
    try:
        editor.wait(timeout=60)
    except subprocess.TimeoutExpired:
        editor.kill()
    done = [json.loads(ln) for ln in editor_log.read_text().splitlines() if ln.strip()]
    if len(done) < len(changes):
        print(
            f"WARNING: the editor reported {len(done)} of {len(changes)} changes:\n"
            f"{tail(tmp / 'editor.err')}",
            file=sys.stderr,
        )
    committed = {c["marker"]: c for c in done}
    changes = [{**c, **committed.get(c["marker"], {})} for c in changes]

    report = analyse(t0, events, changes, pollers, wrk_runs)
    report = {
        "command": "make bench-faults",
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "machine": {
            "load_average_at_start": load_at_start,
            "nproc": os.cpu_count(),
            "cpu_model": cpu_model(),
            "platform": platform.platform(),
            "python": platform.python_version(),
        },
        "setup": {
            "DJANGO_SETTINGS_MODULE": "helpcenter.settings.production",
            "database": f"private PostgreSQL ({pg_bin('postgres')}) on {HOST}",
            "cache": f"private redis-server on {HOST}",
            "gunicorn": f"2 servers x {args.workers} sync workers",
            "wrk": f"1 thread, {args.connections} connections per server; "
            f"pages {list(PAGES.values())} in turn",
            "pollers": f"one per server and page, every {args.poll_interval} s",
            "schedule_s": SCHEDULE,
        },
        "code": code_state(),
        "checks": checks,
        "wrk": wrk_runs,
        **report,
    }
    print_report(report)
    return report


def code_state() -> dict:
    """Return the commit measured and whether the working tree had changes."""

    def git(*args: str) -> str:
        result = subprocess.run(
            ["git", *args], cwd=ROOT, capture_output=True, text=True, check=False
        )
        return result.stdout.strip()

    changed = git("status", "--porcelain").splitlines()
    return {"commit": git("rev-parse", "--short", "HEAD"), "changed_files": changed}


def _raise_on_sigterm(signum, frame) -> None:
    raise SystemExit(128 + signum)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; return the exit status."""
    global ARGS
    args = ARGS = parse_args(argv)
    if args.editor:
        return editor_main(args.editor)
    signal.signal(signal.SIGTERM, _raise_on_sigterm)
    signal.signal(signal.SIGHUP, _raise_on_sigterm)
    tmp = Path(tempfile.mkdtemp(prefix="bench-faults-"))
    procs = Processes()
    procs.pg = None
    status = 0
    try:
        report = benchmark(args, procs, tmp)
    except SetupError as exc:
        print(f"ERROR: {exc}", file=sys.stderr)
        status = 2
    finally:
        procs.stop_all()
        if procs.pg is not None:
            procs.pg.stop()
        if args.keep:
            print(f"Kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    if status:
        return status
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    print(f"Wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
