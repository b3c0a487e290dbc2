"""The front desk: editors place the lead and the top stories of the home page and of each
top section's page. Every change is one call into articles.workflow."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

from accounts.errors import NotAllowed
from accounts.permissions import desk_view
from articles import selectors, workflow
from articles.errors import StoryRefused
from articles.models import (
    FrontChange,
    FrontSlot,
    Section,
)
from newsroom import inputs

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
            except (NotAllowed, StoryRefused) as refusal:
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
