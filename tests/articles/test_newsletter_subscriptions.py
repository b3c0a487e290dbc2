"""Readers' newsletter subscriptions (articles.newsletters.subscriptions and the reader
pages): double opt-in from the article page's box, confirmation links, one-click
unsubscribe (RFC 8058), the limits, linking to accounts, and each page's queries."""

import re
from datetime import timedelta

import pytest
import time_machine
from allauth.account.models import EmailAddress
from allauth.account.signals import email_confirmed
from django.core import mail
from django.db import transaction
from django.utils import timezone

from accounts import limits, membership
from accounts.errors import NotAllowed
from accounts.models import Attempt
from articles.errors import LinkExpired, LinkInvalid, SubscriptionRefused
from articles.newsletters import subscriptions
from articles.newsletters.models import Subscriber, Subscription, SubscriptionEvent
from newsroom.models import OutboxMessage
from tests.factories import (
    PASSWORD,
    NewsletterFactory,
    SubscriberFactory,
    SubscriptionFactory,
    UserFactory,
)
from tests.pages import caches_on, cold, parse

pytestmark = pytest.mark.django_db

Status = Subscription.Status
Action = SubscriptionEvent.Action
LINK = re.compile(r"http://testserver((?:/en)?/newsletters/confirm/[^/\s]+/)")


@pytest.fixture
def briefing(db):
    return NewsletterFactory(name="아침 브리핑", slug="briefing", position=0)


@pytest.fixture
def daily(section):
    return NewsletterFactory(
        name="산업 데일리", slug="industry-daily", kind="section", section=section, position=1
    )


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = "http://testserver"


def confirm_link(message) -> str:
    [path] = LINK.findall(message.body)
    return path


def subscribe_form(page):
    [form] = [
        form
        for form in page.select("form")
        if form.attrs.get("action") == "/newsletters/subscribe/"
    ]
    return form


def events(subscriber, action=None):
    rows = SubscriptionEvent.objects.filter(subscriber=subscriber)
    return list(rows.filter(action=action) if action else rows)


# --- end to end ---------------------------------------------------------------------------


def test_an_anonymous_reader_subscribes_from_the_article_page_and_confirms_by_mail(
    client, desk, briefing, daily, django_capture_on_commit_callbacks
):
    story = desk.story()
    page = parse(client.get(story.get_absolute_url()))
    form = subscribe_form(page)
    boxes = {box.attrs["value"] for box in form.select("input", name="newsletters")}
    assert boxes == {str(briefing.pk), str(daily.pk)}
    assert "개인정보" in form.text or "privacy" in form.text.lower()
    assert not form.select("input", name="csrfmiddlewaretoken")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/newsletters/subscribe/",
            {"email": " Reader.New@Example.com ", "newsletters": [daily.pk], "consent": "on"},
        )
    assert response.status_code == 200
    assert "reader.new@example.com" in response.content.decode()
    subscriber = Subscriber.objects.get()
    assert subscriber.email == "reader.new@example.com"
    [subscription] = subscriber.subscriptions.all()
    assert (subscription.newsletter, subscription.status) == (daily, Status.PENDING)
    assert subscription.consent_version == subscriptions.NEWSLETTER_CONSENT_VERSION
    assert len(mail.outbox) == 1
    [message] = mail.outbox
    assert message.to == ["reader.new@example.com"]
    assert "뉴스레터" in message.subject
    assert "산업 데일리" in message.body

    link = confirm_link(message)
    shown = client.get(link)
    assert shown.status_code == 200
    assert Subscription.objects.get().status == Status.PENDING  # a GET changes nothing
    confirmed = client.post(link)
    assert confirmed.status_code == 200
    assert "산업 데일리" in confirmed.content.decode()
    subscription.refresh_from_db()
    assert subscription.status == Status.CONFIRMED
    assert subscription.confirmed_at is not None
    assert [event.action for event in reversed(events(subscriber))] == [
        Action.REQUESTED,
        Action.CONFIRMED,
    ]
    assert len(mail.outbox) == 1


def test_one_click_unsubscribe_posts_without_logging_in_and_a_get_changes_nothing(client):
    subscription = SubscriptionFactory()
    headers = subscriptions.list_unsubscribe_headers(subscription)
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = subscriptions.unsubscribe_url(subscription)
    assert headers["List-Unsubscribe"] == f"<{url}>"
    path = url.removeprefix("http://testserver")
    assert path.startswith("/newsletters/unsubscribe/")

    page = client.get(path)
    assert page.status_code == 200
    assert parse(page).select("button", type="submit")
    # A link's page is nobody else's: kept by no cache, indexed by no search engine.
    assert "no-store" in page["Cache-Control"]
    assert parse(page).meta("robots") == "noindex, nofollow"
    subscription.refresh_from_db()
    assert subscription.status == Status.CONFIRMED

    response = client.post(path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    subscription.refresh_from_db()
    assert subscription.status == Status.UNSUBSCRIBED
    [event] = events(subscription.subscriber, Action.UNSUBSCRIBED)
    assert event.data == {"how": "one_click"}
    # A mail client's retry: the same answer, no second history row.
    assert client.post(path, {"List-Unsubscribe": "One-Click"}).status_code == 200
    assert len(events(subscription.subscriber, Action.UNSUBSCRIBED)) == 1


def test_the_unsubscribe_page_s_button_unsubscribes_as_a_link(client):
    subscription = SubscriptionFactory()
    path = subscriptions.unsubscribe_url(subscription).removeprefix("http://testserver")
    client.post(path)
    [event] = events(subscription.subscriber, Action.UNSUBSCRIBED)
    assert event.data == {"how": "link"}


def test_a_forged_unsubscribe_link_is_refused_clearly(client):
    subscription = SubscriptionFactory()
    token = subscriptions.unsubscribe_token(subscription)
    response = client.post(f"/newsletters/unsubscribe/{token[:-2]}xx/")
    assert response.status_code == 400
    assert "링크" in response.content.decode()
    subscription.refresh_from_db()
    assert subscription.status == Status.CONFIRMED


def test_the_eleventh_request_from_one_address_is_refused_with_a_clear_message(
    client, briefing, settings
):
    assert settings.ACCOUNTS_SUBSCRIBES_PER_IP_PER_HOUR == 10
    for number in range(10):
        response = client.post(
            "/newsletters/subscribe/",
            {"email": f"r{number}@example.com", "newsletters": [briefing.pk], "consent": "on"},
        )
        assert response.status_code == 200
    response = client.post(
        "/newsletters/subscribe/",
        {"email": "r10@example.com", "newsletters": [briefing.pk], "consent": "on"},
    )
    assert response.status_code == 429
    alert = parse(response).one("p", role="alert").text
    assert "너무 많" in alert
    assert not Subscriber.objects.filter(email="r10@example.com").exists()
    # Another address is not held back by this one.
    other = client.post(
        "/newsletters/subscribe/",
        {"email": "r10@example.com", "newsletters": [briefing.pk], "consent": "on"},
        REMOTE_ADDR="198.51.100.7",
    )
    assert other.status_code == 200


@pytest.mark.parametrize(
    "typed",
    [
        '<script>alert("x")</script>@example.com',
        "reader@example.com<img src=x onerror=alert(1)>",
        "not an address",
        "a@b@example.com",
    ],
)
def test_html_or_script_in_the_e_mail_field_is_refused_with_a_clear_error(client, briefing, typed):
    response = client.post(
        "/newsletters/subscribe/",
        {"email": typed, "newsletters": [briefing.pk], "consent": "on"},
    )
    assert response.status_code == 400
    page = parse(response)
    error = page.one("div", id="page-email-error").text
    assert "이메일 주소" in error
    assert "<script>" not in response.content.decode()
    assert not Subscriber.objects.exists()
    assert not mail.outbox


def test_subscribing_needs_a_newsletter_and_the_consent(client, briefing):
    response = client.post("/newsletters/subscribe/", {"email": "a@example.com"})
    assert response.status_code == 400
    page = parse(response)
    assert page.one("div", id="page-newsletters-error")
    assert page.one("div", id="page-consent-error")
    assert not Subscriber.objects.exists()


def test_a_double_submit_makes_no_second_subscription_and_no_second_mail(
    client, briefing, django_capture_on_commit_callbacks
):
    data = {"email": "twice@example.com", "newsletters": [briefing.pk], "consent": "on"}
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post("/newsletters/subscribe/", data)
        second = client.post("/newsletters/subscribe/", data)
    assert first.content == second.content
    assert Subscription.objects.count() == 1
    assert len(mail.outbox) == 1
    assert len(events(Subscriber.objects.get(), Action.REQUESTED)) == 1


def test_confirmation_mails_to_one_address_stop_at_the_day_s_limit_without_saying_so(
    client, briefing, settings, django_capture_on_commit_callbacks
):
    settings.ACCOUNTS_NEWSLETTER_MAILS_PER_DAY = 1
    data = {"email": "limit@example.com", "newsletters": [briefing.pk], "consent": "on"}
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post("/newsletters/subscribe/", data)
    later = timezone.now() + subscriptions.SAME_ASK + timedelta(minutes=1)
    with time_machine.travel(later), django_capture_on_commit_callbacks(execute=True):
        second = client.post("/newsletters/subscribe/", data)
    assert first.status_code == second.status_code == 200
    assert first.content == second.content  # the answer tells nothing
    assert len(mail.outbox) == 1
    asks = events(Subscriber.objects.get(), Action.REQUESTED)
    assert sorted(event.data["mail"] for event in asks) == ["over the day's limit", "sent"]


def test_the_answer_does_not_tell_whether_the_address_was_subscribed(
    client, briefing, django_capture_on_commit_callbacks
):
    SubscriptionFactory(subscriber__email="known@example.com", newsletter=briefing)
    with django_capture_on_commit_callbacks(execute=True):
        known = client.post(
            "/newsletters/subscribe/",
            {"email": "known@example.com", "newsletters": [briefing.pk], "consent": "on"},
        )
        new = client.post(
            "/newsletters/subscribe/",
            {"email": "new@example.com", "newsletters": [briefing.pk], "consent": "on"},
        )
    assert known.content.decode().replace("known@", "X@") == new.content.decode().replace(
        "new@", "X@"
    )
    # Asking never downgrades a confirmed subscription: anyone can type an address.
    known_subscription = Subscription.objects.get(subscriber__email="known@example.com")
    assert known_subscription.status == Status.CONFIRMED
    assert [message.to for message in mail.outbox] == [["new@example.com"]]


def test_no_token_reaches_the_outbox_or_the_history(
    client, briefing, django_capture_on_commit_callbacks, caplog
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/newsletters/subscribe/",
            {"email": "quiet@example.com", "newsletters": [briefing.pk], "consent": "on"},
        )
    link = confirm_link(mail.outbox[0])
    token = link.split("/")[-2]
    client.post(link)
    # Refused links are logged as warnings, by their route.
    assert client.get(link.replace(token, token[:-3] + "xyz")).status_code == 400
    later = timezone.now() + subscriptions.CONFIRM_MAX_AGE + timedelta(days=1)
    with time_machine.travel(later):
        assert client.get(link).status_code == 410
    assert "route=/newsletters/confirm/<str:token>/ status=410" in caplog.text
    [message] = OutboxMessage.objects.filter(task_name="articles.send_subscription_confirmation")
    assert token not in repr(message.args) + repr(message.kwargs)
    for event in SubscriptionEvent.objects.all():
        assert token not in repr(event.data) + event.note
    assert token[:-3] not in caplog.text


# --- confirming ------------------------------------------------------------------------


def test_an_expired_link_says_so_and_offers_to_ask_again(
    client, briefing, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        subscriptions.subscribe("late@example.com", [briefing])
    link = confirm_link(mail.outbox[0])
    later = timezone.now() + subscriptions.CONFIRM_MAX_AGE + timedelta(minutes=1)
    with time_machine.travel(later):
        response = client.get(link)
        assert client.post(link).status_code == 410
        with pytest.raises(LinkExpired):
            subscriptions.confirm(link.split("/")[-2])
    assert response.status_code == 410
    page = parse(response)
    assert "7일" in page.one("p", role="alert").text
    form = subscribe_form(page)
    assert form.one("input", name="email").attrs["value"] == "late@example.com"
    ticked = [
        box.attrs["value"]
        for box in form.select("input", name="newsletters")
        if "checked" in box.attrs
    ]
    assert ticked == [str(briefing.pk)]
    assert Subscription.objects.get().status == Status.PENDING

    with time_machine.travel(later), django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/newsletters/subscribe/",
            {"email": "late@example.com", "newsletters": [briefing.pk], "consent": "on"},
        )
    assert len(mail.outbox) == 2
    with time_machine.travel(later):
        client.post(confirm_link(mail.outbox[1]))
    assert Subscription.objects.get().status == Status.CONFIRMED


def test_a_link_confirms_only_what_was_asked_before_it_was_made(
    briefing, daily, django_capture_on_commit_callbacks
):
    subscriber = SubscriberFactory(email="two@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        subscriptions.subscribe(subscriber.email, [briefing])
    token = confirm_link(mail.outbox[0]).split("/")[-2]
    with time_machine.travel(timezone.now() + timedelta(minutes=1)):
        subscriptions.subscribe(subscriber.email, [daily])
        done = subscriptions.confirm(token)
    assert [subscription.newsletter for subscription in done.confirmed] == [briefing]
    assert Subscription.objects.get(newsletter=daily).status == Status.PENDING


def test_opening_a_confirmation_link_twice_changes_nothing_the_second_time(
    client, briefing, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        subscriptions.subscribe("again@example.com", [briefing])
    link = confirm_link(mail.outbox[0])
    client.post(link)
    again = client.post(link)
    assert again.status_code == 200
    assert len(events(Subscriber.objects.get(), Action.CONFIRMED)) == 1


def test_a_forged_confirmation_token_is_refused(client, briefing):
    subscriber = SubscriberFactory()
    token = subscriptions.confirm_token(subscriber)
    with pytest.raises(LinkInvalid):
        subscriptions.confirm(token + "x")
    with pytest.raises(LinkInvalid):
        # An unsubscribe token is no confirmation token: the salts differ.
        subscriptions.confirm(subscriptions.unsubscribe_token(SubscriptionFactory()))
    assert client.get(f"/newsletters/confirm/{token}x/").status_code == 400


def test_subscribing_again_after_unsubscribing_needs_a_new_confirmation(
    client, briefing, django_capture_on_commit_callbacks
):
    subscription = SubscriptionFactory(subscriber__email="back@example.com", newsletter=briefing)
    subscriptions.unsubscribe(subscription, how="link")
    with django_capture_on_commit_callbacks(execute=True):
        asked = subscriptions.subscribe("back@example.com", [briefing])
    assert [item.status for item in asked.pending] == [Status.PENDING]
    subscription.refresh_from_db()
    assert (subscription.status, subscription.unsubscribed_at) == (Status.PENDING, None)
    client.post(confirm_link(mail.outbox[0]))
    subscription.refresh_from_db()
    assert subscription.status == Status.CONFIRMED


def test_a_suspended_subscriber_who_asks_again_and_confirms_is_unsuspended(
    client, briefing, django_capture_on_commit_callbacks
):
    subscription = SubscriptionFactory(subscriber__email="bounced@example.com", newsletter=briefing)
    subscriber = subscription.subscriber
    subscriber.suspended_at = timezone.now()
    subscriber.suspended_reason = "hard bounce"
    subscriber.save()
    with django_capture_on_commit_callbacks(execute=True):
        asked = subscriptions.subscribe("bounced@example.com", [briefing])
    assert asked.mailed
    assert len(mail.outbox) == 1
    subscriber.refresh_from_db()
    assert subscriber.suspended_at is not None  # until the mail arrives and is opened
    client.post(confirm_link(mail.outbox[0]))
    subscriber.refresh_from_db()
    assert (subscriber.suspended_at, subscriber.suspended_reason) == (None, "")
    assert events(subscriber, Action.CONFIRMED)[0].note == "unsuspended"


def test_an_inactive_newsletter_takes_no_subscription(briefing):
    briefing.is_active = False
    briefing.save()
    with pytest.raises(SubscriptionRefused):
        subscriptions.subscribe("a@example.com", [briefing])
    assert not Subscriber.objects.exists()


# --- accounts ------------------------------------------------------------------------------


def test_a_subscriber_who_signs_up_later_is_linked_not_duplicated(
    client, briefing, django_capture_on_commit_callbacks
):
    SubscriptionFactory(subscriber__email="later@example.com", newsletter=briefing)
    user = UserFactory(email="Later@example.com", verified=False)
    address = EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
    email_confirmed.send(sender=None, request=None, email_address=address)
    subscriber = Subscriber.objects.get()
    assert subscriber.user == user
    [event] = events(subscriber, Action.LINKED)
    assert event.data == {"how": "signed up"}
    # Signing up links; subscribing from the my page then uses the same subscriber.
    client.force_login(user)
    client.post("/newsletters/mine/", {"newsletter": briefing.pk, "action": "subscribe"})
    assert Subscriber.objects.count() == 1


def test_deleting_the_account_deletes_its_subscriber_and_keeps_the_history_without_it(
    briefing,
):
    user = UserFactory(email="leaving@example.com")
    subscriptions.subscribe(user.email, [briefing], user=user)
    subscriber = Subscriber.objects.get()
    membership.delete_account(user, password=PASSWORD)
    assert not Subscriber.objects.exists()
    assert not Subscription.objects.exists()
    assert SubscriptionEvent.objects.filter(subscriber=None).count() == len(
        [Action.LINKED, Action.REQUESTED, Action.CONFIRMED]
    )
    assert subscriber.pk is not None


def test_a_signed_in_reader_with_a_verified_address_is_confirmed_at_once_from_the_my_page(
    client, reader, briefing, daily, django_capture_on_commit_callbacks
):
    client.force_login(reader)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/newsletters/mine/", {"newsletter": daily.pk, "action": "subscribe"}
        )
    assert response.status_code == 302
    assert response["Location"] == "/accounts/me/#newsletters"
    subscription = Subscription.objects.get()
    assert subscription.status == Status.CONFIRMED
    assert subscription.subscriber.user == reader
    assert not mail.outbox
    page = parse(client.get("/accounts/me/"))
    section = page.one("section", id="newsletters")
    assert "구독 중" in section.text
    assert section.select("input", name="csrfmiddlewaretoken")

    client.post("/newsletters/mine/", {"newsletter": daily.pk, "action": "unsubscribe"})
    subscription.refresh_from_db()
    assert subscription.status == Status.UNSUBSCRIBED
    [event] = events(subscription.subscriber, Action.UNSUBSCRIBED)
    assert (event.data, event.actor) == ({"how": "my_page"}, reader)


def test_an_unverified_account_address_still_confirms_by_mail(
    client, briefing, django_capture_on_commit_callbacks
):
    user = UserFactory(email="unverified@example.com", verified=False)
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/newsletters/mine/", {"newsletter": briefing.pk, "action": "subscribe"})
    assert Subscription.objects.get().status == Status.PENDING
    assert len(mail.outbox) == 1


def test_the_my_page_buttons_need_the_csrf_token(reader, briefing):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(reader)
    response = strict.post("/newsletters/mine/", {"newsletter": briefing.pk, "action": "subscribe"})
    assert response.status_code == 403
    assert not Subscription.objects.exists()


def test_a_reader_cannot_unsubscribe_someone_else_from_the_my_page(reader, briefing):
    subscription = SubscriptionFactory(newsletter=briefing)
    with pytest.raises(NotAllowed):
        subscriptions.unsubscribe(subscription, how="my_page", actor=reader)
    subscription.refresh_from_db()
    assert subscription.status == Status.CONFIRMED


def test_the_public_form_never_subscribes_in_the_session_s_name(
    client, reader, briefing, django_capture_on_commit_callbacks
):
    client.force_login(reader)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/newsletters/subscribe/",
            {"email": reader.email, "newsletters": [briefing.pk], "consent": "on"},
        )
    assert Subscription.objects.get().status == Status.PENDING
    assert len(mail.outbox) == 1
    # Confirming by mail proves the mailbox: the verified account is linked then.
    client.post(confirm_link(mail.outbox[0]))
    assert Subscriber.objects.get().user == reader


def test_an_account_without_the_address_verified_cannot_claim_its_subscriber(
    client, briefing, daily, django_capture_on_commit_callbacks
):
    # Someone else's subscriber, and an account naming the same address that never proved
    # it: made in the admin (no allauth EmailAddress at all) or signed up, not verified.
    SubscriptionFactory(subscriber__email="victim@example.com", newsletter=briefing)
    admin_made = UserFactory(email="Victim@example.com", verified=False)
    client.force_login(admin_made)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/newsletters/mine/", {"newsletter": daily.pk, "action": "subscribe"})
    subscriber = Subscriber.objects.get()
    assert subscriber.user is None
    assert not events(subscriber, Action.LINKED)
    assert subscriber.subscriptions.get(newsletter=daily).status == Status.PENDING
    assert [message.to for message in mail.outbox] == [["victim@example.com"]]  # opt-in
    section = parse(client.get("/accounts/me/")).one("section", id="newsletters")
    assert "구독 중" not in section.text

    # allauth's signal for an address the account holds unverified links nothing either.
    unverified = EmailAddress.objects.create(
        user=admin_made, email=admin_made.email, primary=True, verified=False
    )
    email_confirmed.send(sender=None, request=None, email_address=unverified)
    assert subscriptions.link_account(admin_made, admin_made.email) is None
    # Nor does opening the mail's link: only a verified account is linked then.
    client.post(confirm_link(mail.outbox[0]))
    subscriber.refresh_from_db()
    assert subscriber.user is None
    assert subscriber.subscriptions.get(newsletter=daily).status == Status.CONFIRMED


def complained(email: str, newsletter) -> Subscriber:
    subscriber = SubscriptionFactory(subscriber__email=email, newsletter=newsletter).subscriber
    subscriber.suspended_at = timezone.now()
    subscriber.suspended_reason = "complained: marked as spam"  # as bounces.suspend writes it
    subscriber.save()
    return subscriber


def test_the_public_form_mails_no_one_who_marked_us_as_spam_and_answers_as_always(
    client, briefing, daily, django_capture_on_commit_callbacks
):
    subscriber = complained("spam@example.com", briefing)
    with django_capture_on_commit_callbacks(execute=True):
        asked = client.post(
            "/newsletters/subscribe/",
            {"email": "spam@example.com", "newsletters": [briefing.pk, daily.pk], "consent": "on"},
        )
        new = client.post(
            "/newsletters/subscribe/",
            {"email": "new@example.com", "newsletters": [briefing.pk], "consent": "on"},
        )
    assert asked.content.decode().replace("spam@", "X@") == new.content.decode().replace(
        "new@", "X@"
    )
    assert [message.to for message in mail.outbox] == [["new@example.com"]]
    subscriber.refresh_from_db()
    assert subscriber.suspended_at is not None
    [ask] = events(subscriber, Action.REQUESTED)
    assert ask.data["mail"] == "not sent: complaint"
    assert not Attempt.objects.filter(
        kind=Attempt.Kind.NEWSLETTER_MAIL, email_hash=limits.email_hash("spam@example.com")
    ).exists()
    # Asking again later, or for what it has already, mails nothing either.
    later = timezone.now() + subscriptions.SAME_ASK + timedelta(minutes=1)
    with time_machine.travel(later), django_capture_on_commit_callbacks(execute=True):
        again = subscriptions.subscribe("spam@example.com", [briefing])
    assert not again.mailed
    assert len(mail.outbox) == 1


def test_a_confirmation_link_does_not_lift_a_complaint(
    client, briefing, django_capture_on_commit_callbacks
):
    # A link mailed before the complaint, opened after it.
    subscriber = complained("spam@example.com", briefing)
    SubscriptionFactory(subscriber=subscriber, status=Status.PENDING)
    link = f"/newsletters/confirm/{subscriptions.confirm_token(subscriber)}/"
    assert '<form method="post">' not in client.get(link).content.decode()
    client.post(link)
    subscriber.refresh_from_db()
    assert subscriber.suspended_reason.startswith("complained")
    assert subscriber.subscriptions.filter(status=Status.PENDING).count() == 1
    assert not events(subscriber, Action.CONFIRMED)


def test_only_the_verified_owner_resubscribes_after_a_complaint_from_the_my_page(
    client, briefing, daily, django_capture_on_commit_callbacks
):
    subscriber = complained("spam@example.com", briefing)
    stranger = UserFactory(email="spam@example.com", verified=False)
    client.force_login(stranger)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/newsletters/mine/", {"newsletter": daily.pk, "action": "subscribe"})
    subscriber.refresh_from_db()
    assert (subscriber.suspended_at is not None, subscriber.user) == (True, None)
    assert not mail.outbox
    stranger.delete()

    owner = UserFactory(email="spam@example.com")
    client.force_login(owner)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/newsletters/mine/", {"newsletter": daily.pk, "action": "subscribe"})
    subscriber.refresh_from_db()
    assert (subscriber.suspended_at, subscriber.suspended_reason) == (None, "")
    assert subscriber.user == owner
    assert subscriber.subscriptions.get(newsletter=daily).status == Status.CONFIRMED
    [lifted] = [e for e in events(subscriber, Action.CONFIRMED) if e.note == "unsuspended"]
    assert (lifted.note, lifted.actor) == ("unsuspended", owner)
    assert lifted.data["was"].startswith("complained")
    assert not mail.outbox


# --- limits bookkeeping ---------------------------------------------------------------------


def test_a_request_is_counted_as_a_subscribe_not_as_a_sign_up(client, briefing):
    client.post(
        "/newsletters/subscribe/",
        {"email": "count@example.com", "newsletters": [briefing.pk], "consent": "on"},
    )
    kinds = sorted(Attempt.objects.values_list("kind", flat=True))
    assert kinds == [Attempt.Kind.NEWSLETTER_MAIL, Attempt.Kind.SUBSCRIBE]


def test_strangers_asks_never_spend_the_address_s_password_reset_mails(
    client, reader, briefing, django_capture_on_commit_callbacks
):
    data = {"email": reader.email, "newsletters": [briefing.pk], "consent": "on"}
    for step in range(5):
        later = timezone.now() + step * (subscriptions.SAME_ASK + timedelta(minutes=1))
        with time_machine.travel(later), django_capture_on_commit_callbacks(execute=True):
            assert client.post("/newsletters/subscribe/", data).status_code == 200
    assert len(mail.outbox) == 3  # ACCOUNTS_NEWSLETTER_MAILS_PER_DAY
    mail.outbox.clear()
    later = timezone.now() + 5 * (subscriptions.SAME_ASK + timedelta(minutes=1))
    with time_machine.travel(later):
        client.post("/accounts/password/reset/", {"email": reader.email})
    assert [message.to for message in mail.outbox] == [[reader.email]]
    assert "/accounts/password/reset/key/" in mail.outbox[0].body


# --- the pages' queries ---------------------------------------------------------------------

# The list: the section tree (the menu), the newsletters.
INDEX_QUERIES = 2
# A subscribe: the form's newsletters; the limit's count and its row; the transaction's
# savepoint and its release; the subscriber made (get, then the insert in a savepoint) and
# locked; the subscriptions locked; per newsletter its row and its history row; the mail's
# count and its row; the first history row's note of the mail; the outbox row; the answer
# page's menu (the section tree).
SUBSCRIBE_QUERIES = {1: 18, 3: 22}
# The confirmation link's page: the subscriber, the subscriptions waiting, the menu.
CONFIRM_PAGE_QUERIES = 3
# The unsubscribe link's page: the subscription with its newsletter and subscriber, the
# menu.
UNSUBSCRIBE_PAGE_QUERIES = 2


@pytest.fixture
def offered(db):
    return [NewsletterFactory(name=f"뉴스레터 {number}") for number in range(3)]


@pytest.mark.parametrize("count", [1, 3])
def test_the_newsletter_list_reads_the_same_queries_however_many_are_offered(
    client, count, django_assert_num_queries
):
    NewsletterFactory.create_batch(count)
    with django_assert_num_queries(INDEX_QUERIES):
        page = parse(client.get("/newsletters/"))
    assert len(subscribe_form(page).select("input", name="newsletters")) == count


@pytest.mark.parametrize("count", [1, 3])
def test_a_subscribe_reads_a_fixed_number_of_queries_per_newsletter(
    client, offered, count, django_assert_num_queries
):
    chosen = [newsletter.pk for newsletter in offered[:count]]
    data = {"email": "q@example.com", "newsletters": chosen, "consent": "on"}
    with django_assert_num_queries(SUBSCRIBE_QUERIES[count]):
        response = client.post("/newsletters/subscribe/", data)
    assert response.status_code == 200


def test_the_link_pages_read_a_fixed_number_of_queries(client, offered, django_assert_num_queries):
    subscriber = SubscriberFactory()
    for newsletter in offered:
        SubscriptionFactory(subscriber=subscriber, newsletter=newsletter, status="pending")
    with django_assert_num_queries(CONFIRM_PAGE_QUERIES):
        page = client.get(f"/newsletters/confirm/{subscriptions.confirm_token(subscriber)}/")
    assert len(parse(page).one("ul", cls="newsletter-list").select("li")) == 3
    subscription = subscriber.subscriptions.first()
    with django_assert_num_queries(UNSUBSCRIBE_PAGE_QUERIES):
        client.get(subscriptions.unsubscribe_url(subscription).removeprefix("http://testserver"))


def test_the_article_and_home_pages_keep_the_box_and_a_hit_reads_nothing(
    client, desk, offered, settings, django_assert_num_queries
):
    caches_on(settings)
    story = desk.story()
    for path in ("/", story.get_absolute_url()):
        first = cold(client, path)
        assert len(subscribe_form(parse(first)).select("input", name="newsletters")) == 3
        with django_assert_num_queries(0):
            again = client.get(path)
        assert again.content == first.content


def test_a_newsletter_saved_in_the_admin_retires_the_kept_box(client, offered, page_cache):
    from articles import fragments

    assert "뉴스레터 0" in fragments.newsletter_box()
    offered[0].name = "새 이름"
    offered[0].save()
    assert "새 이름" in fragments.newsletter_box()


def test_english_readers_get_the_page_and_the_mail_in_english(
    client, offered, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/en/newsletters/subscribe/",
            {"email": "en@example.com", "newsletters": [offered[0].pk], "consent": "on"},
        )
    assert "Check your inbox" in response.content.decode()
    [message] = mail.outbox
    assert "Confirm your newsletter subscription" in message.subject
    assert "The link works for 7 days." in message.body
    link = confirm_link(message)
    assert link.startswith("/en/newsletters/confirm/")
    assert "Confirm your subscription" in client.get(link).content.decode()


def test_a_reader_subscribes_from_the_home_page_box(client, desk, offered):
    desk.story()
    form = subscribe_form(parse(client.get("/")))
    assert form.one("input", name="consent")
    response = client.post(
        form.attrs["action"],
        {"email": "home@example.com", "newsletters": [offered[1].pk], "consent": "on"},
    )
    assert response.status_code == 200
    assert Subscription.objects.get().newsletter == offered[1]


@pytest.mark.parametrize("tracking", [False, True])
def test_the_privacy_text_says_what_newsletters_keep_and_whether_opens_are_tracked(
    client, settings, tracking
):
    settings.NEWSLETTER_OPEN_TRACKING = tracking
    section = parse(client.get("/privacy/")).one("h2", id="newsletters")
    assert "뉴스레터" in section.text
    text = client.get("/privacy/").content.decode()
    assert ("기록하지 않습니다" in text) is not tracking
    assert ("보이지 않는 작은 이미지" in text) is tracking


def test_signing_up_through_allauth_with_a_subscribed_address_links_its_subscriber(
    client, briefing, settings
):
    from tests.accounts.test_auth_flows import link_in, sign_up

    SubscriptionFactory(subscriber__email="joiner@example.com", newsletter=briefing)
    sign_up(client, email="Joiner@example.com")
    assert Subscriber.objects.get().user is None  # not before the address is verified
    client.post(link_in(mail.outbox[-1], "/accounts/confirm-email/"))
    subscriber = Subscriber.objects.get()
    assert subscriber.user is not None
    assert subscriber.user.email.lower() == "joiner@example.com"
    assert Subscription.objects.get().status == Status.CONFIRMED


def test_the_confirmation_mail_is_enqueued_and_sent_only_after_commit(
    briefing, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        subscriptions.subscribe("after@example.com", [briefing])
    assert not mail.outbox
    assert (
        OutboxMessage.objects.filter(task_name="articles.send_subscription_confirmation").count()
        == 1
    )
    for callback in callbacks:
        callback()
    assert [message.to for message in mail.outbox] == [["after@example.com"]]


def test_a_rolled_back_ask_leaves_nothing_behind(briefing):
    def ask_then_fail():
        with transaction.atomic():
            subscriptions.subscribe("undone@example.com", [briefing])
            raise RuntimeError("the caller failed")

    with pytest.raises(RuntimeError):
        ask_then_fail()
    assert not Subscriber.objects.exists()
    assert not OutboxMessage.objects.exists()
    assert not SubscriptionEvent.objects.exists()


def test_asks_for_one_address_in_any_case_make_one_subscriber(briefing, daily):
    subscriptions.subscribe("same@example.com", [briefing])
    subscriptions.subscribe("SAME@example.com", [daily])
    assert Subscriber.objects.count() == 1
    assert Subscription.objects.count() == 2


def test_the_newsletter_list_is_kept_until_a_newsletter_is_saved(client, offered, page_cache):
    assert client.get("/newsletters/")["X-Page-Cache"] == "miss"
    assert client.get("/newsletters/")["X-Page-Cache"] == "hit"
    offered[0].name = "이름을 바꾼 뉴스레터"
    offered[0].save()
    again = client.get("/newsletters/")
    assert again["X-Page-Cache"] == "miss"
    assert "이름을 바꾼 뉴스레터" in again.content.decode()


def test_a_suspended_subscriber_asking_twice_in_a_row_gets_one_mail(
    briefing, django_capture_on_commit_callbacks
):
    subscription = SubscriptionFactory(subscriber__email="twice-bounced@example.com")
    Subscriber.objects.filter(pk=subscription.subscriber_id).update(suspended_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        first = subscriptions.subscribe("twice-bounced@example.com", [subscription.newsletter])
        second = subscriptions.subscribe("twice-bounced@example.com", [subscription.newsletter])
    assert (first.mailed, second.mailed) == (True, False)
    assert len(mail.outbox) == 1


# --- a signed-in reader's box on a cached page ---------------------------------------------

# The session, the user, the comments part's look-up of the story (none named here), the
# newsletters with the reader's state in each.
PERSONAL_BOX_QUERIES = 4


def test_a_signed_in_reader_s_personal_request_draws_their_own_box(
    client, reader, offered, django_assert_num_queries
):
    SubscriptionFactory(
        subscriber__email=reader.email, subscriber__user=reader, newsletter=offered[1]
    )
    client.force_login(reader)
    with django_assert_num_queries(PERSONAL_BOX_QUERIES):
        personal = client.get("/accounts/personal/", {"newsletters": "1"}).json()
    box = parse(personal["parts"]["newsletters"]).one("section", cls="newsletter-box")
    states = [state.text for state in box.select("span", cls="newsletter-state")]
    assert states == ["구독 안 함", "구독 중", "구독 안 함"]
    assert box.select("input", name="csrfmiddlewaretoken")
    assert reader.email in box.text
    # Pages without the box do not ask for it: no query, no part.
    assert "newsletters" not in client.get("/accounts/personal/").json()["parts"]


def test_the_box_s_buttons_lead_back_to_the_page_and_only_to_this_site(
    client, reader, offered, desk
):
    story = desk.story()
    client.force_login(reader)
    here = "http://testserver" + story.get_absolute_url()
    response = client.post(
        "/newsletters/mine/",
        {"newsletter": offered[0].pk, "action": "subscribe"},
        HTTP_REFERER=here,
    )
    assert response["Location"] == here
    elsewhere = client.post(
        "/newsletters/mine/",
        {"newsletter": offered[0].pk, "action": "unsubscribe"},
        HTTP_REFERER="https://evil.example/",
    )
    assert elsewhere["Location"] == "/accounts/me/#newsletters"


def test_the_kept_box_asks_the_personal_request_for_the_reader_s_own(client, desk, offered):
    story = desk.story()
    box = parse(client.get(story.get_absolute_url())).one("section", cls="newsletter-box")
    assert box.attrs["data-personal"] == "newsletters"
    assert box.attrs["data-personal-query"] == "newsletters=1"


def test_the_my_page_s_buttons_lead_back_to_its_newsletters_not_its_top(client, reader, offered):
    client.force_login(reader)

    response = client.post(
        "/newsletters/mine/",
        {"newsletter": offered[0].pk, "action": "subscribe"},
        HTTP_REFERER="http://testserver/accounts/me/",
    )

    assert response["Location"] == "http://testserver/accounts/me/#newsletters"
