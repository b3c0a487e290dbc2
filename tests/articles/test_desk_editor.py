"""The editor's desk through the test client: the review queue, the two-week schedule and
the confirmation step of each decision taken from them."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from articles import workflow
from articles.models import Article, ArticleEvent
from tests.pages import parse

pytestmark = pytest.mark.django_db

Status = Article.Status
QUEUE = "/desk/queue/"
SCHEDULE = "/desk/schedule/"
# Session, user, roles, the filters' sections and reporters, the count, the page, bylines,
# the desk header's unread notifications.
QUEUE_QUERIES = 9
# Session, user, roles, then the publications and the take-downs, the header's unread count.
SCHEDULE_QUERIES = 6


def decide_url(story: Article, decision: str) -> str:
    return f"/desk/articles/{story.pk}/decide/{decision}/"


def submitted(reporter, section, headline: str, *, minutes_ago: int = 0) -> Article:
    with time_machine.travel(timezone.now() - timedelta(minutes=minutes_ago), tick=False):
        story = workflow.create(actor=reporter, section=section, headline=headline)
        return workflow.submit(story, actor=reporter)


def headlines(response) -> list[str]:
    return [link.text for link in parse(response).select("a", cls="desk-headline")]


@pytest.mark.parametrize("url", [QUEUE, SCHEDULE])
def test_editor_pages_send_anonymous_visitors_to_log_in(anonymous, url):
    response = anonymous.get(url)

    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={url}"


@pytest.mark.parametrize("persona", ["reader", "reporter", "moderator"])
@pytest.mark.parametrize("url", [QUEUE, SCHEDULE])
def test_editor_pages_are_refused_to_everyone_but_editors(client, request, persona, url):
    client.force_login(request.getfixturevalue(persona))

    assert client.get(url).status_code == 403


def test_a_reporter_cannot_take_a_decision_on_their_own_story(client, reporter, section):
    story = submitted(reporter, section, "자체 출고 시도")
    client.force_login(reporter)

    response = client.post(decide_url(story, "publish"))

    assert response.status_code == 403
    story.refresh_from_db()
    assert story.status == Status.SUBMITTED


def test_the_queue_lists_submitted_stories_longest_waiting_first(
    client, editor, reporter, other_reporter, section
):
    submitted(reporter, section, "나중에 올라온 기사", minutes_ago=5)
    submitted(other_reporter, section, "먼저 올라온 기사", minutes_ago=90)
    workflow.create(actor=reporter, section=section, headline="아직 초고")
    client.force_login(editor)

    response = client.get(QUEUE)

    assert headlines(response) == ["먼저 올라온 기사", "나중에 올라온 기사"]
    assert "1시간" in response.text  # how long the first has waited


def test_a_story_sent_in_the_last_minute_waits_since_just_now(client, editor, reporter, section):
    submitted(reporter, section, "방금 올라온 기사")
    client.force_login(editor)

    waited = parse(client.get(QUEUE)).one("li", cls="desk-row").one("time").text

    assert waited == "방금 출고 요청"


def test_the_queue_filters_by_section_and_by_reporter(
    client, editor, reporter, other_reporter, section, other_section
):
    submitted(reporter, section, "산업 기사")
    submitted(other_reporter, other_section, "금융 기사")
    client.force_login(editor)

    by_section = client.get(QUEUE, {"section": other_section.pk})
    by_reporter = client.get(QUEUE, {"reporter": reporter.staff_profile.pk})

    assert headlines(by_section) == ["금융 기사"]
    assert headlines(by_reporter) == ["산업 기사"]


def test_the_queue_shows_who_has_a_story_open(client, editor, second_editor, reporter, section):
    story = submitted(reporter, section, "편집 중인 기사")
    workflow.open_for_editing(story, actor=second_editor)
    client.force_login(editor)

    response = client.get(QUEUE)

    flag = parse(response).one("span", cls="lock-flag")
    assert "김하늘" in flag.text


@pytest.mark.parametrize("count", [1, 25])
def test_the_queue_runs_the_same_queries_whatever_its_length(
    client, editor, reporter, section, django_assert_num_queries, count
):
    for number in range(count):
        submitted(reporter, section, f"기사 {number}")
    client.force_login(editor)

    with django_assert_num_queries(QUEUE_QUERIES):
        response = client.get(QUEUE)

    assert len(headlines(response)) == count


def test_the_queue_pages_past_thirty_stories(client, editor, reporter, section):
    for number in range(31):
        submitted(reporter, section, f"기사 {number:02}", minutes_ago=100 - number)
    client.force_login(editor)

    second = client.get(QUEUE, {"page": 2})

    assert headlines(second) == ["기사 30"]


def test_publishing_from_the_queue_asks_for_confirmation_then_publishes(
    client, editor, reporter, section
):
    story = submitted(reporter, section, "확인 후 출고")
    client.force_login(editor)

    confirm = client.get(decide_url(story, "publish"), {"next": QUEUE})
    story.refresh_from_db()
    assert story.status == Status.SUBMITTED  # nothing happens before the confirmation
    assert "확인 후 출고" in confirm.text

    response = client.post(decide_url(story, "publish"), {"next": QUEUE})

    assert response.status_code == 302
    assert response["Location"] == QUEUE
    story.refresh_from_db()
    assert story.status == Status.PUBLISHED
    assert ArticleEvent.objects.filter(article=story, action="publish").count() == 1


def test_returning_needs_a_note_and_the_reporter_then_sees_it(client, editor, reporter, section):
    story = submitted(reporter, section, "반려될 기사")
    client.force_login(editor)

    refused = client.post(decide_url(story, "return"), {"note": "  "})

    assert refused.status_code == 400
    assert "고칠 점" in parse(refused).one("p", id="decide-note-error").text
    story.refresh_from_db()
    assert story.status == Status.SUBMITTED

    client.post(decide_url(story, "return"), {"note": "수치의 출처를 밝혀 주세요."})
    story.refresh_from_db()
    assert story.status == Status.RETURNED
    client.force_login(reporter)
    dashboard = client.get("/desk/")
    assert "수치의 출처를 밝혀 주세요." in parse(dashboard).one("section", id="returned").text


def test_scheduling_takes_a_korean_time_and_refuses_the_past(client, editor, reporter, section):
    story = submitted(reporter, section, "예약 기사")
    client.force_login(editor)
    tomorrow = timezone.localtime() + timedelta(days=1)

    past = client.post(decide_url(story, "schedule"), {"at": "2020-01-01T09:00"})
    assert past.status_code == 400
    assert 'value="2020-01-01T09:00"' in past.text  # what was typed stays

    client.post(decide_url(story, "schedule"), {"at": tomorrow.strftime("%Y-%m-%dT%H:%M")})

    story.refresh_from_db()
    assert story.status == Status.SCHEDULED
    assert timezone.localtime(story.scheduled_publish_at).strftime("%H:%M") == tomorrow.strftime(
        "%H:%M"
    )


def test_the_schedule_lists_two_weeks_day_by_day(client, editor, reporter, section):
    now = timezone.now()
    soon = submitted(reporter, section, "내일 출고")
    workflow.schedule(soon, actor=editor, at=now + timedelta(days=1))
    later = submitted(reporter, section, "3주 뒤 출고")
    workflow.schedule(later, actor=editor, at=now + timedelta(days=21))
    down = workflow.publish(submitted(reporter, section, "내려갈 기사"), actor=editor)
    workflow.schedule_unpublish(down, actor=editor, at=now + timedelta(days=2))
    client.force_login(editor)

    response = client.get(SCHEDULE)

    days = parse(response).select("section", cls="schedule-day")
    assert [headlines_in(day) for day in days] == [["내일 출고"], ["내려갈 기사"]]
    assert "3주 뒤 출고" not in response.text


def headlines_in(element) -> list[str]:
    return [link.text for link in element.select("a", cls="desk-headline")]


@pytest.mark.parametrize("count", [1, 20])
def test_the_schedule_runs_the_same_queries_whatever_its_length(
    client, editor, reporter, section, django_assert_num_queries, count
):
    for number in range(count):
        story = submitted(reporter, section, f"예약 {number}")
        workflow.schedule(story, actor=editor, at=timezone.now() + timedelta(hours=number + 1))
    client.force_login(editor)

    with django_assert_num_queries(SCHEDULE_QUERIES):
        client.get(SCHEDULE)


def test_rescheduling_and_cancelling_from_the_schedule(client, editor, reporter, section):
    story = submitted(reporter, section, "옮길 기사")
    workflow.schedule(story, actor=editor, at=timezone.now() + timedelta(days=1))
    client.force_login(editor)
    later = timezone.localtime() + timedelta(days=3)

    client.post(decide_url(story, "schedule"), {"at": later.strftime("%Y-%m-%dT%H:%M")})
    story.refresh_from_db()
    assert timezone.localdate(story.scheduled_publish_at) == later.date()
    assert ArticleEvent.objects.filter(article=story, action="reschedule").count() == 1

    client.post(decide_url(story, "cancel_schedule"))
    story.refresh_from_db()
    assert story.status == Status.SUBMITTED


def test_a_scheduled_take_down_is_moved_and_cancelled(client, editor, reporter, section):
    story = workflow.publish(submitted(reporter, section, "내릴 기사"), actor=editor)
    client.force_login(editor)
    at = timezone.localtime() + timedelta(days=2)

    client.post(decide_url(story, "schedule_unpublish"), {"at": at.strftime("%Y-%m-%dT%H:%M")})
    story.refresh_from_db()
    assert story.scheduled_unpublish_at is not None

    client.post(decide_url(story, "cancel_unpublish"))
    story.refresh_from_db()
    assert story.scheduled_unpublish_at is None


def test_taking_down_needs_a_reason(client, editor, reporter, section):
    story = workflow.publish(submitted(reporter, section, "내릴 기사"), actor=editor)
    client.force_login(editor)

    assert client.post(decide_url(story, "unpublish"), {"note": ""}).status_code == 400
    client.post(decide_url(story, "unpublish"), {"note": "소송 위험", "public_note": "삭제"})

    story.refresh_from_db()
    assert story.status == Status.UNPUBLISHED
    assert story.unpublished_note == "삭제"


def test_an_unknown_decision_or_a_foreign_return_address_goes_nowhere(
    client, editor, reporter, section
):
    story = submitted(reporter, section, "기사")
    client.force_login(editor)

    assert client.get(decide_url(story, "delete")).status_code == 404
    response = client.post(decide_url(story, "publish"), {"next": "https://evil.example/"})
    assert response["Location"] == QUEUE


def test_headlines_in_the_queue_are_escaped(client, editor, reporter, section):
    submitted(reporter, section, "<script>alert(1)</script> 기사")
    client.force_login(editor)

    response = client.get(QUEUE)

    assert "<script>alert(1)</script>" not in response.text
    assert "&lt;script&gt;" in response.text
