"""Every workflow action, from every state, by every persona (articles.workflow)."""

import re
from datetime import timedelta

import pytest
from django.utils.translation import gettext as _

from accounts.errors import NotAllowed
from articles import workflow
from articles.errors import IllegalTransition, NoteRequired
from articles.models import Article, ArticleEvent
from newsroom.models import OutboxMessage
from tests.articles.conftest import MONDAY_9AM

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

Status = Article.Status
STATES = [
    Status.DRAFT,
    Status.SUBMITTED,
    Status.RETURNED,
    Status.SCHEDULED,
    Status.PUBLISHED,
    Status.UNPUBLISHED,
]
# "author" is the reporter who wrote the story; "editor_author" is the editor acting on a
# story they wrote themselves. Every other persona acts on the reporter's story.
PERSONAS = ["author", "other_reporter", "editor", "editor_author", "moderator", "reader"]
FIXTURE_OF = {
    "author": "reporter",
    "other_reporter": "other_reporter",
    "editor": "editor",
    "editor_author": "editor",
    "moderator": "moderator",
    "reader": "reader",
}
BYLINE_OF = {"author": "한지민", "editor": "오세훈", "editor_author": "오세훈"}
EDITORS = {"editor", "editor_author"}

RESCHEDULE_AT = MONDAY_9AM + timedelta(days=1, hours=3)
TAKE_DOWN_AT = MONDAY_9AM + timedelta(days=7)
NEW_HEADLINE = "반도체 수출 넉 달째 증가"

ACTIONS = {
    "submit": lambda story, user: workflow.submit(story, actor=user),
    "return_for_changes": lambda story, user: workflow.return_for_changes(
        story, actor=user, note="제목을 줄여 주세요."
    ),
    "publish": lambda story, user: workflow.publish(story, actor=user),
    # On a scheduled story this is the reschedule.
    "schedule": lambda story, user: workflow.schedule(story, actor=user, at=RESCHEDULE_AT),
    "cancel_schedule": lambda story, user: workflow.cancel_schedule(story, actor=user),
    "unpublish": lambda story, user: workflow.unpublish(
        story, actor=user, reason="명예훼손 소지", public_note="이 기사는 삭제되었습니다."
    ),
    "republish": lambda story, user: workflow.republish(story, actor=user),
    "schedule_unpublish": lambda story, user: workflow.schedule_unpublish(
        story, actor=user, at=TAKE_DOWN_AT
    ),
    "save": lambda story, user: workflow.save(
        story, actor=user, base_version=story.version, content={"headline": NEW_HEADLINE}
    ),
    "correct": lambda story, user: workflow.correct(
        story, actor=user, base_version=story.version, note="수출액을 바로잡았습니다."
    ),
}

# For each action: the states it starts from, and where it leads.
MOVES = {
    "submit": {Status.DRAFT: Status.SUBMITTED, Status.RETURNED: Status.SUBMITTED},
    "return_for_changes": {Status.SUBMITTED: Status.RETURNED, Status.SCHEDULED: Status.RETURNED},
    "publish": {
        Status.DRAFT: Status.PUBLISHED,
        Status.SUBMITTED: Status.PUBLISHED,
        Status.SCHEDULED: Status.PUBLISHED,
    },
    "schedule": {
        Status.DRAFT: Status.SCHEDULED,
        Status.SUBMITTED: Status.SCHEDULED,
        Status.SCHEDULED: Status.SCHEDULED,
    },
    "cancel_schedule": {Status.SCHEDULED: Status.SUBMITTED},
    "unpublish": {Status.PUBLISHED: Status.UNPUBLISHED},
    "republish": {Status.UNPUBLISHED: Status.PUBLISHED},
    "schedule_unpublish": {Status.PUBLISHED: Status.PUBLISHED},
    "save": {state: state for state in STATES},
    "correct": {Status.PUBLISHED: Status.PUBLISHED},
}
REPORTER_EDITABLE = {Status.DRAFT, Status.RETURNED}


def expected(action: str, state: str, persona: str):
    """The new state, or the error: the actor's right is checked before the state."""
    if persona in EDITORS:
        if action in {"publish", "schedule"} and state == Status.DRAFT and persona == "editor":
            return NotAllowed  # editors publish their own drafts directly, nobody else's
        return MOVES[action].get(state, IllegalTransition)
    if persona == "author" and action in {"submit", "save"}:
        # A reporter's hold on the story ends when they hand it in.
        return MOVES[action][state] if state in REPORTER_EDITABLE else NotAllowed
    return NotAllowed


def event_action(action: str, state: str) -> str:
    if action == "schedule":
        return "reschedule" if state == Status.SCHEDULED else "schedule"
    if action == "save":
        return "updated" if state == Status.PUBLISHED else "saved"
    return {
        "return_for_changes": "return",
        "schedule_unpublish": "unpublish_scheduled",
        "correct": "corrected",
    }.get(action, action)


def cases():
    for action in ACTIONS:
        for state in STATES:
            for persona in PERSONAS:
                yield pytest.param(action, state, persona, id=f"{action}-{state}-{persona}")


def observable(story: Article) -> dict:
    story.refresh_from_db()
    return {
        "status": story.status,
        "version": story.version,
        "headline": story.headline,
        "scheduled_publish_at": story.scheduled_publish_at,
        "scheduled_unpublish_at": story.scheduled_unpublish_at,
        "published_at": story.published_at,
        "events": ArticleEvent.objects.filter(article=story).count(),
        "revisions": story.revisions.count(),
        "corrections": story.corrections.count(),
        "outbox": OutboxMessage.objects.count(),
    }


@pytest.mark.parametrize(("action", "state", "persona"), list(cases()))
def test_each_action_from_each_state_by_each_persona(
    action, state, persona, story_in, clock, editor, request
):
    user = request.getfixturevalue(FIXTURE_OF[persona])
    story = story_in(state, author=editor if persona == "editor_author" else None)
    clock.shift(timedelta(minutes=1))  # past the repeated-click window of the set-up steps
    before = observable(story)
    outcome = expected(action, state, persona)

    if outcome in (NotAllowed, IllegalTransition):
        with pytest.raises(outcome):
            ACTIONS[action](story, user)
        assert observable(story) == before
        return

    ACTIONS[action](story, user)
    after = observable(story)
    assert after["status"] == outcome
    assert after["events"] == before["events"] + 1
    event = ArticleEvent.objects.filter(article=story).first()
    assert event.action == event_action(action, state)
    assert (event.from_status, event.to_status) == (state, outcome)
    assert event.actor == user
    assert event.actor_name == BYLINE_OF[persona]


def test_an_editor_publishes_their_own_draft_without_review(editor, story_in):
    story = story_in(Status.DRAFT, author=editor)

    workflow.publish(story, actor=editor)

    story.refresh_from_db()
    assert story.status == Status.PUBLISHED
    assert story.published_at is not None
    assert [e.action for e in ArticleEvent.objects.filter(article=story)][:1] == ["publish"]


def test_an_editor_cannot_publish_a_reporters_draft_before_it_is_submitted(editor, story_in):
    story = story_in(Status.DRAFT)

    with pytest.raises(NotAllowed):
        workflow.publish(story, actor=editor)

    story.refresh_from_db()
    assert story.status == Status.DRAFT


@pytest.mark.parametrize("action", ["submit", "publish", "schedule", "save"])
def test_a_superuser_without_a_role_has_no_desk_rights(action, superuser, story_in, clock):
    story = story_in(Status.SUBMITTED if action != "submit" else Status.DRAFT)
    clock.shift(timedelta(minutes=1))
    before = observable(story)

    with pytest.raises(NotAllowed):
        ACTIONS[action](story, superuser)

    assert observable(story) == before


# --- notes, reasons and times ---------------------------------------------------------------


@pytest.mark.parametrize("note", ["", "   \n "])
def test_returning_a_story_needs_a_note_for_the_reporter(note, editor, story_in):
    story = story_in(Status.SUBMITTED)
    before = observable(story)

    with pytest.raises(NoteRequired):
        workflow.return_for_changes(story, actor=editor, note=note)

    assert observable(story) == before


def test_the_return_note_is_kept_for_the_reporter_until_they_resubmit(reporter, editor, story_in):
    story = story_in(Status.SUBMITTED)

    workflow.return_for_changes(story, actor=editor, note="  사진 출처를 밝혀 주세요. ")
    story.refresh_from_db()
    assert story.return_note == "사진 출처를 밝혀 주세요."

    workflow.submit(story, actor=reporter)
    story.refresh_from_db()
    assert story.return_note == ""


@pytest.mark.parametrize("reason", ["", "  "])
def test_unpublishing_needs_an_internal_reason(reason, editor, story_in):
    story = story_in(Status.PUBLISHED)
    before = observable(story)

    with pytest.raises(NoteRequired):
        workflow.unpublish(story, actor=editor, reason=reason)

    assert observable(story) == before


def test_unpublishing_keeps_the_reason_internal_and_shows_the_public_note(editor, story_in):
    story = story_in(Status.PUBLISHED)

    workflow.unpublish(
        story, actor=editor, reason="명예훼손 소지", public_note="삭제된 기사입니다."
    )

    story.refresh_from_db()
    assert story.unpublish_reason == "명예훼손 소지"
    assert story.unpublished_note == "삭제된 기사입니다."
    assert ArticleEvent.objects.filter(article=story).first().note == "명예훼손 소지"


def test_republishing_clears_the_reason_and_keeps_the_first_publication_time(
    editor, story_in, clock
):
    story = story_in(Status.UNPUBLISHED)
    first_published = story.published_at
    clock.shift(timedelta(hours=2))

    workflow.republish(story, actor=editor)

    story.refresh_from_db()
    assert story.status == Status.PUBLISHED
    assert story.published_at == first_published
    assert (story.unpublish_reason, story.unpublished_note) == ("", "")


@pytest.mark.parametrize("note", ["", "  "])
def test_a_correction_needs_a_note_readers_will_see(note, editor, story_in):
    story = story_in(Status.PUBLISHED)
    before = observable(story)

    with pytest.raises(NoteRequired):
        workflow.correct(story, actor=editor, base_version=story.version, note=note)

    assert observable(story) == before


@pytest.mark.parametrize("offset", [timedelta(minutes=-5), timedelta(0)], ids=["past", "now"])
def test_a_story_can_only_be_scheduled_for_the_future(offset, editor, story_in, clock):
    story = story_in(Status.SUBMITTED)
    before = observable(story)

    with pytest.raises(ValueError, match=re.escape(_("Choose a time in the future."))):
        workflow.schedule(story, actor=editor, at=MONDAY_9AM + offset)

    assert observable(story) == before


def test_a_story_can_only_be_scheduled_to_come_down_in_the_future(editor, story_in, clock):
    story = story_in(Status.PUBLISHED)
    before = observable(story)

    with pytest.raises(ValueError, match=re.escape(_("Choose a time in the future."))):
        workflow.schedule_unpublish(story, actor=editor, at=MONDAY_9AM - timedelta(hours=1))

    assert observable(story) == before


def test_a_return_takes_a_scheduled_story_off_the_schedule(editor, story_in):
    story = story_in(Status.SCHEDULED)

    workflow.return_for_changes(story, actor=editor, note="하루 미뤄 주세요.")

    story.refresh_from_db()
    assert story.status == Status.RETURNED
    assert story.scheduled_publish_at is None


# --- the repeated click ---------------------------------------------------------------------

REPEATS = [
    pytest.param("submit", Status.DRAFT, "reporter", id="submit"),
    pytest.param("return_for_changes", Status.SUBMITTED, "editor", id="return"),
    pytest.param("publish", Status.SUBMITTED, "editor", id="publish"),
    pytest.param("schedule", Status.SUBMITTED, "editor", id="schedule"),
    pytest.param("cancel_schedule", Status.SCHEDULED, "editor", id="cancel_schedule"),
    pytest.param("unpublish", Status.PUBLISHED, "editor", id="unpublish"),
    pytest.param("republish", Status.UNPUBLISHED, "editor", id="republish"),
    pytest.param(
        "schedule_unpublish",
        Status.PUBLISHED,
        "editor",
        id="schedule_unpublish",
    ),
]


@pytest.mark.parametrize(("action", "state", "persona"), REPEATS)
def test_a_repeated_identical_click_within_30_seconds_does_nothing_more(
    action, state, persona, story_in, clock, request
):
    user = request.getfixturevalue(persona)
    story = story_in(state)
    clock.shift(timedelta(minutes=1))
    ACTIONS[action](story, user)
    after_first = observable(story)
    clock.shift(timedelta(seconds=20))

    ACTIONS[action](story, user)

    assert observable(story) == after_first


REPEATS_BY_ANOTHER = [
    pytest.param("submit", Status.DRAFT, "reporter", "editor", id="submit"),
    pytest.param("return_for_changes", Status.SUBMITTED, "editor", "second_editor", id="return"),
    pytest.param("publish", Status.SUBMITTED, "editor", "second_editor", id="publish"),
    pytest.param("cancel_schedule", Status.SCHEDULED, "editor", "second_editor", id="cancel"),
    pytest.param("unpublish", Status.PUBLISHED, "editor", "second_editor", id="unpublish"),
    pytest.param("republish", Status.UNPUBLISHED, "editor", "second_editor", id="republish"),
]


@pytest.mark.parametrize(("action", "state", "first", "second"), REPEATS_BY_ANOTHER)
def test_the_same_click_by_someone_else_is_refused_as_an_illegal_transition(
    action, state, first, second, story_in, clock, request
):
    story = story_in(state)
    clock.shift(timedelta(minutes=1))
    ACTIONS[action](story, request.getfixturevalue(first))
    after_first = observable(story)
    clock.shift(timedelta(seconds=5))

    with pytest.raises(IllegalTransition):
        ACTIONS[action](story, request.getfixturevalue(second))

    assert observable(story) == after_first


def test_the_same_click_by_the_same_editor_after_30_seconds_is_refused(editor, story_in, clock):
    story = story_in(Status.SUBMITTED)
    clock.shift(timedelta(minutes=1))
    workflow.publish(story, actor=editor)
    after_first = observable(story)
    clock.shift(timedelta(seconds=31))

    with pytest.raises(IllegalTransition):
        workflow.publish(story, actor=editor)

    assert observable(story) == after_first


def test_the_illegal_transition_message_names_the_state(editor, story_in, clock):
    story = story_in(Status.DRAFT)
    clock.shift(timedelta(minutes=1))

    with pytest.raises(IllegalTransition) as refused:
        workflow.cancel_schedule(story, actor=editor)

    assert story.get_status_display() in str(refused.value)
