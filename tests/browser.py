"""What the browser tests share: Debian's Chromium, contexts and axe-core.

The ``browser`` and ``new_context`` fixtures live in ``tests/conftest.py``;
``tests/public/test_browser.py``'s docstring says how the browser tests are set up.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import Browser, Page, sync_playwright

CHROMIUM = Path("/usr/bin/chromium")
AXE_JS = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
ASYNC_UNSAFE = "DJANGO_ALLOW_ASYNC_UNSAFE"
TIMEOUT_MS = 10_000
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def launch_chromium() -> Iterator[Browser]:
    """Yield one headless Debian Chromium.

    Playwright's sync API keeps an event loop in this thread, so Django's
    ORM (the tests' own queries, the database flush between tests) must be
    told that this thread is safe; the variable is restored afterwards.
    """
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"{CHROMIUM} is missing: run `make browsers` (Debian's chromium).")
    previous = os.environ.get(ASYNC_UNSAFE)
    os.environ[ASYNC_UNSAFE] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM))
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop(ASYNC_UNSAFE, None)
        else:
            os.environ[ASYNC_UNSAFE] = previous


def axe_violations(page: Page, include: list[str] | None = None) -> list[dict]:
    """Run axe-core on the page (or on the elements ``include`` selects)."""
    if not AXE_JS.exists():
        pytest.fail(
            f"{AXE_JS} is missing: run `make {AXE_JS.relative_to(settings.BASE_DIR)}`."
        )
    page.add_script_tag(path=str(AXE_JS))
    return page.evaluate(
        "(include) => axe.run(include ? {include: include.map((s) => [s])} : document)"
        ".then((results) => results.violations)",
        include,
    )


def describe(violations: list[dict]) -> str:
    """Format axe violations as "id (impact): help" and one line per target."""
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"]:
            lines.append("    " + " >>> ".join(map(str, node["target"])))
    return "\n".join(lines)
