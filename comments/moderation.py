"""Every change to comments: posting, replying, votes, reports, deleting one's own, and
the moderators' actions (approve, reject, temporary blinds, suspensions and bans, notes,
the word list).

Each function checks the actor's right, locks and re-reads the row the race is about,
guards the state, changes the rows and writes one ModerationAction, in one transaction.
A refusal raises a comments.errors.CommentRefused (or accounts' NotAllowed) with the
message the reader sees, and nothing is written. Views, tasks, commands and the demo loader
call these; none of them sets a status or a count itself. `actor=None` is the system (a
rule or the periodic job); its history rows are signed "system". Everyone else signs
under accounts.names.display_name: the byline or the nickname, never the e-mail.
"""

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts import roles
from accounts.errors import NotAllowed, require
from accounts.models import RoleChange, User
from accounts.names import display_name
from accounts.roles import Role, role_can
from articles import dependencies
from articles.models import Article, Section
from comments import errors, permissions, rules, throttles, totals, wordrules
from comments.models import (
    Blind,
    Comment,
    CommentReport,
    CommentVote,
    ModerationAction,
    ModeratorScope,
    ReaderNote,
    ReaderStanding,
    Reason,
    RefusedComment,
    WordRule,
)
from newsroom.outbox import enqueue

Status = Comment.Status
Hold = Comment.Hold
Vote = CommentVote.Value
# A second identical post within this window is the same click, not a new comment.
DOUBLE_SUBMIT_WINDOW = timedelta(seconds=30)
# 임시조치 lasts at most 30 days (정보통신망법 제44조의2).
BLIND_MAX_DAYS = 30
# One reader's refused attempts kept per day: past that a script is trying words, and the
# moderators' list would drown in it (the attempts are still refused).
REFUSED_KEPT_PER_DAY = 20


def comment_window(story: Article, *, now=None) -> rules.Window:
    """Whether `story` takes comments now: its mode (its own or its section's) and the
    section's automatic closing."""
    return rules.window(
        story.effective_comment_mode,
        published_at=story.published_at,
        close_after_days=story.section.comments_close_after_days,
        now=now or timezone.now(),
    )


def post_comment(
    story: Article,
    *,
    author: User,
    body: str,
    parent: Comment | None = None,
    ip: str | None = None,
) -> Comment:
    """A new comment on a published story, or a reply to one of its top-level comments.

    Preconditions: the author may take part (comments.permissions.refusal: verified, with a
    nickname, not suspended); the text is not blank and within rules.MAX_BYTES; the story
    is published and its comments are open; a parent is a shown top-level comment of the
    same story; no throttle is hit (comments.throttles) and the reader has not posted the
    same text within COMMENTS_DUPLICATE_HOURS; no banned word (BannedWord names the
    reader's own characters that matched).
    Published at once, or held (pending, with its `hold_reason`): on a premoderated story,
    with a suspect word or a link, for a reader not yet trusted or mostly rejected of late.
    The same text posted again by the same reader within DOUBLE_SUBMIT_WINDOW returns the
    first comment (a repeated click).
    A banned word, found once every other check has passed, rolls the post back and keeps
    the attempt as a RefusedComment, committed in a transaction of its own, for the
    moderators' list (at most REFUSED_KEPT_PER_DAY a reader, a repeated click once).
    History: one ModerationAction "posted" (none for a repeated click, none for a refused
    attempt: its row is the record). Tasks: none.
    """
    try:
        return _post_comment(story, author=author, body=body, parent=parent, ip=ip)
    except _Banned as banned:
        # Raised out of the post's transaction, which is rolled back by now: the attempt
        # alone is written, and committed even though the post is refused.
        with transaction.atomic():
            # The reader's own row, locked again, makes two refused clicks at once take
            # turns here: the second sees the first's attempt and keeps no copy of it.
            _standing(author.pk)
            if _keeps(banned.attempt):
                banned.attempt.save()
        raise errors.BannedWord(banned.rule.word, banned.matched) from None


class _Banned(Exception):
    """The text holds a banned word: leaves post_comment's transaction, rolling it back,
    with what the reader is told and the attempt, kept unless _keeps() says otherwise."""

    def __init__(self, rule: wordrules.Rule, matched: str, attempt: RefusedComment):
        super().__init__(rule.word)
        self.rule, self.matched, self.attempt = rule, matched, attempt


@transaction.atomic
def _post_comment(
    story: Article, *, author: User, body: str, parent: Comment | None, ip: str | None
) -> Comment:
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
    totals.lock(story.pk)
    if parent is not None:
        parent = Comment.objects.select_for_update().get(pk=parent.pk)
        if (
            parent.story_id != story.pk
            or parent.parent_id is not None
            or parent.status != Status.PUBLISHED
        ):
            raise errors.CannotReply()
    now = timezone.now()
    repeated = Comment.objects.filter(
        story=story,
        author=author,
        parent=parent,
        body=text,
        created_at__gte=now - DOUBLE_SUBMIT_WINDOW,
    ).first()
    if repeated is not None:
        return repeated
    digest = throttles.ip_hash(ip)
    # The reader's limits count across stories: their own row, locked, makes two posts of
    # theirs to two stories at once take turns.
    _standing(author.pk)
    throttles.check_post(story.pk, author=author, ip_digest=digest, now=now)
    throttles.check_duplicate(author=author, text=text, now=now)
    verdict = word_rules().check(text)
    if verdict.banned is not None:
        span = verdict.banned_span
        matched = text[span[0] : span[1]] if span else verdict.banned.word
        attempt = RefusedComment(
            story=story,
            author=author,
            parent=parent,
            body=text,
            rule_word=verdict.banned.word,
            rule_kind=verdict.banned.kind,
            span_start=span[0] if span else None,
            span_end=span[1] if span else None,
            created_at=now,
        )
        raise _Banned(verdict.banned, matched, attempt)
    hold, data = _hold(author, verdict, premoderated=window.mode == rules.PREMODERATED)
    status = Status.PENDING if hold else Status.PUBLISHED
    comment = Comment.objects.create(
        story=story,
        author=author,
        parent=parent,
        body=text,
        status=status,
        hold_reason=hold,
        ip_hash=digest,
        created_at=now,
        status_changed_at=now,
    )
    totals.recount(story.pk)
    _record(comment, "posted", author, "", status, data={"bytes": size, **data})
    return comment


def _hold(author: User, verdict: wordrules.Verdict, *, premoderated: bool):
    """Why a new comment waits for review ("" when it does not), and what the history
    keeps of it. The story's premoderation comes first, then the text, then the reader."""
    if premoderated:
        return Hold.PREMODERATED, {}
    if verdict.suspect is not None:
        data = {"rule": verdict.suspect.word}
        if verdict.suspect_span is not None:
            # Where in the kept text: the desk marks it in the held comment.
            data["span"] = list(verdict.suspect_span)
        return Hold.SUSPECT_WORD, data
    if verdict.link:
        return Hold.LINK, {}
    standing = ReaderStanding.objects.filter(user=author).first()
    recent = list(
        Comment.objects.filter(author=author, status__in=[Status.PUBLISHED, Status.REJECTED])
        .order_by("-created_at", "-pk")
        .values_list("status", flat=True)[: settings.COMMENTS_TRUST_RECENT]
    )
    reason = rules.trust_hold(
        approved=standing.approved_count if standing else 0,
        recent=recent,
        trusted_after=settings.COMMENTS_TRUSTED_AFTER,
        rejected_share=settings.COMMENTS_REJECTED_SHARE,
    )
    return reason or "", {}


def _keeps(attempt: RefusedComment) -> bool:
    """Whether a refused attempt is kept: not the same text again within
    DOUBLE_SUBMIT_WINDOW (a repeated click), and not past the reader's REFUSED_KEPT_PER_DAY."""
    now = attempt.created_at
    counts = RefusedComment.objects.filter(
        author=attempt.author, created_at__gte=rules.day_start(timezone.localtime(now))
    ).aggregate(
        today=Count("pk"),
        repeated=Count(
            "pk",
            filter=Q(
                story=attempt.story,
                parent=attempt.parent,
                body=attempt.body,
                created_at__gte=now - DOUBLE_SUBMIT_WINDOW,
            ),
        ),
    )
    return not counts["repeated"] and counts["today"] < REFUSED_KEPT_PER_DAY


def word_rules(*extra: wordrules.Rule) -> wordrules.RuleSet:
    """The moderators' word list, compiled (one small query; compiling is linear in it),
    with `extra` rules as if they were on it."""
    listed = WordRule.objects.values_list("word", "kind", "whole_word")
    return wordrules.RuleSet([*(wordrules.Rule(*row) for row in listed), *extra])


@transaction.atomic
def vote(comment: Comment, *, voter: User, value: str) -> Comment:
    """추천 ("like"), 비추천 ("dislike"), or "" to take one's vote back. Voting the same way
    again changes nothing (a repeated click).

    Preconditions: the voter may take part; the comment is published on a published story
    and is not the voter's own; the voter is under COMMENTS_VOTES_PER_DAY today (taking a
    vote back is never limited).
    History: one ModerationAction "voted", "vote_changed" or "vote_withdrawn".
    """
    _require_participant(voter)
    if value and value not in Vote.values:
        raise ValueError(f"Unknown vote {value!r}")
    comment = _lock_shown(comment, changes_visibility=False)
    if comment.author_id == voter.pk:
        raise errors.OwnComment(_("You cannot like or dislike your own comment."))
    existing = CommentVote.objects.filter(comment=comment, voter=voter).first()
    old = existing.value if existing else ""
    if old == value:
        return comment
    if value:
        _standing(voter.pk)  # the daily cap counts across comments: one at a time
        throttles.check_vote(voter, now=timezone.now())
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
def report(
    comment: Comment, *, reporter: User, reason: str, note: str = "", ip: str | None = None
) -> CommentReport:
    """신고: flag a shown comment for the moderators, once per reader, with a reason (and
    a few words for "other"). The comment stays as it is until a moderator acts.

    Preconditions: the reporter may take part; the comment is published on a published
    story, not the reporter's own, and not reported by them before (AlreadyReported); the
    reporter is under COMMENTS_REPORTS_PER_DAY today, and their address `ip` under
    COMMENTS_REPORTS_PER_IP_PER_HOUR.
    The COMMENTS_REPORTS_TO_HIDE-th open report hides the comment until a moderator
    decides (pending, "reports").
    History: one ModerationAction "reported" with the reason; when it hides the comment,
    one more, "hidden_by_reports", by the system.
    """
    _require_participant(reporter)
    reason = CommentReport.Reason(reason)
    comment = _lock_shown(comment)
    if comment.author_id == reporter.pk:
        raise errors.OwnComment(_("You cannot report your own comment."))
    if CommentReport.objects.filter(comment=comment, reporter=reporter).exists():
        raise errors.AlreadyReported()
    _standing(reporter.pk)  # the daily cap counts across comments: one at a time
    digest = throttles.ip_hash(ip)
    throttles.check_report(reporter, ip_digest=digest, now=timezone.now())
    note = " ".join(note.split())[:200]
    filed = CommentReport.objects.create(
        comment=comment, reporter=reporter, reason=reason, note=note, ip_hash=digest
    )
    comment.report_count += 1
    comment.open_reports += 1
    comment.save(update_fields=["report_count", "open_reports"])
    _record(comment, "reported", reporter, comment.status, comment.status, note, {"reason": reason})
    if comment.open_reports >= settings.COMMENTS_REPORTS_TO_HIDE:
        # Reports are one per reader, so this many come from as many different readers.
        _set_status(comment, Status.PENDING, hold=Hold.REPORTS)
        _record(
            comment,
            "hidden_by_reports",
            None,
            Status.PUBLISHED,
            Status.PENDING,
            data={"reports": comment.open_reports},
        )
    return filed


@transaction.atomic
def delete_own(comment: Comment, *, actor: User) -> Comment:
    """The author deletes their comment, shown or held. A top-level comment with replies
    then shows as "삭제된 댓글입니다" above them. The text is kept for the moderators (it
    may be under report) and never shown again. Deleting it again changes nothing.

    History: one ModerationAction "deleted".
    """
    totals.lock(comment.story_id)
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    if comment.status == Status.DELETED and comment.author_id == actor.pk:
        return comment
    require(permissions.can_delete(actor, comment), _("Only its author can delete a comment."))
    old = comment.status
    _set_status(comment, Status.DELETED, hold=comment.hold_reason)
    _record(comment, "deleted", actor, old, Status.DELETED)
    return comment


# --- the moderators -------------------------------------------------------------------------


@transaction.atomic
def approve(comment: Comment, *, actor: User, note: str = "") -> Comment:
    """A moderator keeps a comment: a held one is published, a rejected one reinstated, a
    shown one under report stays and its reports are dismissed (it leaves the Reported
    queue). A temporary blind is lifted with lift_blind(), not here.

    Preconditions: the actor moderates the comment's section; the comment is pending,
    rejected, or published with open reports (else NotModeratable).
    Counts an approval for the author (trust) when it publishes a held comment.
    History: one ModerationAction "approved" (or "reports_dismissed")."""
    comment = _lock_for(actor, comment)
    old = comment.status
    if old == Status.PUBLISHED and comment.open_reports:
        comment.open_reports = 0
        comment.save(update_fields=["open_reports"])
        _record(comment, "reports_dismissed", actor, old, old, note)
        return comment
    if old not in (Status.PENDING, Status.REJECTED):
        raise errors.NotModeratable()
    if comment.author_id:
        standing = _standing(comment.author_id)
        standing.approved_count += 1
        if old == Status.REJECTED and standing.rejected_count:
            standing.rejected_count -= 1
        standing.save(update_fields=["approved_count", "rejected_count"])
    comment.open_reports = 0
    comment.rejection_reason = comment.moderator_note = ""
    _set_status(
        comment, Status.PUBLISHED, extra=["open_reports", "rejection_reason", "moderator_note"]
    )
    _record(comment, "approved", actor, old, Status.PUBLISHED, note)
    return comment


@transaction.atomic
def reject(
    comment: Comment, *, actor: User | None, reason: str, note: str = "", notify: bool = True
) -> Comment:
    """A moderator removes a comment for one of the posted rules (`reason`, a Reason): it
    disappears for readers; its author sees it as removed, with the reason and `note`, on
    their page, and is e-mailed (unless `notify` is False: a ban's reject-all).

    Preconditions: the actor moderates the comment's section; the comment is published,
    pending or temporarily blinded (a running blind ends with it).
    History: one ModerationAction "rejected". Tasks: comments.notify_rejected."""
    reason = Reason(reason)
    comment = _lock_for(actor, comment)
    old = comment.status
    if old not in (Status.PUBLISHED, Status.PENDING, Status.BLINDED):
        raise errors.NotModeratable()
    if comment.author_id:
        standing = _standing(comment.author_id)
        standing.rejected_count += 1
        standing.save(update_fields=["rejected_count"])
    now = timezone.now()
    Blind.objects.filter(comment=comment, ended_at__isnull=True).update(ended_at=now)
    comment.open_reports = 0
    comment.rejection_reason = reason
    comment.moderator_note = " ".join(note.split())[:300]
    _set_status(
        comment, Status.REJECTED, extra=["open_reports", "rejection_reason", "moderator_note"]
    )
    action = _record(comment, "rejected", actor, old, Status.REJECTED, note, {"reason": reason})
    if notify and comment.author_id:
        enqueue("comments.notify_rejected", comment.pk, action.pk)
    return comment


def approve_many(comments: Iterable[Comment], *, actor: User, note: str = "") -> tuple[int, int]:
    """approve() each; those it does not apply to are skipped. (done, skipped)."""
    return _each(comments, lambda comment: approve(comment, actor=actor, note=note))


def reject_many(
    comments: Iterable[Comment], *, actor: User, reason: str, note: str = ""
) -> tuple[int, int]:
    """reject() each, with the same reason; those it does not apply to are skipped."""
    Reason(reason)
    return _each(comments, lambda comment: reject(comment, actor=actor, reason=reason, note=note))


@transaction.atomic
def _each(comments, act) -> tuple[int, int]:
    # One transaction: a bulk decision is taken whole or not at all, except for comments
    # whose state changed meanwhile (another moderator was faster), which are skipped.
    # By story, then comment: the order every bulk change takes its locks in
    # (comments.totals.lock), so that two of them at once wait rather than deadlock.
    done = skipped = 0
    for comment in sorted(comments, key=lambda comment: (comment.story_id, comment.pk)):
        try:
            with transaction.atomic():
                act(comment)
        except errors.NotModeratable:
            skipped += 1
        else:
            done += 1
    return done, skipped


@transaction.atomic
def blind(
    comment: Comment, *, actor: User, claimant: str, claim: str, days: int = BLIND_MAX_DAYS
) -> Blind:
    """임시조치: hide a comment on a claim that it infringes someone's rights, for `days`
    (1 to 30). The claimant, the claim and the dates are kept; when the period ends the
    periodic job end_blinds() returns it to review.

    Preconditions: the actor moderates the comment's section; the comment is published or
    pending; a claimant and a claim are given.
    History: one ModerationAction "blinded"."""
    claimant, claim = " ".join(claimant.split())[:200], claim.strip()[:2000]
    if not claimant or not claim:
        raise errors.NotModeratable(_("Name the claimant and describe the claim."))
    if not 1 <= days <= BLIND_MAX_DAYS:
        raise errors.NotModeratable(
            _("A temporary blind lasts from 1 to %(days)s days.") % {"days": BLIND_MAX_DAYS}
        )
    comment = _lock_for(actor, comment)
    old = comment.status
    if old not in (Status.PUBLISHED, Status.PENDING):
        raise errors.NotModeratable()
    now = timezone.now()
    filed = Blind.objects.create(
        comment=comment,
        claimant=claimant,
        claim=claim,
        starts_at=now,
        ends_at=now + timedelta(days=days),
        created_by=actor,
        created_by_name=display_name(actor),
    )
    comment.open_reports = 0
    _set_status(comment, Status.BLINDED, extra=["open_reports"])
    _record(
        comment,
        "blinded",
        actor,
        old,
        Status.BLINDED,
        claim,
        {"claimant": claimant, "until": filed.ends_at.isoformat(), "days": days},
    )
    return filed


@transaction.atomic
def lift_blind(comment: Comment, *, actor: User | None, now: datetime | None = None) -> Comment:
    """End a comment's temporary blind (a moderator early, the system when its time is up):
    the comment goes back to the review queue, where a moderator decides.

    History: one ModerationAction "blind_ended"."""
    comment = _lock_for(actor, comment)
    if comment.status != Status.BLINDED:
        raise errors.NotModeratable()
    now = now or timezone.now()
    Blind.objects.filter(comment=comment, ended_at__isnull=True).update(ended_at=now)
    _set_status(comment, Status.PENDING, hold=Hold.BLIND_ENDED)
    _record(comment, "blind_ended", actor, Status.BLINDED, Status.PENDING)
    return comment


def end_blinds(now: datetime | None = None) -> int:
    """The periodic job (comments.end_blinds, manage.py end_blinds): every blind whose time
    is up returns its comment to review. Each in its own transaction; safe to run twice."""
    now = now or timezone.now()
    ended = 0
    due = Blind.objects.filter(ended_at__isnull=True, ends_at__lte=now).values_list(
        "comment_id", flat=True
    )
    for comment in Comment.objects.filter(pk__in=list(due), status=Status.BLINDED):
        try:
            lift_blind(comment, actor=None, now=now)
        except errors.NotModeratable:  # decided by a moderator meanwhile
            continue
        ended += 1
    # Blinds whose comment was decided otherwise meanwhile: closed, nothing to return.
    Blind.objects.filter(ended_at__isnull=True, ends_at__lte=now).update(ended_at=now)
    return ended


@transaction.atomic
def suspend(
    reader: User,
    *,
    actor: User,
    days: int | None,
    reason: str,
    note: str = "",
    reject_all: bool = False,
) -> ReaderStanding:
    """Stop a reader from commenting, liking and reporting for `days`, or for good
    (`days=None`: a ban). With `reject_all`, every comment of theirs still shown, held or
    blinded (in the actor's sections) is rejected at once for the same reason, without an
    e-mail per comment.

    Preconditions: the actor may moderate the reader (comments.permissions); days >= 1.
    History: one ModerationAction "suspended" or "banned", then one "rejected" per comment."""
    require(permissions.can_moderate_reader(actor, reader))
    reason = Reason(reason)
    if days is not None and days < 1:
        raise errors.NotModeratable(_("Suspend for one day or more."))
    standing = _standing(reader.pk)
    now = timezone.now()
    standing.banned = days is None
    standing.suspended_until = None if days is None else now + timedelta(days=days)
    standing.suspension_reason = " ".join(note.split())[:300] or str(reason.label)
    standing.save(update_fields=["banned", "suspended_until", "suspension_reason"])
    _record_reader(
        reader,
        "banned" if days is None else "suspended",
        actor,
        note,
        {
            "reason": reason,
            "days": days,
            "until": standing.suspended_until.isoformat() if standing.suspended_until else None,
        },
    )
    if reject_all:
        shown = permissions.moderatable(
            actor,
            Comment.objects.filter(
                author=reader, status__in=[Status.PUBLISHED, Status.PENDING, Status.BLINDED]
            ),
        ).select_related("story")
        for comment in shown.order_by("story_id", "pk"):  # as _each does, for its locks
            reject(comment, actor=actor, reason=reason, note=note, notify=False)
    return standing


@transaction.atomic
def lift_suspension(reader: User, *, actor: User, note: str = "") -> ReaderStanding:
    """End a reader's suspension or ban now. History: one ModerationAction "unsuspended"."""
    require(permissions.can_moderate_reader(actor, reader))
    standing = _standing(reader.pk)
    if not standing.suspended_at(timezone.now()):
        raise errors.NotModeratable(_("This reader is not suspended."))
    standing.banned, standing.suspended_until = False, None
    standing.save(update_fields=["banned", "suspended_until"])
    _record_reader(reader, "unsuspended", actor, note)
    return standing


@transaction.atomic
def add_note(reader: User, *, actor: User, text: str) -> ReaderNote:
    """A moderator's note about a reader, for the other moderators. History: "noted"."""
    require(permissions.can_moderate_reader(actor, reader))
    text = " ".join(text.split())[:500]
    if not text:
        raise errors.NotModeratable(_("Write the note first."))
    note = ReaderNote.objects.create(
        reader=reader, author=actor, author_name=display_name(actor), text=text
    )
    _record_reader(reader, "noted", actor, text)
    return note


@transaction.atomic
def add_word_rule(
    word: str, *, actor: User, kind: str, whole_word: bool = False, note: str = ""
) -> WordRule:
    """Add an entry to the banned, suspect or exception list. A word already on that list
    is refused. History: one ModerationAction "word_added"."""
    require(permissions.can_edit_word_rules(actor))
    if kind not in WordRule.Kind.values:
        raise errors.NotModeratable(_("Choose the list the word goes on."))
    kind = WordRule.Kind(kind)
    word = " ".join(word.split())[:40]
    if not wordrules.skeleton(word).text and not wordrules.skeleton(word, "latin").text:
        raise errors.NotModeratable(_("A rule needs at least one letter."))
    if WordRule.objects.filter(word=word, kind=kind).exists():
        raise errors.NotModeratable(_("This word is already on that list."))
    rule = WordRule.objects.create(
        word=word, kind=kind, whole_word=whole_word, note=note[:200], created_by=actor
    )
    _record_rule(rule, "word_added", actor)
    return rule


@transaction.atomic
def remove_word_rule(rule: WordRule, *, actor: User) -> None:
    """Take an entry off its list. History: one ModerationAction "word_removed"."""
    require(permissions.can_edit_word_rules(actor))
    _record_rule(rule, "word_removed", actor)
    rule.delete()


# --- comments the word rules refused ---------------------------------------------------------


@dataclass(frozen=True)
class Innocence:
    """What mark_innocent() did: `word` is the exception; `added` is False when it was on
    the list already; `earlier` when the attempt had been marked before (nothing changed)."""

    word: str
    added: bool
    earlier: bool = False


@transaction.atomic
def mark_innocent(attempt: RefusedComment, *, actor: User) -> Innocence:
    """A moderator finds a refused comment innocent: the reader's word around the match
    (innocent_word) goes on the exception list, so the same text now passes, and the
    attempt records who marked it and when. An exception already on the list is not added
    twice; an attempt marked before (a second click) changes nothing.

    Preconditions: the actor may edit the word list (permissions.can_edit_word_rules); the
    attempt's match is known; the word is not the rule itself written another way (as an
    exception it would let every writing of the rule through) and fits the list (40).
    History: one ModerationAction "word_added" when the exception is new (add_word_rule).
    """
    require(permissions.can_edit_word_rules(actor))
    attempt = RefusedComment.objects.select_for_update().filter(pk=attempt.pk).first()
    if attempt is None:
        raise errors.NotModeratable(_("This refused comment is no longer kept."))
    if attempt.span_start is None or attempt.span_end is None:
        raise errors.NotModeratable(
            _("Where the rule matched is not known: add the exception on the word list.")
        )
    word = innocent_word(attempt)
    if attempt.marked_innocent_at is not None:
        return Innocence(word, added=False, earlier=True)
    if len(word) > WordRule._meta.get_field("word").max_length:
        raise errors.NotModeratable(
            _("The word is too long for the word list: add a shorter exception there.")
        )
    if excuses_the_rule(attempt, word):
        raise errors.NotModeratable(
            _(
                "“%(word)s” is the rule “%(rule)s” itself, written another way: as an "
                "exception it would let the rule through everywhere."
            )
            % {"word": word, "rule": attempt.rule_word}
        )
    still = word_rules(wordrules.Rule(word, wordrules.EXCEPTION)).check(attempt.body).banned
    if still is not None:
        # The exception would not clear the text (another rule, or a match the exception's
        # own letters cannot cover): say so rather than add a rule that changes nothing.
        raise errors.NotModeratable(
            _(
                "Even with “%(word)s” as an exception the comment is refused (“%(rule)s”): "
                "change the word list by hand."
            )
            % {"word": word, "rule": still.word}
        )
    added = not WordRule.objects.filter(word=word, kind=WordRule.Kind.EXCEPTION).exists()
    if added:
        try:
            add_word_rule(
                word,
                actor=actor,
                kind=WordRule.Kind.EXCEPTION,
                note=_("Marked innocent in a comment refused by “%(rule)s”")
                % {"rule": attempt.rule_word},
            )
        except IntegrityError:
            # Another moderator added the same exception a moment ago.
            added = False
    attempt.marked_innocent_at = timezone.now()
    attempt.marked_innocent_by = actor
    attempt.marked_innocent_by_name = display_name(actor)
    attempt.save(
        update_fields=["marked_innocent_at", "marked_innocent_by", "marked_innocent_by_name"]
    )
    return Innocence(word, added=added)


def innocent_word(attempt: RefusedComment) -> str:
    """The exception marking `attempt` innocent adds: the reader's word around the match.
    A match made of words apart ("씨 팔" in "김 씨 팔 골절") is the rule itself once its spaces
    are gone: the word before it comes along, or the one after it, so the exception covers
    only this use ("김 씨 팔"). A single word that is the rule written another way (씨1발)
    stays as it is, and mark_innocent refuses it."""
    body = attempt.body
    left, right = _word_bounds(body, attempt.span_start, attempt.span_end)
    around = body[left:right]
    before, after = body[:left].split()[-1:], body[right:].split()[:1]
    spaced = len(around.split()) > 1
    widened = [[*before, around], [around, *after], [*before, around, *after]] if spaced else []
    for words in ([around], *widened):
        word = " ".join(" ".join(words).split())
        if not excuses_the_rule(attempt, word):
            return word
    return " ".join(around.split())


def excuses_the_rule(attempt: RefusedComment, word: str) -> bool:
    """`word` as an exception would excuse the rule's own word: every writing of it."""
    rule = wordrules.Rule(attempt.rule_word, attempt.rule_kind)
    alone = wordrules.RuleSet([rule, wordrules.Rule(word, wordrules.EXCEPTION)])
    return alone.check(attempt.rule_word).banned is None


def _word_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The reader's word holding text[start:end]: widened to the white space on either
    side, then trimmed of the punctuation and symbols around it (never into the match)."""
    left, right = start, end
    while left > 0 and not text[left - 1].isspace():
        left -= 1
    while right < len(text) and not text[right].isspace():
        right += 1
    while left < start and unicodedata.category(text[left])[0] in "PS":
        left += 1
    while right > end and unicodedata.category(text[right - 1])[0] in "PS":
        right -= 1
    return left, right


def forget_refused(now: datetime | None = None) -> int:
    """The daily job (comments.forget_refused): refused comments older than
    COMMENTS_REFUSED_KEEP_DAYS are deleted. Returns how many; safe to run twice."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.COMMENTS_REFUSED_KEEP_DAYS)
    deleted, _by_model = RefusedComment.objects.filter(created_at__lt=cutoff).delete()
    return deleted


# --- moderators' sections ---------------------------------------------------------------------

# The right behind the admin's "moderators' sections" (the editors' role carries it).
CHANGE_SCOPE = "comments.change_moderatorscope"


def can_set_moderator_sections(actor: User | None) -> bool:
    """Editors (their role carries CHANGE_SCOPE), active superusers (the admin), and `None`,
    the system."""
    if actor is None:
        return True
    return actor.is_active and (actor.is_superuser or role_can(actor, CHANGE_SCOPE))


@transaction.atomic
def set_moderator_sections(
    moderator: User, sections: Iterable[Section], *, actor: User | None, note: str = ""
) -> tuple[ModeratorScope, bool]:
    """The sections `moderator` works on (a top section includes its subsections); none:
    every section. Returns their scope and whether it changed (not: nothing is written).

    History: one RoleChange "sections_changed" about the moderator, with the sections'
    names before and after: the sections are part of the moderator's rights, recorded
    beside the role itself (accounts.roles.record).
    """
    require(can_set_moderator_sections(actor))
    # One change at a time per moderator: the old sections in the history must be true.
    User.objects.select_for_update().filter(pk=moderator.pk).first()
    scope, _created = ModeratorScope.objects.get_or_create(user=moderator)
    wanted = {section.pk: section for section in sections}
    before = list(scope.sections.order_by("name", "pk"))
    if {section.pk for section in before} == set(wanted):
        return scope, False
    scope.sections.set(list(wanted.values()))
    _record_sections(moderator, before, list(wanted.values()), actor, note)
    return scope, True


@transaction.atomic
def remove_moderator_scope(moderator: User, *, actor: User | None, note: str = "") -> bool:
    """Take the moderator's scope away: they work on every section again. Returns False,
    writing nothing, when they had none. History: as set_moderator_sections, when the
    scope had sections."""
    require(can_set_moderator_sections(actor))
    User.objects.select_for_update().filter(pk=moderator.pk).first()
    scope = ModeratorScope.objects.filter(user=moderator).first()
    if scope is None:
        return False
    before = list(scope.sections.order_by("name", "pk"))
    scope.delete()
    if before:
        _record_sections(moderator, before, [], actor, note)
    else:
        # An empty scope already meant every section: no change of rights to record.
        _forget_sections(moderator)
    return True


def _record_sections(moderator: User, before, after, actor: User | None, note: str) -> None:
    _forget_sections(moderator)
    names = sorted(section.name for section in after)
    roles.record(
        moderator,
        Role.MODERATOR,
        RoleChange.Action.SECTIONS_CHANGED,
        actor=actor,
        note=note,
        data={"old": [section.name for section in before], "new": names},
    )


def _forget_sections(moderator: User) -> None:
    # permissions.moderated_sections() reads the scope once per user object.
    moderator.__dict__.pop(permissions._SCOPE_CACHE, None)


# --- helpers --------------------------------------------------------------------------------


def _require_participant(user: User) -> None:
    message = permissions.refusal(user)
    if message is not None:
        raise NotAllowed(message)


def _lock_shown(comment: Comment, *, changes_visibility: bool = True) -> Comment:
    """The comment, locked and re-read: the counts on it change under this lock (after its
    story's kept counts when what follows may hide it). Someone else's comment that is not
    shown is refused as if it were not there."""
    if changes_visibility:
        totals.lock(comment.story_id)
    comment = (
        Comment.objects.select_for_update(of=("self",)).select_related("story").get(pk=comment.pk)
    )
    if comment.status != Status.PUBLISHED or comment.story.status != Article.Status.PUBLISHED:
        raise errors.NotVisible()
    return comment


def _lock_for(actor: User | None, comment: Comment) -> Comment:
    """The comment, locked and re-read, for a moderator (or the system) to act on (after its
    story's kept counts: comments.totals.lock)."""
    totals.lock(comment.story_id)
    comment = (
        Comment.objects.select_for_update(of=("self",))
        .select_related("story", "author")
        .get(pk=comment.pk)
    )
    if actor is not None:
        require(permissions.can_moderate(actor, comment))
    return comment


def _standing(user_id: int) -> ReaderStanding:
    ReaderStanding.objects.get_or_create(user_id=user_id)
    return ReaderStanding.objects.select_for_update().get(user_id=user_id)


def _set_status(comment: Comment, status: str, *, hold: str = "", extra=()) -> None:
    comment.status, comment.status_changed_at = status, timezone.now()
    comment.hold_reason = hold
    comment.save(update_fields=["status", "status_changed_at", "hold_reason", *extra])
    totals.recount(comment.story_id)


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
    author = comment.author if comment.author_id else None
    # Every recorded change may alter what the story's comment block shows.
    dependencies.comments_changed(comment.story_id)
    return ModerationAction.objects.create(
        comment=comment,
        story_id=comment.story_id,
        action=action,
        from_status=from_status,
        to_status=to_status,
        actor=actor,
        actor_name=display_name(actor),
        reader=author,
        reader_name=display_name(author) if author else "",
        note=note,
        data=data or {},
    )


def _record_reader(reader: User, action: str, actor: User, note: str = "", data=None) -> None:
    ModerationAction.objects.create(
        action=action,
        actor=actor,
        actor_name=display_name(actor),
        reader=reader,
        reader_name=display_name(reader),
        note=note,
        data=data or {},
    )


def _record_rule(rule: WordRule, action: str, actor: User) -> None:
    ModerationAction.objects.create(
        action=action,
        actor=actor,
        actor_name=display_name(actor),
        note=rule.word,
        data={"word": rule.word, "kind": rule.kind, "whole_word": rule.whole_word},
    )
