"""RoleChange and AccountEvent take the shared shape of a history row
(newsroom.models.HistoryEntry). Every row stays, with its values:

- RoleChange gains the empty `from_status`, `to_status` and `data`; its `action` column
  widens to 20 characters and its `note` becomes a text column (same values).
- AccountEvent gains an actor. Its rows so far were each made by the member themselves
  (joining, a nickname or staff profile change, leaving), so the actor is copied from the
  row's user, with the name they went by (the byline or the nickname, never the e-mail).
  Rows of deleted accounts keep no name: "Former member".

Going back drops the new columns. It is refused once a role change uses an action too
long for the old column (the moderators' sections, which came with this shape).
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.db.models.functions import Length
from django.utils import translation

BATCH = 500


def copy_actors(apps, schema_editor):
    AccountEvent = apps.get_model("accounts", "AccountEvent")
    StaffProfile = apps.get_model("accounts", "StaffProfile")
    # The labels accounts.names.display_name stores, in the site's language.
    with translation.override(settings.LANGUAGE_CODE):
        former = translation.gettext("Former member")
        unnamed = translation.gettext("Unnamed member")
    bylines = dict(StaffProfile.objects.values_list("user_id", "byline_name"))
    batch = []
    events = AccountEvent.objects.using(schema_editor.connection.alias).select_related("user")
    for event in events.order_by("pk").iterator(chunk_size=BATCH):
        user = event.user
        if user is None:
            event.actor_id, event.actor_name = None, former
        else:
            event.actor_id, event.actor_name = user.pk, _name(event, user, bylines, unnamed)
        batch.append(event)
        if len(batch) == BATCH:
            AccountEvent.objects.bulk_update(batch, ["actor", "actor_name"])
            batch = []
    if batch:
        AccountEvent.objects.bulk_update(batch, ["actor", "actor_name"])


def _name(event, user, bylines: dict, unnamed: str) -> str:
    # As accounts.names.display_name decides it, with the nickname of the time where the
    # row holds it.
    byline = bylines.get(user.pk, "")
    if byline and (user.is_staff or not user.nickname):
        return byline
    data = event.data if isinstance(event.data, dict) else {}
    if event.action == "joined" and data.get("nickname"):
        return data["nickname"]
    if event.action == "nickname_changed" and data.get("new"):
        return data["new"]
    return user.nickname or unnamed


def refuse_new_actions(apps, schema_editor):
    RoleChange = apps.get_model("accounts", "RoleChange")
    too_long = RoleChange.objects.alias(length=Length("action")).filter(length__gt=12)
    if too_long.exists():
        raise RuntimeError(
            f"{too_long.count()} role changes use actions the old shape cannot hold "
            f"({', '.join(sorted(set(too_long.values_list('action', flat=True))))}): "
            "delete them first if going back is really meant."
        )


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0005_manage_roles_permission'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # RoleChange
        migrations.AlterField(
            model_name='rolechange',
            name='action',
            field=models.CharField(max_length=20, verbose_name='action'),
        ),
        migrations.AlterField(
            model_name='rolechange',
            name='actor',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AlterField(
            model_name='rolechange',
            name='note',
            field=models.TextField(blank=True, verbose_name='note'),
        ),
        migrations.AddField(
            model_name='rolechange',
            name='from_status',
            field=models.CharField(blank=True, max_length=12, verbose_name='from'),
        ),
        migrations.AddField(
            model_name='rolechange',
            name='to_status',
            field=models.CharField(blank=True, max_length=12, verbose_name='to'),
        ),
        migrations.AddField(
            model_name='rolechange',
            name='data',
            field=models.JSONField(blank=True, default=dict, verbose_name='details'),
        ),
        # AccountEvent
        migrations.AlterField(
            model_name='accountevent',
            name='action',
            field=models.CharField(max_length=20, verbose_name='action'),
        ),
        migrations.AddField(
            model_name='accountevent',
            name='actor',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='accountevent',
            name='actor_name',
            field=models.CharField(default='', max_length=254, verbose_name='by'),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name='accountevent',
            name='from_status',
            field=models.CharField(blank=True, max_length=12, verbose_name='from'),
        ),
        migrations.AddField(
            model_name='accountevent',
            name='to_status',
            field=models.CharField(blank=True, max_length=12, verbose_name='to'),
        ),
        migrations.AddField(
            model_name='accountevent',
            name='note',
            field=models.TextField(blank=True, verbose_name='note'),
        ),
        migrations.RunPython(copy_actors, migrations.RunPython.noop),
        # Last, so that going back checks first.
        migrations.RunPython(migrations.RunPython.noop, refuse_new_actions),
    ]
