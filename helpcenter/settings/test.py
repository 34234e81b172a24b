"""Settings for the test suite: base, with fast password hashing."""

from .base import *  # noqa: F403
from .base import STORAGES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# The login lockout (django-axes) is off by default here: the test client's
# login() authenticates without a request, which axes refuses, and tests
# that try wrong passwords must not lock each other out. The tests of the
# lockout turn it on (tests/public/test_hardening.py).
AXES_ENABLED = False

# Static files under their plain names, without a manifest: the suite runs in
# fresh checkouts and CI without a collectstatic build, where the manifest
# storage of base would refuse every page (a missing manifest entry is an
# error with DEBUG off), and a test must not depend on what var/static holds
# from another branch. The manifest storage itself (hashed names, compressed
# copies, a year's immutable caching) is tested with a collectstatic into a
# temporary folder (tests/cache/test_static_files.py).
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
