"""What a shared story shows on the networks, and the share bar's links.

One title (70 characters at most) and one description (200) satisfy every network
(shared/product/sharing.md); both are cut at a word boundary. Campaign parameters go on
the shared links only, never on the canonical URL.
"""

from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.templatetags.static import static

from media.imaging import SHARE_SPEC

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
    """At most `limit` characters, cut after a whole word, with an ellipsis when cut."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,.·…") + "…"


def absolute(path: str) -> str:
    return path if path.startswith(("http://", "https://")) else settings.SITE_URL + path


def card(article) -> ShareCard:
    """Share overrides first, then the story's own headline, summary and lead photo."""
    lead = _lead_use(article)
    photo = article.share_photo or (lead.photo if lead else None)
    rendition = _share_rendition(photo)
    if rendition is not None:
        image = (absolute(rendition.file.url), rendition.width, rendition.height)
        # The story's own words for its lead photo come before the library's.
        alt = lead.alt_text if lead and lead.photo == photo and lead.alt_text else photo.alt_text
    else:
        image = (absolute(static(DEFAULT_IMAGE)), SHARE_SPEC.width, SHARE_SPEC.height)
        alt = settings.SITE_NAME
    return ShareCard(
        url=absolute(article.get_absolute_url()),
        title=shorten(article.share_title or article.headline, TITLE_LIMIT),
        description=shorten(article.share_description or article.summary, DESCRIPTION_LIMIT),
        image_url=image[0],
        image_width=image[1],
        image_height=image[2],
        image_alt=alt,
    )


def links(share: ShareCard) -> dict[str, str]:
    """The share bar's links, each with its own campaign source."""

    def tagged(source: str) -> str:
        campaign = urlencode(
            {"utm_source": source, "utm_medium": "social", "utm_campaign": "share"}
        )
        return f"{share.url}?{campaign}"

    return {
        "facebook": "https://www.facebook.com/sharer/sharer.php?"
        + urlencode({"u": tagged("facebook")}),
        "x": "https://twitter.com/intent/tweet?"
        + urlencode({"text": share.title, "url": tagged("x")}),
        "naver": "https://share.naver.com/web/shareView?"
        + urlencode({"url": tagged("naver"), "title": share.title}),
        "linkedin": "https://www.linkedin.com/sharing/share-offsite/?"
        + urlencode({"url": tagged("linkedin")}),
        "band": "https://band.us/plugin/share?"
        + urlencode(
            {
                "body": f"{share.title}\n{tagged('band')}",
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
