"""Sign-up, log-in, password reset and change, through allauth as a visitor uses them."""

import re

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts import roles
from accounts.models import User
from tests.factories import PASSWORD
from tests.pages import parse

pytestmark = pytest.mark.django_db

SIGNUP = "/accounts/signup/"
LOGIN = "/accounts/login/"
VERIFICATION_SENT = "/accounts/confirm-email/"
NEW_PASSWORD = "a-fresh-long-passphrase-42"

# accounts.limits' default: 5 failures at one account from one address in 15 minutes.
FAILED_LOGINS_ALLOWED = 5
REFUSED = "로그인 실패가 너무 많습니다"
ATTACKER, OWNER = "203.0.113.66", "192.0.2.10"
# django-redis as configured for production, pointed at a port nothing listens on.
UNREACHABLE_REDIS = {
    "BACKEND": "newsroom.cache.FailOpenRedisCache",
    "LOCATION": "redis://127.0.0.1:1/0",
    "OPTIONS": {
        "IGNORE_EXCEPTIONS": True,
        "SOCKET_CONNECT_TIMEOUT": 0.25,
        "SOCKET_TIMEOUT": 0.25,
    },
}


def signed_in_user_id(client) -> str | None:
    return client.session.get("_auth_user_id")


def page(response) -> str:
    return response.content.decode()


def link_in(message, path_prefix: str) -> str:
    """The path of the first link in an e-mail that starts with path_prefix."""
    site = re.escape(settings.SITE_URL)
    match = re.search(rf"{site}({re.escape(path_prefix)}[^\s]*?/)", message.body)
    assert match, message.body
    return match.group(1)


def sign_up(
    client,
    email: str = "new@example.com",
    password: str = NEW_PASSWORD,
    nickname: str = "새독자",
    **options,
):
    return client.post(
        SIGNUP,
        {
            "email": email,
            "nickname": nickname,
            "password1": password,
            "password2": password,
            "agree_terms": "on",
            "agree_privacy": "on",
            "agree_age14": "on",
        },
        **options,
    )


def log_in(client, email: str, password: str = PASSWORD, **params):
    url = LOGIN
    if params:
        url += "?" + "&".join(f"{key}={value}" for key, value in params.items())
    return client.post(url, {"login": email, "password": password})


# --- sign-up and e-mail verification ------------------------------------------------------


def test_sign_up_sends_a_verification_email_and_does_not_log_in(client):
    response = sign_up(client, "New.Person@Example.com")

    assert response.status_code == 302
    assert response["Location"] == VERIFICATION_SENT
    user = User.objects.get()
    assert user.email == "new.person@example.com"
    assert not EmailAddress.objects.get(user=user).verified
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["new.person@example.com"]
    assert message.subject.startswith("[솔빛경제] ")
    assert "/accounts/confirm-email/" in message.body
    assert signed_in_user_id(client) is None


def test_the_sign_up_and_log_in_messages_and_e_mails_read_as_natural_korean(client):
    response = sign_up(client, follow=True)
    assert "new@example.com 주소로 확인 링크를 보냈습니다." in page(response)
    [confirmation] = mail.outbox
    assert confirmation.subject == "[솔빛경제] 이메일 주소를 확인해 주세요"
    confirm_url = link_in(confirmation, "/accounts/confirm-email/")
    asked = parse(client.get(confirm_url)).one("main").text
    assert "새독자 님, new@example.com 주소가 맞으면 확인을 눌러 가입을 마쳐 주세요." in asked
    assert asked.count("new@example.com") == 1
    client.post(confirm_url)
    confirmed = client.get(reverse("accounts:personal")).json()["messages"]
    assert "이메일 주소를 확인했습니다: new@example.com" in confirmed
    client.logout()

    client.post(LOGIN, {"login": "new@example.com", "password": NEW_PASSWORD})
    welcome = client.get(reverse("accounts:personal")).json()["messages"]
    assert "새독자 님, 반갑습니다." in welcome  # the nickname, never the address
    assert "new@example.com" not in welcome

    client.post(reverse("account_reset_password"), {"email": "new@example.com"})
    assert mail.outbox[-1].subject == "[솔빛경제] 새 비밀번호 설정 안내"


def test_unverified_new_user_sees_the_site_as_a_visitor(client):
    sign_up(client)

    home = page(client.get("/"))
    assert 'href="/accounts/login/"' in home
    assert 'action="/accounts/logout/"' not in home
    response = client.get("/accounts/password/change/")
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def test_unverified_user_cannot_log_in_with_the_right_password(client):
    sign_up(client)
    client.logout()

    response = log_in(client, "new@example.com", NEW_PASSWORD)

    assert response.status_code == 302
    assert response["Location"] == VERIFICATION_SENT
    assert signed_in_user_id(client) is None


# The confirm page signs the key again with the current second: a frozen clock keeps it
# the same as the e-mailed one.
@time_machine.travel("2026-03-02 09:00:00+09:00", tick=False)
def test_confirmation_link_shows_a_confirm_page_and_posting_it_verifies_and_logs_in(client):
    sign_up(client)
    confirm_url = link_in(mail.outbox[0], "/accounts/confirm-email/")

    confirm_page = client.get(confirm_url)

    # Looking at the link (as mail scanners do) changes nothing.
    assert confirm_page.status_code == 200
    assert f'action="{confirm_url}"' in page(confirm_page)
    assert not EmailAddress.objects.get(email="new@example.com").verified
    assert signed_in_user_id(client) is None

    response = client.post(confirm_url)

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert EmailAddress.objects.get(email="new@example.com").verified
    user = User.objects.get(email="new@example.com")
    assert signed_in_user_id(client) == str(user.pk)
    # The front page is the one everyone gets; the header's own part comes from the
    # personal request its script makes, because the log-in set the reader's marker.
    assert client.cookies[settings.PAGE_CACHE_MEMBER_COOKIE].value == "1"
    header = client.get(reverse("accounts:personal")).json()["account"]
    assert 'href="/accounts/me/">새독자</a>' in header
    assert "new@example.com" not in header
    assert "로그아웃" in header


def test_verified_new_user_can_log_in_later(client):
    sign_up(client)
    client.post(link_in(mail.outbox[0], "/accounts/confirm-email/"))
    client.logout()

    response = log_in(client, "new@example.com", NEW_PASSWORD)

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert signed_in_user_id(client) is not None


def test_a_made_up_confirmation_key_verifies_nothing(client):
    sign_up(client)

    client.post("/accounts/confirm-email/not-a-real-key/")

    assert not EmailAddress.objects.get(email="new@example.com").verified
    assert signed_in_user_id(client) is None


def test_address_differing_only_in_case_cannot_sign_up_a_second_account(client, reader):
    response = sign_up(client, "Reader@EXAMPLE.com")

    # allauth does not reveal that the address is taken: the page looks like any sign-up,
    # and the owner of the address gets a note pointing at password reset instead.
    assert response.status_code == 302
    assert User.objects.filter(email__iexact="reader@example.com").count() == 1
    assert User.objects.count() == 1
    assert signed_in_user_id(client) is None
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["reader@example.com"]
    assert "/accounts/password/reset/" in mail.outbox[0].body
    assert "/accounts/confirm-email/" not in mail.outbox[0].body


def test_sign_up_with_mismatched_passwords_shows_the_form_again(client):
    response = client.post(
        SIGNUP,
        {
            "email": "new@example.com",
            "nickname": "새독자",
            "password1": NEW_PASSWORD,
            "password2": "other",
            "agree_terms": "on",
            "agree_privacy": "on",
            "agree_age14": "on",
        },
    )

    assert response.status_code == 200
    assert response.context["form"].errors
    assert not User.objects.exists()
    assert mail.outbox == []


def test_sign_ups_from_one_address_are_limited_per_hour(settings):
    settings.ACCOUNTS_SIGN_UPS_PER_IP_PER_HOUR = 2
    crowd = Client(REMOTE_ADDR=ATTACKER)
    with time_machine.travel("2026-03-02 09:00 +0900", tick=False) as clock:
        for n in range(2):
            assert sign_up(crowd, f"new{n}@example.com", nickname=f"새독자{n}").status_code == 302

        refused = sign_up(crowd, "new2@example.com", nickname="새독자둘")

        assert refused.status_code == 200
        assert "같은 네트워크에서 가입이 너무 많았습니다. 10:00부터" in page(refused)
        assert User.objects.count() == 2
        assert len(mail.outbox) == 2
        elsewhere = Client(REMOTE_ADDR=OWNER)
        assert sign_up(elsewhere, "new2@example.com", nickname="새독자둘").status_code == 302
        clock.shift(60 * 60)
        assert sign_up(crowd, "new3@example.com", nickname="새독자셋").status_code == 302


def test_verification_mails_to_one_address_are_limited_per_day(settings):
    settings.ACCOUNTS_VERIFICATION_MAILS_PER_DAY = 2
    # allauth's own 3-minute pause between mails to one address, out of the way: the day's
    # limit is what a patient sender meets. Each sign-up from its own address: only the
    # recipient's limit applies.
    settings.ACCOUNT_EMAIL_CONFIRMATION_COOLDOWN = 0
    for n in range(2):
        response = sign_up(
            Client(REMOTE_ADDR=f"198.51.100.{n + 1}"), "victim@example.com", nickname=f"독자{n}"
        )
        assert response.status_code == 302
    assert [message.to for message in mail.outbox] == [["victim@example.com"]] * 2

    refused = sign_up(Client(REMOTE_ADDR="198.51.100.9"), "Victim@Example.com", nickname="독자셋")

    assert refused.status_code == 200
    assert "이 주소로는 하루에 보낼 수 있는 확인 메일을 모두 보냈습니다." in page(refused)
    assert len(mail.outbox) == 2


def test_log_ins_of_an_unconfirmed_account_resend_the_mail_only_up_to_the_limit(client, settings):
    settings.ACCOUNTS_VERIFICATION_MAILS_PER_DAY = 2
    settings.ACCOUNT_EMAIL_CONFIRMATION_COOLDOWN = 0
    sign_up(client, "new@example.com")

    for _attempt in range(3):
        log_in(client, "new@example.com", NEW_PASSWORD)

    assert len(mail.outbox) == 2


# --- log-in ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "work"),
    [("reporter", "/desk/"), ("editor", "/desk/queue/"), ("moderator", "/desk/comments/")],
)
def test_each_staff_role_lands_where_its_work_is(request, client, persona, work):
    user = request.getfixturevalue(persona)

    response = log_in(client, user.email)

    assert response.status_code == 302
    assert response["Location"] == work
    assert signed_in_user_id(client) == str(user.pk)
    assert client.get(work).status_code == 200


def test_an_editor_who_also_moderates_starts_on_the_review_queue(client, editor):
    roles.grant_role(editor, roles.Role.MODERATOR, actor=None)

    assert log_in(client, editor.email)["Location"] == "/desk/queue/"


def test_reader_logging_in_lands_on_the_front_page(client, reader):
    response = log_in(client, "reader@example.com")

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert signed_in_user_id(client) == str(reader.pk)


def test_superuser_without_a_role_logging_in_lands_on_the_front_page(client, superuser):
    response = log_in(client, "admin@example.com")

    assert response.status_code == 302
    assert response["Location"] == "/"


def test_log_in_accepts_the_address_in_any_case(client, reporter):
    response = log_in(client, "Reporter@Example.COM")

    assert response.status_code == 302
    assert signed_in_user_id(client) == str(reporter.pk)


def test_log_in_with_a_next_page_goes_there(client, reporter):
    response = log_in(client, "reporter@example.com", next="/en/desk/")

    assert response.status_code == 302
    assert response["Location"] == "/en/desk/"


def test_wrong_password_shows_an_error_and_does_not_log_in(client, reader):
    response = log_in(client, "reader@example.com", "not-the-password")

    assert response.status_code == 200
    assert "이메일 또는 비밀번호가 올바르지 않습니다." in page(response)
    assert signed_in_user_id(client) is None


def test_unknown_address_shows_the_same_error_as_a_wrong_password(client):
    response = log_in(client, "nobody@example.com", "whatever-password")

    assert response.status_code == 200
    assert "이메일 또는 비밀번호가 올바르지 않습니다." in page(response)
    assert signed_in_user_id(client) is None


def test_an_address_that_keeps_failing_is_refused_even_the_right_password(client, reporter):
    for _attempt in range(FAILED_LOGINS_ALLOWED):
        response = log_in(client, "reporter@example.com", "guess-again")
        assert response.status_code == 200
        assert REFUSED not in page(response)

    response = log_in(client, "reporter@example.com", PASSWORD)

    assert response.status_code == 200
    assert REFUSED in page(response)
    assert signed_in_user_id(client) is None


def test_the_owner_from_another_address_gets_in_while_the_attacker_is_refused(reporter):
    attacker, owner = Client(REMOTE_ADDR=ATTACKER), Client(REMOTE_ADDR=OWNER)
    for _attempt in range(FAILED_LOGINS_ALLOWED):
        log_in(attacker, "reporter@example.com", "guess-again")

    assert REFUSED in page(log_in(attacker, "reporter@example.com", "guess-again"))
    response = log_in(owner, "reporter@example.com", PASSWORD)

    assert response.status_code == 302
    assert signed_in_user_id(owner) == str(reporter.pk)


def test_failures_count_the_address_typed_in_any_case(client, reporter):
    for attempt in range(FAILED_LOGINS_ALLOWED):
        email = "reporter@example.com" if attempt % 2 else "REPORTER@example.com"
        log_in(client, email, "guess-again")

    response = log_in(client, "Reporter@Example.com", PASSWORD)

    assert REFUSED in page(response)
    assert signed_in_user_id(client) is None


def test_failures_below_the_limit_still_let_the_right_password_in(client, reporter):
    for _attempt in range(FAILED_LOGINS_ALLOWED - 1):
        log_in(client, "reporter@example.com", "guess-again")

    response = log_in(client, "reporter@example.com", PASSWORD)

    assert response.status_code == 302
    assert signed_in_user_id(client) == str(reporter.pk)


def test_the_owners_own_typos_are_forgiven_once_they_get_in(client, reporter):
    for _attempt in range(FAILED_LOGINS_ALLOWED - 1):
        log_in(client, "reporter@example.com", "guess-again")
    log_in(client, "reporter@example.com", PASSWORD)
    client.logout()

    for _attempt in range(FAILED_LOGINS_ALLOWED - 1):
        log_in(client, "reporter@example.com", "guess-again")

    assert log_in(client, "reporter@example.com", PASSWORD).status_code == 302


def test_an_address_refused_at_one_account_still_logs_in_to_another(client, reporter, editor):
    for _attempt in range(FAILED_LOGINS_ALLOWED):
        log_in(client, "reporter@example.com", "guess-again")

    response = log_in(client, "editor@example.com", PASSWORD)

    assert response.status_code == 302
    assert signed_in_user_id(client) == str(editor.pk)


def test_an_address_guessing_at_many_accounts_is_refused_at_every_account(client, settings, editor):
    settings.ACCOUNTS_LOG_IN_FAILURES_PER_IP = 6
    for n in range(6):
        log_in(client, f"someone{n}@example.com", "guess-again")

    response = log_in(client, "editor@example.com", PASSWORD)

    assert REFUSED in page(response)
    assert signed_in_user_id(client) is None
    assert log_in(Client(REMOTE_ADDR=OWNER), "editor@example.com", PASSWORD).status_code == 302


def test_a_flood_from_many_addresses_leaves_each_one_try_and_the_owner_a_way_in(settings, reporter):
    settings.ACCOUNTS_LOG_IN_FLOOD = 4
    for n in range(4):
        log_in(Client(REMOTE_ADDR=f"198.51.100.{n + 1}"), "reporter@example.com", "guess")
    bot = Client(REMOTE_ADDR="198.51.100.99")

    first, second = (log_in(bot, "reporter@example.com", "guess") for _try in range(2))

    assert REFUSED not in page(first)
    assert REFUSED in page(second)
    owner = Client(REMOTE_ADDR=OWNER)
    assert log_in(owner, "reporter@example.com", PASSWORD).status_code == 302


def test_a_refused_address_may_try_again_once_the_window_has_passed(client, settings, reporter):
    with time_machine.travel("2026-03-02 09:00 +0900", tick=False) as clock:
        for _attempt in range(FAILED_LOGINS_ALLOWED):
            log_in(client, "reporter@example.com", "guess-again")
        refused = log_in(client, "reporter@example.com", PASSWORD)
        assert "09:15부터 다시 시도" in page(refused)

        clock.shift(settings.ACCOUNTS_LOG_IN_WINDOW_MINUTES * 60 + 1)

        assert log_in(client, "reporter@example.com", PASSWORD).status_code == 302


def test_log_in_limits_hold_with_the_cache_down(settings, reporter):
    settings.CACHES = {"default": UNREACHABLE_REDIS}
    attacker, owner = Client(REMOTE_ADDR=ATTACKER), Client(REMOTE_ADDR=OWNER)
    for _attempt in range(FAILED_LOGINS_ALLOWED):
        log_in(attacker, "reporter@example.com", "guess-again")

    assert REFUSED in page(log_in(attacker, "reporter@example.com", PASSWORD))
    assert log_in(owner, "reporter@example.com", PASSWORD).status_code == 302


# --- the admin signs in through allauth --------------------------------------------------


def test_admin_log_in_page_redirects_to_the_site_log_in(client):
    response = client.get("/admin/login/?next=/admin/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=%2Fadmin%2F"


def test_admin_log_in_refuses_to_pass_on_an_outside_next_address(client):
    response = client.get("/admin/login/?next=https://evil.example/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=%2Fadmin%2F"


def test_anonymous_visitor_to_the_admin_ends_on_the_site_log_in(client):
    response = client.get("/admin/", follow=True)

    assert response.status_code == 200
    assert response.redirect_chain[-1] == ("/accounts/login/?next=%2Fadmin%2F", 302)


def test_superuser_logging_in_from_the_admin_reaches_the_admin(client, superuser):
    response = log_in(client, "admin@example.com", next="%2Fadmin%2F")

    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


# --- password reset -------------------------------------------------------------------------


def request_reset_link(client, email: str) -> str:
    response = client.post("/accounts/password/reset/", {"email": email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [email]
    return link_in(mail.outbox[0], "/accounts/password/reset/key/")


def test_password_reset_link_sets_a_new_password(client, reader):
    key_url = request_reset_link(client, "reader@example.com")

    # allauth moves the key from the URL into the session before showing the form.
    response = client.get(key_url)
    assert response.status_code == 302
    form_url = response["Location"]
    assert form_url.startswith("/accounts/password/reset/key/")
    assert form_url.endswith("-set-password/")
    form_page = client.get(form_url)
    assert form_page.status_code == 200
    assert 'name="password1"' in page(form_page)

    response = client.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == "/accounts/password/reset/key/done/"
    assert signed_in_user_id(client) is None

    old = log_in(client, "reader@example.com", PASSWORD)
    assert old.status_code == 200
    assert signed_in_user_id(client) is None
    new = log_in(client, "reader@example.com", NEW_PASSWORD)
    assert new.status_code == 302
    assert signed_in_user_id(client) == str(reader.pk)


def test_password_reset_link_works_only_once(client, reader):
    key_url = request_reset_link(client, "reader@example.com")
    form_url = client.get(key_url)["Location"]
    client.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

    response = client.get(key_url)

    assert response.status_code == 200
    assert "비밀번호 초기화 링크가 올바르지 않습니다." in page(response)
    assert 'name="password1"' not in page(response)
    assert User.objects.get(pk=reader.pk).check_password(NEW_PASSWORD)


def test_password_reset_for_an_unknown_address_sends_no_reset_link(client):
    response = client.post("/accounts/password/reset/", {"email": "nobody@example.com"})

    # The page does not tell whether the address has an account.
    assert response.status_code == 302
    assert all("/accounts/password/reset/key/" not in message.body for message in mail.outbox)


def test_password_reset_mails_to_one_address_stop_at_the_daily_limit(client, reader, settings):
    settings.ACCOUNTS_VERIFICATION_MAILS_PER_DAY = 2
    for caller in ("198.51.100.1", "198.51.100.2", "198.51.100.3"):
        response = Client(REMOTE_ADDR=caller).post(
            "/accounts/password/reset/", {"email": "reader@example.com"}
        )
        assert response.status_code == 302

    assert len(mail.outbox) == 2


def test_password_reset_works_and_stays_capped_with_the_cache_down(client, reader, settings):
    settings.CACHES = {"default": UNREACHABLE_REDIS}
    settings.ACCOUNTS_VERIFICATION_MAILS_PER_DAY = 1

    key_url = request_reset_link(client, "reader@example.com")
    again = client.post("/accounts/password/reset/", {"email": "reader@example.com"})

    assert key_url.startswith("/accounts/password/reset/key/")
    assert again.status_code == 302
    assert len(mail.outbox) == 1


def test_password_reset_lifts_a_lock_out(client, reader):
    for _attempt in range(FAILED_LOGINS_ALLOWED):
        log_in(client, "reader@example.com", "guess-again")
    key_url = request_reset_link(client, "reader@example.com")
    form_url = client.get(key_url)["Location"]
    client.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

    response = log_in(client, "reader@example.com", NEW_PASSWORD)

    assert response.status_code == 302
    assert signed_in_user_id(client) == str(reader.pk)


# --- password change ------------------------------------------------------------------------


def test_logged_in_user_changes_their_password(client, reader):
    client.force_login(reader)

    response = client.post(
        "/accounts/password/change/",
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert response.status_code == 302
    # Changing the password keeps this session signed in.
    assert signed_in_user_id(client) == str(reader.pk)
    client.logout()
    log_in(client, "reader@example.com", PASSWORD)
    assert signed_in_user_id(client) is None
    log_in(client, "reader@example.com", NEW_PASSWORD)
    assert signed_in_user_id(client) == str(reader.pk)


def test_password_change_with_the_wrong_current_password_is_refused(client, reader):
    client.force_login(reader)

    response = client.post(
        "/accounts/password/change/",
        {"oldpassword": "not-it", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert response.status_code == 200
    assert "oldpassword" in response.context["form"].errors
    assert User.objects.get(pk=reader.pk).check_password(PASSWORD)


def test_password_change_page_sends_anonymous_visitors_to_log_in(anonymous):
    response = anonymous.get("/accounts/password/change/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/accounts/password/change/"


def test_the_confirmation_mail_is_signed_by_the_paper_with_the_link_on_its_own_line(client):
    sign_up(client)

    message = mail.outbox[0]
    link = link_in(message, "/accounts/confirm-email/")
    assert any(
        line.strip().endswith(link) and line.strip().startswith("http")
        for line in message.body.splitlines()
    )
    assert "솔빛경제" in message.body
    assert "testserver" not in message.body.split("\n")[0]


def test_every_link_in_the_account_e_mails_leads_to_the_site_address_not_the_request_host(
    reader, settings
):
    settings.SITE_URL = "https://news.example.com"

    sign_up(Client(), "new@example.com")
    sign_up(Client(), "Reader@example.com", nickname="다른독자")
    Client().post("/accounts/password/reset/", {"email": reader.email})

    links = [re.findall(r"https?://\S+", message.body) for message in mail.outbox]
    assert len(links) == 3
    assert all(links)
    assert {link.split("/accounts/")[0] for found in links for link in found} == {
        "https://news.example.com"
    }
    assert "https://news.example.com/accounts/confirm-email/" in mail.outbox[0].body
    assert "https://news.example.com/accounts/password/reset/" in mail.outbox[1].body
    assert "https://news.example.com/accounts/password/reset/key/" in mail.outbox[2].body
