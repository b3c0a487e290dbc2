"""A published story's parts as partners receive them, whatever the format: the NINJS of
the content API (articles.api) and the full-text RSS of the content partnership
(articles.views.syndication.PartnerStories) are built from these, so both carry the same
body, photos, captions, credits and bylines. Every address is absolute (SITE_URL).

The story is read by selectors.partner_stories: its photo uses with their photos and
renditions, and its bylines with their profiles, already attached."""

from django.urls import reverse
from django.utils.html import format_html

from articles import sanitize
from articles.models import Article, Section
from media.imaging import SHARE_SPEC
from newsroom.links import absolute_url

CONTENT_TYPES = {"JPEG": "image/jpeg", "WEBP": "image/webp", "PNG": "image/png"}


def photo_names(story: Article) -> dict[int, str]:
    """Each photo use's name in the story: "featureimage" for the lead, "photoN" otherwise."""
    return {
        use.pk: "featureimage" if use.is_lead else f"photo{number}"
        for number, use in enumerate(story.photo_uses.all(), start=1)
    }


def rendition(found) -> dict:
    return {
        "name": f"{found.spec}-{found.format.lower()}",
        "href": absolute_url(found.file.url),
        "contenttype": CONTENT_TYPES.get(found.format, "application/octet-stream"),
        "width": found.width,
        "height": found.height,
    }


def association(name: str, use) -> dict:
    """A photo use as a NINJS association: its caption, alt text and credit (the use's own,
    else the library photo's) and its renditions."""
    photo = use.photo
    caption = use.caption or photo.caption
    alt = use.alt_text or photo.alt_text
    descriptions = [
        {"role": role, "contenttype": "text/plain", "value": value}
        for role, value in (("caption", caption), ("alt", alt))
        if value
    ]
    return {
        "name": name,
        "type": "picture",
        "uri": f"urn:newsroom:photo:{photo.pk}",
        "copyrightholder": use.credit or photo.credit or None,
        "descriptions": descriptions,
        # Width renditions as the article page's <picture> offers them, and the share crop.
        "renditions": [
            rendition(found)
            for found in sorted(photo.renditions.all(), key=lambda r: (r.format, r.width, r.spec))
        ],
    }


def shown_rendition(photo: dict) -> dict | None:
    """The rendition a partner page shows: the JPEG nearest 960 px wide (any format
    without a JPEG) of the whole photo, not the share card's crop unless it is all there
    is; None for a photo with no renditions yet."""
    whole = [
        r for r in photo["renditions"] if not r["name"].startswith(f"{SHARE_SPEC.name}-")
    ] or photo["renditions"]
    jpeg = [r for r in whole if r["contenttype"] == "image/jpeg"]
    return min(jpeg or whole, key=lambda r: abs(r["width"] - 960), default=None)


def description(photo: dict, role: str) -> str:
    return next((d["value"] for d in photo["descriptions"] if d["role"] == role), "")


def figure(photo: dict) -> str:
    """A photo as a plain figure whose `data-association` names it: the image, and its
    caption followed by its credit in brackets."""
    chosen = shown_rendition(photo)
    image = (
        format_html(
            '<img src="{}" width="{}" height="{}" alt="{}">',
            chosen["href"],
            chosen["width"],
            chosen["height"],
            description(photo, "alt"),
        )
        if chosen
        else ""
    )
    credit = photo["copyrightholder"]
    text = " ".join(
        part for part in (description(photo, "caption"), f"[{credit}]" if credit else "") if part
    )
    return format_html(
        '<figure data-association="{}">{}{}</figure>',
        photo["name"],
        image,
        format_html("<figcaption>{}</figcaption>", text) if text else "",
    )


def body_html(story: Article, names: dict[int, str]) -> str:
    """The sanitized body, each photo placeholder drawn as a figure (absolute addresses)."""
    uses = {use.pk: use for use in story.photo_uses.all()}

    def placed(match) -> str:
        use = uses.get(int(match[1]))
        if use is None:
            return ""
        return figure(association(names[use.pk], use))

    return sanitize.PLACEHOLDER.sub(placed, story.body)


def section_path(section: Section) -> str:
    if section.parent_id:
        return reverse("articles:subsection", args=[section.parent.slug, section.slug])
    return reverse("articles:section", args=[section.slug])


def byline(found) -> dict:
    """A byline: a staff member's with their reporter page, or a guest's."""
    if found.profile_id:
        profile = found.profile
        return {
            "name": profile.byline_name,
            "byline": profile.byline_name,
            "role": "staff",
            "uri": absolute_url(reverse("articles:reporter", args=[profile.slug])),
        }
    return {"name": found.guest_name, "byline": found.guest_name, "role": "guest", "uri": None}
