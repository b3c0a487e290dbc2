"""The planning board (기획) and its assignments (배정): every change, and the board's
calendar of what goes out when.

Each state change checks the actor's right (articles.permissions), locks and re-reads its
row, checks the state, changes the rows and writes one PlanningEvent in the same
transaction; starting a story also writes the story's own ArticleEvent. A repeated click
(the same action by the same person within workflow.DOUBLE_SUBMIT_WINDOW) changes nothing
and answers what the first click made. Each event is one function, so that a notification
(assigned, declined) is one call added at its end; `missed_deadlines()` is the read a
periodic job uses for "due missed".

The pure rules (a story's state on the board, overdue, overload) need no database and are
at the end of the module.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import transaction
from django.db.models import Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.errors import require
from accounts.models import User
from accounts.names import UNNAMED_MEMBER, display_name
from articles import notifications, permissions, workflow
from articles.errors import (
    AlreadyAssigned,
    AssignmentAnswered,
    ItemCancelled,
    NotAWriter,
    NoteRequired,
    PlanRefused,
    StalePlan,
)
from articles.events import record
from articles.models import Article, Assignment, PlanningEvent, PlanningItem, Section

Action = PlanningEvent.Action
ItemStatus = PlanningItem.Status
AssignmentStatus = Assignment.Status
# More open assignments than this due on one day makes a reporter overloaded that day.
OVERLOAD_THRESHOLD = 3
# Which assignments still count: offered or accepted, not declined.
OPEN = (AssignmentStatus.OFFERED, AssignmentStatus.ACCEPTED)


# --- items ----------------------------------------------------------------------------------


@transaction.atomic
def create_item(
    *,
    actor: User,
    slugline: str,
    section: Section,
    target_at: datetime | None,
    angle: str = "",
    priority: str = PlanningItem.Priority.NORMAL,
    expected_length: int = 0,
    photo_needed: bool = False,
) -> PlanningItem:
    """A new item on the board (editors). The same item posted twice by the same editor
    within the double-submit window is the first one. History: "created"."""
    require(permissions.can_plan(actor))
    slugline = " ".join(slugline.split())
    if not slugline:
        raise PlanRefused(_("Write the slug-line."))
    target_at = _required_time(target_at)
    fields = {
        "slugline": slugline,
        "section": section,
        "target_at": target_at,
        "angle": angle.strip(),
        "priority": PlanningItem.Priority(priority),
        "expected_length": max(int(expected_length or 0), 0),
        "photo_needed": bool(photo_needed),
    }
    # One create at a time per editor: two identical posts at once would both find nothing.
    User.objects.select_for_update().filter(pk=actor.pk).first()
    repeated = PlanningItem.objects.filter(
        created_by=actor,
        created_at__gte=timezone.now() - workflow.DOUBLE_SUBMIT_WINDOW,
        **fields,
    ).first()
    if repeated is not None:
        return repeated
    item = PlanningItem.objects.create(created_by=actor, **fields)
    _record(item, Action.CREATED, actor, "", item.status, data={"target_at": _iso(target_at)})
    return item


@transaction.atomic
def move_item(
    item: PlanningItem, *, actor: User, target_at: datetime | None, base_version: int
) -> PlanningItem:
    """Change the item's target time (editors), from the version the form showed. A move
    from an older version is refused (StalePlan), unless the item is already at that time
    (a repeated click: nothing is written). History: "moved", old and new times."""
    require(permissions.can_plan(actor))
    target_at = _required_time(target_at)
    item = _lock_item(item)
    if item.target_at == target_at:
        return item  # already there: a repeated click, or nothing to move
    if item.version != base_version:
        raise StalePlan()
    if item.is_cancelled:
        raise ItemCancelled()
    old = item.target_at
    item.target_at = target_at
    item.version += 1
    item.save(update_fields=["target_at", "version"])
    _record(
        item,
        Action.MOVED,
        actor,
        item.status,
        item.status,
        data={"from": _iso(old), "to": _iso(target_at)},
    )
    return item


@transaction.atomic
def cancel_item(item: PlanningItem, *, actor: User, reason: str = "") -> PlanningItem:
    """Take the item off the plan (editors); it stays on the record, its assignments with
    it, and no story can be started from it any more. History: "cancelled"."""
    require(permissions.can_plan(actor))
    item = _lock_item(item)
    if item.is_cancelled:
        if _just_done(item, Action.CANCELLED, actor):
            return item
        raise ItemCancelled()
    item.status, item.cancel_reason = ItemStatus.CANCELLED, reason.strip()
    item.version += 1
    item.save(update_fields=["status", "cancel_reason", "version"])
    _record(item, Action.CANCELLED, actor, ItemStatus.PLANNED, item.status, note=item.cancel_reason)
    return item


# --- assignments ----------------------------------------------------------------------------


@transaction.atomic
def assign(
    item: PlanningItem, *, actor: User, reporter: User, due_at: datetime | None
) -> Assignment:
    """Offer the item to a writer (a reporter or an editor), due at a time (editors). A
    writer holds an item once; one who declined may be offered it again.
    History: "assigned". Notifications: "assigned", to the writer."""
    require(permissions.can_plan(actor))
    due_at = _required_time(due_at, _("Choose the due date and time."))
    if not permissions.can_create(reporter):
        raise NotAWriter()
    item = _lock_item(item)  # one assignment change at a time per item
    if item.is_cancelled:
        raise ItemCancelled()
    held = item.assignments.filter(reporter=reporter, status__in=OPEN).first()
    if held is not None:
        if _just_done(item, Action.ASSIGNED, actor, assignment=held):
            return held
        raise AlreadyAssigned(display_name(reporter))
    assignment = Assignment.objects.create(
        item=item, reporter=reporter, due_at=due_at, assigned_by=actor
    )
    _record(
        item,
        Action.ASSIGNED,
        actor,
        "",
        assignment.status,
        assignment=assignment,
        data={"reporter": reporter.pk, "due_at": _iso(due_at)},
    )
    notifications.notify(
        notifications.Kind.ASSIGNED,
        recipients=[reporter],
        actor=actor,
        key=f"assignment:{assignment.pk}:assigned",
        data=_told_of(assignment, at=due_at),
    )
    return assignment


@transaction.atomic
def accept(assignment: Assignment, *, actor: User) -> Assignment:
    """Offered -> accepted, by the assigned writer only. History: "accepted"."""
    assignment = _lock_assignment(assignment)
    require(permissions.can_answer_assignment(actor, assignment))
    if assignment.status == AssignmentStatus.ACCEPTED and _just_done(
        assignment.item, Action.ACCEPTED, actor, assignment=assignment
    ):
        return assignment
    if assignment.item.is_cancelled:
        raise ItemCancelled()
    if assignment.status != AssignmentStatus.OFFERED:
        raise AssignmentAnswered(assignment.get_status_display())
    return _answer(assignment, AssignmentStatus.ACCEPTED, Action.ACCEPTED, actor)


@transaction.atomic
def decline(assignment: Assignment, *, actor: User, reason: str) -> Assignment:
    """Offered (or accepted, while no story was started) -> declined, with the writer's
    reason, by the assigned writer only. History: "declined" with the reason.
    Notifications: "declined", to the editor who assigned it and the item's planner."""
    reason = reason.strip()
    assignment = _lock_assignment(assignment)
    require(permissions.can_answer_assignment(actor, assignment))
    if assignment.status == AssignmentStatus.DECLINED and _just_done(
        assignment.item, Action.DECLINED, actor, assignment=assignment
    ):
        return assignment
    if not reason:
        raise NoteRequired(_("Tell the desk why you decline."))
    if assignment.status == AssignmentStatus.DECLINED or assignment.article_id:
        raise AssignmentAnswered(assignment.get_status_display())
    assignment.decline_reason = reason
    declined = _answer(assignment, AssignmentStatus.DECLINED, Action.DECLINED, actor, note=reason)
    notifications.notify(
        notifications.Kind.DECLINED,
        recipients=[assignment.assigned_by, assignment.item.created_by],
        actor=actor,
        key=f"assignment:{assignment.pk}:declined",
        data={**_told_of(assignment), "note": reason},
    )
    return declined


def tell_missed_deadlines(now: datetime | None = None) -> int:
    """The periodic reminder of assignments past their due time with no story handed in:
    told to the writer and the editor who assigned it, once per due time (a moved due time
    is told again). The number of notifications written."""
    told = 0
    for assignment in missed_deadlines(now):
        with transaction.atomic():
            told += len(
                notifications.notify(
                    notifications.Kind.DUE_MISSED,
                    recipients=[assignment.reporter, assignment.assigned_by],
                    article=assignment.article,
                    key=f"assignment:{assignment.pk}:due:{_iso(assignment.due_at)}",
                    data=_told_of(assignment, at=assignment.due_at),
                )
            )
    return told


def _told_of(assignment: Assignment, *, at: datetime | None = None) -> dict:
    """What a notification about an assignment shows: the slug-line, the item's page and
    the time it is about."""
    item = assignment.item
    data = {"title": item.slugline, "url": reverse("story_desk:planning-item", args=[item.pk])}
    return data | ({"at": _iso(at)} if at is not None else {})


@transaction.atomic
def start_story(assignment: Assignment, *, actor: User) -> Article:
    """A draft from an accepted assignment, by its writer: in the item's section, the
    slug-line as its working headline, linked to the assignment (the due time reads from
    it). A second click answers the same draft. History: the story's "created" and
    "planned" (ArticleEvent, with the item, the assignment and the due time) and the
    board's "started"."""
    assignment = _lock_assignment(assignment)
    require(permissions.can_answer_assignment(actor, assignment))
    if assignment.article_id is not None:
        return assignment.article
    item = assignment.item
    if item.is_cancelled:
        raise ItemCancelled()
    if assignment.status != AssignmentStatus.ACCEPTED:
        raise AssignmentAnswered(assignment.get_status_display())
    article = workflow.create(actor=actor, section=item.section, headline=item.slugline)
    assignment.article = article
    assignment.save(update_fields=["article"])
    details = {"item": item.pk, "assignment": assignment.pk, "due_at": _iso(assignment.due_at)}
    record(article, "planned", actor, Article.Status.DRAFT, Article.Status.DRAFT, "", details)
    _record(
        item,
        Action.STARTED,
        actor,
        assignment.status,
        assignment.status,
        assignment=assignment,
        data={"article": article.pk},
    )
    return article


def _answer(
    assignment: Assignment, status: str, action: str, actor: User, note: str = ""
) -> Assignment:
    old = assignment.status
    assignment.status, assignment.answered_at = status, timezone.now()
    assignment.save(update_fields=["status", "answered_at", "decline_reason"])
    _record(assignment.item, action, actor, old, status, assignment=assignment, note=note)
    return assignment


def _lock_item(item: PlanningItem) -> PlanningItem:
    return PlanningItem.objects.select_for_update().get(pk=item.pk)


def _lock_assignment(assignment: Assignment) -> Assignment:
    locked = Assignment.objects.select_for_update().get(pk=assignment.pk)
    locked.item = PlanningItem.objects.select_related("section").get(pk=locked.item_id)
    return locked


def _required_time(moment: datetime | None, message=None) -> datetime:
    if moment is None:
        raise PlanRefused(message or _("Choose the target date and time."))
    return moment


def _record(
    item: PlanningItem,
    action: str,
    actor: User | None,
    from_status: str,
    to_status: str,
    *,
    assignment: Assignment | None = None,
    note: str = "",
    data: dict | None = None,
) -> PlanningEvent:
    """One history row about the item, in the caller's transaction."""
    return PlanningEvent.objects.create(
        item=item,
        assignment=assignment,
        slugline=item.slugline,
        action=action,
        from_status=from_status,
        to_status=to_status,
        actor=actor,
        actor_name=display_name(actor),
        note=note,
        data=data or {},
    )


def _just_done(
    item: PlanningItem, action: str, actor: User | None, *, assignment: Assignment | None = None
) -> bool:
    """The same action on the same item (and assignment) by the same person a moment ago."""
    last = item.events.first()
    return (
        last is not None
        and last.action == action
        and last.assignment_id == (assignment.pk if assignment else None)
        and last.actor_id == (actor.pk if actor else None)
        and timezone.now() - last.created_at < workflow.DOUBLE_SUBMIT_WINDOW
    )


def _iso(moment: datetime) -> str:
    # In Korean time, as the desk reads it (a re-read row comes back in UTC).
    return timezone.localtime(moment).isoformat()


# --- reads ----------------------------------------------------------------------------------


def items_between(start: datetime, end: datetime) -> list[PlanningItem]:
    """The items (cancelled ones too) whose target time is in [start, end), soonest first,
    each with its assignments, their writers' profiles and their stories: three queries."""
    return list(
        PlanningItem.objects.filter(target_at__gte=start, target_at__lt=end)
        .select_related("section")
        .prefetch_related(_assignments())
        .order_by("target_at", "pk")
    )


def item_with_assignments(item_id: int) -> PlanningItem | None:
    return (
        PlanningItem.objects.select_related("section")
        .prefetch_related(_assignments())
        .filter(pk=item_id)
        .first()
    )


def _assignments() -> Prefetch:
    return Prefetch(
        "assignments",
        queryset=Assignment.objects.select_related("reporter__staff_profile", "article").defer(
            "article__body"
        ),
    )


def assignments_of(user: User) -> list[Assignment]:
    """A writer's assignments still to answer or to write (the dashboard's panel): offered
    or accepted, of items still planned, soonest due first, with the item and the story.
    One query."""
    return list(
        Assignment.objects.filter(reporter=user, status__in=OPEN, item__status=ItemStatus.PLANNED)
        .exclude(
            article__status__in=[
                Article.Status.SCHEDULED,
                Article.Status.PUBLISHED,
                Article.Status.UNPUBLISHED,
            ]
        )
        .select_related("item__section", "article")
        .defer("article__body")
        .order_by("due_at", "pk")
    )


def missed_deadlines(now: datetime | None = None) -> list[Assignment]:
    """Open assignments of planned items past their due time whose story is not yet in
    (the "due missed" notification's read)."""
    now = now or timezone.now()
    return list(
        Assignment.objects.filter(status__in=OPEN, item__status=ItemStatus.PLANNED, due_at__lt=now)
        .filter(Q(article__isnull=True) | Q(article__status__in=NOT_IN))
        .select_related("item", "reporter", "assigned_by", "article")
        .defer("article__body")
    )


@dataclass(frozen=True)
class LoadRow:
    reporter_id: int
    name: str
    counts: list[int]  # one per day of the interval

    @property
    def overloaded(self) -> bool:
        return any(is_overloaded(count) for count in self.counts)

    @property
    def cells(self) -> list[tuple[int, bool]]:
        """Each day's count, and whether it is over the threshold."""
        return [(count, is_overloaded(count)) for count in self.counts]


def load(days: list[date]) -> list[LoadRow]:
    """Open assignments of planned items per writer per day (by due time, Korean time),
    for the given consecutive days: the week's load. One query."""
    if not days:
        return []
    tz = timezone.get_current_timezone()
    start = datetime.combine(days[0], datetime.min.time(), tzinfo=tz)
    end = datetime.combine(days[-1] + timedelta(days=1), datetime.min.time(), tzinfo=tz)
    rows = Assignment.objects.filter(
        status__in=OPEN, item__status=ItemStatus.PLANNED, due_at__gte=start, due_at__lt=end
    ).values_list("reporter_id", "reporter__staff_profile__byline_name", "due_at")
    counts: dict[int, dict[date, int]] = defaultdict(lambda: defaultdict(int))
    names: dict[int, str] = {}
    for reporter_id, byline, due_at in rows:
        counts[reporter_id][timezone.localdate(due_at)] += 1
        names[reporter_id] = byline or str(UNNAMED_MEMBER)
    return sorted(
        (
            LoadRow(reporter_id, names[reporter_id], [per_day[day] for day in days])
            for reporter_id, per_day in counts.items()
        ),
        key=lambda row: (row.name, row.reporter_id),
    )


# --- the calendar ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """One thing on the calendar: when, which kind, and the item or story it is about."""

    at: datetime
    kind: str
    subject: object


def _planned(start: datetime, end: datetime) -> Iterable[tuple[datetime, object]]:
    return [(item.target_at, item) for item in items_between(start, end)]


def _stories_at(field: str, stories, start: datetime, end: datetime) -> list:
    """(the time in `field`, the story) for each of `stories` with that time in [start, end)."""
    within = stories.filter(**{f"{field}__gte": start, f"{field}__lt": end})
    return [
        (getattr(story, field), story)
        for story in within.select_related("section", "assignment").defer("body")
    ]


def _publishing(start: datetime, end: datetime) -> Iterable[tuple[datetime, object]]:
    scheduled = Article.objects.filter(status=Article.Status.SCHEDULED)
    return _stories_at("scheduled_publish_at", scheduled, start, end)


def _embargo_lifting(start: datetime, end: datetime) -> Iterable[tuple[datetime, object]]:
    kept = Article.objects.exclude(status=Article.Status.SPIKED)
    return _stories_at("embargo_until", kept, start, end)


def _unpublishing(start: datetime, end: datetime) -> Iterable[tuple[datetime, object]]:
    published = Article.objects.filter(status=Article.Status.PUBLISHED)
    return _stories_at("scheduled_unpublish_at", published, start, end)


# The calendar's kinds, in the order a day lists entries at the same minute. Each reads its
# own entries in [start, end); a new kind is one more line here.
CALENDAR_KINDS: dict[str, Callable[[datetime, datetime], Iterable[tuple[datetime, object]]]] = {
    "item": _planned,
    "embargo": _embargo_lifting,
    "publish": _publishing,
    "unpublish": _unpublishing,
}
KIND_LABELS = {
    "item": _("planned"),
    "embargo": _("embargo lifts"),
    "publish": _("publishes"),
    "unpublish": _("comes down"),
}


def calendar(start: datetime, end: datetime) -> dict[date, list[Entry]]:
    """Everything on the calendar in [start, end), by day (Korean time), every day of the
    interval present even when empty, each day's entries by time then kind."""
    tz = timezone.get_current_timezone()
    first, last = timezone.localdate(start, tz), timezone.localdate(end - timedelta(microseconds=1))
    days: dict[date, list[Entry]] = {
        first + timedelta(days=offset): [] for offset in range((last - first).days + 1)
    }
    order = {kind: index for index, kind in enumerate(CALENDAR_KINDS)}
    for kind, source in CALENDAR_KINDS.items():
        for at, subject in source(start, end):
            days.setdefault(timezone.localdate(at, tz), []).append(Entry(at, kind, subject))
    for entries in days.values():
        entries.sort(key=lambda entry: (entry.at, order[entry.kind], entry.subject.pk))
    return days


# --- the rules (no database) ----------------------------------------------------------------

# A story's state as the board shows it.
NOT_STARTED, DRAFTING, RETURNED, SUBMITTED = "not_started", "drafting", "returned", "submitted"
SCHEDULED, PUBLISHED, TAKEN_DOWN, CANCELLED = "scheduled", "published", "taken_down", "cancelled"
IN_THE_TRASH = "in_the_trash"
STATE_LABELS = {
    IN_THE_TRASH: _("In the trash"),
    NOT_STARTED: _("Not started"),
    DRAFTING: _("Drafting"),
    RETURNED: _("Returned"),
    SUBMITTED: _("Submitted"),
    SCHEDULED: _("Scheduled"),
    PUBLISHED: _("Published"),
    TAKEN_DOWN: _("Taken down"),
    CANCELLED: _("Cancelled"),
}
_FROM_STORY = {
    Article.Status.DRAFT: DRAFTING,
    Article.Status.RETURNED: RETURNED,
    Article.Status.SUBMITTED: SUBMITTED,
    Article.Status.SCHEDULED: SCHEDULED,
    Article.Status.PUBLISHED: PUBLISHED,
    Article.Status.UNPUBLISHED: TAKEN_DOWN,
    Article.Status.SPIKED: IN_THE_TRASH,
}
# How far along each state is: an item shows its furthest story.
_PROGRESS = [
    IN_THE_TRASH,
    NOT_STARTED,
    DRAFTING,
    RETURNED,
    SUBMITTED,
    SCHEDULED,
    PUBLISHED,
    TAKEN_DOWN,
]
# Stories not yet handed in: their writer's due time still binds.
NOT_IN = (Article.Status.DRAFT, Article.Status.RETURNED)
_HANDED_IN = {SUBMITTED, SCHEDULED, PUBLISHED, TAKEN_DOWN}
_OUT = {SCHEDULED, PUBLISHED, TAKEN_DOWN}


def story_state(article: Article | None) -> str:
    return NOT_STARTED if article is None else _FROM_STORY[article.status]


def assignment_state(assignment: Assignment) -> str:
    return story_state(assignment.article)


def item_state(item: PlanningItem) -> str:
    """The furthest state of the item's open assignments' stories ("cancelled" for a
    cancelled item). Reads the prefetched assignments."""
    if item.is_cancelled:
        return CANCELLED
    states = [assignment_state(a) for a in item.assignments.all() if a.is_open]
    return max(states, key=_PROGRESS.index, default=NOT_STARTED)


def assignment_overdue(assignment: Assignment, now: datetime) -> bool:
    """Open, past its due time, and its story not handed in."""
    return (
        assignment.is_open
        and assignment.due_at < now
        and assignment_state(assignment) not in _HANDED_IN
    )


def item_overdue(item: PlanningItem, now: datetime) -> bool:
    """A planned item is late when one of its writers is past due, or its target time
    passed before a story of it was scheduled or published."""
    if item.is_cancelled:
        return False
    if any(assignment_overdue(a, now) for a in item.assignments.all()):
        return True
    return item.target_at < now and item_state(item) not in _OUT


def is_overloaded(count: int) -> bool:
    return count > OVERLOAD_THRESHOLD
