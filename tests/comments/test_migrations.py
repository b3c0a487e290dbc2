"""The comments app's migrations keep what moderators chose: issue 21's starter-list changes
reach a site that loaded the list before them, and leave alone what its moderators edited."""

import pytest

from comments.models import WordRule
from tests.migrations import migrate, to_the_latest

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]

BEFORE_TUNING = [("comments", "0004_refused_comments")]


def test_a_site_that_loaded_the_starter_list_gets_the_tuned_entries():
    old = migrate(BEFORE_TUNING)
    rules = old.get_model("comments", "WordRule")
    # The list as 0003 loaded it (an earlier test's flush may have emptied the table).
    rules.objects.update_or_create(word="시바", kind="suspect", defaults={"whole_word": False})
    rules.objects.filter(word__in=["시발자동차", "등신대", "등신불"]).delete()

    to_the_latest()

    assert WordRule.objects.get(word="시바", kind="suspect").whole_word
    added = WordRule.objects.filter(kind="exception", word__in=["시발자동차", "등신대", "등신불"])
    assert added.count() == 3


def test_entries_the_moderators_changed_stay_as_they_left_them():
    old = migrate(BEFORE_TUNING)
    rules = old.get_model("comments", "WordRule")
    rules.objects.filter(word="시바", kind="suspect").delete()
    rules.objects.create(word="시바", kind="banned", whole_word=False)

    to_the_latest()

    assert list(WordRule.objects.filter(word="시바").values_list("kind", "whole_word")) == [
        ("banned", False)
    ]
