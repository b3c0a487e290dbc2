"""What the mail provider reports back, through django-anymail's real webhook views (Postmark's
payloads, checked by the shared secret alone): deliveries, openings, hard
bounces and complaints suspending the address, each applied once however often the
provider retries; soft bounces and unknown messages change nothing."""

import base64
import json

import pytest
from django.utils import timezone

from articles.models import IssueDelivery, NewsletterIssue, SubscriptionEvent
from articles.newsletters import bounces, sending
from tests.factories import NewsletterFactory, SubscriptionFactory

pytestmark = pytest.mark.django_db
Status = IssueDelivery.Status
SECRET = "provider:s3cret-webhook"
POSTMARK = "/newsletters/provider/postmark/tracking/"


@pytest.fixture(autouse=True)
def webhook_secret(settings):
    settings.ANYMAIL = {"WEBHOOK_SECRET": SECRET}


def auth(secret: str = SECRET) -> dict:
    return {"HTTP_AUTHORIZATION": "Basic " + base64.b64encode(secret.encode()).decode()}


def post(client, url, payload, secret: str = SECRET):
    return client.post(url, json.dumps(payload), content_type="application/json", **auth(secret))


@pytest.fixture
def sent(db):
    """Two recipients of an issue, both sent, and a second issue sent earlier to the first."""
    newsletter = NewsletterFactory()
    first, second = (SubscriptionFactory(newsletter=newsletter) for _ in range(2))
    issue = NewsletterIssue.objects.create(
        newsletter=newsletter, subject="오늘의 경제", status=NewsletterIssue.Status.SENDING
    )
    sending.queue_recipients(issue)
    earlier = timezone.now() - timezone.timedelta(days=1)
    for number, delivery in enumerate(issue.deliveries.order_by("pk")):
        IssueDelivery.objects.filter(pk=delivery.pk).update(
            status=Status.SENT, sent_at=earlier, message_id=f"<m{number}@newsroom.test>"
        )
    return issue, first, second


def bounce(message_id: str, email: str, kind: str = "HardBounce") -> dict:
    return {
        "RecordType": "Bounce",
        "Type": kind,
        "ID": 42,
        "MessageID": message_id,
        "Email": email,
        "BouncedAt": "2026-12-08T04:00:00Z",
        "Description": "The server was unable to deliver your message (ex: unknown user).",
        "Details": "smtp;550 5.1.1 The email account that you tried to reach does not exist.",
    }


def test_a_hard_bounce_marks_the_delivery_and_suspends_the_address_once(client, sent):
    issue, first, second = sent

    for _retry in range(2):  # the provider sends it again when unsure it got through
        response = post(client, POSTMARK, bounce("<m0@newsroom.test>", first.subscriber.email))
        assert response.status_code == 200

    delivery = issue.deliveries.get(subscription=first)
    assert delivery.status == Status.BOUNCED
    assert "Postmark" in delivery.error
    first.subscriber.refresh_from_db()
    assert first.subscriber.suspended_at is not None
    assert first.subscriber.suspended_reason.startswith("bounced")
    [event] = SubscriptionEvent.objects.filter(subscriber=first.subscriber)
    assert event.action == SubscriptionEvent.Action.SUSPENDED
    assert event.data["delivery"] == delivery.pk
    assert issue.deliveries.get(subscription=second).status == Status.SENT
    assert sending.progress(issue).bounced == 1


def test_a_suspended_address_gets_no_further_issue(client, sent):
    issue, first, second = sent
    post(client, POSTMARK, bounce("<m0@newsroom.test>", first.subscriber.email))
    next_issue = NewsletterIssue.objects.create(newsletter=issue.newsletter, subject="다음 호")

    assert sending.queue_recipients(next_issue) == 1
    assert list(next_issue.deliveries.values_list("subscription", flat=True)) == [second.pk]


def test_a_complaint_marks_the_delivery_and_suspends_the_address(client, sent):
    issue, first, _second = sent
    complaint = {
        "RecordType": "SpamComplaint",
        "Type": "SpamComplaint",
        "MessageID": "m1@newsroom.test",  # as some providers name it: without the brackets
        "Email": sent[2].subscriber.email,
        "BouncedAt": "2026-12-08T04:00:00Z",
    }

    assert post(client, POSTMARK, complaint).status_code == 200

    assert issue.deliveries.get(subscription=sent[2]).status == Status.COMPLAINED
    sent[2].subscriber.refresh_from_db()
    assert sent[2].subscriber.suspended_reason.startswith("complained")
    assert SubscriptionEvent.objects.filter(action="suspended").count() == 1
    assert issue.deliveries.get(subscription=first).status == Status.SENT


def test_delivery_and_opening_are_recorded_the_first_time_only(client, sent):
    issue, first, _second = sent
    delivered = {
        "RecordType": "Delivery",
        "MessageID": "<m0@newsroom.test>",
        "Recipient": first.subscriber.email,
        "DeliveredAt": "2026-12-08T04:00:00Z",
    }
    opened = {
        "RecordType": "Open",
        "MessageID": "<m0@newsroom.test>",
        "Recipient": first.subscriber.email,
        "ReceivedAt": "2026-12-08T04:05:00Z",
    }
    post(client, POSTMARK, delivered)
    post(client, POSTMARK, opened)
    post(client, POSTMARK, {**delivered, "DeliveredAt": "2026-12-09T00:00:00Z"})
    post(client, POSTMARK, {**opened, "ReceivedAt": "2026-12-09T00:00:00Z"})

    delivery = issue.deliveries.get(subscription=first)
    assert delivery.status == Status.SENT
    assert delivery.delivered_at.isoformat() == "2026-12-08T04:00:00+00:00"
    assert delivery.opened_at.isoformat() == "2026-12-08T04:05:00+00:00"
    counts = sending.progress(issue)
    assert (counts.delivered, counts.opened) == (1, 1)


def test_a_soft_bounce_or_a_deferral_changes_nothing(client, sent):
    issue, first, _second = sent
    email = first.subscriber.email
    post(client, POSTMARK, bounce("<m0@newsroom.test>", email, kind="SoftBounce"))
    response = post(client, POSTMARK, bounce("<m0@newsroom.test>", email, kind="Transient"))
    assert response.status_code == 200

    assert issue.deliveries.get(subscription=first).status == Status.SENT
    first.subscriber.refresh_from_db()
    assert first.subscriber.suspended_at is None
    assert not SubscriptionEvent.objects.exists()


def test_a_hard_bounce_under_an_id_of_no_issue_suspends_the_address_and_marks_no_delivery(
    client, sent
):
    issue, first, _second = sent
    # A relay's own id (or a sign-up mail's), and the address in capitals as some relays
    # write it: the mailbox is dead whichever mail found it out.
    report = bounce("0a129aee-e1cd-480d-b08d-4f48548ff48d", first.subscriber.email.upper())

    for _retry in range(2):
        assert post(client, POSTMARK, report).status_code == 200

    assert set(issue.deliveries.values_list("status", flat=True)) == {Status.SENT}
    first.subscriber.refresh_from_db()
    assert first.subscriber.suspended_at is not None
    [event] = SubscriptionEvent.objects.filter(action="suspended")
    assert event.subscriber == first.subscriber
    assert "issue" not in event.data


def test_a_report_of_a_message_of_no_issue_is_answered_and_ignored(client, sent, caplog):
    response = post(client, POSTMARK, bounce("<signup@newsroom.test>", "nobody@example.com"))

    assert response.status_code == 200
    assert "unknown message" in caplog.text
    assert not IssueDelivery.objects.exclude(status=Status.SENT).exists()
    assert not SubscriptionEvent.objects.exists()


def test_a_wrong_or_missing_secret_is_refused(client, sent):
    issue, first, _second = sent
    payload = bounce("<m0@newsroom.test>", first.subscriber.email)

    assert post(client, POSTMARK, payload, secret="provider:guessed").status_code == 400
    response = client.post(POSTMARK, json.dumps(payload), content_type="application/json")
    assert response.status_code == 400
    assert issue.deliveries.get(subscription=first).status == Status.SENT


def test_without_a_secret_configured_every_report_is_refused(client, sent, settings):
    settings.ANYMAIL = {}
    issue, first, _second = sent

    response = post(client, POSTMARK, bounce("<m0@newsroom.test>", first.subscriber.email))

    assert response.status_code == 403
    assert issue.deliveries.get(subscription=first).status == Status.SENT


def test_a_rejection_by_the_provider_fails_the_delivery_without_suspending(client, sent):
    issue, first, _second = sent

    post(client, POSTMARK, bounce("<m0@newsroom.test>", first.subscriber.email, "BadEmailAddress"))

    delivery = issue.deliveries.get(subscription=first)
    assert delivery.status == Status.FAILED
    assert "Postmark" in delivery.error
    first.subscriber.refresh_from_db()
    assert first.subscriber.suspended_at is None


def ses_bounce(email: str, bounce_type: str) -> dict:
    """An Amazon SES bounce as SNS posts it (the SES event is the JSON in "Message")."""
    event = {
        "notificationType": "Bounce",
        "mail": {"messageId": "0100019aee-ses-id", "destination": [email], "headers": []},
        "bounce": {
            "bounceType": bounce_type,
            "bounceSubType": "General",
            "bouncedRecipients": [{"emailAddress": email, "diagnosticCode": "smtp; 550 5.1.1"}],
        },
    }
    return {
        "Type": "Notification",
        "MessageId": f"sns-{bounce_type}",
        "TopicArn": "arn:aws:sns:ap-northeast-2:123456789012:newsroom-bounces",
        "Message": json.dumps(event),
        "Timestamp": "2026-12-08T04:00:00.000Z",
    }


@pytest.mark.parametrize(("bounce_type", "suspended"), [("Transient", False), ("Permanent", True)])
def test_amazon_ses_bounces_suspend_only_when_permanent(client, sent, bounce_type, suspended):
    issue, first, _second = sent
    # As anymail's Amazon SES backend stores it: SES's own id of the message.
    issue.deliveries.filter(subscription=first).update(message_id="0100019aee-ses-id")
    payload = ses_bounce(first.subscriber.email, bounce_type)

    response = client.post(
        "/newsletters/provider/amazon_ses/tracking/",
        json.dumps(payload),
        content_type="text/plain",  # as SNS sends it
        HTTP_X_AMZ_SNS_MESSAGE_TYPE="Notification",
        HTTP_X_AMZ_SNS_MESSAGE_ID=payload["MessageId"],
        **auth(),
    )

    assert response.status_code == 200
    first.subscriber.refresh_from_db()
    assert (first.subscriber.suspended_at is not None) is suspended
    expected = Status.BOUNCED if suspended else Status.SENT
    assert issue.deliveries.get(subscription=first).status == expected


def test_a_complaint_after_a_bounce_s_suspension_becomes_its_reason_once(client, sent):
    issue, first, _second = sent
    post(client, POSTMARK, bounce("<m0@newsroom.test>", first.subscriber.email))
    complaint = {
        "RecordType": "SpamComplaint",
        "Type": "SpamComplaint",
        "MessageID": "<m0@newsroom.test>",
        "Email": first.subscriber.email,
        "BouncedAt": "2026-12-08T04:10:00Z",
    }
    for _retry in range(2):
        post(client, POSTMARK, complaint)

    first.subscriber.refresh_from_db()
    # A confirmation mail may lift a bounce's suspension, never a complaint's.
    assert first.subscriber.suspended_reason.startswith("complained")
    assert bounces.suspended_for_complaint(first.subscriber)
    reasons = SubscriptionEvent.objects.filter(action="suspended").values_list(
        "data__reason", flat=True
    )
    assert sorted(reasons) == ["bounced", "complained"]
    assert issue.deliveries.get(subscription=first).status == Status.COMPLAINED
