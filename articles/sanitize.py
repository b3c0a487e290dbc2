"""The only HTML a story body keeps, checked on every save.

An allow-list (nh3, the Rust ammonia sanitizer): paragraphs, subheadings, quotes, lists,
links with safe schemes, bold and italic, and photo placeholders. No script, event
attribute, style, javascript: or data: link survives. A photo in the body is only a
placeholder naming one of the story's photo uses, `<figure data-photo-use="12"></figure>`:
the page draws it from that row, with its caption and srcset.
"""

import re

import nh3

ALLOWED_TAGS = {
    "p", "h2", "h3", "blockquote", "ul", "ol", "li", "a", "strong", "em", "b", "i", "br",
    "figure",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "figure": {"data-photo-use"}}
URL_SCHEMES = {"http", "https", "mailto"}
PLACEHOLDER = re.compile(r'<figure data-photo-use="(\d+)">.*?</figure>', re.DOTALL)


def _keep_attribute(tag: str, attribute: str, value: str) -> str | None:
    if tag == "figure" and attribute == "data-photo-use":
        return value if value.isdigit() else None
    return value


def clean(html: str) -> str:
    """Sanitized body HTML. Cleaning twice gives the same result as cleaning once."""
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        attribute_filter=_keep_attribute,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )
    # A placeholder carries nothing of its own: the photo use row holds the caption.
    cleaned = PLACEHOLDER.sub(lambda match: placeholder(int(match.group(1))), cleaned)
    return re.sub(r"<figure>.*?</figure>", "", cleaned, flags=re.DOTALL)


def placeholder(photo_use_id: int) -> str:
    return f'<figure data-photo-use="{photo_use_id}"></figure>'


def photo_use_ids(html: str) -> list[int]:
    return [int(found) for found in PLACEHOLDER.findall(html)]


def without_placeholders(html: str, keep: set[int]) -> str:
    """Drop placeholders naming photo uses that are not the story's."""
    return PLACEHOLDER.sub(
        lambda match: match.group(0) if int(match.group(1)) in keep else "", html
    )
