"""A story body's paragraphs as desk notes point at them: the text of each outermost
paragraph, subheading, quotation or list item of the sanitized body, in order, blank ones
left out. Pure: no ORM, so the anchor rules are tested on strings alone.

A note keeps the index and the text of its paragraph as they were when it was written;
`anchor_state` compares them with the body as it is now."""

import unicodedata
from dataclasses import dataclass
from html.parser import HTMLParser

BLOCKS = {"p", "h2", "h3", "blockquote", "li"}
# How much of a paragraph a picker shows.
PREVIEW_LENGTH = 60

CURRENT, MOVED, CHANGED, GONE = "current", "moved", "changed", "gone"


class _Blocks(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._depth = 0  # inside how many block elements
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in BLOCKS:
            if self._depth == 0:
                self._text = []
            self._depth += 1
        elif tag == "br" and self._depth:
            self._text.append(" ")

    def handle_endtag(self, tag):
        if tag in BLOCKS and self._depth:
            self._depth -= 1
            if self._depth == 0:
                text = normalise("".join(self._text))
                if text:
                    self.found.append(text)

    def handle_data(self, data):
        if self._depth:
            self._text.append(data)


def normalise(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def paragraphs(body: str) -> list[str]:
    """The body's paragraphs' texts, in order."""
    parser = _Blocks()
    parser.feed(body or "")
    parser.close()
    return parser.found


def preview(text: str) -> str:
    return text if len(text) <= PREVIEW_LENGTH else text[: PREVIEW_LENGTH - 1] + "…"


@dataclass(frozen=True)
class Anchor:
    state: str  # CURRENT, MOVED (same text, another place), CHANGED or GONE
    index: int | None  # where the paragraph is now (None when it is gone)
    text: str  # the paragraph's text now ("" when gone)


def anchor_state(index: int, text: str, now: list[str]) -> Anchor:
    """Where a note's paragraph (its index and text when the note was written) is in the
    paragraphs of the body now: still there; moved (a paragraph added or removed above
    it: the same text, found elsewhere); changed (something else stands at its place); or
    gone (the body is shorter than its place)."""
    if index < len(now) and now[index] == text:
        return Anchor(CURRENT, index, text)
    if text in now:
        # The nearest copy of the same text: a repeated line moved with its neighbours.
        found = min((i for i, t in enumerate(now) if t == text), key=lambda i: abs(i - index))
        return Anchor(MOVED, found, text)
    if index < len(now):
        return Anchor(CHANGED, index, now[index])
    return Anchor(GONE, None, "")
