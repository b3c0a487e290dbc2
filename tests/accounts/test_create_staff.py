"""`manage.py create_staff`: the way a newsroom adds staff without the admin."""

from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.core.management import CommandError, call_command

from accounts import roles
from accounts.models import RoleChange, StaffProfile, User
from accounts.roles import Role

pytestmark = pytest.mark.django_db


def create_staff(*args: str) -> str:
    out = StringIO()
    call_command("create_staff", *args, stdout=out)
    return out.getvalue()


def test_create_staff_creates_a_verified_staff_member_with_role_and_byline():
    output = create_staff("kim@example.com", "--role", "reporter", "--name", "김하늘")

    user = User.objects.get(email="kim@example.com")
    assert roles.roles_of(user) == {Role.REPORTER}
    assert user.is_staff is True
    assert user.is_superuser is False
    address = EmailAddress.objects.get(user=user)
    assert address.email == "kim@example.com"
    assert address.verified is True
    assert address.primary is True
    profile = StaffProfile.objects.get(user=user)
    assert profile.byline_name == "김하늘"
    assert profile.slug == "김하늘"
    assert "Created kim@example.com (byline: 김하늘 기자)." in output
    assert "Granted role: 기자." in output


def test_create_staff_records_one_role_change_by_the_system():
    create_staff("kim@example.com", "--role", "reporter", "--name", "김하늘")

    change = RoleChange.objects.get()
    assert change.user_email == "kim@example.com"
    assert change.role == Role.REPORTER
    assert change.action == RoleChange.Action.GRANTED
    assert change.actor is None
    assert change.actor_name == "system"
    assert change.note == "create_staff command"


def test_new_staff_member_without_password_cannot_log_in_until_they_reset_it():
    create_staff("kim@example.com", "--role", "reporter", "--name", "김하늘")

    assert User.objects.get(email="kim@example.com").has_usable_password() is False


def test_create_staff_stores_the_address_in_lower_case():
    output = create_staff("Kim@Example.COM", "--role", "editor")

    user = User.objects.get()
    assert user.email == "kim@example.com"
    assert EmailAddress.objects.get(user=user).email == "kim@example.com"
    assert "Created kim@example.com" in output


def test_create_staff_without_a_name_uses_the_address_for_the_byline():
    create_staff("kim@example.com", "--role", "moderator")

    assert StaffProfile.objects.get(user__email="kim@example.com").byline_name == "kim"


def test_running_it_again_with_another_role_adds_that_role():
    create_staff("kim@example.com", "--role", "reporter", "--name", "김하늘")

    output = create_staff("kim@example.com", "--role", "editor", "--name", "김하늘")

    user = User.objects.get(email="kim@example.com")
    assert User.objects.count() == 1
    assert roles.roles_of(user) == {Role.REPORTER, Role.EDITOR}
    assert RoleChange.objects.count() == 2
    assert RoleChange.objects.first().role == Role.EDITOR
    assert StaffProfile.objects.filter(user=user).count() == 1
    assert EmailAddress.objects.filter(user=user).count() == 1
    assert "Found kim@example.com" in output
    assert "Granted role: 편집자." in output


def test_running_it_again_with_the_same_role_says_so_and_writes_nothing():
    create_staff("kim@example.com", "--role", "reporter", "--name", "김하늘")

    output = create_staff("KIM@example.com", "--role", "reporter", "--name", "김하늘")

    assert "Already had the role: 기자." in output
    assert "Granted role" not in output
    assert RoleChange.objects.count() == 1
    assert User.objects.count() == 1


def test_create_staff_gives_an_existing_reader_a_role(reader):
    output = create_staff("reader@example.com", "--role", "moderator", "--name", "이서준")

    user = User.objects.get(pk=reader.pk)
    assert roles.roles_of(user) == {Role.MODERATOR}
    assert user.is_staff is True
    # The reader keeps their password.
    assert user.has_usable_password() is True
    assert StaffProfile.objects.get(user=user).byline_name == "이서준"
    assert "Found reader@example.com" in output


def test_unknown_role_is_refused_and_creates_nobody():
    with pytest.raises(CommandError, match="invalid choice: 'publisher'"):
        create_staff("kim@example.com", "--role", "publisher")

    assert not User.objects.exists()
    assert not RoleChange.objects.exists()


def test_role_is_required():
    with pytest.raises(CommandError, match="--role"):
        create_staff("kim@example.com")

    assert not User.objects.exists()


def test_password_prompt_sets_the_password(monkeypatch):
    answers = iter(["a-long-pass-phrase-77", "a-long-pass-phrase-77"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))

    create_staff("kim@example.com", "--role", "reporter", "--password")

    assert User.objects.get(email="kim@example.com").check_password("a-long-pass-phrase-77")


def test_password_prompt_refuses_mismatched_passwords_and_creates_nobody(monkeypatch):
    answers = iter(["a-long-pass-phrase-77", "something-else-entirely"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))

    with pytest.raises(CommandError, match="do not match"):
        create_staff("kim@example.com", "--role", "reporter", "--password")

    assert not User.objects.exists()


def test_password_prompt_refuses_a_weak_password(monkeypatch):
    monkeypatch.setattr("getpass.getpass", lambda prompt="": "12345678")

    with pytest.raises(CommandError):
        create_staff("kim@example.com", "--role", "reporter", "--password")

    assert not User.objects.exists()


def test_a_new_name_renames_the_byline_of_an_existing_staff_member(reporter):
    create_staff("reporter@example.com", "--role", "editor", "--name", "한지민 선임")

    assert StaffProfile.objects.get(user=reporter).byline_name == "한지민 선임"


def test_an_unverified_address_is_pointed_out(db):
    reader = User.objects.create_user("unverified@example.com", "x-long-password-1")

    output = create_staff(reader.email, "--role", "reporter")

    assert "not verified yet" in output
