"""accounts 0006: RoleChange and AccountEvent take the shared history shape and keep every
row made before, with its values; AccountEvents gain their actor, copied from the member."""

import pytest
from django.utils import timezone, translation

from accounts import names
from accounts.models import AccountEvent, RoleChange, User
from tests.migrations import migrate, to_the_latest

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]

BEFORE = [("accounts", "0005_manage_roles_permission")]
AFTER = [("accounts", "0006_history_entry_shape")]


def in_the_sites_language(label) -> str:
    with translation.override("ko"):
        return str(label)


def test_role_changes_and_account_events_made_before_keep_their_rows_and_values():
    old = migrate(BEFORE)
    old_users = old.get_model("accounts", "User").objects
    editor = old_users.create(email="editor@example.com", is_staff=True)
    old.get_model("accounts", "StaffProfile").objects.create(
        user=editor, byline_name="오세훈", slug="오세훈"
    )
    reader = old_users.create(email="reader@example.com", nickname="새이름")
    when = timezone.now() - timezone.timedelta(days=3)
    old_role_changes = old.get_model("accounts", "RoleChange").objects
    grant = old_role_changes.create(
        user=reader,
        user_email="reader@example.com",
        role="reporter",
        action="granted",
        actor=editor,
        actor_name="editor@example.com",
        note="수습 기자",
        created_at=when,
    )
    by_the_system = old_role_changes.create(
        user=reader,
        user_email="reader@example.com",
        role="account",
        action="deactivated",
        actor_name="system",
    )
    old_events = old.get_model("accounts", "AccountEvent").objects
    joined = old_events.create(
        user=reader,
        user_email="reader@example.com",
        action="joined",
        data={"nickname": "솔빛독자", "consents": {"terms": "2025-01"}},
        created_at=when,
    )
    renamed = old_events.create(
        user=reader,
        user_email="reader@example.com",
        action="nickname_changed",
        data={"old": "솔빛독자", "new": "새이름"},
    )
    profile = old_events.create(
        user=editor,
        user_email="editor@example.com",
        action="profile_changed",
        data={"title": ["기자", "부장"]},
    )
    deleted = old_events.create(
        user=None, user_email="", action="deleted", data={"email_sha256": "ab" * 32}
    )

    migrate(AFTER)
    to_the_latest()

    assert RoleChange.objects.count() == 2
    kept = RoleChange.objects.get(pk=grant.pk)
    assert (kept.user_id, kept.user_email, kept.role, kept.action) == (
        reader.pk,
        "reader@example.com",
        "reporter",
        "granted",
    )
    assert (kept.actor_id, kept.actor_name, kept.note, kept.created_at) == (
        editor.pk,
        "editor@example.com",
        "수습 기자",
        when,
    )
    assert (kept.from_status, kept.to_status, kept.data) == ("", "", {})
    assert kept.get_action_display() == in_the_sites_language(RoleChange.Action.GRANTED.label)
    system = RoleChange.objects.get(pk=by_the_system.pk)
    assert (system.actor_id, system.actor_name, system.action) == (None, "system", "deactivated")

    assert AccountEvent.objects.count() == 4
    rows = {event.pk: event for event in AccountEvent.objects.all()}
    # Each was made by the member: the actor is copied, under the name of the time.
    assert (rows[joined.pk].actor_id, rows[joined.pk].actor_name) == (reader.pk, "솔빛독자")
    assert (rows[renamed.pk].actor_id, rows[renamed.pk].actor_name) == (reader.pk, "새이름")
    assert (rows[profile.pk].actor_id, rows[profile.pk].actor_name) == (editor.pk, "오세훈")
    assert rows[joined.pk].data == {"nickname": "솔빛독자", "consents": {"terms": "2025-01"}}
    assert rows[joined.pk].created_at == when
    assert rows[profile.pk].data == {"title": ["기자", "부장"]}
    gone = rows[deleted.pk]
    assert (gone.user_id, gone.actor_id, gone.data) == (None, None, {"email_sha256": "ab" * 32})
    assert gone.actor_name == in_the_sites_language(names.FORMER_MEMBER)
    assert all("@" not in event.actor_name for event in rows.values())
    assert User.objects.get(pk=reader.pk).nickname == "새이름"


def test_going_back_keeps_the_rows_and_is_refused_once_new_actions_exist():
    to_the_latest()
    reader = User.objects.create_user("reader@example.com")
    change = RoleChange.objects.create(
        user=reader,
        user_email=reader.email,
        role="reporter",
        action="granted",
        actor_name="system",
        note="다시",
    )

    old = migrate(BEFORE)

    kept = old.get_model("accounts", "RoleChange").objects.get(pk=change.pk)
    assert (kept.action, kept.note, kept.actor_name) == ("granted", "다시", "system")

    to_the_latest()
    RoleChange.objects.create(
        user=reader,
        user_email=reader.email,
        role="moderator",
        action=RoleChange.Action.SECTIONS_CHANGED,
        actor_name="system",
    )
    with pytest.raises(RuntimeError, match="sections_changed"):
        migrate(BEFORE)
    to_the_latest()
    assert RoleChange.objects.count() == 2
