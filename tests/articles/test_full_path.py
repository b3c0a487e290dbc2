"""One story from the reporter's first draft to a correction after publication."""

from datetime import timedelta

import pytest
from django.core import mail

from articles import sanitize, selectors, workflow
from articles.models import Article, PhotoUse
from tests.articles.conftest import MONDAY_9AM, edit

pytestmark = pytest.mark.django_db

Status = Article.Status
TOMORROW_9AM = MONDAY_9AM + timedelta(days=1)
PARAGRAPHS = [
    "<p>반도체 수출이 석 달째 늘었다.</p>",
    "<p>메모리 가격이 오르며 수출액이 100억 달러를 넘었다.</p>",
    "<p>업계는 하반기에도 증가세가 이어질 것으로 본다.</p>",
]


def test_a_story_goes_from_draft_through_review_and_schedule_to_a_correction(
    clock, photo, reporter, editor, section, django_capture_on_commit_callbacks
):
    assert photo.renditions.exists()  # uploaded through the library, renditions made

    # The reporter writes the story and places the photo after the second paragraph.
    story = workflow.create(
        actor=reporter, section=section, headline="반도체 수출 석 달째 증가", body=PARAGRAPHS[0]
    )
    clock.shift(timedelta(minutes=10))
    edit(story, actor=reporter, photo_uses=[{"photo": photo.pk, "is_lead": True}])
    [use] = PhotoUse.objects.filter(article=story)
    clock.shift(timedelta(minutes=1))
    body = PARAGRAPHS[0] + PARAGRAPHS[1] + sanitize.placeholder(use.pk) + PARAGRAPHS[2]
    edit(story, actor=reporter, body=body)
    clock.shift(timedelta(minutes=1))
    workflow.submit(story, actor=reporter)

    # The editor sends it back with a note; the reporter is told by e-mail.
    clock.shift(timedelta(minutes=20))
    with django_capture_on_commit_callbacks(execute=True):
        workflow.return_for_changes(story, actor=editor, note="수출액 출처를 밝혀 주세요.")
    [email] = mail.outbox
    assert email.to == [reporter.email]
    assert "수출액 출처를 밝혀 주세요." in email.body
    story.refresh_from_db()
    assert story.return_note == "수출액 출처를 밝혀 주세요."

    # The reporter fixes it and hands it in again: the note is cleared.
    clock.shift(timedelta(minutes=15))
    fixed = body.replace("100억 달러를", "100억 달러(산업통상자원부 집계)를")
    edit(story, actor=reporter, body=fixed)
    clock.shift(timedelta(minutes=1))
    workflow.submit(story, actor=reporter)
    story.refresh_from_db()
    assert (story.status, story.return_note) == (Status.SUBMITTED, "")

    # The editor schedules it for tomorrow morning; the sweep publishes it then.
    clock.shift(timedelta(minutes=5))
    workflow.schedule(story, actor=editor, at=TOMORROW_9AM)
    clock.move_to(TOMORROW_9AM - timedelta(seconds=30))
    assert workflow.run_schedule()["published"] == 0
    clock.move_to(TOMORROW_9AM + timedelta(seconds=20))
    assert workflow.run_schedule()["published"] == 1

    story.refresh_from_db()
    assert story.status == Status.PUBLISHED
    assert abs(story.published_at - TOMORROW_9AM) < timedelta(minutes=1)
    assert story.revised_at is None

    # The editor corrects it after publication.
    clock.shift(timedelta(hours=2))
    workflow.correct(
        story,
        actor=editor,
        base_version=story.version,
        note="수출액 집계 기관을 바로잡았습니다.",
        content={"body": fixed.replace("산업통상자원부", "관세청")},
    )

    shown = selectors.story_with_content(story.pk)
    assert [c.note for c in shown.corrections.all()] == ["수출액 집계 기관을 바로잡았습니다."]
    assert shown.revised_at == TOMORROW_9AM + timedelta(hours=2, seconds=20)
    assert shown.published_at == story.published_at
    assert "관세청" in shown.body
    assert sanitize.photo_use_ids(shown.body) == [use.pk]
    assert shown.body.index(sanitize.placeholder(use.pk)) > shown.body.index("100억")
    assert [u.is_lead for u in shown.photo_uses.all()] == [True]

    history = list(reversed(selectors.history(story)))
    assert [(e.action, e.from_status, e.to_status, e.actor_name) for e in history] == [
        ("created", "", Status.DRAFT, "한지민"),
        ("saved", Status.DRAFT, Status.DRAFT, "한지민"),
        ("saved", Status.DRAFT, Status.DRAFT, "한지민"),
        ("submit", Status.DRAFT, Status.SUBMITTED, "한지민"),
        ("return", Status.SUBMITTED, Status.RETURNED, "오세훈"),
        ("saved", Status.RETURNED, Status.RETURNED, "한지민"),
        ("submit", Status.RETURNED, Status.SUBMITTED, "한지민"),
        ("schedule", Status.SUBMITTED, Status.SCHEDULED, "오세훈"),
        ("publish", Status.SCHEDULED, Status.PUBLISHED, "system"),
        ("corrected", Status.PUBLISHED, Status.PUBLISHED, "오세훈"),
    ]
    assert [e.created_at for e in history] == sorted(e.created_at for e in history)
    assert [r.number for r in selectors.revisions(story)] == [5, 4, 3, 2, 1]
