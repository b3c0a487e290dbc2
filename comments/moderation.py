"""Every change to comments: posting, replying, votes, reports, deleting one's own.

Each function checks the actor's right, locks and re-reads the row the race is about,
guards the state, changes the rows and writes one ModerationAction, in one transaction.
A refusal raises a comments.errors.CommentRefused (or accounts' NotAllowed) with the
message the reader sees, and nothing is written. Views and the demo loader call these;
none of them sets a status or a count itself. The moderators' actions come with their desk.
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.errors import NotAllowed, require
from accounts.models import User
from articles.models import Article
from comments import errors, permissions, rules
from comments.models import Comment, CommentReport, CommentVote, ModerationAction

Status = Comment.Status
Vote = CommentVote.Value
# A second identical post within this window is the same click, not a new comment.
DOUBLE_SUBMIT_WINDOW = timedelta(seconds=30)


def comment_window(story: Article, *, now=None) -> rules.Window:
    """Whether `story` takes comments now: its mode (its own or its section's) and the
    section's automatic closing."""
    return rules.window(
        story.effective_comment_mode,
        published_at=story.published_at,
        close_after_days=story.section.comments_close_after_days,
        now=now or timezone.now(),
    )


@transaction.atomic
def post_comment(
    story: Article,
    *,
    author: User,
    body: str,
    parent: Comment | None = None,
    ip: str | None = None,
) -> Comment:
    """A new comment on a published story, or a reply to one of its top-level comments.

    Preconditions: the author may take part (comments.permissions.refusal); the text is not
    blank and within rules.MAX_BYTES; the story is published and its comments are open; a
    parent is a shown top-level comment of the same story.
    Published at once in open mode, held (pending) in premoderated mode. The same text posted
    again by the same reader within DOUBLE_SUBMIT_WINDOW returns the first comment.
    History: one ModerationAction "posted" (none for a repeated click). Tasks: none.
    """
    _require_participant(author)
    if rules.is_blank(body):
        raise errors.BlankComment()
    size = rules.byte_count(body)
    if size > rules.MAX_BYTES:
        raise errors.CommentTooLong(size)
    text = rules.stored_text(body)
    # The story row serialises the posts on it: two clicks of the same form cannot both
    # pass the repeated-click check below before either has written its row.
    story = (
        Article.objects.select_for_update(of=("self",)).select_related("section").get(pk=story.pk)
    )
    if story.status != Article.Status.PUBLISHED:
        raise errors.CommentsClosed()
    window = comment_window(story)
    if not window.is_open:
        raise errors.CommentsClosed()
    if parent is not None:
        parent = Comment.objects.select_for_update().get(pk=parent.pk)
        if (
            parent.story_id != story.pk
            or parent.parent_id is not None
            or parent.status != Status.PUBLISHED
        ):
            raise errors.CannotReply()
    repeated = Comment.objects.filter(
        story=story,
        author=author,
        parent=parent,
        body=text,
        created_at__gte=timezone.now() - DOUBLE_SUBMIT_WINDOW,
    ).first()
    if repeated is not None:
        return repeated
    status = Status.PENDING if window.mode == rules.PREMODERATED else Status.PUBLISHED
    comment = Comment.objects.create(
        story=story, author=author, parent=parent, body=text, status=status, ip_address=ip
    )
    _record(comment, "posted", author, "", status, data={"bytes": size})
    return comment


@transaction.atomic
def vote(comment: Comment, *, voter: User, value: str) -> Comment:
    """추천 ("like"), 비추천 ("dislike"), or "" to take one's vote back. Voting the same way
    again changes nothing (a repeated click).

    Preconditions: the voter may take part; the comment is published on a published story
    and is not the voter's own.
    History: one ModerationAction "voted", "vote_changed" or "vote_withdrawn".
    """
    _require_participant(voter)
    if value and value not in Vote.values:
        raise ValueError(f"Unknown vote {value!r}")
    comment = _lock_shown(comment)
    if comment.author_id == voter.pk:
        raise errors.OwnComment(_("You cannot like or dislike your own comment."))
    existing = CommentVote.objects.filter(comment=comment, voter=voter).first()
    old = existing.value if existing else ""
    if old == value:
        return comment
    _count(comment, old, -1)
    _count(comment, value, +1)
    comment.save(update_fields=["like_count", "dislike_count"])
    if existing is None:
        CommentVote.objects.create(comment=comment, voter=voter, value=value)
        action = "voted"
    elif value:
        existing.value, existing.created_at = value, timezone.now()
        existing.save(update_fields=["value", "created_at"])
        action = "vote_changed"
    else:
        existing.delete()
        action = "vote_withdrawn"
    _record(comment, action, voter, comment.status, comment.status, data={"old": old, "new": value})
    return comment


@transaction.atomic
def report(comment: Comment, *, reporter: User, reason: str, note: str = "") -> CommentReport:
    """신고: flag a shown comment for the moderators, once per reader, with a reason (and
    a few words for "other"). The comment stays as it is until a moderator acts.

    Preconditions: the reporter may take part; the comment is published on a published
    story, not the reporter's own, and not reported by them before (AlreadyReported).
    History: one ModerationAction "reported" with the reason.
    """
    _require_participant(reporter)
    reason = CommentReport.Reason(reason)
    comment = _lock_shown(comment)
    if comment.author_id == reporter.pk:
        raise errors.OwnComment(_("You cannot report your own comment."))
    if CommentReport.objects.filter(comment=comment, reporter=reporter).exists():
        raise errors.AlreadyReported()
    note = " ".join(note.split())[:200]
    filed = CommentReport.objects.create(
        comment=comment, reporter=reporter, reason=reason, note=note
    )
    comment.report_count += 1
    comment.save(update_fields=["report_count"])
    _record(comment, "reported", reporter, comment.status, comment.status, note, {"reason": reason})
    return filed


@transaction.atomic
def delete_own(comment: Comment, *, actor: User) -> Comment:
    """The author deletes their comment, shown or held. A top-level comment with replies
    then shows as "삭제된 댓글입니다" above them. The text is kept for the moderators (it
    may be under report) and never shown again. Deleting it again changes nothing.

    History: one ModerationAction "deleted".
    """
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    if comment.status == Status.DELETED and comment.author_id == actor.pk:
        return comment
    require(permissions.can_delete(actor, comment), _("Only its author can delete a comment."))
    old = comment.status
    comment.status, comment.status_changed_at = Status.DELETED, timezone.now()
    comment.save(update_fields=["status", "status_changed_at"])
    _record(comment, "deleted", actor, old, Status.DELETED)
    return comment


# --- helpers --------------------------------------------------------------------------------


def _require_participant(user: User) -> None:
    message = permissions.refusal(user)
    if message is not None:
        raise NotAllowed(message)


def _lock_shown(comment: Comment) -> Comment:
    """The comment, locked and re-read: the counts on it change under this lock. Someone
    else's comment that is not shown is refused as if it were not there."""
    comment = (
        Comment.objects.select_for_update(of=("self",)).select_related("story").get(pk=comment.pk)
    )
    if comment.status != Status.PUBLISHED or comment.story.status != Article.Status.PUBLISHED:
        raise errors.NotVisible()
    return comment


def _count(comment: Comment, value: str, step: int) -> None:
    if value == Vote.LIKE:
        comment.like_count += step
    elif value == Vote.DISLIKE:
        comment.dislike_count += step


def _record(
    comment: Comment,
    action: str,
    actor: User | None,
    from_status: str,
    to_status: str,
    note: str = "",
    data: dict | None = None,
) -> ModerationAction:
    return ModerationAction.objects.create(
        comment=comment,
        story_id=comment.story_id,
        action=action,
        from_status=from_status,
        to_status=to_status,
        actor=actor,
        # The public name, never the e-mail: history outlives the account.
        actor_name=actor.nickname if actor else "system",
        note=note,
        data=data or {},
    )
