"""Embargoes (엠바고): setting, moving and lifting one (articles.workflow), the refusals to
publish or schedule before the lift on every path (the desk, the admin, the scheduler),
nothing public prepared before it, and the desk's pages saying so."""

from datetime import datetime, timedelta

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import translation

from accounts.errors import NotAllowed
from articles import preview_links, workflow
from articles.errors import (
    EmbargoAlreadySet,
    EmbargoInForce,
    EmbargoSourceRequired,
    IllegalTransition,
    NoEmbargo,
    NoteRequired,
    TimeInThePast,
)
from articles.models import Article, SearchEntry, ShareFanout
from newsroom.models import OutboxMessage
from tests.articles.conftest import MONDAY_9AM, events_of
from tests.pages import parse

pytestmark = pytest.mark.django_db

Status = Article.Status
NOON = MONDAY_9AM + timedelta(hours=3)
TWO_PM = MONDAY_9AM + timedelta(hours=5)
SOURCE = "산업통상자원부"


def embargoed(story_in, reporter, state=Status.SUBMITTED, *, until=NOON) -> Article:
    """A story the reporter put under embargo while it was a draft, then walked on."""
    story = story_in(Status.DRAFT)
    workflow.set_embargo(story, actor=reporter, until=until, source=SOURCE)
    if state != Status.DRAFT:
        workflow.submit(story, actor=reporter)
    story.refresh_from_db()
    return story


def actions_of(story: Article) -> list[str]:
    return [event.action for event in events_of(story)]


# --- setting one ------------------------------------------------------------------------------


def test_a_reporter_sets_an_embargo_on_their_own_draft_with_one_history_row(
    clock, story_in, reporter
):
    story = story_in(Status.DRAFT)

    workflow.set_embargo(story, actor=reporter, until=NOON, source=f" {SOURCE} ")

    story.refresh_from_db()
    assert (story.embargo_until, story.embargo_source) == (NOON, SOURCE)
    assert story.under_embargo
    event = events_of(story)[-1]
    assert (event.action, event.actor) == ("embargo_set", reporter)
    assert event.data == {"until": NOON.isoformat(), "source": SOURCE}


def test_setting_the_same_embargo_twice_writes_one_row(clock, story_in, reporter):
    story = story_in(Status.DRAFT)
    workflow.set_embargo(story, actor=reporter, until=NOON, source=SOURCE)
    workflow.set_embargo(story, actor=reporter, until=NOON, source=SOURCE)

    assert actions_of(story).count("embargo_set") == 1


def test_another_reporter_cannot_set_an_embargo(clock, story_in, other_reporter):
    story = story_in(Status.DRAFT)
    with pytest.raises(NotAllowed):
        workflow.set_embargo(story, actor=other_reporter, until=NOON, source=SOURCE)


def test_a_reporter_cannot_set_an_embargo_on_a_submitted_story_but_an_editor_can(
    clock, story_in, reporter, editor
):
    story = story_in(Status.SUBMITTED)
    with pytest.raises(NotAllowed):
        workflow.set_embargo(story, actor=reporter, until=NOON, source=SOURCE)

    workflow.set_embargo(story, actor=editor, until=NOON, source=SOURCE)
    story.refresh_from_db()
    assert story.embargo_until == NOON


@pytest.mark.parametrize("state", [Status.PUBLISHED, Status.UNPUBLISHED])
def test_a_published_story_takes_no_embargo(clock, story_in, editor, state):
    story = story_in(state)
    with pytest.raises(NotAllowed):
        workflow.set_embargo(story, actor=editor, until=NOON, source=SOURCE)


def test_an_embargo_needs_a_source_and_a_time_to_come(clock, story_in, reporter):
    story = story_in(Status.DRAFT)
    with pytest.raises(EmbargoSourceRequired):
        workflow.set_embargo(story, actor=reporter, until=NOON, source="  ")
    with pytest.raises(TimeInThePast):
        workflow.set_embargo(story, actor=reporter, until=MONDAY_9AM, source=SOURCE)
    assert actions_of(story) == ["created"]


def test_once_set_a_reporter_can_neither_set_another_nor_move_nor_lift_it(
    clock, story_in, reporter
):
    story = embargoed(story_in, reporter, Status.DRAFT)

    with pytest.raises(EmbargoAlreadySet):
        workflow.set_embargo(story, actor=reporter, until=TWO_PM, source=SOURCE)
    with pytest.raises(NotAllowed):
        workflow.move_embargo(story, actor=reporter, until=TWO_PM, note="연기")
    with pytest.raises(NotAllowed):
        workflow.lift_embargo(story, actor=reporter, note="해제")
    story.refresh_from_db()
    assert story.embargo_until == NOON


# --- moving and lifting -------------------------------------------------------------------------


def test_an_editor_moves_an_embargo_with_a_required_note(clock, story_in, reporter, editor):
    story = embargoed(story_in, reporter)

    with pytest.raises(NoteRequired):
        workflow.move_embargo(story, actor=editor, until=TWO_PM, note=" ")
    workflow.move_embargo(story, actor=editor, until=TWO_PM, note="부처 요청으로 연기")

    story.refresh_from_db()
    assert story.embargo_until == TWO_PM
    event = events_of(story)[-1]
    assert (event.action, event.note, event.actor) == (
        "embargo_moved",
        "부처 요청으로 연기",
        editor,
    )
    assert datetime.fromisoformat(event.data["from"]) == NOON
    assert datetime.fromisoformat(event.data["until"]) == TWO_PM


def test_an_editor_lifts_an_embargo_with_a_required_note_and_may_then_publish(
    clock, story_in, reporter, editor
):
    story = embargoed(story_in, reporter)

    with pytest.raises(NoteRequired):
        workflow.lift_embargo(story, actor=editor, note="")
    workflow.lift_embargo(story, actor=editor, note="다른 매체가 먼저 보도")
    workflow.publish(story, actor=editor)

    story.refresh_from_db()
    assert story.status == Status.PUBLISHED
    assert (story.embargo_until, story.embargo_source) == (None, "")
    lifted = next(e for e in events_of(story) if e.action == "embargo_lifted")
    assert lifted.note == "다른 매체가 먼저 보도"
    assert datetime.fromisoformat(lifted.data["was"]) == NOON
    assert lifted.data["source"] == SOURCE


def test_moving_or_lifting_needs_an_embargo(clock, story_in, editor):
    story = story_in(Status.SUBMITTED)
    with pytest.raises(NoEmbargo):
        workflow.move_embargo(story, actor=editor, until=TWO_PM, note="연기")
    with pytest.raises(NoEmbargo):
        workflow.lift_embargo(story, actor=editor, note="해제")


def test_moving_the_embargo_past_a_scheduled_time_moves_the_schedule_with_it(
    clock, story_in, reporter, editor
):
    story = embargoed(story_in, reporter)
    workflow.schedule(story, actor=editor, at=NOON)

    workflow.move_embargo(story, actor=editor, until=TWO_PM, note="연기")

    story.refresh_from_db()
    assert (story.status, story.scheduled_publish_at) == (Status.SCHEDULED, TWO_PM)
    assert datetime.fromisoformat(events_of(story)[-1].data["rescheduled_to"]) == TWO_PM


# --- refusals before the lift ---------------------------------------------------------------------


def test_publishing_before_the_lift_is_refused_naming_the_embargo_in_korean(
    clock, story_in, reporter, editor
):
    story = embargoed(story_in, reporter)

    with translation.override("ko"), pytest.raises(EmbargoInForce) as refused:
        workflow.publish(story, actor=editor)

    message = str(refused.value)
    assert "엠바고" in message
    assert "2025-03-03 12:00" in message
    assert SOURCE in message
    story.refresh_from_db()
    assert story.status == Status.SUBMITTED
    assert "publish" not in actions_of(story)


def test_scheduling_before_the_lift_is_refused_and_at_the_lift_accepted(
    clock, story_in, reporter, editor
):
    story = embargoed(story_in, reporter)

    with pytest.raises(EmbargoInForce):
        workflow.schedule(story, actor=editor, at=NOON - timedelta(minutes=1))
    workflow.schedule(story, actor=editor, at=NOON)

    story.refresh_from_db()
    assert (story.status, story.scheduled_publish_at) == (Status.SCHEDULED, NOON)


def test_rescheduling_before_the_lift_is_refused(clock, story_in, reporter, editor):
    story = embargoed(story_in, reporter)
    workflow.schedule(story, actor=editor, at=TWO_PM)

    with pytest.raises(EmbargoInForce):
        workflow.schedule(story, actor=editor, at=NOON - timedelta(hours=1))


def test_scheduling_at_the_embargo_is_one_step(clock, story_in, reporter, editor):
    story = embargoed(story_in, reporter)

    workflow.schedule_at_embargo(story, actor=editor)

    story.refresh_from_db()
    assert (story.status, story.scheduled_publish_at) == (Status.SCHEDULED, NOON)
    with pytest.raises(NoEmbargo):
        workflow.schedule_at_embargo(story_in(Status.SUBMITTED), actor=editor)


def test_the_admins_publish_action_is_refused_too(clock, client, story_in, reporter, editor):
    story = embargoed(story_in, reporter)
    client.force_login(editor)

    response = client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "publish_now", "_selected_action": [story.pk]},
        follow=True,
    )

    assert response.status_code == 200
    story.refresh_from_db()
    assert story.status == Status.SUBMITTED
    assert any("엠바고" in str(message) for message in get_messages(response.wsgi_request))


# --- the scheduler ------------------------------------------------------------------------------


def test_the_scheduler_waits_for_the_lift_even_when_the_time_came_first(
    clock, story_in, reporter, editor
):
    story = story_in(Status.SUBMITTED)
    workflow.schedule(story, actor=editor, at=NOON)
    # The embargo comes after the schedule was set (by an editor): the schedule follows it.
    workflow.set_embargo(story, actor=editor, until=TWO_PM, source=SOURCE)
    # Even a row whose time was forced earlier (an old row, a bad import) waits.
    Article.objects.filter(pk=story.pk).update(scheduled_publish_at=NOON)

    clock.move_to(NOON + timedelta(minutes=1))
    assert workflow.run_schedule()["published"] == 0
    story.refresh_from_db()
    assert story.status == Status.SCHEDULED

    clock.move_to(TWO_PM + timedelta(seconds=30))
    assert workflow.run_schedule()["published"] == 1
    story.refresh_from_db()
    assert story.status == Status.PUBLISHED
    assert story.published_at == TWO_PM + timedelta(seconds=30)


# --- nothing public before the lift ---------------------------------------------------------


def test_nothing_prepared_at_scheduling_is_public_before_the_lift(
    clock, client, story_in, reporter, editor, django_capture_on_commit_callbacks
):
    story = embargoed(story_in, reporter)
    OutboxMessage.objects.all().delete()

    with django_capture_on_commit_callbacks(execute=True):
        workflow.schedule_at_embargo(story, actor=editor)

    # No share card, image or fan-out, no search entry, no public task (no purge, no
    # fan-out): only the staff's notification e-mail about the schedule.
    assert not ShareFanout.objects.filter(article=story).exists()
    assert not SearchEntry.objects.filter(article=story).exists()
    assert set(OutboxMessage.objects.values_list("task_name", flat=True)) == {
        "articles.email_notifications"
    }
    # The reader's page, the feeds and the sitemaps do not have it.
    clock.move_to(NOON - timedelta(minutes=1))
    assert client.get(story.get_absolute_url()).status_code == 404
    for name in ("syndication:feed", "syndication:news-sitemap"):
        body = client.get(reverse(name)).content.decode()
        assert f"/articles/{story.pk}/" not in body
    assert story.headline not in client.get(reverse("articles:home")).content.decode()
    assert workflow.run_schedule()["published"] == 0

    clock.move_to(NOON + timedelta(seconds=30))
    with django_capture_on_commit_callbacks(execute=True):
        workflow.run_schedule()
    assert client.get(story.get_absolute_url()).status_code == 200
    assert ShareFanout.objects.filter(article=story, is_public=True).exists()
    assert SearchEntry.objects.filter(article=story).exists()


# --- the desk ------------------------------------------------------------------------------------


def decide_url(story: Article, decision: str = "schedule") -> str:
    return reverse("story_desk:decide", args=[story.pk, decision])


def test_an_editor_schedules_for_the_embargo_time_in_one_step(
    clock, client, story_in, reporter, editor
):
    story = embargoed(story_in, reporter)
    client.force_login(editor)

    page = client.get(decide_url(story))
    assert "엠바고 시각에 예약" in page.content.decode()
    response = client.post(decide_url(story), {"at_embargo": "1"})

    assert response.status_code == 302
    story.refresh_from_db()
    assert (story.status, story.scheduled_publish_at) == (Status.SCHEDULED, NOON)
    assert actions_of(story)[-1] == "schedule"


def test_the_decide_page_refuses_publishing_before_the_lift_with_the_message(
    clock, client, story_in, reporter, editor
):
    story = embargoed(story_in, reporter)
    client.force_login(editor)

    response = client.post(decide_url(story, "publish"))

    assert response.status_code == 400
    assert "엠바고" in response.content.decode()
    assert SOURCE in response.content.decode()


def test_the_desk_lists_say_embargo_with_the_lift_time(clock, client, story_in, reporter, editor):
    story = embargoed(story_in, reporter)
    scheduled = embargoed(story_in, reporter, until=TWO_PM)
    workflow.schedule_at_embargo(scheduled, actor=editor)
    client.force_login(editor)

    queue = client.get(reverse("story_desk:queue")).content.decode()
    schedule = client.get(reverse("story_desk:schedule")).content.decode()
    assert "엠바고 2025-03-03 12:00" in queue
    assert "엠바고 2025-03-03 14:00" in schedule
    client.force_login(reporter)
    dashboard = parse(client.get(reverse("story_desk:dashboard")))
    labels = [label.text.strip() for label in dashboard.select("span", cls="embargo")]
    # The submitted panel's story, then the scheduled panel's.
    assert labels == ["엠바고 2025-03-03 12:00", "엠바고 2025-03-03 14:00"]
    assert story.headline in dashboard.one("section", id="submitted").text


def test_the_previews_say_embargo_with_the_lift_time(clock, client, story_in, reporter, editor):
    story = embargoed(story_in, reporter)
    link = workflow.create_preview_link(story, actor=editor, hours=24)
    client.force_login(reporter)

    desk_preview = client.get(reverse("story_desk:preview", args=[story.pk]))
    client.logout()
    shared = client.get(preview_links.path_for(link))

    for response in (desk_preview, shared):
        assert response.status_code == 200
        assert "엠바고 2025-03-03 12:00" in response.content.decode()


def test_the_editor_form_sets_an_embargo_and_an_editor_moves_it_with_a_note(
    clock, client, story_in, reporter, editor
):
    from articles.forms import initial_from

    story = story_in(Status.DRAFT)
    client.force_login(reporter)
    initial, _rows = initial_from(story)
    form = {k: v for k, v in initial.items() if v is not None and not isinstance(v, list)}
    form |= {"action": "save", "embargo_until": "2025-03-03T12:00", "embargo_source": SOURCE}

    response = client.post(reverse("story_desk:edit", args=[story.pk]), form)

    assert response.status_code == 302, response.content.decode()[:2000]
    story.refresh_from_db()
    assert (story.embargo_until, story.embargo_source) == (NOON, SOURCE)

    client.force_login(editor)
    form |= {"base_version": story.version, "embargo_until": "2025-03-03T14:00"}
    refused = client.post(reverse("story_desk:edit", args=[story.pk]), form)
    assert refused.status_code == 400
    form["embargo_note"] = "부처 요청으로 연기"
    moved = client.post(reverse("story_desk:edit", args=[story.pk]), form)
    assert moved.status_code == 302
    story.refresh_from_db()
    assert story.embargo_until == TWO_PM
    assert actions_of(story)[-1] == "embargo_moved"


def test_a_story_that_is_not_embargoable_says_so(clock, story_in, editor):
    story = story_in(Status.PUBLISHED)
    with pytest.raises((NotAllowed, IllegalTransition)):
        workflow.move_embargo(story, actor=editor, until=TWO_PM, note="연기")


def test_a_reporter_sees_a_set_embargo_read_only_and_saving_keeps_it(
    clock, client, story_in, reporter
):
    from articles.forms import initial_from

    story = embargoed(story_in, reporter, Status.DRAFT)
    client.force_login(reporter)

    page = client.get(reverse("story_desk:edit", args=[story.pk])).content.decode()
    assert 'name="embargo_until"' not in page
    assert "엠바고 2025-03-03 12:00" in page
    initial, _rows = initial_from(story)
    form = {k: v for k, v in initial.items() if v is not None and not isinstance(v, list)}
    response = client.post(
        reverse("story_desk:edit", args=[story.pk]), {**form, "headline": "새 제목"}
    )

    assert response.status_code == 302
    story.refresh_from_db()
    assert (story.headline, story.embargo_until) == ("새 제목", NOON)


def test_the_history_names_the_embargo_steps(clock, client, story_in, reporter, editor):
    story = embargoed(story_in, reporter)
    workflow.move_embargo(story, actor=editor, until=TWO_PM, note="연기")
    workflow.lift_embargo(story, actor=editor, note="해제")
    client.force_login(editor)

    page = client.get(reverse("story_desk:history", args=[story.pk])).content.decode()

    for label in ("엠바고 설정", "엠바고 시각 변경", "엠바고 해제"):
        assert label in page
