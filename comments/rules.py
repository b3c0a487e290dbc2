"""The rules of a comment's text and of a story's comment window, without the ORM.

The one definition of the 400-byte limit lives here; comments/static/comments/comments.js
counts the same way for the live counter under the box (tests run both on the same cases).
"""

import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta

MAX_BYTES = 400
# What the notice under the box promises: 200 Hangul syllables at 2 bytes each.
MAX_HANGUL = MAX_BYTES // 2

OPEN, PREMODERATED, CLOSED = "open", "premoderated", "closed"


# The bidirectional embedding, override and isolate controls: they reorder what follows
# them, so a comment could show other words than it holds (and than the rules read).
BIDI_CONTROLS = frozenset(map(chr, [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]))
# Letters that draw nothing: the Hangul fillers (choseong, jungseong, the compatibility and
# the half-width one), which a comment of "nothing" is typed with.
HANGUL_FILLERS = frozenset("\u115f\u1160\u3164\uffa0")
# Code points past which a text is refused as too long without being normalised: 25 times
# what fits, far past any comment typed or pasted, while normalising a script's 10 MB
# took seconds before refusing it. Only removed characters could bring such a text back
# under the limit, and a reader never types thousands of those.
MAX_READ = 10_000


def normalise(text: str) -> str:
    """The text as it is counted and kept: line endings as LF (a textarea posts CRLF while
    the script sees LF), control characters other than LF and the bidi controls removed,
    then NFC (so Hangul typed as combining jamo counts as the syllables it shows). Removal
    comes before NFC: a control character between a letter and its combining mark would
    otherwise keep them apart."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = "".join(
        char
        for char in text
        if char == "\n" or (unicodedata.category(char) != "Cc" and char not in BIDI_CONTROLS)
    )
    return unicodedata.normalize("NFC", text)


def _draws_nothing(char: str) -> bool:
    # Format characters (Cf) are the zero-width spaces and joiners, the bidi marks and the
    # byte-order mark; they stay in the text (an emoji sequence needs its joiners).
    return char.isspace() or unicodedata.category(char) == "Cf" or char in HANGUL_FILLERS


def byte_count(text: str) -> int:
    """The size a reader is shown: 1 for a character below U+0080, 2 for any other code
    point (a Hangul syllable, an emoji, an astral character), after normalise(). A text
    longer than MAX_READ is counted as sent, CRLF as one, without normalising it."""
    if len(text) > MAX_READ:
        return 2 * len(text) - len(text.encode("ascii", "ignore")) - text.count("\r\n")
    return sum(1 if ord(char) < 0x80 else 2 for char in normalise(text))


def is_blank(text: str) -> bool:
    """Nothing a reader would see: empty, or only spaces, zero-width and format characters
    and Hangul fillers. A text longer than MAX_READ is not read: it is too long."""
    return len(text) <= MAX_READ and all(_draws_nothing(char) for char in normalise(text))


def stored_text(text: str) -> str:
    """What is saved: the normalised text without blank space around it (trimming can only
    lower the count the reader was shown)."""
    return normalise(text).strip()


@dataclass(frozen=True)
class Window:
    """Whether a story takes comments now: `mode` is open, premoderated or closed;
    `closes_at` the moment they close by themselves (None: they do not); `expired` tells
    a window closed by time from one closed by the desk."""

    mode: str
    closes_at: datetime | None = None
    expired: bool = False

    @property
    def is_open(self) -> bool:
        return self.mode != CLOSED


def window(
    mode: str, *, published_at: datetime | None, close_after_days: int | None, now: datetime
) -> Window:
    """The story's comment mode (already resolved from its section) at `now`: comments close
    by themselves `close_after_days` after first publication."""
    if mode == CLOSED:
        return Window(CLOSED)
    closes_at = None
    if close_after_days is not None and published_at is not None:
        closes_at = published_at + timedelta(days=close_after_days)
        if now >= closes_at:
            return Window(CLOSED, closes_at, expired=True)
    return Window(mode, closes_at)


# --- trust -----------------------------------------------------------------------------------

NEW_READER, MOSTLY_REJECTED = "new_reader", "mostly_rejected"


def trust_hold(
    *, approved: int, recent: list[str], trusted_after: int, rejected_share: int
) -> str | None:
    """Why a reader's next comment waits for a moderator, or None when it is published at
    once. `approved`: their comments a moderator approved; `recent`: the outcome
    ("published" or "rejected") of their latest decided comments, newest first.

    A new reader is held until `trusted_after` approvals; anyone whose recent comments were
    mostly (more than `rejected_share` percent) rejected is held again, until approvals
    bring the share back down."""
    if approved < trusted_after:
        return NEW_READER
    rejected = sum(1 for outcome in recent if outcome == "rejected")
    if recent and rejected * 100 > rejected_share * len(recent):
        return MOSTLY_REJECTED
    return None


def day_start(now: datetime) -> datetime:
    """Midnight of `now`'s day, in `now`'s time zone (Korean time on this site): the daily
    caps start again then."""
    return now.replace(hour=0, minute=0, second=0, microsecond=0)


def next_day(now: datetime) -> datetime:
    return day_start(now) + timedelta(days=1)
