"""Settings read the environment; production refuses unsafe values."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def manage(*args, env=None):
    full_env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_refuse_the_development_secret_key():
    result = manage(
        "check", env={"DJANGO_SETTINGS_MODULE": "helpcenter.settings.production"}
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_check_deploy_passes_with_production_settings():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env={
            "DJANGO_SETTINGS_MODULE": "helpcenter.settings.production",
            "SECRET_KEY": "k" * 20
            + "-production-secret-for-the-deploy-check-"
            + "z" * 20,
        },
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    "url, backend",
    [
        ("locmem://", "django.core.cache.backends.locmem.LocMemCache"),
        ("redis://127.0.0.1:6379/3", "django.core.cache.backends.redis.RedisCache"),
    ],
)
def test_cache_url_selects_the_backend(url, backend):
    from helpcenter.settings.base import cache_from_url

    assert cache_from_url(url)["BACKEND"] == backend


def test_unknown_cache_url_is_a_clear_error():
    from helpcenter.settings.base import cache_from_url

    with pytest.raises(ValueError, match="Unsupported CACHE_URL"):
        cache_from_url("memcached://x")
