"""Settings for every environment, read once from the environment.

Every variable is read here, through django-environ, and nowhere else; the
README's configuration table lists them. Local defaults are safe for a
developer machine: an SQLite file under ``var/`` and a local-memory cache.
``helpcenter.settings.production`` refuses the development secret key and
turns on the deploy hardening.
"""

from datetime import timedelta
from pathlib import Path

import environ
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _


class Env(environ.Env):
    """django-environ's reader, also taking ``locmem://`` and ``dummy://``.

    Those short cache URLs were this project's before django-environ (which
    spells them ``locmemcache://`` and ``dummycache://``); both are accepted.
    """

    CACHE_SCHEMES = {
        **environ.Env.CACHE_SCHEMES,
        "locmem": environ.Env.CACHE_SCHEMES["locmemcache"],
        "dummy": environ.Env.CACHE_SCHEMES["dummycache"],
    }


env = Env()

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(env.str("HELPCENTER_VAR_DIR", default=str(BASE_DIR / "var")))

DEV_SECRET_KEY = "dev-insecure-helpcenter-key-do-not-use-in-production"
SECRET_KEY = env.str("SECRET_KEY", default=DEV_SECRET_KEY)

DEBUG = env.bool("DEBUG", default=False)

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
    "axes",
    # django-ninja: the API's Swagger page and its assets, served from here.
    "ninja",
    "guides",
]

MIDDLEWARE = [
    # First, so the host lookup of a public read goes to a replica too.
    "guides.operations.replicas.ReplicaRoutingMiddleware",
    "guides.tenancy.middleware.TenantMiddleware",
    # Answers cached public pages before the rest of the stack runs.
    "guides.cache.pages.PageCacheMiddleware",
    # Inside PageCacheMiddleware, so a stored page keeps its surrogate keys.
    "guides.cache.surrogate.SurrogateKeyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Inside PageCacheMiddleware, so a stored page keeps its policy header.
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # A Hong Kong tenant's Traditional Chinese interface in its own wording.
    "guides.tenancy.variants.ChineseVariantMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "guides.admin.middleware.ScheduledPublishingMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes requires: turns a locked-out login into its page.
    "axes.middleware.AxesMiddleware",
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
                "django.template.context_processors.csp",
                "guides.public.context_processors.tenant",
            ],
        },
    },
]

WSGI_APPLICATION = "helpcenter.wsgi.application"
ASGI_APPLICATION = "helpcenter.asgi.application"

DATABASES = {
    "default": env.db_url(
        "DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'helpcenter.sqlite3'}"
    )
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DB_CONN_MAX_AGE", default=60)
# A persistent connection left broken by a database restart is replaced
# before the request uses it, instead of failing that request.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # WAL lets readers proceed while an editor saves; IMMEDIATE avoids
    # "database is locked" upgrades from read to write transactions.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }

# Read replicas (comma-separated database URLs): public reads go there, every
# write and the admin to the primary (guides/operations/replicas.py).
for _number, _url in enumerate(env.list("DATABASE_REPLICA_URLS", default=[]), 1):
    DATABASES[f"replica_{_number}"] = {
        **env.db_url_config(_url),
        "CONN_MAX_AGE": DATABASES["default"]["CONN_MAX_AGE"],
        "CONN_HEALTH_CHECKS": True,
        # A test run uses the primary's test database for the replicas.
        "TEST": {"MIRROR": "default"},
    }
DATABASE_ROUTERS = ["guides.operations.replicas.ReplicaRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"


CACHES = {"default": env.cache_url("CACHE_URL", default="locmem://")}
CACHES["default"].setdefault("KEY_PREFIX", env.str("CACHE_KEY_PREFIX", "helpcenter"))
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    # A cache outage is not a site outage: faults answer as misses, sockets
    # time out soon, and a breaker skips a dead server (guides/cache/backends.py).
    CACHES["default"]["BACKEND"] = "guides.cache.backends.FailSoftRedisCache"
    CACHES["default"].setdefault("OPTIONS", {}).update(
        socket_connect_timeout=env.float("CACHE_CONNECT_TIMEOUT", default=0.25),
        socket_timeout=env.float("CACHE_TIMEOUT", default=0.5),
        breaker_seconds=env.float("CACHE_BREAKER_SECONDS", default=5.0),
    )

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
TIME_ZONE = env.str("TIME_ZONE", default="Asia/Shanghai")
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

# Brute force on /admin/login/ (django-axes, database handler so every worker
# sees the same count): after AXES_FAILURE_LIMIT wrong passwords for one
# username from one address, that pair is refused for AXES_COOLOFF_TIME,
# even with the right password. The same username from another address, and
# other usernames from this address, are not locked, so nobody can lock a
# colleague out from elsewhere. The address is the reader's, found through
# trusted proxies only (guides.operations.clients).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# Keep failed attempts only (the lock needs them), not a row with the address
# and browser of every successful sign-in.
AXES_DISABLE_ACCESS_LOG = True
AXES_LOCKOUT_TEMPLATE = "admin/lockout.html"
AXES_CLIENT_IP_CALLABLE = "guides.operations.clients.client_address"

# The proxies in front of the application whose X-Forwarded-For is believed
# (guides.operations.clients): empty for none (the connecting address is the
# reader's), a number of proxy hops ("1" behind one nginx), or networks
# ("10.0.0.0/8,192.168.1.5"). Rate limits, logs and the login lockout use it.
HELPCENTER_TRUSTED_PROXIES = env.list("HELPCENTER_TRUSTED_PROXIES", default=[])
# Networks whose readers may read /metrics (any host); everyone else gets 404.
HELPCENTER_METRICS_ALLOW = env.list(
    "HELPCENTER_METRICS_ALLOW", default=["127.0.0.1/32", "::1/128"]
)
# prometheus-client's own variable, read here too so /metrics adds up every
# gunicorn worker's counts when it is set (docs/OPERATIONS.md).
PROMETHEUS_MULTIPROC_DIR = env.str("PROMETHEUS_MULTIPROC_DIR", default="")

# Error reports go to Sentry only when SENTRY_DSN is set, without personal
# data (guides.operations.errors).
SENTRY_DSN = env.str("SENTRY_DSN", default="")
if SENTRY_DSN:
    from guides.operations.errors import init_sentry

    init_sentry(
        dsn=SENTRY_DSN,
        environment=env.str("SENTRY_ENVIRONMENT", default="production"),
        traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
    )

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"

# Content-Security-Policy (Django's own middleware; django-csp predates it and
# does not feed the nonce that the admin's templates emit with
# {% csp_nonce_attr %}). Scripts and styles come from this host only. The
# nonce is added to the header only on responses whose template used it,
# which the admin's do and the public pages never do: a page stored in the
# page cache and sent to every reader carries no nonce. The public pages'
# one inline style (the tenant's colour) is allowed by its hash
# (guides.public.views.page_policy). JSON-LD blocks are data, not scripts,
# and need no allowance. Images may come from https hosts: tenant logos and
# imported pictures live there.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "https:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# One JSON object per line on standard error, each with the request id and
# tenant of the request it was made in (guides.operations.logs). The access
# log (guides.access, one line per request) is on unless LOG_ACCESS is off.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request": {"()": "guides.operations.logs.RequestContextFilter"}},
    "formatters": {"json": {"()": "guides.operations.logs.JsonFormatter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request"],
            "formatter": "json",
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
    "loggers": {
        "guides.access": {
            "handlers": ["console"],
            "level": "INFO" if env.bool("LOG_ACCESS", default=True) else "WARNING",
            "propagate": False,
        }
    },
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

# Caches in front of the app (Varnish, a CDN), shaped like CACHES: each write
# purges the surrogate keys it affects once it commits (guides.frontcache,
# docs/OPERATIONS.md). Empty, the default: nothing is purged. For Varnish with
# deploy/varnish/default.vcl, HELPCENTER_VARNISH_URLS=http://127.0.0.1:6081
# fills it in.
HELPCENTER_FRONTEND_CACHES = {}
if env.list("HELPCENTER_VARNISH_URLS", default=[]):
    HELPCENTER_FRONTEND_CACHES["varnish"] = {
        "BACKEND": "guides.frontcache.backends.varnish.VarnishBackend",
        "LOCATIONS": env.list("HELPCENTER_VARNISH_URLS"),
    }

# E-mail: the invitations a manager sends (guides.services.members). EMAIL_URL
# in django-environ's form, e.g. smtp+tls://user:password@mail.example.com:587;
# consolemail:// (the default here) prints them, dummymail:// drops them: a
# machine without a mail server can still send an invitation. Production
# defaults to the local SMTP server.


def mailers(email: dict) -> dict:
    """Return a ``MAILERS`` setting for django-environ's parsed ``EMAIL_URL``."""
    options = {
        option: email[key]
        for option, key in (
            ("host", "EMAIL_HOST"),
            ("port", "EMAIL_PORT"),
            ("username", "EMAIL_HOST_USER"),
            ("password", "EMAIL_HOST_PASSWORD"),
            ("use_tls", "EMAIL_USE_TLS"),
            ("use_ssl", "EMAIL_USE_SSL"),
        )
        if email.get(key) not in (None, "")
    }
    if email["EMAIL_BACKEND"].endswith("smtp.EmailBackend"):
        # A mail server that does not answer must not hold a request for long.
        options["timeout"] = 10
    return {"default": {"BACKEND": email["EMAIL_BACKEND"], "OPTIONS": options}}


MAILERS = mailers(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="helpcenter@localhost")

# Seconds an invitation link works (guides.services.members): a week.
HELPCENTER_INVITATION_MAX_AGE = 7 * 24 * 3600

# The class that checks a domain's proof of ownership, a DNS TXT record or a
# file over HTTP (guides.tenancy.verification); tests name one that resolves
# host names to local servers.
HELPCENTER_DOMAIN_VERIFIER = "guides.tenancy.verification.DomainVerifier"
