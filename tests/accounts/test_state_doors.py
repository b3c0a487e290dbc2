"""Account changes made outside the desk go through accounts.membership too: the admin's
staff profile edits and the create_staff command, each with its history row; and every
AccountEvent now names its actor, never by e-mail."""

import json
from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.core.management import call_command

from accounts import membership, names
from accounts.errors import NotAllowed
from accounts.models import AccountEvent, RoleChange, StaffProfile, User
from accounts.roles import Role
from tests.accounts.test_roles import change_form_data, change_url
from tests.factories import PASSWORD

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

Action = AccountEvent.Action


def profile_url(profile: StaffProfile) -> str:
    return f"/admin/accounts/staffprofile/{profile.pk}/change/"


def profile_form(profile: StaffProfile, **changes) -> dict:
    fields = {name: getattr(profile, name) for name in membership.PROFILE_FIELDS}
    return {**fields, **changes, "_save": "Save"}


# --- update_staff_profile, the one door for profiles -----------------------------------------


def test_an_administrator_edits_someones_profile_and_one_event_names_both(superuser, reporter):
    profile = reporter.staff_profile

    changed = membership.update_staff_profile(profile, actor=superuser, title="선임기자")

    assert changed == ["title"]
    event = AccountEvent.objects.get()
    assert (event.user, event.user_email, event.action) == (
        reporter,
        "reporter@example.com",
        Action.PROFILE_CHANGED,
    )
    assert (event.actor, event.data) == (superuser, {"title": ["기자", "선임기자"]})
    assert "@" not in event.actor_name


@pytest.mark.parametrize("actor_name", ["editor", "other_reporter", "moderator", "reader"])
def test_only_the_member_and_the_admin_edit_a_profile(request, reporter, actor_name):
    actor = request.getfixturevalue(actor_name)

    with pytest.raises(NotAllowed):
        membership.update_staff_profile(reporter.staff_profile, actor=actor, title="부장")

    assert StaffProfile.objects.get(user=reporter).title == "기자"
    assert not AccountEvent.objects.exists()


# --- the admin -------------------------------------------------------------------------------


def test_the_admins_profile_page_saves_through_membership_with_one_event(
    client, superuser, reporter
):
    profile = reporter.staff_profile
    client.force_login(superuser)

    response = client.post(
        profile_url(profile), profile_form(profile, byline_name="한지민A", slug="taken-over")
    )

    assert response.status_code == 302
    profile.refresh_from_db()
    # The slug stays: links to the reporter page keep working.
    assert (profile.byline_name, profile.slug) == ("한지민A", "한지민")
    [event] = AccountEvent.objects.all()
    assert (event.user, event.actor, event.action) == (reporter, superuser, "profile_changed")
    assert event.data == {"byline_name": ["한지민", "한지민A"]}


def test_saving_the_admins_profile_page_unchanged_writes_nothing(client, superuser, reporter):
    client.force_login(superuser)

    response = client.post(
        profile_url(reporter.staff_profile), profile_form(reporter.staff_profile)
    )

    assert response.status_code == 302
    assert not AccountEvent.objects.exists()


def test_an_editor_only_reads_profiles_in_the_admin(client, editor, reporter):
    client.force_login(editor)

    response = client.post(
        profile_url(reporter.staff_profile), profile_form(reporter.staff_profile, title="부장")
    )

    assert response.status_code == 403
    assert StaffProfile.objects.get(user=reporter).title == "기자"
    assert not AccountEvent.objects.exists()


def test_profiles_are_not_added_or_deleted_in_the_admin(client, superuser, reporter):
    client.force_login(superuser)

    assert client.get("/admin/accounts/staffprofile/add/").status_code == 403
    profile = reporter.staff_profile
    assert client.post(f"/admin/accounts/staffprofile/{profile.pk}/delete/").status_code == 403
    assert StaffProfile.objects.filter(pk=profile.pk).exists()


def test_the_user_forms_profile_inline_saves_through_membership(client, superuser, reporter):
    client.force_login(superuser)
    data = change_form_data(reporter, checked_roles=[Role.REPORTER])
    data["staff_profile-0-bio"] = "반도체를 취재합니다."

    response = client.post(change_url(reporter), data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert StaffProfile.objects.get(user=reporter).bio == "반도체를 취재합니다."
    [event] = AccountEvent.objects.all()
    assert (event.user, event.actor, event.data) == (
        reporter,
        superuser,
        {"bio": ["", "반도체를 취재합니다."]},
    )
    assert not RoleChange.objects.filter(actor=superuser).exists()


# --- create_staff: membership.set_up_staff ---------------------------------------------------


def test_setting_up_a_new_staff_member_writes_one_row_per_change_by_the_system():
    staff = membership.set_up_staff(
        "kim@example.com", Role.REPORTER, byline_name="김하늘", note="create_staff command"
    )

    assert (staff.created, staff.granted, staff.profile.byline_name) == (True, True, "김하늘")
    assert EmailAddress.objects.get(user=staff.user).verified is True
    [created] = AccountEvent.objects.all()
    assert (created.user, created.action, created.actor, created.actor_name) == (
        staff.user,
        Action.CREATED,
        None,
        names.SYSTEM,
    )
    assert created.note == "create_staff command"
    [granted] = RoleChange.objects.all()
    assert (granted.user, granted.action, granted.actor) == (staff.user, "granted", None)


def test_renaming_an_existing_staff_member_is_one_profile_change_by_the_system(reporter):
    staff = membership.set_up_staff("reporter@example.com", Role.EDITOR, byline_name="한지민 선임")

    assert (staff.created, staff.profile.byline_name) == (False, "한지민 선임")
    [event] = AccountEvent.objects.all()
    assert (event.user, event.action, event.actor) == (reporter, Action.PROFILE_CHANGED, None)
    assert event.data == {"byline_name": ["한지민", "한지민 선임"]}
    assert RoleChange.objects.filter(user=reporter, role=Role.EDITOR).count() == 1


def test_the_create_staff_command_makes_the_account_through_membership():
    call_command("create_staff", "kim@example.com", "--role", "reporter", stdout=StringIO())

    user = User.objects.get(email="kim@example.com")
    assert list(AccountEvent.objects.values_list("user", "action", "actor")) == [
        (user.pk, Action.CREATED, None)
    ]
    assert list(RoleChange.objects.values_list("user", "action")) == [(user.pk, "granted")]


def test_an_unknown_role_is_refused_before_anything_is_made():
    with pytest.raises(ValueError, match="publisher"):
        membership.set_up_staff("kim@example.com", "publisher")

    assert not User.objects.exists()
    assert not AccountEvent.objects.exists()


# --- who did it ------------------------------------------------------------------------------


def test_a_members_own_changes_are_signed_with_their_nickname(reader):
    membership.sign_up(reader, nickname="솔빛독자", agreed=["terms", "privacy", "age14"])
    membership.change_nickname(reader, "새이름")

    signed = list(AccountEvent.objects.order_by("pk").values_list("actor", "actor_name"))
    assert signed == [(reader.pk, "솔빛독자"), (reader.pk, "새이름")]


def test_deleting_the_account_takes_its_name_off_the_rows_it_signed(reader):
    membership.sign_up(reader, nickname="솔빛독자", agreed=["terms", "privacy", "age14"])

    membership.delete_account(reader, password=PASSWORD)

    history = json.dumps(
        list(AccountEvent.objects.values("actor_id", "actor_name")), ensure_ascii=False
    )
    assert "솔빛독자" not in history
    assert set(AccountEvent.objects.values_list("actor_name", flat=True)) == {"탈퇴한 회원"}
    assert not AccountEvent.objects.exclude(actor=None).exists()
