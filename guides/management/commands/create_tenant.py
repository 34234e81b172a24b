from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from guides.models.tenants import language_codes
from guides.services import tenant_create


class Command(BaseCommand):
    help = (
        "Create a tenant (help center) with its host names. Safe to run again. "
        "The operator grants the hosts: they are verified and serve at once "
        "(a manager's new host waits for a proof of ownership)."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug", help="Short unique name, e.g. acme.")
        parser.add_argument(
            "--name", required=True, help="Display name of the help center."
        )
        parser.add_argument(
            "--domain",
            action="append",
            required=True,
            dest="domains",
            metavar="HOST",
            help="A host name that serves it; repeat for several. The first is primary.",
        )
        parser.add_argument(
            "--languages",
            default="zh-hans,en",
            help=f"Comma-separated language codes, default first ({', '.join(language_codes())}).",
        )

    def handle(self, *args, slug, name, domains, languages, **options):
        codes = [code.strip() for code in languages.split(",") if code.strip()]
        try:
            # Operators read this output: report validation errors in English.
            with translation.override("en"):
                tenant, created = tenant_create(
                    slug=slug, name=name, hosts=domains, languages=codes
                )
        except ValidationError as exc:
            with translation.override("en"):
                raise CommandError(" ".join(exc.messages)) from None
        verb = "Created" if created else "Already exists:"
        hosts = ", ".join(tenant.domains.values_list("host", flat=True))
        self.stdout.write(self.style.SUCCESS(f"{verb} tenant {tenant.slug} ({hosts})"))
