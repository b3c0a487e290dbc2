"""Membership: signing up with a nickname and consents, my page, and deleting the account."""

import hashlib
import json
import unicodedata
from datetime import UTC, datetime

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts import legal, membership, nicknames
from accounts.errors import NotAllowed, WrongPassword
from accounts.models import AccountEvent, Consent, User
from tests.conftest import sign_in_as
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


SIGNUP = "/accounts/signup/"
LOGIN = "/accounts/login/"
ME = "/accounts/me/"
DELETE = "/accounts/me/delete/"
NEW_PASSWORD = "a-fresh-long-passphrase-42"
CONSENT_BOXES = {"agree_terms": "on", "agree_privacy": "on", "agree_age14": "on"}
Action = AccountEvent.Action


def sign_up(client, email="new@example.com", nickname="새독자", **overrides):
    data = {
        "email": email,
        "nickname": nickname,
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
        **CONSENT_BOXES,
        **overrides,
    }
    return client.post(SIGNUP, {key: value for key, value in data.items() if value is not None})


def joined(user: User, nickname: str, at: datetime | None = None) -> User:
    return membership.sign_up(user, nickname=nickname, agreed=legal.REQUIRED_AT_SIGNUP, at=at)


def log_in(client, email: str, password: str = PASSWORD):
    return client.post(LOGIN, {"login": email, "password": password})


def signed_in_user_id(client) -> str | None:
    return client.session.get(SESSION_KEY)


def account_links(html: str) -> str:
    return html.split('<nav class="account-links"')[1].split("</nav>")[0]


@pytest.fixture
def member(reader):
    """The reader persona, signed up with a nickname and the consents."""
    return joined(reader, "솔빛독자")


# --- sign-up --------------------------------------------------------------------------------


def test_sign_up_with_every_consent_records_each_with_its_version_and_time(client):
    before = timezone.now()
    # Typed on a Mac, Hangul can arrive decomposed into jamo: it is stored composed.
    response = sign_up(client, nickname=unicodedata.normalize("NFD", "한솔독자"))

    assert response.status_code == 302
    user = User.objects.get(email="new@example.com")
    assert user.nickname == "한솔독자"
    assert unicodedata.is_normalized("NFC", user.nickname)
    consents = {consent.kind: consent for consent in Consent.objects.filter(user=user)}
    assert set(consents) == {"terms", "privacy", "age14"}
    for kind, consent in consents.items():
        assert consent.version == legal.CURRENT_VERSIONS[kind]
        assert before <= consent.given_at <= timezone.now()
    event = AccountEvent.objects.get()
    assert (event.user, event.action) == (user, Action.JOINED)
    assert event.data == {"nickname": "한솔독자", "consents": legal.CURRENT_VERSIONS}


@pytest.mark.parametrize(
    ("box", "message"),
    [
        ("agree_terms", "회원가입을 하려면 이용약관에 동의해 주세요."),
        ("agree_privacy", "회원가입을 하려면 개인정보 수집·이용에 동의해 주세요."),
        ("agree_age14", "만 14세 이상만 가입할 수 있습니다. 나이를 확인해 주세요."),
    ],
)
def test_sign_up_without_a_consent_creates_no_account_and_says_why(
    client, mailoutbox, box, message
):
    response = sign_up(client, **{box: None})

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not User.objects.exists()
    assert not Consent.objects.exists()
    assert not AccountEvent.objects.exists()
    assert mailoutbox == []


def test_sign_up_form_links_each_consent_to_its_text(client):
    page = client.get(SIGNUP).content.decode()

    assert 'href="/terms/" target="_blank"' in page
    assert 'href="/privacy/" target="_blank"' in page
    assert page.count('type="checkbox"') == 3
    assert "만 14세 이상입니다." in page


def test_sign_up_with_a_nickname_taken_in_another_case_creates_no_account(client):
    joined(UserFactory(email="first@example.com"), "Solbit")

    response = sign_up(client, nickname="SOLBIT")

    assert response.status_code == 200
    assert "이미 사용 중인 닉네임입니다." in response.content.decode()
    assert not User.objects.filter(email="new@example.com").exists()


def test_sign_up_with_a_broken_nickname_creates_no_account(client):
    response = sign_up(client, nickname="ㅋㅋㅋ")

    assert response.status_code == 200
    assert "자음·모음만 따로 쓸 수 없습니다" in response.content.decode()
    assert not User.objects.exists()


def test_membership_refuses_a_sign_up_missing_a_consent(reader):
    with pytest.raises(ValidationError):
        membership.sign_up(reader, nickname="독자", agreed=[legal.TERMS, legal.PRIVACY])

    reader.refresh_from_db()
    assert reader.nickname == ""
    assert not Consent.objects.exists()
    assert not AccountEvent.objects.exists()


# --- nickname rules -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("nickname", "code"),
    [
        ("", "required"),
        ("가", "too_short"),
        ("a", "too_short"),
        ("가나다라마바사아자차카타파", "too_long"),
        ("abcdefghijklm", "too_long"),
        ("독자!", "characters"),
        ("a_b", "characters"),
        ("a.b", "characters"),
        ("독자 1", "spaces"),
        ("독자😀", "characters"),
        ("😀😀", "characters"),
        ("ＡＢＣ", "characters"),
        ("José", "characters"),
        ("ㄱㄴ", "jamo"),
        ("독자ㅋㅋ", "jamo"),
        ("ᄀᄀ", "jamo"),
        ("관리자", "reserved"),
        ("Admin", "reserved"),
    ],
)
def test_nickname_rules_refuse(nickname, code):
    with pytest.raises(ValidationError) as refused:
        nicknames.clean_nickname(nickname)

    assert refused.value.code == code


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("독자1", "독자1"),
        ("Reader42", "Reader42"),
        ("  솔빛  ", "솔빛"),
        ("가나다라마바사아자차카타", "가나다라마바사아자차카타"),
        (unicodedata.normalize("NFD", "한글날"), "한글날"),
    ],
)
def test_nickname_rules_accept_korean_latin_and_digits(typed, stored):
    assert nicknames.clean_nickname(typed) == stored


def test_each_nickname_rule_has_a_korean_message():
    messages = {}
    for nickname in ["가", "가" * 13, "독자!", "독자 1", "ㄱㄴ", "관리자", ""]:
        with pytest.raises(ValidationError) as refused:
            nicknames.clean_nickname(nickname)
        messages[refused.value.code] = refused.value.messages[0]

    assert messages == {
        "too_short": "닉네임은 2자 이상이어야 합니다.",
        "too_long": "닉네임은 12자까지 쓸 수 있습니다(지금 13자).",
        "characters": "닉네임에는 한글, 영문자(A–Z), 숫자만 쓸 수 있습니다. 쓸 수 없는 문자: !",
        "spaces": "닉네임에는 띄어쓰기를 넣을 수 없습니다.",
        "jamo": (
            "한글은 자음·모음만 따로 쓸 수 없습니다(ㄱ ㄴ). ‘가’, ‘한’처럼 완성된 글자로 써 주세요."
        ),
        "reserved": "쓸 수 없는 닉네임입니다. 다른 닉네임을 골라 주세요.",
        "required": "닉네임을 입력해 주세요.",
    }


def test_the_database_refuses_a_nickname_differing_only_in_case(member):
    other = UserFactory(email="other@example.com")

    # Past the checks in accounts.membership: the unique index still says no.
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.filter(pk=other.pk).update(nickname="솔빛독자")
    joined(UserFactory(email="latin@example.com"), "Solbit")
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.filter(pk=other.pk).update(nickname="sOLBIT")


def test_accounts_without_a_nickname_do_not_clash(reader, reporter, editor):
    assert User.objects.filter(nickname="").count() == 3


# --- the header -----------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/terms/", "/privacy/", ME])
def test_header_shows_the_nickname_and_never_the_readers_email(client, member, path):
    sign_in_as(client, member)

    page = client.get(path).content.decode()

    assert '<a href="/accounts/me/">솔빛독자</a>' in account_links(page)
    if path != ME:
        assert "reader@example.com" not in page


@pytest.mark.parametrize("path", ["/", "/corrections/"])
def test_on_cached_pages_the_header_comes_from_the_personal_request(client, member, path):
    sign_in_as(client, member)

    page = client.get(path).content.decode()
    personal = client.get(reverse("accounts:personal")).json()

    assert "솔빛독자" not in page  # the page everyone gets
    assert '<a href="/accounts/me/">솔빛독자</a>' in personal["account"]
    assert "reader@example.com" not in str(personal)


def test_header_of_an_account_without_a_nickname_shows_my_page_not_the_email(client, reader):
    sign_in_as(client, reader)

    personal = client.get(reverse("accounts:personal")).json()

    assert '<a href="/accounts/me/">내 정보</a>' in personal["account"]
    assert "reader@example.com" not in str(personal)


# --- the texts ------------------------------------------------------------------------------


def test_terms_and_privacy_pages_show_demo_texts_with_their_version(client):
    terms = client.get("/terms/").content.decode()
    privacy = client.get("/privacy/").content.decode()

    assert "이용약관" in terms
    assert "제1조 (목적)" in terms
    assert "개인정보 수집·이용 안내" in privacy
    for collected in ["이메일 주소", "닉네임", "댓글 내용", "로그인 기록"]:
        assert collected in privacy
    assert "회원 탈퇴" in privacy
    for page, kind in [(terms, "terms"), (privacy, "privacy")]:
        assert legal.CURRENT_VERSIONS[kind] in page
        assert "데모" in page


# --- my page --------------------------------------------------------------------------------


def test_my_page_sends_anonymous_visitors_to_log_in(anonymous):
    response = anonymous.get(ME)

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/accounts/me/"


def test_my_page_shows_the_nickname_account_links_and_consents_in_korean_time(client, reader):
    joined(reader, "솔빛독자", at=datetime(2026, 11, 1, 0, 30, tzinfo=UTC))
    client.force_login(reader)

    page = client.get(ME).content.decode()

    assert 'value="솔빛독자"' in page
    assert 'href="/accounts/password/change/"' in page
    assert 'href="/accounts/email/"' in page
    for label in ["이용약관", "개인정보 수집·이용", "만 14세 이상"]:
        assert label in page
    assert page.count("2026-11-01 09:30") == 3
    assert 'href="/accounts/me/delete/"' in page


def test_my_page_reads_a_fixed_number_of_queries(client, member, django_assert_num_queries):
    client.force_login(member)
    client.get(ME)

    # Session, user, roles (the desk link and the delete link), sections (the menu), consents,
    # the newsletters with the reader's state in each (newsletter_tags.my_newsletters), and
    # my comments (comments_tags.my_comments: one page of them, and the notice of the ones
    # moderators removed lately).
    with django_assert_num_queries(8):
        client.get(ME)


def test_changing_the_nickname_writes_one_history_row(client, member):
    client.force_login(member)

    response = client.post(ME, {"nickname": "새이름"}, follow=True)

    assert response.redirect_chain == [(ME, 302)]
    assert "닉네임을 바꿨습니다: 새이름" in response.content.decode()
    member.refresh_from_db()
    assert member.nickname == "새이름"
    event = AccountEvent.objects.get(action=Action.NICKNAME_CHANGED)
    assert event.user == member
    assert event.user_email == "reader@example.com"
    assert event.data == {"old": "솔빛독자", "new": "새이름"}


def test_a_nickname_taken_in_another_case_is_refused_on_my_page(client, member):
    joined(UserFactory(email="first@example.com"), "Solbit")
    client.force_login(member)

    response = client.post(ME, {"nickname": "solBIT"})

    assert response.status_code == 200
    assert "이미 사용 중인 닉네임입니다." in response.content.decode()
    member.refresh_from_db()
    assert member.nickname == "솔빛독자"
    assert not AccountEvent.objects.filter(action=Action.NICKNAME_CHANGED).exists()


def test_a_broken_nickname_is_refused_on_my_page(client, member):
    client.force_login(member)

    response = client.post(ME, {"nickname": "독자😀"})

    assert response.status_code == 200
    assert "쓸 수 없는 문자: 😀" in response.content.decode()
    member.refresh_from_db()
    assert member.nickname == "솔빛독자"
    assert not AccountEvent.objects.filter(action=Action.NICKNAME_CHANGED).exists()


def test_keeping_the_same_nickname_writes_nothing_but_a_change_of_case_is_a_change(member):
    assert membership.change_nickname(member, "솔빛독자") is False
    joined(UserFactory(email="latin@example.com"), "solbit")
    latin = User.objects.get(email="latin@example.com")

    assert membership.change_nickname(latin, "SolBit") is True

    assert latin.nickname == "SolBit"
    assert AccountEvent.objects.filter(action=Action.NICKNAME_CHANGED).count() == 1


def test_a_switched_off_account_cannot_change_its_nickname(member):
    member.is_active = False

    with pytest.raises(NotAllowed):
        membership.change_nickname(member, "새이름")


# --- deleting the account -------------------------------------------------------------------


def test_deletion_page_says_what_is_deleted_and_what_stays(client, member):
    client.force_login(member)

    page = client.get(DELETE).content.decode()

    assert "이메일 주소, 닉네임, 동의 기록, 연결된 소셜 로그인" in page
    assert "“탈퇴한 회원”" in page
    assert 'name="password"' in page
    assert 'name="understood"' in page


def test_deletion_page_sends_anonymous_visitors_to_log_in(anonymous):
    response = anonymous.get(DELETE)

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/accounts/me/delete/"


def test_a_wrong_password_deletes_nothing(client, member):
    client.force_login(member)

    response = client.post(DELETE, {"password": "not-my-password", "understood": "on"})

    assert response.status_code == 200
    assert "현재 비밀번호가 맞지 않습니다." in response.content.decode()
    assert User.objects.filter(pk=member.pk).exists()
    assert Consent.objects.filter(user=member).count() == 3
    assert EmailAddress.objects.filter(user=member).exists()
    assert not AccountEvent.objects.filter(action=Action.DELETED).exists()
    assert signed_in_user_id(client) == str(member.pk)


def test_deletion_without_the_tick_deletes_nothing(client, member):
    client.force_login(member)

    response = client.post(DELETE, {"password": PASSWORD})

    assert response.status_code == 200
    assert "안내를 읽었다면 확인란에 표시해 주세요." in response.content.decode()
    assert User.objects.filter(pk=member.pk).exists()


def test_the_right_password_deletes_the_account_and_leaves_only_a_hashed_event(
    client, member, django_capture_on_commit_callbacks
):
    client.force_login(member)
    member_id = member.pk
    membership.change_nickname(member, "새이름")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(DELETE, {"password": PASSWORD, "understood": "on"}, follow=True)

    assert response.redirect_chain == [("/accounts/goodbye/", 302)]
    assert "탈퇴가 끝났습니다" in response.content.decode()
    assert signed_in_user_id(client) is None
    assert not User.objects.filter(pk=member_id).exists()
    assert not Consent.objects.exists()
    assert not EmailAddress.objects.filter(email="reader@example.com").exists()
    deleted = AccountEvent.objects.get(action=Action.DELETED)
    assert deleted.user is None
    assert deleted.user_email == ""
    assert deleted.data == {
        "email_sha256": hashlib.sha256(b"reader@example.com").hexdigest(),
    }
    # Nothing personal is left in the account's history: no address, no nickname.
    history = json.dumps(
        list(AccountEvent.objects.values("user_id", "user_email", "data")), ensure_ascii=False
    )
    assert "reader@example.com" not in history
    assert "솔빛독자" not in history
    assert "새이름" not in history
    assert AccountEvent.objects.count() == 3


def test_deleting_the_account_ends_its_sessions_on_other_devices(
    member, django_capture_on_commit_callbacks
):
    laptop, phone, stranger = Client(), Client(), Client()
    laptop.force_login(member)
    phone.force_login(member)
    stranger.force_login(UserFactory(email="stranger@example.com"))

    with django_capture_on_commit_callbacks(execute=True):
        laptop.post(DELETE, {"password": PASSWORD, "understood": "on"})

    assert not Session.objects.filter(session_key=phone.session.session_key).exists()
    assert Session.objects.filter(session_key=stranger.session.session_key).exists()
    assert phone.get(ME)["Location"].startswith(LOGIN)
    assert membership.end_sessions(member.pk) == 0


def test_after_deletion_the_address_can_sign_up_again_and_the_old_password_fails(client, member):
    client.force_login(member)
    client.post(DELETE, {"password": PASSWORD, "understood": "on"})

    assert log_in(client, "reader@example.com", PASSWORD).status_code == 200
    assert signed_in_user_id(client) is None

    response = sign_up(client, email="reader@example.com", nickname="돌아온독자")

    assert response.status_code == 302
    again = User.objects.get(email="reader@example.com")
    assert again.pk != member.pk
    assert again.nickname == "돌아온독자"
    assert Consent.objects.filter(user=again).count() == 3


def test_the_nickname_of_a_deleted_account_is_free_again(client, member):
    client.force_login(member)
    client.post(DELETE, {"password": PASSWORD, "understood": "on"})

    joined(UserFactory(email="next@example.com"), "솔빛독자")

    assert User.objects.get(nickname="솔빛독자").email == "next@example.com"


@pytest.mark.parametrize("persona", ["reporter", "editor", "moderator", "superuser"])
def test_staff_cannot_delete_their_own_account(request, client, persona):
    staff = request.getfixturevalue(persona)
    client.force_login(staff)

    page = client.get(DELETE).content.decode()
    response = client.post(DELETE, {"password": PASSWORD, "understood": "on"})

    assert "관리자에게 요청해 주세요" in page
    assert 'name="password"' not in page
    assert response.status_code == 200
    assert User.objects.filter(pk=staff.pk).exists()
    with pytest.raises(NotAllowed):
        membership.delete_account(staff, password=PASSWORD)
    assert User.objects.filter(pk=staff.pk).exists()
    assert not AccountEvent.objects.filter(action=Action.DELETED).exists()


def test_staff_whose_role_was_switched_off_still_cannot_delete_themselves(reporter):
    reporter.is_staff = False
    reporter.save(update_fields=["is_staff"])

    with pytest.raises(NotAllowed):
        membership.delete_account(reporter, password=PASSWORD)


def test_membership_refuses_deletion_on_a_wrong_or_empty_password(member):
    for password in ["wrong-password", ""]:
        with pytest.raises(WrongPassword):
            membership.delete_account(member, password=password)

    assert User.objects.filter(pk=member.pk).exists()


def test_an_account_without_a_password_is_asked_to_set_one_first(client, member):
    member.set_unusable_password()
    member.save()
    client.force_login(member)

    page = client.get(DELETE).content.decode()

    assert 'href="/accounts/password/set/"' in page
    assert 'name="password"' not in page


# --- the demo -------------------------------------------------------------------------------


def test_the_demo_reader_has_a_nickname_and_consents_and_a_second_load_adds_none(capsys):
    call_command("load_demo")
    call_command("load_demo")

    reader = User.objects.get(email="reader@example.com")
    assert reader.nickname == "독자1"
    assert Consent.objects.filter(user=reader).count() == 3
    assert AccountEvent.objects.filter(user=reader).count() == 1
