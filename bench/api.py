"""Benchmark the API's procedure detail beside the article page, in one run.

Run it with ``make bench-api`` (or ``.venv/bin/python bench/api.py`` once
``make install messages`` has run). It uses ``bench/article.py``'s harness:

1. builds a scratch SQLite database in a temporary directory (``migrate`` and
   ``load_demo``), never touching the developer's ``var/``;
2. serves the demo with gunicorn on 127.0.0.1 (base settings, DEBUG off, the
   default local-memory cache), with the API's per-client rate limit raised
   out of reach: every wrk request comes from one address, and 429s would
   measure the limiter, not the API (it still counts every request);
3. checks that the article page and ``/api/v1/procedures/<slug>`` answer 200
   for the same procedure in the same language, that the API answers JSON
   about that procedure, and that a second request to each is a stored one
   (it carries an ETag);
4. measures four scenarios with wrk (a warm-up run, then a timed run each):
   the two hits in ``--rounds`` alternating pairs (page then API, API then
   page, ...; each keeps its median round, every round is in the JSON), then
   page miss and API miss; prints a table, the
   API-to-page ratios and a PASS/MISS line for the target (a cached API
   response at least as fast as a cached page), and writes
   ``bench/out/api.json``.

Hits carry no query string. A page miss adds ``?nocache=1`` (any query
string bypasses the page cache, as in ``bench/article.py``). The API stores
responses under their query string too (``guides.api.http``), so an API miss
sends a different query string on every request (a wrk Lua ``request``
function): each is rendered, and stored, as a new URL would be.

When the API endpoint is missing (a tree without ``guides.api``), the script
says so, measures the page alone and exits with status 3. Otherwise the exit
status is that of ``bench/article.py``: 0 when every check passed (a missed
target is reported, not fatal), 1 when a check failed, 2 when a tool is
missing or a server would not start. Traffic goes to 127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import secrets
import shutil
import signal
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import article as harness  # noqa: E402  (needs ROOT on the path)

OUT_FILE = ROOT / "bench" / "out" / "api.json"
DEFAULT_SLUG = "cancel-china-mobile-prepaid-10-day-card"
DEFAULT_LANGUAGE = "zh-hans"
API_PREFIX = "/api/v1/procedures/"
#: Scenarios in the order they run: hits, then misses, page before API.
SCENARIOS = ("page-hit", "api-hit", "page-miss", "api-miss")

#: Settings of the served demo: the base settings, with the API's limit out of
#: reach (see the module docstring).
SETTINGS_MODULE = "bench_api_settings"
SETTINGS_SOURCE = """\
from helpcenter.settings.base import *  # noqa: F403

HELPCENTER_API_RATE_LIMIT = (10**12, 60)
"""

# Every request of a run gets its own query string: "run" is set per wrk
# run (so a warm-up's URLs are not stored hits for the timed run), "tid"
# per wrk thread.
UNIQUE_QUERY_LUA = """\
local threads = 0
setup = function(thread)
  threads = threads + 1
  thread:set("tid", threads)
end
local counter = 0
request = function()
  counter = counter + 1
  return wrk.format(nil, wrk.path .. "?miss={run}-" .. tid .. "-" .. counter)
end
"""


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Read the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--slug", default=DEFAULT_SLUG, help="procedure to measure (%(default)s)"
    )
    parser.add_argument(
        "--language",
        default=DEFAULT_LANGUAGE,
        help="language of the page; the API is asked for it by Accept-Language "
        "when it is the tenant's default, else by ?lang= (default: %(default)s)",
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
        "--rounds",
        type=int,
        default=3,
        help="alternating rounds of the two hit runs; each keeps its median "
        "(default: %(default)s)",
    )
    parser.add_argument("--out", type=Path, default=OUT_FILE, help="JSON output")
    parser.add_argument(
        "--keep", action="store_true", help="keep the temporary directory"
    )
    args = parser.parse_args(argv)
    for name in ("slug", "language"):
        value = getattr(args, name)
        if not value or not all(c.isalnum() or c in "-_" for c in value):
            parser.error(f"--{name} must be a slug")
    return args


def django_env(tmp: Path) -> dict[str, str]:
    """Return the article benchmark's environment, with this run's settings."""
    (tmp / f"{SETTINGS_MODULE}.py").write_text(SETTINGS_SOURCE)
    env = harness.django_env(tmp)
    env["DJANGO_SETTINGS_MODULE"] = SETTINGS_MODULE
    # A settings module of its own needs a real key (guides.operations.startup).
    env["SECRET_KEY"] = secrets.token_urlsafe(64)
    env["PYTHONPATH"] = os.pathsep.join(
        [str(tmp), str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])]
    )
    return env


def api_answer(port: int, target: str, slug: str) -> tuple[bool, str, list, bytes]:
    """Fetch the API detail; return (usable, why not, headers, body)."""
    try:
        status, headers, body = harness.fetch(port, target)
    except OSError as exc:
        raise harness.BenchError(f"GET {target} failed: {exc}") from exc
    kind = (harness.header(headers, "Content-Type") or "").split(";")[0]
    if status != 200 or kind != "application/json":
        return False, f"it answered {status} {kind or '(no type)'}", headers, body
    try:
        data = json.loads(body)
    except ValueError:
        return False, "its body is not JSON", headers, body
    if not isinstance(data, dict) or data.get("slug") != slug:
        return False, f"its JSON is not the procedure {slug!r}", headers, body
    return True, "", headers, body


def run_plan(rounds: int) -> list[str]:
    """Return the order of the runs: the two hits in ``rounds`` alternating
    pairs (page then API, API then page, ...), then the two misses.

    On a shared machine the load drifts within a minute; alternating the
    order and keeping each hit's median round stops the drift from deciding
    which of the two comes out ahead.
    """
    plan = []
    for number in range(rounds):
        pair = ["page-hit", "api-hit"]
        plan += pair if number % 2 == 0 else pair[::-1]
    return [*plan, "page-miss", "api-miss"]


def median_run(runs: list[dict]) -> dict:
    """Return the run with the median requests/s (the lower middle of an even count)."""
    ordered = sorted(runs, key=lambda run: run["requests_per_second"])
    return ordered[(len(ordered) - 1) // 2]


def unique_query_lua(tmp: Path, run: str) -> Path:
    """Write wrk's script for one API-miss run (report + unique query strings)."""
    path = tmp / f"unique-{run}.lua"
    path.write_text(harness.WRK_REPORT_LUA + UNIQUE_QUERY_LUA.replace("{run}", run))
    return path


def ratio(a: float, b: float) -> float | None:
    return round(a / b, 3) if b else None


def compare(results: dict[str, dict]) -> dict:
    """Return the API-to-page ratios of requests/s and latencies."""
    ratios = {}
    for kind in ("hit", "miss"):
        page, api = results.get(f"page-{kind}"), results.get(f"api-{kind}")
        if not page or not api:
            continue
        ratios[kind] = {
            "rps_api_over_page": ratio(
                api["requests_per_second"], page["requests_per_second"]
            ),
            "p50_api_over_page": ratio(
                api["latency_us"]["p50"], page["latency_us"]["p50"]
            ),
            "p99_api_over_page": ratio(
                api["latency_us"]["p99"], page["latency_us"]["p99"]
            ),
        }
    return ratios


def print_ratios(ratios: dict) -> None:
    for kind, figures in ratios.items():
        print(
            f"API / page on a {kind}: {figures['rps_api_over_page']:.2f}x the "
            f"requests/s, {figures['p50_api_over_page']:.2f}x the p50, "
            f"{figures['p99_api_over_page']:.2f}x the p99"
        )


def judge(results: dict[str, dict]) -> list[dict]:
    """Compare the API hit with the page hit; print the PASS/MISS line."""
    if "api-hit" not in results or "page-hit" not in results:
        return []
    needed = results["page-hit"]["requests_per_second"]
    got = results["api-hit"]["requests_per_second"]
    target = {
        "name": "cached API response >= cached page (requests/s)",
        "required_rps": round(needed, 1),
        "measured_rps": round(got, 1),
        "met": got >= needed,
    }
    verdict = "PASS" if target["met"] else "MISS"
    print(
        f"{verdict}  {target['name']}: {got:.1f} req/s measured, "
        f"{needed:.1f} req/s required ({got / needed:.0%} of target)"
    )
    return [target]


def benchmark(args, procs: harness.Processes, tmp: Path) -> tuple[dict, bool]:
    """Set up, check, measure; return the report and whether the API was there."""
    load_at_start = os.getloadavg()[0]
    harness.find_tool("wrk")
    env = django_env(tmp)
    print(f"Loading the demo into a scratch database in {tmp} ...")
    harness.load_demo(env, tmp)
    print(
        f"Starting gunicorn ({args.workers} {args.worker_class} workers, "
        f"{args.threads} thread(s) each) ..."
    )
    port = harness.start_gunicorn(procs, args, env, tmp)

    page = f"/{args.language}/guides/{args.slug}/"
    api = f"{API_PREFIX}{args.slug}"
    if args.language != DEFAULT_LANGUAGE:
        api += f"?lang={args.language}"
    targets = {
        "page-hit": page,
        "page-miss": f"{page}?{harness.MISS_QUERY}",
        "api-hit": api,
        "api-miss": api.split("?")[0],  # the Lua script adds a query string
    }
    harness.check_200(port, page, "page hit")
    page_headers, page_body = harness.check_200(port, page, "page hit")
    harness.check_200(port, targets["page-miss"], "page miss")
    checks = {
        "page_bytes": len(page_body),
        "page_etag": harness.header(page_headers, "ETag"),
    }
    api_there, why, api_headers, api_body = api_answer(port, api, args.slug)
    if api_there:
        _there, _why, api_headers, api_body = api_answer(port, api, args.slug)
        checks.update(
            api_bytes=len(api_body),
            api_etag=harness.header(api_headers, "ETag"),
            api_cache_control=harness.header(api_headers, "Cache-Control"),
            api_language=harness.header(api_headers, "Content-Language"),
        )
        miss_there, why_miss, _h, _b = api_answer(
            port, f"{api.split('?')[0]}?miss=check", args.slug
        )
        if not miss_there:
            raise harness.BenchError(f"API miss: {why_miss}")
        if args.language == DEFAULT_LANGUAGE and checks["api_language"] not in (
            None,
            args.language,
        ):
            raise harness.BenchError(
                f"the API answered in {checks['api_language']}, the page is in "
                f"{args.language}: pass --language of the tenant's default"
            )
        if not checks["api_etag"]:
            print(
                "WARNING: the API response carries no ETag: the 'api-hit' "
                "figures may measure a render.",
                file=sys.stderr,
            )
    else:
        print(
            f"\nNOTE: the API endpoint {api} is not available ({why}).\n"
            f"      Only the article page is measured; the API target is not "
            f"judged.\n",
            file=sys.stderr,
        )

    report_lua = tmp / "report.lua"
    report_lua.write_text(harness.WRK_REPORT_LUA)
    meter = harness.CpuMeter(procs)
    runs: dict[str, list[dict]] = {name: [] for name in SCENARIOS}
    for name in run_plan(args.rounds):
        if name.startswith("api") and not api_there:
            continue
        target = targets[name]
        print(f"Measuring {name}: {args.warmup} s warm-up, {args.duration} s run ...")
        unique = name == "api-miss"
        if args.warmup > 0:
            lua = unique_query_lua(tmp, "warm") if unique else report_lua
            harness.run_wrk(args, port, target, args.warmup, lua)
        lua = unique_query_lua(tmp, "timed") if unique else report_lua
        meter.start()
        figures = harness.run_wrk(args, port, target, args.duration, lua)
        figures["cpu"] = meter.stop()
        if any(figures["errors"].values()):
            raise harness.BenchError(
                f"{name}: requests failed under load ({figures['errors']}); "
                f"see {tmp / 'gunicorn.log'} (run with --keep)\n"
                f"{figures['wrk_output']}"
            )
        runs[name].append(figures)
    results = {name: median_run(found) for name, found in runs.items() if found}
    if args.rounds > 1:
        for name in ("page-hit", "api-hit"):
            if runs[name]:
                rates = ", ".join(
                    f"{run['requests_per_second']:.1f}" for run in runs[name]
                )
                print(f"{name} rounds (requests/s): {rates}; the median is kept")

    harness.print_table(results)
    ratios = compare(results)
    print_ratios(ratios)
    targets_met = judge(results)
    report = {
        "command": "make bench-api",
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "machine": {
            "load_average_at_start": load_at_start,
            "nproc": os.cpu_count(),
            "cpus_usable": len(os.sched_getaffinity(0)),
            "cpu_model": harness.cpu_model(),
            "platform": platform.platform(),
            "python": platform.python_version(),
        },
        "tools": {
            "wrk": harness.tool_version([harness.find_tool("wrk"), "--version"]),
            "gunicorn": harness.tool_version(
                [sys.executable, "-m", "gunicorn", "--version"]
            ),
        },
        "settings": {
            "DJANGO_SETTINGS_MODULE": "helpcenter.settings.base "
            "(+ HELPCENTER_API_RATE_LIMIT out of reach)",
            "DEBUG": False,
            "cache": "locmem (per worker process)",
            "database": "SQLite (scratch copy of the demo)",
        },
        "gunicorn": {
            "workers": args.workers,
            "threads": args.threads,
            "worker_class": args.worker_class,
        },
        "rounds": args.rounds,
        "wrk": {
            "threads": args.wrk_threads,
            "connections": args.connections,
            "duration_s": args.duration,
            "warmup_s": args.warmup,
        },
        "api_available": api_there,
        "api_unavailable_reason": why or None,
        "urls": {
            **targets,
            "api-miss": f"{targets['api-miss']}?miss=<unique per request>",
        },
        "checks": checks,
        "scenarios": results,
        "hit_rounds": {
            name: [run["requests_per_second"] for run in runs[name]]
            for name in ("page-hit", "api-hit")
            if runs[name]
        },
        "ratios": ratios,
        "targets": targets_met,
    }
    return report, api_there


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; return the exit status."""
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, harness._raise_on_sigterm)
    signal.signal(signal.SIGHUP, harness._raise_on_sigterm)
    tmp = Path(tempfile.mkdtemp(prefix="bench-api-"))
    procs = harness.Processes()
    status = 0
    try:
        report, api_there = benchmark(args, procs, tmp)
    except harness.BenchError as exc:
        print(f"FAIL: {exc}", file=sys.stderr)
        status = 1
    except harness.SetupError as exc:
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
    if not api_there:
        print("The API endpoint was not measured (see NOTE above).", file=sys.stderr)
        return 3
    return 0


if __name__ == "__main__":
    sys.exit(main())
