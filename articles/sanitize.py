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


FIGURE_TAG = re.compile(r'<(/?)figure(?: data-photo-use="([0-9]+)")?[^>]*>')
# Misnested markup (a heading inside a heading, pasted from a table) can take a few
# rounds to settle; real input settles in one or two.
MAX_ROUNDS = 5


def _keep_attribute(tag: str, attribute: str, value: str) -> str | None:
    if tag == "figure" and attribute == "data-photo-use":
        return value if re.fullmatch(r"[0-9]+", value) else None
    return value


def clean(html: str) -> str:
    """Sanitized body HTML. Cleaning twice gives the same result as cleaning once."""
    for _round in range(MAX_ROUNDS):
        cleaned = _placeholders_only(
            nh3.clean(
                html,
                tags=ALLOWED_TAGS,
                attributes=ALLOWED_ATTRIBUTES,
                url_schemes=URL_SCHEMES,
                attribute_filter=_keep_attribute,
                link_rel="noopener noreferrer nofollow",
                strip_comments=True,
            )
        )
        if cleaned == html:
            break
        html = cleaned
    return cleaned


def _placeholders_only(html: str) -> str:
    """Empty every outermost <figure>: one naming a photo use becomes its bare placeholder,
    any other goes, contents and nested figures included."""
    pieces, depth, kept_id, position = [], 0, None, 0
    for tag in FIGURE_TAG.finditer(html):
        closing, photo_use = tag.group(1) == "/", tag.group(2)
        if not closing:
            if depth == 0:
                pieces.append(html[position : tag.start()])
                kept_id = photo_use
            depth += 1
            continue
        if depth == 0:  # a stray closing tag
            pieces.append(html[position : tag.start()])
            position = tag.end()
            continue
        depth -= 1
        if depth == 0:
            pieces.append(placeholder(int(kept_id)) if kept_id else "")
            position = tag.end()
    if depth:  # an unclosed figure swallows the rest, as the browser would
        return "".join(pieces) + (placeholder(int(kept_id)) if kept_id else "")
    pieces.append(html[position:])
    return "".join(pieces)


def placeholder(photo_use_id: int) -> str:
    return f'<figure data-photo-use="{photo_use_id}"></figure>'


def photo_use_ids(html: str) -> list[int]:
    return [int(found) for found in PLACEHOLDER.findall(html)]


NEW_PHOTO = re.compile(r'data-photo-use="new-([A-Za-z0-9]{1,20})"')


def bind_new_photos(html: str, new_ids: dict[str, int]) -> str:
    """Point the placeholders of photos inserted before the story was saved
    (`data-photo-use="new-3"`, named by the editor) at the photo uses just created for them.
    Runs before clean(), which drops any placeholder that is not a number."""
    return NEW_PHOTO.sub(
        lambda match: f'data-photo-use="{new_ids[match[1]]}"' if match[1] in new_ids else match[0],
        html,
    )


def without_placeholders(html: str, keep: set[int]) -> str:
    """Drop placeholders naming photo uses that are not the story's."""
    return PLACEHOLDER.sub(
        lambda match: match.group(0) if int(match.group(1)) in keep else "", html
    )
