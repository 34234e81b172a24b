"""Error reports to Sentry (sentry-sdk), when ``SENTRY_DSN`` is set."""

from __future__ import annotations


def init_sentry(*, dsn: str, environment: str, traces_sample_rate: float) -> None:
    """Start sentry-sdk with its Django integration, sending no personal data.

    ``send_default_pii=False`` keeps user ids, cookies, addresses and request
    bodies out of the reports: readers' addresses are never stored in clear
    here (feedback keeps a salted hash), and reports must not undo that.
    """
    import sentry_sdk
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        traces_sample_rate=traces_sample_rate,
        send_default_pii=False,
        integrations=[DjangoIntegration()],
    )
