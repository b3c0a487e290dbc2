"""What a shared story shows on the networks, and the share bar's links.

One title (70 characters at most) and one description (200) satisfy every network
(shared/product/sharing.md); both are cut at a word boundary. Campaign parameters go on
the shared links only, never on the canonical URL.
"""

import unicodedata
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.templatetags.static import static

from media.imaging import SHARE_SPEC
from newsroom.links import absolute_url

TITLE_LIMIT = 70
DESCRIPTION_LIMIT = 200
DEFAULT_IMAGE = "articles/share-default.jpg"


@dataclass(frozen=True)
class ShareCard:
    url: str  # canonical, absolute
    title: str
    description: str
    image_url: str
    image_width: int
    image_height: int
    image_alt: str


def shorten(text: str, limit: int) -> str:
    """At most `limit` characters, cut after a whole word, with an ellipsis when cut.

    Korean separates words (어절) with spaces as English does, so the same rule serves
    both. A text with no space in its first half (a long compound, a URL) is cut between
    characters instead of losing more than half of what fits."""
    text = " ".join(unicodedata.normalize("NFC", text).split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if text[limit - 1] != " " and " " in cut and cut.rindex(" ") >= (limit - 1) // 2:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,.·…") + "…"


def card(article) -> ShareCard:
    """Share overrides first, then the story's own headline, summary and lead photo."""
    lead = _lead_use(article)
    photo = article.share_photo or (lead.photo if lead else None)
    rendition = _share_rendition(photo)
    if rendition is not None:
        image = (absolute_url(rendition.file.url), rendition.width, rendition.height)
        # The story's own words for its lead photo come before the library's.
        alt = lead.alt_text if lead and lead.photo == photo and lead.alt_text else photo.alt_text
    else:
        image = (absolute_url(static(DEFAULT_IMAGE)), SHARE_SPEC.width, SHARE_SPEC.height)
        alt = settings.SITE_NAME
    return ShareCard(
        url=absolute_url(article.get_absolute_url()),
        title=shorten(article.share_title or article.headline, TITLE_LIMIT),
        description=shorten(article.share_description or article.summary, DESCRIPTION_LIMIT),
        image_url=image[0],
        image_width=image[1],
        image_height=image[2],
        image_alt=alt,
    )


def tagged(url: str, source: str) -> str:
    """The canonical URL with the campaign parameters of one network's share link."""
    campaign = urlencode({"utm_source": source, "utm_medium": "social", "utm_campaign": "share"})
    return f"{url}?{campaign}"


def links(share: ShareCard) -> dict[str, str]:
    """The share bar's links, each with its own campaign source."""

    def tagged_by(source: str) -> str:
        return tagged(share.url, source)

    return {
        "facebook": "https://www.facebook.com/sharer/sharer.php?"
        + urlencode({"u": tagged_by("facebook")}),
        "x": "https://twitter.com/intent/tweet?"
        + urlencode({"text": share.title, "url": tagged_by("x")}),
        "naver": "https://share.naver.com/web/shareView?"
        + urlencode({"url": tagged_by("naver"), "title": share.title}),
        "linkedin": "https://www.linkedin.com/sharing/share-offsite/?"
        + urlencode({"url": tagged_by("linkedin")}),
        "band": "https://band.us/plugin/share?"
        + urlencode(
            {
                "body": f"{share.title}\n{tagged_by('band')}",
                "route": urlsplit(settings.SITE_URL).netloc,
            }
        ),
    }


def _lead_use(article):
    return next((use for use in article.photo_uses.all() if use.is_lead), None)


def _share_rendition(photo):
    if photo is None:
        return None
    return next(
        (r for r in photo.renditions.all() if r.spec == SHARE_SPEC.name and r.format == "JPEG"),
        None,
    )


def from_stored(
    stored_card: dict, by_network: dict[str, dict], fallback: ShareCard
) -> tuple[ShareCard, ShareCard, dict[str, str]]:
    """The page's Open Graph card (Facebook's metadata), X's card and the share bar's
    links, from what a fan-out stored; any part not stored yet comes from `fallback`."""

    def card_of(data: dict) -> ShareCard:
        if not data:
            return fallback
        return ShareCard(
            url=data["canonical_url"],
            title=data["title"],
            description=data["description"],
            image_url=data["image_url"],
            image_width=data["image_width"],
            image_height=data["image_height"],
            image_alt=data["image_alt"],
        )

    common = {
        "canonical_url": stored_card["url"],
        **{k: v for k, v in stored_card.items() if k not in ("url", "public")},
    }
    open_graph = card_of(by_network.get("facebook") or common)
    x_card = card_of(by_network.get("x") or common)
    bar = links(open_graph)
    for network, data in by_network.items():
        if data.get("intent_url") and network in bar:
            bar[network] = data["intent_url"]
    return open_graph, x_card, bar
