"""The search backend comes from HELPCENTER_SEARCH_BACKENDS and nowhere else."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from guides.search.backends import get_search_backend


def test_without_the_setting_no_backend_is_guessed(settings):
    del settings.HELPCENTER_SEARCH_BACKENDS
    with pytest.raises(ImproperlyConfigured, match="has none"):
        get_search_backend()
