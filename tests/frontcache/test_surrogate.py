"""Surrogate keys on public responses (guides.cache.surrogate).

Each public response a shared cache may keep names what it shows, in the
three headers of the cache tiers; every key carries its tenant; private
answers carry none; a page answered by the WSGI front carries the same keys.
"""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from guides.cache.front import PageCacheFront
from guides.models import Channel
from guides.tenancy import tenant_context
from tests.factories import (
    make_article,
    make_card_type,
    make_carrier,
    make_user,
    step,
)

pytestmark = pytest.mark.django_db

A = "alpha.test"
B = "beta.test"


def get(client, path, host=A, **extra):
    return client.get(path, HTTP_HOST=host, **extra)


def keys(response) -> list[str]:
    return response["xkey"].split(" ")


@pytest.fixture
def site(tenant_a):
    carrier = make_carrier(tenant_a, "china-mobile", hotline="10086")
    other = make_carrier(tenant_a, "china-unicom", hotline="10010")
    card = make_card_type(tenant_a)
    with tenant_context(tenant_a):
        hotline = Channel.objects.get(carrier=carrier)
        article = make_article(
            tenant_a,
            "cancel-esim",
            publish=True,
            carrier=carrier,
            card_type=card,
            parts={"steps": [step(1), step(2, channel=hotline)]},
        )
    return {
        "t": tenant_a.pk,
        "carrier": carrier,
        "other": other,
        "card": card,
        "article": article,
        "hotline": hotline,
    }


def test_an_article_page_names_its_article_carrier_and_card_type(client, site):
    t = site["t"]
    response = get(client, "/en/guides/cancel-esim/")
    assert response.status_code == 200
    assert keys(response) == [
        f"t{t}",
        f"t{t}-lang-en",
        f"t{t}-a{site['article'].pk}",
        f"t{t}-c{site['carrier'].pk}",
        f"t{t}-k{site['card'].pk}",
    ]
    assert response["Surrogate-Key"] == response["xkey"]
    assert response["Cache-Tag"] == ",".join(keys(response))


def test_the_markdown_rendition_has_the_pages_keys_in_its_language(client, site):
    t = site["t"]
    response = get(client, "/zh-hans/guides/cancel-esim.md")
    assert response.status_code == 200
    assert keys(response)[:3] == [
        f"t{t}",
        f"t{t}-lang-zh-hans",
        f"t{t}-a{site['article'].pk}",
    ]


@pytest.mark.parametrize(
    ("path", "extra"),
    [
        ("/en/", []),
        ("/en/carriers/china-mobile/", ["c"]),
        ("/en/cards/esim/", ["k"]),
        ("/en/llms.txt", []),
    ],
)
def test_listing_pages_carry_the_listing_key(client, site, path, extra):
    t = site["t"]
    response = get(client, path)
    assert response.status_code == 200
    expected = [f"t{t}", f"t{t}-lang-en", f"t{t}-list"]
    if extra == ["c"]:
        expected.append(f"t{t}-c{site['carrier'].pk}")
    if extra == ["k"]:
        expected.append(f"t{t}-k{site['card'].pk}")
    assert keys(response) == expected


@pytest.mark.parametrize("path", ["/sitemap.xml", "/llms.txt"])
def test_sitemap_and_llms_txt_are_listings(client, site, path):
    response = get(client, path)
    assert f"t{site['t']}-list" in keys(response)
    assert (f"t{site['t']}-map" in keys(response)) == (path == "/sitemap.xml")


def test_robots_txt_is_tenant_wide_only(client, site):
    t = site["t"]
    assert keys(get(client, "/robots.txt")) == [f"t{t}", f"t{t}-lang-zh-hans"]


def test_public_api_responses_carry_the_api_key(client, site):
    t = site["t"]
    response = get(client, "/api/v1/procedures/cancel-esim?lang=en")
    assert response.status_code == 200
    assert keys(response) == [f"t{t}", f"t{t}-lang-en", f"t{t}-api"]
    # The API's own stored answer carries them too.
    assert keys(get(client, "/api/v1/procedures/cancel-esim?lang=en")) == keys(response)


def test_private_answers_carry_no_keys(client, site, tenant_a):
    editor = make_user("ed", tenant=tenant_a)
    client.force_login(editor)
    signed_in = get(client, "/en/guides/cancel-esim/")
    assert signed_in.status_code == 200
    assert "xkey" not in signed_in
    client.logout()
    assert "xkey" not in get(client, "/en/search/?q=esim")  # never cached
    assert "xkey" not in get(client, "/en/guides/cancel-esim/?feedback=thanks")


def test_a_404_a_cache_may_keep_is_purged_by_the_next_publication(
    client, site, tenant_a
):
    """A 404 is public for a minute (guides.public.http): it names no article,
    so it carries the listing key, which every publish purges."""
    t = tenant_a.pk
    missing = get(client, "/en/guides/no-such/")
    assert missing.status_code == 404
    assert keys(missing) == [f"t{t}", f"t{t}-lang-en", f"t{t}-list"]


def test_keys_name_the_hosts_tenant_only(client, site, tenant_b):
    make_article(tenant_b, "cancel-esim", publish=True)
    a = keys(get(client, "/en/guides/cancel-esim/", host=A))
    b = keys(get(client, "/en/guides/cancel-esim/", host=B))
    assert all(key.split("-")[0] == f"t{site['t']}" for key in a)
    assert all(key.split("-")[0] == f"t{tenant_b.pk}" for key in b)


def test_a_stored_page_keeps_its_keys_through_the_page_cache_and_the_front(
    client, site
):
    first = get(client, "/en/guides/cancel-esim/")
    stored = get(client, "/en/guides/cancel-esim/")  # PageCacheMiddleware's hit
    assert stored["xkey"] == first["xkey"]

    def django(environ, start_response):  # pragma: no cover - must not run
        raise AssertionError("the front passed a stored page on")

    environ = RequestFactory().get("/en/guides/cancel-esim/", HTTP_HOST=A).environ
    answer = {}
    body = b"".join(
        PageCacheFront(django)(
            environ, lambda status, headers, exc=None: answer.update(h=dict(headers))
        )
    )
    assert body == first.content
    assert answer["h"]["xkey"] == first["xkey"]
    assert answer["h"]["Surrogate-Key"] == first["Surrogate-Key"]
    assert answer["h"]["Cache-Tag"] == first["Cache-Tag"]


def test_static_files_carry_no_keys_and_are_never_purged(client, site):
    response = get(client, "/static/guides/site.css")
    assert response.status_code == 200
    assert "public" in response["Cache-Control"]
    assert "xkey" not in response
