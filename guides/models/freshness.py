"""Review reminders: which member was reminded of what, on which day."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from guides.tenancy import TenantOwned


class ReviewReminder(TenantOwned):
    """One reminder e-mail sent to one member of a tenant on one day.

    The row makes ``send_review_reminders`` idempotent per day: it is
    written in the transaction that sends the e-mail, and the unique
    constraint refuses a second one for the same member and day (a second
    run, or a concurrent one, sends nothing).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("user"),
    )
    sent_on = models.DateField(_("day"))
    sent_at = models.DateTimeField(_("sent"), auto_now_add=True)
    stale_count = models.PositiveIntegerField(_("stale procedures"), default=0)
    waiting_count = models.PositiveIntegerField(_("waiting for review"), default=0)

    class Meta:
        ordering = ["-sent_on", "id"]
        verbose_name = _("review reminder")
        verbose_name_plural = _("review reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "user", "sent_on"],
                name="guides_reviewreminder_once_a_day",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.tenant_id} {self.sent_on}"
