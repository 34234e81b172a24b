import pytest
from django.core.cache import cache

from guides.tenancy import tenant_context
from tests.factories import make_tenant


@pytest.fixture(autouse=True)
def _clear_cache():
    from guides.cache.pages import local_pages

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


# --- browser tests (tests/browser.py) ------------------------------------------


@pytest.fixture(scope="module")
def browser():
    """One headless Debian Chromium per test module."""
    from tests.browser import launch_chromium

    yield from launch_chromium()


@pytest.fixture
def new_context(browser):
    """Return a factory of browser contexts (desktop, English unless told)."""
    from tests.browser import DESKTOP, TIMEOUT_MS

    contexts = []

    def factory(**options):
        options.setdefault("locale", "en-US")
        options.setdefault("viewport", DESKTOP)
        context = browser.new_context(**options)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context

    yield factory
    for context in contexts:
        context.close()
