"""Settings for the test suite: base, with fast password hashing."""

from .base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# The login lockout (django-axes) is off by default here: the test client's
# login() authenticates without a request, which axes refuses, and tests
# that try wrong passwords must not lock each other out. The tests of the
# lockout turn it on (tests/public/test_hardening.py).
AXES_ENABLED = False
