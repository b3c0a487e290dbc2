from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0003_search"),
    ]

    operations = [
        migrations.AddField(
            model_name="section",
            name="comments_close_after_days",
            field=models.PositiveSmallIntegerField(
                blank=True,
                help_text="Days after publication when comments close by themselves; empty: never.",
                null=True,
                verbose_name="close comments after (days)",
            ),
        ),
    ]
