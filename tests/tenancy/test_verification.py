"""The proof of a host's ownership, checked for real against local servers.

``LocalVerifier`` replaces only the host-to-address mapping (and the DNS
server asked): the HTTP requests, redirects, DNS queries and answers are
real traffic on 127.0.0.1.
"""

from __future__ import annotations

import socket

import pytest

from guides.tenancy.verification import (
    HTTP_PATH,
    DomainVerifier,
    VerificationFailed,
    get_verifier,
    instructions,
    verification_token,
)
from tests.tenancy.servers import DNSServer, HTTPServer, LocalVerifier, Route

# Messages are asserted in English (the default language is zh-hans).
pytestmark = pytest.mark.usefixtures("english")

HOST = "help.example.org"


@pytest.fixture
def http():
    with HTTPServer() as server:
        LocalVerifier.http_port = server.port
        yield server
    LocalVerifier.http_port = None


@pytest.fixture
def dns():
    with DNSServer() as server:
        LocalVerifier.dns_port = server.port
        yield server
    LocalVerifier.dns_port = None


def test_the_token_is_per_tenant_and_per_host_and_stable(settings):
    token = verification_token(1, HOST)
    assert token == verification_token(1, HOST)
    assert (
        len({token, verification_token(2, HOST), verification_token(1, "x.org")}) == 3
    )
    proof = instructions(1, HOST)
    assert proof.txt_name == f"_helpcenter-verification.{HOST}"
    assert proof.txt_value == f"helpcenter-verification={token}"
    assert proof.http_url == f"http://{HOST}{HTTP_PATH}"
    # derived from the secret key: nobody outside can compute it
    settings.SECRET_KEY = "another-secret-key-for-this-test-only-0123456789"
    assert verification_token(1, HOST) != token


def test_the_http_file_proves_the_host(http):
    http.routes[(HOST, HTTP_PATH)] = Route(body=verification_token(7, HOST).encode())
    assert LocalVerifier().verify(tenant_id=7, host=HOST) == "http"
    # the request named the host, as a browser's would
    assert http.requests == [(HOST, HTTP_PATH)]


@pytest.mark.parametrize(
    "route",
    [
        Route(status=404, body=b"missing"),
        Route(body=b"some other token"),
        Route(status=500, body=b""),
    ],
)
def test_a_missing_or_wrong_file_is_refused_with_the_reason(http, route):
    http.routes[(HOST, HTTP_PATH)] = route
    # another tenant's token proves nothing for tenant 7
    if route.body == b"some other token":
        route.body = verification_token(8, HOST).encode()
    with pytest.raises(VerificationFailed) as failed:
        LocalVerifier().verify(tenant_id=7, host=HOST)
    assert f"The file http://{HOST}{HTTP_PATH} with this help center's token" in (
        failed.value.message
    )
    assert "DNS record" in failed.value.message  # both reasons are given


def test_a_redirect_on_the_same_host_is_followed(http):
    http.routes[(HOST, HTTP_PATH)] = Route(
        status=301, headers={"Location": "/moved/token.txt"}
    )
    http.routes[(HOST, "/moved/token.txt")] = Route(
        body=b"\n" + verification_token(7, HOST).encode() + b"\n"
    )
    assert LocalVerifier().check_http(HOST, verification_token(7, HOST)) is None
    assert http.requests == [(HOST, HTTP_PATH), (HOST, "/moved/token.txt")]


@pytest.mark.parametrize(
    "location",
    [
        "http://evil.example.net/.well-known/helpcenter-verification.txt",
        f"http://{HOST}:8080/token.txt",
        f"ftp://{HOST}/token.txt",
    ],
)
def test_a_redirect_elsewhere_is_refused_and_not_followed(http, location):
    token = verification_token(7, HOST)
    http.routes[(HOST, HTTP_PATH)] = Route(status=302, headers={"Location": location})
    http.routes[("evil.example.net", HTTP_PATH)] = Route(body=token.encode())
    with pytest.raises(VerificationFailed) as failed:
        LocalVerifier().check_http(HOST, token)
    assert "redirects to another host" in failed.value.message
    assert http.requests == [(HOST, HTTP_PATH)]


def test_a_redirect_loop_ends(http):
    http.routes[(HOST, HTTP_PATH)] = Route(status=302, headers={"Location": HTTP_PATH})
    with pytest.raises(VerificationFailed) as failed:
        LocalVerifier().check_http(HOST, "token")
    assert "redirects too many times" in failed.value.message
    assert len(http.requests) == LocalVerifier.max_redirects + 1


def test_by_default_a_host_on_a_private_address_is_not_requested(http):
    """A manager cannot make the server request its own network."""

    class LoopbackResolution(DomainVerifier):
        # Only the resolution is replaced; the address policy is the default.
        def resolve(self, host, port):
            return [("127.0.0.1", http.port), ("::1", http.port)]

    token = verification_token(7, HOST)
    http.routes[(HOST, HTTP_PATH)] = Route(body=token.encode())
    with pytest.raises(VerificationFailed) as failed:
        LoopbackResolution().check_http(HOST, token)
    assert failed.value.message == f"{HOST} does not resolve to a public address."
    assert http.requests == []


def test_a_host_that_does_not_resolve_or_answer_is_refused_not_an_error():
    class Nowhere(LocalVerifier):
        def resolve(self, host, port):
            raise socket.gaierror("Name or service not known")

    with pytest.raises(VerificationFailed) as failed:
        Nowhere().check_http(HOST, "token")
    assert "does not resolve" in failed.value.message
    # a port nothing listens on
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    LocalVerifier.http_port = closed
    try:
        with pytest.raises(VerificationFailed) as failed:
            LocalVerifier().check_http(HOST, "token")
    finally:
        LocalVerifier.http_port = None
    assert failed.value.message == f"http://{HOST}{HTTP_PATH} could not be fetched."


def test_the_dns_record_proves_the_host(dns):
    token = verification_token(7, HOST)
    dns.records[f"_helpcenter-verification.{HOST}"] = [
        "v=spf1 -all",
        f"helpcenter-verification={token}",
    ]
    assert LocalVerifier().verify(tenant_id=7, host=HOST) == "dns"
    assert dns.queries == [f"_helpcenter-verification.{HOST}"]


@pytest.mark.parametrize(
    "records", [{}, {f"_helpcenter-verification.{HOST}": ["helpcenter-verification=x"]}]
)
def test_a_missing_or_wrong_dns_record_is_refused(dns, records):
    dns.records.update(records)
    with pytest.raises(VerificationFailed) as failed:
        LocalVerifier().check_dns(HOST, verification_token(7, HOST))
    assert failed.value.message == (
        f"The DNS record _helpcenter-verification.{HOST} with this help center's "
        "token was not found."
    )


def test_a_dns_server_that_does_not_answer_is_a_reason_not_an_error():
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as silent:
        silent.bind(("127.0.0.1", 0))
        LocalVerifier.dns_port = silent.getsockname()[1]
        try:
            verifier = LocalVerifier()
            verifier.timeout = 0.3
            with pytest.raises(VerificationFailed) as failed:
                verifier.check_dns(HOST, "token")
        finally:
            LocalVerifier.dns_port = None
    assert "could not be looked up" in failed.value.message


def test_the_verifier_is_the_settings_class_read_at_call_time(settings):
    assert type(get_verifier()) is DomainVerifier
    settings.HELPCENTER_DOMAIN_VERIFIER = "tests.tenancy.servers.LocalVerifier"
    assert type(get_verifier()) is LocalVerifier
