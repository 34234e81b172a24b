"""Purges owed to the cache tier in front of the app (``guides.frontcache``)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class FrontendPurge(models.Model):
    """Surrogate keys to purge from every front-end cache: an outbox row.

    Written in the transaction of the write it follows, so it commits (or
    rolls back) with the data and no crash between the commit and the purge
    can lose it; deleted once every configured cache confirmed the purge.
    Not tenant-owned: its keys name their tenant (``t12-a345``), and a
    purge must outlive a deleted tenant.
    """

    keys = models.JSONField(_("surrogate keys"), default=list)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    due_at = models.DateTimeField(_("due at"), default=timezone.now, db_index=True)
    sends_left = models.PositiveSmallIntegerField(_("sends left"), default=2)
    attempts = models.PositiveIntegerField(_("failed attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True, default="")

    class Meta:
        ordering = ["due_at", "id"]
        verbose_name = _("front-end cache purge")
        verbose_name_plural = _("front-end cache purges")

    def __str__(self) -> str:
        return " ".join(self.keys)
