"""Production settings: everything in base, hardened for deployment.

``manage.py check --deploy --settings=helpcenter.settings.production`` passes
when SECRET_KEY is set to a real secret.
"""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import DEBUG, DEV_SECRET_KEY, SECRET_KEY, env, mailers

if SECRET_KEY == DEV_SECRET_KEY or len(SECRET_KEY) < 50:
    raise ImproperlyConfigured(
        "Set SECRET_KEY to a random string of at least 50 characters; "
        "production refuses the development key."
    )

if DEBUG:
    raise ImproperlyConfigured("DEBUG must be off in production.")

SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True

# Invitations go out through a real mail server: the local one unless
# EMAIL_URL names another (check --deploy refuses the console backend).
MAILERS = mailers(env.email_url("EMAIL_URL", default="smtp://localhost:25"))
