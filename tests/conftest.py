import pytest
from django.core.cache import cache

from guides.tenancy import tenant_context
from tests.factories import make_tenant


@pytest.fixture(autouse=True)
def _clear_cache(monkeypatch):
    from guides.cache import generations
    from guides.cache.pages import local_pages

    # Each test's database is rolled back, generations included: no copy of
    # one may outlive its test. Within a test every write is made in this
    # process, whose bumps drop its copies, so the copies never expire by
    # time and query counts do not depend on how long a test runs
    # (tests/cache/test_generations.py covers the refresh).
    monkeypatch.setattr(generations, "REFRESH_SECONDS", float("inf"))
    generations.forget_all()
    cache.clear()
    local_pages.clear()
    yield
    cache.clear()
    local_pages.clear()
    generations.forget_all()


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
    from tests.browser import (
        DESKTOP,
        TIMEOUT_MS,
        assert_no_csp_violations,
        watch_csp,
    )

    contexts = []

    def factory(**options):
        options.setdefault("locale", "en-US")
        options.setdefault("viewport", DESKTOP)
        context = browser.new_context(**options)
        context.set_default_timeout(TIMEOUT_MS)
        watch_csp(context)
        contexts.append(context)
        return context

    yield factory
    for context in contexts:
        context.close()
    assert_no_csp_violations(contexts)


@pytest.fixture
def english():
    """Run the test in English, for assertions on messages (the default is zh-hans)."""
    from django.utils import translation

    with translation.override("en"):
        yield
