"""Generations in the database (guides.cache.generations), languages read late."""

from django.db import migrations, models

import guides.models.tenants


class Migration(migrations.Migration):
    dependencies = [
        ("guides", "0005_catalog_updated_at"),
    ]

    operations = [
        migrations.CreateModel(
            name="Generation",
            fields=[
                (
                    "name",
                    models.CharField(
                        max_length=100,
                        primary_key=True,
                        serialize=False,
                        verbose_name="name",
                    ),
                ),
                ("value", models.BigIntegerField(default=0, verbose_name="value")),
            ],
            options={
                "verbose_name": "cache generation",
                "verbose_name_plural": "cache generations",
                "ordering": ["name"],
            },
        ),
        migrations.AlterField(
            model_name="tenant",
            name="default_language",
            field=models.CharField(
                choices=guides.models.tenants.language_choices,
                default="zh-hans",
                max_length=10,
                verbose_name="default language",
            ),
        ),
    ]
