"""Static files: hashed names, compressed copies, a year's immutable caching.

The production storage (WhiteNoise's CompressedManifestStaticFilesStorage,
helpcenter/settings/base.py) is exercised here with a real collectstatic into
a temporary folder; the rest of the suite links plain names
(helpcenter/settings/test.py says why).
"""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.core.management import call_command
from django.templatetags.static import static
from django.test import Client, override_settings

from guides.public import seo
from helpcenter.settings import base

pytestmark = pytest.mark.django_db

A = "alpha.test"


@pytest.fixture(scope="module")
def collected_folder(tmp_path_factory):
    """One collectstatic with the production storage (this project's files:
    the admin's and the API docs' are left out to keep it short)."""
    folder = tmp_path_factory.mktemp("static")
    with override_settings(STATIC_ROOT=folder, STORAGES=base.STORAGES, DEBUG=False):
        call_command(
            "collectstatic", "--no-input", "-i", "admin", "-i", "ninja", verbosity=0
        )
    return folder


@pytest.fixture
def collected(collected_folder):
    # Pages memoise their asset URLs per process (seo._static): forget them
    # on the way in and out, so no other test sees the hashed names.
    seo._static.cache_clear()
    with override_settings(
        STATIC_ROOT=collected_folder, STORAGES=base.STORAGES, DEBUG=False
    ):
        yield collected_folder
    seo._static.cache_clear()


def test_production_uses_the_compressed_manifest_storage():
    from whitenoise.storage import CompressedManifestStaticFilesStorage

    from helpcenter.staticfiles import StaticFilesStorage

    assert base.STORAGES["staticfiles"]["BACKEND"] == (
        "helpcenter.staticfiles.StaticFilesStorage"
    )
    assert issubclass(StaticFilesStorage, CompressedManifestStaticFilesStorage)
    assert base.WHITENOISE_ADD_HEADERS_FUNCTION is base.static_headers


def test_collected_files_have_hashed_names_and_compressed_copies(collected):
    url = static("guides/site.css")
    assert re.fullmatch(r"/static/guides/site\.[0-9a-f]{12}\.css", url), url
    name = url.removeprefix("/static/")
    assert (collected / name).exists()
    assert (collected / f"{name}.gz").exists()
    assert (collected / f"{name}.br").exists()
    assert (collected / "staticfiles.json").exists()


def test_a_hashed_file_is_cached_for_a_year_and_sent_compressed(collected, tenant_a):
    client = Client()  # a new handler: WhiteNoise reads the collected folder
    url = static("guides/site.css")
    response = client.get(url, HTTP_HOST=A, HTTP_ACCEPT_ENCODING="br")
    assert response.status_code == 200
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"
    assert response["Content-Encoding"] == "br"
    assert "Accept-Encoding" in response["Vary"]
    plain = client.get(url, HTTP_HOST=A, HTTP_ACCEPT_ENCODING="gzip")
    assert plain["Content-Encoding"] == "gzip"
    # the plain name is not immutable: it changes with the next deploy
    unhashed = client.get("/static/guides/site.css", HTTP_HOST=A)
    assert unhashed.status_code == 200
    assert "immutable" not in unhashed["Cache-Control"]


def test_pages_link_the_hashed_names(collected, tenant_a, client):
    from guides.tenancy import tenant_context
    from tests.factories import make_article

    with tenant_context(tenant_a):
        make_article(tenant_a, "cancel-esim", publish=True)
    page = client.get("/en/", HTTP_HOST=A).content.decode()
    assert re.search(r'/static/guides/site\.[0-9a-f]{12}\.css"', page)


def test_the_suite_links_plain_names():
    assert static("guides/site.css") == "/static/guides/site.css"
    assert settings.STORAGES["staticfiles"]["BACKEND"].endswith("StaticFilesStorage")


def test_a_missing_manifest_links_plain_names_never_a_500(tmp_path, tenant_a, client):
    """Without collectstatic, Django's manifest storage raises on every page
    that links a static file; this storage links the plain name and logs."""
    seo._static.cache_clear()
    try:
        with override_settings(STATIC_ROOT=tmp_path, STORAGES=base.STORAGES):
            assert static("guides/site.css") == "/static/guides/site.css"
            response = client.get("/en/", HTTP_HOST=A)
            assert response.status_code == 200
            assert "/static/guides/site.css" in response.content.decode()
    finally:
        seo._static.cache_clear()
