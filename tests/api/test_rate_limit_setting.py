"""HELPCENTER_API_RATE_LIMIT: a documented setting read from the environment."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from guides.api.http import RATE_LIMIT
from helpcenter.settings.base import rate_limit


def test_the_default_is_the_documented_one():
    assert settings.HELPCENTER_API_RATE_LIMIT == (300, 60) == RATE_LIMIT


def test_the_environment_value_reads_requests_per_seconds():
    assert rate_limit("1000/3600") == (1000, 3600)


@pytest.mark.parametrize("value", ["", "300", "300/", "a/60", "0/60", "300/0", "1/2/3"])
def test_a_malformed_value_stops_the_start(value):
    with pytest.raises(ImproperlyConfigured):
        rate_limit(value)
