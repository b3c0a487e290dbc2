"""One door per rule: both desk pages take a step through workflow.take_step, a correction has
one path (editors only, with a note), and every refusal a user can cause is a StoryRefused
that the desk shows, while a programming error stays a server error."""

import inspect

import pytest
from django.core import mail
from django.urls import reverse

from accounts.errors import NotAllowed
from articles import errors, tasks, workflow
from articles.models import Article, ArticleEvent, Correction, Notification
from tests.pages import parse

pytestmark = pytest.mark.django_db

Status = Article.Status


def decide_url(story: Article, decision: str) -> str:
    return reverse("story_desk:decide", args=[story.pk, decision])


@pytest.fixture
def steps_taken(monkeypatch):
    """Every call into workflow.take_step, as (story id, step)."""
    taken = []
    real = workflow.take_step

    def spy(article, step, **kwargs):
        taken.append((article.pk, step))
        return real(article, step, **kwargs)

    monkeypatch.setattr(workflow, "take_step", spy)
    return taken


def test_the_story_editor_and_the_decision_page_publish_through_the_same_door(
    client, editor, story_in, steps_taken
):
    from tests.articles.test_desk import edit_url, posted

    by_editor_page, by_decision_page = story_in(Status.SUBMITTED), story_in(Status.SUBMITTED)
    client.force_login(editor)

    client.post(edit_url(by_editor_page), posted(by_editor_page, action="publish"))
    client.post(decide_url(by_decision_page, "publish"))

    assert steps_taken == [(by_editor_page.pk, "publish"), (by_decision_page.pk, "publish")]
    assert set(Article.objects.values_list("status", flat=True)) == {Status.PUBLISHED}


def test_a_correction_has_one_path_and_save_takes_no_correction_note():
    assert "correction_note" not in inspect.signature(workflow.save).parameters


def test_a_reporter_cannot_publish_a_correction_through_the_door(reporter, story_in):
    story = story_in(Status.PUBLISHED)

    with pytest.raises(NotAllowed):
        workflow.take_step(
            story,
            "correct",
            actor=reporter,
            content={"headline": "기자가 고친 제목"},
            base_version=story.version,
            note="기자의 정정",
        )

    assert not Correction.objects.exists()
    story.refresh_from_db()
    assert story.headline == "반도체 수출 석 달째 증가"


def test_a_correction_without_a_note_is_refused_before_anything_is_saved(editor, story_in):
    story = story_in(Status.PUBLISHED)

    with pytest.raises(errors.NoteRequired):
        workflow.take_step(
            story,
            "correct",
            actor=editor,
            content={"headline": "고친 제목"},
            base_version=story.version,
            note="  ",
        )

    story.refresh_from_db()
    assert (story.headline, story.version) == ("반도체 수출 석 달째 증가", 1)


@pytest.mark.parametrize("at", ["", "내일 아침", "2026-13-45T25:00"])
def test_a_schedule_with_no_real_time_says_so_on_the_decision_page(client, editor, story_in, at):
    story = story_in(Status.SUBMITTED)
    client.force_login(editor)

    response = client.post(decide_url(story, "schedule"), {"at": at})

    assert response.status_code == 400
    assert "출고할 날짜와 시각을 고르세요." in response.text
    story.refresh_from_db()
    assert story.status == Status.SUBMITTED


def test_the_decision_page_asks_for_the_return_note_and_says_why_under_it(client, editor, story_in):
    story = story_in(Status.SUBMITTED)
    client.force_login(editor)
    note = parse(client.get(decide_url(story, "return"))).one("textarea", name="note")
    assert "required" in note.attrs  # the browser asks before sending

    response = client.post(decide_url(story, "return"), {"note": "   "})

    assert response.status_code == 400
    page = parse(response)
    assert page.one("textarea", name="note").attrs["aria-describedby"] == "decide-note-error"
    assert page.one("p", id="decide-note-error").text == "기자에게 고칠 점을 알려 주세요."
    assert not page.select("div", cls="form-errors")  # said once, where it belongs
    story.refresh_from_db()
    assert story.status == Status.SUBMITTED


def test_every_refusal_the_story_errors_module_defines_is_a_story_refused():
    refusals = [
        value
        for value in vars(errors).values()
        if isinstance(value, type) and issubclass(value, Exception)
    ]

    assert len(refusals) > 10
    assert all(issubclass(refusal, errors.StoryRefused) for refusal in refusals)


def test_a_programming_error_in_a_step_is_a_server_error_not_a_message(
    client, editor, story_in, monkeypatch
):
    story = story_in(Status.SUBMITTED)
    client.force_login(editor)
    client.raise_request_exception = False

    def broken(article, *, actor):
        raise ValueError("a bug, not a refusal")

    monkeypatch.setattr(workflow, "publish", broken)
    response = client.post(decide_url(story, "publish"))

    assert response.status_code == 500
    assert "a bug, not a refusal" not in response.text


def test_the_return_email_is_recorded_on_its_notification_and_never_rewrites_the_event(
    editor, reporter, story_in, django_capture_on_commit_callbacks
):
    story = story_in(Status.SUBMITTED)

    with django_capture_on_commit_callbacks(execute=True):
        workflow.take_step(story, "return", actor=editor, note="출처를 밝혀 주세요.")

    event = ArticleEvent.objects.get(article=story, action="return")
    assert event.data == {}
    [notification] = Notification.objects.filter(key=f"article-event:{event.pk}")
    assert notification.recipient == reporter
    assert notification.emailed_at is not None
    assert tasks.email_notifications([notification.pk]) == 0  # a redelivery sends nothing
    assert tasks.notify_returned(story.pk, event.pk) == 0  # nor the retired task's
    assert len(mail.outbox) == 1
