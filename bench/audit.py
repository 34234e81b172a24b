"""Audit the public pages with Lighthouse 12.2.3 in Debian's Chromium.

Run it with ``make audit``. In one run it:

1. builds a scratch SQLite database with the demo in a temporary directory
   (never the developer's ``var/``), and serves it on 127.0.0.1 with the
   production server and DEBUG off (``bench/article.py``'s harness);
2. runs Lighthouse (npm ``lighthouse``, pinned in ``package-lock.json``) on
   home, a procedure, a carrier and search, in Chinese and English, as a
   phone (Lighthouse's default mobile emulation and throttling) and as a
   desktop (``--preset=desktop``), one page at a time;
3. prints a table of the four category scores and fails (exit 1) when one is
   below its floor: accessibility 100, best practices 100, SEO 100 on
   indexable pages (search results are ``noindex``, so their SEO score is
   shown but not judged), performance 95;
4. writes every report to ``bench/out/audit/`` and a summary to
   ``bench/out/audit.json``; ``docs/QUALITY.md`` records a run.

Exit status: 0 when every score meets its floor, 1 when one does not or a
page does not answer 200, 2 when a tool is missing or the server would not
start. Traffic goes to 127.0.0.1 only (the demo tenant answers ``localhost``).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.article import (
    Processes,
    SetupError,
    check_200,
    django_env,
    load_demo,
    start_gunicorn,
)

ROOT = Path(__file__).resolve().parent.parent
OUT_DIR = ROOT / "bench" / "out" / "audit"
SUMMARY = ROOT / "bench" / "out" / "audit.json"
LIGHTHOUSE = ROOT / "node_modules" / "lighthouse" / "cli" / "index.js"
CHROMIUM = "/usr/bin/chromium"
#: The demo tenant "acme" answers on localhost (Lighthouse counts localhost
#: as a secure origin, as browsers do).
SITE_HOST = "localhost"
LANGUAGES = ["zh-hans", "en"]
FORM_FACTORS = ["phone", "desktop"]
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
FLOORS = {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 100}

#: name -> (path template, indexable)
PAGES = {
    "home": ("/{lang}/", True),
    "article": ("/{lang}/guides/cancel-china-mobile-prepaid-10-day-card/", True),
    "carrier": ("/{lang}/carriers/china-mobile/", True),
    "search": ("/{lang}/search/?q=%E6%B3%A8%E9%94%80", False),
}


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--pages", default=",".join(PAGES), help="comma-separated")
    parser.add_argument("--languages", default=",".join(LANGUAGES))
    parser.add_argument("--form-factors", default=",".join(FORM_FACTORS))
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--worker-class", default="sync")
    parser.add_argument("--keep", action="store_true", help="keep the scratch dir")
    return parser.parse_args(argv)


def lighthouse(url: str, form_factor: str, report: Path) -> dict:
    """Run Lighthouse once; return {category: score 0-100}."""
    cmd = [
        "node",
        str(LIGHTHOUSE),
        url,
        "--quiet",
        "--output=json",
        f"--output-path={report}",
        f"--only-categories={','.join(CATEGORIES)}",
        "--chrome-flags=--headless=new --no-sandbox --disable-gpu "
        "--disable-dev-shm-usage",
        "--max-wait-for-load=30000",
    ]
    if form_factor == "desktop":
        cmd.append("--preset=desktop")
    env = dict(os.environ, CHROME_PATH=CHROMIUM)
    result = subprocess.run(
        cmd, env=env, capture_output=True, text=True, timeout=300, check=False
    )
    if result.returncode != 0 or not report.exists():
        raise SetupError(f"lighthouse failed on {url}:\n{result.stderr[-2000:]}")
    data = json.loads(report.read_text())
    scores = {}
    for name in CATEGORIES:
        score = data["categories"][name]["score"]
        scores[name] = None if score is None else round(score * 100)
    failed = {
        audit_id: audit["title"]
        for audit_id, audit in data["audits"].items()
        if audit.get("score") is not None
        and audit["score"] < 1
        and audit.get("scoreDisplayMode") == "binary"
    }
    return {"scores": scores, "failed_audits": failed}


def judge(page: str, result: dict, indexable: bool) -> list[str]:
    misses = []
    for category, floor in FLOORS.items():
        if category == "seo" and not indexable:
            continue
        score = result["scores"][category]
        if score is None or score < floor:
            misses.append(f"{category} {score} < {floor}")
    return misses


def main(argv=None) -> int:
    args = parse_args(argv)
    for tool, path in (("node", shutil.which("node")), ("chromium", CHROMIUM)):
        if not path or not os.access(path, os.X_OK):
            print(f"{tool} is missing: run `make audit`.", file=sys.stderr)
            return 2
    if not LIGHTHOUSE.exists():
        print(f"{LIGHTHOUSE} is missing: run `make audit` (npm ci).", file=sys.stderr)
        return 2
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="helpcenter-audit-"))
    procs = Processes()
    rows = []
    failures = []
    try:
        env = django_env(tmp)
        print("Loading the demo into a scratch database...", flush=True)
        load_demo(env, tmp)
        port = start_gunicorn(procs, args, env, tmp)
        for page in args.pages.split(","):
            template, indexable = PAGES[page]
            for language in args.languages.split(","):
                path = template.format(lang=language)
                check_200(port, path, page)
                # Warm the page cache: Lighthouse measures what readers get.
                check_200(port, path, page)
                for form_factor in args.form_factors.split(","):
                    url = f"http://{SITE_HOST}:{port}{path}"
                    report = OUT_DIR / f"{page}-{language}-{form_factor}.json"
                    began = time.monotonic()
                    result = lighthouse(url, form_factor, report)
                    misses = judge(page, result, indexable)
                    row = {
                        "page": page,
                        "language": language,
                        "form_factor": form_factor,
                        "path": path,
                        "indexable": indexable,
                        **result,
                        "misses": misses,
                        "seconds": round(time.monotonic() - began, 1),
                    }
                    rows.append(row)
                    scores = result["scores"]
                    print(
                        f"{page:8} {language:8} {form_factor:8} "
                        + " ".join(f"{c[:4]} {scores[c]!s:>4}" for c in CATEGORIES)
                        + ("   MISS: " + "; ".join(misses) if misses else "   ok"),
                        flush=True,
                    )
                    if misses:
                        failures.append(row)
                        for audit_id, title in result["failed_audits"].items():
                            print(f"    failed audit {audit_id}: {title}")
    except SetupError as exc:
        print(exc, file=sys.stderr)
        return 2
    finally:
        procs.stop_all()
        if args.keep:
            print(f"Kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    lighthouse_version = subprocess.run(
        ["node", str(LIGHTHOUSE), "--version"], capture_output=True, text=True
    ).stdout.strip()
    SUMMARY.write_text(
        json.dumps(
            {
                "lighthouse": lighthouse_version,
                "chromium": subprocess.run(
                    [CHROMIUM, "--version"], capture_output=True, text=True
                ).stdout.strip(),
                "floors": FLOORS,
                "results": rows,
            },
            indent=2,
        )
    )
    print(f"{len(rows)} audits, {len(failures)} below a floor; reports in {OUT_DIR}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
