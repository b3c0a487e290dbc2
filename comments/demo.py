"""The demo readers' comments (text in comments/demo_content.py, written for this project):
posted, replied to, voted on, reported and deleted through comments.moderation, so their
states, counts and history are real. Only their dates are then moved to sit after their
story's, which articles.demo moves on every load."""

import zlib
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.utils import timezone

from accounts import demo as accounts_demo
from accounts import legal, membership
from accounts.models import User
from articles.models import Article, Section
from comments import demo_content, moderation
from comments.models import Comment, CommentReport, CommentVote

Status = Comment.Status


def load(stdout) -> None:
    readers = _readers()
    stories = {
        story.headline: story
        for story in Article.objects.filter(
            headline__in=demo_content.THREADS, status=Article.Status.PUBLISHED
        ).select_related("section")
    }
    now = timezone.now()
    created = 0
    to_delete = []
    for headline, threads in demo_content.THREADS.items():
        story = stories.get(headline)
        if story is None:
            continue
        for spec in threads:
            parent, new = _post(story, spec, readers)
            created += new
            _place(parent, story.published_at + timedelta(minutes=spec["minutes"]), now)
            for reply_spec in spec["replies"]:
                reply, new = _post(story, reply_spec, readers, parent=parent)
                created += new
                _place(reply, parent.created_at + timedelta(minutes=reply_spec["minutes"]), now)
                to_delete += [reply] if reply_spec["delete"] else []
            to_delete += [parent] if spec["delete"] else []
    # After the replies: a deleted comment with replies stays as "삭제된 댓글입니다".
    for comment in to_delete:
        moderation.delete_own(comment, actor=comment.author)
    _report(readers)
    # After posting: some demo stories are already past their section's closing time.
    for slug, days in demo_content.CLOSING_DAYS.items():
        Section.objects.filter(slug=slug).update(comments_close_after_days=days)
    stdout.write(f"Comments: {created} new, {Comment.objects.count()} in all.")


def summary(stdout) -> None:
    counts = {status: Comment.objects.filter(status=status).count() for status in Status}
    stdout.write(
        f"Demo comments: {counts[Status.PUBLISHED]} published, {counts[Status.PENDING]} "
        f"held for review, {counts[Status.DELETED]} deleted; {CommentVote.objects.count()} "
        f"votes, {CommentReport.objects.count()} reports. Commenters log in as "
        f"{demo_content.READERS[0][0]} to {demo_content.READERS[-1][0]}."
    )


def _readers() -> dict[str, User]:
    """Nickname -> account: the demo commenters, joined like any reader, and "reader", the
    demo log-in reader@example.com (made by accounts.demo, which loads first)."""
    found = {"reader": User.objects.get(email=accounts_demo.DEMO_READER)}
    for email, nickname in demo_content.READERS:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(email, accounts_demo.DEMO_PASSWORD)
            EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
            membership.sign_up(user, nickname=nickname, agreed=legal.REQUIRED_AT_SIGNUP)
        found[nickname] = user
    return found


def _post(story: Article, spec: dict, readers, parent: Comment | None = None):
    """The comment of `spec` (posted now unless it is there), with its votes."""
    existing = Comment.objects.filter(story=story, body=spec["text"]).first()
    if existing is not None:
        return existing, False
    author = readers[spec["author"]]
    comment = moderation.post_comment(story, author=author, body=spec["text"], parent=parent)
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
    return comment, True


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
