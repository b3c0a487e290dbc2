"""The staff roles page (/desk/staff/): editors give and remove roles, every change is
recorded, and nobody removes their own editor role."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.timezone import localtime

from accounts import roles
from accounts.models import RoleChange, User
from accounts.roles import Role
from accounts.views.staff import HISTORY_PAGE_SIZE, STAFF_PAGE_SIZE
from tests.conftest import staff

pytestmark = pytest.mark.django_db

STAFF = "/desk/staff/"
STAFF_EN = "/en/desk/staff/"
Action = RoleChange.Action

# Session, user, the editor's roles; the staff count, the page of staff with their profiles,
# their roles, their latest change; the history count and the page of history; the desk
# header's unread notifications.
STAFF_QUERIES = 10


def fresh(user: User) -> User:
    return User.objects.get(pk=user.pk)


def staff_rows(page: str) -> int:
    return page.count('<li class="staff-row">')


def post_change(client, user: User, change: str, note: str = "", path: str = STAFF):
    return client.post(path, {"user": user.pk, "change": change, "note": note}, follow=True)


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def make_staff(count: int) -> list[User]:
    return [staff(f"staff{n}@example.com", Role.REPORTER, f"기자{n:02d}") for n in range(count)]


# --- who may open it ------------------------------------------------------------------------


def test_staff_page_url_name_resolves_to_the_korean_unprefixed_path():
    assert reverse("desk-staff") == STAFF


def test_anonymous_visitor_is_sent_to_log_in_and_back(anonymous):
    response = anonymous.get(STAFF)

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/desk/staff/"


def test_anonymous_post_is_sent_to_log_in_and_changes_nothing(anonymous, reader):
    response = anonymous.post(STAFF, {"user": reader.pk, "change": "grant:editor"})

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert not RoleChange.objects.filter(user=reader).exists()


@pytest.mark.parametrize("persona", ["reader", "reporter", "moderator", "superuser"])
def test_staff_page_is_refused_to_those_without_the_editor_role(request, client, persona):
    # A superuser without a role is refused too: desk rights come from roles only.
    client.force_login(request.getfixturevalue(persona))

    assert client.get(STAFF).status_code == 403


@pytest.mark.parametrize("persona", ["reporter", "moderator", "reader", "superuser"])
def test_role_change_posted_by_someone_without_the_editor_role_is_refused(
    request, client, other_reporter, persona
):
    client.force_login(request.getfixturevalue(persona))
    before = RoleChange.objects.count()

    response = client.post(STAFF, {"user": other_reporter.pk, "change": "grant:editor"})

    assert response.status_code == 403
    assert RoleChange.objects.count() == before
    assert roles.roles_of(fresh(other_reporter)) == {Role.REPORTER}


def test_editor_opens_the_staff_page(client, editor):
    client.force_login(editor)

    response = client.get(STAFF)

    assert response.status_code == 200
    assert "<title>직원 역할 - 솔빛경제</title>" in response.text
    assert 'aria-current="page">직원 역할</a>' in response.text


def test_superuser_with_the_editor_role_opens_the_staff_page(client, superuser):
    roles.grant_role(superuser, Role.EDITOR, actor=None)
    client.force_login(superuser)

    assert client.get(STAFF).status_code == 200


def test_english_staff_page_lives_under_en(client, editor):
    client.force_login(editor)

    response = client.get(STAFF_EN)

    assert response.status_code == 200
    assert "<h1>Staff roles</h1>" in response.text


def test_menu_shows_staff_roles_to_editors_only(client, editor, reporter, moderator):
    for persona, shown in [(editor, True), (reporter, False), (moderator, False)]:
        client.force_login(persona)
        page = client.get("/desk/profile/").text
        assert (f'href="{STAFF}"' in page) is shown, persona.email


# --- what it lists --------------------------------------------------------------------------


def test_lists_everyone_holding_a_role_and_no_reader(client, editor, reporter, moderator, reader):
    client.force_login(editor)

    page = client.get(STAFF).text

    assert staff_rows(page) == 3
    for name in ["오세훈", "한지민", "윤서연", "editor@example.com"]:
        assert name in page
    assert "reader@example.com" not in page


def test_a_deactivated_staff_member_is_listed_as_switched_off(client, editor, reporter):
    roles.set_active(reporter, False, actor=editor)
    client.force_login(editor)

    page = client.get(STAFF).text

    assert staff_rows(page) == 2
    assert '<span class="staff-off">비활성화됨</span>' in page


def test_search_by_e_mail_finds_a_reader_to_make_staff(client, editor, reader):
    client.force_login(editor)

    page = client.get(STAFF, {"q": "READER@"}).text

    assert staff_rows(page) == 1
    assert "reader@example.com" in page
    assert "(바이라인 없음)" in page
    assert 'value="grant:reporter"' in page


def test_search_by_byline_name_finds_staff(client, editor, reporter, other_reporter):
    client.force_login(editor)

    page = client.get(STAFF, {"q": "지민"}).text

    assert staff_rows(page) == 1
    assert "reporter@example.com" in page
    assert "reporter2@example.com" not in page


def test_search_without_a_match_says_so(client, editor):
    client.force_login(editor)

    page = client.get(STAFF, {"q": "nobody"}).text

    assert staff_rows(page) == 0
    assert "검색과 일치하는 계정이 없습니다." in page


def test_each_row_offers_to_remove_held_roles_and_give_the_others(client, editor, reporter):
    client.force_login(editor)

    page = client.get(STAFF, {"q": "reporter@"}).text

    assert 'value="revoke:reporter"' in page
    assert 'value="grant:editor"' in page
    assert 'value="grant:moderator"' in page
    assert 'value="revoke:editor"' not in page


def test_own_editor_role_button_is_disabled(client, editor):
    client.force_login(editor)

    page = client.get(STAFF).text

    assert 'value="revoke:editor"' not in page
    assert "disabled" in page


def test_row_shows_the_latest_role_change_with_who_and_when(client, editor, reader):
    roles.grant_role(reader, Role.MODERATOR, actor=editor)
    client.force_login(editor)

    page = client.get(STAFF, {"q": "reader@"}).text

    assert "최근 변경: 부여 · 댓글 관리자" in page
    assert "처리: 오세훈" in page
    change = RoleChange.objects.get(user=reader)
    assert localtime(change.created_at).strftime("%Y-%m-%d %H:%M") in page


def test_history_lists_the_latest_changes_with_who_and_by_whom(client, editor, reporter):
    roles.revoke_role(reporter, Role.REPORTER, actor=editor, note="부서 이동")
    client.force_login(editor)

    page = client.get(STAFF).text

    history = page[page.index('id="history"') :]
    assert "<strong>한지민</strong>: 회수 · 기자" in history
    assert "처리: 오세훈 · 부서 이동" in history
    # The fixtures' grants were made by the system.
    assert "처리: 시스템" in history
    # Newest first.
    assert history.index("회수") < history.index("부여")


# --- changing roles -------------------------------------------------------------------------


def test_editor_gives_a_reader_a_role_and_it_is_recorded_once(client, editor, reader):
    client.force_login(editor)

    response = post_change(client, reader, "grant:reporter", note="인턴 기자")

    assert response.redirect_chain == [(STAFF, 302)]
    assert messages_of(response) == ["reader@example.com에게 기자 역할을 주었습니다."]
    change = RoleChange.objects.get(user=reader)
    assert (change.action, change.role) == (Action.GRANTED, Role.REPORTER)
    assert (change.actor, change.note) == (editor, "인턴 기자")
    user = fresh(reader)
    assert roles.roles_of(user) == {Role.REPORTER}
    assert user.is_staff is True


def test_editor_makes_a_reporter_an_editor_and_the_message_names_the_byline(
    client, editor, reporter
):
    client.force_login(editor)

    response = post_change(client, reporter, "grant:editor")

    assert messages_of(response) == ["한지민에게 편집자 역할을 주었습니다."]
    assert roles.roles_of(fresh(reporter)) == {Role.REPORTER, Role.EDITOR}
    assert RoleChange.objects.filter(user=reporter, action=Action.GRANTED).count() == 2


def test_editor_removes_a_role_and_it_is_recorded_once(client, editor, reporter):
    client.force_login(editor)
    before = RoleChange.objects.count()

    response = post_change(client, reporter, "revoke:reporter")

    assert messages_of(response) == ["한지민에게서 기자 역할을 뺐습니다."]
    assert RoleChange.objects.count() == before + 1
    change = RoleChange.objects.first()
    assert (change.user, change.action, change.actor) == (reporter, Action.REVOKED, editor)
    assert roles.roles_of(fresh(reporter)) == frozenset()


def test_giving_a_role_already_held_records_nothing(client, editor, reporter):
    client.force_login(editor)
    before = RoleChange.objects.count()

    response = post_change(client, reporter, "grant:reporter")

    assert messages_of(response) == ["한지민에게는 이미 기자 역할이 있습니다."]
    assert RoleChange.objects.count() == before


def test_editor_cannot_remove_their_own_editor_role_through_the_page(client, editor):
    client.force_login(editor)
    before = RoleChange.objects.count()

    response = post_change(client, editor, "revoke:editor")

    assert response.status_code == 200
    assert messages_of(response) == [
        "자신의 편집자 역할은 뺄 수 없습니다. 다른 편집자에게 부탁하세요."
    ]
    assert '<li class="message error">' in response.text
    assert RoleChange.objects.count() == before
    assert roles.roles_of(fresh(editor)) == {Role.EDITOR}


def test_another_editor_removes_an_editor_role(client, editor, reporter):
    roles.grant_role(reporter, Role.EDITOR, actor=None)
    client.force_login(editor)

    post_change(client, reporter, "revoke:editor")

    assert roles.roles_of(fresh(reporter)) == {Role.REPORTER}


def test_after_a_change_the_page_returns_to_the_same_search_and_page(client, editor, reader):
    client.force_login(editor)

    response = post_change(client, reader, "grant:moderator", path=f"{STAFF}?q=reader")

    assert response.redirect_chain == [(f"{STAFF}?q=reader", 302)]


@pytest.mark.parametrize(
    "data",
    [
        {"change": "grant:publisher"},
        {"change": "promote:editor"},
        {"change": ""},
        {"user": "abc", "change": "grant:editor"},
        {"change": "grant:editor", "note": "x" * 201},
    ],
)
def test_malformed_change_is_a_bad_request_and_changes_nothing(client, editor, reader, data):
    client.force_login(editor)
    before = RoleChange.objects.count()

    response = client.post(STAFF, {"user": reader.pk} | data)

    assert response.status_code == 400
    assert RoleChange.objects.count() == before


def test_change_for_an_unknown_account_is_not_found(client, editor):
    client.force_login(editor)

    response = client.post(STAFF, {"user": 999999, "change": "grant:editor"})

    assert response.status_code == 404


def test_changes_need_the_csrf_token(editor, reader):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)

    refused = client.post(STAFF, {"user": reader.pk, "change": "grant:reporter"})

    assert refused.status_code == 403
    assert not RoleChange.objects.filter(user=reader).exists()

    page = client.get(STAFF, {"q": "reader@"}).text
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    accepted = client.post(
        STAFF, {"user": reader.pk, "change": "grant:reporter", "csrfmiddlewaretoken": token}
    )

    assert accepted.status_code == 302
    assert RoleChange.objects.filter(user=reader).count() == 1


# --- escaping -------------------------------------------------------------------------------


def test_a_byline_name_with_markup_is_shown_escaped(client, editor, reader):
    roles.ensure_staff_profile(reader, byline_name='<script>alert("x")</script>')
    client.force_login(editor)

    response = post_change(client, reader, "grant:reporter")

    page = response.content.decode()
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    # In the list, the message and the history.
    assert page.count("&lt;script&gt;") >= 3


def test_the_search_query_is_shown_escaped(client, editor):
    client.force_login(editor)

    page = client.get(STAFF, {"q": '"><script>x</script>'}).text

    assert "<script>x</script>" not in page
    assert "&quot;&gt;&lt;script&gt;x&lt;/script&gt;" in page


# --- queries and pages ----------------------------------------------------------------------


@pytest.mark.parametrize("others", [0, STAFF_PAGE_SIZE - 1])
def test_staff_page_runs_a_fixed_number_of_queries(
    client, editor, others, django_assert_num_queries
):
    # 1 or 30 rows of staff, each with its roles and latest change, and up to a page of
    # history.
    make_staff(others)
    client.force_login(editor)

    with django_assert_num_queries(STAFF_QUERIES):
        response = client.get(STAFF)

    assert staff_rows(response.text) == others + 1


def test_search_page_runs_the_same_number_of_queries(client, editor, django_assert_num_queries):
    make_staff(5)
    client.force_login(editor)

    with django_assert_num_queries(STAFF_QUERIES):
        response = client.get(STAFF, {"q": "staff"})

    assert staff_rows(response.text) == 5


def test_staff_list_pages_after_thirty(client, editor):
    make_staff(STAFF_PAGE_SIZE)  # with the editor, one more than a page
    client.force_login(editor)

    first = client.get(STAFF).text
    second = client.get(STAFF, {"page": 2}).text

    assert staff_rows(first) == STAFF_PAGE_SIZE
    assert staff_rows(second) == 1
    assert "2쪽 중 1쪽" in first
    assert 'href="?page=2"' in first
    # Byline order, so the editor (오세훈) comes after the 기자 rows.
    assert "오세훈" in second


def test_history_pages_on_its_own(client, editor, reader):
    for _ in range(HISTORY_PAGE_SIZE // 2 + 1):
        roles.grant_role(reader, Role.MODERATOR, actor=editor)
        roles.revoke_role(reader, Role.MODERATOR, actor=editor)
    client.force_login(editor)

    first = client.get(STAFF).text
    second = client.get(STAFF, {"history": 2}).text

    assert first.count('<li class="history-row">') == HISTORY_PAGE_SIZE
    assert 'href="?history=2#history"' in first
    # The rest: the editor's own grant (by the system) and the last of the editor's changes.
    assert second.count('<li class="history-row">') == RoleChange.objects.count() - (
        HISTORY_PAGE_SIZE
    )
    assert "2쪽 중 2쪽" in second
