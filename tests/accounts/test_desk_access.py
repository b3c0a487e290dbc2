"""Who may open the newsroom desk (/desk/): rights come from roles only."""

from io import BytesIO

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from PIL import Image

from accounts import roles
from accounts.roles import Role
from media import library
from tests.conftest import sign_in_as

pytestmark = pytest.mark.django_db

DESK = "/desk/"
DESK_EN = "/en/desk/"
PROFILE = "/desk/profile/"
PROFILE_EN = "/en/desk/profile/"

# The profile page for a signed-in reporter: session, user, the user's roles, the staff
# profile, the portrait with its photo, the desk header's unread notifications, and (when
# there is one) the portrait's renditions.
PROFILE_QUERIES = 6


def badge(label) -> str:
    return f'<span class="badge">{label}</span>'


def test_desk_url_names_resolve_to_the_korean_unprefixed_paths():
    assert reverse("story_desk:dashboard") == DESK
    assert reverse("desk-profile") == PROFILE


def test_anonymous_visitor_is_sent_to_log_in_and_back_to_the_desk(anonymous):
    response = anonymous.get(DESK)

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/desk/"


def test_reader_without_a_role_is_refused_the_desk(client, reader):
    client.force_login(reader)

    response = client.get(DESK)

    assert response.status_code == 403


def test_superuser_without_a_role_is_refused_the_desk(client, superuser):
    client.force_login(superuser)

    response = client.get(DESK)

    assert response.status_code == 403


@pytest.mark.parametrize(
    ("path", "language", "heading", "labels"),
    [
        (PROFILE, "ko", "내 프로필", ["기자", "편집자", "댓글 관리자"]),
        (PROFILE_EN, "en", "My profile", ["Reporter", "Editor", "Moderator"]),
    ],
)
@pytest.mark.parametrize(
    ("persona", "byline", "role_index"),
    [("reporter", "한지민", 0), ("editor", "오세훈", 1), ("moderator", "윤서연", 2)],
)
def test_staff_member_sees_their_byline_and_role_in_each_language(
    request, client, persona, byline, role_index, path, language, heading, labels
):
    client.force_login(request.getfixturevalue(persona))

    response = client.get(path)

    assert response.status_code == 200
    page = response.content.decode()
    assert f'<html lang="{language}">' in page
    assert heading in page
    assert f"<strong>{byline}</strong>" in page
    assert badge(labels[role_index]) in page
    # Only the roles they hold are listed.
    assert page.count('class="badge"') == 1


def test_english_desk_sends_anonymous_visitor_to_log_in(anonymous):
    response = anonymous.get(DESK_EN)

    assert response.status_code == 302
    assert response["Location"] == "/en/accounts/login/?next=/en/desk/"


def test_english_desk_is_refused_to_a_reader(client, reader):
    client.force_login(reader)

    assert client.get(DESK_EN).status_code == 403


def test_staff_member_with_two_roles_sees_both(client, reporter):
    roles.grant_role(reporter, Role.MODERATOR, actor=None)
    client.force_login(reporter)

    page = client.get(PROFILE_EN).content.decode()

    assert badge("Reporter") in page
    assert badge("Moderator") in page
    assert badge("Editor") not in page


def test_reporter_whose_role_was_revoked_is_refused_the_desk(client, reporter):
    roles.revoke_role(reporter, Role.REPORTER, actor=None)
    client.force_login(reporter)

    assert client.get(DESK).status_code == 403


def test_deactivated_reporter_cannot_open_the_desk(client, reporter):
    client.force_login(reporter)
    reporter.is_active = False
    reporter.save(update_fields=["is_active"])

    response = client.get(DESK)

    # The session no longer authenticates an inactive user: back to log-in.
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_desk_link_is_shown_to_staff_and_hidden_from_readers(client, reporter, reader, settings):
    sign_in_as(client, reporter)
    assert 'href="/desk/"' in client.get("/").content.decode()

    # The staff marker only skips the page cache: a reader who sets it sees no desk.
    sign_in_as(client, reader)
    client.cookies[settings.PAGE_CACHE_BYPASS_COOKIE] = "1"
    assert 'href="/desk/"' not in client.get("/").content.decode()


def test_profile_page_for_a_reporter_runs_a_fixed_number_of_queries(
    client, reporter, django_assert_num_queries
):
    client.force_login(reporter)

    with django_assert_num_queries(PROFILE_QUERIES):
        response = client.get(PROFILE)

    assert response.status_code == 200


def test_profile_page_with_a_portrait_adds_only_the_renditions_query(
    client, reporter, django_assert_num_queries, django_capture_on_commit_callbacks
):
    buffer = BytesIO()
    Image.new("RGB", (400, 400), (20, 60, 140)).save(buffer, "JPEG")
    with django_capture_on_commit_callbacks(execute=True):
        photo = library.upload(ContentFile(buffer.getvalue(), "me.jpg"), actor=reporter).photo
    library.set_portrait(reporter.staff_profile, photo, actor=reporter)
    client.force_login(reporter)

    with django_assert_num_queries(PROFILE_QUERIES + 1):
        response = client.get(PROFILE)

    assert '<picture class="portrait">' in response.text


def test_refused_reader_sees_the_korean_403_page_inside_the_site_layout(client, reader):
    client.force_login(reader)

    response = client.get(DESK)

    assert "이 페이지에 접근할 권한이 없습니다." in response.text
    assert "<title>접근 권한 없음 - 솔빛경제</title>" in response.text


def test_refused_reader_gets_the_english_403_page_under_en(client, reader):
    client.force_login(reader)

    assert "You do not have access to this page." in client.get(DESK_EN).text


def test_signed_in_reader_is_refused_the_admin_instead_of_sent_round_in_circles(client, reader):
    client.force_login(reader)

    response = client.get("/admin/", follow=True)

    assert response.status_code == 403
    assert response.redirect_chain == [("/admin/login/?next=/admin/", 302)]


def test_desk_page_title_names_the_page_and_the_site(client, reporter):
    client.force_login(reporter)

    assert "<title>내 기사 - 솔빛경제</title>" in client.get(DESK).text
    assert "<title>내 프로필 - 솔빛경제</title>" in client.get(PROFILE).text
