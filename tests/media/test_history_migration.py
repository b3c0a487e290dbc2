"""media 0002: PhotoEvent takes the shared history shape; its rows and their details (the
former `changes`, now `data`) stay, and going back gives them back."""

import pytest
from django.utils import timezone

from media.models import PhotoEvent
from tests.migrations import migrate, to_the_latest

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]

BEFORE = [("media", "0001_initial")]
AFTER = [("media", "0002_history_entry_shape")]
EDIT = {"caption": {"old": "", "new": "반도체 공장 ▲"}, "tags": {"old": [], "new": ["반도체"]}}


def test_photo_events_made_before_keep_their_rows_and_details_both_ways():
    old = migrate(BEFORE)
    reporter = old.get_model("accounts", "User").objects.create(email="reporter@example.com")
    photo = old.get_model("media", "Photo").objects.create(
        original="originals/ab/ab.jpg",
        content_hash="ab" * 32,
        format="JPEG",
        width=1600,
        height=1200,
        byte_size=250_000,
    )
    when = timezone.now() - timezone.timedelta(days=1)
    old_events = old.get_model("media", "PhotoEvent").objects
    edited = old_events.create(
        photo=photo,
        photo_hash=photo.content_hash,
        action="edited",
        actor=reporter,
        actor_name="reporter@example.com",
        changes=EDIT,
        created_at=when,
    )
    rendered = old_events.create(
        photo=None,
        photo_hash="cd" * 32,
        action="rendered",
        actor_name="system",
        changes={"made": ["w640.webp"]},
    )

    migrate(AFTER)
    to_the_latest()

    assert PhotoEvent.objects.count() == 2
    kept = PhotoEvent.objects.get(pk=edited.pk)
    assert (kept.photo_id, kept.photo_hash, kept.action, kept.created_at) == (
        photo.pk,
        "ab" * 32,
        "edited",
        when,
    )
    assert (kept.actor_id, kept.actor_name) == (reporter.pk, "reporter@example.com")
    assert kept.data == EDIT
    assert kept.changes == EDIT
    assert (kept.from_status, kept.to_status, kept.note) == ("", "", "")
    assert kept.get_action_display() == PhotoEvent.Action.EDITED.label
    other = PhotoEvent.objects.get(pk=rendered.pk)
    assert (other.photo_id, other.actor_id, other.data) == (None, None, {"made": ["w640.webp"]})

    back = migrate(BEFORE)

    assert back.get_model("media", "PhotoEvent").objects.get(pk=edited.pk).changes == EDIT
    to_the_latest()
