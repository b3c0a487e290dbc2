"""A newsletter's issues (articles.newsletters.issues): composing, the stale edit, filling
automatically, the test send, scheduling, sending now (once, however many clicks), the
scheduler and cancelling: each step for the happy path, the refused roles, the wrong state,
its one history row and its tasks only after commit."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from accounts.errors import NotAllowed
from articles import workflow
from articles.errors import IssueNotInState, IssueRefused, StaleIssue
from articles.models import IssueDelivery, IssueEvent, Newsletter, NewsletterIssue
from articles.newsletters import issues
from newsroom.celery import PERIODIC_JOBS
from newsroom.celery import app as celery_app
from newsroom.models import OutboxMessage
from tests.factories import NewsletterFactory, SubscriberFactory, SubscriptionFactory

pytestmark = pytest.mark.django_db

Status = NewsletterIssue.Status
Action = IssueEvent.Action
SEND_TASK = "articles.send_newsletter_batch"


@pytest.fixture
def newsletter(db):
    return NewsletterFactory(name="아침 브리핑", slug="morning")


@pytest.fixture
def stories(desk):
    return [desk.story("반도체 수출 석 달째 증가"), desk.story("환율 1,400원 돌파")]


@pytest.fixture
def draft(newsletter, editor, stories):
    return issues.create_issue(
        newsletter,
        actor=editor,
        subject="오늘의 경제",
        intro="안녕하세요.",
        article_ids=[story.pk for story in stories],
    )


@pytest.fixture
def subscribers(newsletter):
    """Two confirmed subscribers, one waiting for confirmation, one suspended."""
    confirmed = [SubscriptionFactory(newsletter=newsletter) for _ in range(2)]
    SubscriptionFactory(newsletter=newsletter, status="pending", confirmed_at=None)
    SubscriptionFactory(
        newsletter=newsletter, subscriber=SubscriberFactory(suspended_at=timezone.now())
    )
    return confirmed


def events(issue, action=None) -> list[IssueEvent]:
    found = IssueEvent.objects.filter(issue=issue).order_by("pk")
    return list(found.filter(action=action) if action else found)


def sends(issue) -> int:
    return OutboxMessage.objects.filter(task_name=SEND_TASK, args=[issue.pk]).count()


# --- composing ----------------------------------------------------------------------------------


def test_an_editor_creates_a_draft_with_the_stories_in_their_order(draft, stories, editor):
    assert draft.status == Status.DRAFT
    assert list(draft.picks.values_list("article_id", flat=True)) == [s.pk for s in stories]
    [created] = events(draft)
    assert (created.action, created.actor, created.to_status) == (Action.CREATED, editor, "draft")
    assert created.data["articles"] == [s.pk for s in stories]


@pytest.mark.parametrize("role", ["reporter", "moderator", "reader"])
def test_only_editors_create_issues(request, newsletter, stories, role):
    with pytest.raises(NotAllowed):
        issues.create_issue(
            newsletter,
            actor=request.getfixturevalue(role),
            subject="제목",
            intro="",
            article_ids=[stories[0].pk],
        )
    assert not NewsletterIssue.objects.exists()


def test_an_issue_takes_published_stories_only_and_needs_a_subject(newsletter, editor, desk):
    unpublished = desk.story("아직 초고", state="draft")
    with pytest.raises(IssueRefused, match="발행된 기사만"):
        issues.create_issue(
            newsletter, actor=editor, subject="제목", intro="", article_ids=[unpublished.pk]
        )
    with pytest.raises(IssueRefused, match="제목"):
        issues.create_issue(newsletter, actor=editor, subject="  ", intro="", article_ids=[])
    assert not NewsletterIssue.objects.exists()


def test_the_same_new_issue_posted_twice_is_made_once(draft, newsletter, editor, stories):
    again = issues.create_issue(
        newsletter,
        actor=editor,
        subject="오늘의 경제",
        intro="안녕하세요.",
        article_ids=[story.pk for story in stories],
    )
    assert again == draft
    assert NewsletterIssue.objects.count() == 1
    assert len(events(draft)) == 1


def test_an_edit_changes_the_issue_bumps_its_version_and_writes_one_row(draft, editor, stories):
    issue = issues.edit_issue(
        draft,
        actor=editor,
        version=draft.version,
        subject="오늘의 경제 (수정)",
        intro="안녕하세요.",
        article_ids=[stories[1].pk, stories[0].pk],
    )
    assert issue.version == draft.version + 1
    assert list(issue.picks.values_list("article_id", flat=True)) == [
        stories[1].pk,
        stories[0].pk,
    ]
    [edited] = events(issue, Action.EDITED)
    assert edited.data["changed"] == ["subject", "articles"]


def test_an_edit_from_an_older_version_is_refused_with_what_was_sent(
    draft, editor, second_editor, stories
):
    opened = draft.version
    issues.edit_issue(
        draft,
        actor=second_editor,
        version=opened,
        subject="다른 편집자의 제목",
        intro="",
        article_ids=[stories[0].pk],
    )
    with pytest.raises(StaleIssue) as stale:
        issues.edit_issue(
            draft,
            actor=editor,
            version=opened,
            subject="내 제목",
            intro="",
            article_ids=[stories[0].pk],
        )
    assert "김하늘" in str(stale.value)
    assert "고쳤습니다" in str(stale.value)
    assert stale.value.submitted["subject"] == "내 제목"
    draft.refresh_from_db()
    assert draft.subject == "다른 편집자의 제목"
    assert len(events(draft, Action.EDITED)) == 1


def test_saving_what_is_there_writes_nothing(draft, editor, stories):
    issues.edit_issue(
        draft,
        actor=editor,
        version=draft.version - 5,
        subject=draft.subject,
        intro=draft.intro,
        article_ids=[story.pk for story in stories],
    )
    assert events(draft, Action.EDITED) == []


def test_only_a_draft_or_scheduled_issue_is_edited(draft, editor, subscribers):
    issues.send_now(draft, actor=editor)
    draft.refresh_from_db()
    with pytest.raises(IssueNotInState):
        issues.edit_issue(
            draft,
            actor=editor,
            version=draft.version,
            subject="늦은 수정",
            intro="",
            article_ids=[],
        )


@pytest.mark.parametrize("role", ["reporter", "moderator", "reader"])
def test_only_editors_edit_issues(request, draft, role):
    with pytest.raises(NotAllowed):
        issues.edit_issue(
            draft,
            actor=request.getfixturevalue(role),
            version=draft.version,
            subject="수정",
            intro="",
            article_ids=[],
        )


# --- filling automatically ------------------------------------------------------------------


def test_the_briefing_is_filled_with_the_front_pages_curated_then_newest_stories(
    newsletter, desk, editor, clock
):
    older = desk.story("어제의 기사")
    clock.shift(timedelta(minutes=5))
    newer = desk.story("오늘의 기사")
    workflow.curate(None, actor=editor, story_ids=[older.pk])
    assert issues.fill_automatically(newsletter) == [older.pk, newer.pk]


def test_a_sections_daily_is_filled_with_its_and_its_subsections_stories_of_the_day(
    desk, section, subsection, other_section, clock
):
    daily = NewsletterFactory(kind=Newsletter.Kind.SECTION, section=section)
    old = desk.story("이틀 전 기사")
    clock.shift(timedelta(hours=30))
    below = desk.story("하위 섹션 기사", section=subsection)
    here = desk.story("섹션 기사")
    desk.story("다른 섹션 기사", section=other_section)
    assert issues.fill_automatically(daily) == [here.pk, below.pk]
    assert old.pk not in issues.fill_automatically(daily)


def test_a_reporters_newsletter_is_filled_with_their_newest_stories(desk, reporter, clock):
    letter = NewsletterFactory(kind=Newsletter.Kind.REPORTER, reporter=reporter.staff_profile)
    first = desk.story("첫 기사")
    clock.shift(timedelta(minutes=1))
    second = desk.story("둘째 기사")
    desk.story("남의 기사", author=desk.staff("다른 기자"))
    assert issues.fill_automatically(letter) == [second.pk, first.pk]


# --- the test send ------------------------------------------------------------------------------


def test_the_test_goes_to_the_editor_only_marked_as_a_test(draft, editor, subscribers):
    issues.send_test(draft, actor=editor)

    [sent] = mail.outbox
    assert sent.to == ["editor@example.com"]
    assert sent.subject == "[시험] 오늘의 경제"
    assert "List-Unsubscribe" not in sent.extra_headers
    assert "시험 발송: 구독 해지 링크는 실제 발송에서 채워집니다" in sent.body
    html = sent.alternatives[0].content
    assert "시험 발송: 구독 해지 링크는 실제 발송에서 채워집니다" in html
    assert "/desk/newsletters/morning/" in html
    [tested] = events(draft, Action.TEST_SENT)
    assert tested.data == {"to": "editor@example.com"}
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT
    assert not IssueDelivery.objects.exists()


def test_a_test_needs_a_published_story(newsletter, editor):
    empty = issues.create_issue(newsletter, actor=editor, subject="빈 호", intro="", article_ids=[])
    with pytest.raises(IssueRefused, match="기사"):
        issues.send_test(empty, actor=editor)
    assert mail.outbox == []
    assert events(empty, Action.TEST_SENT) == []


@pytest.mark.parametrize("role", ["reporter", "moderator", "reader"])
def test_only_editors_send_tests(request, draft, role):
    with pytest.raises(NotAllowed):
        issues.send_test(draft, actor=request.getfixturevalue(role))
    assert mail.outbox == []


# --- scheduling ------------------------------------------------------------------------------


def test_an_issue_is_scheduled_for_a_time_to_come_and_back_to_draft(draft, editor):
    at = timezone.now() + timedelta(hours=2)
    issue = issues.schedule(draft, actor=editor, at=at)
    assert (issue.status, issue.send_at) == (Status.SCHEDULED, at)
    [scheduled] = events(issue, Action.SCHEDULED)
    assert scheduled.data == {"send_at": at.isoformat()}

    issue = issues.unschedule(issue, actor=editor)
    assert (issue.status, issue.send_at) == (Status.DRAFT, None)
    assert len(events(issue, Action.UNSCHEDULED)) == 1


def test_a_time_gone_by_or_none_is_refused(draft, editor):
    with pytest.raises(IssueRefused, match="이후의 시각"):
        issues.schedule(draft, actor=editor, at=timezone.now() - timedelta(minutes=1))
    with pytest.raises(IssueRefused):
        issues.schedule(draft, actor=editor, at=None)
    assert events(draft, Action.SCHEDULED) == []


def test_a_draft_cannot_be_unscheduled(draft, editor):
    with pytest.raises(IssueNotInState):
        issues.unschedule(draft, actor=editor)


@pytest.mark.parametrize("role", ["reporter", "moderator", "reader"])
def test_only_editors_schedule(request, draft, role):
    with pytest.raises(NotAllowed):
        issues.schedule(
            draft, actor=request.getfixturevalue(role), at=timezone.now() + timedelta(hours=1)
        )


# --- sending ---------------------------------------------------------------------------------


def test_send_now_fixes_the_recipients_and_enqueues_the_batches_after_commit(
    draft, editor, subscribers, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        issue = issues.send_now(draft, actor=editor)
        assert issue.status == Status.SENDING
        assert issue.recipient_count == 2
        assert issue.started_at is not None
        assert sends(issue) == 1
        assert mail.outbox == []  # nothing goes before the commit
    assert callbacks
    assert set(IssueDelivery.objects.values_list("subscription", flat=True)) == {
        subscription.pk for subscription in subscribers
    }
    [started] = events(issue, Action.SENDING)
    assert (started.from_status, started.to_status, started.actor) == ("draft", "sending", editor)
    assert started.data == {"recipients": 2}


def test_the_task_sends_the_issue_to_every_confirmed_subscriber(
    draft, editor, subscribers, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        issues.send_now(draft, actor=editor)
    draft.refresh_from_db()
    assert draft.status == Status.SENT
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        subscription.subscriber.email for subscription in subscribers
    )


def test_a_double_submit_of_send_now_starts_one_sending(
    draft, editor, subscribers, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        issues.send_now(draft, actor=editor)
    with django_capture_on_commit_callbacks(execute=True):
        issues.send_now(NewsletterIssue.objects.get(pk=draft.pk), actor=editor)

    assert len(events(draft, Action.SENDING)) == 1
    assert sends(draft) == 1
    assert IssueDelivery.objects.filter(issue=draft).count() == 2
    assert len(mail.outbox) == 2


def test_another_editor_cannot_send_an_issue_already_sent(
    draft, editor, second_editor, subscribers
):
    issues.send_now(draft, actor=editor)
    with pytest.raises(IssueNotInState):
        issues.send_now(draft, actor=second_editor)
    assert sends(draft) == 1


def test_an_issue_without_recipients_or_stories_is_not_sent(draft, editor, newsletter, desk):
    with pytest.raises(IssueRefused, match="구독자"):
        issues.send_now(draft, actor=editor)
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT
    assert events(draft, Action.SENDING) == []
    assert sends(draft) == 0

    SubscriptionFactory(newsletter=newsletter)
    for story in draft.picks.all():
        workflow.unpublish(story.article, actor=editor, reason="오보")
    with pytest.raises(IssueRefused, match="기사"):
        issues.send_now(draft, actor=editor)
    assert not IssueDelivery.objects.exists()


def test_a_newsletter_switched_off_sends_nothing(draft, editor, newsletter, subscribers):
    Newsletter.objects.filter(pk=newsletter.pk).update(is_active=False)
    with pytest.raises(IssueRefused, match="꺼져"):
        issues.send_now(draft, actor=editor)
    assert not IssueDelivery.objects.exists()


@pytest.mark.parametrize("role", ["reporter", "moderator", "reader"])
def test_only_editors_send(request, draft, subscribers, role):
    with pytest.raises(NotAllowed):
        issues.send_now(draft, actor=request.getfixturevalue(role))
    assert not IssueDelivery.objects.exists()


def test_the_scheduler_starts_the_issues_whose_time_has_come(
    draft, editor, subscribers, clock, django_capture_on_commit_callbacks
):
    issues.schedule(draft, actor=editor, at=timezone.now() + timedelta(minutes=30))
    assert issues.start_due_issues() == 0
    clock.shift(timedelta(minutes=31))

    with django_capture_on_commit_callbacks(execute=True):
        assert celery_app.tasks["articles.start_due_newsletters"]() == 1
    draft.refresh_from_db()
    assert draft.status == Status.SENT
    [started] = events(draft, Action.SENDING)
    assert (started.actor, started.from_status) == (None, "scheduled")
    assert len(mail.outbox) == 2
    assert issues.start_due_issues() == 0


def test_a_due_issue_that_cannot_start_goes_back_to_draft_saying_why(draft, editor, clock):
    issues.schedule(draft, actor=editor, at=timezone.now() + timedelta(minutes=5))
    clock.shift(timedelta(minutes=6))

    assert issues.start_due_issues() == 0
    draft.refresh_from_db()
    assert (draft.status, draft.send_at) == (Status.DRAFT, None)
    [back] = events(draft, Action.UNSCHEDULED)
    assert back.actor is None
    assert "구독자" in back.note


def test_one_issue_failing_to_start_does_not_hold_back_the_others(
    newsletter, draft, editor, stories, subscribers, clock, monkeypatch, caplog
):
    other = issues.create_issue(
        newsletter, actor=editor, subject="석간", intro="", article_ids=[stories[0].pk]
    )
    for issue in (draft, other):
        issues.schedule(issue, actor=editor, at=timezone.now() + timedelta(minutes=5))
    clock.shift(timedelta(minutes=6))
    real_start = issues.start_sending

    def start(issue, actor):
        if issue.pk == draft.pk:
            raise RuntimeError("the database went away")
        return real_start(issue, actor)

    monkeypatch.setattr(issues, "start_sending", start)

    assert issues.start_due_issues() == 1
    assert NewsletterIssue.objects.get(pk=other.pk).status == Status.SENDING
    assert NewsletterIssue.objects.get(pk=draft.pk).status == Status.SCHEDULED
    assert f"newsletter issue {draft.pk} could not start on schedule" in caplog.text


def test_composing_scheduling_and_cancelling_enqueue_nothing(
    newsletter, editor, stories, django_capture_on_commit_callbacks
):
    before = OutboxMessage.objects.count()  # the stories' own publishing tasks
    with django_capture_on_commit_callbacks() as callbacks:
        issue = issues.create_issue(
            newsletter, actor=editor, subject="호", intro="", article_ids=[stories[0].pk]
        )
        issues.edit_issue(
            issue,
            actor=editor,
            version=issue.version,
            subject="새 호",
            intro="",
            article_ids=[stories[1].pk],
        )
        issues.schedule(issue, actor=editor, at=timezone.now() + timedelta(hours=1))
        issues.unschedule(issue, actor=editor)
        issues.cancel(issue, actor=editor)
    assert callbacks == []
    assert OutboxMessage.objects.count() == before


def test_the_scheduler_runs_every_minute():
    assert PERIODIC_JOBS["articles.start_due_newsletters"] <= 60


# --- cancelling ---------------------------------------------------------------------------------


def test_a_draft_or_scheduled_issue_is_cancelled_with_one_row(draft, editor):
    issues.schedule(draft, actor=editor, at=timezone.now() + timedelta(hours=1))
    issue = issues.cancel(draft, actor=editor, note="기사 교체")
    assert (issue.status, issue.send_at) == (Status.CANCELLED, None)
    [cancelled] = events(issue, Action.CANCELLED)
    assert (cancelled.from_status, cancelled.note) == ("scheduled", "기사 교체")
    with pytest.raises(IssueNotInState):
        issues.cancel(issue, actor=editor)
    with pytest.raises(IssueNotInState):
        issues.send_now(issue, actor=editor)


def test_a_sending_issue_cannot_be_cancelled(draft, editor, subscribers):
    issues.send_now(draft, actor=editor)
    with pytest.raises(IssueNotInState):
        issues.cancel(draft, actor=editor)


@pytest.mark.parametrize("role", ["reporter", "moderator", "reader"])
def test_only_editors_cancel(request, draft, role):
    with pytest.raises(NotAllowed):
        issues.cancel(draft, actor=request.getfixturevalue(role))
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


def test_an_issue_sending_by_mistake_is_stopped_and_nobody_else_gets_it(
    draft, editor, subscribers, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:  # the batches never run
        issues.send_now(draft, actor=editor)
    assert callbacks

    with django_capture_on_commit_callbacks() as after_stop:
        issue = issues.stop_sending(draft, actor=editor, note="잘못 보냄")

    assert after_stop == []
    assert (issue.status, issue.finished_at is not None) == (Status.CANCELLED, True)
    assert set(issue.deliveries.values_list("status", flat=True)) == {IssueDelivery.Status.SKIPPED}
    [stopped] = events(issue, Action.STOPPED)
    assert (stopped.from_status, stopped.to_status, stopped.note) == (
        "sending",
        "cancelled",
        "잘못 보냄",
    )
    assert stopped.data == {"left": issue.recipient_count}
    with pytest.raises(IssueNotInState):
        issues.stop_sending(issue, actor=editor)


def test_only_a_sending_issue_can_be_stopped(draft, editor):
    with pytest.raises(IssueNotInState):
        issues.stop_sending(draft, actor=editor)
    assert events(draft, Action.STOPPED) == []


@pytest.mark.parametrize("role", ["reporter", "moderator", "reader"])
def test_only_editors_stop_a_sending(request, draft, editor, subscribers, role):
    issues.send_now(draft, actor=editor)
    with pytest.raises(NotAllowed):
        issues.stop_sending(draft, actor=request.getfixturevalue(role))
    draft.refresh_from_db()
    assert draft.status == Status.SENDING
