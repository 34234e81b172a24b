"""What the browser tests share: Debian's Chromium, contexts and axe-core.

The ``browser`` and ``new_context`` fixtures live in ``tests/conftest.py``;
``tests/public/test_browser.py``'s docstring says how the browser tests are set up.
Every context they make is watched for Content-Security-Policy violations
(``watch_csp``), and a test whose pages had one fails (``assert_no_csp_violations``):
the pages run under the policy the server sends, as readers' browsers do.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Page,
    sync_playwright,
)

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
        pytest.fail(f"{AXE_JS} is missing: run `make test` (npm ci installs it).")
    # Evaluated through the DevTools protocol, which the page's CSP does not
    # govern; a <script> tag with the source inline (add_script_tag) would
    # itself be refused by it.
    page.evaluate(AXE_JS.read_text())
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


#: What Chromium's console says for every blocked script, style or resource.
CSP_MESSAGE = "Content Security Policy"


def watch_csp(context: BrowserContext) -> list[str]:
    """Record the CSP violations Chromium reports in ``context``'s pages.

    Chromium logs each refused script, style, handler or resource to the
    console ("... violates the following Content Security Policy directive
    ..."); the messages are kept on the context for
    ``assert_no_csp_violations`` and returned.
    """
    violations: list[str] = []

    def record(message: ConsoleMessage) -> None:
        if CSP_MESSAGE in message.text:
            violations.append(
                f"{message.page.url if message.page else '?'}: {message.text}"
            )

    context.on("console", record)
    context.csp_violations = violations
    return violations


def assert_no_csp_violations(contexts: list[BrowserContext]) -> None:
    """Fail if any page of ``contexts`` had a CSP violation (see ``watch_csp``)."""
    found = [v for context in contexts for v in getattr(context, "csp_violations", [])]
    assert not found, "Content-Security-Policy violations:\n" + "\n".join(found)
