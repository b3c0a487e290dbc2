"""Nicknames go through the comment word list, at sign-up and at every change, through the
checks registered in ACCOUNTS_NICKNAME_CHECKS (accounts never imports comments)."""

from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings

from accounts import legal, membership, validators
from accounts.models import AccountEvent, Consent, User
from comments import nicknames as comment_nicknames
from comments import wordrules
from tests.accounts.test_membership import ME, joined, sign_up
from tests.accounts.test_social_signup import log_in_with_the_provider
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

Action = AccountEvent.Action
LINK_REFUSED = "닉네임에는 인터넷 주소를 넣을 수 없습니다."


def refused_part(part: str) -> str:
    return f"닉네임의 “{part}” 부분은 쓸 수 없는 말입니다. 다른 닉네임을 골라 주세요."


def nothing_created():
    return not (User.objects.exists() or Consent.objects.exists() or AccountEvent.objects.exists())


@pytest.fixture
def member(reader):
    return joined(reader, "솔빛독자")


def nickname_kept(member) -> bool:
    member.refresh_from_db()
    changed = AccountEvent.objects.filter(action=Action.NICKNAME_CHANGED).exists()
    return member.nickname == "솔빛독자" and not changed


# --- sign-up --------------------------------------------------------------------------------


def test_sign_up_with_a_banned_word_in_the_nickname_creates_no_account_and_names_it(
    client, mailoutbox
):
    response = sign_up(client, nickname="씨발왕")

    assert response.status_code == 200
    assert refused_part("씨발") in response.content.decode()
    assert nothing_created()
    assert mailoutbox == []


@pytest.mark.parametrize("nickname", ["씨1발왕", "Sibal99", "tlqkf왕", "존나멋짐"])
def test_sign_up_with_a_banned_word_written_to_evade_the_list_is_refused(client, nickname):
    response = sign_up(client, nickname=nickname)

    assert response.status_code == 200
    assert "부분은 쓸 수 없는 말입니다" in response.content.decode()
    assert nothing_created()


def test_the_refusal_quotes_the_nickname_as_the_reader_typed_it(client):
    # The word rules say where in the text the banned word matched (Verdict.banned_span):
    # the reader sees the part of their own nickname to change, not the listed word.
    response = sign_up(client, nickname="씨1발왕")

    assert refused_part("씨1발") in response.content.decode()


def test_sign_up_with_a_web_address_spelled_out_in_the_nickname_is_refused(client):
    response = sign_up(client, nickname="광고닷컴")

    assert response.status_code == 200
    assert LINK_REFUSED in response.content.decode()
    assert nothing_created()


def test_a_suspect_word_is_allowed_in_a_nickname(client):
    # 또라이 holds a comment for a moderator; a nickname has no queue to wait in.
    response = sign_up(client, nickname="또라이왕")

    assert response.status_code == 302
    assert User.objects.get(email="new@example.com").nickname == "또라이왕"


def test_the_social_sign_up_refuses_a_banned_nickname_too(client):
    log_in_with_the_provider(client)

    page = client.post(
        "/accounts/3rdparty/signup/",
        {
            "email": "kakao@example.com",
            "nickname": "씨발왕",
            "agree_terms": "on",
            "agree_privacy": "on",
            "agree_age14": "on",
        },
    )

    assert page.status_code == 200
    assert refused_part("씨발") in page.content.decode()
    assert not User.objects.exists()


def test_membership_refuses_a_banned_nickname_whoever_calls_it(reader):
    # The demo loader and commands sign readers up through accounts.membership.
    with pytest.raises(ValidationError) as refused:
        membership.sign_up(reader, nickname="씨발왕", agreed=legal.REQUIRED_AT_SIGNUP)

    assert refused.value.messages == [refused_part("씨발")]
    reader.refresh_from_db()
    assert reader.nickname == ""
    assert not AccountEvent.objects.exists()


def test_the_nickname_rules_run_before_the_word_list():
    # A broken nickname is told what is broken first: the word list never sees it.
    with pytest.raises(ValidationError) as refused:
        validators.validate_nickname("씨발!")

    assert refused.value.code == "characters"


def test_a_banned_nickname_already_taken_is_refused_for_the_word(client):
    # Written past the checks (an account from before the rule): its name is not offered
    # back as "taken", which would tell the reader the name is otherwise fine.
    User.objects.filter(pk=UserFactory(email="old@example.com").pk).update(nickname="씨발왕")

    response = sign_up(client, nickname="씨발왕")

    assert refused_part("씨발") in response.content.decode()
    assert "이미 사용 중인 닉네임입니다." not in response.content.decode()


# --- my page --------------------------------------------------------------------------------


def test_changing_to_a_banned_nickname_on_my_page_keeps_the_old_one(client, member):
    client.force_login(member)

    response = client.post(ME, {"nickname": "씨발왕"})

    assert response.status_code == 200
    assert refused_part("씨발") in response.content.decode()
    assert nickname_kept(member)


def test_changing_to_a_nickname_with_a_web_address_on_my_page_keeps_the_old_one(client, member):
    client.force_login(member)

    response = client.post(ME, {"nickname": "네이버닷컴"})

    assert response.status_code == 200
    assert LINK_REFUSED in response.content.decode()
    assert nickname_kept(member)


def test_membership_refuses_a_change_to_a_banned_nickname(member):
    with pytest.raises(ValidationError):
        membership.change_nickname(member, "씨1발왕")

    assert nickname_kept(member)


# --- innocent names -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "nickname",
    [
        "감염병연구자",  # 염병 inside 감염병 (an infectious disease)
        "김씨발전소",  # 김씨 + 발전소 (Mr Kim's power plant): 씨발 across a word boundary
        "아저씨발명왕",  # 아저씨 + 발명왕
        "시바견러버",  # 시바견, the dog
        "병신년생",  # born in 丙申年
    ],
)
def test_innocent_nicknames_holding_a_banned_words_letters_pass(nickname):
    assert validators.validate_nickname(nickname) == nickname


# --- the hook -------------------------------------------------------------------------------


@override_settings(ACCOUNTS_NICKNAME_CHECKS=[])
def test_without_registered_checks_a_banned_nickname_is_accepted(client, member):
    # The setting is the only thing joining nicknames to the word list.
    assert sign_up(client, nickname="씨발왕").status_code == 302
    assert User.objects.get(email="new@example.com").nickname == "씨발왕"

    client.force_login(member)
    client.post(ME, {"nickname": "네이버닷컴"})
    member.refresh_from_db()
    assert member.nickname == "네이버닷컴"


SEEN = []


def refuse_everything(nickname: str) -> str:
    SEEN.append(f"refused {nickname}")
    return f"no to {nickname}"


def accept_everything(nickname: str) -> None:
    SEEN.append(f"accepted {nickname}")


CHECKS = f"{__name__}.accept_everything", f"{__name__}.refuse_everything"


@override_settings(ACCOUNTS_NICKNAME_CHECKS=list(CHECKS))
def test_registered_checks_run_in_order_on_the_cleaned_nickname_and_are_imported_once(
    monkeypatch,
):
    imports = []
    real_import = validators.import_string
    monkeypatch.setattr(
        validators, "import_string", lambda path: imports.append(path) or real_import(path)
    )
    validators._imported.cache_clear()
    SEEN.clear()

    for _ in range(2):
        with pytest.raises(ValidationError) as refused:
            validators.validate_nickname("  솔빛  ")

    assert refused.value.messages == ["no to 솔빛"]
    assert refused.value.code == "not_allowed"
    assert SEEN == ["accepted 솔빛", "refused 솔빛"] * 2
    assert imports == list(CHECKS)
    validators._imported.cache_clear()


def test_the_site_registers_the_comment_word_list():
    assert validators.nickname_checks() == (comment_nicknames.check_nickname,)


@override_settings(ACCOUNTS_NICKNAME_CHECKS=["accounts.no_such_module.check"])
def test_a_registered_check_that_does_not_exist_is_an_error_not_a_pass():
    with pytest.raises(ImportError):
        validators.validate_nickname("솔빛")


# --- the comment check ----------------------------------------------------------------------


def rules_answering(monkeypatch, verdict):
    monkeypatch.setattr(
        comment_nicknames, "word_rules", lambda: SimpleNamespace(check=lambda text: verdict)
    )


def test_the_comment_check_quotes_the_matched_span_of_the_nickname(monkeypatch):
    rules_answering(
        monkeypatch, SimpleNamespace(banned=wordrules.Rule("씨발"), banned_span=(0, 3), link=False)
    )

    assert comment_nicknames.check_nickname("씨1발왕") == refused_part("씨1발")
