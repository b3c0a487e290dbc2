from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0007_attempts"),
    ]

    operations = [
        migrations.AlterField(
            model_name="attempt",
            name="kind",
            field=models.CharField(
                choices=[
                    ("log_in_failed", "Failed log-in"),
                    ("sign_up", "Sign-up"),
                    ("subscribe", "Request to subscribe"),
                    ("verification_mail", "Verification e-mail"),
                    ("newsletter_mail", "Newsletter confirmation e-mail"),
                ],
                max_length=20,
                verbose_name="kind",
            ),
        ),
    ]
