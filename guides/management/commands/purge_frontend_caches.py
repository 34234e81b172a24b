"""Send the purges owed to the cache tier: ``purge_frontend_caches``, from cron.

Writes leave their purges in an outbox (``guides.frontcache.outbox``) and
send them once they commit; this command sends whatever is still due (a
purge that failed and waits for its retry, or one whose process died), and
can purge a whole help center or given keys by hand.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from guides.cache import surrogate
from guides.frontcache import outbox
from guides.frontcache.backends import is_enabled, key_tenant
from guides.models import FrontendPurge, Tenant


class Command(BaseCommand):
    help = (
        "Send the front-end cache purges that are due (HELPCENTER_FRONTEND_CACHES). "
        "Safe to run every minute, also while another run is going."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--now",
            action="store_true",
            help="Send every owed purge now, also those waiting for their retry.",
        )
        parser.add_argument(
            "--tenant", metavar="SLUG", help="Purge every page of this help center."
        )
        parser.add_argument(
            "--keys", nargs="+", metavar="KEY", help="Purge these surrogate keys."
        )

    def handle(self, *args, now=False, tenant=None, keys=None, **options):
        if not is_enabled():
            raise CommandError("HELPCENTER_FRONTEND_CACHES is empty: nothing to purge.")
        owed = []
        if tenant:
            found = Tenant.objects.filter(slug=tenant).first()
            if found is None:
                raise CommandError(f"Unknown tenant: {tenant}")
            owed.append(surrogate.tenant_key(found.pk))
        if keys:
            bad = [key for key in keys if not key_tenant(key) is not None]
            if bad:
                raise CommandError(
                    f"Not a tenant's surrogate key (t<id> or t<id>-...): {' '.join(bad)}"
                )
            owed += keys
        if owed:
            with transaction.atomic():
                FrontendPurge.objects.create(keys=owed, sends_left=1)
        if now:
            # Everything owed goes out now, once: its repeats guard against
            # a write racing the caches, which an operator's purge is not.
            FrontendPurge.objects.update(due_at=timezone.now(), sends_left=1)
        sent, failed = 0, []
        while True:
            result = outbox.drain()
            sent += len(result.sent)
            failed += result.errors
            if not result.sent:
                break
        waiting = FrontendPurge.objects.count()
        self.stdout.write(f"Purged {sent} keys; {waiting} purges still owed.")
        if failed:
            raise CommandError(
                "Some purges failed and will be retried:\n" + "\n".join(failed)
            )
