"""A story's kept comment counts (comments.totals): every change of a comment's visibility
keeps them equal to the comments counted from scratch, and the block and the lists read
them."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from comments import moderation, selectors, totals
from comments.models import Comment, StoryComments
from tests.comments.conftest import with_nickname
from tests.factories import CommentFactory, UserFactory
from tests.pages import parse

pytestmark = pytest.mark.postgres
Status = Comment.Status


@pytest.fixture
def readers(db, settings):
    settings.COMMENTS_MIN_GAP_SECONDS = 0
    return [with_nickname(UserFactory(email=f"count{n}@example.com"), f"셈{n}") for n in range(6)]


def kept(story) -> tuple[int, int]:
    row = StoryComments.objects.filter(story=story).first()
    return (row.visible, row.threads) if row else (0, 0)


def counted(story) -> tuple[int, int]:
    found = Comment.objects.filter(story=story).aggregate(**totals._counts(Comment))
    return found["visible"], found["threads"]


def test_the_counts_follow_every_change_a_reader_or_moderator_makes(
    story, readers, moderator, settings
):
    settings.COMMENTS_REPORTS_TO_HIDE = 2
    first = moderation.post_comment(story, author=readers[0], body="첫 댓글")
    reply = moderation.post_comment(story, author=readers[1], body="답글", parent=first)
    second = moderation.post_comment(story, author=readers[2], body="둘째 댓글")
    assert kept(story) == (3, 2)

    moderation.delete_own(first, actor=readers[0])  # stays listed above its shown reply
    assert kept(story) == counted(story) == (2, 2)
    moderation.reject(reply, actor=moderator, reason="attack")  # then nothing holds it
    assert kept(story) == counted(story) == (1, 1)
    for reporter in readers[3:5]:
        moderation.report(second, reporter=reporter, reason="spam")  # hidden by reports
    assert kept(story) == counted(story) == (0, 0)
    moderation.approve(second, actor=moderator)
    assert kept(story) == (1, 1)
    moderation.blind(second, actor=moderator, claimant="김", claim="명예훼손")
    assert kept(story) == (0, 0)
    moderation.lift_blind(second, actor=moderator)
    moderation.approve(second, actor=moderator)
    moderation.approve(reply, actor=moderator)
    assert kept(story) == counted(story) == (2, 2)
    moderation.suspend(readers[1], actor=moderator, days=1, reason="attack", reject_all=True)
    assert kept(story) == counted(story) == (1, 1)


def test_the_block_counts_the_viewers_own_held_thread_for_them_alone(story, readers, desk):
    story.comment_mode = "premoderated"
    story.save(update_fields=["comment_mode"])
    moderation.post_comment(story, author=readers[0], body="검토 기다리는 댓글")

    assert kept(story) == (0, 0)
    mine = selectors.block(story.pk, viewer=readers[0])
    assert (mine.count, len(mine.threads), mine.pages) == (0, 1, 1)
    theirs = selectors.block(story.pk, viewer=readers[1])
    assert (theirs.count, theirs.threads) == (0, [])


def test_a_page_past_the_end_shows_the_last_page_from_the_kept_counts(story, readers):
    for reader in readers:
        moderation.post_comment(story, author=reader, body=f"{reader.nickname}의 의견")

    found = selectors.block(story.pk, page=9)
    assert (found.page, found.pages, found.count) == (1, 1, 6)
    assert len(found.threads) == 6


def test_counting_every_story_again_gives_what_moderation_kept(story, readers, desk, moderator):
    other = desk.story("다른 기사")
    kept_comment = moderation.post_comment(story, author=readers[0], body="남는 댓글")
    moderation.post_comment(story, author=readers[1], body="답", parent=kept_comment)
    moderation.reject(
        moderation.post_comment(other, author=readers[2], body="지울 댓글"),
        actor=moderator,
        reason="spam",
    )
    before = {row.story_id: (row.visible, row.threads) for row in StoryComments.objects.all()}

    assert totals.recount_all() == 2
    assert {row.story_id: (row.visible, row.threads) for row in StoryComments.objects.all()} == (
        before
    )
    assert before == {story.pk: (2, 1), other.pk: (0, 0)}
    assert selectors.visible_counts([story.pk, other.pk]) == {story.pk: 2}


@pytest.mark.django_db(transaction=True)
def test_two_moderators_rejecting_on_one_story_at_once_wait_for_each_other(
    story, readers, moderator
):
    """Each bulk decision takes the story's counts before the comments, in one order: two
    at once on overlapping comments take turns (no deadlock) and the counts end right. On
    PostgreSQL (CI): SQLite refuses the second writer instead of making it wait."""
    if connection.vendor != "postgresql":
        pytest.skip("needs a database where the second writer waits: run by .ci/run")
    comments = [
        moderation.post_comment(story, author=reader, body=f"{reader.nickname} 댓글")
        for reader in readers
    ]
    start = threading.Barrier(2)
    failures = []

    def decide(picked):
        try:
            start.wait(timeout=10)
            moderation.reject_many(picked, actor=moderator, reason="spam")
        except Exception as error:  # reported by the assert below
            failures.append(error)
        finally:
            connection.close()

    halves = [comments[:4], comments[2:][::-1]]
    threads = [threading.Thread(target=decide, args=(half,)) for half in halves]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert failures == []
    assert Comment.objects.filter(status=Status.REJECTED).count() == 6
    assert kept(story) == counted(story) == (0, 0)


def test_every_page_of_both_orders_holds_its_threads_whichever_end_it_is_read_from(story):
    start = timezone.now() - timedelta(days=1)
    made = [
        CommentFactory(
            story=story, like_count=number % 7, created_at=start + timedelta(minutes=number)
        )
        for number in range(47)
    ]
    for sort, key in selectors.SORT_KEYS.items():
        expected = [comment.pk for comment in sorted(made, key=key, reverse=True)]
        shown = [
            [thread.pk for thread in selectors.block(story.pk, sort=sort, page=page).threads]
            for page in (1, 2, 3)
        ]
        assert shown == [expected[:20], expected[20:40], expected[40:]], sort


def test_the_block_shows_the_kept_count_with_its_thousands_grouped(client, story, readers):
    moderation.post_comment(story, author=readers[0], body="하나뿐인 댓글")
    StoryComments.objects.filter(story=story).update(visible=17220)

    block = parse(client.get(story.get_absolute_url())).one("section", id="comments")

    assert block.one("h2").text == "댓글 (17,220)"
