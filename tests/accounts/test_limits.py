"""accounts.limits below the pages: how addresses are counted and how old rows go."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts import limits
from accounts.errors import LimitReached
from accounts.models import Attempt
from newsroom.celery import PERIODIC_JOBS, app

pytestmark = pytest.mark.django_db


def test_an_ipv6_subscriber_counts_as_one_address_across_their_64():
    assert limits.ip_hash("2001:db8:1:2::1") == limits.ip_hash("2001:db8:1:2:ffff::9")
    assert limits.ip_hash("2001:db8:1:2::1") != limits.ip_hash("2001:db8:1:3::1")
    assert limits.ip_hash("203.0.113.1") != limits.ip_hash("203.0.113.2")


def test_neither_the_address_nor_the_e_mail_is_kept_readable():
    limits.log_in_failed("Owner@Example.com", ip="203.0.113.7")

    row = Attempt.objects.get()
    assert "203.0.113.7" not in row.ip_hash
    assert row.email_hash == limits.email_hash("owner@example.com")


def test_an_address_with_many_failures_elsewhere_is_refused_here_too(settings):
    settings.ACCOUNTS_LOG_IN_FAILURES_PER_IP = 3
    for n in range(3):
        limits.log_in_failed(f"user{n}@example.com", ip="203.0.113.7")

    with pytest.raises(LimitReached):
        limits.check_log_in("owner@example.com", ip="203.0.113.7")
    limits.check_log_in("owner@example.com", ip="192.0.2.1")


def test_limits_set_to_zero_refuse_nothing(settings):
    settings.ACCOUNTS_LOG_IN_FAILURES_PER_ACCOUNT = 0
    settings.ACCOUNTS_LOG_IN_FAILURES_PER_IP = 0
    settings.ACCOUNTS_VERIFICATION_MAILS_PER_DAY = 0
    for _n in range(10):
        limits.log_in_failed("owner@example.com", ip="203.0.113.7")

    limits.check_log_in("owner@example.com", ip="203.0.113.7")
    assert all(limits.may_mail("owner@example.com", ip=None) for _n in range(10))


def test_the_periodic_job_deletes_only_rows_no_limit_counts():
    limits.log_in_failed("owner@example.com", ip="203.0.113.7")
    Attempt.objects.update(created_at=timezone.now() - timedelta(days=1, minutes=1))
    limits.signed_up(ip="203.0.113.7")

    assert app.tasks["accounts.forget_attempts"]() == 1
    assert list(Attempt.objects.values_list("kind", flat=True)) == [Attempt.Kind.SIGN_UP]
    assert PERIODIC_JOBS["accounts.forget_attempts"] == 60 * 60


def test_mailing_confirmations_have_their_own_allowance_apart_from_verification_mails(
    settings,
):
    assert settings.ACCOUNTS_NEWSLETTER_MAILS_PER_DAY == 3
    sent = [limits.may_mail_newsletter("owner@example.com", ip=None) for _n in range(5)]
    assert sent == [True, True, True, False, False]
    assert [limits.may_mail("owner@example.com", ip=None) for _n in range(6)] == [True] * 5 + [
        False
    ]
    settings.ACCOUNTS_NEWSLETTER_MAILS_PER_DAY = 0
    assert limits.may_mail_newsletter("owner@example.com", ip=None)
