import pytest
from django.core.cache import cache

from guides.tenancy import tenant_context
from tests.factories import make_tenant


@pytest.fixture(autouse=True)
def _clear_cache():
    from guides.caching import local_pages

    cache.clear()
    local_pages.clear()
    yield
    cache.clear()
    local_pages.clear()


@pytest.fixture
def tenant_a(db):
    return make_tenant("alpha", hosts=["alpha.test", "www.alpha.test"])


@pytest.fixture
def tenant_b(db):
    return make_tenant("beta", hosts=["beta.test"])


@pytest.fixture
def in_a(tenant_a):
    with tenant_context(tenant_a):
        yield tenant_a
