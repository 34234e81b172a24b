"""Rebuild search documents from publications: ``rebuild_search_index [--tenant SLUG]``."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError

from guides.models import Tenant
from guides.search.indexing import index_tenant


class Command(BaseCommand):
    help = "Rebuild the search index from the published procedures, from scratch."

    def add_arguments(self, parser):
        parser.add_argument(
            "--tenant",
            action="append",
            dest="tenants",
            metavar="SLUG",
            help="Only this tenant (repeatable). Default: every tenant.",
        )

    def handle(self, *args, tenants=None, **options):
        # Every tenant, on purpose: this is the operator's rebuild.
        queryset = Tenant.objects.order_by("slug")
        if tenants:
            queryset = queryset.filter(slug__in=tenants)
            missing = sorted(
                set(tenants) - set(queryset.values_list("slug", flat=True))
            )
            if missing:
                raise CommandError(f"Unknown tenant(s): {', '.join(missing)}")
        total = 0
        started = time.perf_counter()
        for tenant in queryset:
            count = index_tenant(tenant)
            total += count
            if options["verbosity"] >= 2:
                self.stdout.write(f"{tenant.slug}: {count} documents")
        self.stdout.write(
            self.style.SUCCESS(
                f"Indexed {total} documents in {time.perf_counter() - started:.2f}s."
            )
        )
