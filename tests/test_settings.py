"""Settings read the environment once (django-environ); production refuses unsafe values.

Each case runs in a fresh interpreter: settings are read at start-up, so the
environment of this test process (the suite's own settings) cannot be changed
after the fact.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SETTINGS_ENV = {
    "SECRET_KEY",
    "DEBUG",
    "DATABASE_URL",
    "CACHE_URL",
    "CACHE_KEY_PREFIX",
    "TIME_ZONE",
    "LOG_LEVEL",
    "DB_CONN_MAX_AGE",
    "HELPCENTER_VAR_DIR",
    "SECURE_SSL_REDIRECT",
    "DJANGO_SETTINGS_MODULE",
}
REAL_KEY = "k" * 20 + "-production-secret-for-the-deploy-check-" + "z" * 20

SHOW = """
import json
from django.conf import settings
db = settings.DATABASES["default"]
print(json.dumps({
    "engine": db["ENGINE"], "name": str(db["NAME"]), "host": db.get("HOST", ""),
    "port": db.get("PORT", ""), "user": db.get("USER", ""),
    "conn_max_age": db["CONN_MAX_AGE"], "health_checks": db["CONN_HEALTH_CHECKS"],
    "cache": settings.CACHES["default"], "debug": settings.DEBUG,
    "secret_key": settings.SECRET_KEY, "time_zone": settings.TIME_ZONE,
    "log_level": settings.LOGGING["root"]["level"],
    "search": settings.HELPCENTER_SEARCH_BACKENDS["default"]["BACKEND"],
    "ssl_redirect": settings.SECURE_SSL_REDIRECT,
    "axes": settings.AXES_ENABLED, "axes_limit": settings.AXES_FAILURE_LIMIT,
}))
"""


def run(args, env=None):
    full_env = {k: v for k, v in os.environ.items() if k not in SETTINGS_ENV}
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def show(settings_module="helpcenter.settings.base", **env) -> dict:
    """Return the settings that ``env`` gives, read by a fresh interpreter."""
    code = f"import django, os; django.setup()\n{SHOW}"
    result = run(["-c", code], env={"DJANGO_SETTINGS_MODULE": settings_module, **env})
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_defaults_are_an_sqlite_file_under_var_and_a_local_memory_cache(tmp_path):
    found = show(HELPCENTER_VAR_DIR=str(tmp_path))
    assert found["engine"] == "django.db.backends.sqlite3"
    assert found["name"] == str(tmp_path / "helpcenter.sqlite3")
    assert found["cache"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"
    assert found["search"] == "guides.search.backends.sqlite"
    assert found["debug"] is False
    assert found["secret_key"].startswith("dev-insecure")
    assert (found["time_zone"], found["log_level"]) == ("Asia/Shanghai", "WARNING")
    assert (found["conn_max_age"], found["health_checks"]) == (60, True)
    # the login lockout is on outside the test settings
    assert (found["axes"], found["axes_limit"]) == (True, 5)


def test_every_variable_is_read_from_the_environment():
    found = show(
        DATABASE_URL="postgres://reader:pw@db.internal:6543/helpcenter",
        CACHE_URL="redis://127.0.0.1:6379/3",
        CACHE_KEY_PREFIX="hc-blue",
        CACHE_CONNECT_TIMEOUT="0.1",
        CACHE_TIMEOUT="0.3",
        CACHE_BREAKER_SECONDS="2",
        DEBUG="yes",
        SECRET_KEY="a-secret-from-the-environment",
        TIME_ZONE="UTC",
        LOG_LEVEL="DEBUG",
        DB_CONN_MAX_AGE="0",
    )
    assert found["engine"] == "django.db.backends.postgresql"
    assert (found["host"], found["port"], found["name"], found["user"]) == (
        "db.internal",
        6543,
        "helpcenter",
        "reader",
    )
    assert found["search"] == "guides.search.backends.postgres"
    assert found["cache"] == {
        # Faults answer as misses (guides/cache/backends.py).
        "BACKEND": "guides.cache.backends.FailSoftRedisCache",
        "LOCATION": "redis://127.0.0.1:6379/3",
        "KEY_PREFIX": "hc-blue",
        "OPTIONS": {
            "socket_connect_timeout": 0.1,
            "socket_timeout": 0.3,
            "breaker_seconds": 2.0,
        },
    }
    assert found["debug"] is True
    assert found["secret_key"] == "a-secret-from-the-environment"
    assert (found["time_zone"], found["log_level"]) == ("UTC", "DEBUG")
    assert found["conn_max_age"] == 0


@pytest.mark.parametrize(
    "url, backend",
    [
        ("locmem://", "django.core.cache.backends.locmem.LocMemCache"),
        ("locmemcache://", "django.core.cache.backends.locmem.LocMemCache"),
        ("dummy://", "django.core.cache.backends.dummy.DummyCache"),
    ],
)
def test_cache_url_selects_the_backend(url, backend):
    from helpcenter.settings.base import Env

    assert Env.cache_url_config(url)["BACKEND"] == backend


def test_unknown_cache_url_is_a_clear_error():
    from django.core.exceptions import ImproperlyConfigured

    from helpcenter.settings.base import Env

    with pytest.raises(ImproperlyConfigured, match="Invalid cache schema"):
        Env.cache_url_config("memcached-typo://x")


def test_the_settings_read_no_variable_by_hand():
    """Only django-environ reads the environment (one place, one parser)."""
    for module in (ROOT / "helpcenter" / "settings").glob("*.py"):
        source = module.read_text()
        assert "os.environ" not in source and "getenv" not in source, module.name


def test_production_settings_refuse_the_development_secret_key():
    result = run(
        ["manage.py", "check"],
        env={"DJANGO_SETTINGS_MODULE": "helpcenter.settings.production"},
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_settings_refuse_debug():
    result = run(
        ["manage.py", "check"],
        env={
            "DJANGO_SETTINGS_MODULE": "helpcenter.settings.production",
            "SECRET_KEY": REAL_KEY,
            "DEBUG": "on",
        },
    )
    assert result.returncode != 0
    assert "DEBUG must be off" in result.stderr


def test_production_settings_redirect_to_https_unless_told():
    production = "helpcenter.settings.production"
    assert show(production, SECRET_KEY=REAL_KEY)["ssl_redirect"] is True
    off = show(production, SECRET_KEY=REAL_KEY, SECURE_SSL_REDIRECT="false")
    assert off["ssl_redirect"] is False


def test_check_deploy_passes_with_production_settings():
    result = run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env={
            "DJANGO_SETTINGS_MODULE": "helpcenter.settings.production",
            "SECRET_KEY": REAL_KEY,
        },
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
