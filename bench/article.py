"""Benchmark the public article page: cache hit, cache miss, static copy.

Run it with ``make bench-article`` (or ``.venv/bin/python bench/article.py``
once ``make install messages`` has run). In one run it:

1. builds a scratch SQLite database in a temporary directory (``migrate`` and
   ``load_demo``), never touching the developer's ``var/``;
2. serves the demo with gunicorn on 127.0.0.1 (base settings, DEBUG off, the
   default local-memory cache);
3. checks that the page answers 200 on a hit (no query string) and on a miss
   (``?nocache=1``: any query string bypasses ``guides.cache``);
4. writes the exact bytes of the hit into an nginx root and serves them with
   Debian's nginx on another 127.0.0.1 port, and checks they are identical;
5. measures each scenario with wrk (a warm-up run, then a timed run): static,
   hit, miss; prints a table and a PASS/MISS line per target, and writes
   ``bench/out/article.json``.

Exit status: 0 when every check passed (a missed target is reported, not
fatal); 1 when a page does not answer 200, the static copy differs, or
requests failed under load; 2 when a tool is missing or a server would not
start. Every process it starts is stopped on the way out, on failure too.
Traffic goes to 127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import datetime
import http.client
import json
import os
import platform
import resource
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
OUT_FILE = ROOT / "bench" / "out" / "article.json"
HOST = "127.0.0.1"
DEFAULT_PATH = "/zh-hans/guides/cancel-china-mobile-prepaid-10-day-card/"
MISS_QUERY = "nocache=1"
#: Targets from the issue: a hit at least a tenth of the static file's rate,
#: a miss at least 500 requests per second (2 cores, SQLite).
HIT_FRACTION_OF_STATIC = 0.1
MISS_MIN_RPS = 500.0

# wrk calls done() once at the end: print the figures as one JSON line.
WRK_REPORT_LUA = """\
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "WRK_JSON {\\"requests\\": %.0f, \\"duration_us\\": %.0f, \\"bytes\\": %.0f, "
    .. "\\"latency_us\\": {\\"mean\\": %.1f, \\"p50\\": %.0f, \\"p90\\": %.0f, "
    .. "\\"p99\\": %.0f, \\"max\\": %.0f}, "
    .. "\\"errors\\": {\\"connect\\": %.0f, \\"read\\": %.0f, \\"write\\": %.0f, "
    .. "\\"status\\": %.0f, \\"timeout\\": %.0f}}\\n",
    summary.requests, summary.duration, summary.bytes,
    latency.mean, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.max,
    e.connect, e.read, e.write, e.status, e.timeout))
end
"""

NGINX_CONF = """\
worker_processes {workers};
daemon off;
pid {tmp}/nginx.pid;
error_log {tmp}/nginx-error.log warn;

events {{
    worker_connections 1024;
}}

http {{
    access_log off;
    types {{
        text/html html;
    }}
    default_type application/octet-stream;
    charset utf-8;
    sendfile on;
{temp_paths}
    server {{
        listen {host}:{port};
        root {root};
        index index.html;
    }}
}}
"""


class BenchError(Exception):
    """A check failed: the figures would be meaningless (exit status 1)."""


class SetupError(Exception):
    """A tool is missing or a server did not start (exit status 2)."""


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Read the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--path",
        default=DEFAULT_PATH,
        help="page to measure, without query string (default: %(default)s)",
    )
    parser.add_argument(
        "--duration", type=int, default=10, help="seconds per timed wrk run"
    )
    parser.add_argument(
        "--warmup", type=int, default=3, help="seconds of wrk warm-up per scenario"
    )
    parser.add_argument(
        "--connections", type=int, default=16, help="wrk open connections"
    )
    parser.add_argument("--wrk-threads", type=int, default=2, help="wrk threads")
    parser.add_argument(
        "--workers", type=int, default=2, help="gunicorn worker processes"
    )
    parser.add_argument(
        "--threads", type=int, default=1, help="gunicorn threads per worker"
    )
    parser.add_argument("--worker-class", default="sync", help="gunicorn worker class")
    parser.add_argument(
        "--nginx-workers", default="2", help="nginx worker_processes (or auto)"
    )
    parser.add_argument(
        "--scenarios",
        default="static,hit,miss",
        help="comma-separated subset of static,hit,miss (default: all)",
    )
    parser.add_argument("--out", type=Path, default=OUT_FILE, help="JSON output")
    parser.add_argument(
        "--keep", action="store_true", help="keep the temporary directory"
    )
    args = parser.parse_args(argv)
    if not args.path.startswith("/") or "?" in args.path:
        parser.error("--path must start with / and carry no query string")
    args.scenarios = [s.strip() for s in args.scenarios.split(",") if s.strip()]
    unknown = set(args.scenarios) - {"static", "hit", "miss"}
    if unknown or not args.scenarios:
        parser.error(f"unknown scenarios: {', '.join(sorted(unknown))}")
    return args


def find_tool(name: str) -> str:
    """Return the path of a Debian tool, looking in the sbin folders too."""
    path = os.environ.get("PATH", os.defpath) + ":/usr/sbin:/sbin:/usr/local/sbin"
    found = shutil.which(name, path=path)
    if found is None:
        raise SetupError(
            f"{name} is not installed: run `make bench-article`, which installs "
            f"Debian's nginx-light and wrk where missing."
        )
    return found


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def _die_with_parent() -> None:
    """Ask Linux to send SIGTERM to the child if this script dies (prctl)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


class Processes:
    """Start child processes and stop every one of them, whatever happens."""

    def __init__(self) -> None:
        self.running: list[tuple[str, subprocess.Popen]] = []

    def start(self, name: str, cmd: list[str], log: Path, **kwargs):
        """Start ``cmd`` in its own session, its output appended to ``log``."""
        # prctl in a forked child is safe only while this process has no
        # other thread (bench/faults.py starts pollers later).
        preexec = _die_with_parent if threading.active_count() == 1 else None
        with open(log, "ab") as out:
            proc = subprocess.Popen(
                cmd,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                preexec_fn=preexec,
                **kwargs,
            )
        self.running.append((name, proc))
        return proc

    def stop_all(self) -> None:
        """Stop them, newest first: SIGTERM, then SIGKILL after 10 s."""
        while self.running:
            name, proc = self.running.pop()
            if proc.poll() is not None:
                continue
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                print(f"{name} did not stop in 10 s; killing it", file=sys.stderr)
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)  # its own session/group
                proc.wait(timeout=10)


def fetch(port: int, target: str, timeout: float = 10.0):
    """GET ``target`` from 127.0.0.1:``port``; return (status, headers, body)."""
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        conn.request("GET", target, headers={"Accept-Encoding": "identity"})
        response = conn.getresponse()
        return response.status, response.getheaders(), response.read()
    finally:
        conn.close()


def wait_for_http(port: int, proc: subprocess.Popen, name: str, log: Path) -> None:
    """Wait up to 30 s for a server to answer any HTTP request on ``/``."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SetupError(f"{name} exited with {proc.returncode}:\n{tail(log)}")
        try:
            fetch(port, "/", timeout=2)
            return
        except OSError:
            time.sleep(0.2)
    raise SetupError(f"{name} did not answer on port {port} in 30 s:\n{tail(log)}")


def tail(log: Path, lines: int = 30) -> str:
    """Return the last lines of a log file, for an error message."""
    try:
        text = log.read_text(errors="replace")
    except OSError:
        return "(no log)"
    return "\n".join(text.splitlines()[-lines:])


def header(headers: list[tuple[str, str]], name: str) -> str | None:
    """Return the first value of header ``name`` (case-insensitive), or None."""
    for key, value in headers:
        if key.lower() == name.lower():
            return value
    return None


def check_200(port: int, target: str, label: str) -> tuple[list, bytes]:
    """Fetch ``target`` and fail clearly unless it answers 200."""
    url = f"http://{HOST}:{port}{target}"
    try:
        status, headers, body = fetch(port, target)
    except OSError as exc:
        raise BenchError(f"{label}: GET {url} failed: {exc}") from exc
    if status != 200:
        hint = ""
        if status == 404:
            hint = (
                " (is the page built yet? `--path /zh-hans/` checks the harness "
                "against a page that exists)"
            )
        elif 300 <= status < 400:
            hint = f" (redirects to {header(headers, 'Location')})"
        raise BenchError(f"{label}: GET {url} answered {status}, not 200{hint}")
    return headers, body


def django_env(tmp: Path) -> dict[str, str]:
    """Return the environment of the demo: scratch database, base settings."""
    env = dict(os.environ)
    for name in ("CACHE_URL", "DJANGO_SETTINGS_MODULE", "DEBUG", "DB_CONN_MAX_AGE"):
        env.pop(name, None)
    env.update(
        DJANGO_SETTINGS_MODULE="helpcenter.settings.base",
        DATABASE_URL=f"sqlite:///{tmp / 'bench.sqlite3'}",
        HELPCENTER_VAR_DIR=str(tmp / "var"),
        DEBUG="0",
        PYTHONDONTWRITEBYTECODE="1",
    )
    return env


def load_demo(env: dict[str, str], tmp: Path) -> None:
    """Migrate the scratch database and load the demo into it."""
    for command in (["migrate", "--no-input", "-v", "0"], ["load_demo"]):
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
                timeout=300,
            )
        if result.returncode != 0:
            raise SetupError(f"manage.py {command[0]} failed:\n{tail(log)}")


def start_gunicorn(procs, args, env: dict[str, str], tmp: Path) -> int:
    """Serve the demo with gunicorn on a free port; return the port."""
    port = free_port()
    log = tmp / "gunicorn.log"
    cmd = [
        sys.executable,
        "-m",
        "gunicorn",
        "helpcenter.wsgi:application",
        "--bind",
        f"{HOST}:{port}",
        "--workers",
        str(args.workers),
        "--threads",
        str(args.threads),
        "--worker-class",
        args.worker_class,
        "--log-level",
        "warning",
    ]
    proc = procs.start("gunicorn", cmd, log, cwd=ROOT, env=env)
    wait_for_http(port, proc, "gunicorn", log)
    return port


def nginx_temp_paths(nginx: str, tmp: Path) -> str:
    """Return temp-path directives in ``tmp`` for the modules nginx has.

    Without them nginx creates its compiled-in ``/var/lib/nginx/*`` folders,
    which needs root.
    """
    build = subprocess.run(
        [nginx, "-V"], check=False, capture_output=True, text=True, timeout=30
    ).stderr
    lines = [f"    client_body_temp_path {tmp}/nginx-temp/body;"]
    for module in ("proxy", "fastcgi", "uwsgi", "scgi"):
        if f"--without-http_{module}_module" not in build:
            lines.append(f"    {module}_temp_path {tmp}/nginx-temp/{module};")
    return "\n".join(lines)


def start_nginx(procs, args, tmp: Path, page_path: str, body: bytes) -> int:
    """Serve ``body`` at ``page_path`` with nginx on a free port; return it."""
    nginx = find_tool("nginx")
    root = tmp / "www"
    target = root / page_path.lstrip("/")
    if page_path.endswith("/"):
        target = target / "index.html"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(body)
    # When run as root, nginx's workers run as an unprivileged user: let
    # them read the copy (the temporary directory is created 0700).
    for folder in [tmp, *target.relative_to(tmp).parents]:
        (tmp / folder).chmod(0o755)
    target.chmod(0o644)
    (tmp / "nginx-temp").mkdir(exist_ok=True)
    port = free_port()
    conf = tmp / "nginx.conf"
    conf.write_text(
        NGINX_CONF.format(
            workers=args.nginx_workers,
            tmp=tmp,
            temp_paths=nginx_temp_paths(nginx, tmp),
            host=HOST,
            port=port,
            root=root,
        )
    )
    log = tmp / "nginx.log"
    cmd = [nginx, "-p", str(tmp), "-c", str(conf), "-e", str(tmp / "nginx-error.log")]
    proc = procs.start("nginx", cmd, log)
    wait_for_http(port, proc, "nginx", tmp / "nginx-error.log")
    return port


CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def system_cpu_ticks() -> tuple[int, int]:
    """Return (busy, steal) clock ticks of the whole machine from /proc/stat."""
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
    user, nice, system, _idle, _iowait, irq, softirq, steal = fields[:8]
    return user + nice + system + irq + softirq, steal


def tree_cpu_ticks(pid: int) -> int:
    """Return the user + system ticks of ``pid`` and its descendants."""
    total = 0
    stack = [pid]
    while stack:
        current = stack.pop()
        try:
            stat = Path(f"/proc/{current}/stat").read_text()
            fields = stat.rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
            for task in Path(f"/proc/{current}/task").iterdir():
                stack.extend(int(c) for c in (task / "children").read_text().split())
        except (OSError, ValueError, IndexError):
            continue
    return total


class CpuMeter:
    """Tell how much CPU processes other than the benchmark's used meanwhile.

    The machine may be shared: a test suite running beside the benchmark
    takes cores from gunicorn, nginx and wrk and lowers every figure.
    """

    def __init__(self, procs: Processes) -> None:
        self.procs = procs

    def _ours(self) -> int:
        servers = sum(tree_cpu_ticks(proc.pid) for _, proc in self.procs.running)
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        waited = round((children.ru_utime + children.ru_stime) * CLOCK_TICKS)
        return servers + waited

    def start(self) -> None:
        """Take the first reading."""
        self.started = time.monotonic()
        self.busy, self.steal = system_cpu_ticks()
        self.ours = self._ours()

    def stop(self) -> dict:
        """Return the share of the machine's CPU used by others since start."""
        elapsed = time.monotonic() - self.started
        busy, steal = system_cpu_ticks()
        ours = self._ours()
        capacity = elapsed * (os.cpu_count() or 1)
        others = max(0, (busy - self.busy) - (ours - self.ours)) / CLOCK_TICKS
        return {
            "benchmark_cpu_share": round(
                (ours - self.ours) / CLOCK_TICKS / capacity, 3
            ),
            "other_cpu_share": round(others / capacity, 3),
            "steal_share": round((steal - self.steal) / CLOCK_TICKS / capacity, 3),
        }


def run_wrk(args, port: int, target: str, seconds: int, lua: Path) -> dict:
    """Run wrk against 127.0.0.1:``port`` for ``seconds``; return its figures."""
    wrk = find_tool("wrk")
    url = f"http://{HOST}:{port}{target}"
    cmd = [
        wrk,
        "--threads",
        str(args.wrk_threads),
        "--connections",
        str(args.connections),
        "--duration",
        f"{seconds}s",
        "--timeout",
        "5s",
        "--latency",
        "--script",
        str(lua),
        url,
    ]
    result = subprocess.run(
        cmd, capture_output=True, text=True, timeout=seconds + 60, check=False
    )
    if result.returncode != 0:
        raise SetupError(f"wrk failed ({result.returncode}):\n{result.stderr}")
    line = next(
        (ln for ln in result.stdout.splitlines() if ln.startswith("WRK_JSON ")), None
    )
    if line is None:
        raise SetupError(f"wrk printed no figures:\n{result.stdout}")
    figures = json.loads(line.removeprefix("WRK_JSON "))
    seconds_measured = figures["duration_us"] / 1e6
    figures["url"] = url
    figures["requests_per_second"] = figures["requests"] / seconds_measured
    figures["wrk_output"] = result.stdout.replace(line + "\n", "")
    return figures


def cpu_model() -> str:
    """Return the CPU model name from /proc/cpuinfo."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def tool_version(cmd: list[str]) -> str:
    """Return the first line a tool prints about its version."""
    try:
        result = subprocess.run(
            cmd, check=False, capture_output=True, text=True, timeout=30
        )
    except (OSError, subprocess.TimeoutExpired):
        return "unknown"
    text = (result.stdout or result.stderr).strip()
    return text.splitlines()[0] if text else "unknown"


def ms(microseconds: float) -> str:
    """Format microseconds as milliseconds."""
    return f"{microseconds / 1000:.2f}"


#: Above this share of the machine's CPU used by other processes during a
#: run, the figures are flagged as disturbed.
BUSY_MACHINE_SHARE = 0.05


def print_table(results: dict[str, dict]) -> None:
    """Print scenario, requests/s, p50 and p99 (and the others' CPU share)."""
    print()
    print(
        f"{'scenario':<10} {'requests/s':>11} {'p50 ms':>8} {'p99 ms':>8} "
        f"{'other CPU':>10}"
    )
    for name, figures in results.items():
        latency = figures["latency_us"]
        print(
            f"{name:<10} {figures['requests_per_second']:>11.1f} "
            f"{ms(latency['p50']):>8} {ms(latency['p99']):>8} "
            f"{figures['cpu']['other_cpu_share']:>10.0%}"
        )
    print()
    disturbed = [
        name
        for name, figures in results.items()
        if figures["cpu"]["other_cpu_share"] > BUSY_MACHINE_SHARE
    ]
    if disturbed:
        print(
            f"WARNING: other processes used more than {BUSY_MACHINE_SHARE:.0%} of "
            f"the CPU during {', '.join(disturbed)}: those figures are low; "
            f"re-run on a quiet machine.\n"
        )


def judge_targets(results: dict[str, dict]) -> list[dict]:
    """Compare the figures with the issue's targets; print PASS/MISS lines."""
    targets = []
    if "hit" in results and "static" in results:
        needed = results["static"]["requests_per_second"] * HIT_FRACTION_OF_STATIC
        got = results["hit"]["requests_per_second"]
        targets.append(
            {
                "name": "hit >= static / 10",
                "required_rps": round(needed, 1),
                "measured_rps": round(got, 1),
                "met": got >= needed,
            }
        )
    if "miss" in results:
        got = results["miss"]["requests_per_second"]
        targets.append(
            {
                "name": f"miss >= {MISS_MIN_RPS:.0f} req/s",
                "required_rps": MISS_MIN_RPS,
                "measured_rps": round(got, 1),
                "met": got >= MISS_MIN_RPS,
            }
        )
    for target in targets:
        verdict = "PASS" if target["met"] else "MISS"
        ratio = target["measured_rps"] / target["required_rps"]
        print(
            f"{verdict}  {target['name']}: {target['measured_rps']:.1f} req/s "
            f"measured, {target['required_rps']:.1f} req/s required "
            f"({ratio:.0%} of target)"
        )
    return targets


def benchmark(args, procs: Processes, tmp: Path) -> dict:
    """Set everything up, check the pages, measure; return the report."""
    load_at_start = os.getloadavg()[0]
    find_tool("wrk")
    if "static" in args.scenarios:
        find_tool("nginx")
    env = django_env(tmp)
    print(f"Loading the demo into a scratch database in {tmp} ...")
    load_demo(env, tmp)
    print(
        f"Starting gunicorn ({args.workers} {args.worker_class} workers, "
        f"{args.threads} thread(s) each) ..."
    )
    app_port = start_gunicorn(procs, args, env, tmp)

    hit_target = args.path
    miss_target = f"{args.path}?{MISS_QUERY}"
    hit_headers, hit_body = check_200(app_port, hit_target, "cache hit")
    # The first request stored the page; this one is served from the cache.
    hit_headers, hit_body = check_200(app_port, hit_target, "cache hit")
    _, miss_body = check_200(app_port, miss_target, "cache miss")
    checks = {
        "hit_status": 200,
        "miss_status": 200,
        "body_bytes": len(hit_body),
        "hit_etag": header(hit_headers, "ETag"),
        "hit_cache_control": header(hit_headers, "Cache-Control"),
        "hit_sets_cookie": header(hit_headers, "Set-Cookie") is not None,
        "miss_body_identical_to_hit": miss_body == hit_body,
    }
    # guides.cache adds the ETag only to pages it stored; without one the
    # "hit" scenario would measure a render.
    checks["hit_served_from_cache"] = (
        bool(checks["hit_etag"]) and not (checks["hit_sets_cookie"])
    )
    if not checks["hit_served_from_cache"]:
        print(
            "WARNING: the page carries no ETag or sets a cookie, so guides.cache "
            "did not store it: the 'hit' figures measure a render.",
            file=sys.stderr,
        )

    static_port = None
    if "static" in args.scenarios:
        print(f"Starting nginx with a copy of {hit_target} ({len(hit_body)} bytes) ...")
        static_port = start_nginx(procs, args, tmp, hit_target, hit_body)
        _, static_body = check_200(static_port, hit_target, "static copy")
        if static_body != hit_body:
            raise BenchError(
                f"the static copy is not byte-identical: nginx sent "
                f"{len(static_body)} bytes, Django {len(hit_body)}"
            )
        checks["static_byte_identical"] = True

    lua = tmp / "report.lua"
    lua.write_text(WRK_REPORT_LUA)
    plan = {
        "static": (static_port, hit_target),
        "hit": (app_port, hit_target),
        "miss": (app_port, miss_target),
    }
    results: dict[str, dict] = {}
    meter = CpuMeter(procs)
    for name in ("static", "hit", "miss"):
        if name not in args.scenarios:
            continue
        port, target = plan[name]
        print(f"Measuring {name}: {args.warmup} s warm-up, {args.duration} s run ...")
        if args.warmup > 0:
            run_wrk(args, port, target, args.warmup, lua)
        meter.start()
        figures = run_wrk(args, port, target, args.duration, lua)
        figures["cpu"] = meter.stop()
        errors = figures["errors"]
        if any(errors.values()):
            raise BenchError(
                f"{name}: requests failed under load ({errors}); "
                f"see {tmp / 'gunicorn.log'} (run with --keep)\n"
                f"{figures['wrk_output']}"
            )
        results[name] = figures

    print_table(results)
    targets = judge_targets(results)
    return {
        "command": "make bench-article",
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "machine": {
            "load_average_at_start": load_at_start,
            "nproc": os.cpu_count(),
            "cpus_usable": len(os.sched_getaffinity(0)),
            "cpu_model": cpu_model(),
            "platform": platform.platform(),
            "python": platform.python_version(),
        },
        "tools": {
            "nginx": tool_version([find_tool("nginx"), "-v"]) if static_port else None,
            "wrk": tool_version([find_tool("wrk"), "--version"]),
            "gunicorn": tool_version([sys.executable, "-m", "gunicorn", "--version"]),
        },
        "settings": {
            "DJANGO_SETTINGS_MODULE": "helpcenter.settings.base",
            "DEBUG": False,
            "cache": "locmem (per worker process)",
            "database": "SQLite (scratch copy of the demo)",
        },
        "gunicorn": {
            "workers": args.workers,
            "threads": args.threads,
            "worker_class": args.worker_class,
        },
        "nginx": {"worker_processes": args.nginx_workers},
        "wrk": {
            "threads": args.wrk_threads,
            "connections": args.connections,
            "duration_s": args.duration,
            "warmup_s": args.warmup,
        },
        "urls": {"hit": hit_target, "miss": miss_target, "static": hit_target},
        "checks": checks,
        "scenarios": results,
        "targets": targets,
    }


def _raise_on_sigterm(signum, frame) -> None:
    raise SystemExit(128 + signum)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; return the exit status."""
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, _raise_on_sigterm)
    signal.signal(signal.SIGHUP, _raise_on_sigterm)
    tmp = Path(tempfile.mkdtemp(prefix="bench-article-"))
    procs = Processes()
    status = 0
    try:
        report = benchmark(args, procs, tmp)
    except BenchError as exc:
        print(f"FAIL: {exc}", file=sys.stderr)
        status = 1
    except SetupError as exc:
        print(f"ERROR: {exc}", file=sys.stderr)
        status = 2
    finally:
        procs.stop_all()
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
