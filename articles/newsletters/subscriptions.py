"""Readers' subscriptions to newsletters: the only code that changes Subscriber and
Subscription rows, but for the suspension after a bounce or a complaint, which
articles.newsletters.bounces writes (history: "suspended"). A bounce's is lifted here by
asking again and confirming by mail (the mail arrived: the mailbox works). A complaint's
(the owner marked an issue as spam) only by the account holding the address verified,
subscribing again from its my page: the public form sends such an address no mail at all,
with the same answer as always, and a confirmation link does not lift it.

Double opt-in: asking to subscribe puts each chosen newsletter's subscription PENDING with
the consent version agreed to, and one mail carries a signed link to confirm them all;
nothing is sent to the address until it is opened. A reader signed in with a verified
account e-mail who subscribes that address from their my page is confirmed at once: the
account's own verification already proved the mailbox, and the my page's form is
CSRF-protected, so no one else can ask in their name. The public forms never read the
session (they post without a CSRF token, from cached pages): they always go by mail.
A subscriber is linked to an account only when the account holds the address verified
(allauth's EmailAddress): user.email alone proves nothing, since an account made in the
admin has none and a sign-up may type anyone's address before verifying it.

Links are signed with django.core.signing, each kind with its own salt: a confirmation link
expires after CONFIRM_MAX_AGE; an unsubscribe link never does (it sits in every issue ever
sent, and RFC 8058 mail clients keep it). Tokens never reach the history or the outbox (the
task makes the link itself), and the request log names routes, not paths.

Each function locks the subscriber's row, changes the subscriptions, and writes one
SubscriptionEvent per subscription changed, in the same transaction; the confirmation mail
is a task enqueued through the outbox, sent after commit.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from accounts import limits
from accounts.errors import require
from accounts.models import User
from accounts.names import display_name
from articles.errors import LinkExpired, LinkInvalid, SubscriptionRefused
from articles.newsletters import bounces
from articles.newsletters.models import Newsletter, Subscriber, Subscription, SubscriptionEvent
from newsroom import outbox
from newsroom.links import absolute_url

Status = Subscription.Status
Action = SubscriptionEvent.Action

# The version of CONSENT_TEXT (its effective date), kept on every subscription asked for:
# a new wording gets a new version, and subscriptions keep the one they agreed to.
NEWSLETTER_CONSENT_VERSION = "2026-12-08"
CONSENT_TEXT = _(
    "I agree that the newsroom keeps my e-mail address to send me the newsletters I chose, "
    "until I unsubscribe."
)
CONFIRM_SALT = "articles.newsletters.confirm"
UNSUBSCRIBE_SALT = "articles.newsletters.unsubscribe"
CONFIRM_MAX_AGE = timedelta(days=7)
# A second ask for a subscription already waiting, within this time, is the same ask (a
# double submit, a reload): no second mail, no second history row.
SAME_ASK = timedelta(minutes=10)
HOW = {"one_click", "link", "my_page"}


@dataclass
class Asked:
    """What a request to subscribe did: the subscriptions now waiting for the link, those
    confirmed (already, or at once), and whether a confirmation mail was sent."""

    subscriber: Subscriber
    pending: list[Subscription] = field(default_factory=list)
    confirmed: list[Subscription] = field(default_factory=list)
    mailed: bool = False


@dataclass
class Confirmed:
    subscriber: Subscriber
    confirmed: list[Subscription]  # by this link, now
    subscriptions: list[Subscription]  # every confirmed one of the subscriber's


def normalise(email: str) -> str:
    """One address, one subscriber: compared without case and surrounding spaces (mail
    providers here treat the local part without case too)."""
    return (email or "").strip().lower()


def check_email(email: str) -> str:
    """The address normalised, or SubscriptionRefused: HTML, scripts, spaces and anything
    else that is not one address are refused, not cleaned."""
    address = normalise(email)
    try:
        validate_email(address)
    except ValidationError:
        raise SubscriptionRefused(
            _("Write one e-mail address, such as name@example.com.")
        ) from None
    if len(address) > Subscriber._meta.get_field("email").max_length:
        raise SubscriptionRefused(_("This e-mail address is too long."))
    return address


def _record(
    subscriber: Subscriber,
    action: str,
    *,
    newsletter: Newsletter | None = None,
    actor: User | None = None,
    old: str = "",
    new: str = "",
    note: str = "",
    data: dict | None = None,
) -> SubscriptionEvent:
    return SubscriptionEvent.objects.create(
        subscriber=subscriber,
        newsletter=newsletter,
        action=action,
        from_status=old,
        to_status=new,
        actor=actor,
        actor_name=display_name(actor),
        note=note,
        data=data or {},
    )


def _holds_verified(user: User, address: str) -> bool:
    """Whether the account proved it reads `address`: the one proof for linking and for
    confirming at once."""
    return EmailAddress.objects.filter(user=user, email__iexact=address, verified=True).exists()


def _verified_owner(address: str) -> User | None:
    found = (
        EmailAddress.objects.filter(email__iexact=address, verified=True)
        .select_related("user")
        .first()
    )
    return found.user if found is not None else None


def _locked_subscriber(address: str) -> Subscriber:
    """The address's subscriber, made if new, locked for the rest of the transaction."""
    # Two first asks for one address at the same instant: get_or_create's insert fails on
    # the unique address in its savepoint and it reads the other's row instead.
    Subscriber.objects.get_or_create(email=address)
    return Subscriber.objects.select_for_update().get(email=address)


def _link(subscriber: Subscriber, user: User, *, how: str) -> bool:
    """Link the subscriber to the account holding its address verified, unless either is
    linked already (an account that changed its e-mail keeps the subscriber of its old one:
    the link is one to one). The account's verification is checked here, for every
    caller: a linked subscriber is the account's to read and to resubscribe after a
    complaint, so an unverified account that merely names the address gets nothing."""
    if subscriber.user_id is not None or Subscriber.objects.filter(user=user).exists():
        return False
    if not _holds_verified(user, subscriber.email):
        return False
    subscriber.user = user
    subscriber.save(update_fields=["user"])
    _record(subscriber, Action.LINKED, actor=user, data={"how": how})
    return True


def _unsuspend(subscriber: Subscriber, *, actor: User | None = None) -> None:
    reason = subscriber.suspended_reason
    subscriber.suspended_at = None
    subscriber.suspended_reason = ""
    subscriber.save(update_fields=["suspended_at", "suspended_reason"])
    _record(subscriber, Action.CONFIRMED, actor=actor, note="unsuspended", data={"was": reason})


@transaction.atomic
def subscribe(
    email: str,
    newsletters: list[Newsletter],
    *,
    user: User | None = None,
    ip: str | None = None,
    language: str | None = None,
) -> Asked:
    """Ask for `newsletters` at `email`. `user`: the signed-in reader, given only from a
    CSRF-protected form (the my page); their own verified address is linked to the account
    and confirmed at once (see the module's note), unless the subscriber is suspended after
    a bounce, which only a mail that arrives can lift. A subscriber suspended after a
    complaint is mailed nothing: its verified owner's ask unsuspends it (history:
    "confirmed", note "unsuspended"); anyone else's is kept as asked, without a mail.

    Each chosen newsletter that was not asked for, or was unsubscribed, becomes PENDING
    (history: "requested"); one waiting longer than SAME_ASK is asked again (a new mail);
    one confirmed stays so (an ask never downgrades: anyone may type an address). One
    confirmation mail goes if anything waits and accounts.limits.may_mail_newsletter
    allows it (its own allowance: strangers' asks never spend the address's
    verification and password-reset mails);
    the answer is the same either way, so it tells nothing of the address's subscriptions.
    Task: articles.send_subscription_confirmation, after commit."""
    address = check_email(email)
    chosen = [newsletter for newsletter in newsletters if newsletter.is_active]
    if not chosen:
        raise SubscriptionRefused(_("Choose at least one newsletter."))
    now = timezone.now()
    subscriber = _locked_subscriber(address)
    own = user is not None and user.is_authenticated and normalise(user.email) == address
    verified = own and _holds_verified(user, address)
    if verified:
        _link(subscriber, user, how="subscribed")
    complained = bounces.suspended_for_complaint(subscriber)
    at_once = verified and (subscriber.suspended_at is None or complained)
    if at_once and complained:
        _unsuspend(subscriber, actor=user)
    existing = {
        subscription.newsletter_id: subscription
        for subscription in Subscription.objects.select_for_update().filter(
            subscriber=subscriber, newsletter__in=chosen
        )
    }
    asked = Asked(subscriber=subscriber)
    # No mail ever to an address that marked us as spam: only its owner lifts that, above.
    mail_needed = subscriber.suspended_at is not None and not complained
    first_event = None
    actor = user if own else None
    for newsletter in chosen:
        subscription = existing.get(newsletter.pk)
        old = subscription.status if subscription is not None else ""
        if old == Status.CONFIRMED:
            asked.confirmed.append(subscription)
            continue
        if old == Status.PENDING and not at_once and subscription.requested_at > now - SAME_ASK:
            asked.pending.append(subscription)
            continue
        if subscription is None:
            subscription = Subscription(subscriber=subscriber, newsletter=newsletter)
        subscription.status = Status.CONFIRMED if at_once else Status.PENDING
        subscription.consent_version = NEWSLETTER_CONSENT_VERSION
        subscription.requested_at = now
        subscription.confirmed_at = now if at_once else None
        subscription.unsubscribed_at = None
        subscription.save()
        event = _record(
            subscriber,
            Action.REQUESTED,
            newsletter=newsletter,
            actor=actor,
            old=old,
            new=Status.PENDING,
            data={"consent_version": NEWSLETTER_CONSENT_VERSION},
        )
        first_event = first_event or event
        if at_once:
            _record(
                subscriber,
                Action.CONFIRMED,
                newsletter=newsletter,
                actor=actor,
                old=Status.PENDING,
                new=Status.CONFIRMED,
                note="account e-mail verified",
            )
            asked.confirmed.append(subscription)
        else:
            mail_needed = not complained
            asked.pending.append(subscription)
    if first_event is None and mail_needed:
        # A suspended subscriber asking again for what it has: the mail is the point, but
        # once per SAME_ASK, as for a double submit.
        recent = subscriber.events.filter(action=Action.REQUESTED, created_at__gt=now - SAME_ASK)
        if recent.exists():
            mail_needed = False
        else:
            first_event = _record(subscriber, Action.REQUESTED, actor=actor, note="suspended")
    if first_event is not None and complained and not at_once:
        first_event.data["mail"] = "not sent: complaint"
        first_event.save(update_fields=["data"])
    if mail_needed:
        asked.mailed = limits.may_mail_newsletter(address, ip=ip, now=now)
        first_event.data["mail"] = "sent" if asked.mailed else "over the day's limit"
        first_event.save(update_fields=["data"])
        if asked.mailed:
            outbox.enqueue(
                "articles.send_subscription_confirmation",
                subscriber.pk,
                first_event.pk,
                language or translation.get_language() or settings.LANGUAGE_CODE,
            )
    return asked


# --- links ---------------------------------------------------------------------------------


def confirm_token(subscriber: Subscriber, *, at: datetime | None = None) -> str:
    """The confirmation link's token: the subscriber and the moment it was made, which
    bounds what the link confirms (an ask made after the mail is not confirmed by it)."""
    moment = int((at or timezone.now()).timestamp())
    return signing.dumps({"s": subscriber.pk, "t": moment}, salt=CONFIRM_SALT)


def confirm_url(subscriber: Subscriber, *, language: str | None = None) -> str:
    """The link of the confirmation mail, to the page in the mail's language."""
    with translation.override(language or settings.LANGUAGE_CODE):
        return absolute_url(reverse("newsletters:confirm", args=[confirm_token(subscriber)]))


def _read_confirm_token(token: str, *, max_age: timedelta | None) -> dict:
    try:
        value = signing.loads(token, salt=CONFIRM_SALT, max_age=max_age)
    except signing.SignatureExpired:
        raise
    except signing.BadSignature:
        raise LinkInvalid() from None
    if not isinstance(value, dict) or not isinstance(value.get("s"), int):
        raise LinkInvalid()
    return value


def subscriber_of_confirm_token(token: str) -> Subscriber:
    """Whom a confirmation link is for, without confirming anything: LinkInvalid,
    LinkExpired (carrying the subscriber), or the subscriber."""
    return _confirm_target(token)[0]


def _confirm_target(token: str) -> tuple[Subscriber, datetime]:
    """The link's subscriber and the moment up to which its asks are confirmed."""
    try:
        value = _read_confirm_token(token, max_age=CONFIRM_MAX_AGE)
    except signing.SignatureExpired:
        value = _read_confirm_token(token, max_age=None)
        subscriber = Subscriber.objects.filter(pk=value["s"]).first()
        if subscriber is None:
            raise LinkInvalid() from None
        raise LinkExpired(subscriber) from None
    subscriber = Subscriber.objects.filter(pk=value["s"]).first()
    if subscriber is None:
        raise LinkInvalid()
    made_at = datetime.fromtimestamp(value["t"] + 1, tz=timezone.get_current_timezone())
    return subscriber, made_at


@transaction.atomic
def confirm(token: str) -> Confirmed:
    """The confirmation link opened (and its button pressed): the subscriber's PENDING
    subscriptions asked for until the link was made become CONFIRMED (history: one
    "confirmed" each), a subscriber suspended after a bounce is unsuspended (the mail
    arrived), and an account holding the address verified is linked ("linked"). Opening
    it again changes nothing. A subscriber suspended after a complaint is left as it is,
    nothing confirmed (a link mailed before the complaint must not undo it: only the
    account's owner may, from the my page). LinkInvalid, or LinkExpired after
    CONFIRM_MAX_AGE."""
    subscriber, made_at = _confirm_target(token)
    subscriber = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
    if bounces.suspended_for_complaint(subscriber):
        return Confirmed(subscriber=subscriber, confirmed=[], subscriptions=[])
    now = timezone.now()
    waiting = list(
        Subscription.objects.select_for_update()
        .filter(subscriber=subscriber, status=Status.PENDING, requested_at__lte=made_at)
        .select_related("newsletter")
    )
    for subscription in waiting:
        subscription.status = Status.CONFIRMED
        subscription.confirmed_at = now
        subscription.save(update_fields=["status", "confirmed_at"])
        _record(
            subscriber,
            Action.CONFIRMED,
            newsletter=subscription.newsletter,
            old=Status.PENDING,
            new=Status.CONFIRMED,
            data={"consent_version": subscription.consent_version},
        )
    if subscriber.suspended_at is not None:
        _unsuspend(subscriber)
    if subscriber.user_id is None:
        owner = _verified_owner(subscriber.email)
        if owner is not None:
            _link(subscriber, owner, how="confirmed")
    subscriptions = list(
        subscriber.subscriptions.filter(status=Status.CONFIRMED).select_related("newsletter")
    )
    return Confirmed(subscriber=subscriber, confirmed=waiting, subscriptions=subscriptions)


def unsubscribe_token(subscription: Subscription) -> str:
    # No timestamp: the same link in every issue, valid for as long as the subscription.
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign_object(subscription.pk)


def subscription_of_unsubscribe_token(token: str) -> Subscription:
    try:
        pk = signing.Signer(salt=UNSUBSCRIBE_SALT).unsign_object(token)
    except signing.BadSignature:
        raise LinkInvalid() from None
    subscription = (
        Subscription.objects.filter(pk=pk).select_related("newsletter", "subscriber").first()
        if isinstance(pk, int)
        else None
    )
    if subscription is None:
        raise LinkInvalid()
    return subscription


def unsubscribe_url(subscription: Subscription) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return absolute_url(
            reverse("newsletters:unsubscribe", args=[unsubscribe_token(subscription)])
        )


def list_unsubscribe_headers(subscription: Subscription, *, url: str = "") -> dict[str, str]:
    """The headers every issue mail carries (RFC 2369 and RFC 8058's one-click POST), with
    `url` when the caller has made the subscription's unsubscribe_url already. No mailto:
    the site reads no incoming mail, and a mailto nobody acts on would be a lie."""
    return {
        "List-Unsubscribe": f"<{url or unsubscribe_url(subscription)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


@transaction.atomic
def unsubscribe(
    target: Subscription | str, *, how: str = "link", actor: User | None = None
) -> Subscription:
    """A subscription (or an unsubscribe link's token) ends: PENDING or CONFIRMED →
    UNSUBSCRIBED, history "unsubscribed" with `how` (one_click: a mail client's RFC 8058
    POST; link: the page's button; my_page: the reader's own page, whose `actor` must be
    the subscriber's account). Unsubscribing what is unsubscribed already succeeds without
    a second row: mail clients repeat their one-click POST, and a reader may click twice."""
    if how not in HOW:
        raise ValueError(f"unknown way to unsubscribe: {how!r}")
    subscription = subscription_of_unsubscribe_token(target) if isinstance(target, str) else target
    if how == "my_page":
        require(actor is not None and actor.pk == subscription.subscriber.user_id)
    subscription = (
        Subscription.objects.select_for_update()
        .select_related("newsletter", "subscriber")
        .get(pk=subscription.pk)
    )
    if subscription.status == Status.UNSUBSCRIBED:
        return subscription
    old = subscription.status
    subscription.status = Status.UNSUBSCRIBED
    subscription.unsubscribed_at = timezone.now()
    subscription.save(update_fields=["status", "unsubscribed_at"])
    _record(
        subscription.subscriber,
        Action.UNSUBSCRIBED,
        newsletter=subscription.newsletter,
        actor=actor,
        old=old,
        new=Status.UNSUBSCRIBED,
        data={"how": how},
    )
    return subscription


def send_confirmation(subscriber_id: int, event_id: int, language: str) -> int:
    """The confirmation mail of the ask that wrote `event_id`, in the reader's language
    (Korean, or English for a reader of the English pages), sent once: the event
    remembers it. Nothing when the ask was confirmed or unsubscribed meanwhile. Returns
    how many mails went (0 or 1)."""
    event = SubscriptionEvent.objects.filter(pk=event_id, subscriber_id=subscriber_id).first()
    if event is None or event.data.get("mailed"):
        return 0
    subscriber = Subscriber.objects.get(pk=subscriber_id)
    shown = Status.PENDING if subscriber.suspended_at is None else Status.CONFIRMED
    newsletters = [
        subscription.newsletter
        for subscription in subscriber.subscriptions.filter(
            status__in={Status.PENDING, shown}
        ).select_related("newsletter")
    ]
    if not newsletters:
        return 0
    if language not in dict(settings.LANGUAGES):
        language = settings.LANGUAGE_CODE
    with translation.override(language):
        context = {
            "newsletters": newsletters,
            "confirm_url": confirm_url(subscriber, language=language),
            "days": CONFIRM_MAX_AGE.days,
            "site_name": settings.SITE_NAME,
            "suspended": subscriber.suspended_at is not None,
        }
        subject = render_to_string("articles/newsletters/email/confirm_subject.txt", context)
        body = render_to_string("articles/newsletters/email/confirm_body.txt", context)
    send_mail(" ".join(subject.split()), body, settings.NEWSLETTER_FROM_EMAIL, [subscriber.email])
    event.data["mailed"] = True
    event.save(update_fields=["data"])
    return 1


# --- accounts ------------------------------------------------------------------------------


@transaction.atomic
def link_account(user: User, email: str) -> Subscriber | None:
    """An account's address was verified (allauth's email_confirmed): the subscriber of
    that address, if any, becomes the account's ("linked"), so signing up later never
    makes a second subscriber."""
    subscriber = Subscriber.objects.select_for_update().filter(email=normalise(email)).first()
    if subscriber is None or not _link(subscriber, user, how="signed up"):
        return None
    return subscriber


def on_email_confirmed(sender, request=None, email_address=None, **kwargs) -> None:
    if email_address is not None and email_address.user_id is not None:
        link_account(email_address.user, email_address.email)
