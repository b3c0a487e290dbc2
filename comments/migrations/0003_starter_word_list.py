from django.db import migrations


def load(apps, schema_editor):
    from comments.starter_words import STARTER

    WordRule = apps.get_model("comments", "WordRule")
    for word, kind, whole_word in STARTER:
        WordRule.objects.get_or_create(word=word, kind=kind, defaults={"whole_word": whole_word})


class Migration(migrations.Migration):
    dependencies = [("comments", "0002_moderation_desk")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
