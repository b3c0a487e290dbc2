"""Differences between two revisions of a story, field by field (no ORM)."""

import difflib
import re
from dataclasses import dataclass

from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from articles.sanitize import PLACEHOLDER

# Body HTML is compared a block at a time: one paragraph, heading or photo per line.
BLOCK_END = re.compile(
    r"(?<=</p>)|(?<=</h2>)|(?<=</h3>)|(?<=</figure>)|(?<=</blockquote>)|(?<=</ul>)|(?<=</ol>)"
)


@dataclass(frozen=True)
class FieldDiff:
    field: str
    lines: list[str]  # unified-diff lines: "-old", "+new", " same"


def compare(old: dict, new: dict) -> list[FieldDiff]:
    """The fields that differ between two revision contents, with a line diff of each."""
    diffs = []
    for field in sorted(set(old) | set(new), key=_field_order):
        before, after = old.get(field), new.get(field)
        if before == after:
            continue
        diffs.append(FieldDiff(field, _lines(_as_lines(field, before), _as_lines(field, after))))
    return diffs


def _field_order(field: str) -> tuple[int, str]:
    order = ["headline", "subheadline", "summary", "body"]
    return (order.index(field) if field in order else len(order), field)


def _as_lines(field: str, value) -> list[str]:
    if value is None:
        return []
    if field == "body":
        # Editors compare words, not markup: each block as the text a reader sees.
        return [_readable(block) for block in BLOCK_END.split(value) if block.strip()]
    if field == "photo_uses":
        return [
            _("photo %(photo)s%(lead)s: %(caption)s")
            % {
                "photo": use["photo"],
                "lead": _(" (lead)") if use.get("is_lead") else "",
                "caption": use.get("caption", ""),
            }
            for use in value
        ]
    if isinstance(value, list):
        return [str(item) for item in value]
    return str(value).splitlines() or [""]


def _readable(block: str) -> str:
    photo = PLACEHOLDER.search(block)
    if photo:
        return _("[photo in the text: use %(id)s]") % {"id": photo.group(1)}
    return strip_tags(block).strip()


def _lines(before: list[str], after: list[str]) -> list[str]:
    return [
        line
        for line in difflib.ndiff(before, after)
        if not line.startswith("?")  # ndiff's intraline hints
    ]
