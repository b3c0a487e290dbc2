"""Differences between two revisions of a story, field by field (no ORM): line diffs for the
admin, and inline ones (added and removed words marked) for the desk's history page."""

import difflib
import re
from dataclasses import dataclass
from html import unescape

from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from articles.sanitize import PLACEHOLDER

# Body HTML is compared a block at a time: one paragraph, heading or photo per line.
BLOCK_END = re.compile(
    r"(?<=</p>)|(?<=</h2>)|(?<=</h3>)|(?<=</figure>)|(?<=</blockquote>)|(?<=</ul>)|(?<=</ol>)"
)
# Inside a block, list items and line breaks start new lines of text.
LINE_END = re.compile(r"<br\s*/?>|</li>")


@dataclass(frozen=True)
class FieldDiff:
    field: str
    lines: list[str]  # unified-diff lines: "-old", "+new", " same"


def compare(old: dict, new: dict) -> list[FieldDiff]:
    """The fields that differ between two revision contents, with a line diff of each."""
    return [
        FieldDiff(field, _lines(_as_lines(field, old.get(field)), _as_lines(field, new.get(field))))
        for field in changed_fields(old, new)
    ]


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
    return unescape(strip_tags(block)).strip()


def _lines(before: list[str], after: list[str]) -> list[str]:
    return [
        line
        for line in difflib.ndiff(before, after)
        if not line.startswith("?")  # ndiff's intraline hints
    ]


# --- inline differences, as the desk's history page highlights them --------------------------

SAME, ADDED, REMOVED = "same", "added", "removed"
CHANGED = "changed"  # inside words(): a removed and an added text in one place
# Parts of a revision that are lists: shown one item a line.
LIST_FIELDS = frozenset({"tags", "extra_sections", "bylines", "photo_uses"})
# Latin words and numbers compare whole; Hangul, other scripts and punctuation a character
# at a time (a particle changes inside a word: 수출이 → 수출은); spaces as runs.
TOKEN = re.compile(r"\s+|[0-9A-Za-z\u00c0-\u024f]+|.", re.DOTALL)
# Two lines count as one line changed (compared inline) when this much of them is alike,
# or when this much of the shorter is kept; otherwise one line went and another came.
ALIKE = 0.4
KEPT_WHOLE = 0.8
# Unchanged lines kept around a change; longer unchanged runs are cut (an empty line).
CONTEXT = 1


@dataclass(frozen=True)
class Segment:
    kind: str  # SAME, ADDED or REMOVED
    text: str


@dataclass(frozen=True)
class InlineDiff:
    field: str
    # Each line a list of segments; an empty line stands for unchanged lines left out.
    lines: list[list[Segment]]
    listed: bool = False  # a list field: one item a line


def changed_fields(old: dict, new: dict) -> list[str]:
    """The parts that differ between two revision contents, headline first."""
    return [
        field
        for field in sorted(set(old) | set(new), key=_field_order)
        if old.get(field) != new.get(field)
    ]


def inline(old: dict, new: dict, names: dict[str, dict] | None = None) -> list[InlineDiff]:
    """The fields that differ, each as lines of same, added and removed text: the text a
    reader sees (the body's blocks without markup, photos as "[사진]" markers), never HTML.

    `names` gives the readable name of the ids a revision keeps, by field: {"section":
    {3: "경제"}, "bylines": {profile id: byline name}, "comment_mode": {"open": ...}}; an
    id without a name shows as "#3"."""
    names = names or {}
    return [
        InlineDiff(
            field,
            _context(
                _align(
                    _shown(field, old.get(field), old, names.get(field, {})),
                    _shown(field, new.get(field), new, names.get(field, {})),
                )
            ),
            listed=field in LIST_FIELDS,
        )
        for field in changed_fields(old, new)
    ]


def words(before: str, after: str) -> list[Segment]:
    """One line's change, word by word (Hangul character by character)."""
    old, new = TOKEN.findall(before), TOKEN.findall(after)
    chunks: list[list[str]] = []  # [SAME, text] or [CHANGED, removed text, added text]
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            chunks.append([SAME, "".join(old[i1:i2])])
        else:
            chunks.append([CHANGED, "".join(old[i1:i2]), "".join(new[j1:j2])])
    # A space or one character left alike between two changes is chance, not sense:
    # it joins them, so the reader sees whole words go and come.
    merged: list[list[str]] = []
    for chunk in chunks:
        if (
            chunk[0] == CHANGED
            and len(merged) >= 2
            and merged[-2][0] == CHANGED
            and merged[-1][0] == SAME
            and len(merged[-1][1].strip()) <= 1
        ):
            same = merged.pop()[1]
            merged[-1][1] += same + chunk[1]
            merged[-1][2] += same + chunk[2]
        else:
            merged.append(chunk)
    segments = []
    for chunk in merged:
        if chunk[0] == SAME:
            segments.append(Segment(SAME, chunk[1]))
            continue
        if chunk[1]:
            segments.append(Segment(REMOVED, chunk[1]))
        if chunk[2]:
            segments.append(Segment(ADDED, chunk[2]))
    return segments


def _shown(field: str, value, content: dict, names: dict) -> list[str]:
    """A revision's value as lines of readable text."""
    if value is None or value == "" or value == []:
        return []
    if field == "body":
        captions = {use.get("id"): use.get("caption", "") for use in content.get("photo_uses", [])}
        blocks = (_block_text(block, captions) for block in BLOCK_END.split(value))
        return [block for block in blocks if block]
    if field == "photo_uses":
        return [
            _photo_mark(use.get("caption", ""), lead=use.get("is_lead", False)) for use in value
        ]
    if field == "bylines":
        return [
            _named(names, entry["profile"]) if entry.get("profile") else entry.get("guest", "")
            for entry in value
        ]
    if isinstance(value, list):
        return [_named(names, item) for item in value]
    if value in names:
        return [str(names[value])]
    if isinstance(value, int) and not isinstance(value, bool) and field != "series_ordinal":
        return [f"#{value}"]
    return str(value).splitlines()


def _named(names: dict, value) -> str:
    if value in names:
        return str(names[value])
    return f"#{value}" if isinstance(value, int) else str(value)


def _block_text(block: str, captions: dict) -> str:
    photo = PLACEHOLDER.search(block)
    if photo:
        return _photo_mark(captions.get(int(photo.group(1)), ""))
    # List items and line breaks keep their own lines inside the block.
    return unescape(strip_tags(LINE_END.sub("\n", block))).strip()


def _photo_mark(caption: str, *, lead: bool = False) -> str:
    mark = _("[photo, lead]") if lead else _("[photo]")
    return f"{mark} {caption}".strip()


def _align(before: list[str], after: list[str]) -> list[list[Segment]]:
    """Line up the old and new lines: kept, gone, come, or changed within (inline)."""
    lines = []
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            lines.extend([Segment(SAME, line)] for line in before[i1:i2])
            continue
        old, new = before[i1:i2], after[j1:j2]
        for position in range(max(len(old), len(new))):
            gone = old[position] if position < len(old) else None
            come = new[position] if position < len(new) else None
            if gone is not None and come is not None and _alike(gone, come):
                lines.append(words(gone, come))
                continue
            if gone is not None:
                lines.append([Segment(REMOVED, gone)])
            if come is not None:
                lines.append([Segment(ADDED, come)])
    return lines


def _alike(before: str, after: str) -> bool:
    """Alike enough to compare inline: much in common, or the shorter kept almost whole
    (words added to a headline, a sentence cut from a paragraph)."""
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    kept = sum(block.size for block in matcher.get_matching_blocks())
    return matcher.ratio() >= ALIKE or kept >= KEPT_WHOLE * min(len(before), len(after))


def _context(lines: list[list[Segment]]) -> list[list[Segment]]:
    """Leave out unchanged lines far from any change (a long body with one new paragraph)."""
    changed = [index for index, line in enumerate(lines) if any(part.kind != SAME for part in line)]
    if not changed:
        return []  # only the markup changed: nothing a reader sees
    kept: list[list[Segment]] = []
    for index, line in enumerate(lines):
        if any(abs(index - other) <= CONTEXT for other in changed):
            kept.append(line)
        elif not kept or kept[-1]:
            kept.append([])  # one cut for a run of unchanged lines
    return kept
