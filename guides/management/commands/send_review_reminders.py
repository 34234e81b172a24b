"""Mail each help center's members what is due for verification or review."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from guides.models import Tenant
from guides.services.freshness import review_reminders_send
from guides.tenancy import tenant_context


class Command(BaseCommand):
    help = (
        "Mail each help center's members their procedures due for verification "
        "and waiting for review, in the help center's language. Run it daily "
        "(cron): a member gets at most one reminder a day, so running it again "
        "the same day sends nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--tenant", help="Only this help center (its slug); default: every one."
        )
        parser.add_argument(
            "--scheme",
            default="https",
            choices=("https", "http"),
            help="Scheme of the admin links (default https).",
        )
        parser.add_argument(
            "--port", type=int, help="Port of the admin links (default: none)."
        )

    def handle(self, *args, tenant=None, scheme="https", port=None, **options):
        tenants = Tenant.objects.order_by("slug")
        if tenant:
            tenants = tenants.filter(slug=tenant)
            if not tenants.exists():
                raise CommandError(f"No help center with the slug {tenant!r}.")
        total = 0
        for each in tenants:
            with tenant_context(each):
                sent = review_reminders_send(tenant=each, scheme=scheme, port=port)
            total += len(sent)
            self.stdout.write(f"{each.slug}: {len(sent)} reminder(s) sent")
        self.stdout.write(f"{total} reminder(s) sent in all")
