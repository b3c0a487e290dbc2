"""FrontChange takes the shared history shape (newsroom.models.HistoryEntry): every existing
row keeps its page, actor and time, and its story order before and after moves into `data`."""

from django.db import migrations, models


def orders_into_data(apps, schema_editor):
    FrontChange = apps.get_model("articles", "FrontChange")
    for change in FrontChange.objects.all().iterator():
        change.data = {"before": change.before, "after": change.after}
        change.save(update_fields=["data"])


def orders_out_of_data(apps, schema_editor):
    FrontChange = apps.get_model("articles", "FrontChange")
    for change in FrontChange.objects.all().iterator():
        change.before = change.data.get("before", [])
        change.after = change.data.get("after", [])
        change.save(update_fields=["before", "after"])


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0007_rename_sharelink_to_previewlink'),
    ]

    operations = [
        migrations.AddField(
            model_name='frontchange',
            name='action',
            field=models.CharField(default='curated', max_length=20, verbose_name='action'),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name='frontchange',
            name='from_status',
            field=models.CharField(blank=True, max_length=12, verbose_name='from'),
        ),
        migrations.AddField(
            model_name='frontchange',
            name='to_status',
            field=models.CharField(blank=True, max_length=12, verbose_name='to'),
        ),
        migrations.AddField(
            model_name='frontchange',
            name='note',
            field=models.TextField(blank=True, verbose_name='note'),
        ),
        migrations.AddField(
            model_name='frontchange',
            name='data',
            field=models.JSONField(blank=True, default=dict, verbose_name='details'),
        ),
        migrations.RunPython(orders_into_data, orders_out_of_data),
        migrations.RemoveField(model_name='frontchange', name='before'),
        migrations.RemoveField(model_name='frontchange', name='after'),
    ]
