"""The starter list as issue 21 tuned it, for sites that already loaded it (0003): 시바 is
suspect only as a word of its own, and five ordinary words join the exceptions. A site whose
moderators changed or removed these entries keeps what they chose: only a 시바 still as
0003 left it is changed, and an exception is only added where the word is not listed."""

from django.db import migrations

ADDED_EXCEPTIONS = ["시발자동차", "목을졸라", "목졸라", "등신대", "등신불"]


def forward(apps, schema_editor):
    WordRule = apps.get_model("comments", "WordRule")
    WordRule.objects.filter(word="시바", kind="suspect", whole_word=False).update(whole_word=True)
    for word in ADDED_EXCEPTIONS:
        WordRule.objects.get_or_create(word=word, kind="exception")


class Migration(migrations.Migration):
    dependencies = [("comments", "0004_refused_comments")]

    # Backward leaves the list alone: moderators may have come to rely on these entries.
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
