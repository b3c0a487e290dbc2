"""The planning board (기획): the calendar and list of what the desk plans and what goes out
when, an item's page, and the answers to an assignment. Editors manage the board, every
desk role reads it, and only the assigned writer answers an assignment. Every change is
one call into articles.planning."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts.errors import NotAllowed
from accounts.models import User
from accounts.permissions import desk_view
from accounts.roles import Role
from articles import permissions, planning
from articles.errors import NoteRequired, StoryRefused
from articles.forms import LocalDateTimeField, PlanningItemForm
from articles.models import Assignment, PlanningItem
from articles.views.desk import attempt
from newsroom import inputs

READ = "accounts.access_desk"  # the board: every desk role (permissions.can_read_planning)
PLAN = "articles.publish_article"  # managing it: editors (permissions.can_plan)
WRITE = "articles.add_article"  # answering an assignment: writers
RANGES = {
    "today": _("Today"),
    "tomorrow": _("Tomorrow"),
    "week": _("This week"),
}
VIEWS = {"calendar": _("Calendar"), "list": _("List")}
WEEK_DAYS = 7
DAY = forms.DateField(input_formats=["%Y-%m-%d"])  # the ?from= of the week


@dataclass
class Range:
    key: str
    first: date
    days: list[date]

    @property
    def start(self) -> datetime:
        return _midnight(self.days[0])

    @property
    def end(self) -> datetime:
        return _midnight(self.days[-1] + timedelta(days=1))


@never_cache
@desk_view(READ)
def board(request):
    """The board for today, tomorrow or seven days from a date (?range=, ?from=), as a
    calendar or a list (?view=), in Korean time. Each item shows its stories' state and
    is flagged when late; an editor's week shows each writer's load per day."""
    today = timezone.localdate()
    key = request.GET.get("range", "week")
    key = key if key in RANGES else "week"
    first = today + timedelta(days=1) if key == "tomorrow" else today
    if key == "week":
        first = _asked_day(request.GET.get("from", ""), today)
    length = WEEK_DAYS if key == "week" else 1
    span = Range(key, first, [first + timedelta(days=n) for n in range(length)])
    view = request.GET.get("view", "calendar")
    view = view if view in VIEWS else "calendar"
    now = timezone.now()
    editor = permissions.can_plan(request.user)
    days, items = [], []
    for day, entries in planning.calendar(span.start, span.end).items():
        shown = []
        for entry in entries:
            if entry.kind == "item":
                _describe(entry.subject, now, request.user)
                items.append(entry.subject)
            shown.append((entry, planning.KIND_LABELS.get(entry.kind, entry.kind)))
        days.append((day, shown))
    load = planning.load(span.days) if editor and key == "week" else []
    return render(
        request,
        "articles/desk/planning/board.html",
        {
            "span": span,
            "days": days,
            "items": items,
            "view": view,
            "ranges": [(k, label, _board_url(range=k, view=view)) for k, label in RANGES.items()],
            "views": [
                (k, label, _board_url(**_span_query(span), view=k)) for k, label in VIEWS.items()
            ],
            "previous_url": _board_url(
                range="week", view=view, **{"from": str(first - timedelta(days=WEEK_DAYS))}
            ),
            "next_url": _board_url(
                range="week", view=view, **{"from": str(first + timedelta(days=WEEK_DAYS))}
            ),
            "can_plan": editor,
            "load": load,
            "threshold": planning.OVERLOAD_THRESHOLD,
            "today": today,
            "now": now,
        },
    )


@never_cache
@desk_view(PLAN)
def item_new(request):
    """A new item on the board (editors); the POST plans it."""
    if request.method == "POST":
        form = PlanningItemForm(request.POST)
        if form.is_valid():
            try:
                item = planning.create_item(actor=request.user, **form.cleaned_data)
            except StoryRefused as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Planned."))
                return redirect("story_desk:planning-item", item.pk)
    else:
        start = _midnight(timezone.localdate()) + timedelta(hours=18)
        form = PlanningItemForm(initial={"target_at": start})
    return render(
        request,
        "articles/desk/planning/new.html",
        {"form": form},
        status=400 if form.is_bound else 200,
    )


@never_cache
@desk_view(READ)
def item(request, item_id: int):
    """One item: its details, its assignments with their stories, its history, and the
    editor's forms (move, assign, cancel) or the writer's answers."""
    found = planning.item_with_assignments(item_id)
    if found is None:
        raise Http404
    now = timezone.now()
    _describe(found, now, request.user)
    editor = permissions.can_plan(request.user)
    return render(
        request,
        "articles/desk/planning/item.html",
        {
            "item": found,
            "events": list(found.events.all()[:50]),
            "can_plan": editor and not found.is_cancelled,
            "writers": _writers() if editor and not found.is_cancelled else [],
            "target_value": LocalDateTimeField().prepare_value(found.target_at),
            "due_value": LocalDateTimeField().prepare_value(found.target_at - timedelta(hours=1)),
            "now": now,
        },
    )


@desk_view(PLAN)
@require_POST
def item_move(request, item_id: int):
    found = _item_for_change(item_id)
    attempt(
        request,
        lambda: planning.move_item(
            found,
            actor=request.user,
            target_at=inputs.local_datetime(request.POST.get("target_at", "")),
            base_version=inputs.number(request.POST.get("base_version"), 0),
        ),
        _("Moved."),
    )
    return _back(request, found.get_absolute_url())


@desk_view(PLAN)
@require_POST
def item_cancel(request, item_id: int):
    found = _item_for_change(item_id)
    attempt(
        request,
        lambda: planning.cancel_item(
            found, actor=request.user, reason=request.POST.get("reason", "")
        ),
        _("The item was cancelled."),
    )
    return _back(request, found.get_absolute_url())


@desk_view(PLAN)
@require_POST
def item_assign(request, item_id: int):
    found = _item_for_change(item_id)
    reporter = _writers().filter(pk=inputs.number(request.POST.get("reporter"), 0)).first()
    if reporter is None:
        messages.error(request, _("Choose a reporter."))
    else:
        attempt(
            request,
            lambda: planning.assign(
                found,
                actor=request.user,
                reporter=reporter,
                due_at=inputs.local_datetime(request.POST.get("due_at", "")),
            ),
            _("Assigned."),
        )
    return _back(request, found.get_absolute_url())


@desk_view(WRITE)
@require_POST
def assignment_accept(request, assignment_id: int):
    assignment = _assignment_for(request.user, assignment_id)
    attempt(
        request,
        lambda: planning.accept(assignment, actor=request.user),
        _("Accepted. Start the story when you are ready."),
    )
    return _back(request, reverse("story_desk:dashboard"))


@never_cache
@desk_view(WRITE)
def assignment_decline(request, assignment_id: int):
    """The writer's reason for declining, asked on its own page; the POST declines."""
    assignment = _assignment_for(request.user, assignment_id)
    if not permissions.can_answer_assignment(request.user, assignment):
        raise NotAllowed(_("Only the assigned reporter answers this assignment."))
    error = ""
    if request.method == "POST":
        try:
            planning.decline(assignment, actor=request.user, reason=request.POST.get("reason", ""))
        except NoteRequired as refusal:
            error = str(refusal)
        except StoryRefused as refusal:
            messages.error(request, str(refusal))
            return redirect("story_desk:dashboard")
        else:
            messages.success(request, _("Declined. The desk sees your reason."))
            return redirect("story_desk:dashboard")
    return render(
        request,
        "articles/desk/planning/decline.html",
        {"assignment": assignment, "error": error, "reason": request.POST.get("reason", "")},
        status=400 if error else 200,
    )


@desk_view(WRITE)
@require_POST
def assignment_start(request, assignment_id: int):
    """A draft from the accepted assignment (or the one a first click made), opened in the
    editor."""
    assignment = _assignment_for(request.user, assignment_id)
    try:
        story = planning.start_story(assignment, actor=request.user)
    except StoryRefused as error:
        messages.error(request, str(error))
        return _back(request, reverse("story_desk:dashboard"))
    return redirect("story_desk:edit", story.pk)


# --- helpers --------------------------------------------------------------------------------


def _describe(item: PlanningItem, now: datetime, user) -> None:
    """The board's reading of an item: its state, whether it is late, and each
    assignment's own (from the prefetched assignments and stories), with whether this
    user may open the assignment's story (editors, and its writer)."""
    editor = permissions.is_editor(user)
    item.board_state = planning.item_state(item)
    item.board_state_label = planning.STATE_LABELS[item.board_state]
    item.late = planning.item_overdue(item, now)
    for assignment in item.assignments.all():
        assignment.board_state = planning.assignment_state(assignment)
        assignment.board_state_label = planning.STATE_LABELS[assignment.board_state]
        assignment.late = not item.is_cancelled and planning.assignment_overdue(assignment, now)
        assignment.story_visible = editor or assignment.reporter_id == user.pk
        assignment.answerable = not item.is_cancelled and permissions.can_answer_assignment(
            user, assignment
        )


def _item_for_change(item_id: int) -> PlanningItem:
    found = PlanningItem.objects.filter(pk=item_id).first()
    if found is None:
        raise Http404
    return found


def _assignment_for(user, assignment_id: int) -> Assignment:
    """An assignment its writer or an editor may see; to anyone else it is missing."""
    found = Assignment.objects.select_related("item__section").filter(pk=assignment_id).first()
    if found is None or not permissions.can_see_assignment(user, found):
        raise Http404
    return found


def _writers():
    """Who may be assigned: active reporters and editors, by byline."""
    return (
        User.objects.filter(groups__name__in=[Role.REPORTER, Role.EDITOR], is_active=True)
        .select_related("staff_profile")
        .distinct()
        .order_by("staff_profile__byline_name", "pk")
    )


def _back(request, default: str):
    back = request.POST.get("next", "")
    if back and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return redirect(back)
    return redirect(default)


def _midnight(day: date) -> datetime:
    return datetime.combine(day, datetime.min.time(), tzinfo=timezone.get_current_timezone())


def _asked_day(value: str, today: date) -> date:
    """The ?from= day, when it is a real date within ten years of today; else today."""
    try:
        asked = DAY.clean(value)
    except ValidationError:  # empty, not a date, or impossible numbers: 2026-13-45
        asked = None
    if asked is None or abs((asked - today).days) > 3650:
        return today
    return asked


def _span_query(span: Range) -> dict:
    query = {"range": span.key}
    if span.key == "week":
        query["from"] = str(span.first)
    return query


def _board_url(**query) -> str:
    return f"{reverse('story_desk:planning')}?{urlencode(query)}"
