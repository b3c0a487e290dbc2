"""Issue 24's newsletter, end to end through the test client: a reader subscribes from a
story and confirms by mail, an editor sends an issue from the desk and watches its counts,
and the reader leaves with the mail's one-click unsubscribe, never logging in."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from articles.models import NewsletterIssue, Subscription
from tests.factories import NewsletterFactory
from tests.pages import parse

pytestmark = pytest.mark.django_db


def link_in(text: str, path: str) -> str:
    return re.search(rf"https?://[^\s\"<>]+{re.escape(path)}[^\s\"<>]+", text)[0]


def local(url: str, settings) -> str:
    return url.removeprefix(settings.SITE_URL)


def test_a_reader_subscribes_gets_an_issue_and_unsubscribes_in_one_click(
    client, desk, editor, settings, django_capture_on_commit_callbacks
):
    briefing = NewsletterFactory(name="아침 브리핑", slug="morning")
    story = desk.story("반도체 수출 석 달째 증가")
    form = parse(client.get(story.get_absolute_url())).one("form", action="/newsletters/subscribe/")
    assert form.select("input", name="newsletters")

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/newsletters/subscribe/",
            {"email": "new.reader@example.com", "newsletters": [briefing.pk], "consent": "on"},
        )
    [confirmation] = mail.outbox
    client.post(local(link_in(confirmation.body, "/newsletters/confirm/"), settings))
    subscription = Subscription.objects.get(subscriber__email="new.reader@example.com")
    assert subscription.status == Subscription.Status.CONFIRMED

    desk_client = client.__class__()
    desk_client.force_login(editor)
    new = reverse("story_desk:newsletter-new", args=[briefing.slug])
    desk_client.post(new, {"subject": "오늘의 경제", "intro": "", "pick": [story.pk], "save": "1"})
    issue = NewsletterIssue.objects.get()
    send = reverse("story_desk:newsletter-send", args=[issue.pk])
    with django_capture_on_commit_callbacks(execute=True):
        desk_client.post(send)
    [issue_mail] = mail.outbox[1:]
    assert issue_mail.to == ["new.reader@example.com"]
    assert "반도체 수출 석 달째 증가" in issue_mail.alternatives[0].content

    header = issue_mail.extra_headers["List-Unsubscribe"]
    assert issue_mail.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # What a mail client does for RFC 8058: a POST of this one field, with no cookie.
    one_click = client.__class__().post(
        local(header.strip("<>"), settings), {"List-Unsubscribe": "One-Click"}
    )
    assert one_click.status_code == 200
    subscription.refresh_from_db()
    assert subscription.status == Subscription.Status.UNSUBSCRIBED

    progress = desk_client.get(reverse("story_desk:newsletter-progress", args=[issue.pk])).json()
    assert (progress["status"], progress["sent"], progress["percent"]) == ("sent", 1, 100)
    page = parse(desk_client.get(reverse("story_desk:newsletter-issue", args=[issue.pk])))
    counts = {
        block.one("dt").text: block.one("dd").text
        for block in page.one("dl", cls="delivery-counts").select("div")
    }
    assert counts["발송 완료"] == "1"
    assert counts["발송 뒤 구독 해지"] == "1"
