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
from django.utils import formats, timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts.errors import NotAllowed
from accounts.models import StaffProfile
from accounts.permissions import desk_view
from articles import fanout, preview_links, selectors, workflow
from articles.errors import DeliveryNotFailed, IllegalTransition, NoteRequired
from articles.models import (
    Article,
    FrontChange,
    FrontSlot,
    Section,
    ShareDelivery,
    ShareLink,
)
from articles.views.desk import DONE_MESSAGES, local_time, story_for
from newsroom import inputs

QUEUE_PAGE_SIZE = 30
SCHEDULE_DAYS = 14


@never_cache
@desk_view("articles.publish_article")
def queue(request):
    """Submitted stories, longest waiting first; filter by section and by reporter."""
    sections = list(Section.objects.active_tree())
    reporters = list(StaffProfile.objects.filter(bylines__isnull=False).distinct())
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
        raise NotAllowed
    article = story_for(request.user, article_id)
    back = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = ""
    back = back or reverse("story_desk:queue")
    error = ""
    if request.method == "POST":
        try:
            _make(request, article, decision)
        except (NotAllowed, IllegalTransition, NoteRequired, ValueError) as refusal:
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
            "posted": request.POST,
        },
        status=400 if error else 200,
    )


def _make(request, article: Article, decision: str) -> None:
    user, data = request.user, request.POST
    if decision == "publish":
        workflow.publish(article, actor=user)
    elif decision == "schedule":
        workflow.schedule(article, actor=user, at=local_time(data.get("at", "")))
    elif decision == "cancel_schedule":
        workflow.cancel_schedule(article, actor=user)
    elif decision == "return":
        workflow.return_for_changes(article, actor=user, note=data.get("note", ""))
    elif decision == "unpublish":
        workflow.unpublish(
            article,
            actor=user,
            reason=data.get("note", ""),
            public_note=data.get("public_note", ""),
        )
    elif decision == "schedule_unpublish":
        workflow.schedule_unpublish(article, actor=user, at=local_time(data.get("at", "")))
    elif decision == "cancel_unpublish":
        workflow.schedule_unpublish(article, actor=user, at=None)
    elif decision == "republish":
        workflow.republish(article, actor=user)


# --- front-page curation --------------------------------------------------------------------

SEARCH_RESULTS = 15


@never_cache
@desk_view("articles.publish_article")
def front(request):
    """Curate the home page and each top section's page: the lead, then the top stories in
    order. Every button posts the whole order and one change to it (works without script)."""
    pages = [None, *Section.objects.filter(parent__isnull=True, is_active=True).order_by("order")]
    chosen = request.POST.get("page") or request.GET.get("page") or "home"
    section = next((p for p in pages[1:] if str(p.pk) == chosen), None)
    if chosen != "home" and section is None:
        raise Http404
    query = (request.POST.get("q") or request.GET.get("q") or "").strip()[:100]
    if request.method == "POST":
        order = [pk for pk in map(inputs.number, request.POST.getlist("story")) if pk is not None]
        wanted = _reorder(order, request.POST)
        if wanted is None:
            messages.error(request, _("That story cannot be found."))
        else:
            try:
                changed = workflow.curate(
                    section, actor=request.user, story_ids=wanted, shown=order
                )
            except (NotAllowed, ValueError) as refusal:
                messages.error(request, str(refusal))
            else:
                if changed:
                    messages.success(request, _("The front page was changed."))
        return redirect(f"{reverse('story_desk:front')}?{urlencode({'page': chosen, 'q': query})}")
    slots = list(
        FrontSlot.objects.filter(section=section)
        .select_related("article__section")
        .order_by("position")
    )
    results = []
    if query:
        placed = {slot.article_id for slot in slots}
        results = [
            story
            for story in selectors.for_lists(selectors.published())
            .select_related("section")
            .filter(headline__icontains=query)
            .order_by("-published_at", "-id")[:SEARCH_RESULTS]
            if story.pk not in placed
        ]
    changes = list(FrontChange.objects.filter(section=section)[:10])
    return render(
        request,
        "articles/desk/front.html",
        {
            "pages": pages,
            "section": section,
            "chosen": chosen,
            "slots": slots,
            "limit": workflow.FRONT_SLOTS["home" if section is None else "section"],
            "query": query,
            "results": results,
            "changes": changes,
        },
    )


def _reorder(order: list[int], data) -> list[int] | None:
    """The posted order with the one change its button asked for; None for a button
    naming no story this page could have shown."""
    order = list(order)
    operation, _sep, value = (data.get("op") or "").partition(":")
    number = inputs.number(value)
    if number is None:
        return None
    if operation == "lead":
        return [number, *(pk for pk in order if pk != number)]
    if operation == "add":
        return [*order, number] if number not in order else order
    if operation == "remove":
        return [pk for pk in order if pk != number]
    if operation in ("up", "down") and number in order:
        index = order.index(number)
        other = index - 1 if operation == "up" else index + 1
        if 0 <= other < len(order):
            order[index], order[other] = order[other], order[index]
    return order


# --- share-preview links --------------------------------------------------------------------


@desk_view("articles.publish_article")
@require_POST
def share_link_create(request, article_id: int):
    article = story_for(request.user, article_id)
    hours = request.POST.get("hours", "")
    try:
        link = workflow.create_share_link(
            article,
            actor=request.user,
            hours=inputs.number(hours, 0),
            note=request.POST.get("note", ""),
        )
    except ValueError as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(
            request,
            _("Preview link made; it works until %(when)s: %(url)s")
            % {
                "when": formats.date_format(timezone.localtime(link.expires_at), "Y-m-d H:i"),
                "url": request.build_absolute_uri(preview_links.path_for(link)),
            },
        )
    return redirect(f"{reverse('story_desk:edit', args=[article.pk])}#share-links")


@desk_view("articles.publish_article")
@require_POST
def share_link_revoke(request, link_id: int):
    link = ShareLink.objects.filter(pk=link_id).select_related("article").first()
    if link is None:
        raise Http404
    story_for(request.user, link.article_id)
    workflow.revoke_share_link(link, actor=request.user)
    messages.success(request, _("The preview link no longer works."))
    return redirect(f"{reverse('story_desk:edit', args=[link.article_id])}#share-links")


# --- the share fan-out ----------------------------------------------------------------------


@desk_view("articles.publish_article")
@require_POST
def share_rerun(request, article_id: int, delivery_id: int):
    """An editor runs a failed network delivery of the story's latest fan-out again."""
    article = story_for(request.user, article_id)
    delivery = ShareDelivery.objects.filter(pk=delivery_id, fanout__article=article).first()
    if delivery is None:
        raise Http404
    try:
        fanout.rerun(delivery, actor=request.user)
    except DeliveryNotFailed as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(
            request,
            _("%(network)s will be tried again.") % {"network": delivery.get_network_display()},
        )
    return redirect(f"{reverse('story_desk:edit', args=[article.pk])}#sharing")
