"""comments.moderation, the moderators' side and the rules behind posting: banned and
suspect words, links, throttles (with their messages, on a frozen clock), trust, reports
that hide, approve and reject (one and many), 임시조치 and its expiry, suspensions and bans,
notes, the word list, section-limited moderators, and the log every action writes."""

from datetime import timedelta

import pytest
from django.core.management import call_command

from accounts.errors import NotAllowed
from articles.models import CommentMode
from comments import errors, moderation, permissions
from comments.models import (
    Blind,
    Comment,
    ModerationAction,
    ModeratorScope,
    ReaderStanding,
    RefusedComment,
    WordRule,
)
from newsroom.models import OutboxMessage
from tests.comments.conftest import with_nickname
from tests.factories import SectionFactory, UserFactory

pytestmark = pytest.mark.postgres

Status = Comment.Status


def log_of(**filters) -> list[tuple]:
    return list(
        ModerationAction.objects.filter(**filters)
        .order_by("created_at", "pk")
        .values_list("action", "actor_name")
    )


@pytest.fixture
def readers(db):
    """Ten more verified readers with nicknames: reporters of a comment, voters."""
    return [
        with_nickname(UserFactory(email=f"crowd{n}@example.com"), f"독자군중{n}") for n in range(10)
    ]


# --- words and links -------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["씨발 진짜", "ㅅㅂ 이게 뭐냐", "tlqkf", "씨 1 발"])
def test_a_banned_word_is_refused_naming_what_matched_and_only_the_attempt_is_kept(
    reader, post, text
):
    with pytest.raises(errors.BannedWord) as refused:
        post(reader, text)

    assert refused.value.word in {"씨발", "시발"}
    assert f"“{refused.value.text}”" in refused.value.messages[0]
    assert not Comment.objects.exists()
    assert not ModerationAction.objects.exists()
    assert RefusedComment.objects.get().body == text


def test_the_starter_exception_lets_an_innocent_word_through(reader, post):
    assert post(reader, "시발점부터 다시 생각해 봐야 합니다").status == Status.PUBLISHED


def test_a_suspect_word_holds_the_comment_and_the_history_names_the_rule(reader, post):
    comment = post(reader, "이런 미친놈 같은 정책이라니")

    assert (comment.status, comment.hold_reason) == (Status.PENDING, "suspect_word")
    action = ModerationAction.objects.get(comment=comment)
    assert (action.action, action.to_status, action.data["rule"]) == ("posted", "pending", "미친놈")


@pytest.mark.parametrize("text", ["자세한 건 hxxp://example.com 참고", "example．com 에 있어요"])
def test_a_link_holds_the_comment(reader, post, text):
    comment = post(reader, text)

    assert (comment.status, comment.hold_reason) == (Status.PENDING, "link")


def test_a_word_added_by_a_moderator_applies_at_once_and_is_logged(moderator, reader, post):
    moderation.add_word_rule("쓰레기언론", actor=moderator, kind="banned")

    with pytest.raises(errors.BannedWord):
        post(reader, "쓰 레 기 언 론 이네")
    assert log_of(action="word_added") == [("word_added", "윤서연")]
    rule = WordRule.objects.get(word="쓰레기언론")
    moderation.remove_word_rule(rule, actor=moderator)
    assert post(reader, "쓰레기언론").status == Status.PUBLISHED
    assert ModerationAction.objects.filter(action="word_removed").count() == 1


def test_the_same_word_twice_on_one_list_is_refused(moderator):
    with pytest.raises(errors.NotModeratable):
        moderation.add_word_rule("씨발", actor=moderator, kind="banned")


@pytest.mark.parametrize("who", ["reader", "reporter", "editor"])
def test_only_moderators_edit_the_word_list(request, who):
    with pytest.raises(NotAllowed):
        moderation.add_word_rule("새금칙어", actor=request.getfixturevalue(who), kind="banned")


# --- throttles -------------------------------------------------------------------------------


def test_a_reader_waits_the_minimum_gap_between_comments_and_is_told_until_when(
    reader, post, clock, comment_limits
):
    comment_limits.COMMENTS_MIN_GAP_SECONDS = 15
    comment_limits.COMMENTS_TRUSTED_AFTER = 0
    post(reader, "첫 댓글")
    clock.shift(timedelta(seconds=5))

    with pytest.raises(errors.Throttled) as refused:
        post(reader, "둘째 댓글")

    message = refused.value.messages[0]
    assert "10초" in message
    assert "09:00:15" in message
    clock.shift(timedelta(seconds=10))
    assert post(reader, "둘째 댓글").status == Status.PUBLISHED


def test_a_reader_writes_at_most_n_comments_per_story_per_day(
    reader, post, story, desk, clock, comment_limits
):
    comment_limits.COMMENTS_PER_STORY_PER_DAY = 3
    comment_limits.COMMENTS_MIN_GAP_SECONDS = 0
    comment_limits.COMMENTS_TRUSTED_AFTER = 0
    for number in range(3):
        post(reader, f"댓글 {number}")

    with pytest.raises(errors.Throttled) as refused:
        post(reader, "넷째 댓글")
    assert "3" in refused.value.messages[0]
    assert "2025-03-04 00:00" in refused.value.messages[0]
    # Other stories are not limited by this one; tomorrow this one opens again.
    assert post(reader, "다른 기사", on=desk.story("다른 기사")).status == Status.PUBLISHED
    clock.shift(timedelta(hours=15))
    assert post(reader, "다음 날").status == Status.PUBLISHED


def test_the_defaults_are_generous_enough_for_shared_addresses():
    import newsroom.settings as site

    assert 0 < site.COMMENTS_MIN_GAP_SECONDS <= 60
    assert site.COMMENTS_PER_IP_PER_HOUR >= 30
    assert site.COMMENTS_PER_STORY_PER_DAY > 0
    assert site.COMMENTS_VOTES_PER_DAY > 0
    assert site.COMMENTS_REPORTS_PER_DAY > 0


def test_an_address_sends_at_most_n_comments_an_hour(story, readers, clock, comment_limits):
    comment_limits.COMMENTS_PER_IP_PER_HOUR = 30
    comment_limits.COMMENTS_TRUSTED_AFTER = 0
    office = "203.0.113.7"
    for number in range(30):
        author = readers[number % len(readers)]
        moderation.post_comment(story, author=author, body=f"사무실 {number}", ip=office)
        clock.shift(timedelta(seconds=61))

    with pytest.raises(errors.Throttled) as refused:
        moderation.post_comment(story, author=readers[0], body="한 번 더", ip=office)
    assert "네트워크" in refused.value.messages[0]
    # Another address is not affected.
    moderation.post_comment(story, author=readers[1], body="집에서", ip="198.51.100.2")


def test_the_same_text_twice_is_refused_but_a_repeated_click_returns_the_first(
    reader, post, desk, clock, comment_limits
):
    comment_limits.COMMENTS_MIN_GAP_SECONDS = 0
    first = post(reader, "복사한 글")
    assert post(reader, "복사한 글") == first
    clock.shift(timedelta(minutes=5))

    with pytest.raises(errors.DuplicateComment):
        post(reader, "복사한 글", on=desk.story("다른 기사"))
    clock.shift(timedelta(hours=25))
    assert post(reader, "복사한 글") != first


def test_likes_are_capped_per_day(reader, readers, story, clock, comment_limits):
    comment_limits.COMMENTS_VOTES_PER_DAY = 2
    comment_limits.COMMENTS_TRUSTED_AFTER = 0
    comments = [
        moderation.post_comment(story, author=author, body=f"댓글 {n}")
        for n, author in enumerate(readers[:3])
    ]
    moderation.vote(comments[0], voter=reader, value="like")
    moderation.vote(comments[1], voter=reader, value="dislike")

    with pytest.raises(errors.Throttled) as refused:
        moderation.vote(comments[2], voter=reader, value="like")
    assert "2" in refused.value.messages[0]
    # Taking a vote back is never limited.
    moderation.vote(comments[0], voter=reader, value="")
    clock.shift(timedelta(days=1))
    moderation.vote(comments[2], voter=reader, value="like")


def test_reports_are_capped_per_day(reader, readers, story, clock, comment_limits):
    comment_limits.COMMENTS_REPORTS_PER_DAY = 1
    comment_limits.COMMENTS_TRUSTED_AFTER = 0
    first, second = (
        moderation.post_comment(story, author=author, body=f"댓글 {n}")
        for n, author in enumerate(readers[:2])
    )
    moderation.report(first, reporter=reader, reason="spam")

    with pytest.raises(errors.Throttled) as refused:
        moderation.report(second, reporter=reader, reason="spam")
    assert "신고" in refused.value.messages[0]


def test_reports_from_one_address_are_capped_per_hour_whoever_files_them(
    reader, readers, story, clock, comment_limits
):
    comment_limits.COMMENTS_REPORTS_PER_IP_PER_HOUR = 2
    comment_limits.COMMENTS_TRUSTED_AFTER = 0
    comment = moderation.post_comment(story, author=reader, body="신고받을 댓글")
    for accomplice in readers[:2]:
        moderation.report(comment, reporter=accomplice, reason="spam", ip="203.0.113.5")

    with pytest.raises(errors.Throttled) as refused:
        moderation.report(comment, reporter=readers[2], reason="spam", ip="203.0.113.5")
    assert "같은 네트워크에서 너무 많은 신고" in refused.value.messages[0]
    assert "10:00:00부터" in refused.value.messages[0]
    moderation.report(comment, reporter=readers[3], reason="spam", ip="192.0.2.8")
    clock.shift(timedelta(hours=1))
    moderation.report(comment, reporter=readers[2], reason="spam", ip="203.0.113.5")


# --- trust -----------------------------------------------------------------------------------


def test_a_new_readers_first_comments_wait_until_n_are_approved(
    reader, moderator, post, comment_limits
):
    comment_limits.COMMENTS_TRUSTED_AFTER = 2
    comment_limits.COMMENTS_MIN_GAP_SECONDS = 0
    first = post(reader, "첫 댓글")
    second = post(reader, "둘째 댓글")
    assert [first.hold_reason, second.hold_reason] == ["new_reader", "new_reader"]

    moderation.approve(first, actor=moderator)
    assert post(reader, "셋째 댓글").status == Status.PENDING
    moderation.approve(second, actor=moderator)

    assert post(reader, "넷째 댓글").status == Status.PUBLISHED
    assert ReaderStanding.objects.get(user=reader).approved_count == 2


def test_a_reader_whose_recent_comments_are_mostly_rejected_is_held_again(
    reader, moderator, post, comment_limits
):
    comment_limits.COMMENTS_TRUSTED_AFTER = 0
    comment_limits.COMMENTS_MIN_GAP_SECONDS = 0
    comment_limits.COMMENTS_TRUST_RECENT = 4
    comments = [post(reader, f"댓글 {n}") for n in range(4)]
    for comment in comments[:3]:
        moderation.reject(comment, actor=moderator, reason="attack")

    held = post(reader, "또 쓴 댓글")
    assert (held.status, held.hold_reason) == (Status.PENDING, "mostly_rejected")
    # Approvals bring the share back down.
    moderation.approve(held, actor=moderator)
    moderation.approve(Comment.objects.get(pk=comments[0].pk), actor=moderator)
    assert post(reader, "이제는 괜찮은 댓글").status == Status.PUBLISHED


def test_k_reports_from_different_readers_hide_a_comment_for_review(
    reader, readers, post, comment_limits
):
    comment_limits.COMMENTS_TRUSTED_AFTER = 0
    comment_limits.COMMENTS_REPORTS_TO_HIDE = 3
    comment = post(reader, "논란의 댓글")
    for reporter in readers[:2]:
        moderation.report(comment, reporter=reporter, reason="defamation")
    comment.refresh_from_db()
    assert comment.status == Status.PUBLISHED

    moderation.report(comment, reporter=readers[2], reason="attack")

    comment.refresh_from_db()
    assert (comment.status, comment.hold_reason, comment.open_reports) == (
        Status.PENDING,
        "reports",
        3,
    )
    assert log_of(comment=comment)[-1] == ("hidden_by_reports", "system")
    # The same reader cannot report twice to reach the number.
    with pytest.raises(errors.NotVisible):
        moderation.report(comment, reporter=readers[0], reason="attack")


# --- approve and reject ----------------------------------------------------------------------


def test_approving_a_held_comment_publishes_it_with_one_history_row(moderator, reader, desk):
    story = desk.story("검토 기사", comment_mode=CommentMode.PREMODERATED)
    comment = moderation.post_comment(story, author=reader, body="검토 부탁드립니다")

    moderation.approve(comment, actor=moderator, note="문제없음")

    comment.refresh_from_db()
    assert (comment.status, comment.hold_reason) == (Status.PUBLISHED, "")
    row = ModerationAction.objects.get(comment=comment, action="approved")
    assert (row.from_status, row.to_status, row.note, row.reader) == (
        "pending",
        "published",
        "문제없음",
        reader,
    )


def test_rejecting_tells_the_author_by_e_mail_after_commit(
    moderator, reader, post, mailoutbox, django_capture_on_commit_callbacks
):
    comment = post(reader, "거친 말이 섞인 댓글")

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        moderation.reject(comment, actor=moderator, reason="profanity", note="표현을 다듬어 주세요")
        assert OutboxMessage.objects.filter(task_name="comments.notify_rejected").count() == 1
        assert mailoutbox == []
    for callback in callbacks:
        callback()

    comment.refresh_from_db()
    assert (comment.status, comment.rejection_reason) == (Status.REJECTED, "profanity")
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["reader@example.com"]
    assert "욕설" in mail.body
    assert "표현을 다듬어 주세요" in mail.body
    assert ReaderStanding.objects.get(user=reader).rejected_count == 1
    assert log_of(comment=comment, action="rejected") == [("rejected", "윤서연")]


def test_approving_a_reported_comment_keeps_it_and_clears_the_reports(
    moderator, reader, other_reader, post
):
    comment = post(reader, "신고된 댓글")
    moderation.report(comment, reporter=other_reader, reason="spam")

    moderation.approve(comment, actor=moderator)

    comment.refresh_from_db()
    assert (comment.status, comment.open_reports, comment.report_count) == (
        Status.PUBLISHED,
        0,
        1,
    )
    assert log_of(comment=comment)[-1] == ("reports_dismissed", "윤서연")


def test_a_rejected_comment_can_be_reinstated(moderator, reader, post):
    comment = post(reader, "오해받은 댓글")
    moderation.reject(comment, actor=moderator, reason="other")

    moderation.approve(comment, actor=moderator)

    comment.refresh_from_db()
    assert (comment.status, comment.rejection_reason) == (Status.PUBLISHED, "")
    standing = ReaderStanding.objects.get(user=reader)
    assert (standing.approved_count, standing.rejected_count) == (1, 0)


@pytest.mark.parametrize("who", ["reader", "other_reader", "reporter", "editor"])
def test_only_moderators_approve_or_reject(request, reader, post, who):
    comment = post(reader, "누가 지울 수 있나")
    actor = request.getfixturevalue(who)

    with pytest.raises(NotAllowed):
        moderation.reject(comment, actor=actor, reason="spam")
    with pytest.raises(NotAllowed):
        moderation.approve(comment, actor=actor)
    assert not ModerationAction.objects.filter(action__in=["rejected", "approved"]).exists()


def test_a_deleted_comment_cannot_be_approved_or_rejected(moderator, reader, post):
    comment = moderation.delete_own(post(reader, "지운 댓글"), actor=reader)

    with pytest.raises(errors.NotModeratable):
        moderation.approve(comment, actor=moderator)
    with pytest.raises(errors.NotModeratable):
        moderation.reject(comment, actor=moderator, reason="spam")


def test_bulk_reject_rejects_each_with_the_reason_and_skips_changed_ones(
    moderator, reader, other_reader, post
):
    first, second = post(reader, "광고 하나"), post(other_reader, "광고 둘")
    gone = moderation.delete_own(post(reader, "지운 광고"), actor=reader)

    done, skipped = moderation.reject_many(
        [first, second, gone], actor=moderator, reason="spam", note="광고"
    )

    assert (done, skipped) == (2, 1)
    assert set(Comment.objects.filter(status=Status.REJECTED).values_list("pk", flat=True)) == {
        first.pk,
        second.pk,
    }
    assert ModerationAction.objects.filter(action="rejected").count() == 2


def test_bulk_approve_publishes_each_held_comment(moderator, reader, other_reader, desk):
    story = desk.story("검토 기사", comment_mode=CommentMode.PREMODERATED)
    held = [
        moderation.post_comment(story, author=author, body="검토 대기")
        for author in (reader, other_reader)
    ]

    assert moderation.approve_many(held, actor=moderator) == (2, 0)
    assert not Comment.objects.filter(status=Status.PENDING).exists()


# --- 임시조치 --------------------------------------------------------------------------------


def test_a_blind_hides_a_comment_with_the_claim_and_returns_it_to_review_when_it_ends(
    moderator, reader, post, clock
):
    comment = post(reader, "특정인을 겨냥한 주장")

    blind = moderation.blind(
        comment, actor=moderator, claimant="김철수", claim="명예훼손 주장", days=30
    )

    comment.refresh_from_db()
    assert comment.status == Status.BLINDED
    assert (blind.claimant, blind.claim) == ("김철수", "명예훼손 주장")
    assert blind.ends_at - blind.starts_at == timedelta(days=30)
    assert moderation.end_blinds() == 0
    clock.shift(timedelta(days=30, seconds=1))

    call_command("end_blinds")

    comment.refresh_from_db()
    blind.refresh_from_db()
    assert (comment.status, comment.hold_reason) == (Status.PENDING, "blind_ended")
    assert blind.ended_at is not None
    assert log_of(comment=comment)[-2:] == [("blinded", "윤서연"), ("blind_ended", "system")]
    assert moderation.end_blinds() == 0


@pytest.mark.parametrize("days", [0, 31])
def test_a_blind_lasts_one_to_thirty_days(moderator, reader, post, days):
    with pytest.raises(errors.NotModeratable):
        moderation.blind(post(reader, "댓글"), actor=moderator, claimant="A", claim="B", days=days)
    assert not Blind.objects.exists()


def test_the_periodic_job_is_scheduled():
    from newsroom.celery import PERIODIC_JOBS, app

    assert "comments.end_blinds" in PERIODIC_JOBS
    assert "comments.end_blinds" in app.tasks


def test_a_blinded_comment_rejected_meanwhile_ends_its_blind(moderator, reader, post):
    comment = post(reader, "저작권 침해 주장")
    blind = moderation.blind(comment, actor=moderator, claimant="출판사", claim="무단 전재")

    moderation.reject(comment, actor=moderator, reason="copyright")

    blind.refresh_from_db()
    assert blind.ended_at is not None


# --- suspensions and bans --------------------------------------------------------------------


def test_a_suspended_reader_cannot_comment_vote_or_report_until_it_ends(
    moderator, reader, other_reader, post, clock
):
    comment = post(other_reader, "다른 독자의 댓글")
    moderation.suspend(reader, actor=moderator, days=3, reason="attack")

    for attempt in (
        lambda: post(reader, "정지 중"),
        lambda: moderation.vote(comment, voter=reader, value="like"),
        lambda: moderation.report(comment, reporter=reader, reason="spam"),
    ):
        with pytest.raises(NotAllowed) as refused:
            attempt()
        assert "2025-03-06 09:00" in str(refused.value)
    clock.shift(timedelta(days=3, seconds=1))
    assert post(reader, "정지가 끝났다").status == Status.PUBLISHED


def test_a_ban_with_reject_all_removes_every_shown_comment_at_once(
    moderator, reader, post, mailoutbox
):
    comments = [post(reader, f"도배 {n}") for n in range(3)]
    moderation.delete_own(comments[2], actor=reader)

    standing = moderation.suspend(
        reader, actor=moderator, days=None, reason="spam", note="도배", reject_all=True
    )

    assert standing.banned
    statuses = [Comment.objects.get(pk=c.pk).status for c in comments]
    assert statuses == [Status.REJECTED, Status.REJECTED, Status.DELETED]
    assert [a for a, _who in log_of(reader=reader) if a != "posted" and a != "deleted"] == [
        "banned",
        "rejected",
        "rejected",
    ]
    # One e-mail per comment would flood the reader: a ban's reject-all sends none.
    assert mailoutbox == []
    with pytest.raises(NotAllowed):
        post(reader, "다시 쓰기")

    moderation.lift_suspension(reader, actor=moderator)
    assert post(reader, "다시 쓰기").status == Status.PUBLISHED


def test_moderators_keep_notes_about_a_reader(moderator, reader):
    moderation.add_note(reader, actor=moderator, text="반복 신고 대상, 지켜볼 것")

    assert reader.moderator_notes.get().text == "반복 신고 대상, 지켜볼 것"
    assert log_of(action="noted", reader=reader) == [("noted", "윤서연")]


# --- section-limited moderators --------------------------------------------------------------


@pytest.fixture
def limited(moderator, section):
    """The moderator, limited to the stories' section (기업과산업) and its subsections."""
    scope = ModeratorScope.objects.create(user=moderator)
    scope.sections.set([section])
    return moderator


def test_a_section_limited_moderator_acts_only_on_their_sections(
    limited, reader, post, desk, subsection
):
    other = SectionFactory(name="국제", slug="world")
    inside = post(reader, "산업 기사 댓글")
    below = post(reader, "하위 섹션 댓글", on=desk.story("하위 섹션 기사", section=subsection))
    outside = post(reader, "국제 기사 댓글", on=desk.story("국제 기사", section=other))
    limited = type(limited).objects.get(pk=limited.pk)  # fresh: no cached scope

    moderation.reject(inside, actor=limited, reason="spam")
    moderation.reject(below, actor=limited, reason="spam")
    with pytest.raises(NotAllowed):
        moderation.reject(outside, actor=limited, reason="spam")
    assert set(permissions.moderatable(limited)) == {inside, below}
    assert not permissions.can_edit_word_rules(limited)


def test_a_limited_moderators_ban_rejects_only_their_sections_comments(limited, reader, post, desk):
    other = SectionFactory(name="국제", slug="world")
    inside = post(reader, "산업 기사 댓글")
    outside = post(reader, "국제 기사 댓글", on=desk.story("국제 기사", section=other))

    moderation.suspend(reader, actor=limited, days=7, reason="spam", reject_all=True)

    assert Comment.objects.get(pk=inside.pk).status == Status.REJECTED
    assert Comment.objects.get(pk=outside.pk).status == Status.PUBLISHED


def test_a_limited_moderator_cannot_suspend_a_reader_who_never_wrote_there(limited, reader):
    with pytest.raises(NotAllowed):
        moderation.suspend(reader, actor=limited, days=1, reason="spam")
