"""Press-arbitration claims (언론중재법) against a story: every change to a PressClaim.

A claim is recorded when it arrives (even out of its window: the law lets the newsroom
refuse it, an editor decides, and the desk shows the warning), answered (accepted or
rejected, with the decision), its notice published when granted, and closed. While it is
open the editor may show the "claim received" notice at the top of the story.

Editors only, for reading and changing alike: a claim carries the claimant's name and what
they ask, personal data the newsroom shares on a need-to-know basis, and its answer is the
publisher's legal decision. The story's reporters are told that a claim was received (not
who makes it or what they ask) and hear the rest from their editor; the desk's claims
pages are not theirs.

Each function checks the actor's right, locks and re-reads the claim, checks its state
against TRANSITIONS, changes the rows and writes one ArticleEvent on the story (action
"claim_*", labels in articles.labels) in the same transaction. A notice shown, hidden or
published retires the story's pages like a correction does: publishing goes through
workflow.correct itself (the Correction row, revision, search, page-cache and edge purge,
share fan-out, notifications: its "corrected" event is a second history row); showing or
hiding the top notice calls the same dependencies.story_changed (page cache, edge purge
through the outbox). Deadlines are articles.claim_deadlines'.

The desk hears of a claim through articles.notifications: when it is recorded, the editors
of the story's section (led to the claim) and its bylined reporters (led to their story:
the claimant and what they ask stay on the editors' pages); and, from the periodic
reminders, the editors handling it the day before and on the day its answer or notice
falls due (Art. 15), once per claim and deadline.
"""

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.errors import require
from accounts.models import User
from articles import claim_deadlines, dependencies, notifications, permissions, workflow
from articles.errors import ClaimClosed, ClaimNotInState, ClaimRefused, NoteRequired
from articles.events import record
from articles.models import CLAIM_OPEN, Article, Correction, NotificationKind, PressClaim

Status = PressClaim.Status
Kind = PressClaim.Kind

# The notice a story carries at its top while a claim against it is open.
NOTICE_TEXT = _(
    "A claim for a correction or reply report under the Press Arbitration Act has been "
    "received against this story."
)
CORRECTION_KINDS = {
    Kind.CORRECTION: Correction.Kind.CORRECTION_REPORT,
    Kind.REPLY: Correction.Kind.REPLY_REPORT,
    Kind.FOLLOW_UP: Correction.Kind.FOLLOW_UP_REPORT,
}


@dataclass(frozen=True)
class Transition:
    sources: frozenset[str]
    target: str


TRANSITIONS: dict[str, Transition] = {
    "accept": Transition(frozenset({Status.RECEIVED}), Status.ACCEPTED),
    "reject": Transition(frozenset({Status.RECEIVED}), Status.REJECTED),
    "publish": Transition(frozenset({Status.ACCEPTED}), Status.PUBLISHED),
    "close": Transition(
        frozenset({Status.RECEIVED, Status.ACCEPTED, Status.REJECTED, Status.PUBLISHED}),
        Status.CLOSED,
    ),
}

WINDOW_WARNINGS = {
    "learned": _(
        "Received more than three months after the claimant learned of the report "
        "(Arts. 14, 16 and 17): the newsroom may refuse it."
    ),
    "published": _(
        "Received more than six months after the story was published (Arts. 14 and 16): "
        "the newsroom may refuse it."
    ),
    "before_learning": _(
        "The date the claimant learned of it is after the date received: check the dates."
    ),
}


def can_handle(user) -> bool:
    """Editors read and handle claims (see the module's docstring for why only they)."""
    return permissions.is_editor(user)


def published_on(article: Article) -> date | None:
    return timezone.localdate(article.published_at) if article.published_at else None


def window_warnings(claim: PressClaim) -> list[str]:
    problems = claim_deadlines.window_problems(
        claim.kind,
        received_on=claim.received_on,
        learned_on=claim.learned_on,
        published_on=published_on(claim.article),
    )
    return [str(WINDOW_WARNINGS[code]) for code in problems]


def deadlines(claim: PressClaim, *, today: date | None = None) -> list[claim_deadlines.Deadline]:
    notice = claim.correction
    return claim_deadlines.deadlines(
        claim.kind,
        received_on=claim.received_on,
        learned_on=claim.learned_on,
        published_on=published_on(claim.article),
        answered_on=claim.answered_on,
        accepted=claim.status == Status.ACCEPTED
        or (claim.status in (Status.PUBLISHED, Status.CLOSED) and notice is not None),
        notice_published_on=timezone.localdate(notice.created_at) if notice else None,
        today=today or timezone.localdate(),
    )


# --- changes --------------------------------------------------------------------------------


@transaction.atomic
def record_claim(
    article: Article,
    *,
    actor: User,
    kind: str,
    claimant: str,
    received_on: date,
    learned_on: date,
    demand: str = "",
    notice_shown: bool = False,
) -> PressClaim:
    """A claim received against a story (editors). Recorded even when received outside
    its window: `out_of_window` is set and the desk shows why (window_warnings); an editor
    decides whether to refuse it. History: "claim_recorded" (with the warnings).
    Notifications: "claim_received" to the section's editors and the story's bylines.
    Tasks: their e-mails; with `notice_shown`, the story's page-cache and edge purge."""
    require(can_handle(actor))
    article = Article.objects.select_for_update().get(pk=article.pk)
    if article.published_at is None or article.status == Article.Status.SPIKED:
        # A claim answers a report: a story readers never saw has none (and one in the
        # trash would be purged from under it: the claim protects its story).
        raise ClaimRefused(_("Only a story that was published can have a claim against it."))
    claimant = " ".join(claimant.split())
    if not claimant:
        raise ClaimRefused(_("Write who makes the claim."))
    kind = Kind(kind)
    if received_on > timezone.localdate():
        raise ClaimRefused(_("The date received cannot be in the future."))
    claim = PressClaim(
        article=article,
        kind=kind,
        claimant=claimant,
        demand=demand.strip(),
        received_on=received_on,
        learned_on=learned_on,
        notice_shown=bool(notice_shown),
        created_by=actor,
    )
    problems = claim_deadlines.window_problems(
        kind, received_on=received_on, learned_on=learned_on, published_on=published_on(article)
    )
    claim.out_of_window = bool(problems)
    claim.save()
    record(
        article,
        "claim_recorded",
        actor,
        article.status,
        article.status,
        claimant,
        {"claim": claim.pk, "kind": kind, "out_of_window": problems},
    )
    _tell_received(claim, article, actor)
    if claim.notice_shown:
        dependencies.story_changed(article)
    return claim


@transaction.atomic
def answer_claim(claim: PressClaim, *, actor: User, accept: bool, note: str) -> PressClaim:
    """The newsroom's answer (Art. 15: within 3 days of receipt): accepted or rejected,
    with the decision as the editor writes it. History: "claim_accepted" or
    "claim_rejected"."""
    action = "accept" if accept else "reject"
    claim = _lock(claim, actor, action)
    note = note.strip()
    if not note:
        raise NoteRequired(_("Write the decision."))
    claim.status = TRANSITIONS[action].target
    claim.decision_note = note
    claim.answered_on = timezone.localdate()
    claim.save(update_fields=["status", "decision_note", "answered_on"])
    _record(claim, f"claim_{action}ed", actor, note)
    return claim


def publish_claim_notice(claim: PressClaim, *, actor: User, text: str) -> PressClaim:
    """A granted claim's notice, as the editor wrote it, published on the story and on the
    corrections page through workflow.correct (the story must be published). The top
    "claim received" notice goes with it. History: "claim_published" and correct()'s
    "corrected". Tasks: correct()'s (page-cache and edge purge, search, share fan-out)."""
    with transaction.atomic():
        claim = _lock(claim, actor, "publish")
        text = text.strip()
        if not text:
            raise NoteRequired(_("Write the notice readers will see."))
        article = claim.article
        workflow.correct(
            article,
            actor=actor,
            base_version=article.version,
            note=text,
            kind=CORRECTION_KINDS[claim.kind],
        )
        claim.correction = article.corrections.order_by("-pk").first()
        claim.status = Status.PUBLISHED
        claim.notice_shown = False
        claim.save(update_fields=["correction", "status", "notice_shown"])
        _record(claim, "claim_published", actor, text)
    return claim


@transaction.atomic
def close_claim(claim: PressClaim, *, actor: User, note: str) -> PressClaim:
    """The claim ends (settled, withdrawn, decided by the commission or a court). The top
    notice goes. History: "claim_closed". Tasks: the story's page-cache and edge purge when
    the notice was shown."""
    claim = _lock(claim, actor, "close")
    note = note.strip()
    if not note:
        raise NoteRequired(_("Write how the claim ended."))
    was_shown = claim.notice_shown
    claim.status = Status.CLOSED
    claim.close_note = note
    claim.notice_shown = False
    claim.closed_at = timezone.now()
    claim.save(update_fields=["status", "close_note", "notice_shown", "closed_at"])
    _record(claim, "claim_closed", actor, note)
    if was_shown:
        dependencies.story_changed(claim.article)
    return claim


@transaction.atomic
def set_notice_shown(claim: PressClaim, *, actor: User, shown: bool) -> PressClaim:
    """Show or hide the "claim received" notice at the top of the story while the claim is
    open (the editor's decision). The same value again changes nothing. History:
    "claim_notice_shown" or "claim_notice_hidden". Tasks: the story's page-cache and edge
    purge, as a correction's."""
    require(can_handle(actor))
    claim = PressClaim.objects.select_for_update().select_related("article").get(pk=claim.pk)
    if claim.status not in CLAIM_OPEN:
        raise (
            ClaimClosed()
            if claim.status == Status.CLOSED
            else ClaimNotInState(claim.get_status_display())
        )
    if claim.notice_shown == bool(shown):
        return claim
    claim.notice_shown = bool(shown)
    claim.save(update_fields=["notice_shown"])
    _record(claim, "claim_notice_shown" if shown else "claim_notice_hidden", actor, "")
    dependencies.story_changed(claim.article)
    return claim


# --- reminders (a periodic job) -------------------------------------------------------------

# Told when this many days are left: the day before the deadline, and the day itself (for
# a claim recorded late, or a run missed the day before).
REMIND_DAYS_LEFT = (1, 0)
# Art. 15's deadlines the desk is reminded of (claim_deadlines' names), each its own kind.
DUE_KINDS = {
    "answer": NotificationKind.CLAIM_ANSWER_DUE,
    "publish": NotificationKind.CLAIM_NOTICE_DUE,
}


def tell_claim_deadlines(today: date | None = None) -> int:
    """The periodic reminder of Art. 15's deadlines not yet met: the answer (3 days from
    receipt) of a claim still received, the notice (7 days) of one accepted. Told to the
    claim's handling editors (its section's, and whoever recorded it) once per claim and
    deadline (the key), from the day before it falls due. A fixed number of queries
    however many claims. The number of notifications written."""
    today = today or timezone.localdate()
    due = list(
        PressClaim.objects.filter(
            Q(
                status=Status.RECEIVED,
                received_on__in=_received_for(claim_deadlines.ANSWER_DAYS, today),
            )
            | Q(
                status=Status.ACCEPTED,
                received_on__in=_received_for(claim_deadlines.PUBLISH_DAYS, today),
            )
        ).select_related("article", "correction", "created_by")
    )
    if not due:
        return 0
    everyone = notifications.editors()
    by_section = notifications.editors_for_sections(
        (claim.article.section_id for claim in due), among=everyone
    )
    editor_ids = {user.pk for user in everyone}
    tellings: dict[str, list[notifications.Telling]] = {}
    for claim in due:
        handling = list(by_section[claim.article.section_id])
        if claim.created_by_id in editor_ids:
            handling.append(claim.created_by)
        for deadline in deadlines(claim, today=today):
            if (
                deadline.name in DUE_KINDS
                and deadline.met_on is None
                and deadline.days_left in REMIND_DAYS_LEFT
            ):
                tellings.setdefault(DUE_KINDS[deadline.name], []).append(
                    notifications.Telling(
                        f"claim:{claim.pk}:{deadline.name}-due",
                        handling,
                        data=_told_of(claim, due=deadline.due),
                    )
                )
    told = 0
    with transaction.atomic():
        for kind, each in tellings.items():
            told += len(notifications.notify_many(kind, each))
    return told


def _received_for(days: int, today: date) -> list[date]:
    """The days of receipt whose deadline `days` later is one reminded of today."""
    return [claim_deadlines.add_days(today, left - days) for left in REMIND_DAYS_LEFT]


def _told_of(claim: PressClaim, **data) -> dict:
    """What an editor's notification of the claim shows: the story's headline, and where
    it leads (the claim's page on the desk)."""
    told = {"title": claim.article.headline, "url": claim.get_absolute_url()}
    return told | {name: value.isoformat() for name, value in data.items()}


def _tell_received(claim: PressClaim, article: Article, actor: User) -> None:
    editors = notifications.editors_for(article)
    notifications.notify_many(
        NotificationKind.CLAIM_RECEIVED,
        [
            # First: an editor also on the byline is led to the claim.
            notifications.Telling(f"claim:{claim.pk}:received", editors, data=_told_of(claim)),
            notifications.Telling(
                f"claim:{claim.pk}:received", notifications.bylined_staff(article), article
            ),
        ],
        actor=actor,
    )


# --- inside ---------------------------------------------------------------------------------


def _lock(claim: PressClaim, actor: User, action: str) -> PressClaim:
    require(can_handle(actor))
    claim = PressClaim.objects.select_for_update().select_related("article").get(pk=claim.pk)
    if claim.status == Status.CLOSED:
        raise ClaimClosed()
    if claim.status not in TRANSITIONS[action].sources:
        raise ClaimNotInState(claim.get_status_display())
    return claim


def _record(claim: PressClaim, action: str, actor: User, note: str) -> None:
    article = claim.article
    record(
        article,
        action,
        actor,
        article.status,
        article.status,
        note,
        {"claim": claim.pk, "kind": claim.kind, "claim_status": claim.status},
    )
