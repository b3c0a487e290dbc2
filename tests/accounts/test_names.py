"""accounts.names.display_name: the one name a person is shown under, never their e-mail."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import translation

from accounts import membership, names, roles
from accounts.models import User
from accounts.roles import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def label(text) -> str:
    with translation.override("ko"):
        return str(text)


def test_the_system_keeps_the_value_history_stores_for_it():
    assert names.display_name(None) == names.SYSTEM == "system"


def test_a_reader_goes_by_their_nickname_without_a_query(reader, django_assert_num_queries):
    membership.change_nickname(reader, "솔빛독자")
    user = User.objects.get(pk=reader.pk)

    with django_assert_num_queries(0):
        assert names.display_name(user) == "솔빛독자"


def test_staff_go_by_their_byline_even_with_a_nickname(reporter):
    membership.change_nickname(reporter, "지민이")

    assert names.display_name(User.objects.get(pk=reporter.pk)) == "한지민"


def test_a_staff_members_profile_read_with_the_user_costs_no_query(
    moderator, django_assert_num_queries
):
    user = User.objects.select_related("staff_profile").get(pk=moderator.pk)

    with django_assert_num_queries(0):
        assert names.display_name(user) == "윤서연"


def test_a_former_staff_member_with_a_nickname_goes_by_it(reporter, superuser):
    membership.change_nickname(reporter, "지민이")
    roles.revoke_role(reporter, Role.REPORTER, actor=superuser)

    assert names.display_name(User.objects.get(pk=reporter.pk)) == "지민이"


def test_an_account_without_a_name_gets_a_neutral_label_not_its_address(superuser):
    name = names.display_name(superuser)

    assert name == label(names.UNNAMED_MEMBER)
    assert "admin" not in name
    assert "@" not in name


def test_a_deleted_or_unknown_account_gets_the_former_member_label(db):
    user = UserFactory(email="gone@example.com")
    user.delete()

    assert names.display_name(user) == label(names.FORMER_MEMBER) == "탈퇴한 회원"
    assert names.display_name(AnonymousUser()) == "탈퇴한 회원"
