"""PhotoEvent takes the shared shape of a history row (newsroom.models.HistoryEntry).
Every row stays, with its values: `changes` is renamed `data` (same column contents), the
`action` column widens to 20 characters, and the empty `from_status`, `to_status` and
`note` are added. Reversible: going back renames `data` to `changes` again."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('media', '0001_initial'),
    ]

    operations = [
        migrations.RenameField(model_name='photoevent', old_name='changes', new_name='data'),
        migrations.AlterField(
            model_name='photoevent',
            name='data',
            field=models.JSONField(blank=True, default=dict, verbose_name='details'),
        ),
        migrations.AlterField(
            model_name='photoevent',
            name='action',
            field=models.CharField(max_length=20, verbose_name='action'),
        ),
        migrations.AddField(
            model_name='photoevent',
            name='from_status',
            field=models.CharField(blank=True, max_length=12, verbose_name='from'),
        ),
        migrations.AddField(
            model_name='photoevent',
            name='to_status',
            field=models.CharField(blank=True, max_length=12, verbose_name='to'),
        ),
        migrations.AddField(
            model_name='photoevent',
            name='note',
            field=models.TextField(blank=True, verbose_name='note'),
        ),
    ]
