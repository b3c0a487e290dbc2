from django.db import migrations, models

KINDS = [
    ("assigned", "Assigned to you"),
    ("declined", "Assignment declined"),
    ("mentioned", "Mentioned in a note"),
    ("submitted", "Story submitted"),
    ("returned", "Story returned with a note"),
    ("approved", "Story approved"),
    ("scheduled", "Story scheduled"),
    ("published", "Story published"),
    ("corrected", "Story corrected"),
    ("unpublished", "Story taken down"),
    ("embargo_lifting", "Embargo lifting in an hour"),
    ("due_missed", "Due time missed"),
    ("claim_received", "Press-arbitration claim received"),
    ("claim_answer_due", "Press-arbitration claim: answer due"),
    ("claim_notice_due", "Press-arbitration claim: notice due"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0020_webhook_partner"),
    ]

    operations = [
        migrations.AlterField(
            model_name="notification",
            name="kind",
            field=models.CharField(choices=KINDS, max_length=20, verbose_name="kind"),
        ),
        migrations.AlterField(
            model_name="notificationpreference",
            name="kind",
            field=models.CharField(choices=KINDS, max_length=20, verbose_name="kind"),
        ),
    ]
