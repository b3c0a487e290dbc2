"""ShareLink becomes PreviewLink: "share" now means only the social networks. A rename, so
every link already handed out keeps working (same rows, same ids, same signatures)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0006_share_fanout'),
    ]

    operations = [
        migrations.RenameModel(old_name='ShareLink', new_name='PreviewLink'),
        migrations.AlterModelOptions(
            name='previewlink',
            options={
                'ordering': ['-created_at', '-pk'],
                'verbose_name': 'preview link',
                'verbose_name_plural': 'preview links',
            },
        ),
        migrations.AlterField(
            model_name='previewlink',
            name='article',
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name='preview_links',
                to='articles.article',
            ),
        ),
        migrations.RenameIndex(
            model_name='previewlink',
            new_name='previewlink_article_idx',
            old_name='sharelink_article_idx',
        ),
    ]
