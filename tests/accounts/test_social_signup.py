"""A social sign-up whose provider gives no e-mail address (Kakao may not), walked through
with allauth's test provider standing in for the real one."""

import re

import pytest
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from django.conf import settings
from django.core import mail

from accounts.models import Consent, User

pytestmark = pytest.mark.django_db


def log_in_with_the_provider(client, **identity):
    start = client.post("/accounts/dummy/login/")
    assert start.status_code == 302
    return client.post(start["Location"], {"id": 4242, **identity}, follow=True)


def test_a_provider_without_an_email_leads_to_a_form_that_asks_for_one_and_verifies_it(client):
    page = log_in_with_the_provider(client)

    assert page.redirect_chain[-1][0] == "/accounts/3rdparty/signup/"
    form = page.content.decode()
    assert 'name="email"' in form
    assert 'name="nickname"' in form
    assert 'name="agree_privacy"' in form
    assert not User.objects.exists()

    done = client.post(
        "/accounts/3rdparty/signup/",
        {
            "email": "kakao.reader@example.com",
            "nickname": "카톡독자",
            "agree_terms": "on",
            "agree_privacy": "on",
            "agree_age14": "on",
        },
        follow=True,
    )

    user = User.objects.get(email="kakao.reader@example.com")
    assert user.nickname == "카톡독자"
    assert SocialAccount.objects.get(user=user).uid == "4242"
    assert Consent.objects.filter(user=user).count() == 3
    address = EmailAddress.objects.get(user=user)
    assert address.verified is False, "an address the provider did not vouch for is checked"
    [message] = mail.outbox
    assert message.to == ["kakao.reader@example.com"]
    link = re.search(rf"{settings.SITE_URL}(/accounts/confirm-email/\S+/)", message.body).group(1)
    assert "/accounts/confirm-email/" in done.redirect_chain[-1][0]
    client.post(link)
    address.refresh_from_db()
    assert address.verified is True


def test_the_social_sign_up_without_consents_creates_no_account(client):
    log_in_with_the_provider(client)

    page = client.post(
        "/accounts/3rdparty/signup/",
        {"email": "kakao2@example.com", "nickname": "카톡둘"},
    )

    assert page.status_code == 200
    assert not User.objects.exists()
    assert not SocialAccount.objects.exists()
