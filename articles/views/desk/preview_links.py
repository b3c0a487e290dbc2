"""Preview links: an editor makes or revokes an address that shows a story to someone
without an account. The links card sits on the story editor's page."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from accounts.permissions import desk_view
from articles import preview_links, workflow
from articles.errors import StoryRefused
from articles.models import (
    Article,
    PreviewLink,
)
from articles.views.desk import story_for
from newsroom import inputs
from newsroom.links import absolute_url


@desk_view("articles.publish_article")
@require_POST
def share_link_create(request, article_id: int):
    article = story_for(request.user, article_id)
    hours = request.POST.get("hours", "")
    try:
        link = workflow.create_preview_link(
            article,
            actor=request.user,
            hours=inputs.number(hours, 0),
            note=request.POST.get("note", ""),
        )
    except StoryRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(
            request,
            _("Preview link made; it works until %(when)s: %(url)s")
            % {
                "when": formats.date_format(timezone.localtime(link.expires_at), "Y-m-d H:i"),
                "url": absolute_url(preview_links.path_for(link)),
            },
        )
    return redirect(f"{reverse('story_desk:edit', args=[article.pk])}#share-links")


@desk_view("articles.publish_article")
@require_POST
def share_link_revoke(request, link_id: int):
    link = PreviewLink.objects.filter(pk=link_id).select_related("article").first()
    if link is None:
        raise Http404
    story_for(request.user, link.article_id)
    workflow.revoke_preview_link(link, actor=request.user)
    messages.success(request, _("The preview link no longer works."))
    return redirect(f"{reverse('story_desk:edit', args=[link.article_id])}#share-links")


def links_for(article: Article) -> list:
    """The story's latest preview links for the editor page's card, each with its address and
    whether it still opens."""
    now = timezone.now()
    links = list(article.preview_links.all()[:20])
    for link in links:
        link.usable = link.is_usable(now)
        link.url = absolute_url(preview_links.path_for(link))
    return links
