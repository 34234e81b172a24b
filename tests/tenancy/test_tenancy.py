"""Tenant isolation: managers, related managers, hosts and uniqueness."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from guides import services
from guides.models import Article, Domain, Membership, Step
from guides.tenancy import TenantContextMissing, get_current_tenant, tenant_context
from guides.tenancy.resolver import tenant_for_host
from tests.factories import make_article, make_tenant, make_user

pytestmark = pytest.mark.django_db


def test_default_manager_fails_closed_outside_a_tenant_context(tenant_a):
    make_article(tenant_a)
    assert get_current_tenant() is None
    with pytest.raises(TenantContextMissing):
        list(Article.objects.all())
    with pytest.raises(TenantContextMissing):
        Step.objects.count()


def test_unscoped_manager_is_the_explicit_way_to_see_every_tenant(tenant_a, tenant_b):
    make_article(tenant_a)
    make_article(tenant_b)
    assert Article.unscoped.count() == 2


def test_managers_only_return_the_current_tenants_rows(tenant_a, tenant_b):
    a = make_article(tenant_a, "a-only")
    b = make_article(tenant_b, "b-only")
    with tenant_context(tenant_a):
        assert list(Article.objects.values_list("slug", flat=True)) == ["a-only"]
        assert Step.objects.count() == 3
        assert not Article.objects.filter(pk=b.pk).exists()
        with pytest.raises(Article.DoesNotExist):
            Article.objects.get(pk=b.pk)
    with tenant_context(tenant_b):
        assert list(Article.objects.values_list("pk", flat=True)) == [b.pk]
        assert not Article.objects.filter(pk=a.pk).exists()


def test_related_managers_are_scoped_too(tenant_a, tenant_b):
    """A step planted with another tenant's id never shows through a relation."""
    a = make_article(tenant_a, steps=2)
    # given: a row of tenant B attached to tenant A's article (a bug elsewhere)
    Step.unscoped.create(tenant=tenant_b, article=a, title_zh_hans="外来", sort_order=9)
    # then: tenant A's related manager does not return it
    with tenant_context(tenant_a):
        assert [s.title_en for s in a.steps.all()] == ["Step 1", "Step 2"]
    with pytest.raises(TenantContextMissing):
        list(a.steps.all())


def test_same_slug_in_two_tenants_is_allowed_but_not_twice_in_one(tenant_a, tenant_b):
    make_article(tenant_a, "same-slug")
    make_article(tenant_b, "same-slug")
    with transaction.atomic(), pytest.raises(IntegrityError):
        Article.unscoped.create(tenant=tenant_a, slug="same-slug", title_zh_hans="x")


def test_service_validation_reports_a_taken_slug_in_the_same_tenant(tenant_a):
    from django.core.exceptions import ValidationError

    make_article(tenant_a, "dup")
    with pytest.raises(ValidationError) as excinfo:
        make_article(tenant_a, "dup")
    assert excinfo.value.error_dict["__all__"][0].code == "duplicate_slug"


def test_host_resolves_to_its_tenant_case_and_port_insensitively(tenant_a, tenant_b):
    assert tenant_for_host("alpha.test") == tenant_a
    assert tenant_for_host("WWW.Alpha.Test:8000") == tenant_a
    assert tenant_for_host("beta.test") == tenant_b
    assert tenant_for_host("gamma.test") is None
    assert tenant_for_host("") is None
    assert tenant_for_host("x" * 5000) is None


def test_host_cache_is_invalidated_when_a_domain_changes(
    tenant_a, tenant_b, django_assert_num_queries
):
    assert tenant_for_host("alpha.test") == tenant_a
    with django_assert_num_queries(0):
        assert tenant_for_host("alpha.test") == tenant_a
    domain = Domain.objects.get(host="alpha.test")
    domain.tenant = tenant_b
    domain.is_primary = False
    domain.save()
    assert tenant_for_host("alpha.test") == tenant_b
    domain.delete()
    assert tenant_for_host("alpha.test") is None


def test_unknown_host_is_a_404_page_not_an_error(client, tenant_a):
    response = client.get("/", HTTP_HOST="unknown.example")
    assert response.status_code == 404
    assert b"No help center answers" in response.content
    assert b"Alpha" not in response.content


def test_home_page_lists_only_the_hosts_tenant_published_articles(
    client, tenant_a, tenant_b
):
    make_article(tenant_a, "a-pub", publish=True, title_zh_hans="甲的文章")
    make_article(tenant_a, "a-draft", title_zh_hans="甲的草稿")
    make_article(tenant_b, "b-pub", publish=True, title_zh_hans="乙的文章")
    page = client.get("/zh-hans/", HTTP_HOST="alpha.test").content.decode()
    assert "甲的文章" in page
    assert "甲的草稿" not in page
    assert "乙的文章" not in page
    page_b = client.get("/zh-hans/", HTTP_HOST="beta.test").content.decode()
    assert "乙的文章" in page_b and "甲的文章" not in page_b


def test_tenant_context_is_left_after_each_request(client, tenant_a):
    client.get("/", HTTP_HOST="alpha.test")
    assert get_current_tenant() is None


def test_make_tenant_rejects_a_host_of_another_tenant(tenant_a):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        make_tenant("other", hosts=["alpha.test"])


def test_the_service_refuses_to_demote_a_tenants_last_manager(tenant_a):
    boss = make_user("boss", tenant=tenant_a, role=Membership.Role.MANAGER)
    with pytest.raises(ValidationError) as refused:
        services.membership_set(tenant=tenant_a, user=boss, role=Membership.Role.EDITOR)
    assert refused.value.code == "last_manager"
    assert (
        Membership.objects.get(tenant=tenant_a, user=boss).role
        == Membership.Role.MANAGER
    )
    second = make_user("second", tenant=tenant_a, role=Membership.Role.MANAGER)
    services.membership_set(tenant=tenant_a, user=boss, role=Membership.Role.EDITOR)
    assert (
        Membership.objects.get(tenant=tenant_a, user=second).role
        == Membership.Role.MANAGER
    )
