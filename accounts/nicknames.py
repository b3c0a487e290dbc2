"""What a reader may be called, by accounts' own rules. Pure: no ORM, no settings.

accounts.validators runs these, then the checks other apps register (such as the comment
word list): accept a nickname through it. Uniqueness needs the database:
accounts.selectors.nickname_in_use asks it, and a unique index on the lower-cased nickname
guards against two sign-ups racing for one name.
"""

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MIN_LENGTH = 2
MAX_LENGTH = 12

# Names that would pass for the paper speaking, or for the label comments of deleted
# accounts carry ("탈퇴한 회원"). Compared lower-cased, without spaces.
RESERVED = frozenset(
    {"탈퇴한회원", "관리자", "운영자", "운영진", "편집국", "admin", "administrator", "moderator"}
)

# Letters of Hangul written one by one (ㄱ, ㅏ, ᄀ, ...): NFC composes what it can into
# syllables; whatever is left over in these blocks is a fragment, not a syllable.
_JAMO_BLOCKS = (
    (0x1100, 0x11FF),  # Hangul Jamo (conjoining)
    (0x3130, 0x318F),  # Hangul Compatibility Jamo (what keyboards type alone)
    (0xA960, 0xA97F),  # Hangul Jamo Extended-A
    (0xD7B0, 0xD7FF),  # Hangul Jamo Extended-B
    (0xFFA0, 0xFFDC),  # Halfwidth Hangul letters
)


def normalize(value: str) -> str:
    """NFC, so that a nickname typed on a Mac (decomposed jamo) and one typed on Windows
    are the same string, and without surrounding spaces."""
    return unicodedata.normalize("NFC", value or "").strip()


def comparison_key(nickname: str) -> str:
    """Two nicknames are the same name when these are equal (the database compares
    LOWER(nickname), which in SQLite folds ASCII only: allowed letters are ASCII)."""
    return normalize(nickname).lower()


def clean_nickname(value: str) -> str:
    """The nickname as stored, or ValidationError naming the first rule it breaks."""
    nickname = normalize(value)
    if not nickname:
        raise ValidationError(_("Enter a nickname."), code="required")
    fragments = _unique(ch for ch in nickname if _is_jamo(ch))
    if fragments:
        raise ValidationError(
            _(
                "Write Korean in whole syllables (such as 가 or 한), not single letters "
                "like %(letters)s."
            ),
            code="jamo",
            params={"letters": " ".join(fragments)},
        )
    if any(ch.isspace() for ch in nickname):
        raise ValidationError(_("A nickname cannot contain spaces."), code="spaces")
    others = _unique(ch for ch in nickname if not _is_allowed(ch))
    if others:
        raise ValidationError(
            _(
                "A nickname may contain only Korean syllables, Latin letters (A–Z) and "
                "digits, not %(characters)s."
            ),
            code="characters",
            params={"characters": " ".join(others)},
        )
    if len(nickname) < MIN_LENGTH:
        raise ValidationError(
            _("A nickname needs at least %(minimum)d characters."),
            code="too_short",
            params={"minimum": MIN_LENGTH},
        )
    if len(nickname) > MAX_LENGTH:
        raise ValidationError(
            _("A nickname can have at most %(maximum)d characters (it has %(length)d)."),
            code="too_long",
            params={"maximum": MAX_LENGTH, "length": len(nickname)},
        )
    if comparison_key(nickname) in RESERVED:
        raise ValidationError(_("This nickname is reserved: choose another."), code="reserved")
    return nickname


def _is_allowed(ch: str) -> bool:
    # Explicit ranges: str.isalpha/isdigit would let in accented letters, full-width forms
    # and other scripts' digits, which look alike and defeat the case-insensitive check.
    return "가" <= ch <= "힣" or "a" <= ch <= "z" or "A" <= ch <= "Z" or "0" <= ch <= "9"


def _is_jamo(ch: str) -> bool:
    return any(start <= ord(ch) <= end for start, end in _JAMO_BLOCKS)


def _unique(characters) -> list[str]:
    return list(dict.fromkeys(characters))
