"""Generation numbers: the part of a cache key that changes with the data."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Generation(models.Model):
    """A number that changes whenever the data it names changes.

    Caches put it in their keys (``guides.cache.generations``). It is stored
    here, not in the cache, so that it changes in the transaction of the
    write it follows and is the same for every process: a page cached by one
    worker, a lost cache flush or a flushed cache can never bring old data
    back. Not tenant-owned: it names what it counts (``content:12``,
    ``tenancy``), and a tenant's row outlives the tenant, so a reused id
    never meets its predecessor's numbers.
    """

    name = models.CharField(_("name"), max_length=100, primary_key=True)
    value = models.BigIntegerField(_("value"), default=0)

    class Meta:
        ordering = ["name"]
        verbose_name = _("cache generation")
        verbose_name_plural = _("cache generations")

    def __str__(self) -> str:
        return f"{self.name}: {self.value}"
