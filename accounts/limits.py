"""Abuse limits on log-in, sign-up, verification mails and mailings' confirmation mails
(counted apart, so one never spends the other's allowance): read-only checks that raise
accounts.errors.LimitReached with the moment to try again, and the rows they count.

Log-in limits are by account and address together, so they stop the attacker's address and
not the account's owner: the owner logging in from anywhere else never meets the failures
an attacker piled up. Failures per account and address, and per address over all accounts,
refuse that address for the window (the right password too: an address guessing at an
account gets no more tries). A flood at one account from many addresses cannot be stopped
by address; refusing the account outright would hand every attacker a way to keep its
owner out. Instead, once an account has ACCOUNTS_LOG_IN_FLOOD failures in the window, each
address gets a single try at it: a botnet gets one guess per address per window instead of
five, and an address that has not failed at the account (the owner's) still gets in with
the right password, at any time. The owner who mistyped during a flood waits one window,
or resets the password, which clears the account's failures.

Counted in the database, as the comment throttles are: the house cache fails open (and
allauth's cache counters refuse every log-in while Redis is down), and limits are needed
most when things are already going wrong. The checks do not lock: two tries at the same
instant may go one over a limit, which a guessing attack cannot use to any effect.

Addresses are kept as keyed hashes; an IPv6 address counts by its /64, as allauth's limits
do, since one subscriber holds a whole /64.
"""

import ipaddress
from datetime import datetime, timedelta

from allauth.account.adapter import get_adapter
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils import formats, timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from accounts.errors import LimitReached
from accounts.models import Attempt

Kind = Attempt.Kind
IPV6_PREFIX = 64
# Rows older than this count for no limit any more (accounts.forget_attempts deletes them).
KEEP = timedelta(days=1)
# Each kind of mail's allowance per recipient per KEEP, read when counted (tests and
# deployments change the settings).
MAILS_PER_DAY = {
    Kind.VERIFICATION_MAIL: lambda: settings.ACCOUNTS_VERIFICATION_MAILS_PER_DAY,
    Kind.NEWSLETTER_MAIL: lambda: settings.ACCOUNTS_NEWSLETTER_MAILS_PER_DAY,
}


def client_ip(request) -> str | None:
    """The client's address as allauth reads it (it honours TRUSTED_PROXY_COUNT), or None."""
    if request is None:
        return None
    try:
        return get_adapter(request).get_client_ip(request)
    except PermissionDenied:
        return None


def _hash(purpose: str, value: str | None) -> str:
    if not value:
        return ""
    return salted_hmac(f"accounts.limits.{purpose}", value, algorithm="sha256").hexdigest()


def ip_hash(ip: str | None) -> str:
    try:
        address = ipaddress.ip_address(ip or "")
    except ValueError:
        return _hash("ip", ip)
    if address.version == 6:
        address = ipaddress.IPv6Network(f"{address}/{IPV6_PREFIX}", strict=False).network_address
    return _hash("ip", str(address))


def email_hash(email: str | None) -> str:
    # The address as typed, in any case: "Owner@" and "owner@" are the same account.
    return _hash("email", (email or "").strip().lower())


def _when(moment: datetime) -> str:
    local = timezone.localtime(moment)
    if local.date() == timezone.localdate():
        return formats.time_format(local, "H:i")
    return formats.date_format(local, "Y-m-d H:i")


def _full_until(rows: QuerySet, limit: int, window: timedelta) -> datetime | None:
    """When `rows` (within the window) are `limit` or more: the moment they drop below it,
    as the oldest of the newest `limit` leaves the window. None while under the limit."""
    if not limit:
        return None
    times = list(rows.order_by("-created_at").values_list("created_at", flat=True)[:limit])
    if len(times) < limit:
        return None
    return times[-1] + window


def _record(kind: str, *, email: str | None = None, ip: str | None = None) -> None:
    Attempt.objects.create(kind=kind, email_hash=email_hash(email), ip_hash=ip_hash(ip))


# --- log-in ---------------------------------------------------------------------------------


def check_log_in(email: str, *, ip: str | None, now: datetime | None = None) -> None:
    """Before the password is checked: may this address try this e-mail now?"""
    now = now or timezone.now()
    window = timedelta(minutes=settings.ACCOUNTS_LOG_IN_WINDOW_MINUTES)
    failures = Attempt.objects.filter(kind=Kind.LOG_IN_FAILED, created_at__gt=now - window)
    address = ip_hash(ip)
    retry = _full_until(
        failures.filter(ip_hash=address), settings.ACCOUNTS_LOG_IN_FAILURES_PER_IP, window
    )
    if retry is None:
        at_account = failures.filter(email_hash=email_hash(email))
        tries = settings.ACCOUNTS_LOG_IN_FAILURES_PER_ACCOUNT
        flood = settings.ACCOUNTS_LOG_IN_FLOOD
        if tries and flood and _full_until(at_account, flood, window):
            tries = 1
        retry = _full_until(at_account.filter(ip_hash=address), tries, window)
    if retry is not None:
        raise LimitReached(
            _(
                "Too many failed log-ins have come from your network. You can try again at "
                "%(time)s, or reset your password."
            )
            % {"time": _when(retry)},
            retry,
        )


def log_in_failed(email: str, *, ip: str | None) -> None:
    _record(Kind.LOG_IN_FAILED, email=email, ip=ip)


def log_in_succeeded(email: str, *, ip: str | None) -> None:
    """The owner got in from this address: their own earlier typos there are forgiven.
    Failures of other addresses, and this address's at other accounts, still count."""
    Attempt.objects.filter(
        kind=Kind.LOG_IN_FAILED, email_hash=email_hash(email), ip_hash=ip_hash(ip)
    ).delete()


def password_reset(email: str) -> None:
    """Whoever reset the password reads the account's mail: every address may try again."""
    Attempt.objects.filter(kind=Kind.LOG_IN_FAILED, email_hash=email_hash(email)).delete()


# --- sign-up and verification mails ---------------------------------------------------------


def check_sign_up(email: str, *, ip: str | None, now: datetime | None = None) -> None:
    """Before an account is made (or an "already signed up" mail sent): sign-ups from the
    address in the last hour, and mails to the address given in the last 24 hours. Counted
    whether or not the address has an account, so the answer tells nothing about it."""
    now = now or timezone.now()
    hour = timedelta(hours=1)
    signups = Attempt.objects.filter(kind=Kind.SIGN_UP, created_at__gt=now - hour)
    retry = _full_until(
        signups.filter(ip_hash=ip_hash(ip)), settings.ACCOUNTS_SIGN_UPS_PER_IP_PER_HOUR, hour
    )
    if retry is not None:
        raise LimitReached(
            _(
                "Too many sign-ups have come from your network in the last hour. You can "
                "sign up again at %(time)s."
            )
            % {"time": _when(retry)},
            retry,
        )
    retry = _mails_full_until(email, now)
    if retry is not None:
        raise LimitReached(
            _(
                "This address has been sent as many confirmation e-mails as we send in a "
                "day. You can try again at %(time)s."
            )
            % {"time": _when(retry)},
            retry,
        )


def signed_up(*, ip: str | None) -> None:
    _record(Kind.SIGN_UP, ip=ip)


def check_subscribe(*, ip: str | None, now: datetime | None = None) -> None:
    """Before a request to subscribe to a mailing (a higher app's newsletters) is taken:
    requests from the address in the last hour, counted apart from sign-ups so that one
    does not spend the other's allowance. The mails it sends are may_mail_newsletter's to
    limit."""
    now = now or timezone.now()
    hour = timedelta(hours=1)
    requests = Attempt.objects.filter(
        kind=Kind.SUBSCRIBE, ip_hash=ip_hash(ip), created_at__gt=now - hour
    )
    retry = _full_until(requests, settings.ACCOUNTS_SUBSCRIBES_PER_IP_PER_HOUR, hour)
    if retry is not None:
        raise LimitReached(
            _(
                "Too many requests to subscribe have come from your network in the last "
                "hour. You can try again at %(time)s."
            )
            % {"time": _when(retry)},
            retry,
        )


def subscribe_requested(*, ip: str | None) -> None:
    _record(Kind.SUBSCRIBE, ip=ip)


def _mails_full_until(
    email: str, now: datetime, *, kind: str = Kind.VERIFICATION_MAIL
) -> datetime | None:
    mails = Attempt.objects.filter(
        kind=kind, email_hash=email_hash(email), created_at__gt=now - KEEP
    )
    return _full_until(mails, MAILS_PER_DAY[kind](), KEEP)


def _may_send(kind: str, email: str, *, ip: str | None, now: datetime | None) -> bool:
    if _mails_full_until(email, now or timezone.now(), kind=kind) is not None:
        return False
    _record(kind, email=email, ip=ip)
    return True


def may_mail(email: str, *, ip: str | None, now: datetime | None = None) -> bool:
    """A verification or password-reset mail is about to go to `email`: counts it and
    says whether it may. Mails past the day's limit are not sent: the one who asks cannot
    be the recipient's burden, whatever path (sign-up, log-in, "send again", a reset) asks."""
    return _may_send(Kind.VERIFICATION_MAIL, email, ip=ip, now=now)


def may_mail_newsletter(email: str, *, ip: str | None, now: datetime | None = None) -> bool:
    """A mailing's confirmation mail (a higher app's newsletters) is about to go to
    `email`: as may_mail, but counted apart, with its own daily allowance. Anyone may ask
    for these from a public form, so they must never spend the recipient's verification
    and password-reset mails: five strangers' asks would lock the owner out of recovery."""
    return _may_send(Kind.NEWSLETTER_MAIL, email, ip=ip, now=now)


def forget_old(now: datetime | None = None) -> int:
    """Deletes the rows no limit counts any more. Returns how many."""
    cutoff = (now or timezone.now()) - max(
        KEEP, timedelta(minutes=settings.ACCOUNTS_LOG_IN_WINDOW_MINUTES)
    )
    deleted, _by_model = Attempt.objects.filter(created_at__lt=cutoff).delete()
    return deleted
