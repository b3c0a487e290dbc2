"""Open tracking: off by default; on, each recipient's message carries their own signed
1x1 image, whose first fetch marks their delivery opened."""

import pytest
from django.core import mail
from django.utils import timezone

from articles.models import IssueDelivery, IssueStory, NewsletterIssue
from articles.newsletters import sending, tracking
from tests.factories import NewsletterFactory, SubscriptionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def issue(desk):
    newsletter = NewsletterFactory()
    for _ in range(2):
        SubscriptionFactory(newsletter=newsletter)
    issue = NewsletterIssue.objects.create(newsletter=newsletter, subject="오늘의 경제")
    IssueStory.objects.create(issue=issue, article=desk.story("반도체 수출 석 달째 증가"))
    sending.queue_recipients(issue)
    NewsletterIssue.objects.filter(pk=issue.pk).update(
        status=NewsletterIssue.Status.SENDING, started_at=timezone.now()
    )
    return issue


def html_of(message) -> str:
    return message.alternatives[0].content


def test_without_the_setting_no_message_carries_an_image_and_the_address_answers_404(client, issue):
    sending.send_batch(issue.pk)
    delivery = issue.deliveries.first()

    assert all("/newsletters/opened/" not in html_of(message) for message in mail.outbox)
    response = client.get(tracking.open_url(delivery.pk))
    assert response.status_code == 404
    assert response["Content-Type"] == "image/gif"
    assert IssueDelivery.objects.get(pk=delivery.pk).opened_at is None


def test_each_recipients_image_marks_their_own_delivery_once(
    client, issue, settings, django_assert_num_queries
):
    settings.NEWSLETTER_OPEN_TRACKING = True
    sending.send_batch(issue.pk)
    first, second = issue.deliveries.order_by("pk").select_related("subscription__subscriber")
    [message] = [m for m in mail.outbox if m.to == [first.subscription.subscriber.email]]
    url = tracking.open_url(first.pk)
    assert url in html_of(message)
    assert tracking.open_url(second.pk) not in html_of(message)

    with django_assert_num_queries(1):
        response = client.get(url)

    assert response.status_code == 200
    assert response["Content-Type"] == "image/gif"
    assert response.content.startswith(b"GIF89a")
    assert "no-store" in response["Cache-Control"]
    opened_at = IssueDelivery.objects.get(pk=first.pk).opened_at
    assert opened_at is not None
    assert IssueDelivery.objects.get(pk=second.pk).opened_at is None

    with django_assert_num_queries(2):
        again = client.get(url)
    assert again.status_code == 200
    assert IssueDelivery.objects.get(pk=first.pk).opened_at == opened_at
    assert sending.progress(issue).opened == 1


def test_a_forged_or_unknown_token_is_a_404_image(client, issue, settings):
    settings.NEWSLETTER_OPEN_TRACKING = True
    delivery = issue.deliveries.first()
    forged = tracking.open_token(delivery.pk)[:-2] + "xx"

    for token in (forged, tracking.open_token(delivery.pk + 1000), "nonsense"):
        response = client.get(f"/newsletters/opened/{token}/")
        assert response.status_code == 404
        assert response["Content-Type"] == "image/gif"
    assert not IssueDelivery.objects.filter(opened_at__isnull=False).exists()


def test_the_image_is_fetched_only(client, issue, settings):
    settings.NEWSLETTER_OPEN_TRACKING = True
    delivery = issue.deliveries.first()

    assert client.post(tracking.open_url(delivery.pk)).status_code == 405
    assert IssueDelivery.objects.get(pk=delivery.pk).opened_at is None
