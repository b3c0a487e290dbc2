"""The desk's notifications (알림): who hears of each event, once, how (inbox, e-mail, the
daily digest), and the inbox and settings pages."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse

from accounts import roles
from articles import notifications, tasks, workflow
from articles.models import (
    Article,
    ArticleEvent,
    Delivery,
    DeskSection,
    Notification,
    NotificationDigest,
    NotificationKind,
)
from newsroom import outbox
from newsroom.models import OutboxMessage
from tests.articles.conftest import MONDAY_9AM, edit
from tests.conftest import staff

pytestmark = pytest.mark.django_db

Status = Article.Status
Kind = NotificationKind
HEADLINE = "반도체 수출 석 달째 증가"
HANGUL = re.compile(r"[가-힣]")
INBOX = "/desk/notifications/"
SETTINGS = "/desk/notifications/settings/"
# The session, the user, their roles, the header's unread count, the page's count and rows.
INBOX_QUERIES = 6
# The session, the user, their roles, the header's count, the choices, the desk sections
# and the section tree (for an editor).
SETTINGS_QUERIES = 7


def told(kind: str, article: Article | None = None) -> list[tuple[str, str]]:
    """(recipient's e-mail, kind) of every notification of a kind, sorted."""
    found = Notification.objects.filter(kind=kind)
    if article is not None:
        found = found.filter(article=article)
    return sorted((n.recipient.email, n.kind) for n in found.select_related("recipient"))


def mailed_to() -> list[str]:
    return sorted(address for email in mail.outbox for address in email.to)


@pytest.fixture
def co_written(story_in, reporter, other_reporter):
    """A draft with two staff bylines (the reporter created it)."""
    story = story_in(Status.DRAFT)
    edit(
        story,
        actor=reporter,
        bylines=[
            {"profile": reporter.staff_profile.pk},
            {"profile": other_reporter.staff_profile.pk},
        ],
    )
    story.refresh_from_db()
    return story


# --- each wired event, each recipient once, never the actor -----------------------------------


def test_a_submitted_story_tells_every_editor_once_and_not_the_reporter(
    story_in, reporter, editor, second_editor, django_capture_on_commit_callbacks
):
    story = story_in(Status.DRAFT)

    with django_capture_on_commit_callbacks(execute=True):
        workflow.submit(story, actor=reporter)

    assert told(Kind.SUBMITTED) == sorted(
        [(editor.email, Kind.SUBMITTED), (second_editor.email, Kind.SUBMITTED)]
    )
    assert mailed_to() == sorted([editor.email, second_editor.email])
    event = ArticleEvent.objects.get(article=story, action="submit")
    assert set(Notification.objects.values_list("key", flat=True)) == {f"article-event:{event.pk}"}


def test_an_editor_submitting_their_own_story_is_not_told_of_it(
    story_in, editor, second_editor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        story_in(Status.SUBMITTED, author=editor)

    assert told(Kind.SUBMITTED) == [(second_editor.email, Kind.SUBMITTED)]


def test_a_return_tells_every_byline_and_the_creator_once_with_the_note(
    co_written, reporter, other_reporter, editor, django_capture_on_commit_callbacks
):
    workflow.submit(co_written, actor=reporter)

    with django_capture_on_commit_callbacks(execute=True):
        workflow.return_for_changes(co_written, actor=editor, note="출처를 밝혀 주세요.")

    # The reporter is both a byline and the creator: told once.
    assert told(Kind.RETURNED) == sorted(
        [(reporter.email, Kind.RETURNED), (other_reporter.email, Kind.RETURNED)]
    )
    assert mailed_to() == sorted([reporter.email, other_reporter.email])
    for email in mail.outbox:
        assert HEADLINE in email.subject
        assert "출처를 밝혀 주세요." in email.body
        assert "오세훈" in email.body  # the editor
        assert "/desk/articles/" in email.body


def test_the_creator_without_a_byline_hears_of_a_return_too(
    story_in, reporter, other_reporter, editor
):
    story = story_in(Status.DRAFT)
    edit(story, actor=reporter, bylines=[{"profile": other_reporter.staff_profile.pk}])
    workflow.submit(story, actor=reporter)

    workflow.return_for_changes(story, actor=editor, note="다시 써 주세요.")

    assert told(Kind.RETURNED) == sorted(
        [(reporter.email, Kind.RETURNED), (other_reporter.email, Kind.RETURNED)]
    )


def test_a_schedule_a_publication_a_correction_and_a_take_down_tell_the_bylines(
    co_written, reporter, other_reporter, editor, django_capture_on_commit_callbacks
):
    workflow.submit(co_written, actor=reporter)
    bylines = sorted([reporter.email, other_reporter.email])

    with django_capture_on_commit_callbacks(execute=True):
        workflow.schedule(co_written, actor=editor, at=MONDAY_9AM + timedelta(days=3650))
    with django_capture_on_commit_callbacks(execute=True):
        workflow.publish(co_written, actor=editor)
    co_written.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.correct(
            co_written, actor=editor, base_version=co_written.version, note="수치를 고쳤습니다."
        )
    with django_capture_on_commit_callbacks(execute=True):
        workflow.unpublish(co_written, actor=editor, reason="소송 위험")

    for kind in (Kind.SCHEDULED, Kind.PUBLISHED, Kind.CORRECTED, Kind.UNPUBLISHED):
        assert [email for email, _kind in told(kind)] == bylines, kind
    assert not Notification.objects.filter(recipient=editor).exclude(kind=Kind.SUBMITTED)
    assert mailed_to() == sorted(bylines * 4)
    corrected = Notification.objects.get(kind=Kind.CORRECTED, recipient=reporter)
    assert corrected.data == {"note": "수치를 고쳤습니다."}
    assert "2035" in notifications.message(
        Notification.objects.get(kind=Kind.SCHEDULED, recipient=reporter)
    )


def test_an_editors_own_story_published_tells_nobody(story_in, editor):
    story_in(Status.PUBLISHED, author=editor)

    assert not Notification.objects.exclude(kind=Kind.SUBMITTED).exists()


def test_the_schedulers_automatic_publication_tells_the_bylines_once(
    clock, story_in, reporter, editor, django_capture_on_commit_callbacks
):
    story = story_in(Status.SCHEDULED)
    clock.shift(timedelta(days=1, minutes=1))

    with django_capture_on_commit_callbacks(execute=True):
        assert workflow.run_schedule() == {"published": 1, "unpublished": 0}
    with django_capture_on_commit_callbacks(execute=True):
        assert workflow.run_schedule() == {"published": 0, "unpublished": 0}

    [published] = Notification.objects.filter(kind=Kind.PUBLISHED)
    assert (published.recipient, published.article_id, published.actor) == (
        reporter,
        story.pk,
        None,
    )
    assert notifications.message(published) == f"기사가 출고되었습니다: {HEADLINE}"
    assert [email for email in mail.outbox if HEADLINE in email.subject and "출고" in email.subject]
    assert len([email for email in mail.outbox if "출고" in email.subject]) == 1


def test_a_double_clicked_step_tells_nobody_twice(story_in, reporter, editor):
    story = story_in(Status.SUBMITTED)

    workflow.return_for_changes(story, actor=editor, note="고쳐 주세요.")
    workflow.return_for_changes(story, actor=editor, note="고쳐 주세요.")

    assert told(Kind.RETURNED) == [(reporter.email, Kind.RETURNED)]


def _return_then_fail(story: Article, editor) -> None:
    with transaction.atomic():
        workflow.return_for_changes(story, actor=editor, note="고쳐 주세요.")
        raise RuntimeError("the request failed")


def test_a_rolled_back_event_tells_nobody(story_in, editor, django_capture_on_commit_callbacks):
    story = story_in(Status.SUBMITTED)
    before = OutboxMessage.objects.count()

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        _return_then_fail(story, editor)

    assert told(Kind.RETURNED) == []
    assert OutboxMessage.objects.count() == before
    assert mail.outbox == []


# --- e-mails once, however often the task runs -------------------------------------------------


def test_the_email_task_run_twice_sends_each_email_once(
    story_in, reporter, editor, django_capture_on_commit_callbacks
):
    story = story_in(Status.SUBMITTED)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.return_for_changes(story, actor=editor, note="고쳐 주세요.")
    [message] = OutboxMessage.objects.filter(
        task_name="articles.email_notifications", status=OutboxMessage.Status.DONE
    )

    assert tasks.email_notifications(*message.args) == 0
    message.status = OutboxMessage.Status.PENDING  # as if the sweep delivered it again
    assert outbox.deliver(message)

    assert mailed_to() == [reporter.email]
    [notification] = Notification.objects.filter(kind=Kind.RETURNED)
    assert notification.emailed_at is not None


def test_the_same_key_twice_tells_each_person_once(reporter, editor):
    first = notifications.notify(
        Kind.ASSIGNED, recipients=[reporter], actor=editor, key="plan:1", data={"title": "취재"}
    )
    again = notifications.notify(
        Kind.ASSIGNED, recipients=[reporter], actor=editor, key="plan:1", data={"title": "취재"}
    )

    assert len(first) == 1
    assert again == []
    assert Notification.objects.count() == 1
    assert OutboxMessage.objects.filter(task_name="articles.email_notifications").count() == 1


def test_the_retired_return_task_tells_through_the_notifications_once(
    story_in, reporter, editor, django_capture_on_commit_callbacks
):
    story = story_in(Status.SUBMITTED)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.return_for_changes(story, actor=editor, note="고쳐 주세요.")
    event = ArticleEvent.objects.get(article=story, action="return")

    # A message of the old task left in the outbox at the upgrade.
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.notify_returned(story.pk, event.pk) == 0

    assert mailed_to() == [reporter.email]


def test_the_retired_return_task_tells_those_not_yet_told(
    story_in, reporter, editor, django_capture_on_commit_callbacks
):
    story = story_in(Status.SUBMITTED)
    workflow.return_for_changes(story, actor=editor, note="고쳐 주세요.")
    event = ArticleEvent.objects.get(article=story, action="return")
    Notification.objects.filter(kind=Kind.RETURNED).delete()  # as before the upgrade

    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.notify_returned(story.pk, event.pk) == 1

    assert mailed_to() == [reporter.email]


# --- the kinds whose events live elsewhere (the planning board, the desk notes) ----------------

OTHER_KINDS = [
    (
        Kind.ASSIGNED,
        {"title": "반도체 공장 르포", "at": "2025-03-03T16:00:00+09:00"},
        "오세훈 님이 배정했습니다(마감 2025-03-03 16:00): 반도체 공장 르포",
    ),
    (
        Kind.DECLINED,
        {"title": "반도체 공장 르포"},
        "오세훈 님이 배정을 거절했습니다: 반도체 공장 르포",
    ),
    (Kind.MENTIONED, {"title": "데스크 메모"}, "오세훈 님이 언급했습니다: 데스크 메모"),
    (
        Kind.EMBARGO_LIFTING,
        {"title": "실적 발표", "at": "2025-03-03T10:00:00+09:00"},
        "한 시간 뒤 엠바고가 풀립니다(2025-03-03 10:00): 실적 발표",
    ),
    (
        Kind.DUE_MISSED,
        {"title": "실적 발표", "at": "2025-03-03T10:00:00+09:00"},
        "마감 시각이 지났습니다(2025-03-03 10:00): 실적 발표",
    ),
]


@pytest.mark.parametrize(
    ("kind", "data", "says"), OTHER_KINDS, ids=[k for k, _d, _s in OTHER_KINDS]
)
def test_a_kind_from_another_desk_tool_reaches_its_people_in_korean(
    kind, data, says, reporter, other_reporter, editor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        written = notifications.notify(
            kind,
            recipients=[reporter, other_reporter, editor],
            actor=editor,
            key=f"plan:7:{kind}",
            data={**data, "url": "/desk/"},
        )

    assert sorted(n.recipient.email for n in written) == sorted(
        [reporter.email, other_reporter.email]
    )
    assert notifications.message(written[0]) == says
    assert notifications.link(written[0]) == "/desk/"
    assert mailed_to() == sorted([reporter.email, other_reporter.email])
    assert all(says in email.subject and HANGUL.search(email.body) for email in mail.outbox)


def test_a_notification_never_links_off_the_site(reporter):
    [notification] = notifications.notify(
        Kind.MENTIONED,
        recipients=[reporter],
        key="note:1",
        data={"title": "메모", "url": "//evil.example/"},
    )

    assert notifications.link(notification) == ""
    assert notifications.message(notification).startswith("시스템 님이")


def test_a_batch_tells_each_person_once_per_key_in_one_email_task(
    reporter, other_reporter, editor, django_capture_on_commit_callbacks
):
    notifications.notify(Kind.MENTIONED, recipients=[reporter], key="note:1")
    batch = [
        notifications.Telling("note:1", [reporter, other_reporter, editor], data={"title": "A"}),
        notifications.Telling("note:2", [reporter, reporter], data={"title": "B"}),
    ]

    with django_capture_on_commit_callbacks(execute=True):
        written = notifications.notify_many(Kind.MENTIONED, batch, actor=editor)

    # Already told of note:1, never the actor, once for note:2 however often listed.
    assert sorted((n.key, n.recipient.email, n.title) for n in written) == [
        ("note:1", other_reporter.email, "A"),
        ("note:2", reporter.email, "B"),
    ]
    [task] = OutboxMessage.objects.filter(
        task_name="articles.email_notifications", status=OutboxMessage.Status.DONE
    )
    assert task.args == [sorted(n.pk for n in written)]
    assert mailed_to() == sorted([other_reporter.email, reporter.email])


def test_an_unknown_kind_is_refused(reporter):
    with pytest.raises(ValueError, match="gossip"):
        notifications.notify("gossip", recipients=[reporter], key="x")


def test_a_switched_off_account_is_not_told(reporter, editor):
    reporter.is_active = False
    reporter.save(update_fields=["is_active"])

    assert notifications.notify(Kind.ASSIGNED, recipients=[reporter], key="plan:2") == []


# --- desk sections ----------------------------------------------------------------------------


def test_a_submitted_story_goes_to_the_editors_whose_desk_covers_its_section(
    story_in, reporter, editor, second_editor, section, other_section
):
    notifications.set_desk_sections(editor, [section])
    notifications.set_desk_sections(second_editor, [other_section])
    third = staff("editor3@example.com", roles.Role.EDITOR, "박편집")  # no desk sections

    story_in(Status.SUBMITTED)

    assert [email for email, _k in told(Kind.SUBMITTED)] == sorted([editor.email, third.email])


def test_a_desk_section_covers_its_subsections(
    story_in, reporter, editor, second_editor, section, subsection, other_section
):
    notifications.set_desk_sections(editor, [section])
    notifications.set_desk_sections(second_editor, [other_section])
    story = story_in(Status.DRAFT)
    edit(story, actor=reporter, section=subsection.pk)

    workflow.submit(story, actor=reporter)

    assert told(Kind.SUBMITTED) == [(editor.email, Kind.SUBMITTED)]


def test_desk_sections_are_kept_as_chosen(editor, section, other_section):
    notifications.set_desk_sections(editor, [section, other_section])
    notifications.set_desk_sections(editor, [other_section])

    assert list(DeskSection.objects.values_list("user", "section")) == [
        (editor.pk, other_section.pk)
    ]


def test_desk_sections_are_edited_in_the_admin(client, superuser, editor, section):
    client.force_login(superuser)

    response = client.post(
        "/admin/articles/desksection/add/", {"user": editor.pk, "section": section.pk}
    )

    assert response.status_code == 302
    assert DeskSection.objects.filter(user=editor, section=section).exists()


# --- preferences ------------------------------------------------------------------------------


def test_inbox_only_writes_the_notification_and_sends_no_email(
    story_in, reporter, editor, django_capture_on_commit_callbacks
):
    notifications.set_preferences(reporter, {Kind.RETURNED: Delivery.INBOX})
    story = story_in(Status.SUBMITTED)

    with django_capture_on_commit_callbacks(execute=True):
        workflow.return_for_changes(story, actor=editor, note="고쳐 주세요.")

    [notification] = Notification.objects.filter(kind=Kind.RETURNED)
    assert notification.delivery == Delivery.INBOX
    assert mail.outbox == []
    assert notifications.send_digests(MONDAY_9AM + timedelta(hours=1)) == 0


def test_a_preference_is_per_kind(story_in, reporter, editor, django_capture_on_commit_callbacks):
    notifications.set_preferences(reporter, {Kind.PUBLISHED: Delivery.INBOX})
    story = story_in(Status.SUBMITTED)

    with django_capture_on_commit_callbacks(execute=True):
        workflow.return_for_changes(story, actor=editor, note="고쳐 주세요.")

    assert mailed_to() == [reporter.email]  # returns are still e-mailed


def test_an_unknown_preference_is_refused(reporter):
    with pytest.raises(ValueError, match="pigeon"):
        notifications.set_preferences(reporter, {Kind.RETURNED: "pigeon"})


# --- the daily digest -------------------------------------------------------------------------


@pytest.fixture
def digest_reader(reporter):
    notifications.set_preferences(
        reporter, dict.fromkeys((Kind.RETURNED, Kind.ASSIGNED), Delivery.DIGEST)
    )
    return reporter


def test_the_digest_sends_the_days_notifications_in_one_email_once(
    clock, digest_reader, other_reporter, editor, story_in, django_capture_on_commit_callbacks
):
    story = story_in(Status.SUBMITTED)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.return_for_changes(story, actor=editor, note="고쳐 주세요.")
        notifications.notify(
            Kind.ASSIGNED,
            recipients=[digest_reader, other_reporter],
            actor=editor,
            key="plan:3",
            data={"title": "공장 르포"},
        )
    # The other reporter chose nothing: their assignment was e-mailed at once.
    assert mailed_to() == [other_reporter.email]
    mail.outbox.clear()

    assert notifications.send_digests() == 1
    assert notifications.send_digests() == 0  # the job run twice
    assert tasks.send_digests() == 0

    [digest] = mail.outbox
    assert digest.to == [digest_reader.email]
    assert HANGUL.search(digest.subject)
    assert HEADLINE in digest.body
    assert "공장 르포" in digest.body
    assert "고쳐 주세요." in digest.body
    assert NotificationDigest.objects.get().count == 2
    assert not Notification.objects.filter(recipient=digest_reader, emailed_at__isnull=True)


def test_the_digest_waits_for_its_hour_and_comes_again_the_next_day(clock, digest_reader, editor):
    clock.move_to(MONDAY_9AM.replace(hour=7))
    notifications.notify(Kind.ASSIGNED, recipients=[digest_reader], actor=editor, key="plan:4")

    assert notifications.send_digests() == 0
    clock.move_to(MONDAY_9AM)
    assert notifications.send_digests() == 1
    clock.move_to(MONDAY_9AM + timedelta(hours=5))
    notifications.notify(Kind.ASSIGNED, recipients=[digest_reader], actor=editor, key="plan:5")
    assert notifications.send_digests() == 0  # one a day
    clock.move_to(MONDAY_9AM + timedelta(days=1))
    assert notifications.send_digests() == 1

    assert len(mail.outbox) == 2
    assert "plan" not in mail.outbox[1].body
    assert NotificationDigest.objects.count() == 2


def test_the_digest_job_is_on_the_periodic_schedule():
    from newsroom.celery import PERIODIC_JOBS, app

    assert PERIODIC_JOBS["articles.send_digests"] <= 60 * 60
    assert "articles.send_digests" in app.conf.beat_schedule


# --- reminders ------------------------------------------------------------------------------


def test_an_embargo_lifting_within_the_hour_is_told_once_and_again_when_moved(
    clock, story_in, reporter, editor, second_editor
):
    story = story_in(Status.SUBMITTED)
    workflow.set_embargo(
        story, actor=editor, until=MONDAY_9AM + timedelta(minutes=90), source="산업통상자원부"
    )
    assert notifications.tell_embargoes_lifting() == 0  # an hour and a half away: not yet

    clock.shift(timedelta(minutes=31))
    notifications.tell_embargoes_lifting()
    notifications.tell_embargoes_lifting()  # the next periodic run tells nobody again

    expected = [
        ("editor2@example.com", Kind.EMBARGO_LIFTING),
        ("editor@example.com", Kind.EMBARGO_LIFTING),
        ("reporter@example.com", Kind.EMBARGO_LIFTING),
    ]
    assert told(Kind.EMBARGO_LIFTING, story) == expected
    first = Notification.objects.filter(kind=Kind.EMBARGO_LIFTING).first()
    assert "10:30" in notifications.message(first)
    assert HANGUL.search(notifications.message(first))

    workflow.move_embargo(
        story, actor=editor, until=MONDAY_9AM + timedelta(minutes=100), note="발표 연기"
    )
    clock.shift(timedelta(minutes=10))
    notifications.tell_embargoes_lifting()
    assert len(told(Kind.EMBARGO_LIFTING, story)) == 6


def test_no_reminder_for_a_lifted_or_published_embargo(clock, story_in, editor):
    story = story_in(Status.SUBMITTED)
    workflow.set_embargo(
        story, actor=editor, until=MONDAY_9AM + timedelta(minutes=30), source="한국은행"
    )
    workflow.lift_embargo(story, actor=editor, note="한국은행이 먼저 풀었다")

    assert notifications.tell_embargoes_lifting() == 0


def test_the_reminders_job_is_on_the_periodic_schedule():
    from newsroom.celery import PERIODIC_JOBS

    assert PERIODIC_JOBS["articles.send_reminders"] <= 5 * 60


# --- the inbox page ---------------------------------------------------------------------------


def _notify(recipient, n: int, *, actor=None):
    return notifications.notify(
        Kind.MENTIONED,
        recipients=[recipient],
        actor=actor,
        key=f"note:{n}",
        data={"title": f"메모 {n}"},
    )[0]


def test_the_inbox_lists_unread_first_and_marks_read_by_post(clock, client, reporter, editor):
    first = _notify(reporter, 1, actor=editor)
    clock.shift(timedelta(minutes=1))
    second = _notify(reporter, 2, actor=editor)
    clock.shift(timedelta(minutes=1))
    third = _notify(reporter, 3, actor=editor)
    client.force_login(reporter)

    assert client.post(reverse("story_desk:notification-read", args=[third.pk])).status_code == 302

    page = client.get(INBOX)
    assert page.status_code == 200
    shown = [n.pk for n in page.context["page"]]
    assert shown == [second.pk, first.pk, third.pk]  # unread newest first, then the read
    assert "오세훈 님이 언급했습니다: 메모 2" in page.text
    assert ">2</span>" in page.text  # the header's unread count

    response = client.post(reverse("story_desk:notifications-read-all"), follow=True)
    assert response.status_code == 200
    assert not Notification.objects.filter(recipient=reporter, read_at__isnull=True).exists()
    nav = response.text.split('class="desk-nav"')[1].split("</nav>")[0]
    assert 'href="/desk/notifications/"' in nav
    assert 'class="count"' not in nav


def test_opening_an_unread_notification_marks_it_read_on_the_way_to_its_story(
    client, story_in, reporter, editor, django_capture_on_commit_callbacks
):
    story = story_in(Status.DRAFT)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.submit(story, actor=reporter)
    [told_editor] = Notification.objects.filter(recipient=editor)
    client.force_login(editor)
    inbox = client.get(INBOX).text
    assert 'name="open"' in inbox  # the unread one opens through a form

    url = reverse("story_desk:notification-read", args=[told_editor.pk])
    response = client.post(url, {"open": "1"})

    assert response.status_code == 302
    assert response["Location"] == reverse("story_desk:edit", args=[story.pk])
    told_editor.refresh_from_db()
    assert told_editor.read_at is not None
    assert 'name="open"' not in client.get(INBOX).text  # read: a plain link now


def test_reading_the_inbox_marks_nothing_read(client, reporter):
    _notify(reporter, 1)
    client.force_login(reporter)

    client.get(INBOX)

    assert Notification.objects.get().read_at is None


def test_nobody_marks_anothers_notification_read(client, reporter, other_reporter):
    notification = _notify(reporter, 1)
    client.force_login(other_reporter)

    response = client.post(reverse("story_desk:notification-read", args=[notification.pk]))

    assert response.status_code == 404
    assert Notification.objects.get().read_at is None
    assert client.get(INBOX).context["page"].object_list == []


def test_marking_read_is_by_post_only(client, reporter):
    notification = _notify(reporter, 1)
    client.force_login(reporter)

    assert (
        client.get(reverse("story_desk:notification-read", args=[notification.pk])).status_code
        == 405
    )
    assert client.get(reverse("story_desk:notifications-read-all")).status_code == 405


def test_every_desk_page_shows_the_unread_count_in_its_header(client, reporter, editor):
    for n in range(3):
        _notify(reporter, n, actor=editor)
    client.force_login(reporter)

    for path in ("/desk/", "/desk/profile/", "/desk/photos/"):
        nav = client.get(path).text.split('class="desk-nav"')[1].split("</nav>")[0]
        assert 'href="/desk/notifications/"' in nav, path
        assert '<span class="count" title="읽지 않음">3</span>' in nav, path


@pytest.mark.parametrize("count", [1, 50])
def test_the_inbox_runs_a_fixed_number_of_queries(
    client, reporter, editor, django_assert_num_queries, count
):
    for n in range(count):
        _notify(reporter, n, actor=editor)
    client.force_login(reporter)
    client.get(INBOX)

    with django_assert_num_queries(INBOX_QUERIES):
        response = client.get(INBOX)

    assert response.status_code == 200
    assert len(response.context["page"]) == min(count, 30)


# --- the settings page ------------------------------------------------------------------------


def test_a_reporter_chooses_how_to_hear_of_each_kind(client, reporter):
    client.force_login(reporter)
    page = client.get(SETTINGS)
    assert page.status_code == 200
    assert "desk_sections" not in page.text  # an editor's choice only

    choices = {f"kind_{kind}": Delivery.EMAIL for kind in Kind.values}
    choices[f"kind_{Kind.RETURNED}"] = Delivery.DIGEST
    choices[f"kind_{Kind.MENTIONED}"] = Delivery.INBOX
    response = client.post(SETTINGS, choices)

    assert response.status_code == 302
    chosen = notifications.preferences(reporter)
    assert (chosen[Kind.RETURNED], chosen[Kind.MENTIONED]) == (Delivery.DIGEST, Delivery.INBOX)
    assert chosen[Kind.ASSIGNED] == Delivery.EMAIL


def test_an_editor_chooses_the_sections_of_their_desk(client, editor, section, other_section):
    client.force_login(editor)
    choices = {f"kind_{kind}": Delivery.EMAIL for kind in Kind.values}

    response = client.post(SETTINGS, {**choices, "desk_sections": [section.pk]})

    assert response.status_code == 302
    assert list(DeskSection.objects.values_list("section", flat=True)) == [section.pk]
    page = client.get(SETTINGS)
    assert page.context["form"]["desk_sections"].initial == [section.pk]


def test_a_bad_choice_saves_nothing(client, reporter):
    client.force_login(reporter)

    response = client.post(SETTINGS, {f"kind_{Kind.RETURNED}": "pigeon"})

    assert response.status_code == 200
    assert not reporter.notification_preferences.exists()


def test_the_settings_page_runs_a_fixed_number_of_queries(
    client, editor, section, other_section, django_assert_num_queries
):
    notifications.set_desk_sections(editor, [section])
    client.force_login(editor)
    client.get(SETTINGS)

    with django_assert_num_queries(SETTINGS_QUERIES):
        assert client.get(SETTINGS).status_code == 200
