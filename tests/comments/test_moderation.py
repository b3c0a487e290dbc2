"""comments.moderation: posting under each comment mode, replies, votes, reports and
deleting one's own comment; who may, and the one history row each change writes."""

import threading
from datetime import timedelta

import pytest
from django.db import connection

from accounts.errors import NotAllowed
from articles.models import CommentMode
from comments import errors, moderation, throttles
from comments.models import Comment, CommentReport, CommentVote, ModerationAction
from tests.comments.conftest import with_nickname
from tests.factories import SectionFactory

pytestmark = pytest.mark.postgres

Status = Comment.Status


def actions_of(comment: Comment) -> list[str]:
    return list(
        ModerationAction.objects.filter(comment=comment)
        .order_by("created_at", "pk")
        .values_list("action", flat=True)
    )


# --- posting -------------------------------------------------------------------------------


def test_a_verified_reader_comments_under_their_nickname_and_it_is_published_at_once(reader, story):
    comment = moderation.post_comment(
        story,
        author=reader,
        body="  수출이 늘었다니 다행이네요.\r\n투자도 이어지길.  ",
        ip="10.0.0.1",
    )

    comment.refresh_from_db()
    assert comment.status == Status.PUBLISHED
    assert comment.body == "수출이 늘었다니 다행이네요.\n투자도 이어지길."
    # Only a keyed hash of the address is kept.
    assert comment.ip_hash == throttles.ip_hash("10.0.0.1")
    assert "10.0.0.1" not in comment.ip_hash
    history = ModerationAction.objects.get(comment=comment)
    assert (history.action, history.from_status, history.to_status) == ("posted", "", "published")
    assert history.actor_name == "솔빛독자"
    assert "reader@example.com" not in history.actor_name


def test_a_comment_on_a_premoderated_story_is_held_for_review(reader, desk):
    story = desk.story("반도체 보조금 논란", comment_mode=CommentMode.PREMODERATED)

    comment = moderation.post_comment(story, author=reader, body="검토 후 게시되겠죠.")

    assert comment.status == Status.PENDING
    assert actions_of(comment) == ["posted"]


def test_a_story_inherits_its_sections_premoderation(reader, desk):
    held = SectionFactory(comment_mode=CommentMode.PREMODERATED)
    story = desk.story("예민한 기사", section=held)

    assert moderation.post_comment(story, author=reader, body="의견").status == Status.PENDING


@pytest.mark.parametrize("where", ["story", "section"])
def test_nobody_can_comment_on_a_closed_story(reader, desk, where):
    if where == "story":
        story = desk.story("닫힌 기사", comment_mode=CommentMode.CLOSED)
    else:
        story = desk.story("닫힌 섹션", section=SectionFactory(comment_mode=CommentMode.CLOSED))

    with pytest.raises(errors.CommentsClosed):
        moderation.post_comment(story, author=reader, body="닫혔나요?")
    assert not Comment.objects.exists()
    assert not ModerationAction.objects.exists()


def test_comments_close_by_themselves_the_sections_number_of_days_after_publication(
    reader, desk, clock
):
    story = desk.story("닫힐 기사", section=SectionFactory(comments_close_after_days=3))

    clock.shift(timedelta(days=3) - timedelta(seconds=1))
    moderation.post_comment(story, author=reader, body="마감 직전 댓글")
    clock.shift(timedelta(seconds=1))
    window = moderation.comment_window(story)
    assert (window.is_open, window.expired) == (False, True)
    with pytest.raises(errors.CommentsClosed):
        moderation.post_comment(story, author=reader, body="마감 뒤 댓글")
    assert Comment.objects.count() == 1


def test_an_unpublished_story_takes_no_comment(reader, desk):
    story = desk.story("내려간 기사", state="unpublished")

    with pytest.raises(errors.CommentsClosed):
        moderation.post_comment(story, author=reader, body="어디 갔죠?")


@pytest.mark.parametrize(
    "body",
    [
        "",
        "   ",
        "\r\n\r\n",
        "\x00\x07\t",
        "\u200b\u200c\u200d\u2060\ufeff",  # zero-width spaces, joiners, the byte-order mark
        "\u202e\u2066\u200f",  # bidi controls and a right-to-left mark
        "\u3164\u115f\u1160\uffa0",  # the Hangul fillers
        "\u3000 \u200b\u3164",  # an ideographic space among them
    ],
)
def test_a_blank_comment_is_refused_and_nothing_is_saved(reader, story, body):
    with pytest.raises(errors.BlankComment):
        moderation.post_comment(story, author=reader, body=body)
    assert not Comment.objects.exists()


def test_bidi_controls_are_removed_from_the_kept_text_and_joiners_stay(reader, story):
    comment = moderation.post_comment(
        story, author=reader, body="\u202e좋은 기사\u202c 👨\u200d👩\u200d👧"
    )

    assert comment.body == "좋은 기사 👨\u200d👩\u200d👧"


def test_a_comment_over_400_bytes_is_refused_with_its_size(reader, story):
    with pytest.raises(errors.CommentTooLong) as refused:
        moderation.post_comment(story, author=reader, body="가" * 200 + "!")

    assert refused.value.size == 401
    assert "401" in refused.value.messages[0]
    assert not Comment.objects.exists()


def test_exactly_200_hangul_or_400_latin_letters_are_accepted(reader, other_reader, story):
    moderation.post_comment(story, author=reader, body="가" * 200)
    moderation.post_comment(story, author=other_reader, body="a" * 400)

    assert Comment.objects.count() == 2


def test_the_limit_counts_a_crlf_as_one_byte(reader, story):
    body = "가" * 199 + "\r\n" + "a"  # 398 + 1 + 1

    assert moderation.post_comment(story, author=reader, body=body).body.endswith("\na")


def test_the_same_comment_posted_twice_in_a_row_is_saved_once(reader, story):
    first = moderation.post_comment(story, author=reader, body="두 번 눌렀어요")
    second = moderation.post_comment(story, author=reader, body="두 번 눌렀어요\r\n")

    assert second.pk == first.pk
    assert Comment.objects.count() == 1
    assert actions_of(first) == ["posted"]


def test_the_same_words_later_are_a_new_comment(reader, story, clock):
    moderation.post_comment(story, author=reader, body="동의합니다")
    clock.shift(moderation.DOUBLE_SUBMIT_WINDOW + timedelta(seconds=1))
    moderation.post_comment(story, author=reader, body="동의합니다")

    assert Comment.objects.count() == 2


def test_a_reader_without_a_verified_e_mail_cannot_comment(unverified_reader, story):
    with pytest.raises(NotAllowed, match=r"이메일|e-mail"):
        moderation.post_comment(story, author=unverified_reader, body="인증 전 댓글")
    assert not Comment.objects.exists()


def test_a_switched_off_account_cannot_comment(reader, story):
    reader.is_active = False
    reader.save(update_fields=["is_active"])

    with pytest.raises(NotAllowed):
        moderation.post_comment(story, author=reader, body="정지된 계정")


def test_an_account_without_a_nickname_cannot_comment(superuser, story):
    # Comments go out under a nickname, never the e-mail address.
    with pytest.raises(NotAllowed):
        moderation.post_comment(story, author=superuser, body="닉네임이 없어요")


def test_staff_comment_like_any_reader_with_a_nickname(moderator, story):
    with_nickname(moderator, "독자소통팀")

    assert moderation.post_comment(story, author=moderator, body="안내드립니다").status == (
        Status.PUBLISHED
    )


# --- replies -------------------------------------------------------------------------------


def test_a_reply_goes_under_a_top_level_comment(reader, other_reader, post):
    parent = post(reader, "설비 투자 규모가 궁금하네요.")

    reply = post(other_reader, "기사 셋째 문단에 나옵니다.", parent=parent)

    assert reply.parent == parent
    assert list(parent.replies.all()) == [reply]
    assert actions_of(reply) == ["posted"]


def test_replies_are_one_level_deep(reader, other_reader, post):
    parent = post(reader)
    reply = post(other_reader, "답글", parent=parent)

    with pytest.raises(errors.CannotReply):
        post(reader, "답글의 답글", parent=reply)
    assert Comment.objects.count() == 2


def test_nobody_replies_to_a_held_or_deleted_comment_or_across_stories(
    reader, other_reader, desk, post
):
    held_story = desk.story("검토 기사", comment_mode=CommentMode.PREMODERATED)
    held = post(reader, "보류될 댓글", on=held_story)
    deleted = post(reader, "지울 댓글")
    moderation.delete_own(deleted, actor=reader)
    elsewhere = post(reader, "다른 기사 댓글", on=desk.story("다른 기사"))

    for parent in (held, deleted, elsewhere):
        with pytest.raises(errors.CannotReply):
            post(other_reader, "답글", parent=parent)


# --- votes ---------------------------------------------------------------------------------


def test_a_like_counts_once_per_reader(reader, other_reader, post):
    comment = post(reader)

    moderation.vote(comment, voter=other_reader, value="like")
    moderation.vote(comment, voter=other_reader, value="like")

    comment.refresh_from_db()
    assert (comment.like_count, comment.dislike_count) == (1, 0)
    assert CommentVote.objects.get().value == "like"
    assert actions_of(comment) == ["posted", "voted"]


def test_a_reader_changes_a_like_into_a_dislike_and_takes_it_back(reader, other_reader, post):
    comment = post(reader)

    moderation.vote(comment, voter=other_reader, value="like")
    moderation.vote(comment, voter=other_reader, value="dislike")
    comment.refresh_from_db()
    assert (comment.like_count, comment.dislike_count) == (0, 1)
    moderation.vote(comment, voter=other_reader, value="")
    comment.refresh_from_db()
    assert (comment.like_count, comment.dislike_count) == (0, 0)
    assert not CommentVote.objects.exists()
    assert actions_of(comment) == ["posted", "voted", "vote_changed", "vote_withdrawn"]


def test_nobody_votes_on_their_own_comment(reader, post):
    comment = post(reader)

    with pytest.raises(errors.OwnComment):
        moderation.vote(comment, voter=reader, value="like")


def test_nobody_votes_on_a_held_or_deleted_comment(reader, other_reader, desk, post):
    held = post(reader, on=desk.story("검토", comment_mode=CommentMode.PREMODERATED))
    deleted = post(reader, "지울 글")
    moderation.delete_own(deleted, actor=reader)

    for comment in (held, deleted):
        with pytest.raises(errors.NotVisible):
            moderation.vote(comment, voter=other_reader, value="like")


def test_an_unverified_reader_cannot_vote(reader, unverified_reader, post):
    with pytest.raises(NotAllowed):
        moderation.vote(post(reader), voter=unverified_reader, value="like")


# --- reports -------------------------------------------------------------------------------


def test_a_reader_reports_a_published_comment_once_with_a_reason(reader, other_reader, post):
    comment = post(reader, "욕설이 섞인 댓글이라고 칩시다")

    filed = moderation.report(
        comment, reporter=other_reader, reason="profanity", note="  심한   표현 "
    )

    assert (filed.reason, filed.note) == ("profanity", "심한 표현")
    comment.refresh_from_db()
    assert comment.report_count == 1
    assert comment.status == Status.PUBLISHED  # a moderator decides, later
    assert actions_of(comment) == ["posted", "reported"]
    with pytest.raises(errors.AlreadyReported):
        moderation.report(comment, reporter=other_reader, reason="spam")
    assert CommentReport.objects.count() == 1


@pytest.mark.parametrize("reason", [choice for choice, _label in CommentReport.Reason.choices])
def test_every_reason_can_be_given(reader, other_reader, post, reason):
    moderation.report(post(reader), reporter=other_reader, reason=reason)

    assert CommentReport.objects.get().reason == reason


def test_nobody_reports_their_own_comment(reader, post):
    with pytest.raises(errors.OwnComment):
        moderation.report(post(reader), reporter=reader, reason="spam")


# --- deleting ------------------------------------------------------------------------------


def test_the_author_deletes_their_comment(reader, post):
    comment = post(reader)

    moderation.delete_own(comment, actor=reader)
    moderation.delete_own(comment, actor=reader)  # a second click changes nothing

    comment.refresh_from_db()
    assert comment.status == Status.DELETED
    assert actions_of(comment) == ["posted", "deleted"]


def test_the_author_deletes_a_held_comment(reader, desk, post):
    held = post(reader, on=desk.story("검토", comment_mode=CommentMode.PREMODERATED))

    assert moderation.delete_own(held, actor=reader).status == Status.DELETED


@pytest.mark.parametrize("who", ["other_reader", "moderator", "editor", "superuser"])
def test_only_the_author_deletes_a_comment(reader, post, request, who):
    comment = post(reader)

    with pytest.raises(NotAllowed):
        moderation.delete_own(comment, actor=request.getfixturevalue(who))
    comment.refresh_from_db()
    assert comment.status == Status.PUBLISHED
    assert actions_of(comment) == ["posted"]


def test_a_deleted_account_leaves_its_comments_and_votes(reader, other_reader, post):
    comment = post(reader)
    moderation.vote(comment, voter=other_reader, value="like")
    other_reader.delete()
    reader.delete()

    comment.refresh_from_db()
    assert comment.author is None
    assert comment.like_count == CommentVote.objects.filter(comment=comment).count() == 1
    assert ModerationAction.objects.filter(comment=comment, actor_name="솔빛독자").exists()


def test_a_refusal_leaves_no_history(reader, story):
    with pytest.raises(errors.CommentTooLong):
        moderation.post_comment(story, author=reader, body="a" * 401)

    assert not ModerationAction.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_posts_of_the_same_comment_save_one(reader, story):
    """A double click whose two requests run at once: the lock on the story makes the
    second wait for the first, then find its comment. Run on PostgreSQL (CI): SQLite's
    in-memory test database refuses a second writer outright instead of making it wait."""
    if connection.vendor != "postgresql":
        pytest.skip("needs a database where the second writer waits: run by .ci/run")
    start = threading.Barrier(2)
    results, failures = [], []

    def click():
        try:
            start.wait(timeout=10)
            results.append(moderation.post_comment(story, author=reader, body="동시에 두 번"))
        except Exception as error:  # reported by the assert below
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=click) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert failures == []
    assert len({comment.pk for comment in results}) == 1
    assert Comment.objects.count() == 1
    assert ModerationAction.objects.count() == 1
