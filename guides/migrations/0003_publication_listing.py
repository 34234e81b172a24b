"""Add ``Publication.listing``: per language, the title and summary listings show."""

from django.db import migrations, models


def fill_listing(apps, schema_editor):
    Publication = apps.get_model("guides", "Publication")
    for publication in Publication.objects.all().only("pk", "content").iterator():
        listing = {
            language: {
                "title": snapshot.get("title", ""),
                "summary": snapshot.get("summary", ""),
            }
            for language, snapshot in (publication.content or {}).items()
        }
        Publication.objects.filter(pk=publication.pk).update(listing=listing)


class Migration(migrations.Migration):
    dependencies = [("guides", "0002_search_index")]

    operations = [
        migrations.AddField(
            model_name="publication",
            name="listing",
            field=models.JSONField(
                default=dict,
                help_text="Per language, the title and summary that listings show.",
                verbose_name="listing",
            ),
        ),
        migrations.RunPython(fill_listing, migrations.RunPython.noop),
    ]
