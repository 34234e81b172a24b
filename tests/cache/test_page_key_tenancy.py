"""A page is keyed on the tenancy generation its tenant was looked up under.

Each process re-reads the content and tenancy generations on its own clock.
A renamed tenant bumps both; a process whose tenancy copy is still the old
one while its content copy is already new renders the old name, and before
the fix stored that page under the new content generation, where every
reader found it until the next change (``make bench-faults``: 8.8 s, or
never for the last change of a run).
"""

from __future__ import annotations

import pytest

from guides.cache import generations
from guides.cache.generations import TENANCY, content_name
from guides.models import Generation, Tenant
from guides.tenancy.resolver import tenant_key_for_host
from tests.cache.test_generations import Clock

pytestmark = pytest.mark.django_db

A = {"HTTP_HOST": "alpha.test"}


@pytest.fixture
def clock(monkeypatch):
    fake = Clock()
    monkeypatch.setattr(generations, "REFRESH_SECONDS", 1.0)
    monkeypatch.setattr(generations, "clock", fake)
    return fake


def renamed_elsewhere(tenant: Tenant, name: str) -> None:
    """Rename ``tenant`` as another server does: data and both generations
    change in the database, this process's copies stay."""
    Tenant.objects.filter(pk=tenant.pk).update(name=name)
    for generation in (TENANCY, content_name(tenant.pk)):
        row = Generation.objects.get(name=generation)
        row.value += 1
        row.save()


def test_a_page_rendered_with_an_old_copy_of_the_tenant_is_not_served_later(
    client, tenant_a, clock
):
    # given: the home page stored by this process
    assert "Alpha" in client.get("/en/", **A).content.decode()
    renamed_elsewhere(tenant_a, "Renamed Alpha")
    # when: the content copy expires first; the tenancy copy was just re-read
    # (before the rename committed), so the tenant comes from the old lookup
    clock.now += 1.5
    # (copies are kept per database: the primary here, no replica configured)
    copy = ("default", TENANCY)
    old_tenancy = generations._copies[copy][0]
    generations._copies[copy] = (old_tenancy, clock.now)
    stale = client.get("/en/", **A).content.decode()
    assert "Renamed Alpha" not in stale  # the race itself: one stale render
    # then: once this process re-reads the tenancy generation, the page is new
    clock.now += 1.5
    assert "Renamed Alpha" in client.get("/en/", **A).content.decode()


def test_the_front_looks_a_page_up_under_the_tenants_own_generation(client, tenant_a):
    client.get("/en/", **A)
    tenant_id, tenancy = tenant_key_for_host("alpha.test")
    assert tenant_id == tenant_a.pk
    assert tenancy == generations.tenancy_generation() != 0
