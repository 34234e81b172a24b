"""Carry out scheduled publishing: ``publish_due [--tenant SLUG]``, from cron."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from guides import services
from guides.models import Tenant


class Command(BaseCommand):
    help = (
        "Publish and unpublish every article whose scheduled time has come. "
        "Idempotent and safe to run every minute, also while another run is going."
    )

    def add_arguments(self, parser):
        parser.add_argument("--tenant", metavar="SLUG", help="Only this help center.")

    def handle(self, *args, tenant=None, **options):
        only = None
        if tenant:
            only = Tenant.objects.filter(slug=tenant).first()
            if only is None:
                raise CommandError(f"Unknown tenant: {tenant}")
        done = services.publish_due(tenant=only)
        self.stdout.write(
            f"Published {len(done['published'])}, unpublished {len(done['unpublished'])}, "
            f"could not publish {len(done['failed'])}."
        )
        for pk in done["failed"]:
            self.stderr.write(
                f"Article {pk} could not be published (no steps or no title in the "
                "default language); its schedule was cleared."
            )
