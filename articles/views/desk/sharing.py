"""The desk's view of the share fan-out (articles/sharing/): the story editor's "소셜
네트워크 공유" section, and an editor running a failed delivery again."""

from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from accounts.permissions import desk_view
from articles import permissions, selectors
from articles.errors import DeliveryNotFailed
from articles.models import Article, Network, ShareDelivery
from articles.sharing import card as share_card
from articles.sharing import fanout, networks
from articles.views.desk import story_for


@dataclass
class FanoutStatus:
    latest: object  # the story's latest ShareFanout, or None
    deliveries: list
    card: dict  # what the previews draw
    domain: str
    changed: bool  # a published story's card differs from an earlier public one
    manual_tools: list  # (network label, tool name, URL) when changed
    can_rerun: bool


def fanout_status(user, article: Article) -> FanoutStatus:
    """The desk's sharing section: each network's delivery of the latest fan-out, the card
    the networks get (or, before any fan-out, the story's own fields) and, when a published
    story's card changed, the networks' manual tools."""
    fanouts = selectors.share_fanouts_for_desk(article.pk)
    latest = fanouts[0] if fanouts else None
    deliveries = list(latest.deliveries.all()) if latest else []
    for delivery in deliveries:
        spec = networks.NETWORKS[delivery.network]
        delivery.tool_name = spec.manual_tool_name
        delivery.tool_url = spec.manual_tool(latest.card.get("url", "")) if spec.manual_tool else ""
    if latest and latest.is_public and latest.card_ready_at:
        card = dict(latest.card)
    else:
        own = share_card.card(article)
        card = {
            "url": own.url,
            "title": own.title,
            "description": own.description,
            "image_url": own.image_url,
        }
    # Served by this site: drawn from its own path, so the desk's CSP (img-src 'self') and
    # a dev server on another port both show it.
    if card.get("image_url", "").startswith(settings.SITE_URL + "/"):
        card["image_url"] = card["image_url"][len(settings.SITE_URL) :]
    previous = fanouts[1] if len(fanouts) > 1 else None
    changed = bool(
        latest
        and latest.is_public
        and previous is not None
        and previous.is_public
        and previous.fields_hash != latest.fields_hash
    )
    tools = []
    if changed:
        for network, label in Network.choices:
            spec = networks.NETWORKS[network]
            if spec.manual_tool:
                tools.append((label, spec.manual_tool_name, spec.manual_tool(latest.card["url"])))
    return FanoutStatus(
        latest=latest,
        deliveries=deliveries,
        card=card,
        domain=urlsplit(settings.SITE_URL).netloc,
        changed=changed,
        manual_tools=tools,
        can_rerun=permissions.is_editor(user),
    )


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
