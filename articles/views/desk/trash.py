"""The trash (휴지통): spiking a story (a confirmation page, then the POST), the list of
spiked stories and restoring one. Every change is one call into articles.workflow."""

from datetime import timedelta

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts.errors import NotAllowed
from accounts.permissions import desk_view
from articles import permissions, selectors, workflow
from articles.errors import StoryRefused
from articles.views.desk import story_for

TRASH_PAGE_SIZE = 30


@never_cache
@desk_view("articles.change_article")
def trash(request):
    """Spiked stories, the latest first: an editor sees everyone's, a reporter their own.
    Each is purged TRASH_DAYS after it was spiked."""
    everyone = permissions.is_editor(request.user)
    stories = selectors.trash(request.user, everyone=everyone)
    page = Paginator(stories, TRASH_PAGE_SIZE).get_page(request.GET.get("page"))
    keep = timedelta(days=workflow.TRASH_DAYS)
    for story in page:
        story.purge_at = story.spiked_at + keep
    return render(
        request,
        "articles/desk/trash.html",
        {"page": page, "everyone": everyone, "trash_days": workflow.TRASH_DAYS},
    )


@never_cache
@desk_view("articles.change_article")
def spike(request, article_id: int):
    """A confirmation page; the POST puts the story in the trash."""
    article = story_for(request.user, article_id)
    back = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = ""
    error = ""
    if request.method == "POST":
        try:
            workflow.spike(article, actor=request.user, note=request.POST.get("note", ""))
        except (NotAllowed, StoryRefused) as refusal:
            error = str(refusal)
        else:
            messages.success(
                request,
                _("The story is in the trash for %(days)s days; it can be restored from there.")
                % {"days": workflow.TRASH_DAYS},
            )
            return redirect(back or reverse("story_desk:trash"))
    return render(
        request,
        "articles/desk/spike.html",
        {
            "article": article,
            "next": back,
            "back": back or reverse("story_desk:edit", args=[article.pk]),
            "error": error,
            "allowed": permissions.can_spike(request.user, article),
            "withdraws": article.status in workflow.TRANSITIONS["withdraw"].sources,
            "trash_days": workflow.TRASH_DAYS,
        },
        status=400 if error else 200,
    )


@desk_view("articles.change_article")
@require_POST
def restore(request, article_id: int):
    """Out of the trash, back to draft; on to the story's editor."""
    article = story_for(request.user, article_id)
    try:
        workflow.restore(article, actor=request.user)
    except (NotAllowed, StoryRefused) as refusal:
        messages.error(request, str(refusal))
        return redirect("story_desk:trash")
    messages.success(request, _("Restored from the trash as a draft."))
    return redirect("story_desk:edit", article.pk)
