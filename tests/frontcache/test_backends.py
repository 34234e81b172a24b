"""Each front-end cache backend sends exactly the request its API expects.

A local HTTP server on 127.0.0.1 stands in for each provider's API (its
base URL is an option) and records what it receives. Varnish is also tested
live (test_varnish.py).
"""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import UTC, datetime

import pytest
from django.core.exceptions import ImproperlyConfigured

from guides.frontcache.backends import PurgeError, get_backends, tenants_of
from guides.frontcache.backends.cloudflare import CloudflareBackend
from guides.frontcache.backends.cloudfront import CloudFrontBackend, sign
from guides.frontcache.backends.fastly import FastlyBackend
from guides.frontcache.backends.varnish import VarnishBackend
from tests.frontcache.stand_in import StandIn

KEYS = ["t7", "t7-a3", "t7-list"]


@pytest.fixture
def api():
    with StandIn() as server:
        yield server


def test_varnish_sends_an_xkey_purge_to_every_location(api):
    with StandIn() as second:
        backend = VarnishBackend("varnish", {"LOCATIONS": [api.url, second.url + "/"]})
        backend.purge(tenant_id=7, keys=KEYS)
        (first,) = api.requests
        (other,) = second.requests
    assert (first.method, first.path) == ("PURGE", "/")
    assert first.headers["xkey"] == "t7 t7-a3 t7-list"
    assert (other.method, other.headers["xkey"]) == ("PURGE", "t7 t7-a3 t7-list")


def test_varnish_soft_purge_and_ban(api):
    VarnishBackend("v", {"LOCATIONS": [api.url], "SOFT": True}).purge(
        tenant_id=7, keys=KEYS
    )
    VarnishBackend("v", {"LOCATIONS": [api.url], "METHOD": "ban"}).purge(
        tenant_id=7, keys=KEYS
    )
    soft, ban = api.requests
    assert soft.headers["xkey-softpurge"] == "t7 t7-a3 t7-list"
    assert "xkey" not in soft.headers
    assert (ban.method, ban.headers["xkey"]) == ("BAN", "t7 t7-a3 t7-list")


def test_varnish_splits_long_key_lists(api):
    keys = [f"t7-a{n}" for n in range(450)]
    VarnishBackend("v", {"LOCATIONS": [api.url]}).purge(tenant_id=7, keys=keys)
    sent = [r.headers["xkey"].split(" ") for r in api.requests]
    assert [len(batch) for batch in sent] == [200, 200, 50]
    assert [key for batch in sent for key in batch] == keys


def test_cloudflare_purges_by_tag_with_a_token(api):
    backend = CloudflareBackend(
        "cf", {"ZONE_ID": "zone1", "BEARER_TOKEN": "secret", "API_URL": api.url}
    )
    backend.purge(tenant_id=7, keys=[f"t7-a{n}" for n in range(31)])
    first, second = api.requests
    assert (first.method, first.path) == ("POST", "/zones/zone1/purge_cache")
    assert first.headers["authorization"] == "Bearer secret"
    assert first.headers["content-type"] == "application/json"
    assert json.loads(first.body) == {"tags": [f"t7-a{n}" for n in range(30)]}
    assert json.loads(second.body) == {"tags": ["t7-a30"]}


def test_cloudflare_with_a_global_key_and_an_error_answer(api):
    api.body = b'{"success": false, "errors": [{"code": 1134, "message": "no"}]}'
    backend = CloudflareBackend(
        "cf",
        {"ZONE_ID": "z", "EMAIL": "a@b.c", "API_KEY": "k", "API_URL": api.url},
    )
    with pytest.raises(PurgeError, match="1134"):
        backend.purge(tenant_id=7, keys=KEYS)
    (request,) = api.requests
    assert request.headers["x-auth-email"] == "a@b.c"
    assert request.headers["x-auth-key"] == "k"


def test_fastly_purges_by_surrogate_key(api):
    backend = FastlyBackend(
        "fastly",
        {"SERVICE_ID": "svc", "API_KEY": "tok", "API_URL": api.url, "SOFT": True},
    )
    backend.purge(tenant_id=7, keys=KEYS)
    (request,) = api.requests
    assert (request.method, request.path) == ("POST", "/service/svc/purge")
    assert request.headers["surrogate-key"] == "t7 t7-a3 t7-list"
    assert request.headers["fastly-key"] == "tok"
    assert request.headers["fastly-soft-purge"] == "1"


def test_cloudfront_invalidates_the_distribution_signed_with_sigv4(api):
    backend = CloudFrontBackend(
        "cloudfront",
        {
            "DISTRIBUTION_ID": "E123",
            "ACCESS_KEY_ID": "AKID",
            "SECRET_ACCESS_KEY": "secret",
            "API_URL": api.url,
        },
    )
    backend.purge(tenant_id=7, keys=KEYS)
    (request,) = api.requests
    assert (request.method, request.path) == (
        "POST",
        "/2020-05-31/distribution/E123/invalidation",
    )
    body = request.body.decode()
    assert "<Paths><Quantity>1</Quantity><Items><Path>/*</Path></Items></Paths>" in body
    assert "<CallerReference>t7-t7-a3-t7-list-" in body
    auth = request.headers["authorization"]
    assert auth.startswith("AWS4-HMAC-SHA256 Credential=AKID/")
    assert "/us-east-1/cloudfront/aws4_request" in auth
    assert "SignedHeaders=host;x-amz-content-sha256;x-amz-date" in auth
    assert (
        request.headers["x-amz-content-sha256"]
        == hashlib.sha256(request.body).hexdigest()
    )


def test_cloudfront_signature_matches_awss_documented_derivation():
    """The signing key is HMAC(HMAC(HMAC(HMAC("AWS4"+secret, day), region),
    service), "aws4_request"), over the canonical request's hash."""
    now = datetime(2026, 12, 1, 12, 0, 0, tzinfo=UTC)
    headers = sign(
        "POST",
        "https://cloudfront.amazonaws.com/2020-05-31/distribution/E1/invalidation",
        b"<x/>",
        access_key="AKID",
        secret_key="wJalr",
        now=now,
    )
    payload = hashlib.sha256(b"<x/>").hexdigest()
    canonical = (
        "POST\n/2020-05-31/distribution/E1/invalidation\n\n"
        "host:cloudfront.amazonaws.com\n"
        f"x-amz-content-sha256:{payload}\nx-amz-date:20261201T120000Z\n\n"
        f"host;x-amz-content-sha256;x-amz-date\n{payload}"
    )
    to_sign = (
        "AWS4-HMAC-SHA256\n20261201T120000Z\n"
        "20261201/us-east-1/cloudfront/aws4_request\n"
        + hashlib.sha256(canonical.encode()).hexdigest()
    )

    def mac(key, text):
        return hmac.new(key, text.encode(), hashlib.sha256).digest()

    key = mac(
        mac(mac(mac(b"AWS4wJalr", "20261201"), "us-east-1"), "cloudfront"),
        "aws4_request",
    )
    expected = hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()
    assert headers["Authorization"].endswith(f"Signature={expected}")


@pytest.mark.django_db
def test_cloudfront_picks_the_distributions_of_the_tenants_hosts(api, tenant_a):
    backend = CloudFrontBackend(
        "cloudfront",
        {
            "DISTRIBUTION_ID": {"alpha.test": "EA", "beta.test": "EB"},
            "ACCESS_KEY_ID": "AKID",
            "SECRET_ACCESS_KEY": "s",
            "API_URL": api.url,
        },
    )
    backend.purge(tenant_id=tenant_a.pk, keys=[f"t{tenant_a.pk}"])
    assert [r.path for r in api.requests] == [
        "/2020-05-31/distribution/EA/invalidation"
    ]


def test_an_error_status_is_a_purge_error(api):
    api.status = 503
    with pytest.raises(PurgeError, match="503"):
        VarnishBackend("v", {"LOCATIONS": [api.url]}).purge(tenant_id=7, keys=KEYS)


def test_an_unreachable_cache_is_a_purge_error():
    with StandIn() as gone:
        url = gone.url
    with pytest.raises(PurgeError):
        VarnishBackend("v", {"LOCATIONS": [url], "TIMEOUT": 1}).purge(
            tenant_id=7, keys=KEYS
        )


def test_only_http_urls_are_sent():
    with pytest.raises(PurgeError, match="not an http"):
        VarnishBackend("v", {"LOCATIONS": ["file:///etc/passwd"]}).purge(
            tenant_id=7, keys=KEYS
        )


def test_configuration_errors_are_improperly_configured(settings):
    settings.HELPCENTER_FRONTEND_CACHES = {"x": {"BACKEND": "no.such.Backend"}}
    with pytest.raises(ImproperlyConfigured, match="no backend"):
        get_backends()
    with pytest.raises(ImproperlyConfigured, match="ZONE_ID"):
        CloudflareBackend("cf", {"BEARER_TOKEN": "t"}).purge(tenant_id=1, keys=KEYS)


def test_keys_are_grouped_by_tenant_and_foreign_ones_dropped():
    assert tenants_of(["t1", "t2-a3", "t1-list", "t1", "x", "t-1", "t3-a b"]) == {
        1: ["t1", "t1-list"],
        2: ["t2-a3"],
    }
