"""What a return sets off: one notification per person, one outbox message sent after
commit, and one e-mail each (through articles.notifications)."""

import re

import pytest
from django.core import mail
from django.db import transaction

from articles import tasks, workflow
from articles.models import Article, ArticleEvent, Notification, NotificationKind
from newsroom import outbox
from newsroom.models import OutboxMessage

pytestmark = pytest.mark.django_db

Status = Article.Status
NOTE = "두 번째 문단의 수출액 출처를 밝혀 주세요."
HEADLINE = "반도체 수출 석 달째 증가"
HANGUL = re.compile(r"[가-힣]")


@pytest.fixture
def submitted(story_in):
    return story_in(Status.SUBMITTED)


def notifications() -> list[OutboxMessage]:
    """The e-mail messages of returns (the submit before one has its own, to the editors)."""
    returned = set(
        Notification.objects.filter(kind=NotificationKind.RETURNED).values_list("pk", flat=True)
    )
    return [
        message
        for message in OutboxMessage.objects.filter(task_name="articles.email_notifications")
        if returned & set(message.args[0])
    ]


def test_a_return_emails_the_reporter_once_and_only_after_commit(
    submitted, reporter, editor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        workflow.return_for_changes(submitted, actor=editor, note=NOTE)
        [message] = notifications()
        assert message.status == OutboxMessage.Status.PENDING
        assert mail.outbox == []

    assert len(callbacks) == 1
    [email] = mail.outbox
    assert email.to == [reporter.email]
    assert HEADLINE in email.subject
    assert HEADLINE in email.body
    assert NOTE in email.body
    assert "오세훈" in email.body
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.DONE
    event = ArticleEvent.objects.get(article=submitted, action="return")
    [notification] = Notification.objects.filter(kind=NotificationKind.RETURNED)
    assert (notification.recipient, notification.key) == (reporter, f"article-event:{event.pk}")
    assert message.args == [[notification.pk]]


def test_the_return_email_is_written_in_korean(
    submitted, editor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        workflow.return_for_changes(submitted, actor=editor, note=NOTE)

    [email] = mail.outbox
    wording = email.body
    for quoted in (HEADLINE, NOTE, "오세훈"):
        wording = wording.replace(quoted, "")
    assert HANGUL.search(email.subject.replace(HEADLINE, ""))
    assert HANGUL.search(wording)


def test_the_return_email_shows_the_note_and_headline_as_written(
    story_in, reporter, editor, django_capture_on_commit_callbacks
):
    story = story_in(Status.DRAFT)
    workflow.save(
        story, actor=reporter, base_version=1, content={"headline": '삼성 "HBM" 증산 & 투자'}
    )
    workflow.submit(story, actor=reporter)
    note = "AT&T 인용은 <2문단>으로 옮기고 '출처'를 밝혀 주세요."

    with django_capture_on_commit_callbacks(execute=True):
        workflow.return_for_changes(story, actor=editor, note=note)

    [email] = mail.outbox
    assert note in email.body
    assert '삼성 "HBM" 증산 & 투자' in email.subject


def test_running_the_notification_again_sends_nothing_more(
    submitted, editor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        workflow.return_for_changes(submitted, actor=editor, note=NOTE)
    [message] = notifications()

    assert tasks.email_notifications(*message.args) == 0
    message.status = OutboxMessage.Status.PENDING  # as if the sweep delivered it again
    assert outbox.deliver(message)

    assert len(mail.outbox) == 1


def test_a_double_clicked_return_sends_one_email(
    submitted, editor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        workflow.return_for_changes(submitted, actor=editor, note=NOTE)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.return_for_changes(submitted, actor=editor, note=NOTE)

    assert len(mail.outbox) == 1
    assert ArticleEvent.objects.filter(article=submitted, action="return").count() == 1


def test_every_bylined_reporter_gets_their_own_return_email(
    story_in, reporter, other_reporter, editor, django_capture_on_commit_callbacks
):
    story = story_in(Status.DRAFT)
    workflow.save(
        story,
        actor=reporter,
        base_version=1,
        content={
            "bylines": [
                {"profile": reporter.staff_profile.pk},
                {"profile": other_reporter.staff_profile.pk},
            ]
        },
    )
    workflow.submit(story, actor=reporter)

    with django_capture_on_commit_callbacks(execute=True):
        workflow.return_for_changes(story, actor=editor, note=NOTE)

    assert sorted(email.to[0] for email in mail.outbox) == sorted(
        [reporter.email, other_reporter.email]
    )
    assert all(len(email.to) == 1 for email in mail.outbox)


def _return_then_fail(story: Article, editor) -> None:
    with transaction.atomic():
        workflow.return_for_changes(story, actor=editor, note=NOTE)
        raise RuntimeError("the request failed after the return")


def test_a_rolled_back_return_enqueues_nothing_and_sends_nothing(
    submitted, editor, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
    ):
        _return_then_fail(submitted, editor)

    assert callbacks == []
    assert notifications() == []
    assert mail.outbox == []
    submitted.refresh_from_db()
    assert (submitted.status, submitted.return_note) == (Status.SUBMITTED, "")
    assert not ArticleEvent.objects.filter(article=submitted, action="return").exists()
