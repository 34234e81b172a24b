"""Every public page type is valid HTML, by the Nu Html Checker (vnu).

The checker is the npm package ``vnu-jar`` (``package-lock.json``), run with
Java (Debian's headless JRE; ``make test`` installs both where missing). The
pages come from the demo, through the whole WSGI stack the servers run
(``helpcenter.wsgi.application``: the operations front, the page-cache front
and Django), each fetched twice: the first answer is a cache miss rendered by
Django, the second a stored page answered by the front. Both are checked, in
every language the demo serves.

Which pages: every URL of the tenant's sitemap (home, carriers, card types,
procedures, their pagination) and the pages a sitemap does not list: search
with results, with none, and malformed; a missing translation; a 404 inside a
tenant; an unknown host. All are written to one directory and checked in one
run of the checker, so the JVM starts once.
"""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit
from xml.etree import ElementTree

import pytest
from django.conf import settings
from django.core.management import call_command

from guides.cache import generations

pytestmark = pytest.mark.slow

VNU_JAR = (
    Path(settings.BASE_DIR) / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
)
HOST = "localhost"
LANGUAGES = ["zh-hans", "en"]
SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def wsgi_get(application, path: str, host: str = HOST) -> tuple[int, dict, bytes]:
    """GET ``path`` through a WSGI application; return status, headers, body."""
    path, _, query = path.partition("?")
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": host,
        "SERVER_PORT": "80",
        "HTTP_HOST": host,
        "REMOTE_ADDR": "127.0.0.1",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    answer: dict = {}

    def start_response(status, headers, exc_info=None):
        answer["status"] = int(status.split()[0])
        answer["headers"] = {name.lower(): value for name, value in headers}

    chunks = application(environ, start_response)
    try:
        body = b"".join(chunks)
    finally:
        close = getattr(chunks, "close", None)
        if close is not None:
            close()
    return answer["status"], answer["headers"], body


@pytest.fixture
def application(transactional_db):
    """The demo, and the WSGI application the servers run."""
    call_command("load_demo", stdout=io.StringIO())
    generations.forget_all()
    from helpcenter.wsgi import application

    return application


def sitemap_paths(application) -> list[str]:
    status, _, body = wsgi_get(application, "/sitemap.xml")
    assert status == 200
    root = ElementTree.fromstring(body)  # noqa: S314  (our own sitemap)
    paths = []
    for loc in root.iterfind(".//s:loc", SITEMAP_NS):
        url = urlsplit(loc.text.strip())
        paths.append(url.path + (f"?{url.query}" if url.query else ""))
    return paths


def missing_translation_path(application) -> str | None:
    """A procedure published in one demo language only, under the other one."""
    from guides.models import Publication, Tenant
    from guides.tenancy.context import tenant_context

    tenant = Tenant.objects.get(slug="acme")
    with tenant_context(tenant):
        rows = list(Publication.objects.values_list("slug", "languages"))
    for slug, languages in sorted(rows):
        absent = [language for language in LANGUAGES if language not in languages]
        if absent:
            return f"/{absent[0]}/guides/{slug}/"
    return None


def extra_paths(application) -> list[tuple[str, str]]:
    """(host, path) of the pages a sitemap does not list."""
    paths = []
    for language in LANGUAGES:
        paths += [
            (HOST, f"/{language}/search/?q=%E6%B3%A8%E9%94%80"),  # 注销
            (HOST, f"/{language}/search/?q=cancel"),
            (HOST, f"/{language}/search/?q=zzqqxxnothing"),
            (HOST, f"/{language}/search/?q=%22%28%2A%29%3A%5E"),  # "(*):^
            (HOST, f"/{language}/search/?q=cancel&page=999"),
            (HOST, f"/{language}/guides/no-such-procedure/"),
        ]
    missing = missing_translation_path(application)
    if missing is not None:
        paths.append((HOST, missing))
    paths.append(("unknown-host.example", "/"))
    return paths


def file_name(host: str, path: str, round_: str) -> str:
    slug = re.sub(r"[^A-Za-z0-9]+", "-", f"{host}{path}").strip("-")[:150]
    return f"{slug}-{round_}.html"


def run_vnu(directory: Path) -> list[dict]:
    java = shutil.which("java")
    if java is None:
        pytest.fail("java is missing: run `make test` (Debian's default-jre-headless).")
    if not VNU_JAR.exists():
        pytest.fail(f"{VNU_JAR} is missing: run `make test` (npm ci installs vnu-jar).")
    result = subprocess.run(
        [java, "-jar", str(VNU_JAR), "--format", "json", "--exit-zero-always",
         "--skip-non-html", str(directory)],
        capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    report = json.loads(result.stderr or result.stdout)
    return report["messages"]


def test_every_public_page_type_is_valid_html_on_a_miss_and_a_hit(
    application, tmp_path
):
    pages = [(HOST, path) for path in sitemap_paths(application)]
    pages += extra_paths(application)
    written = 0
    kinds = set()
    for host, path in pages:
        for round_ in ("miss", "hit"):
            status, headers, body = wsgi_get(application, path, host=host)
            if not headers.get("content-type", "").startswith("text/html"):
                continue
            assert status < 500, (host, path, status)
            (tmp_path / file_name(host, path, round_)).write_bytes(body)
            written += 1
            kinds.add((status, path.split("/")[2] if path.count("/") > 2 else path))
    # The demo's sitemap covers home, carriers, card types and procedures in
    # both languages; with the extra pages that is well over forty files.
    assert written >= 40, written
    messages = [
        message
        for message in run_vnu(tmp_path)
        if message.get("type") == "error" or message.get("subType") == "fatal"
    ]
    report = "\n".join(
        f"{Path(urlsplit(m.get('url', '')).path).name}:{m.get('lastLine')}: "
        f"{m.get('message')} [{m.get('extract', '')[:80]!r}]"
        for m in messages
    )
    assert not messages, f"{len(messages)} HTML errors:\n{report}"
