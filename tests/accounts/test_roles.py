"""accounts.roles: granting and revoking roles, the role groups and the history of changes."""

import pytest
from django.contrib.auth.models import AnonymousUser, Group, Permission
from django.core.exceptions import PermissionDenied

from accounts import roles
from accounts.errors import NotAllowed
from accounts.models import RoleChange, StaffProfile, User
from accounts.roles import ROLE_PERMISSIONS, Role
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

Action = RoleChange.Action


def fresh(user: User) -> User:
    """The user as a new request would load it (no cached roles)."""
    return User.objects.get(pk=user.pk)


def group_permissions(role: str) -> set[str]:
    return {
        f"{app_label}.{codename}"
        for app_label, codename in Group.objects.get(name=role).permissions.values_list(
            "content_type__app_label", "codename"
        )
    }


# --- grant_role -----------------------------------------------------------------------------


def test_granting_a_role_by_the_system_writes_one_history_row(reader):
    granted = roles.grant_role(reader, Role.REPORTER, actor=None, note="hired")

    assert granted is True
    change = RoleChange.objects.get()
    assert change.user == reader
    assert change.user_email == "reader@example.com"
    assert change.role == Role.REPORTER
    assert change.action == Action.GRANTED
    assert change.actor is None
    assert change.actor_name == "system"
    assert change.note == "hired"


def test_granting_a_role_opens_the_admin_and_creates_a_staff_profile(reader):
    assert not StaffProfile.objects.filter(user=reader).exists()

    roles.grant_role(reader, Role.REPORTER, actor=None)

    user = fresh(reader)
    assert user.is_staff is True
    assert roles.roles_of(user) == {Role.REPORTER}
    profile = StaffProfile.objects.get(user=user)
    # Without a byline name the profile starts from the address's local part.
    assert profile.byline_name == "reader"
    assert profile.public_email == "reader@example.com"


def test_granting_a_role_keeps_an_existing_staff_profile(reader):
    profile = roles.ensure_staff_profile(reader, byline_name="김하늘")

    roles.grant_role(reader, Role.REPORTER, actor=None)

    assert StaffProfile.objects.get(user=reader) == profile
    assert StaffProfile.objects.get(user=reader).byline_name == "김하늘"


def test_granting_by_a_superuser_records_the_superuser_as_actor(reader, superuser):
    assert roles.grant_role(reader, Role.EDITOR, actor=superuser) is True

    change = RoleChange.objects.get()
    assert change.actor == superuser
    assert change.actor_name == "admin@example.com"
    assert roles.roles_of(fresh(reader)) == {Role.EDITOR}


def test_granting_a_role_the_user_already_has_returns_false_and_writes_nothing(reporter):
    before = RoleChange.objects.count()

    assert roles.grant_role(reporter, Role.REPORTER, actor=None) is False

    assert RoleChange.objects.count() == before
    assert roles.roles_of(fresh(reporter)) == {Role.REPORTER}


def test_granting_a_second_role_keeps_the_first(reporter):
    assert roles.grant_role(reporter, Role.MODERATOR, actor=None) is True

    assert roles.roles_of(fresh(reporter)) == {Role.REPORTER, Role.MODERATOR}
    assert RoleChange.objects.filter(user=reporter).count() == 2
    assert StaffProfile.objects.filter(user=reporter).count() == 1


def test_granted_role_is_seen_at_once_by_the_same_user_object(reader):
    assert roles.roles_of(reader) == frozenset()

    roles.grant_role(reader, Role.REPORTER, actor=None)

    # roles_of caches per user object; a change must not leave that cache stale.
    assert roles.roles_of(reader) == {Role.REPORTER}


@pytest.mark.parametrize("actor_name", ["reporter", "moderator", "reader"])
def test_user_without_the_right_to_manage_roles_may_not_grant_them(
    request, other_reporter, actor_name
):
    actor = request.getfixturevalue(actor_name)
    before = RoleChange.objects.count()

    with pytest.raises(NotAllowed):
        roles.grant_role(other_reporter, Role.EDITOR, actor=actor)

    assert RoleChange.objects.count() == before
    assert roles.roles_of(fresh(other_reporter)) == {Role.REPORTER}


def test_refusal_to_grant_is_a_permission_denied(moderator, reader):
    with pytest.raises(PermissionDenied):
        roles.grant_role(reader, Role.REPORTER, actor=moderator)

    user = fresh(reader)
    assert user.is_staff is False
    assert roles.roles_of(user) == frozenset()
    assert not StaffProfile.objects.filter(user=user).exists()


def test_editor_grants_a_role_and_is_recorded_as_actor(editor, reader):
    assert roles.grant_role(reader, Role.REPORTER, actor=editor, note="new hire") is True

    change = RoleChange.objects.filter(user=reader).get()
    assert (change.action, change.role, change.actor) == (Action.GRANTED, Role.REPORTER, editor)
    assert change.actor_name == "editor@example.com"
    assert change.note == "new hire"
    assert roles.roles_of(fresh(reader)) == {Role.REPORTER}


def test_editor_may_make_another_account_an_editor(editor, reporter):
    assert roles.grant_role(reporter, Role.EDITOR, actor=editor) is True

    assert roles.roles_of(fresh(reporter)) == {Role.REPORTER, Role.EDITOR}


def test_can_manage_roles_follows_the_role_permission_and_superuser_status(
    reporter, editor, moderator, reader, superuser
):
    assert roles.can_manage_roles(None) is True
    assert roles.can_manage_roles(superuser) is True
    assert roles.can_manage_roles(editor) is True
    assert roles.can_manage_roles(reporter) is False
    assert roles.can_manage_roles(moderator) is False
    assert roles.can_manage_roles(reader) is False


def test_deactivated_editor_may_not_grant_roles(editor, reader):
    editor.is_active = False
    editor.save(update_fields=["is_active"])

    with pytest.raises(NotAllowed):
        roles.grant_role(reader, Role.REPORTER, actor=fresh(editor))

    assert not RoleChange.objects.filter(user=reader).exists()


def test_editor_whose_role_was_revoked_may_no_longer_grant_roles(editor, reader):
    other_editor = UserFactory(email="editor2@example.com")
    roles.grant_role(other_editor, Role.EDITOR, actor=None)
    roles.revoke_role(editor, Role.EDITOR, actor=other_editor)

    with pytest.raises(NotAllowed):
        roles.grant_role(reader, Role.REPORTER, actor=fresh(editor))


def test_deactivated_superuser_may_not_grant_roles(superuser, reader):
    superuser.is_active = False
    superuser.save(update_fields=["is_active"])

    with pytest.raises(NotAllowed):
        roles.grant_role(reader, Role.REPORTER, actor=superuser)

    assert not RoleChange.objects.exists()


def test_granting_an_unknown_role_raises_value_error_and_writes_nothing(reader):
    with pytest.raises(ValueError, match="publisher"):
        roles.grant_role(reader, "publisher", actor=None)

    assert not RoleChange.objects.exists()
    assert fresh(reader).is_staff is False


# --- revoke_role ----------------------------------------------------------------------------


def test_revoking_the_last_role_writes_one_row_and_closes_the_admin(reporter, superuser):
    before = RoleChange.objects.count()

    assert roles.revoke_role(reporter, Role.REPORTER, actor=superuser, note="left") is True

    assert RoleChange.objects.count() == before + 1
    change = RoleChange.objects.first()  # newest first
    assert change.action == Action.REVOKED
    assert change.role == Role.REPORTER
    assert change.user_email == "reporter@example.com"
    assert change.actor_name == "admin@example.com"
    assert change.note == "left"
    user = fresh(reporter)
    assert user.is_staff is False
    assert roles.roles_of(user) == frozenset()


def test_revoking_keeps_the_staff_profile_for_published_bylines(reporter):
    roles.revoke_role(reporter, Role.REPORTER, actor=None)

    assert StaffProfile.objects.get(user=reporter).byline_name == "한지민"


def test_revoking_one_of_two_roles_keeps_the_admin_open(reporter):
    roles.grant_role(reporter, Role.MODERATOR, actor=None)

    roles.revoke_role(reporter, Role.REPORTER, actor=None)

    user = fresh(reporter)
    assert user.is_staff is True
    assert roles.roles_of(user) == {Role.MODERATOR}


def test_revoking_the_last_role_of_a_superuser_keeps_their_admin_access(superuser):
    roles.grant_role(superuser, Role.EDITOR, actor=None)

    roles.revoke_role(superuser, Role.EDITOR, actor=None)

    user = fresh(superuser)
    assert user.is_staff is True
    assert user.is_superuser is True
    assert roles.roles_of(user) == frozenset()


def test_revoking_a_role_the_user_does_not_have_returns_false_and_writes_nothing(reporter):
    before = RoleChange.objects.count()

    assert roles.revoke_role(reporter, Role.EDITOR, actor=None) is False

    assert RoleChange.objects.count() == before
    assert fresh(reporter).is_staff is True


def test_moderator_may_not_revoke_a_role_and_nothing_changes(moderator, reporter):
    before = RoleChange.objects.count()

    with pytest.raises(NotAllowed):
        roles.revoke_role(reporter, Role.REPORTER, actor=moderator)

    assert RoleChange.objects.count() == before
    user = fresh(reporter)
    assert user.is_staff is True
    assert roles.roles_of(user) == {Role.REPORTER}


def test_editor_revokes_a_role_and_is_recorded_as_actor(editor, reporter):
    assert roles.revoke_role(reporter, Role.REPORTER, actor=editor, note="moved") is True

    change = RoleChange.objects.filter(user=reporter, action=Action.REVOKED).get()
    assert (change.role, change.actor, change.note) == (Role.REPORTER, editor, "moved")
    assert roles.roles_of(fresh(reporter)) == frozenset()


@pytest.mark.parametrize("persona", ["editor", "superuser"])
def test_nobody_removes_their_own_editor_role(request, persona):
    user = request.getfixturevalue(persona)
    roles.grant_role(user, Role.EDITOR, actor=None)
    before = RoleChange.objects.count()

    with pytest.raises(NotAllowed, match="자신의 편집자 역할은 뺄 수 없습니다"):
        roles.revoke_role(user, Role.EDITOR, actor=user)

    assert RoleChange.objects.count() == before
    assert roles.roles_of(fresh(user)) == {Role.EDITOR}


def test_editor_may_remove_their_own_other_roles(editor):
    roles.grant_role(editor, Role.MODERATOR, actor=None)

    assert roles.revoke_role(editor, Role.MODERATOR, actor=editor) is True

    assert roles.roles_of(fresh(editor)) == {Role.EDITOR}


def test_another_editor_or_the_system_may_remove_an_editor_role(editor, reporter):
    roles.grant_role(reporter, Role.EDITOR, actor=None)

    assert roles.revoke_role(reporter, Role.EDITOR, actor=editor) is True
    assert roles.revoke_role(editor, Role.EDITOR, actor=None) is True

    assert roles.roles_of(fresh(reporter)) == {Role.REPORTER}
    assert roles.roles_of(fresh(editor)) == frozenset()


def test_revoking_an_unknown_role_raises_value_error(reporter):
    with pytest.raises(ValueError, match="publisher"):
        roles.revoke_role(reporter, "publisher", actor=None)


# --- role_can -------------------------------------------------------------------------------


def test_role_can_ignores_superuser_status(superuser):
    assert roles.role_can(superuser, "accounts.access_desk") is False
    # Django's own check would say yes: that is exactly what role_can refuses to follow.
    assert superuser.has_perm("accounts.access_desk") is True


def test_role_can_follows_the_role_permissions(reporter, editor, moderator, reader):
    assert roles.role_can(reporter, "accounts.access_desk") is True
    assert roles.role_can(reporter, "accounts.view_staffprofile") is False
    assert roles.role_can(editor, "accounts.view_staffprofile") is True
    assert roles.role_can(moderator, "accounts.access_desk") is True
    assert roles.role_can(reader, "accounts.access_desk") is False


def test_role_can_refuses_a_deactivated_staff_member(reporter):
    reporter.is_active = False

    assert roles.role_can(reporter, "accounts.access_desk") is False


def test_role_can_refuses_anonymous_visitors():
    assert roles.role_can(AnonymousUser(), "accounts.access_desk") is False


# --- groups ---------------------------------------------------------------------------------


def test_role_groups_exist_with_their_permissions_after_migrate():
    assert set(Group.objects.values_list("name", flat=True)) >= set(Role.values)
    for role in Role.values:
        assert group_permissions(role) == ROLE_PERMISSIONS[role]


def test_sync_role_groups_removes_a_stray_permission():
    stray = Permission.objects.get(content_type__app_label="accounts", codename="delete_user")
    Group.objects.get(name=Role.REPORTER).permissions.add(stray)
    assert "accounts.delete_user" in group_permissions(Role.REPORTER)

    roles.sync_role_groups()

    for role in Role.values:
        assert group_permissions(role) == ROLE_PERMISSIONS[role]


def test_sync_role_groups_recreates_a_deleted_group():
    Group.objects.filter(name=Role.MODERATOR).delete()

    roles.sync_role_groups()

    assert group_permissions(Role.MODERATOR) == ROLE_PERMISSIONS[Role.MODERATOR]


def test_sync_role_groups_keeps_the_members_of_a_group(reporter):
    roles.sync_role_groups()

    assert roles.roles_of(fresh(reporter)) == {Role.REPORTER}


# --- history --------------------------------------------------------------------------------


def test_role_history_survives_deletion_of_the_user(reader, superuser):
    roles.grant_role(reader, Role.REPORTER, actor=superuser)
    roles.revoke_role(reader, Role.REPORTER, actor=superuser)

    reader.delete()

    changes = list(RoleChange.objects.all())
    assert [c.action for c in changes] == [Action.REVOKED, Action.GRANTED]
    assert all(c.user is None for c in changes)
    assert all(c.user_email == "reader@example.com" for c in changes)


def test_role_history_survives_deletion_of_the_actor(reader, superuser):
    roles.grant_role(reader, Role.REPORTER, actor=superuser)

    superuser.delete()

    change = RoleChange.objects.get()
    assert change.actor is None
    assert change.actor_name == "admin@example.com"
    assert change.user == reader


# --- the Django admin -----------------------------------------------------------------------


def change_form_data(user: User, *, checked_roles: list[str]) -> dict:
    """What the admin's user change form posts: the user's fields, the role checkboxes and
    the staff profile inline (its management form, and the profile if there is one)."""
    data = {
        "email": user.email,
        "is_active": "on" if user.is_active else "",
        "roles": checked_roles,
        "staff_profile-MIN_NUM_FORMS": "0",
        "staff_profile-MAX_NUM_FORMS": "1",
        "_save": "Save",
    }
    if user.is_superuser:
        data["is_superuser"] = "on"
    profile = StaffProfile.objects.filter(user=user).first()
    if profile is None:
        data |= {"staff_profile-TOTAL_FORMS": "0", "staff_profile-INITIAL_FORMS": "0"}
    else:
        data |= {
            "staff_profile-TOTAL_FORMS": "1",
            "staff_profile-INITIAL_FORMS": "1",
            "staff_profile-0-id": str(profile.pk),
            "staff_profile-0-user": str(user.pk),
            "staff_profile-0-byline_name": profile.byline_name,
            "staff_profile-0-slug": profile.slug,
            "staff_profile-0-title": profile.title,
            "staff_profile-0-public_email": profile.public_email,
            "staff_profile-0-bio": profile.bio,
        }
    return {key: value for key, value in data.items() if value != ""}


def change_url(user: User) -> str:
    return f"/admin/accounts/user/{user.pk}/change/"


def test_superuser_grants_a_role_in_the_admin_and_it_is_recorded(client, superuser, reader):
    client.force_login(superuser)

    response = client.post(
        change_url(reader), change_form_data(reader, checked_roles=[Role.REPORTER])
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert response["Location"] == "/admin/accounts/user/"
    change = RoleChange.objects.get()
    assert change.user == reader
    assert change.role == Role.REPORTER
    assert change.action == Action.GRANTED
    assert change.actor == superuser
    assert change.actor_name == "admin@example.com"
    assert change.note == "admin"
    user = fresh(reader)
    assert roles.roles_of(user) == {Role.REPORTER}
    assert user.is_staff is True
    assert StaffProfile.objects.filter(user=user).exists()


def test_admin_change_form_shows_the_roles_the_user_holds(client, superuser, editor):
    client.force_login(superuser)

    response = client.get(change_url(editor))

    assert response.status_code == 200
    assert response.context["adminform"].form["roles"].value() == [Role.EDITOR]


def test_superuser_removes_a_role_in_the_admin_and_it_is_recorded(client, superuser, reporter):
    client.force_login(superuser)
    before = RoleChange.objects.count()

    response = client.post(change_url(reporter), change_form_data(reporter, checked_roles=[]))

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert RoleChange.objects.count() == before + 1
    change = RoleChange.objects.first()
    assert change.action == Action.REVOKED
    assert change.actor == superuser
    user = fresh(reporter)
    assert roles.roles_of(user) == frozenset()
    assert user.is_staff is False
    # The profile (and its byline) outlives the role.
    assert StaffProfile.objects.get(user=user).byline_name == "한지민"


def test_saving_the_admin_form_without_changing_roles_records_nothing(client, superuser, reporter):
    client.force_login(superuser)
    before = RoleChange.objects.count()

    response = client.post(
        change_url(reporter), change_form_data(reporter, checked_roles=[Role.REPORTER])
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert RoleChange.objects.count() == before


def test_staff_member_cannot_change_users_in_the_admin(client, editor, reader):
    client.force_login(editor)

    response = client.post(
        change_url(reader), change_form_data(reader, checked_roles=[Role.EDITOR])
    )

    assert response.status_code == 403
    assert not RoleChange.objects.filter(user=reader).exists()


def test_one_users_roles_never_show_on_the_next_users_form(client, superuser, editor, reader):
    client.force_login(superuser)
    client.get(change_url(editor))

    response = client.get(change_url(reader))

    assert response.context["adminform"].form["roles"].value() == []


def test_a_deactivated_users_roles_show_in_the_admin_and_can_be_removed(
    client, superuser, reporter
):
    reporter.is_active = False
    reporter.save(update_fields=["is_active"])
    client.force_login(superuser)

    form = client.get(change_url(reporter)).context["adminform"].form
    assert form["roles"].value() == [Role.REPORTER]
    response = client.post(change_url(reporter), change_form_data(reporter, checked_roles=[]))

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert roles.held_roles(fresh(reporter)) == frozenset()
    assert RoleChange.objects.first().action == Action.REVOKED


def test_switching_an_account_off_in_the_admin_is_recorded(client, superuser, reporter):
    client.force_login(superuser)
    data = change_form_data(reporter, checked_roles=[Role.REPORTER])
    del data["is_active"]

    response = client.post(change_url(reporter), data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert fresh(reporter).is_active is False
    change = RoleChange.objects.first()
    assert (change.role, change.action, change.actor) == ("account", "deactivated", superuser)
    assert roles.set_active(fresh(reporter), False, actor=superuser) is False


def test_superuser_status_cannot_be_ticked_in_the_admin(client, superuser, editor):
    client.force_login(superuser)
    data = change_form_data(editor, checked_roles=[Role.EDITOR]) | {"is_superuser": "on"}

    client.post(change_url(editor), data)

    assert fresh(editor).is_superuser is False


@pytest.mark.parametrize("actor_name", ["other_reporter", "moderator", "reader"])
def test_only_those_who_manage_roles_switch_accounts_off(request, reporter, actor_name):
    with pytest.raises(NotAllowed):
        roles.set_active(reporter, False, actor=request.getfixturevalue(actor_name))
    assert fresh(reporter).is_active is True


def test_editor_switches_an_account_off_and_it_is_recorded(editor, reporter):
    assert roles.set_active(reporter, False, actor=editor) is True

    change = RoleChange.objects.filter(action=Action.DEACTIVATED).get()
    assert (change.user, change.actor) == (reporter, editor)
    assert fresh(reporter).is_active is False


@pytest.mark.parametrize("persona", ["editor", "superuser"])
def test_nobody_switches_their_own_account_off(request, persona):
    user = request.getfixturevalue(persona)
    before = RoleChange.objects.count()

    with pytest.raises(NotAllowed, match="자신의 계정은 비활성화할 수 없습니다"):
        roles.set_active(user, False, actor=user)

    assert RoleChange.objects.count() == before
    assert fresh(user).is_active is True
