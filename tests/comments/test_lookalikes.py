"""comments/lookalikes.py is Unicode's confusables data cut down to what the word rules read:
each letter of another script drawn like a Latin letter or digit, and that letter. It is
written from the confusable-homoglyphs package (a development tool: the site loads only the
table), and this test checks it still matches the package. After upgrading the package,
regenerate it with `python -m tests.comments.test_lookalikes > comments/lookalikes.py`."""

import unicodedata
from pathlib import Path

from confusable_homoglyphs import categories, confusables

from comments import lookalikes, wordrules

TABLE = Path(lookalikes.__file__)
HEADER = '''\
"""Letters of other scripts drawn like a Latin letter or digit (Cyrillic с and і, Greek ο,
Cherokee Ꭺ...), each to that letter: Unicode's confusables data (UTS #39) as the
confusable-homoglyphs package ships it, cut down to what comments.wordrules reads. Written by
`python -m tests.comments.test_lookalikes > comments/lookalikes.py`; do not edit by hand."""

LATIN_LOOKALIKES = {
'''


def plain_latin(glyph: str) -> str:
    """The ASCII letter or digit `glyph` is, or stands for as a small capital or kra (the
    data pairs Cyrillic к and Greek κ and τ only with ĸ, ᴋ or ᴛ); else ""."""
    if len(glyph) != 1:
        return ""
    if glyph.isascii():
        return glyph if glyph.isalnum() else ""
    name = unicodedata.name(glyph, "")
    if name == "LATIN SMALL LETTER KRA":
        return "k"
    prefix = "LATIN LETTER SMALL CAPITAL "
    letter = name.removeprefix(prefix)
    return letter.lower() if name.startswith(prefix) and len(letter) == 1 else ""


def latin_lookalikes() -> dict[str, str]:
    """From the package's data; Hangul and Han stay what they are."""
    folded = {}
    for char, glyphs in confusables.confusables_data.items():
        if len(char) != 1 or char.isascii() or categories.alias(char) in ("HANGUL", "HAN"):
            continue
        found = [letter for letter in map(plain_latin, (glyph["c"] for glyph in glyphs)) if letter]
        if found:
            folded[char] = found[0]
    return folded


def table_source() -> str:
    rows = [
        f'    "\\U{ord(char):08x}": "{letter}",  # {unicodedata.name(char, "")}\n'
        for char, letter in sorted(latin_lookalikes().items())
    ]
    return HEADER + "".join(rows) + "}\n"


def test_the_table_is_the_one_the_package_gives():
    assert TABLE.read_text() == table_source(), (
        "regenerate: python -m tests.comments.test_lookalikes > comments/lookalikes.py"
    )


def test_the_word_rules_read_the_table():
    assert wordrules.LATIN_LOOKALIKES is lookalikes.LATIN_LOOKALIKES
    assert {"\u0455": "s", "\u03ba": "k", "\u043a": "k", "\u03c5": "u"}.items() <= (
        lookalikes.LATIN_LOOKALIKES.items()
    )
    assert not any(wordrules.is_hangul(char) for char in lookalikes.LATIN_LOOKALIKES)


if __name__ == "__main__":
    print(table_source(), end="")
