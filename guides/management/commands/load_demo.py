from django.core.management.base import BaseCommand

from guides.demo import data
from guides.demo.loader import load_demo


class Command(BaseCommand):
    help = "Load the two demo help centers. Running it again changes nothing."

    def handle(self, *args, **options):
        created = load_demo()
        for spec in data.TENANTS:
            slug = spec["slug"]
            hosts = ", ".join(f"http://{h}:8000/" for h in spec["domains"])
            self.stdout.write(
                f"{spec['name']} ({slug}): {created.get(slug, 0)} new articles; site {hosts}"
            )
            for role in ("editor", "reviewer", "manager"):
                user = spec[role]
                self.stdout.write(
                    f"  {role} login: {user['username']} / {user['password']} "
                    f"at http://{spec['domains'][0]}:8000/admin/"
                )
