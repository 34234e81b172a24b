"""Through Varnish (deploy/varnish/default.vcl), writes show within a second.

A private ``varnishd`` with the deployed VCL sits in front of the live test
server; the app purges it by surrogate key after each write (the outbox's
threads, as in production). A publish, an unpublish and a hotline change
must be visible through Varnish within 1 s on every language and listing
page that shows them, while unrelated pages stay cached (Varnish's own hit
counter proves it); the same path on two tenant hosts is two pages, and a
purge for one tenant never evicts the other's.
"""

from __future__ import annotations

import http.client
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import OperationalError

from guides import services
from guides.models import Channel, FrontendPurge
from guides.tenancy import tenant_context
from tests.factories import (
    make_article,
    make_card_type,
    make_carrier,
    make_tenant,
    step,
)
from tests.frontcache.varnish import Varnish, missing

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

A = "alpha.test"
B = "beta.test"
LANGUAGES = ("zh-hans", "en")
#: The promise: a write is visible through the cache tier within this.
VISIBLE_WITHIN = 1.0


@pytest.fixture
def varnish(live_server, tmp_path, settings):
    reason = missing()
    if reason:
        pytest.skip(reason)
    port = int(live_server.url.rsplit(":", 1)[1])
    server = Varnish(tmp_path, port).start()
    settings.HELPCENTER_FRONTEND_CACHES = {
        "varnish": {
            "BACKEND": "guides.frontcache.backends.varnish.VarnishBackend",
            "LOCATIONS": [server.url],
        }
    }
    try:
        yield server
        settle()
    finally:
        server.stop()


def settle(timeout: float = 30) -> None:
    """Wait until every owed purge was sent twice (the outbox is empty)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            if not FrontendPurge.objects.exists():
                break
        except OperationalError:
            pass  # SQLite's shared in-memory test database: the drain writes
        assert time.monotonic() < deadline, "purges still owed"
        time.sleep(0.05)
    time.sleep(0.1)  # the thread's last request, already answered


def fetch(server: Varnish, path: str, host: str = A) -> tuple[int, dict, str]:
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    try:
        connection.request("GET", path, headers={"Host": host})
        response = connection.getresponse()
        body = response.read().decode("utf-8", "replace")
        return response.status, {k.lower(): v for k, v in response.getheaders()}, body
    finally:
        connection.close()


def wait_for(server: Varnish, paths, shows, since: float) -> float:
    """Poll each of ``paths`` through Varnish (each in its own thread, as
    readers would) until ``shows(status, body)`` holds; return the longest
    time since ``since`` it took."""

    def poll(path: str) -> float:
        while True:
            status, _headers, body = fetch(server, path)
            if shows(status, body):
                return time.monotonic() - since
            assert time.monotonic() - since < 5, f"{path} never changed"
            time.sleep(0.02)

    with ThreadPoolExecutor(max_workers=len(paths)) as pool:
        return max(pool.map(poll, paths))


def assert_cached(server: Varnish, pages: list[tuple[str, str]]) -> None:
    """Each page is answered from Varnish's cache: its hit counter moves by one
    for each, and each answer says HIT with an age."""
    before = server.counter("MAIN.cache_hit")
    for host, path in pages:
        status, headers, _body = fetch(server, path, host=host)
        assert status == 200, path
        assert headers["x-cache"] == "HIT", (host, path, headers)
        assert len(headers["x-varnish"].split()) == 2  # this request and the stored one
    # Worker threads publish their counters a moment after they answer.
    deadline = time.monotonic() + 3
    while server.counter("MAIN.cache_hit") - before < len(pages):
        assert time.monotonic() < deadline
        time.sleep(0.05)
    assert server.counter("MAIN.cache_hit") - before == len(pages)


def warm(server: Varnish, pages) -> None:
    for host, path in pages:
        fetch(server, path, host=host)
        status, headers, _body = fetch(server, path, host=host)
        assert (status, headers.get("x-cache")) == (200, "HIT"), (host, path, headers)


@pytest.fixture
def site(varnish):
    alpha = make_tenant("alpha", hosts=[A])
    beta = make_tenant("beta", hosts=[B])
    mobile = make_carrier(alpha, "china-mobile", hotline="10086")
    unicom = make_carrier(alpha, "china-unicom", hotline="10010")
    esim = make_card_type(alpha, "esim")
    with tenant_context(alpha):
        hotline = Channel.objects.get(carrier=mobile)
        with_hotline = {"steps": [step(1), step(2, channel=hotline)]}
        make_article(
            alpha,
            "cancel-esim",
            publish=True,
            carrier=mobile,
            card_type=esim,
            parts=with_hotline,
        )
        make_article(alpha, "stop-roaming", publish=True, carrier=unicom)
        new = make_article(
            alpha,
            "port-number",
            carrier=mobile,
            card_type=esim,
            title_en="Port a number QXZ",
            title_zh_hans="携号转网QXZ",
            parts=with_hotline,
        )
    make_article(beta, "cancel-esim", publish=True)
    settle()
    return {
        "alpha": alpha,
        "beta": beta,
        "mobile": mobile,
        "hotline": hotline,
        "new": new,
    }


def test_publish_hotline_and_unpublish_show_within_a_second_and_nothing_else_moves(
    varnish, site
):
    alpha, new = site["alpha"], site["new"]
    # Pages that show the new procedure once it is published, in every language.
    listings = [
        f"/{lang}/{page}"
        for lang in LANGUAGES
        for page in ("", "carriers/china-mobile/", "cards/esim/", "guides/cancel-esim/")
    ]
    own = [f"/{lang}/guides/port-number/" for lang in LANGUAGES]
    # Pages that show none of it: another carrier's procedure, another tenant.
    unrelated = [(A, f"/{lang}/guides/stop-roaming/") for lang in LANGUAGES] + [
        (B, f"/{lang}/guides/cancel-esim/") for lang in LANGUAGES
    ]
    warm(varnish, [(A, path) for path in listings] + unrelated)

    # given a publish
    with tenant_context(alpha):
        services.article_publish(article=new, user=None)
    done = time.monotonic()
    # then every page that lists it shows it within a second
    took = wait_for(varnish, listings, lambda s, body: "QXZ" in body, done)
    took = max(took, wait_for(varnish, own, lambda s, body: s == 200, done))
    print(f"publish visible through Varnish after {took:.3f} s")
    assert took < VISIBLE_WITHIN, took
    assert_cached(varnish, unrelated)
    settle()

    # given a hotline change: the carrier's page and its procedures' steps
    hotline_pages = [
        f"/{lang}/{page}"
        for lang in LANGUAGES
        for page in (
            "carriers/china-mobile/",
            "guides/cancel-esim/",
            "guides/port-number/",
        )
    ]
    home_and_cards = [
        (A, f"/{lang}/{page}") for lang in LANGUAGES for page in ("", "cards/esim/")
    ]
    warm(varnish, [(A, path) for path in hotline_pages] + home_and_cards)
    with tenant_context(alpha):
        hotline = site["hotline"]
        services.carrier_save(
            carrier=site["mobile"],
            user=None,
            channels=[{"id": hotline.pk, "kind": hotline.kind, "value": "12580"}],
        )
    done = time.monotonic()
    took = wait_for(varnish, hotline_pages, lambda s, body: "12580" in body, done)
    print(f"hotline change visible through Varnish after {took:.3f} s")
    assert took < VISIBLE_WITHIN, took
    for path in hotline_pages:
        assert "10086" not in fetch(varnish, path)[2]
    # The home page and the card type's page show no hotline: still cached.
    assert_cached(varnish, unrelated + home_and_cards)
    settle()

    # given an unpublish
    warm(varnish, [(A, path) for path in listings + own])
    with tenant_context(alpha):
        services.article_unpublish(article=new, user=None)
    done = time.monotonic()
    took = wait_for(varnish, listings, lambda s, body: "QXZ" not in body, done)
    took = max(took, wait_for(varnish, own, lambda s, body: s == 404, done))
    print(f"unpublish visible through Varnish after {took:.3f} s")
    assert took < VISIBLE_WITHIN, took
    assert_cached(varnish, unrelated)


def test_tenants_stay_apart_through_the_cache(varnish, site):
    alpha, beta = site["alpha"], site["beta"]
    pages = [
        (host, f"/{lang}/{page}")
        for host in (A, B)
        for lang in LANGUAGES
        for page in ("", "guides/cancel-esim/")
    ]
    warm(varnish, pages)
    # The same path on two hosts: two pages, each its own tenant's.
    _s, _h, page_a = fetch(varnish, "/en/guides/cancel-esim/", host=A)
    _s, _h, page_b = fetch(varnish, "/en/guides/cancel-esim/", host=B)
    assert "Alpha" in page_a and "Beta" not in page_a
    assert "Beta" in page_b and "Alpha" not in page_b

    # A purge of everything of alpha (its branding changed) ...
    alpha.primary_color = "#aa0000"
    with tenant_context(alpha):
        services.tenant_settings_update(tenant=alpha, user=None)
    done = time.monotonic()
    alpha_pages = [path for host, path in pages if host == A]
    took = wait_for(varnish, alpha_pages, lambda s, body: "#aa0000" in body, done)
    assert took < VISIBLE_WITHIN, took
    # ... never evicts beta's pages.
    beta_pages = [(host, path) for host, path in pages if host == B]
    assert_cached(varnish, beta_pages)
    assert beta.primary_color != "#aa0000"

    # And a purge by hand of one tenant's keys leaves the other's.
    settle()
    warm(varnish, pages)
    from django.core.management import call_command

    call_command("purge_frontend_caches", "--tenant", "beta")
    assert_cached(varnish, [(host, path) for host, path in pages if host == A])
    _status, headers, _body = fetch(varnish, "/en/", host=B)
    assert headers["x-cache"] == "MISS"
