"""Benchmark the public article page against nginx, in one interleaved run.

Run it with ``make bench-article`` (or ``.venv/bin/python bench/article.py``
once ``make install messages`` has run). In one run it:

1. builds a scratch SQLite database in a temporary directory (``migrate`` and
   ``load_demo``), never touching the developer's ``var/``;
2. serves the demo with granian (WSGI, HTTP/1.1 keep-alive; base settings,
   DEBUG off, the default local-memory page cache) on 127.0.0.1, one server
   per ``--granian`` configuration, and optionally gunicorn (``--gunicorn``);
3. starts a private ``varnishd`` with ``deploy/varnish/default.vcl`` whose
   backend is the first granian server, and the app purges it
   (``HELPCENTER_VARNISH_URLS``);
4. writes the exact bytes of the page into an nginx root and serves them
   with Debian's nginx, and checks every server sends the same page;
5. measures rounds: in each round, every scenario once, one after the other
   (nginx static, each server's hit and miss, Varnish), so each ratio to
   nginx is taken within its round on the same machine state; the miss is
   a real render of the one article (``?nocache=1``: a query string
   bypasses the page cache and ``PageCacheFront``);
6. checks, through Varnish, that an unpublish, a publish and a hotline change
   are visible within a second on every page that shows them while the
   other pages stay cached (Varnish's hit counter);
7. prints a table with the ratios, a PASS/MISS line per target, and writes
   ``bench/out/article.json``.

Exit status: 0 when every check passed (a missed speed target is reported,
not fatal); 1 when a page does not answer 200, a copy differs, requests
failed under load or a write was not visible through Varnish in time; 2 when
a tool is missing or a server would not start. Every process it starts is
stopped on the way out, on failure too. Traffic goes to 127.0.0.1 only.

The helpers (``Processes``, ``django_env``, ``load_demo``,
``start_gunicorn``, ``check_200``, ``run_wrk``, ...) are shared with
bench/api.py, bench/faults.py, bench/audit.py and bench/screenshots.py.
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
import statistics
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
VCL = ROOT / "deploy" / "varnish" / "default.vcl"
#: Targets from issue #17 (2 cores, SQLite), each ratio within its round.
GRANIAN_HIT_FRACTION = 1 / 3
VARNISH_FRACTION = 0.8
MISS_MIN_RPS = 1500.0
#: A write must be visible through Varnish within this many seconds.
VISIBLE_WITHIN = 1.0

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


def parse_granian(spec: str) -> dict:
    """Read ``WxT`` or ``WxTxR``: workers, blocking threads, runtime threads."""
    parts = [int(p) for p in spec.lower().split("x")]
    if len(parts) not in (2, 3) or min(parts) < 1:
        raise ValueError(spec)
    workers, threads, runtime = (*parts, 1)[:3]
    return {"workers": workers, "threads": threads, "runtime_threads": runtime}


def granian_label(config: dict) -> str:
    label = f"granian {config['workers']}w{config['threads']}t"
    if config["runtime_threads"] != 1:
        label += f"{config['runtime_threads']}r"
    return label


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Read the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--path",
        default=DEFAULT_PATH,
        help="page to measure, without query string (default: %(default)s)",
    )
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds")
    parser.add_argument(
        "--duration", type=int, default=10, help="seconds per timed wrk run"
    )
    parser.add_argument(
        "--warmup",
        type=int,
        default=2,
        help="seconds of wrk warm-up before each scenario's first round",
    )
    parser.add_argument(
        "--connections", type=int, default=16, help="wrk open connections"
    )
    parser.add_argument("--wrk-threads", type=int, default=2, help="wrk threads")
    parser.add_argument(
        "--granian",
        default="2x1",
        help="granian configurations, comma-separated WORKERSxBLOCKING_THREADS"
        "[xRUNTIME_THREADS] (default: %(default)s); the first is Varnish's "
        "backend and the one judged against the targets",
    )
    parser.add_argument(
        "--gunicorn",
        action="store_true",
        help="also measure gunicorn (--workers sync workers) for comparison",
    )
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
        "--no-varnish", action="store_true", help="leave Varnish out (no check)"
    )
    parser.add_argument(
        "--no-miss", action="store_true", help="measure hits only (worker sweeps)"
    )
    parser.add_argument("--out", type=Path, default=OUT_FILE, help="JSON output")
    parser.add_argument(
        "--keep", action="store_true", help="keep the temporary directory"
    )
    parser.add_argument("--editor", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if not args.path.startswith("/") or "?" in args.path:
        parser.error("--path must start with / and carry no query string")
    try:
        args.granian = [parse_granian(s) for s in args.granian.split(",") if s]
    except ValueError as exc:
        parser.error(f"--granian: {exc} is not WORKERSxTHREADS[xRUNTIME]")
    if not args.granian or args.rounds < 1:
        parser.error("at least one granian configuration and one round")
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


def start_granian(
    procs, config: dict, env: dict[str, str], tmp: Path, port: int | None = None
) -> int:
    """Serve the demo with granian (WSGI, keep-alive) on a free port."""
    port = port or free_port()
    label = granian_label(config).replace(" ", "-")
    log = tmp / f"{label}.log"
    cmd = [
        sys.executable,
        "-m",
        "granian",
        "--interface",
        "wsgi",
        "--host",
        HOST,
        "--port",
        str(port),
        "--workers",
        str(config["workers"]),
        "--blocking-threads",
        str(config["threads"]),
        "--runtime-threads",
        str(config["runtime_threads"]),
        "--no-ws",
        "--log-level",
        "warning",
        "helpcenter.wsgi:application",
    ]
    proc = procs.start(label, cmd, log, cwd=ROOT, env=env)
    wait_for_http(port, proc, label, log)
    return port


VMOD_DIRS = (
    Path("/usr/lib/x86_64-linux-gnu/varnish/vmods"),
    Path("/usr/lib/aarch64-linux-gnu/varnish/vmods"),
    Path("/usr/lib/varnish/vmods"),
)


def varnish_missing() -> str | None:
    """Say why Varnish cannot run here, or None."""
    try:
        find_tool("varnishd")
    except SetupError:
        return "varnishd is not installed (make bench-tools installs Debian's varnish)"
    if not any((d / "libvmod_xkey.so").exists() for d in VMOD_DIRS):
        return "the xkey vmod is missing (make bench-tools installs varnish-modules)"
    return None


def start_varnish(procs, tmp: Path, port: int, backend_port: int) -> Path:
    """Run a private varnishd with the deployed VCL; return its -n directory."""
    reason = varnish_missing()
    if reason:
        raise SetupError(reason)
    vcl = VCL.read_text()
    if '.port = "8000";' not in vcl:
        raise SetupError(f"{VCL} has no backend on port 8000 to point elsewhere")
    conf = tmp / "varnish.vcl"
    conf.write_text(vcl.replace('.port = "8000";', f'.port = "{backend_port}";'))
    workdir = tmp / "varnish"
    log = tmp / "varnishd.log"
    cmd = [
        find_tool("varnishd"),
        "-F",
        "-j",
        "none",
        "-n",
        str(workdir),
        "-a",
        f"{HOST}:{port}",
        "-T",
        "none",
        "-f",
        str(conf),
        "-s",
        "malloc,256m",
    ]
    proc = procs.start("varnishd", cmd, log)
    wait_for_http(port, proc, "varnishd", log)
    return workdir


def varnish_counter(workdir: Path, name: str) -> int:
    """Return one of varnishstat's counters (``MAIN.cache_hit``)."""
    done = subprocess.run(
        [find_tool("varnishstat"), "-n", str(workdir), "-1", "-f", name],
        capture_output=True,
        text=True,
        timeout=10,
        check=True,
    )
    return int(done.stdout.split()[1])


# --- the editor: writes in the scratch database, in a process of its own ----


def editor_main() -> int:
    """Answer one JSON command per stdin line with one JSON line (``--editor``).

    Runs with the benchmark's environment, so its writes purge the benchmark's
    Varnish after commit, as an editor's request would.
    """
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db.models import Q

    from guides import services
    from guides.models import Article, Channel, FrontendPurge, Publication, Tenant
    from guides.tenancy import tenant_context

    def reply(**data) -> None:
        print(json.dumps(data), flush=True)

    for line in sys.stdin:
        command = json.loads(line)
        tenant = Tenant.objects.get(slug=command["tenant"])
        with tenant_context(tenant):
            article = Article.objects.get(slug=command["slug"])
            if command["do"] == "info":
                publication = Publication.objects.get(article=article)
                channel_ids = [
                    s["channel"]["id"]
                    for content in publication.content.values()
                    for s in content.get("steps", [])
                    if s.get("channel")
                ]
                channel = Channel.objects.filter(pk__in=channel_ids).first()
                same = Q(carrier_id=article.carrier_id) | Q(
                    card_type_id=article.card_type_id
                )
                slugs = list(Publication.objects.values_list("slug", flat=True))
                related = set(
                    Publication.objects.filter(same).values_list("slug", flat=True)
                )
                reply(
                    tenant_id=tenant.pk,
                    article_id=article.pk,
                    languages=tenant.ordered_languages(),
                    slugs=sorted(slugs),
                    unrelated=sorted(set(slugs) - related),
                    channel=channel and {"id": channel.pk, "value": channel.value},
                    carrier=article.carrier and article.carrier.slug,
                    card_type=article.card_type and article.card_type.slug,
                )
                continue
            if command["do"] == "unpublish":
                services.article_unpublish(article=article, user=None)
            elif command["do"] == "publish":
                services.article_publish(article=article, user=None)
            elif command["do"] == "hotline":
                carrier = article.carrier
                channels = []
                for channel in Channel.objects.filter(carrier=carrier).order_by(
                    "sort_order", "id"
                ):
                    fields = {
                        f.attname: getattr(channel, f.attname)
                        for f in Channel._meta.concrete_fields
                        if f.name not in ("tenant", "carrier", "sort_order")
                        and not f.name.endswith("_at")
                    }
                    if channel.pk == command["channel"]:
                        fields["value"] = command["value"]
                    channels.append(fields)
                services.carrier_save(carrier=carrier, user=None, channels=channels)
            elif command["do"] == "settle":
                # Wait until every owed purge was sent (twice).
                deadline = time.monotonic() + 30
                while FrontendPurge.objects.exists() and time.monotonic() < deadline:
                    time.sleep(0.05)
                reply(settled=not FrontendPurge.objects.exists())
                continue
            # The service returned: committed, the purge thread started.
            reply(committed=time.monotonic())
    return 0


class Editor:
    """The editor process: ``call(do=..., ...)`` sends a command, reads the reply."""

    def __init__(self, procs: Processes, env: dict[str, str], tmp: Path) -> None:
        self.log = open(tmp / "editor.log", "ab")  # noqa: SIM115
        self.proc = subprocess.Popen(
            [sys.executable, str(Path(__file__).resolve()), "--editor"],
            cwd=ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.log,
            text=True,
            start_new_session=True,
        )
        procs.running.append(("editor", self.proc))
        self.tmp = tmp

    def call(self, **command) -> dict:
        self.proc.stdin.write(json.dumps(command) + "\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        if not line:
            raise SetupError(
                f"the editor process died:\n{tail(self.tmp / 'editor.log')}"
            )
        return json.loads(line)


# --- through Varnish: writes visible within a second, the rest stays cached --


def vfetch(port: int, path: str) -> tuple[int, dict, str]:
    """GET ``path`` through Varnish; headers lower-cased, xkey included."""
    conn = http.client.HTTPConnection(HOST, port, timeout=10)
    try:
        conn.request(
            "GET", path, headers={"Accept-Encoding": "identity", "X-Cache-Debug": "1"}
        )
        response = conn.getresponse()
        body = response.read().decode("utf-8", "replace")
        return response.status, {k.lower(): v for k, v in response.getheaders()}, body
    finally:
        conn.close()


def warm_pages(port: int, paths: list[str]) -> dict[str, tuple[int, dict, str]]:
    """Fetch each page twice (stored, then a hit); return the second answers."""
    pages = {}
    for path in paths:
        vfetch(port, path)
        pages[path] = vfetch(port, path)
    return pages


def wait_visible(port: int, paths: list[str], shows, since: float) -> float:
    """Poll each path in its own thread until ``shows(status, body)``; return
    the longest time since ``since`` (inf when one never changed in 5 s)."""
    return max(wait_times(port, paths, shows, since).values(), default=0.0)


def wait_times(port: int, paths: list[str], shows, since: float) -> dict:
    """Poll each path until ``shows(status, body)``: path -> seconds since
    ``since`` (inf when it never did within 5 s)."""

    def poll(path: str) -> float:
        while time.monotonic() - since < 5:
            status, _headers, body = vfetch(port, path)
            if shows(status, body):
                return time.monotonic() - since
            time.sleep(0.01)
        return float("inf")

    if not paths:
        return {}
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=min(len(paths), 32)) as pool:
        return dict(zip(paths, pool.map(poll, paths), strict=True))


def still_cached(port: int, workdir: Path, paths: list[str]) -> dict:
    """Fetch each path once: each must be a hit (X-Cache and the hit counter)."""
    before = varnish_counter(workdir, "MAIN.cache_hit")
    misses = [p for p in paths if vfetch(port, p)[1].get("x-cache") != "HIT"]
    deadline = time.monotonic() + 3
    while True:  # worker threads publish their counters a moment later
        moved = varnish_counter(workdir, "MAIN.cache_hit") - before
        if moved >= len(paths) - len(misses) or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    return {
        "pages": len(paths),
        "hit_counter_moved": moved,
        "not_hits": misses,
        "ok": not misses and moved == len(paths),
    }


def seconds(took: float) -> float | None:
    """Round a delay for the report; None when it never happened."""
    return None if took == float("inf") else round(took, 3)


def in_time(step: dict) -> bool:
    took = step["visible_after_s"]
    return took is not None and took < VISIBLE_WITHIN


def freshness_check(
    editor: Editor, port: int, workdir: Path, slug: str, app_port: int
) -> dict:
    """Unpublish, publish and change a hotline of ``slug``'s article through
    Varnish: each visible within a second where shown, the rest cached."""
    info = editor.call(do="info", tenant="acme", slug=slug)
    langs = info["languages"]
    listings = [f"/{lang}/" for lang in langs]
    if info["carrier"]:
        listings += [f"/{lang}/carriers/{info['carrier']}/" for lang in langs]
    if info["card_type"]:
        listings += [f"/{lang}/cards/{info['card_type']}/" for lang in langs]
    articles = [f"/{lang}/guides/{s}/" for lang in langs for s in info["slugs"]]
    everything = listings + articles
    link = f"/guides/{slug}/"
    own = [f"/{lang}/guides/{slug}/" for lang in langs]
    report: dict = {"article": slug, "pages_watched": len(everything)}

    def shows_article(path: str, page) -> bool:
        return path not in own and page[0] == 200 and link in page[2]

    # Unpublish: the pages that link to it stop, its own pages answer 404.
    pages = warm_pages(port, everything)
    showing = [p for p in everything if shows_article(p, pages[p])]
    unrelated = [
        f"/{lang}/guides/{s}/"
        for lang in langs
        for s in info["unrelated"]
        if not shows_article(f"/{lang}/guides/{s}/", pages[f"/{lang}/guides/{s}/"])
    ]
    warm_pages(port, everything)
    done = editor.call(do="unpublish", tenant="acme", slug=slug)
    took = max(
        wait_visible(port, showing, lambda s, b: link not in b, done["committed"]),
        wait_visible(port, own, lambda s, b: s == 404, done["committed"]),
    )
    editor.call(do="settle", tenant="acme", slug=slug)
    report["unpublish"] = {
        "pages": len(showing) + len(own),
        "visible_after_s": seconds(took),
        "unrelated_cached": still_cached(port, workdir, unrelated),
    }
    # Publish again: the same pages show it again.
    warm_pages(port, everything)
    done = editor.call(do="publish", tenant="acme", slug=slug)
    took = max(
        wait_visible(port, showing, lambda s, b: link in b, done["committed"]),
        wait_visible(port, own, lambda s, b: s == 200, done["committed"]),
    )
    editor.call(do="settle", tenant="acme", slug=slug)
    report["publish"] = {
        "pages": len(showing) + len(own),
        "visible_after_s": seconds(took),
        "unrelated_cached": still_cached(port, workdir, unrelated),
    }
    # A hotline change: every page that shows the channel shows the new value.
    if info["channel"]:
        old = info["channel"]["value"]
        new = "9" + str(int(time.time()))[-6:]

        def shown(value: str, body: str) -> bool:
            # As guides/includes/channel.html shows a channel's value.
            return f">{value}</a>" in body or f": {value}</span>" in body

        pages = warm_pages(port, everything)
        with_hotline = [p for p in everything if shown(old, pages[p][2])]
        without = [p for p in everything if old not in pages[p][2]]
        warm_pages(port, everything)
        done = editor.call(
            do="hotline",
            tenant="acme",
            slug=slug,
            channel=info["channel"]["id"],
            value=new,
        )
        times = wait_times(
            port, with_hotline, lambda s, b: shown(new, b), done["committed"]
        )
        editor.call(do="settle", tenant="acme", slug=slug)
        # The pages that show the changed channel are those the app now
        # answers with the new value (a carrier may have other channels with
        # the old value, and prose may name it too).
        with_hotline = [
            p
            for p in with_hotline
            if shown(new, fetch(app_port, p)[2].decode("utf-8", "replace"))
        ]
        took = max((times[p] for p in with_hotline), default=float("inf"))
        # Pages that never showed the carrier's channels stay cached (listing
        # pages of other carriers, procedures of other carriers).
        others = [p for p in without if p in unrelated]
        sample = with_hotline[0] if with_hotline else None
        report["hotline"] = {
            "pages": len(with_hotline),
            "editor": done,
            "sample_page": sample,
            "sample_from_app_shows_new": sample is not None
            and shown(new, fetch(app_port, sample)[2].decode("utf-8", "replace")),
            "sample_through_varnish_shows_new": sample is not None
            and shown(new, vfetch(port, sample)[2]),
            "visible_after_s": seconds(took),
            "unrelated_cached": still_cached(port, workdir, others),
        }
    report["ok"] = all(
        in_time(step) and step["unrelated_cached"]["ok"]
        for name, step in report.items()
        if name in ("unpublish", "publish", "hotline")
    ) and ("hotline" in report)
    for name in ("unpublish", "publish", "hotline"):
        step = report.get(name)
        if step:
            cached = step["unrelated_cached"]
            verdict = "PASS" if in_time(step) and cached["ok"] else "FAIL"
            took = step["visible_after_s"]
            print(
                f"{verdict}  {name} through Varnish: visible on {step['pages']} "
                f"pages after {'never' if took is None else f'{took:.3f} s'}; "
                f"{cached['hit_counter_moved']}/{cached['pages']} unrelated pages "
                f"still hits"
            )
    return report


# --- the interleaved run -----------------------------------------------------


def round_ratios(rounds: list[dict[str, dict]]) -> dict[str, dict]:
    """Per scenario: req/s and ratio to static of each round, and medians."""
    summary: dict[str, dict] = {}
    for results in rounds:
        static = results["nginx static"]["requests_per_second"]
        for name, figures in results.items():
            entry = summary.setdefault(name, {"rps": [], "ratio": [], "p99_ms": []})
            entry["rps"].append(round(figures["requests_per_second"], 1))
            entry["ratio"].append(round(figures["requests_per_second"] / static, 4))
            entry["p99_ms"].append(round(figures["latency_us"]["p99"] / 1000, 2))
    for entry in summary.values():
        entry["median_rps"] = round(statistics.median(entry["rps"]), 1)
        entry["median_ratio"] = round(statistics.median(entry["ratio"]), 4)
    return summary


def print_rounds(summary: dict[str, dict], rounds: list[dict[str, dict]]) -> None:
    """Print req/s and ratio to nginx per round, and the medians."""
    print()
    count = len(rounds)
    cells = "".join(f" {'round ' + str(i + 1):>18}" for i in range(count))
    print(f"{'scenario':<22}{cells} {'median':>18} {'other CPU':>9}")
    for name, entry in summary.items():
        row = "".join(
            f" {rps:>9,.0f} ({ratio:>5.3f})"
            for rps, ratio in zip(entry["rps"], entry["ratio"], strict=True)
        )
        other = max(r[name]["cpu"]["other_cpu_share"] for r in rounds)
        print(
            f"{name:<22}{row} {entry['median_rps']:>9,.0f} "
            f"({entry['median_ratio']:>5.3f}) {other:>9.0%}"
        )
    print("(req/s, and in brackets the ratio to nginx static in the same round)")
    print()


def judge_targets(summary: dict[str, dict], main: str) -> list[dict]:
    """Compare the medians with the issue's targets; print PASS/MISS lines."""
    targets = []
    hit = summary.get(f"{main} hit")
    if hit:
        targets.append(
            {
                "name": f"{main} hit >= 1/3 of nginx static",
                "required": round(GRANIAN_HIT_FRACTION, 3),
                "measured": hit["median_ratio"],
                "unit": "ratio",
            }
        )
    varnish = summary.get("varnish hit")
    if varnish:
        targets.append(
            {
                "name": "Varnish hit >= 0.8 of nginx static",
                "required": VARNISH_FRACTION,
                "measured": varnish["median_ratio"],
                "unit": "ratio",
            }
        )
    miss = summary.get(f"{main} miss")
    if miss:
        targets.append(
            {
                "name": f"{main} miss >= {MISS_MIN_RPS:,.0f} req/s",
                "required": MISS_MIN_RPS,
                "measured": miss["median_rps"],
                "unit": "req/s",
            }
        )
    for target in targets:
        target["met"] = target["measured"] >= target["required"]
        verdict = "PASS" if target["met"] else "MISS"
        print(
            f"{verdict}  {target['name']}: {target['measured']:,.3f} {target['unit']} "
            f"measured (median of the rounds), {target['required']:,.3f} required "
            f"({target['measured'] / target['required']:.0%} of target)"
        )
    return targets


def benchmark(args, procs: Processes, tmp: Path) -> dict:
    """Set everything up, check the pages, measure; return the report."""
    load_at_start = os.getloadavg()[0]
    find_tool("wrk")
    find_tool("nginx")
    if not args.no_varnish and (reason := varnish_missing()):
        raise SetupError(reason)
    env = django_env(tmp)
    print(f"Loading the demo into a scratch database in {tmp} ...")
    load_demo(env, tmp)
    varnish_port = free_port()
    if not args.no_varnish:
        # The app purges this Varnish after each write (the editor's too).
        env["HELPCENTER_VARNISH_URLS"] = f"http://{HOST}:{varnish_port}"

    hit_target = args.path
    miss_target = f"{args.path}?{MISS_QUERY}"
    servers: dict[str, int] = {}
    for config in args.granian:
        label = granian_label(config)
        print(f"Starting {label} ...")
        servers[label] = start_granian(procs, config, env, tmp)
    if args.gunicorn:
        print(f"Starting gunicorn ({args.workers} {args.worker_class} workers) ...")
        servers[f"gunicorn {args.workers}w"] = start_gunicorn(procs, args, env, tmp)
    main = granian_label(args.granian[0])

    checks: dict = {}
    reference, reference_port = None, None
    for label, port in servers.items():
        check_200(port, hit_target, f"{label} hit")
        headers, body = check_200(port, hit_target, f"{label} hit")
        _, miss_body = check_200(port, miss_target, f"{label} miss")
        if reference is None:
            reference, reference_port = body, port
        # Absolute URLs in the page name the host and port the request named.
        same = body.replace(f":{port}/".encode(), f":{reference_port}/".encode())
        checks[label] = {
            "etag": header(headers, "ETag"),
            "cache_control": header(headers, "Cache-Control"),
            "sets_cookie": header(headers, "Set-Cookie") is not None,
            "same_page_as_first_server": same == reference,
            "miss_is_the_same_page": miss_body == body,
        }
        if not checks[label]["etag"] or checks[label]["sets_cookie"]:
            print(
                f"WARNING: {label}: no ETag or a cookie: the page was not stored, "
                f"so the 'hit' figures measure a render.",
                file=sys.stderr,
            )
    body = reference
    print(f"Starting nginx with a copy of {hit_target} ({len(body)} bytes) ...")
    static_port = start_nginx(procs, args, tmp, hit_target, body)
    _, static_body = check_200(static_port, hit_target, "static copy")
    if static_body != body:
        raise BenchError("the static copy is not byte-identical")

    plan: list[tuple[str, int, str]] = [("nginx static", static_port, hit_target)]
    for label, port in servers.items():
        plan.append((f"{label} hit", port, hit_target))
        if not args.no_miss:
            plan.append((f"{label} miss", port, miss_target))
    varnish_dir = None
    if not args.no_varnish:
        print("Starting varnishd with deploy/varnish/default.vcl ...")
        varnish_dir = start_varnish(procs, tmp, varnish_port, servers[main])
        check_200(varnish_port, hit_target, "varnish")
        headers, varnish_body = check_200(varnish_port, hit_target, "varnish")
        if header(headers, "X-Cache") != "HIT":
            raise BenchError(
                f"Varnish did not keep the page (X-Cache: {header(headers, 'X-Cache')}"
                f", Cache-Control: {header(headers, 'Cache-Control')})"
            )
        # Absolute URLs in the page name the host and port the request named.
        own = f":{servers[main]}/".encode()
        if varnish_body.replace(f":{varnish_port}/".encode(), own) != body:
            (tmp / "varnish-page.html").write_bytes(varnish_body)
            (tmp / "app-page.html").write_bytes(body)
            raise BenchError(
                f"Varnish sends another page than the app (both kept in {tmp})"
            )
        plan.append(("varnish hit", varnish_port, hit_target))

    lua = tmp / "report.lua"
    lua.write_text(WRK_REPORT_LUA)
    meter = CpuMeter(procs)
    rounds: list[dict[str, dict]] = []
    hits_before = varnish_counter(varnish_dir, "MAIN.cache_hit") if varnish_dir else 0
    for number in range(1, args.rounds + 1):
        results: dict[str, dict] = {}
        for name, port, target in plan:
            print(f"Round {number}/{args.rounds}: {name} ...", flush=True)
            if number == 1 and args.warmup > 0:
                # Fills every worker's page cache (local memory is per process).
                run_wrk(args, port, target, args.warmup, lua)
            meter.start()
            figures = run_wrk(args, port, target, args.duration, lua)
            figures["cpu"] = meter.stop()
            if any(figures["errors"].values()):
                raise BenchError(
                    f"{name}: requests failed under load ({figures['errors']}); "
                    f"logs in {tmp} (run with --keep)\n{figures['wrk_output']}"
                )
            del figures["wrk_output"]
            results[name] = figures
        rounds.append(results)
    varnish_stats = None
    if varnish_dir:
        varnish_stats = {
            "cache_hit": varnish_counter(varnish_dir, "MAIN.cache_hit") - hits_before,
            "cache_miss": varnish_counter(varnish_dir, "MAIN.cache_miss"),
        }

    summary = round_ratios(rounds)
    print_rounds(summary, rounds)
    targets = judge_targets(summary, main)
    freshness = None
    if varnish_dir:
        print()
        slug = hit_target.rstrip("/").rsplit("/", 1)[-1]
        editor = Editor(procs, env, tmp)
        freshness = freshness_check(
            editor, varnish_port, varnish_dir, slug, servers[main]
        )
    return {
        "command": "make bench-article",
        "argv": sys.argv[1:],
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
            "nginx": tool_version([find_tool("nginx"), "-v"]),
            "wrk": tool_version([find_tool("wrk"), "--version"]),
            "granian": tool_version([sys.executable, "-m", "granian", "--version"]),
            "gunicorn": tool_version([sys.executable, "-m", "gunicorn", "--version"]),
            "varnishd": tool_version([find_tool("varnishd"), "-V"])
            if varnish_dir
            else None,
        },
        "settings": {
            "DJANGO_SETTINGS_MODULE": "helpcenter.settings.base",
            "DEBUG": False,
            "cache": "locmem (per worker process)",
            "database": "SQLite (scratch copy of the demo)",
        },
        "granian": args.granian,
        "gunicorn": {"workers": args.workers, "worker_class": args.worker_class}
        if args.gunicorn
        else None,
        "nginx": {"worker_processes": args.nginx_workers},
        "wrk": {
            "threads": args.wrk_threads,
            "connections": args.connections,
            "duration_s": args.duration,
            "warmup_s": args.warmup,
            "rounds": args.rounds,
        },
        "urls": {"hit": hit_target, "miss": miss_target},
        "page_bytes": len(body),
        "checks": checks,
        "summary": summary,
        "rounds": rounds,
        "varnish": varnish_stats,
        "targets": targets,
        "through_varnish": freshness,
    }


def _raise_on_sigterm(signum, frame) -> None:
    raise SystemExit(128 + signum)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; return the exit status."""
    args = parse_args(argv)
    if args.editor:
        return editor_main()
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
    freshness = report.get("through_varnish")
    if freshness and not freshness["ok"]:
        # The figures are written; the check's failure is the exit status.
        print(
            "FAIL: a write was not visible through Varnish within "
            f"{VISIBLE_WITHIN:.0f} s, or an unrelated page was evicted "
            f"(through_varnish in {args.out})",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
