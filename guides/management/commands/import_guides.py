"""Import how-to articles from Markdown or text files into one help center.

Exit status: 0 when every file imported, 1 when some files failed (the others
are imported and the report says why each failed), 2 for a usage error (an
unknown tenant, carrier, card type or language) before anything is read.
"""

import os

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from guides.importers import Source, import_sources
from guides.importers.sources import TEXT_SUFFIXES
from guides.models import CardType, Carrier, Tenant
from guides.tenancy import tenant_context

EXIT_FAILED_FILES = 1
EXIT_USAGE = 2


def collect_sources(paths: list[str]) -> list[Source]:
    """Return a source per file; a directory contributes its text files.

    Names are relative to the directory given (a file's own name otherwise),
    so the same files imported from another working directory, or uploaded
    in the admin, keep their source keys.
    """
    sources = []
    for path in paths:
        if os.path.isdir(path):
            for folder, _dirs, files in sorted(os.walk(path)):
                for filename in sorted(files):
                    if filename.lower().endswith(TEXT_SUFFIXES):
                        full = os.path.join(folder, filename)
                        name = os.path.relpath(full, path)
                        sources.append(Source.from_path(full, name=name))
        elif os.path.isfile(path):
            sources.append(Source.from_path(path, name=os.path.basename(path)))
        else:
            # Reported with the other failures, not fatal for the batch.
            sources.append(Source(name=os.path.basename(path) or path, path=path))
    return sources


class Command(BaseCommand):
    help = (
        "Import how-to articles from Markdown or text files (or folders of them). "
        "Safe to run again: the same file updates the same article."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "paths", nargs="+", metavar="PATH", help="Files or folders."
        )
        parser.add_argument("--tenant", required=True, help="Slug of the help center.")
        parser.add_argument("--carrier", help="Carrier slug (otherwise detected).")
        parser.add_argument("--card-type", help="Card type slug (otherwise detected).")
        parser.add_argument(
            "--language", help="Language of the files (default: the tenant's default)."
        )
        parser.add_argument(
            "--publish",
            action="store_true",
            help="Publish each article (one naming no carrier is for any carrier).",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Print the structure found and write nothing.",
        )

    def handle(self, *args, paths, tenant, carrier, card_type, language, **options):
        # Operators read this output: English, as in create_tenant.
        with translation.override("en"):
            tenant_obj = Tenant.objects.filter(slug=tenant).first()
            if tenant_obj is None:
                raise CommandError(
                    f"No tenant with slug {tenant!r}.", returncode=EXIT_USAGE
                )
            with tenant_context(tenant_obj):
                carrier_obj = self._lookup(Carrier, carrier, "carrier")
                card_type_obj = self._lookup(CardType, card_type, "card type")
            try:
                report = import_sources(
                    tenant=tenant_obj,
                    sources=collect_sources(paths),
                    carrier=carrier_obj,
                    card_type=card_type_obj,
                    language=language,
                    publish=options["publish"],
                    dry_run=options["dry_run"],
                )
            except ValidationError as exc:
                raise CommandError(
                    " ".join(exc.messages), returncode=EXIT_USAGE
                ) from None
            for line in report.lines():
                self.stdout.write(line)
            if options["dry_run"]:
                self.stdout.write("Dry run: nothing was written.")
            if report.failed:
                raise CommandError(
                    f"{len(report.failed)} of {len(report.files)} file(s) failed.",
                    returncode=EXIT_FAILED_FILES,
                )

    def _lookup(self, model, slug, label):
        if not slug:
            return None
        obj = model.objects.filter(slug=slug).first()
        if obj is None:
            raise CommandError(
                f"No {label} with slug {slug!r} in this help center.",
                returncode=EXIT_USAGE,
            )
        return obj
