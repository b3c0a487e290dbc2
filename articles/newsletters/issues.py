"""A newsletter's issues (호) on the desk: every change to a NewsletterIssue.

An editor composes an issue (a subject, an intro and the stories picked, or filled
automatically from the newsletter's source), previews it, sends it to themselves as a test,
then sends it now or schedules it; a draft or a scheduled issue can be edited (from the
version its form was drawn from) or cancelled. Sending starts in one place, start_sending:
the recipients are fixed then (one IssueDelivery per confirmed subscription, by
articles.newsletters.sending) and the batches go to Celery; the sender itself ends the
issue (SENDING -> SENT) once every delivery is done.

Each function checks the actor's right (can_send_newsletters: editors), locks and re-reads
the issue, checks its state against TRANSITIONS, changes the rows and writes one IssueEvent
in the same transaction; tasks go through the outbox, so they run only after commit. A
repeated "send now" (a double click) finds the issue sending already and starts nothing.
"""

import logging
import re
import smtplib
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.errors import require
from accounts.models import User
from accounts.names import display_name
from articles import selectors, workflow
from articles.errors import IssueNotInState, IssueRefused, StaleIssue
from articles.models import IssueEvent, IssueStory, Newsletter, NewsletterIssue
from articles.newsletters import rendering, sending
from articles.permissions import can_send_newsletters
from newsroom.links import absolute_url
from newsroom.outbox import enqueue

logger = logging.getLogger(__name__)

Status = NewsletterIssue.Status
Action = IssueEvent.Action
# What an editor may still change: the subject, intro and stories, the time, or cancel it.
EDITABLE = frozenset({Status.DRAFT, Status.SCHEDULED})
# How many stories "fill automatically" suggests, and how far back a section's go.
AUTO_FILL_COUNT = 8
SECTION_WINDOW = timedelta(hours=24)
TEST_PREFIX = "[시험] "


@dataclass(frozen=True)
class Transition:
    sources: frozenset[str]
    target: str


TRANSITIONS: dict[str, Transition] = {
    # Scheduling a scheduled issue again moves its time.
    "schedule": Transition(EDITABLE, Status.SCHEDULED),
    "unschedule": Transition(frozenset({Status.SCHEDULED}), Status.DRAFT),
    "send": Transition(EDITABLE, Status.SENDING),
    "cancel": Transition(EDITABLE, Status.CANCELLED),
    # Sending stopped: what went stays gone, the rest is never sent.
    "stop": Transition(frozenset({Status.SENDING}), Status.CANCELLED),
}


# --- composing --------------------------------------------------------------------------------


@transaction.atomic
def create_issue(
    newsletter: Newsletter, *, actor: User, subject: str, intro: str, article_ids: Iterable[int]
) -> NewsletterIssue:
    """A new draft issue with the stories in the order given (published stories only).
    The same issue posted twice by the same editor within the double-submit window is the
    first one. History: "created"."""
    require(can_send_newsletters(actor))
    subject, intro, ids = _content(subject, intro, article_ids)
    # One create at a time per newsletter: two identical posts at once would both find
    # nothing repeated.
    newsletter = Newsletter.objects.select_for_update().get(pk=newsletter.pk)
    repeated = (
        NewsletterIssue.objects.filter(
            newsletter=newsletter,
            created_by=actor,
            subject=subject,
            intro=intro,
            created_at__gte=timezone.now() - workflow.DOUBLE_SUBMIT_WINDOW,
        )
        .order_by("-pk")
        .first()
    )
    if repeated is not None and _pick_ids(repeated) == ids:
        return repeated
    issue = NewsletterIssue.objects.create(
        newsletter=newsletter, subject=subject, intro=intro, created_by=actor
    )
    _set_picks(issue, ids)
    _record(issue, Action.CREATED, actor, "", issue.status, data={"articles": ids})
    return issue


@transaction.atomic
def edit_issue(
    issue: NewsletterIssue,
    *,
    actor: User,
    version: int,
    subject: str,
    intro: str,
    article_ids: Iterable[int],
) -> NewsletterIssue:
    """Change a draft or scheduled issue's subject, intro and stories, from the version
    the form was drawn from: an older one is refused (StaleIssue, with what was sent).
    Saving what is already there writes nothing. History: "edited", the fields changed."""
    require(can_send_newsletters(actor))
    subject, intro, ids = _content(subject, intro, article_ids)
    issue = _lock(issue)
    if issue.status not in EDITABLE:
        raise IssueNotInState(issue.get_status_display())
    old = {"subject": issue.subject, "intro": issue.intro, "articles": _pick_ids(issue)}
    new = {"subject": subject, "intro": intro, "articles": ids}
    if old == new:
        return issue  # nothing to change (a repeated click too)
    if issue.version != version:
        last = issue.events.filter(action__in=[Action.CREATED, Action.EDITED]).first()
        raise StaleIssue(
            saved_by=last.actor_name if last else display_name(None),
            saved_at=issue.updated_at,
            submitted=new,
        )
    issue.subject, issue.intro = subject, intro
    issue.version += 1
    issue.updated_at = timezone.now()
    issue.save(update_fields=["subject", "intro", "version", "updated_at"])
    if old["articles"] != ids:
        issue.picks.all().delete()
        _set_picks(issue, ids)
    changed = [field for field in new if old[field] != new[field]]
    _record(
        issue,
        Action.EDITED,
        actor,
        issue.status,
        issue.status,
        data={"changed": changed, "articles": ids},
    )
    return issue


def fill_automatically(newsletter: Newsletter, *, now: datetime | None = None) -> list[int]:
    """The stories an issue of this newsletter would carry if nobody chose: for the
    briefing, the front page's curated stories and then its newest; for a section's
    daily, the section's (and its subsections') stories of the last 24 hours; for a
    reporter's, their newest. Published stories only, newest first after the curated."""
    now = now or timezone.now()
    kind = newsletter.kind
    if kind == Newsletter.Kind.SECTION:
        tree = selectors.section_tree()
        stories = selectors.in_section(newsletter.section, tree).filter(
            published_at__gte=now - SECTION_WINDOW
        )
        return _newest_ids(stories)
    if kind == Newsletter.Kind.REPORTER:
        return _newest_ids(selectors.reporter_stories(newsletter.reporter))
    curated = [story.pk for story in selectors.curation(None).stories]
    newest = [story.pk for story in selectors.latest(AUTO_FILL_COUNT)]
    return list(dict.fromkeys(curated + newest))[:AUTO_FILL_COUNT]


def _newest_ids(stories) -> list[int]:
    return list(
        stories.order_by("-published_at", "-id").values_list("pk", flat=True)[:AUTO_FILL_COUNT]
    )


# --- the test send ----------------------------------------------------------------------------


@transaction.atomic
def send_test(issue: NewsletterIssue, *, actor: User) -> NewsletterIssue:
    """Mail the issue, as subscribers will get it, to the editor's own address only: the
    subject marked "[시험]", a line at the top saying it is a test, and a stand-in for the
    unsubscribe link (the newsletter's desk page; real ones are each recipient's, made
    when it is sent). A draft or scheduled issue with a published story. History:
    "test_sent" (with the address)."""
    require(can_send_newsletters(actor))
    issue = _lock(issue)
    if issue.status not in EDITABLE:
        raise IssueNotInState(issue.get_status_display())
    stories = rendering.issue_stories(issue)
    if not stories:
        raise IssueRefused(_("Pick at least one published story first."))
    rendered = _as_test(rendering.render_issue(issue, stories=stories))
    stand_in = absolute_url(reverse("story_desk:newsletter", args=[issue.newsletter.slug]))
    mail = rendering.message(rendered, to=actor.email, unsubscribe_url=stand_in)
    try:
        mail.send()
    except (smtplib.SMTPException, OSError) as error:
        raise IssueRefused(
            _("The test could not be sent (%(error)s). Try again in a moment.")
            % {"error": error.__class__.__name__}
        ) from error
    _record(issue, Action.TEST_SENT, actor, issue.status, issue.status, data={"to": actor.email})
    return issue


def _as_test(rendered: rendering.RenderedIssue) -> rendering.RenderedIssue:
    notice = gettext("Test send: the unsubscribe link is filled in when the issue is sent.")
    banner = (
        '<p style="margin:0;padding:10px 16px;background:#fff4d6;color:#6b4e00;'
        "font-family:'Apple SD Gothic Neo','Malgun Gothic',sans-serif;font-size:13px;"
        f'text-align:center;">{escape(notice)}</p>'
    )
    html = re.sub(r"(<body[^>]*>)", lambda found: found.group(1) + banner, rendered.html, count=1)
    return replace(
        rendered,
        subject=TEST_PREFIX + rendered.subject,
        html=html,
        text=f"{notice}\n\n{rendered.text}",
    )


# --- scheduling and sending -------------------------------------------------------------------


@transaction.atomic
def schedule(issue: NewsletterIssue, *, actor: User, at: datetime | None) -> NewsletterIssue:
    """Draft (or scheduled: a new time) -> scheduled at `at`, in the future. The
    scheduler (start_due_issues) starts it within a minute of that time. The issue must
    have a published story. History: "scheduled" with the time."""
    require(can_send_newsletters(actor))
    if at is None:
        raise IssueRefused(_("Choose the date and time to send."))
    if at <= timezone.now():
        raise IssueRefused(_("Choose a time in the future."))
    issue = _lock(issue)
    old_status = _require_transition(issue, "schedule")
    if not rendering.issue_stories(issue):
        raise IssueRefused(_("Pick at least one published story first."))
    issue.status, issue.send_at = Status.SCHEDULED, at
    issue.save(update_fields=["status", "send_at"])
    _record(issue, Action.SCHEDULED, actor, old_status, issue.status, data={"send_at": _iso(at)})
    return issue


@transaction.atomic
def unschedule(issue: NewsletterIssue, *, actor: User, note: str = "") -> NewsletterIssue:
    """Scheduled -> draft: it is not sent at its time. History: "unscheduled"."""
    require(can_send_newsletters(actor))
    issue = _lock(issue)
    return _unschedule(issue, actor, note)


def _unschedule(issue: NewsletterIssue, actor: User | None, note: str) -> NewsletterIssue:
    old_status = _require_transition(issue, "unschedule")
    was = issue.send_at
    issue.status, issue.send_at = Status.DRAFT, None
    issue.save(update_fields=["status", "send_at"])
    _record(
        issue, Action.UNSCHEDULED, actor, old_status, issue.status, note, {"send_at": _iso(was)}
    )
    return issue


@transaction.atomic
def send_now(issue: NewsletterIssue, *, actor: User) -> NewsletterIssue:
    """Start sending a draft or scheduled issue to every confirmed subscriber now (see
    start_sending). The same editor's second click on an issue they just started is that
    sending: nothing more is done."""
    require(can_send_newsletters(actor))
    issue = _lock(issue)
    if issue.status in (Status.SENDING, Status.SENT) and _just_started_by(issue, actor):
        return issue
    return start_sending(issue, actor)


def start_sending(issue: NewsletterIssue, actor: User | None) -> NewsletterIssue:
    """Draft or scheduled -> sending, on an issue the caller has locked (send_now, or the
    scheduler with `actor` None). The recipients are fixed now: one IssueDelivery per
    confirmed, not suspended subscription (sending.queue_recipients), their number kept.
    Refused, with nothing changed, for an issue without a published story, of a
    newsletter no longer offered, or without recipients. History: "sending". Tasks:
    articles.send_newsletter_batch, which sends them all in batches and ends the issue."""
    old_status = _require_transition(issue, "send")
    if not issue.newsletter.is_active:
        raise IssueRefused(_("This newsletter is switched off: it sends nothing."))
    if not rendering.issue_stories(issue):
        raise IssueRefused(_("Pick at least one published story first."))
    count = sending.queue_recipients(issue)
    if count == 0:
        raise IssueRefused(_("This newsletter has no confirmed subscribers to send to."))
    issue.status = Status.SENDING
    issue.started_at = timezone.now()
    issue.recipient_count = count
    issue.save(update_fields=["status", "started_at", "recipient_count"])
    _record(issue, Action.SENDING, actor, old_status, issue.status, data={"recipients": count})
    enqueue(sending.BATCH_TASK, issue.pk)
    return issue


def start_due_issues(*, now: datetime | None = None) -> int:
    """The scheduler (articles.start_due_newsletters, every minute): start every
    scheduled issue whose time has come, each in its own transaction. One that cannot
    start (no story left published, no subscribers) goes back to draft with the reason,
    so the desk sees it and it is not retried every minute. Returns how many started."""
    now = now or timezone.now()
    due = NewsletterIssue.objects.filter(status=Status.SCHEDULED, send_at__lte=now)
    started = 0
    for issue_id in due.values_list("pk", flat=True):
        try:
            started += _start_when_due(issue_id, now)
        except Exception:
            # One issue's unexpected failure must not hold the others back this minute;
            # it is tried again at the next run.
            logger.exception("newsletter issue %s could not start on schedule", issue_id)
    return started


def _start_when_due(issue_id: int, now: datetime) -> int:
    with transaction.atomic():
        issue = _lock(NewsletterIssue(pk=issue_id))
        # Re-read under the lock: an editor may have unscheduled or sent it meanwhile.
        if issue.status != Status.SCHEDULED or issue.send_at > now:
            return 0
        try:
            with transaction.atomic():
                start_sending(issue, None)
        except IssueRefused as refusal:
            issue.refresh_from_db()
            _unschedule(issue, None, str(refusal))
            return 0
        return 1


@transaction.atomic
def cancel(issue: NewsletterIssue, *, actor: User, note: str = "") -> NewsletterIssue:
    """Draft or scheduled -> cancelled: it stays on the record and is never sent.
    History: "cancelled"."""
    require(can_send_newsletters(actor))
    issue = _lock(issue)
    old_status = _require_transition(issue, "cancel")
    issue.status, issue.send_at = Status.CANCELLED, None
    issue.save(update_fields=["status", "send_at"])
    _record(issue, Action.CANCELLED, actor, old_status, issue.status, note.strip())
    return issue


@transaction.atomic
def stop_sending(issue: NewsletterIssue, *, actor: User, note: str = "") -> NewsletterIssue:
    """Sending -> cancelled, for an issue sent by mistake: every recipient not yet sent to
    is left unsent (sending.skip_queued; a batch under way stops at its next look, within
    sending.STOP_CHECK_EVERY messages). History: "stopped", with how many were left out."""
    require(can_send_newsletters(actor))
    issue = _lock(issue)
    old_status = _require_transition(issue, "stop")
    left_out = sending.skip_queued(issue, "The sending was stopped on the desk.")
    issue.status, issue.finished_at = Status.CANCELLED, timezone.now()
    issue.save(update_fields=["status", "finished_at"])
    _record(
        issue, Action.STOPPED, actor, old_status, issue.status, note.strip(), {"left": left_out}
    )
    return issue


# --- helpers ----------------------------------------------------------------------------------


def _content(subject: str, intro: str, article_ids: Iterable[int]) -> tuple[str, str, list[int]]:
    subject = " ".join(subject.split())
    if not subject:
        raise IssueRefused(_("Write the subject."))
    ids = list(dict.fromkeys(int(pk) for pk in article_ids))
    published = set(selectors.published().filter(pk__in=ids).values_list("pk", flat=True))
    if len(published) != len(ids):
        raise IssueRefused(_("Only published stories can go into an issue."))
    return subject, intro.strip().replace("\r\n", "\n"), ids


def _set_picks(issue: NewsletterIssue, ids: list[int]) -> None:
    IssueStory.objects.bulk_create(
        IssueStory(issue=issue, article_id=pk, position=position) for position, pk in enumerate(ids)
    )


def _pick_ids(issue: NewsletterIssue) -> list[int]:
    return list(issue.picks.order_by("position", "pk").values_list("article_id", flat=True))


def _lock(issue: NewsletterIssue) -> NewsletterIssue:
    return (
        NewsletterIssue.objects.select_for_update(of=("self",))
        .select_related("newsletter")
        .get(pk=issue.pk)
    )


def _require_transition(issue: NewsletterIssue, action: str) -> str:
    if issue.status not in TRANSITIONS[action].sources:
        raise IssueNotInState(issue.get_status_display())
    return issue.status


def _just_started_by(issue: NewsletterIssue, actor: User) -> bool:
    started = issue.events.filter(action=Action.SENDING).first()
    return (
        started is not None
        and started.actor_id == actor.pk
        and started.created_at >= timezone.now() - workflow.DOUBLE_SUBMIT_WINDOW
    )


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _record(
    issue: NewsletterIssue,
    action: str,
    actor: User | None,
    from_status: str,
    to_status: str,
    note: str = "",
    data: dict | None = None,
) -> IssueEvent:
    """One history row about the issue, in the caller's transaction."""
    return IssueEvent.objects.create(
        issue=issue,
        issue_subject=issue.subject,
        action=action,
        from_status=from_status,
        to_status=to_status,
        actor=actor,
        actor_name=display_name(actor),
        note=note,
        data=data or {},
    )
