"""guides.cache.generations: numbers in the database, copied per process.

"Another process" is played by changing the ``Generation`` row directly,
without going through this process's ``bump``: exactly what this process
sees when another server writes. The clock is a stand-in, so no test waits.
"""

from __future__ import annotations

import contextlib

import pytest
from django.db import transaction

from guides import services
from guides.cache import generations
from guides.cache.generations import (
    bump_content_generation,
    bump_tenancy_generation,
    content_generation,
    tenancy_generation,
)
from guides.models import Domain, Generation
from guides.tenancy import tenant_context
from guides.tenancy.resolver import tenant_for_host, tenant_id_for_host
from tests.factories import make_article, make_carrier

pytestmark = pytest.mark.django_db

A = {"HTTP_HOST": "alpha.test"}
URL = "/en/guides/cancel-esim/"


class Clock:
    """A monotonic clock that moves only when told."""

    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch):
    """Copies expire after REFRESH_SECONDS of this clock (tests/conftest.py
    otherwise keeps them until this process bumps)."""
    fake = Clock()
    monkeypatch.setattr(generations, "REFRESH_SECONDS", 1.0)
    monkeypatch.setattr(generations, "clock", fake)
    return fake


def written_elsewhere(name: str) -> None:
    """Bump ``name`` as another process would: this process's copy stays."""
    row, _created = Generation.objects.get_or_create(name=name)
    row.value += 1
    row.save()


@contextlib.contextmanager
def elsewhere():
    """Make the writes of the block as another process would: they reach the
    database, and this process keeps the copies it had."""
    copies = dict(generations._copies)
    yield
    generations._copies.clear()
    generations._copies.update(copies)


def test_a_generation_never_bumped_is_0_and_its_first_bump_is_the_clock(tenant_a):
    Generation.objects.all().delete()
    generations.forget_all()
    assert content_generation(tenant_a.pk) == 0
    bump_content_generation(tenant_a.pk)
    first = content_generation(tenant_a.pk)
    assert first > 1_600_000_000 * 10**9  # nanoseconds since the epoch
    bump_content_generation(tenant_a.pk)
    assert content_generation(tenant_a.pk) > first


def test_numbers_never_repeat_after_the_table_is_restored_from_an_older_copy(
    tenant_a,
):
    bump_content_generation(tenant_a.pk)
    seen = content_generation(tenant_a.pk)
    # given: a restore brings back a row from before that bump
    Generation.objects.filter(name=f"content:{tenant_a.pk}").update(value=5)
    bump_content_generation(tenant_a.pk)
    assert content_generation(tenant_a.pk) > seen


def test_a_bump_is_part_of_the_writers_transaction(tenant_a):
    before = content_generation(tenant_a.pk)
    with pytest.raises(RuntimeError), transaction.atomic():
        bump_content_generation(tenant_a.pk)
        assert content_generation(tenant_a.pk) != before
        raise RuntimeError("the write fails")
    generations.forget_all()
    assert content_generation(tenant_a.pk) == before


def test_a_bump_in_this_process_is_read_at_once(
    tenant_a, clock, django_assert_num_queries
):
    before = content_generation(tenant_a.pk)
    with django_assert_num_queries(1):  # the UPDATE
        bump_content_generation(tenant_a.pk)
    with django_assert_num_queries(1):  # this process's copy was dropped
        assert content_generation(tenant_a.pk) != before
    with django_assert_num_queries(0):
        content_generation(tenant_a.pk)


def test_a_copy_is_reused_for_a_second_then_read_again(
    tenant_a, clock, django_assert_num_queries
):
    with django_assert_num_queries(1):
        before = content_generation(tenant_a.pk)
    written_elsewhere(f"content:{tenant_a.pk}")
    clock.now += 0.99
    with django_assert_num_queries(0):
        assert content_generation(tenant_a.pk) == before
    clock.now += 0.01
    with django_assert_num_queries(1):
        after = content_generation(tenant_a.pk)
    assert after == before + 1
    with django_assert_num_queries(0):
        assert content_generation(tenant_a.pk) == after


def test_each_tenant_and_the_tenancy_generation_are_counted_apart(tenant_a, tenant_b):
    a, b, tenancy = (
        content_generation(tenant_a.pk),
        content_generation(tenant_b.pk),
        tenancy_generation(),
    )
    bump_content_generation(tenant_a.pk)
    assert content_generation(tenant_a.pk) != a
    assert (content_generation(tenant_b.pk), tenancy_generation()) == (b, tenancy)
    bump_tenancy_generation()
    assert tenancy_generation() != tenancy
    assert content_generation(tenant_b.pk) == b


# --- what the generations key ----------------------------------------------------


@pytest.fixture
def published(tenant_a):
    with tenant_context(tenant_a):
        return make_article(
            tenant_a, "cancel-esim", publish=True, carrier=make_carrier(tenant_a)
        )


def test_another_servers_unpublish_empties_this_servers_page_within_a_second(
    client,
    published,
    clock,
    django_assert_num_queries,
    django_capture_on_commit_callbacks,
):
    assert client.get(URL, **A).status_code == 200
    with django_assert_num_queries(0):
        assert client.get(URL, **A).status_code == 200
    with (
        elsewhere(),
        tenant_context(published.tenant),
        django_capture_on_commit_callbacks(execute=True),
    ):
        services.article_unpublish(article=published, user=None)
    # this server keeps its page for at most a second, with no query
    clock.now += 0.99
    with django_assert_num_queries(0):
        assert client.get(URL, **A).status_code == 200
    clock.now += 0.01
    assert client.get(URL, **A).status_code == 404


def test_another_servers_delete_empties_this_servers_listings_within_a_second(
    client, published, clock, django_capture_on_commit_callbacks
):
    assert b"/en/guides/cancel-esim/" in client.get("/en/", **A).content
    with (
        elsewhere(),
        tenant_context(published.tenant),
        django_capture_on_commit_callbacks(execute=True),
    ):
        services.article_delete(article=published, user=None)
    clock.now += 0.5
    assert b"/en/guides/cancel-esim/" in client.get("/en/", **A).content
    clock.now += 0.5
    assert b"/en/guides/cancel-esim/" not in client.get("/en/", **A).content
    assert client.get(URL, **A).status_code == 404


def test_another_servers_rename_reaches_this_servers_host_lookups_and_pages(
    client, published, clock
):
    tenant = published.tenant
    assert b"Alpha" in client.get(URL, **A).content
    assert tenant_id_for_host("www.alpha.test") == tenant.pk
    with elsewhere():
        tenant.name = "Renamed Centre"
        tenant.save()
        Domain.objects.filter(host="www.alpha.test").delete()
    assert tenant_for_host("alpha.test").name == "Alpha"
    assert tenant_id_for_host("www.alpha.test") == tenant.pk
    clock.now += 1.0
    assert tenant_for_host("alpha.test").name == "Renamed Centre"
    assert tenant_id_for_host("www.alpha.test") is None
    assert b"Renamed Centre" in client.get(URL, **A).content


@pytest.mark.parametrize("write", ["unpublish", "delete"])
def test_services_bump_the_generation_in_the_database(
    published, write, django_capture_on_commit_callbacks
):
    service = {
        "unpublish": services.article_unpublish,
        "delete": services.article_delete,
    }[write]
    row = Generation.objects.get(name=f"content:{published.tenant_id}")
    before = row.value
    with (
        tenant_context(published.tenant),
        django_capture_on_commit_callbacks(execute=True),
    ):
        service(article=published, user=None)
    row.refresh_from_db()
    assert row.value > before


def test_a_page_is_stored_under_the_generation_read_before_it_was_rendered(
    rf, tenant_a
):
    """A bump that commits while a page renders leaves the page under the old
    number: stored under the new one, the old page would be served until the
    next change."""
    from django.http import HttpResponse
    from django.utils.http import http_date

    from guides.cache.pages import PageCacheMiddleware, page_cache_key, stored_entry

    def render(request):
        bump_content_generation(tenant_a.pk)  # a publish commits meanwhile
        response = HttpResponse(b"the page as it was")
        response["ETag"] = '"old"'
        response["Last-Modified"] = http_date()
        response.page_cacheable = True
        return response

    request = rf.get(URL, **A)
    request.tenant = tenant_a
    before = page_cache_key(request, tenant_id=tenant_a.pk)
    PageCacheMiddleware(render)(request)
    after = page_cache_key(request, tenant_id=tenant_a.pk)
    assert after != before
    assert stored_entry(after) is None
    assert stored_entry(before)["content"] == b"the page as it was"
