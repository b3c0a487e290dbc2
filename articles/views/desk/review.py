"""The editor's desk: the review queue, the coming schedule, and the confirmation step of
each decision taken from them. Every decision is one call into articles.workflow."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

from accounts.errors import NotAllowed
from accounts.permissions import desk_view
from articles import selectors, workflow
from articles.errors import NoteRequired, StoryRefused
from articles.models import (
    Article,
    Section,
)
from articles.views.desk import DONE_MESSAGES, story_for
from newsroom import inputs

QUEUE_PAGE_SIZE = 30
# A story sent this recently is "just sent", not "waiting 0 minutes".
JUST_NOW = timedelta(minutes=1)
SCHEDULE_DAYS = 14


@never_cache
@desk_view("articles.publish_article")
def queue(request):
    """Submitted stories, longest waiting first; filter by section and by reporter."""
    sections = list(Section.objects.active_tree())
    reporters = list(selectors.bylined_staff())
    section = next((s for s in sections if str(s.pk) == request.GET.get("section")), None)
    reporter = next((p for p in reporters if str(p.pk) == request.GET.get("reporter")), None)
    stories = selectors.review_queue(section=section, profile_id=reporter.pk if reporter else None)
    page = Paginator(stories, QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    now = timezone.now()
    for story in page:
        story.lock_holder = (
            story.editing_by
            if story.editing_by_id
            and story.editing_since
            and now - story.editing_since < workflow.EDIT_LOCK_TTL
            else None
        )
        story.just_submitted = bool(story.submitted_at) and now - story.submitted_at < JUST_NOW
    return render(
        request,
        "articles/desk/queue.html",
        {
            "page": page,
            "sections": sections,
            "reporters": reporters,
            "section": section,
            "reporter": reporter,
            "now": now,
        },
    )


@dataclass
class Day:
    date: object
    entries: list  # (time, kind, story)


@never_cache
@desk_view("articles.publish_article")
def schedule(request):
    """What publishes and what comes down in the next two weeks, day by day (Korean time)."""
    now = timezone.now()
    publishing, unpublishing = selectors.coming_up(now, now + timedelta(days=SCHEDULE_DAYS))
    by_day = defaultdict(list)
    for story in publishing:
        by_day[timezone.localdate(story.scheduled_publish_at)].append(
            (story.scheduled_publish_at, "publish", story)
        )
    for story in unpublishing:
        by_day[timezone.localdate(story.scheduled_unpublish_at)].append(
            (story.scheduled_unpublish_at, "unpublish", story)
        )
    days = [
        Day(date, sorted(entries, key=lambda entry: (entry[0], entry[2].pk)))
        for date, entries in sorted(by_day.items())
    ]
    return render(request, "articles/desk/schedule.html", {"days": days, "now": now})


# Each decision: what the form asks for and the workflow call it makes.
DECISIONS = {
    "publish": _("Publish now"),
    "schedule": _("Schedule the publication"),
    "cancel_schedule": _("Cancel the scheduled publication"),
    "return": _("Return to the reporter"),
    "unpublish": _("Take the story down"),
    "schedule_unpublish": _("Schedule the take-down"),
    "cancel_unpublish": _("Cancel the scheduled take-down"),
    "republish": _("Publish again"),
}
DONE = {
    **DONE_MESSAGES,
    "schedule_unpublish": _("The take-down is scheduled."),
    "cancel_unpublish": _("The scheduled take-down was cancelled."),
}


@never_cache
@desk_view("articles.publish_article")
def decide(request, article_id: int, decision: str):
    """A confirmation page for one decision on one story; the POST makes it."""
    if decision not in DECISIONS:
        raise Http404  # an address no button makes
    article = story_for(request.user, article_id)
    back = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = ""
    back = back or reverse("story_desk:queue")
    error, step_error = "", None
    if request.method == "POST":
        try:
            if decision == "schedule" and request.POST.get("at_embargo"):
                # "엠바고 시각에 예약": the embargo's own time, to the second, in one step.
                workflow.schedule_at_embargo(article, actor=request.user)
            else:
                workflow.take_step(
                    article,
                    decision,
                    actor=request.user,
                    note=request.POST.get("note", ""),
                    public_note=request.POST.get("public_note", ""),
                    at=inputs.local_datetime(request.POST.get("at", "")),
                )
        except NoteRequired as refusal:
            error = str(refusal)
            step_error = {"action": decision, "message": error}
        except (NotAllowed, StoryRefused) as refusal:
            error = str(refusal)
        else:
            messages.success(request, DONE[decision])
            return redirect(back)
    return render(
        request,
        "articles/desk/decide.html",
        {
            "article": article,
            "decision": decision,
            "title": (
                _("Reschedule the publication")
                if decision == "schedule" and article.status == Article.Status.SCHEDULED
                else DECISIONS[decision]
            ),
            "back": back,
            "error": error,
            "step_error": step_error,
            "posted": request.POST,
        },
        status=400 if error else 200,
    )
