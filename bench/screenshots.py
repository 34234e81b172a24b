"""Screenshots of the public pages, for people to look at: ``make screenshots``.

Serves the demo like ``make audit`` (a scratch SQLite database, the production
server, DEBUG off, 127.0.0.1 only) and saves full-page screenshots of home, a
procedure and search results, in Chinese and English, at 390 px (a phone) and
1366 px (a laptop), made by Debian's headless Chromium through Playwright,
into ``docs/screenshots/<page>-<language>-<width>.png``. Chinese text needs a
CJK font (Debian's fonts-noto-cjk; ``make screenshots`` installs it where
missing). Also saves the dark-mode article at 390 px.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
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
OUT_DIR = ROOT / "docs" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
SITE_HOST = "localhost"
LANGUAGES = ["zh-hans", "en"]
WIDTHS = {390: 844, 1366: 768}
PAGES = {
    "home": "/{lang}/",
    "article": "/{lang}/guides/cancel-china-mobile-prepaid-10-day-card/",
    "search": "/{lang}/search/?q=%E6%B3%A8%E9%94%80",
}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--out", type=Path, default=OUT_DIR)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--worker-class", default="sync")
    args = parser.parse_args(argv)

    from playwright.sync_api import sync_playwright

    args.out.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="helpcenter-screenshots-"))
    procs = Processes()
    saved = []
    try:
        env = django_env(tmp)
        load_demo(env, tmp)
        port = start_gunicorn(procs, args, env, tmp)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM)
            shots = [
                (page, lang, width, "light")
                for page in PAGES
                for lang in LANGUAGES
                for width in WIDTHS
            ]
            shots.append(("article", "zh-hans", 390, "dark"))
            for page, lang, width, scheme in shots:
                path = PAGES[page].format(lang=lang)
                check_200(port, path, page)
                context = browser.new_context(
                    viewport={"width": width, "height": WIDTHS[width]},
                    device_scale_factor=1,
                    locale="zh-CN" if lang == "zh-hans" else "en-US",
                    color_scheme=scheme,
                )
                tab = context.new_page()
                tab.goto(f"http://{SITE_HOST}:{port}{path}", wait_until="load")
                suffix = "-dark" if scheme == "dark" else ""
                target = args.out / f"{page}-{lang}-{width}{suffix}.png"
                tab.screenshot(path=str(target), full_page=True)
                context.close()
                saved.append(target)
                print(f"saved {target.relative_to(ROOT)}", flush=True)
            browser.close()
    except SetupError as exc:
        print(exc, file=sys.stderr)
        return 2
    finally:
        procs.stop_all()
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"{len(saved)} screenshots in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
