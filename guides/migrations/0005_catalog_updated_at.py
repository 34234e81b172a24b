"""Record when carriers, channels and card types last changed.

The sitemap gives a carrier's and a card type's page a lastmod: the newest of
the row's own change, its channels' and its published procedures'. Existing
rows get the migration's time. The default is one constant, so PostgreSQL
adds each column without rewriting the table.
"""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('guides', '0004_scoped_search_tokens'),
    ]

    operations = [
        migrations.AddField(
            model_name='cardtype',
            name='updated_at',
            field=models.DateTimeField(auto_now=True, verbose_name='updated'),
        ),
        migrations.AddField(
            model_name='carrier',
            name='updated_at',
            field=models.DateTimeField(auto_now=True, verbose_name='updated'),
        ),
        migrations.AddField(
            model_name='channel',
            name='updated_at',
            field=models.DateTimeField(auto_now=True, verbose_name='updated'),
        ),
    ]
