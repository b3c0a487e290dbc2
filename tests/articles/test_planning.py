"""The planning board (articles.planning): items, assignments, the story started from one,
the board's states, overdue and overload flags, the calendar, and the desk's pages."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.errors import NotAllowed
from articles import notifications, planning, workflow
from articles.errors import (
    AlreadyAssigned,
    AssignmentAnswered,
    ItemCancelled,
    NotAWriter,
    NoteRequired,
    PlanRefused,
    StalePlan,
)
from articles.models import (
    Article,
    ArticleEvent,
    Assignment,
    Notification,
    PlanningEvent,
    PlanningItem,
)
from tests.articles.conftest import MONDAY_9AM
from tests.newsroom.test_two_at_once import at_once
from tests.pages import parse

Status = Article.Status
AT_NOON = MONDAY_9AM + timedelta(hours=3)
DUE_11 = MONDAY_9AM + timedelta(hours=2)


@pytest.fixture
def plan(editor, section, clock):
    """`plan(...)`: an item planned by the editor (slug-line 반도체 수출, today at noon)."""

    def make(slugline="반도체 수출", *, target_at=AT_NOON, **fields) -> PlanningItem:
        return planning.create_item(
            actor=editor, slugline=slugline, section=section, target_at=target_at, **fields
        )

    return make


@pytest.fixture
def offered(plan, editor, reporter):
    """An item offered to the reporter, due today at 11:00."""
    return planning.assign(plan(), actor=editor, reporter=reporter, due_at=DUE_11)


@pytest.fixture
def accepted(offered, reporter):
    return planning.accept(offered, actor=reporter)


def events(item) -> list[str]:
    return list(
        PlanningEvent.objects.filter(item=item)
        .order_by("created_at", "pk")
        .values_list("action", flat=True)
    )


# --- items ----------------------------------------------------------------------------------


def test_an_editor_plans_an_item_with_one_history_row(plan, editor, section):
    item = plan(angle="수출 둔화 속 반도체만 늘어", priority="top", expected_length=1800)

    item.refresh_from_db()
    assert (item.slugline, item.section, item.target_at) == ("반도체 수출", section, AT_NOON)
    assert (item.priority, item.expected_length, item.status) == ("top", 1800, "planned")
    event = PlanningEvent.objects.get()
    assert (event.action, event.item, event.actor, event.actor_name) == (
        "created",
        item,
        editor,
        "오세훈",
    )


@pytest.mark.parametrize("persona", ["reporter", "moderator"])
def test_only_editors_plan(request, persona, section, clock):
    with pytest.raises(NotAllowed):
        planning.create_item(
            actor=request.getfixturevalue(persona),
            slugline="금리",
            section=section,
            target_at=AT_NOON,
        )
    assert not PlanningItem.objects.exists()


def test_the_same_item_posted_twice_is_planned_once(plan, clock):
    first = plan()
    second = plan()

    assert first.pk == second.pk
    assert PlanningItem.objects.count() == 1
    clock.shift(timedelta(minutes=5))
    assert plan().pk != first.pk  # later, the same slug-line is a new item


def test_an_item_needs_a_slug_line_and_a_time(plan):
    with pytest.raises(PlanRefused):
        plan("   ")
    with pytest.raises(PlanRefused):
        plan(target_at=None)
    assert not PlanningItem.objects.exists()


def test_moving_an_item_records_the_old_and_the_new_time(plan, editor):
    item = plan()
    later = AT_NOON + timedelta(hours=5)

    moved = planning.move_item(item, actor=editor, target_at=later, base_version=1)

    assert (moved.target_at, moved.version) == (later, 2)
    event = PlanningEvent.objects.filter(action="moved").get()
    assert event.data == {"from": AT_NOON.isoformat(), "to": later.isoformat()}


def test_a_move_from_an_older_version_is_refused_but_a_repeated_one_is_not(plan, editor):
    item = plan()
    later, latest = AT_NOON + timedelta(hours=1), AT_NOON + timedelta(hours=2)
    planning.move_item(item, actor=editor, target_at=later, base_version=1)

    again = planning.move_item(item, actor=editor, target_at=later, base_version=1)
    assert again.version == 2  # the same click twice: nothing more written
    with pytest.raises(StalePlan):
        planning.move_item(item, actor=editor, target_at=latest, base_version=1)
    assert events(item) == ["created", "moved"]


def test_reporters_cannot_move_or_cancel(plan, reporter):
    item = plan()
    with pytest.raises(NotAllowed):
        planning.move_item(item, actor=reporter, target_at=AT_NOON, base_version=1)
    with pytest.raises(NotAllowed):
        planning.cancel_item(item, actor=reporter)
    assert events(item) == ["created"]


def test_a_cancelled_item_stays_on_record_and_takes_no_more_changes(plan, editor, reporter, clock):
    item = plan()

    planning.cancel_item(item, actor=editor, reason="취재원 연락 두절")
    planning.cancel_item(item, actor=editor, reason="취재원 연락 두절")  # a repeated click

    item.refresh_from_db()
    assert (item.status, item.cancel_reason) == ("cancelled", "취재원 연락 두절")
    assert events(item) == ["created", "cancelled"]
    with pytest.raises(ItemCancelled):
        planning.move_item(
            item, actor=editor, target_at=AT_NOON + timedelta(hours=1), base_version=2
        )
    with pytest.raises(ItemCancelled):
        planning.assign(item, actor=editor, reporter=reporter, due_at=DUE_11)
    clock.shift(timedelta(minutes=5))
    with pytest.raises(ItemCancelled):
        planning.cancel_item(item, actor=editor)


# --- assignments ----------------------------------------------------------------------------


def test_an_editor_assigns_a_reporter_with_a_due_time(offered, reporter, editor):
    assert (offered.reporter, offered.due_at, offered.status) == (reporter, DUE_11, "offered")
    event = PlanningEvent.objects.get(action="assigned")
    assert (event.assignment, event.to_status, event.data["reporter"]) == (
        offered,
        "offered",
        reporter.pk,
    )


def test_an_item_may_go_to_several_reporters_once_each(
    plan, editor, reporter, other_reporter, clock
):
    item = plan()
    planning.assign(item, actor=editor, reporter=reporter, due_at=DUE_11)
    planning.assign(item, actor=editor, reporter=other_reporter, due_at=DUE_11)
    # The same click twice is the same assignment...
    planning.assign(item, actor=editor, reporter=other_reporter, due_at=DUE_11)
    assert item.assignments.count() == 2
    clock.shift(timedelta(minutes=5))
    # ...a later one is refused.
    with pytest.raises(AlreadyAssigned):
        planning.assign(item, actor=editor, reporter=reporter, due_at=DUE_11)
    assert item.assignments.count() == 2


def test_only_editors_assign_and_only_writers_are_assigned(plan, editor, reporter, moderator):
    item = plan()
    with pytest.raises(NotAllowed):
        planning.assign(item, actor=reporter, reporter=reporter, due_at=DUE_11)
    with pytest.raises(NotAWriter):
        planning.assign(item, actor=editor, reporter=moderator, due_at=DUE_11)
    with pytest.raises(PlanRefused):
        planning.assign(item, actor=editor, reporter=reporter, due_at=None)
    assert not Assignment.objects.exists()


def test_the_reporter_accepts_their_own_assignment(offered, reporter):
    planning.accept(offered, actor=reporter)
    planning.accept(offered, actor=reporter)  # a repeated click

    offered.refresh_from_db()
    assert offered.status == "accepted"
    assert offered.answered_at == MONDAY_9AM
    assert events(offered.item).count("accepted") == 1


@pytest.mark.parametrize("persona", ["other_reporter", "editor", "moderator"])
def test_nobody_else_answers_an_assignment(request, offered, persona):
    someone = request.getfixturevalue(persona)
    with pytest.raises(NotAllowed):
        planning.accept(offered, actor=someone)
    with pytest.raises(NotAllowed):
        planning.decline(offered, actor=someone, reason="바쁨")
    offered.refresh_from_db()
    assert offered.status == "offered"


def test_declining_needs_a_reason(offered, reporter):
    with pytest.raises(NoteRequired):
        planning.decline(offered, actor=reporter, reason="  ")

    planning.decline(offered, actor=reporter, reason="다른 취재 마감")

    offered.refresh_from_db()
    assert (offered.status, offered.decline_reason) == ("declined", "다른 취재 마감")
    event = PlanningEvent.objects.get(action="declined")
    assert (event.note, event.from_status, event.to_status) == (
        "다른 취재 마감",
        "offered",
        "declined",
    )


def test_a_declined_assignment_cannot_be_accepted_and_may_be_offered_again(
    offered, reporter, editor, clock
):
    planning.decline(offered, actor=reporter, reason="휴가")
    planning.decline(offered, actor=reporter, reason="휴가")  # a repeated click
    clock.shift(timedelta(minutes=5))
    with pytest.raises(AssignmentAnswered):
        planning.accept(offered, actor=reporter)
    with pytest.raises(AssignmentAnswered):
        planning.decline(offered, actor=reporter, reason="휴가")

    again = planning.assign(offered.item, actor=editor, reporter=reporter, due_at=DUE_11)

    assert again.pk != offered.pk
    assert events(offered.item) == ["created", "assigned", "declined", "assigned"]


def test_accepting_twice_later_is_refused(offered, reporter, clock):
    planning.accept(offered, actor=reporter)
    clock.shift(timedelta(minutes=5))
    with pytest.raises(AssignmentAnswered):
        planning.accept(offered, actor=reporter)


# --- the story ------------------------------------------------------------------------------


def test_starting_the_story_makes_a_linked_draft_from_the_item(accepted, reporter, section):
    story = planning.start_story(accepted, actor=reporter)

    story.refresh_from_db()
    assert (story.status, story.section, story.headline) == (Status.DRAFT, section, "반도체 수출")
    assert story.created_by == reporter
    assert story.assignment == accepted
    accepted.refresh_from_db()
    assert accepted.article == story
    planned = ArticleEvent.objects.get(article=story, action="planned")
    assert planned.data == {
        "item": accepted.item_id,
        "assignment": accepted.pk,
        "due_at": DUE_11.isoformat(),
    }
    assert events(accepted.item)[-1] == "started"


def test_starting_twice_answers_the_same_draft(accepted, reporter):
    first = planning.start_story(accepted, actor=reporter)
    second = planning.start_story(accepted, actor=reporter)

    assert first.pk == second.pk
    assert Article.objects.count() == 1
    assert events(accepted.item).count("started") == 1


def test_a_story_starts_only_from_an_accepted_assignment_by_its_reporter(
    offered, reporter, other_reporter, editor
):
    with pytest.raises(AssignmentAnswered):
        planning.start_story(offered, actor=reporter)
    planning.accept(offered, actor=reporter)
    for someone in (other_reporter, editor):
        with pytest.raises(NotAllowed):
            planning.start_story(offered, actor=someone)
    planning.cancel_item(offered.item, actor=editor)
    with pytest.raises(ItemCancelled):
        planning.start_story(offered, actor=reporter)
    assert not Article.objects.exists()


def test_a_started_assignment_can_no_longer_be_declined(accepted, reporter):
    planning.start_story(accepted, actor=reporter)
    with pytest.raises(AssignmentAnswered):
        planning.decline(accepted, actor=reporter, reason="못 쓰겠음")


# --- states, overdue, overload ------------------------------------------------------------


def _fresh_item(item) -> PlanningItem:
    return planning.item_with_assignments(item.pk)


def test_the_items_state_follows_its_story(accepted, reporter, editor):
    assert planning.item_state(_fresh_item(accepted.item)) == "not_started"
    story = planning.start_story(accepted, actor=reporter)
    assert planning.item_state(_fresh_item(accepted.item)) == "drafting"
    workflow.submit(story, actor=reporter)
    assert planning.item_state(_fresh_item(accepted.item)) == "submitted"
    workflow.return_for_changes(story, actor=editor, note="출처")
    assert planning.item_state(_fresh_item(accepted.item)) == "returned"
    workflow.submit(story, actor=reporter)
    workflow.schedule(story, actor=editor, at=timezone.now() + timedelta(hours=1))
    assert planning.item_state(_fresh_item(accepted.item)) == "scheduled"
    workflow.publish(story, actor=editor)
    assert planning.item_state(_fresh_item(accepted.item)) == "published"


def test_an_item_is_overdue_past_its_due_time_until_the_story_is_in(accepted, reporter):
    item = _fresh_item(accepted.item)
    assert not planning.item_overdue(item, MONDAY_9AM)
    assert planning.item_overdue(item, DUE_11 + timedelta(minutes=1))
    story = planning.start_story(accepted, actor=reporter)
    workflow.submit(story, actor=reporter)
    item = _fresh_item(accepted.item)
    assert not planning.item_overdue(item, DUE_11 + timedelta(minutes=1))
    # The item's own target time passed without the story out: still late.
    assert planning.item_overdue(item, AT_NOON + timedelta(minutes=1))
    assert [a.pk for a in planning.missed_deadlines(DUE_11 + timedelta(minutes=1))] == []


def test_missed_deadlines_lists_open_assignments_past_due(offered):
    assert planning.missed_deadlines(MONDAY_9AM) == []
    assert planning.missed_deadlines(DUE_11 + timedelta(minutes=1)) == [offered]


def test_a_reporter_with_more_items_than_the_threshold_on_a_day_is_overloaded(
    plan, editor, reporter, other_reporter
):
    today = timezone.localdate(MONDAY_9AM)
    for number in range(planning.OVERLOAD_THRESHOLD + 1):
        planning.assign(plan(f"기사 {number}"), actor=editor, reporter=reporter, due_at=DUE_11)
    planning.assign(plan("하나"), actor=editor, reporter=other_reporter, due_at=DUE_11)
    cancelled = plan("취소")
    planning.assign(cancelled, actor=editor, reporter=other_reporter, due_at=DUE_11)
    planning.cancel_item(cancelled, actor=editor)

    rows = planning.load([today, today + timedelta(days=1)])

    assert [(row.name, row.counts, row.overloaded) for row in rows] == [
        ("박도윤", [1, 0], False),
        ("한지민", [planning.OVERLOAD_THRESHOLD + 1, 0], True),
    ]


def test_the_calendar_shows_items_publishes_and_take_downs_by_day(plan, story_in, editor):
    today = timezone.localdate(MONDAY_9AM)
    item = plan()
    tomorrow_item = plan("내일 기획", target_at=AT_NOON + timedelta(days=1))
    scheduled = story_in(Status.SCHEDULED)  # publishes tomorrow at 9:00
    published = story_in(Status.PUBLISHED)
    workflow.schedule_unpublish(published, actor=editor, at=AT_NOON)

    days = planning.calendar(MONDAY_9AM - timedelta(hours=9), MONDAY_9AM + timedelta(days=2))

    assert list(days) == [today, today + timedelta(days=1), today + timedelta(days=2)]
    assert [(entry.kind, entry.subject.pk) for entry in days[today]] == [
        ("item", item.pk),
        ("unpublish", published.pk),
    ]
    assert [(entry.kind, entry.subject.pk) for entry in days[today + timedelta(days=1)]] == [
        ("publish", scheduled.pk),
        ("item", tomorrow_item.pk),
    ]
    assert days[today + timedelta(days=2)] == []


def test_the_calendar_shows_an_embargo_lift_at_its_time(plan, story_in, reporter, editor):
    today = timezone.localdate(MONDAY_9AM)
    story = story_in(Status.SUBMITTED)
    workflow.set_embargo(story, actor=editor, until=AT_NOON, source="한국은행")
    spiked = story_in(Status.DRAFT)
    workflow.set_embargo(spiked, actor=reporter, until=AT_NOON, source="통계청")
    workflow.spike(spiked, actor=reporter)

    days = planning.calendar(MONDAY_9AM, MONDAY_9AM + timedelta(days=1))

    assert [(entry.kind, entry.subject.pk) for entry in days[today]] == [("embargo", story.pk)]


# --- what the board tells -------------------------------------------------------------------


def told(kind: str) -> list[tuple[str, str]]:
    return sorted(
        (n.recipient.email, n.data.get("title", ""))
        for n in Notification.objects.filter(kind=kind).select_related("recipient")
    )


def test_an_assignment_tells_the_writer_once(plan, editor, reporter):
    item = plan()
    for _click in range(2):
        planning.assign(item, actor=editor, reporter=reporter, due_at=DUE_11)

    assert told("assigned") == [("reporter@example.com", "반도체 수출")]
    [notification] = Notification.objects.filter(kind="assigned")
    assert notifications.link(notification) == f"/desk/planning/{item.pk}/"
    assert "11:00" in notifications.message(notification)


def test_a_declined_assignment_tells_the_editor_with_the_reason(offered, reporter):
    planning.decline(offered, actor=reporter, reason="같은 날 국감 취재")

    assert told("declined") == [("editor@example.com", "반도체 수출")]
    assert Notification.objects.get(kind="declined").data["note"] == "같은 날 국감 취재"


def test_a_missed_due_time_is_told_once_to_the_writer_and_the_editor(offered, editor, clock):
    assert planning.tell_missed_deadlines() == 0
    clock.move_to(DUE_11 + timedelta(minutes=5))

    assert planning.tell_missed_deadlines() == 2
    assert planning.tell_missed_deadlines() == 0  # the next periodic run

    assert [email for email, _title in told("due_missed")] == [
        "editor@example.com",
        "reporter@example.com",
    ]


# --- the desk's pages ---------------------------------------------------------------------

BOARD = "/desk/planning/"
# The board, for a signed-in editor, whatever the number of items: session, user, roles;
# the items, their assignments (with writers and stories), the embargo lifts, the scheduled
# publications and take-downs; the week's load per writer.
BOARD_QUERIES = 10
# The dashboard of a reporter with assignments and drafts from them: session, user, roles,
# the assignments (one query), the panel counts and the drafts panel (the empty panels
# cost nothing).
DASHBOARD_QUERIES = 7


def local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def test_an_editor_plans_and_assigns_and_the_reporter_accepts_and_starts(
    client, editor, reporter, section, clock
):
    client.force_login(editor)
    response = client.post(
        "/desk/planning/new/",
        {
            "slugline": "반도체 수출 석 달째 증가",
            "angle": "수출 둔화 속 반도체만 늘어",
            "section": section.pk,
            "target_at": "2025-03-03T18:00",
            "priority": "top",
            "expected_length": "1800",
            "photo_needed": "on",
        },
    )
    item = PlanningItem.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/desk/planning/{item.pk}/"
    assert item.target_at == MONDAY_9AM + timedelta(hours=9)
    assert item.photo_needed
    assert item.priority == "top"
    response = client.post(
        f"/desk/planning/{item.pk}/assign/",
        {"reporter": reporter.pk, "due_at": "2025-03-03T16:00"},
    )
    assignment = Assignment.objects.get()
    assert (assignment.reporter, local(assignment.due_at)) == (reporter, "2025-03-03T16:00")

    client.force_login(reporter)
    dashboard = parse(client.get("/desk/"))
    panel = dashboard.one("section", id="assignments")
    assert "반도체 수출 석 달째 증가" in panel.text
    client.post(f"/desk/planning/assignments/{assignment.pk}/accept/", {"next": "/desk/"})
    assignment.refresh_from_db()
    assert assignment.status == "accepted"

    response = client.post(f"/desk/planning/assignments/{assignment.pk}/start/")
    story = Article.objects.get()
    assert response["Location"] == f"/desk/articles/{story.pk}/edit/"
    assert (story.headline, story.section, story.status) == (
        "반도체 수출 석 달째 증가",
        section,
        Status.DRAFT,
    )
    # The story's editor page shows where it came from; the board shows the story.
    note = parse(client.get(f"/desk/articles/{story.pk}/edit/")).one("div", cls="story-assignment")
    assert "반도체 수출 석 달째 증가" in note.text
    assert "2025-03-03 16:00" in note.text
    client.force_login(editor)
    page = parse(client.get(f"/desk/planning/{item.pk}/"))
    assert f"/desk/articles/{story.pk}/edit/" in page.links()
    row = (
        parse(client.get(BOARD, {"view": "list"}))
        .one("table", cls="planning-table")
        .one("tbody")
        .one("tr")
    )
    assert f"/desk/articles/{story.pk}/edit/" in row.links()
    assert row.one("span", cls="state").text == "작성 중"


def test_the_reporter_declines_with_a_reason(client, offered, reporter):
    client.force_login(reporter)
    url = f"/desk/planning/assignments/{offered.pk}/decline/"
    assert client.get(url).status_code == 200

    refused = client.post(url, {"reason": " "})
    assert refused.status_code == 400
    assert (
        parse(refused).one("p", cls="field-error").text == "거절하는 까닭을 데스크에 알려 주세요."
    )
    offered.refresh_from_db()
    assert offered.status == "offered"

    response = client.post(url, {"reason": "다른 취재 마감"})
    assert response.status_code == 302
    offered.refresh_from_db()
    assert (offered.status, offered.decline_reason) == ("declined", "다른 취재 마감")


def test_others_cannot_answer_a_reporters_assignment(
    client, offered, other_reporter, editor, moderator
):
    urls = [
        f"/desk/planning/assignments/{offered.pk}/accept/",
        f"/desk/planning/assignments/{offered.pk}/decline/",
        f"/desk/planning/assignments/{offered.pk}/start/",
    ]
    for user, answer in ((other_reporter, 404), (editor, 403), (moderator, 403)):
        client.force_login(user)
        for url in urls:
            assert client.post(url, {"reason": "대신 거절"}).status_code == answer, (user, url)
    offered.refresh_from_db()
    assert offered.status == "offered"


@pytest.mark.parametrize("persona", ["reporter", "moderator"])
def test_reporters_and_moderators_read_the_board_but_do_not_manage_it(
    request, client, plan, persona
):
    item = plan()
    client.force_login(request.getfixturevalue(persona))
    board = client.get(BOARD)
    assert board.status_code == 200
    assert "반도체 수출" in parse(board).one("div", cls="planning-calendar").text
    assert parse(board).select("a", href="/desk/planning/new/") == []
    assert client.get(f"/desk/planning/{item.pk}/").status_code == 200
    assert client.get("/desk/planning/new/").status_code == 403
    for action in ("move", "cancel", "assign"):
        assert client.post(f"/desk/planning/{item.pk}/{action}/").status_code == 403
    assert events(item) == ["created"]


def test_an_editor_moves_and_cancels_an_item_and_a_stale_move_is_refused(client, plan, editor):
    item = plan()
    client.force_login(editor)
    client.post(
        f"/desk/planning/{item.pk}/move/",
        {"target_at": "2025-03-04T10:00", "base_version": "1"},
    )
    item.refresh_from_db()
    assert local(item.target_at) == "2025-03-04T10:00"

    response = client.post(
        f"/desk/planning/{item.pk}/move/",
        {"target_at": "2025-03-05T10:00", "base_version": "1"},
        follow=True,
    )
    assert "이 항목을 바꿨습니다" in parse(response).one("ul", cls="messages").text
    item.refresh_from_db()
    assert local(item.target_at) == "2025-03-04T10:00"

    client.post(f"/desk/planning/{item.pk}/cancel/", {"reason": "보도 유예"})
    item.refresh_from_db()
    assert item.status == "cancelled"
    assert events(item) == ["created", "moved", "cancelled"]


def test_the_board_shows_each_items_state_and_flags_late_ones(
    client, plan, editor, reporter, other_reporter, clock
):
    late = plan("늦은 기사")
    planning.assign(late, actor=editor, reporter=reporter, due_at=MONDAY_9AM + timedelta(hours=1))
    written = plan("쓰는 기사", target_at=AT_NOON + timedelta(hours=1))
    offer = planning.assign(written, actor=editor, reporter=other_reporter, due_at=AT_NOON)
    planning.accept(offer, actor=other_reporter)
    planning.start_story(offer, actor=other_reporter)
    clock.shift(timedelta(hours=2))  # 11:00: the first is past due
    client.force_login(editor)

    rows = (
        parse(client.get(BOARD, {"view": "list", "range": "today"}))
        .one("table", cls="planning-table")
        .one("tbody")
        .select("tr")
    )

    states = [
        (row.one("a", cls="desk-headline").text, row.one("span", cls="state").text) for row in rows
    ]
    assert states == [("늦은 기사", "시작 전"), ("쓰는 기사", "작성 중")]
    assert [("is-late" in row.attrs.get("class", "")) for row in rows] == [True, False]


def test_an_editors_week_shows_who_is_overloaded(client, plan, editor, reporter, other_reporter):
    for number in range(planning.OVERLOAD_THRESHOLD + 1):
        planning.assign(plan(f"기사 {number}"), actor=editor, reporter=reporter, due_at=DUE_11)
    planning.assign(plan("하나"), actor=editor, reporter=other_reporter, due_at=DUE_11)
    client.force_login(editor)

    table = parse(client.get(BOARD)).one("table", cls="load-table")

    rows = {row.one("th").text: row for row in table.one("tbody").select("tr")}
    assert "is-overloaded" in rows["한지민 과부하"].attrs["class"]
    assert rows["한지민 과부하"].select("td", cls="over")[0].text == str(
        planning.OVERLOAD_THRESHOLD + 1
    )
    assert "class" not in rows["박도윤"].attrs
    client.force_login(reporter)
    assert parse(client.get(BOARD)).select("table", cls="load-table") == []


def test_the_calendar_page_shows_what_goes_out_when(client, plan, story_in, editor):
    plan("오늘 기획")
    scheduled = story_in(Status.SCHEDULED)
    client.force_login(editor)

    calendar = parse(client.get(BOARD)).one("div", cls="planning-calendar")

    days = calendar.select("section", cls="planning-day")
    assert len(days) == 7
    assert "오늘 기획" in days[0].text
    assert scheduled.headline in days[1].one("li", cls="cal-publish").text


def test_a_week_far_away_or_a_nonsense_date_shows_this_week(client, editor, clock):
    client.force_login(editor)
    for value in ("2025-13-45", "9999-12-31", "x"):
        page = parse(client.get(BOARD, {"from": value}))
        assert "2025-03-03" in page.one("p", cls="planning-span").text


@pytest.mark.parametrize("count", [1, 12])
def test_the_board_runs_the_same_number_of_queries_however_full(
    client, plan, editor, reporter, other_reporter, story_in, django_assert_num_queries, count
):
    for number in range(count):
        item = plan(f"기획 {number}", target_at=AT_NOON + timedelta(hours=number))
        for writer in (reporter, other_reporter):
            offer = planning.assign(item, actor=editor, reporter=writer, due_at=DUE_11)
        planning.accept(offer, actor=other_reporter)
        planning.start_story(offer, actor=other_reporter)
        story_in(Status.SCHEDULED)
    client.force_login(editor)

    for view in ("calendar", "list"):
        with django_assert_num_queries(BOARD_QUERIES):
            response = client.get(BOARD, {"view": view})
        assert response.status_code == 200


@pytest.mark.parametrize("count", [1, 12])
def test_the_dashboard_with_assignments_runs_a_fixed_number_of_queries(
    client, plan, editor, reporter, django_assert_num_queries, count
):
    for number in range(count):
        offer = planning.assign(
            plan(f"기획 {number}"), actor=editor, reporter=reporter, due_at=DUE_11
        )
        if number % 2 == 0:
            planning.accept(offer, actor=reporter)
            planning.start_story(offer, actor=reporter)
    client.force_login(reporter)

    with django_assert_num_queries(DASHBOARD_QUERIES):
        response = client.get("/desk/")

    assert len(parse(response).one("section", id="assignments").select("li")) == count


# An item's page: session, user, roles; the item, its assignments (writers and stories), its
# history, and the writers to assign (for editors).
ITEM_QUERIES = 8
# The decline page: session, user, roles, the assignment with its item and section.
DECLINE_QUERIES = 5
# The new-item form: session, user, roles, the sections to pick from.
NEW_ITEM_QUERIES = 5


@pytest.mark.parametrize("count", [1, 8])
def test_an_items_page_runs_the_same_number_of_queries_however_many_assignments(
    client, plan, editor, desk, django_assert_num_queries, count
):
    item = plan()
    for number in range(count):
        writer = desk.staff(f"기자{number}")
        offer = planning.assign(item, actor=editor, reporter=writer, due_at=DUE_11)
        planning.accept(offer, actor=writer)
        planning.start_story(offer, actor=writer)
    client.force_login(editor)

    with django_assert_num_queries(ITEM_QUERIES):
        response = client.get(f"/desk/planning/{item.pk}/")

    assert len(parse(response).select("li", cls="assignment-row")) == count


def test_the_decline_and_new_item_pages_run_a_fixed_number_of_queries(
    client, offered, reporter, editor, django_assert_num_queries
):
    client.force_login(reporter)
    with django_assert_num_queries(DECLINE_QUERIES):
        assert client.get(f"/desk/planning/assignments/{offered.pk}/decline/").status_code == 200
    client.force_login(editor)
    with django_assert_num_queries(NEW_ITEM_QUERIES):
        assert client.get("/desk/planning/new/").status_code == 200


def test_a_planned_storys_editor_page_costs_no_more_queries_than_another(
    client, accepted, reporter, section
):
    planned = planning.start_story(accepted, actor=reporter)
    other = workflow.create(actor=reporter, section=section, headline="다른 기사")
    client.force_login(reporter)
    counts = []
    for story in (planned, other):
        client.get(f"/desk/articles/{story.pk}/edit/")  # the edit lock is taken once
        with CaptureQueriesContext(connection) as queries:
            client.get(f"/desk/articles/{story.pk}/edit/")
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_the_admin_shows_the_board_read_only(client, superuser, accepted, reporter):
    planning.start_story(accepted, actor=reporter)
    client.force_login(superuser)
    item = accepted.item

    for url in (
        "/admin/articles/planningitem/",
        f"/admin/articles/planningitem/{item.pk}/change/",
        "/admin/articles/planningevent/",
    ):
        assert client.get(url).status_code == 200, url
    assert client.get("/admin/articles/planningitem/add/").status_code == 403
    assert client.post(f"/admin/articles/planningitem/{item.pk}/delete/").status_code == 403


# --- two clicks at once (PostgreSQL: on SQLite one writer at a time is all there is) --------


@pytest.fixture
def on_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("needs a database where the second writer waits: run by .ci/run")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_clicks_at_once_plan_assign_and_start_once(on_postgresql, editor, reporter, section):
    target = timezone.now() + timedelta(hours=3)
    items = at_once(
        lambda: planning.create_item(
            actor=editor, slugline="동시 기획", section=section, target_at=target
        )
    )
    assert len({item.pk for item in items}) == 1
    assert PlanningItem.objects.count() == 1
    item = items[0]
    due = timezone.now() + timedelta(hours=2)
    offers = at_once(lambda: planning.assign(item, actor=editor, reporter=reporter, due_at=due))
    assert len({offer.pk for offer in offers}) == 1
    planning.accept(offers[0], actor=reporter)

    stories = at_once(lambda: planning.start_story(offers[0], actor=reporter))

    assert len({story.pk for story in stories}) == 1
    assert Article.objects.count() == 1
    assert events(item) == ["created", "assigned", "accepted", "started"]
