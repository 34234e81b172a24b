"""The reader's address: X-Forwarded-For only through trusted proxies.

Issue 12: behind a proxy every reader shared the proxy's address, so the
sixth reader in a row was refused feedback; and a forwarded header must
never be believed from a client that is not a trusted proxy.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory

from guides.models import Feedback, SearchQuery
from guides.operations.clients import client_address
from guides.services.feedback import FEEDBACK_LIMIT
from guides.tenancy import tenant_context
from tests.factories import make_article

A = "alpha.test"
PROXY = "10.0.0.5"


def address(remote: str, forwarded: str | None = None) -> str:
    extra = {} if forwarded is None else {"HTTP_X_FORWARDED_FOR": forwarded}
    return client_address(RequestFactory().get("/", REMOTE_ADDR=remote, **extra))


# --- the rule ---------------------------------------------------------------


def test_without_trusted_proxies_a_forwarded_header_is_ignored(settings):
    settings.HELPCENTER_TRUSTED_PROXIES = []
    assert address("198.51.100.9", "203.0.113.1") == "198.51.100.9"


@pytest.mark.parametrize(
    "remote, forwarded, expected",
    [
        # one proxy: the address it appended, whatever the client wrote before
        (PROXY, "203.0.113.1", "203.0.113.1"),
        (PROXY, "6.6.6.6, 203.0.113.1", "203.0.113.1"),
        (PROXY, " 203.0.113.1:51234 ", "203.0.113.1"),
        # no header, or junk where the proxy's entry should be: the proxy's own
        (PROXY, None, PROXY),
        (PROXY, "not-an-address", PROXY),
    ],
)
def test_a_hop_count_reads_that_many_entries_from_the_right(
    settings, remote, forwarded, expected
):
    settings.HELPCENTER_TRUSTED_PROXIES = ["1"]
    assert address(remote, forwarded) == expected


def test_two_hops(settings):
    settings.HELPCENTER_TRUSTED_PROXIES = "2"
    assert address(PROXY, "6.6.6.6, 203.0.113.1, 10.0.0.9") == "203.0.113.1"
    assert address(PROXY, "10.0.0.9") == PROXY  # shorter than the chain: not believed


@pytest.mark.parametrize(
    "remote, forwarded, expected",
    [
        # the connecting address is no proxy: the header is not read at all
        ("198.51.100.9", "203.0.113.1", "198.51.100.9"),
        # walk left past every proxy; the first outsider is the reader
        (PROXY, "6.6.6.6, 203.0.113.1, 10.1.2.3", "203.0.113.1"),
        (PROXY, "203.0.113.1", "203.0.113.1"),
        ("::ffff:10.0.0.5", "2001:db8::7", "2001:db8::7"),
        ("2001:db8:ffff::1", "[2001:db8::7]:443", "2001:db8::7"),
        # junk left of the proxies: the nearest proxy's address
        (PROXY, "junk, 10.1.2.3", "10.1.2.3"),
        (PROXY, None, PROXY),
    ],
)
def test_networks_walk_past_trusted_hops(settings, remote, forwarded, expected):
    settings.HELPCENTER_TRUSTED_PROXIES = ["10.0.0.0/8", "2001:db8:ffff::/48"]
    assert address(remote, forwarded) == expected


def test_a_wsgi_environ_works_like_a_request(settings):
    settings.HELPCENTER_TRUSTED_PROXIES = ["1"]
    environ = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "203.0.113.1"}
    assert client_address(environ) == "203.0.113.1"


def test_a_bad_setting_is_a_clear_error(settings):
    settings.HELPCENTER_TRUSTED_PROXIES = ["10.0.0.0/8", "proxy.internal"]
    with pytest.raises(ImproperlyConfigured, match="HELPCENTER_TRUSTED_PROXIES"):
        address(PROXY, "203.0.113.1")


def test_axes_uses_the_same_address():
    from django.conf import settings

    assert settings.AXES_CLIENT_IP_CALLABLE == (
        "guides.operations.clients.client_address"
    )


# --- where the address is used ---------------------------------------------


@pytest.fixture
def published(tenant_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), tenant_context(tenant_a):
        return make_article(tenant_a, "cancel-esim", publish=True, title_en="eSIM")


def send_feedback(client, forwarded: str):
    response = client.post(
        "/en/guides/cancel-esim/feedback/",
        {"helpful": "yes", "comment": ""},
        HTTP_HOST=A,
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded,
    )
    return response["Location"]


@pytest.mark.django_db
def test_behind_a_trusted_proxy_six_readers_in_a_row_are_not_refused(
    client, settings, published
):
    """The finding: the sixth reader behind one proxy was refused."""
    settings.HELPCENTER_TRUSTED_PROXIES = ["1"]
    readers = [f"203.0.113.{n}" for n in range(1, FEEDBACK_LIMIT + 2)]
    locations = [send_feedback(client, reader) for reader in readers]
    assert all("feedback=thanks" in location for location in locations), locations
    assert Feedback.unscoped.count() == FEEDBACK_LIMIT + 1


@pytest.mark.django_db
def test_without_trust_a_forged_header_does_not_escape_the_limit(
    client, settings, published
):
    settings.HELPCENTER_TRUSTED_PROXIES = []
    readers = [f"203.0.113.{n}" for n in range(1, FEEDBACK_LIMIT + 2)]
    locations = [send_feedback(client, reader) for reader in readers]
    assert "feedback=limited" in locations[-1]
    assert Feedback.unscoped.count() == FEEDBACK_LIMIT


def search_as(client, forwarded: str):
    return client.get(
        "/en/search/",
        {"q": "esim"},
        HTTP_HOST=A,
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded,
    )


@pytest.mark.django_db
def test_search_logging_tells_readers_behind_a_trusted_proxy_apart(
    client, settings, published
):
    settings.HELPCENTER_TRUSTED_PROXIES = ["10.0.0.0/8"]
    search_as(client, "203.0.113.1")
    search_as(client, "203.0.113.2")
    assert SearchQuery.unscoped.count() == 2


@pytest.mark.django_db
def test_search_logging_ignores_a_forged_header(client, settings, published):
    settings.HELPCENTER_TRUSTED_PROXIES = []
    search_as(client, "203.0.113.1")
    search_as(client, "203.0.113.2")
    assert SearchQuery.unscoped.count() == 1
