"""Spike and trash (휴지통): spiking a story (articles.workflow.spike, a submitted or
scheduled one back to draft first), restoring it, the purge after 30 days, the trash page,
and a spiked story leaving every list."""

import logging
from datetime import timedelta

import pytest
from django.urls import reverse

from accounts.errors import NotAllowed
from articles import preview_links, tasks, workflow
from articles.errors import IllegalTransition, NotSpikeable
from articles.models import Article, ArticleEvent, Revision
from newsroom.celery import PERIODIC_JOBS
from newsroom.celery import app as celery_app
from tests.articles.conftest import MONDAY_9AM, edit, events_of
from tests.pages import parse

pytestmark = pytest.mark.django_db

Status = Article.Status
TRASH = "/desk/trash/"
# The trash page, however many stories it holds: session, user, roles, the page's count
# and its stories (with who spiked each), their bylines.
TRASH_QUERIES = 7


def actions_of(story: Article) -> list[str]:
    return [event.action for event in events_of(story)]


def fresh(story: Article) -> Article:
    story.refresh_from_db()
    return story


# --- spiking ----------------------------------------------------------------------------------


@pytest.mark.parametrize("state", [Status.DRAFT, Status.RETURNED])
def test_a_reporter_spikes_their_own_draft_or_returned_story_with_one_history_row(
    clock, story_in, reporter, state
):
    story = story_in(state)

    workflow.spike(story, actor=reporter, note="기사 가치 없음")

    story = fresh(story)
    assert (story.status, story.spiked_at) == (Status.SPIKED, MONDAY_9AM)
    event = events_of(story)[-1]
    assert (event.action, event.from_status, event.to_status) == ("spike", state, Status.SPIKED)
    assert (event.actor, event.note) == (reporter, "기사 가치 없음")
    assert actions_of(story).count("spike") == 1


def test_a_submitted_story_goes_back_to_draft_then_to_the_trash_in_two_recorded_steps(
    clock, story_in, reporter
):
    story = story_in(Status.SUBMITTED)

    workflow.spike(story, actor=reporter)

    withdraw, spike = events_of(story)[-2:]
    assert (withdraw.action, withdraw.from_status, withdraw.to_status) == (
        "withdraw",
        Status.SUBMITTED,
        Status.DRAFT,
    )
    assert (spike.action, spike.from_status, spike.to_status) == (
        "spike",
        Status.DRAFT,
        Status.SPIKED,
    )
    assert fresh(story).status == Status.SPIKED


def test_an_editor_spikes_a_scheduled_story_and_its_schedule_goes(
    clock, story_in, reporter, editor
):
    story = story_in(Status.SCHEDULED)
    with pytest.raises(NotAllowed):
        workflow.spike(story, actor=reporter)  # the schedule was an editor's decision

    workflow.spike(story, actor=editor)

    story = fresh(story)
    assert (story.status, story.scheduled_publish_at) == (Status.SPIKED, None)
    assert actions_of(story)[-2:] == ["withdraw", "spike"]
    clock.shift(timedelta(days=2))
    assert workflow.run_schedule()["published"] == 0


@pytest.mark.parametrize("state", [Status.PUBLISHED, Status.UNPUBLISHED])
def test_a_story_readers_have_seen_is_never_spiked(clock, story_in, editor, state):
    story = story_in(state)

    with pytest.raises(NotSpikeable) as refused:
        workflow.spike(story, actor=editor)

    assert "휴지통" in str(refused.value)
    assert fresh(story).status == state
    assert "spike" not in actions_of(story)


def test_others_cannot_spike_a_reporters_story(
    clock, story_in, other_reporter, moderator, reporter
):
    story = story_in(Status.DRAFT)
    for person in (other_reporter, moderator):
        with pytest.raises(NotAllowed):
            workflow.spike(story, actor=person)
    assert fresh(story).status == Status.DRAFT


def test_spiking_twice_writes_one_row(clock, story_in, reporter):
    story = story_in(Status.DRAFT)
    workflow.spike(story, actor=reporter)
    workflow.spike(story, actor=reporter)

    assert actions_of(story).count("spike") == 1


def test_a_spiked_story_cannot_be_edited_or_published(clock, story_in, reporter, editor):
    story = story_in(Status.DRAFT)
    workflow.spike(story, actor=reporter)

    with pytest.raises(NotAllowed):
        edit(story, actor=editor, headline="고친 제목")
    with pytest.raises((NotAllowed, IllegalTransition)):
        workflow.publish(story, actor=editor)
    assert fresh(story).status == Status.SPIKED


# --- restoring --------------------------------------------------------------------------------


def test_restoring_returns_the_story_to_draft_with_its_history_and_revisions(
    clock, story_in, reporter
):
    story = story_in(Status.DRAFT)
    edit(story, actor=reporter, headline="두 번째 판")
    revisions = list(Revision.objects.filter(article=story).values_list("number", flat=True))
    workflow.spike(story, actor=reporter)

    workflow.restore(story, actor=reporter)

    story = fresh(story)
    assert (story.status, story.spiked_at, story.headline) == (Status.DRAFT, None, "두 번째 판")
    assert list(Revision.objects.filter(article=story).values_list("number", flat=True)) == (
        revisions
    )
    assert actions_of(story) == ["created", "saved", "spike", "restore"]
    restore = events_of(story)[-1]
    assert (restore.from_status, restore.to_status, restore.actor) == (
        Status.SPIKED,
        Status.DRAFT,
        reporter,
    )


def test_only_the_reporter_or_an_editor_restores_and_only_from_the_trash(
    clock, story_in, reporter, other_reporter, editor
):
    story = story_in(Status.DRAFT)
    with pytest.raises((NotAllowed, IllegalTransition)):
        workflow.restore(story, actor=editor)  # not in the trash
    workflow.spike(story, actor=reporter)
    with pytest.raises(NotAllowed):
        workflow.restore(story, actor=other_reporter)

    workflow.restore(story, actor=editor)

    assert fresh(story).status == Status.DRAFT


# --- the purge --------------------------------------------------------------------------------


def test_the_purge_deletes_a_story_30_days_after_it_was_spiked_and_logs_it(
    clock, story_in, reporter, caplog
):
    story = story_in(Status.DRAFT)
    kept = story_in(Status.DRAFT)
    workflow.spike(story, actor=reporter)
    clock.shift(timedelta(days=1))
    workflow.spike(kept, actor=reporter)

    clock.move_to(MONDAY_9AM + timedelta(days=30) - timedelta(seconds=1))
    assert workflow.purge_trash() == 0
    clock.move_to(MONDAY_9AM + timedelta(days=30))
    with caplog.at_level(logging.INFO, logger="articles.workflow"):
        assert workflow.purge_trash() == 1
        assert workflow.purge_trash() == 0  # idempotent: it is gone

    assert not Article.objects.filter(pk=story.pk).exists()
    assert fresh(kept).status == Status.SPIKED
    purged = ArticleEvent.objects.get(action="purged")
    # The history row stays, without its story, with the headline.
    assert (purged.article_id, purged.headline, purged.actor) == (None, story.headline, None)
    assert purged.data["article"] == story.pk
    assert f"Purged story {story.pk}" in caplog.text


def test_a_restored_story_is_not_purged(clock, story_in, reporter):
    story = story_in(Status.DRAFT)
    workflow.spike(story, actor=reporter)
    workflow.restore(story, actor=reporter)

    clock.move_to(MONDAY_9AM + timedelta(days=31))
    assert workflow.purge_trash() == 0
    assert fresh(story).status == Status.DRAFT


def test_the_purge_runs_as_a_periodic_task_like_the_schedule(clock, story_in, reporter):
    assert PERIODIC_JOBS["articles.purge_trash"] <= 24 * 60 * 60
    beat = celery_app.conf.beat_schedule["articles.purge_trash"]
    assert beat["task"] == "articles.purge_trash"
    assert "articles.purge_trash" in celery_app.tasks
    story = story_in(Status.DRAFT)
    workflow.spike(story, actor=reporter)

    clock.move_to(MONDAY_9AM + timedelta(days=30, minutes=1))
    assert tasks.purge_trash() == 1
    assert tasks.purge_trash() == 0


# --- every list -------------------------------------------------------------------------------


def test_a_spiked_story_leaves_every_list(clock, client, story_in, reporter, editor):
    submitted = story_in(Status.SUBMITTED)
    scheduled = story_in(Status.SCHEDULED)
    draft = story_in(Status.DRAFT)
    link = workflow.create_preview_link(draft, actor=editor, hours=24)
    headline = draft.headline
    for story in (submitted, scheduled, draft):
        workflow.spike(story, actor=editor)

    client.force_login(reporter)
    dashboard = parse(client.get(reverse("story_desk:dashboard")))
    assert dashboard.select("a", cls="desk-headline") == []
    client.force_login(editor)
    for name in ("story_desk:queue", "story_desk:schedule"):
        assert headline not in client.get(reverse(name)).content.decode()
    for name in ("articles:home", "syndication:feed", "syndication:news-sitemap"):
        assert f"/articles/{draft.pk}/" not in client.get(reverse(name)).content.decode()
    changelist = reverse("admin:articles_article_changelist")
    assert headline not in client.get(changelist).content.decode()
    assert headline in client.get(changelist, {"trash": "only"}).content.decode()
    # Its preview links stop working while it is in the trash.
    client.logout()
    assert client.get(preview_links.path_for(link)).status_code == 404


# --- the desk ---------------------------------------------------------------------------------


def test_a_reporter_spikes_finds_it_in_the_trash_and_restores_it(clock, client, story_in, reporter):
    story = story_in(Status.SUBMITTED)
    client.force_login(reporter)
    spike_url = reverse("story_desk:spike", args=[story.pk])

    editor_page = client.get(reverse("story_desk:edit", args=[story.pk])).content.decode()
    assert spike_url in editor_page
    confirm = client.get(spike_url)
    assert confirm.status_code == 200
    assert "작성 중으로 돌아갑니다" in confirm.content.decode()
    done = client.post(spike_url, {"note": "중복 기사"})
    assert done.status_code == 302
    assert done.url == TRASH
    assert fresh(story).status == Status.SPIKED

    trash = parse(client.get(TRASH))
    assert [a.text.strip() for a in trash.select("a", cls="desk-headline")] == [story.headline]
    assert "2025-04-02 영구 삭제 예정" in trash.text

    restored = client.post(reverse("story_desk:restore", args=[story.pk]))
    assert restored.status_code == 302
    assert restored.url == reverse("story_desk:edit", args=[story.pk])
    assert fresh(story).status == Status.DRAFT
    assert actions_of(story)[-3:] == ["withdraw", "spike", "restore"]
    assert parse(client.get(TRASH)).select("a", cls="desk-headline") == []


def test_the_spike_page_explains_a_refusal_for_a_published_story(clock, client, story_in, editor):
    story = story_in(Status.PUBLISHED)
    client.force_login(editor)
    spike_url = reverse("story_desk:spike", args=[story.pk])

    assert "내리기만" in client.get(spike_url).content.decode()
    refused = client.post(spike_url)
    assert refused.status_code == 400
    assert fresh(story).status == Status.PUBLISHED


def test_editors_see_everyones_trash_and_reporters_their_own(
    clock, client, story_in, reporter, other_reporter, editor, desk
):
    mine = story_in(Status.DRAFT)
    theirs = desk.story("다른 기자의 기사", state=Status.DRAFT, author=other_reporter)
    workflow.spike(mine, actor=reporter)
    workflow.spike(theirs, actor=other_reporter)

    def headlines(user):
        client.force_login(user)
        page = parse(client.get(TRASH))
        return sorted(a.text.strip() for a in page.select("a", cls="desk-headline"))

    assert headlines(editor) == sorted([mine.headline, theirs.headline])
    assert headlines(reporter) == [mine.headline]
    assert headlines(other_reporter) == [theirs.headline]
    # Nor can another reporter restore what is not theirs: it is missing for them.
    assert client.post(reverse("story_desk:restore", args=[mine.pk])).status_code == 404


@pytest.mark.parametrize("count", [1, 20])
def test_the_trash_page_runs_the_same_number_of_queries_however_full(
    clock, client, story_in, reporter, editor, django_assert_num_queries, count
):
    for _ in range(count):
        workflow.spike(story_in(Status.DRAFT), actor=reporter)

    for user in (editor, reporter):
        client.force_login(user)
        with django_assert_num_queries(TRASH_QUERIES):
            response = client.get(TRASH)
        assert response.status_code == 200
        assert len(parse(response).select("a", cls="desk-headline")) == count


def test_a_spiked_storys_editor_page_offers_only_the_restore(clock, client, story_in, reporter):
    story = story_in(Status.DRAFT)
    workflow.spike(story, actor=reporter)
    client.force_login(reporter)

    page = parse(client.get(reverse("story_desk:edit", args=[story.pk])))

    assert "휴지통에 있는 기사입니다" in page.text
    assert page.select("button", name="action") == []
    assert page.select("form", action=reverse("story_desk:restore", args=[story.pk]))
    assert page.select("button", name="action", value="save") == []


# The spike page for its reporter: session, user, roles and the story.
SPIKE_PAGE_QUERIES = 5


def test_the_spike_page_runs_a_fixed_number_of_queries(
    clock, client, story_in, reporter, django_assert_num_queries
):
    story = story_in(Status.SUBMITTED)
    client.force_login(reporter)

    with django_assert_num_queries(SPIKE_PAGE_QUERIES):
        response = client.get(reverse("story_desk:spike", args=[story.pk]))

    assert response.status_code == 200
    assert fresh(story).status == Status.SUBMITTED  # a GET changes nothing
