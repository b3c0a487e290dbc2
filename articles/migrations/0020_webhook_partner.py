import django.db.models.deletion
from django.db import migrations, models


def _name_key(name: str) -> str:
    return " ".join(name.split()).casefold()


def link_endpoints_to_partners(apps, schema_editor):
    """An endpoint registered before partners owned endpoints goes to the partner of the
    same name (spaces and case aside). No other guess is made: one partner's deliveries
    sent to another's address would be a leak, and a made-up partner an account nobody
    holds. The endpoints left unmatched keep no partner (the field is nullable for them)
    and are delivered as before, until an administrator assigns them in the admin."""
    Partner = apps.get_model("articles", "Partner")
    WebhookEndpoint = apps.get_model("articles", "WebhookEndpoint")
    by_name: dict[str, list[int]] = {}
    for partner_id, name in Partner.objects.values_list("pk", "name"):
        by_name.setdefault(_name_key(name), []).append(partner_id)
    for endpoint in WebhookEndpoint.objects.filter(partner__isnull=True).only("pk", "name"):
        found = by_name.get(_name_key(endpoint.name), [])
        # Partner names are unique, but two may differ only in case or spacing: no guess.
        if len(found) == 1:
            WebhookEndpoint.objects.filter(pk=endpoint.pk).update(partner_id=found[0])


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0019_newsletters"),
    ]

    operations = [
        migrations.AddField(
            model_name="webhookendpoint",
            name="partner",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="webhook_endpoints",
                to="articles.partner",
                verbose_name="API partner",
            ),
        ),
        # Going back drops the column, and the links with it: nothing to undo.
        migrations.RunPython(link_endpoints_to_partners, migrations.RunPython.noop),
    ]
