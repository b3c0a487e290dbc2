"""The demo readers' comments (text in comments/demo/content.py, written for this project):
posted, replied to, voted on, reported and deleted through comments.moderation, so their
states, counts and history are real. Only their dates are then moved to sit after their
story's, which articles.demo moves on every load.

Then the moderators' side: the starter word list, new readers' first comments approved by
the demo moderator, comments held and refused by the rules, reports, a temporary blind, and a
reader (not reader@example.com) suspended after a rejected comment; all of it in the log."""

import zlib
from contextlib import suppress
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.test.utils import override_settings
from django.utils import timezone

from accounts import demo as accounts_demo
from accounts import legal, membership
from accounts.models import User
from articles.models import Article, Section
from comments import errors, moderation
from comments.demo import content as demo_content
from comments.models import Comment, CommentReport, CommentVote, RefusedComment, WordRule
from comments.starter_words import STARTER

Status = Comment.Status


# The demo writes many comments a second: the readers' throttles would refuse them.
NO_THROTTLES = {
    "COMMENTS_MIN_GAP_SECONDS": 0,
    "COMMENTS_PER_STORY_PER_DAY": 0,
    "COMMENTS_PER_IP_PER_HOUR": 0,
    "COMMENTS_VOTES_PER_DAY": 0,
    "COMMENTS_REPORTS_PER_DAY": 0,
    "COMMENTS_DUPLICATE_HOURS": 0,
}


def load(stdout) -> None:
    with override_settings(**NO_THROTTLES):
        _load(stdout)


def _load(stdout) -> None:
    for word, kind, whole_word in STARTER:
        WordRule.objects.get_or_create(word=word, kind=kind, defaults={"whole_word": whole_word})
    moderator = User.objects.get(email="moderator@example.com")
    readers = _readers()
    stories = {
        story.headline: story
        for story in Article.objects.filter(
            headline__in=demo_content.THREADS, status=Article.Status.PUBLISHED
        ).select_related("section")
    }
    now = timezone.now()
    before = Comment.objects.count()
    to_delete = []
    for headline, threads in demo_content.THREADS.items():
        story = stories.get(headline)
        if story is None:
            continue
        for spec in threads:
            parent = _post(story, spec, readers, moderator=moderator)
            _place(parent, story.published_at + timedelta(minutes=spec["minutes"]), now)
            for reply_spec in spec["replies"]:
                reply = _post(story, reply_spec, readers, parent=parent, moderator=moderator)
                _place(reply, parent.created_at + timedelta(minutes=reply_spec["minutes"]), now)
                to_delete += [reply] if reply_spec["delete"] else []
            to_delete += [parent] if spec["delete"] else []
    # After the replies: a deleted comment with replies stays as "삭제된 댓글입니다".
    for comment in to_delete:
        moderation.delete_own(comment, actor=comment.author)
    _report(readers)
    _moderate(stories, readers, moderator)
    _place_moderated(now)
    # After posting: some demo stories are already past their section's closing time.
    for slug, days in demo_content.CLOSING_DAYS.items():
        Section.objects.filter(slug=slug).update(comments_close_after_days=days)
    total = Comment.objects.count()
    stdout.write(
        f"Comments: {total - before} new, {total} in all; {CommentVote.objects.count()} votes."
    )


def summary(stdout) -> None:
    counts = {status: Comment.objects.filter(status=status).count() for status in Status}
    stdout.write(
        f"Demo comments: {counts[Status.PUBLISHED]} published, {counts[Status.PENDING]} "
        f"held for review, {counts[Status.REJECTED]} rejected, {counts[Status.BLINDED]} "
        f"temporarily blinded, {counts[Status.DELETED]} deleted; "
        f"{CommentVote.objects.count()} votes, {CommentReport.objects.count()} reports, "
        f"{RefusedComment.objects.count()} refused by the word rules. "
        f"Commenters log in as {demo_content.READERS[0][0]} to {demo_content.READERS[-1][0]}; "
        f"{demo_content.TROLL[0]} is suspended. Moderate at /desk/comments/ as "
        "moderator@example.com."
    )


def _readers() -> dict[str, User]:
    """Nickname -> account: the demo commenters, joined like any reader, and "reader", the
    demo log-in reader@example.com (made by accounts.demo, which loads first)."""
    found = {"reader": User.objects.get(email=accounts_demo.DEMO_READER)}
    for email, nickname in demo_content.READERS:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = accounts_demo.new_user(email)
            EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
            membership.sign_up(user, nickname=nickname, agreed=legal.REQUIRED_AT_SIGNUP)
        found[nickname] = user
    return found


def _post(story: Article, spec: dict, readers, parent: Comment | None = None, moderator=None):
    """The comment of `spec` (posted now unless it is there), with its votes. A new
    reader's comment, held until the moderator has approved their first ones, is approved."""
    existing = Comment.objects.filter(story=story, body=spec["text"]).first()
    if existing is not None:
        return existing
    author = readers[spec["author"]]
    comment = moderation.post_comment(story, author=author, body=spec["text"], parent=parent)
    if comment.hold_reason == Comment.Hold.NEW_READER and moderator is not None:
        comment = moderation.approve(comment, actor=moderator)
    if comment.status == Status.PUBLISHED:
        # The same readers always vote on the same comment, whatever the load.
        voters = sorted(
            (user for user in readers.values() if user != author),
            key=lambda user: zlib.crc32(f"{user.pk}:{spec['text']}".encode()),
        )
        likes = min(spec["likes"], len(voters))
        for voter in voters[:likes]:
            moderation.vote(comment, voter=voter, value="like")
        for voter in voters[likes : likes + spec["dislikes"]]:
            moderation.vote(comment, voter=voter, value="dislike")
    return comment


def _place(comment: Comment, at, now) -> None:
    """Date the comment after its story (demo data only), never in the future."""
    comment.created_at = min(at, now - timedelta(minutes=1))
    Comment.objects.filter(pk=comment.pk).update(
        created_at=comment.created_at, status_changed_at=comment.created_at
    )


def _report(readers) -> None:
    for start, nickname, reason, note in demo_content.REPORTS:
        comment = Comment.objects.filter(body__startswith=start).first()
        reporter = readers[nickname]
        if (
            comment
            and not CommentReport.objects.filter(comment=comment, reporter=reporter).exists()
        ):
            moderation.report(comment, reporter=reporter, reason=reason, note=note)


def _place_moderated(now) -> None:
    """The moderators' demo comments, dated after their story like the others (on every
    load: articles.demo moves the stories)."""
    texts = [*demo_content.TROLL_COMMENTS, *(text for _author, text in demo_content.HELD)]
    found = Comment.objects.filter(body__in=texts).select_related("story")
    for comment in found:
        minutes = 60 + 7 * texts.index(comment.body)
        _place(comment, comment.story.published_at + timedelta(minutes=minutes), now)


def _moderate(stories: dict, readers: dict, moderator: User) -> None:
    """The moderators' demo: once (the suspended reader's account marks it done)."""
    email, nickname = demo_content.TROLL
    if User.objects.filter(email=email).exists():
        return
    troll = accounts_demo.new_user(email)
    EmailAddress.objects.create(user=troll, email=email, verified=True, primary=True)
    membership.sign_up(troll, nickname=nickname, agreed=legal.REQUIRED_AT_SIGNUP)
    readers = {**readers, nickname: troll}
    shown = [story for story in stories.values() if moderation.comment_window(story).is_open]
    posted = []
    for number, text in enumerate(demo_content.TROLL_COMMENTS):
        comment = moderation.post_comment(shown[number % len(shown)], author=troll, body=text)
        if comment.status == Status.PENDING:
            comment = moderation.approve(comment, actor=moderator)
        posted.append(comment)
    for author, text in demo_content.HELD:
        moderation.post_comment(shown[-1], author=readers[author], body=text)
    for author, text in demo_content.REFUSED:
        # Refused, as it should be: the attempt is kept for the moderators.
        with suppress(errors.BannedWord):
            moderation.post_comment(shown[0], author=readers[author], body=text)
    for start, nickname_, reason in demo_content.MORE_REPORTS:
        comment = Comment.objects.filter(body__startswith=start, status=Status.PUBLISHED).first()
        reporter = readers[nickname_]
        if (
            comment
            and not CommentReport.objects.filter(comment=comment, reporter=reporter).exists()
        ):
            moderation.report(comment, reporter=reporter, reason=reason)
    # The attack the suspension is for comes down with it.
    moderation.reject(posted[0], actor=moderator, reason="attack", note="기자 인신공격")
    moderation.reject(posted[1], actor=moderator, reason="spam", note="주식 리딩방 광고")
    moderation.add_note(troll, actor=moderator, text=demo_content.TROLL_NOTE)
    moderation.suspend(troll, actor=moderator, days=7, reason="attack", note="반복된 인신공격")
    blind = demo_content.BLIND
    target = Comment.objects.filter(body__startswith=blind["start"]).first()
    if target is not None and target.status in (Status.PUBLISHED, Status.PENDING):
        moderation.blind(
            target, actor=moderator, claimant=blind["claimant"], claim=blind["claim"], days=30
        )
