"""A site's own settings module (built on base), for the start-up tests."""

from helpcenter.settings.base import *  # noqa: F403
