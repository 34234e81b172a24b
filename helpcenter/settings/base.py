"""Settings for every environment, read once from the environment.

Local defaults are safe for a developer machine: an SQLite file under ``var/``
and a local-memory cache. ``helpcenter.settings.production`` refuses the
development secret key and turns on the deploy hardening.
"""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("HELPCENTER_VAR_DIR", BASE_DIR / "var"))

DEV_SECRET_KEY = "dev-insecure-helpcenter-key-do-not-use-in-production"
SECRET_KEY = os.environ.get("SECRET_KEY", DEV_SECRET_KEY)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("DEBUG", False)

# Tenant domains live in the database, so the host check is done by
# guides.tenancy.middleware.TenantMiddleware: it runs first and answers 404 for any
# host that no tenant domain names, before anything else reads the host.
# Django's own list would have to be edited and reloaded for every new tenant.
ALLOWED_HOSTS = ["*"]

INSTALLED_APPS = [
    # modeltranslation must come before the admin (DESIGN.md).
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "reversion",
    "guides",
]

MIDDLEWARE = [
    "guides.tenancy.middleware.TenantMiddleware",
    # Answers cached public pages before the rest of the stack runs.
    "guides.cache.pages.PageCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "guides.admin.middleware.ScheduledPublishingMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "helpcenter.urls"

TEMPLATES = [
    # The public site's pages (jinja2/guides/); see guides/jinja.py for why.
    # First, so "guides/home.html" is found there; every other name falls
    # through to Django's engine below.
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "jinja2"],
        "APP_DIRS": False,
        "OPTIONS": {
            "environment": "guides.public.jinja.environment",
            "context_processors": [
                "django.template.context_processors.i18n",
                "guides.public.context_processors.tenant",
            ],
        },
    },
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "guides.public.context_processors.tenant",
            ],
        },
    },
]

WSGI_APPLICATION = "helpcenter.wsgi.application"
ASGI_APPLICATION = "helpcenter.asgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'helpcenter.sqlite3'}"),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # WAL lets readers proceed while an editor saves; IMMEDIATE avoids
    # "database is locked" upgrades from read to write transactions.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"


def cache_from_url(url: str) -> dict:
    """Return a CACHES entry for ``locmem://`` or ``redis://`` URLs."""
    if url.startswith(("redis://", "rediss://", "unix://")):
        return {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "helpcenter"),
        }
    if url.startswith("locmem://"):
        return {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": url.removeprefix("locmem://") or "helpcenter",
        }
    if url.startswith("dummy://"):
        return {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    raise ValueError(f"Unsupported CACHE_URL scheme: {url!r}")


CACHES = {"default": cache_from_url(os.environ.get("CACHE_URL", "locmem://"))}

AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [
    ("zh-hans", _("Simplified Chinese")),
    ("en", _("English")),
    ("zh-hant", _("Traditional Chinese")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

MODELTRANSLATION_DEFAULT_LANGUAGE = "zh-hans"
MODELTRANSLATION_LANGUAGES = ("zh-hans", "en", "zh-hant")
# Readers never see an empty field: fall back to the default language. The
# public pages say so visibly where that happens.
MODELTRANSLATION_FALLBACK_LANGUAGES = ("zh-hans",)

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns on a missing root.
STATICFILES_DIRS = [BASE_DIR / "static"]
# WhiteNoise serves /static/ from gunicorn and runserver alike; with finders
# it needs no collectstatic step on a developer's machine.
WHITENOISE_USE_FINDERS = True
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"

LOGIN_URL = "admin:login"

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# How long the host -> tenant lookup is cached (seconds). Saving a domain or a
# tenant clears the entry at once; the timeout only bounds stale entries left
# by writes made outside Django.
HELPCENTER_TENANT_CACHE_TIMEOUT = 300

# Search backends, shaped like CACHES (guides.search.backends): SQLite FTS5
# on SQLite, tsvector('simple') + GIN on PostgreSQL.
HELPCENTER_SEARCH_BACKENDS = {
    "default": {
        "BACKEND": "guides.search.backends.postgres"
        if DATABASES["default"]["ENGINE"].startswith("django.db.backends.postgresql")
        else "guides.search.backends.sqlite",
    }
}
