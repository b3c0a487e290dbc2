"""Banned and suspect words, and links, in a comment's text: matching without the ORM.

Readers dodge word filters in well-known ways: 씨 발, 씨.발, 씨1발, 씨이이발, ｃ발, ㅆㅣ발,
ㅅㅂ, tlqkf (시발 typed on a QWERTY keyboard left in Latin mode), ssi발 and byungsin (the
word romanised, in part or whole), full-width letters, Cyrillic or Greek letters drawn like
Latin ones and zero-width characters. Matching therefore runs on a *skeleton* of the text, one
element per Hangul syllable, lone jamo or Latin letter, built in passes that each undo some of
the evasions:

- "strip": everything that is not Hangul (spaces, dots, digits, symbols, Latin) is dropped;
- "lookalike": digits, Latin letters and symbols that stand in for jamo (l and 1 for ㅣ,
  0 and o for ㅇ, c before Hangul for 씨, 人 for ㅅ...) become those jamo, in words that
  also hold Hangul;
- "qwerty": Latin letters become the jamo on the same key of the Korean 2-set layout;
- "latin": Latin letters, lower-cased, with leetspeak digits, beside the Hangul syllables, so
  rules written in Latin letters and the romanised spellings of Hangul rules (sibal, si발,
  병sin) are found; spellings that sound alike are folded together (ss and s, ph and f).
  Accented Latin letters read as their letters (fück).

In every pass lone jamo are composed into syllables as a Korean keyboard would (ㅆ ㅣ 발 is
씨발), repeated elements and drawn-out vowels are folded (씨씨발, 시이발, 지라알), and lone
vowels that belong to nothing are dropped. A rule is matched by plain substring search of its
forms (its own skeleton; for words of two or more syllables, its initial-consonant forms ㅅㅂ,
ㅅ발; in the Latin pass, its romanised spellings) in each pass's skeleton, and each candidate
is judged in constant time: linear in the text, no regular expression ever runs on a reader's
text with a rule in it. The text is read word by word (white-space-delimited), and a word's
skeleton is worked out once however often it comes (words read together with their neighbour,
f u c k or ㅆ ㅣ 발, are worked out together).

Guards keep innocent text out:
- a banned word inside a longer word does not match: 감염병 is not 염병, 도시발전 and "9시발"
  are not 시발. Korean profanity opens its word, after at most an abusive prefix (아씨발,
  개병신: PREFIXES) or laughter in lone jamo (ㅋㅋㅅㅂ); a suspect word must open its word;
- an exception (시발점, 수박씨 발라) covering the very elements a rule matched excuses it;
- a match that only exists because spaces were removed must stand as words of its own: "씨 발"
  is refused, "홍길동 씨 발언" and "아저씨 발" are not;
- a spelling the matcher generated (romanised, shortened, masked) must stand as a lower-case
  Latin word of its own: "jona" is not in "Jonathan", "fuk" not in "Fukushima", and names and
  acronyms in capitals (Shiba Inu, SI발주) are not romanised Korean; a rule written in Latin
  letters by the moderators matches as written, anywhere (fucking);
- a lone ㅇ does not stand for a syllable (염병 is not the ㅇ병 of ○○병원, news copy's hidden
  name), and an anonymising mark (김○○씨) is glued to the word after it.

Each match is reported with its span in the text checked, so the reader and the moderators see
the very characters that were refused.
"""

import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache
from itertools import product
from math import prod

from comments.lookalikes import LATIN_LOOKALIKES
from comments.rules import HANGUL_FILLERS

BANNED, SUSPECT, EXCEPTION = "banned", "suspect", "exception"

# --- Hangul ----------------------------------------------------------------------------------

CHO = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
JUNG = "ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ"
JONG = ["", *"ㄱㄲㄳㄴㄵㄶㄷㄹㄺㄻㄼㄽㄾㄿㅀㅁㅂㅄㅅㅆㅇㅈㅊㅋㅌㅍㅎ"]
SYLLABLE_FIRST, SYLLABLE_LAST = 0xAC00, 0xD7A3
VOWEL_PAIRS = {
    ("ㅗ", "ㅏ"): "ㅘ",
    ("ㅗ", "ㅐ"): "ㅙ",
    ("ㅗ", "ㅣ"): "ㅚ",
    ("ㅜ", "ㅓ"): "ㅝ",
    ("ㅜ", "ㅔ"): "ㅞ",
    ("ㅜ", "ㅣ"): "ㅟ",
    ("ㅡ", "ㅣ"): "ㅢ",
}
FINAL_PAIRS = {
    ("ㄱ", "ㅅ"): "ㄳ",
    ("ㄴ", "ㅈ"): "ㄵ",
    ("ㄴ", "ㅎ"): "ㄶ",
    ("ㄹ", "ㄱ"): "ㄺ",
    ("ㄹ", "ㅁ"): "ㄻ",
    ("ㄹ", "ㅂ"): "ㄼ",
    ("ㄹ", "ㅅ"): "ㄽ",
    ("ㄹ", "ㅌ"): "ㄾ",
    ("ㄹ", "ㅍ"): "ㄿ",
    ("ㄹ", "ㅎ"): "ㅀ",
    ("ㅂ", "ㅅ"): "ㅄ",
}
# Conjoining jamo (what decomposed text is made of) -> the letters a keyboard types.
_CONJOINING = {
    **{chr(0x1100 + i): letter for i, letter in enumerate(CHO)},
    **{chr(0x1161 + i): letter for i, letter in enumerate(JUNG)},
    **{chr(0x11A8 + i - 1): letter for i, letter in enumerate(JONG) if letter},
}

# The Korean 2-set (두벌식) keyboard: the jamo on each Latin key.
QWERTY = dict(
    zip(
        "qwertyuiopasdfghjklzxcvbnmQWERTOP",
        "ㅂㅈㄷㄱㅅㅛㅕㅑㅐㅔㅁㄴㅇㄹㅎㅗㅓㅏㅣㅋㅌㅊㅍㅠㅜㅡㅃㅉㄸㄲㅆㅒㅖ",
        strict=True,
    )
)

# Characters drawn like a jamo (or, for c, said like a syllable). Only used in words that also
# hold Hangul, so "Level 10" or "CEO" stay what they are.
LOOKALIKES = {
    **dict.fromkeys("lI1|!ｌ", "ㅣ"),
    **dict.fromkeys("oO0○◯", "ㅇ"),
    **dict.fromkeys("人^", "ㅅ"),
    **dict.fromkeys("-_一—─", "ㅡ"),
    "7": "ㄱ",
    "8": "팔",  # 시8, c8: said 시팔, 씨팔
    "⊥": "ㅗ",
    "卜": "ㅏ",
}
# "c" reads 씨 only right before Hangul or a stand-in (c발, c8), and only on its own: not in
# "비타민C 발견", nor at the end of "BBC발 보도" (reported from the BBC).
SAID_LIKE = {"c": "씨", "C": "씨"}
# Digits and symbols written for a letter inside a Latin word (f4ck, s!bal). "*" and "0" hide
# a vowel, whichever it is (f*ck, f0ck): they match the rules' masked forms.
LEET = {"1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s", "!": "i"}
MASK = "*"
LEET_MASKS = frozenset("*0")
LATIN_VOWELS = frozenset("aeiou")

# What may stand before a banned word in the same word and leave it abusive: interjections,
# intensifiers and the words of an insult (아씨발, 에휴씨발, 개병신, 니병신, 또지랄, 이씨발놈아).
# Anything else before it makes it part of a longer, ordinary word (감염병, 도시발전).
PREFIXES = frozenset(
    (
        *("아", "아오", "아놔", "야", "와", "하", "에이", "에휴", "어휴", "에라이", "뭐야"),
        *("이", "저", "그", "이런", "저런", "너", "니", "느그", "니애미", "꺼져", "미친"),
        *("개", "왕", "씹", "좆", "생", "또", "존나", "졸라", "진짜", "완전"),
    )
)


LONGEST_PREFIX = max(map(len, PREFIXES))


def is_syllable(char: str) -> bool:
    return SYLLABLE_FIRST <= ord(char) <= SYLLABLE_LAST


_JAMO = frozenset(CHO) | frozenset(JUNG) | frozenset(JONG[1:])
_VOWELS = frozenset(JUNG)
_FINALS = frozenset(JONG[1:])
_INITIALS = frozenset(CHO)


def is_jamo(char: str) -> bool:
    return char in _JAMO


def is_hangul(char: str) -> bool:
    return is_syllable(char) or is_jamo(char)


def is_vowel(char: str) -> bool:
    return char in _VOWELS


def _is_latin(char: str) -> bool:
    return char.isascii() and char.isalpha()


def split_syllable(char: str) -> tuple[str, str, str]:
    index = ord(char) - SYLLABLE_FIRST
    return CHO[index // 588], JUNG[(index % 588) // 28], JONG[index % 28]


def join_syllable(initial: str, vowel: str, final: str = "") -> str:
    return chr(
        SYLLABLE_FIRST + CHO.index(initial) * 588 + JUNG.index(vowel) * 28 + JONG.index(final)
    )


# --- cleaning --------------------------------------------------------------------------------


def _clean_char(char: str) -> str:
    """What one character reads as: "" for what draws nothing (zero-width, format, combining
    and control characters, fillers), a space for any white space, the plain letter of a
    full-width or other compatibility form (NFKC), the Latin letter another script's look-alike
    is drawn like; Hangul jamo stay the letters a keyboard types."""
    if char.isspace():
        return " "
    if char in HANGUL_FILLERS or unicodedata.category(char) in ("Cf", "Mn", "Me", "Cc"):
        return ""
    if is_jamo(char):
        return char
    if char in _CONJOINING:
        return _CONJOINING[char]
    plain = unicodedata.normalize("NFKC", char)
    if plain.isascii():
        return plain
    # A Latin letter with an accent is that letter (fück, šibal).
    bare = "".join(
        piece for piece in unicodedata.normalize("NFKD", plain) if not unicodedata.combining(piece)
    )
    if bare.isascii() and bare.isalpha():
        return bare
    # Before NFKC's pieces: NFKC would make the Greek lunate sigma ϲ a final sigma ς.
    if char in LATIN_LOOKALIKES:
        return LATIN_LOOKALIKES[char]
    return "".join(
        _CONJOINING.get(piece) or LATIN_LOOKALIKES.get(piece, piece)
        for piece in plain
        if piece not in HANGUL_FILLERS
    )


class _CleanTable(dict):
    """str.translate's table for clean(), filled as characters are met."""

    def __missing__(self, code: int) -> str:
        self[code] = cleaned = _clean_char(chr(code))
        return cleaned


_CLEAN = _CleanTable()


def clean(text: str) -> str:
    """The text as the rules read it (see _clean_char), decomposed Hangul as its letters."""
    return text.translate(_CLEAN)


# --- the skeleton ----------------------------------------------------------------------------

# What stands right before an element in its word: nothing (the word starts, or white space
# or a symbol comes first), another element, a digit or an anonymising mark (김○○씨), or a
# Latin letter the pass dropped.
OPENS, JOINED, AFTER_DIGIT, AFTER_LATIN = "opens", "joined", "after digit", "after latin"
# Marks that stand for hidden letters in news copy (김○○ 씨, ○○병원): glued to a word, not
# the start of one.
ANONYMISING = frozenset("○◯●◎□■△▲◇◆×")


class Unit:
    """One element of a skeleton. `start`, `end`: the characters of the text it stands for.
    `space_before`: white space separated it from the element before; `break_before`:
    anything but a letter did; `glue`: what stands right before it in its word (OPENS...);
    `space_inside`: it was composed from jamo with white space between them (ㅆ ㅣ);
    `stand_in`: a digit or symbol drawn like it stands for it (7 for ㄱ); `capital`: a
    Latin capital letter."""

    __slots__ = (
        *("break_before", "capital", "char", "end", "glue"),
        *("space_before", "space_inside", "stand_in", "start"),
    )

    def __init__(self, char, start, end, space_before=False, break_before=False, glue=OPENS):
        self.char = char
        self.start, self.end = start, end
        self.space_before = space_before
        self.break_before = break_before
        self.glue = glue
        self.space_inside = False
        self.stand_in = False
        self.capital = False


# Stands between parts of a skeleton that a match may not join (no form holds it).
CUT = "\x00"
_CUT_UNIT = Unit(CUT, 0, 0, space_before=True, break_before=True)


class Skeleton:
    """A pass's skeleton of a text: `text`, one character per element, and the elements
    themselves (worked out word by word; listed the first time a match needs them)."""

    def __init__(self, pieces):
        # pieces: (text offset of the word, the word's elements, the word's skeleton text)
        self._pieces = pieces
        self.text = "".join(text for _, _, text in pieces)
        self._units = None
        self._word_starts: list[int] | None = None
        self._not_jamo: list[int] = []

    @property
    def units(self) -> list[Unit]:
        if self._units is None:
            self._units, self._offsets = [], []
            for offset, units, _ in self._pieces:
                self._units.extend(units)
                self._offsets.extend([offset] * len(units))
        return self._units

    def _words(self) -> tuple[list[int], list[int]]:
        """For each element, the first element of its word, and how many elements before it
        are not lone jamo typed as such (ㅋㅋ): worked out once for all."""
        if self._word_starts is None:
            starts, current = [], 0
            counted, count = [], 0
            for position, unit in enumerate(self.units):
                if unit.glue != JOINED:
                    current = position
                starts.append(current)
                counted.append(count)
                count += not is_jamo(unit.char) or unit.stand_in
            self._word_starts, self._not_jamo = starts, counted
        return self._word_starts, self._not_jamo

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The characters of the text the elements start..end stand for."""
        units = self.units
        return (
            self._offsets[start] + units[start].start,
            self._offsets[end - 1] + units[end - 1].end,
        )

    def bounded(self, start: int, end: int) -> bool:
        """The elements start..end stand as words of their own."""
        units = self.units
        before = start == 0 or units[start].break_before
        after = end == len(units) or units[end].break_before
        return before and after

    def spaced(self, start: int, end: int) -> bool:
        """White space was removed to bring the elements start..end together."""
        units = self.units
        return any(units[i].space_before for i in range(start + 1, end)) or any(
            units[i].space_inside for i in range(start, end)
        )

    def opens_word(self, start: int, prefixes=frozenset()) -> bool:
        """The element `start` opens its word: nothing but lone jamo typed as such (ㅋㅋ) or one of
        `prefixes` stands before it in the word, and no digit ("9시발" is nine o'clock's
        departure) or Latin letter is glued to its front."""
        units = self.units
        word_starts, not_jamo = self._words()
        first = word_starts[start]
        if units[first].glue != OPENS:
            return False
        if not_jamo[start] == not_jamo[first]:
            return True  # nothing, or only jamo laughter, before it
        if start - first > LONGEST_PREFIX:
            return False
        return "".join(unit.char for unit in units[first:start]) in prefixes


def _word_units(word: str, mode: str) -> list[Unit]:
    """A white-space-free word's elements in a pass, before composing and folding, with the
    characters of `word` each stands for."""
    plain = _PLAIN.fullmatch(word)
    if plain:
        first, last = plain.span(1)
        units = [Unit(word[i], i, i + 1, glue=JOINED) for i in range(first, last)]
        units[0].glue, units[0].break_before = OPENS, first > 0
        return units
    units: list[Unit] = []
    previous_kind = OPENS
    brk = False
    pieces = [(piece, index) for index, char in enumerate(word) for piece in _CLEAN[ord(char)]]
    hangul_word = mode == "lookalike" and _holds_hangul(pieces)
    for position, (char, index) in enumerate(pieces):
        mapped = _map(char, mode, pieces, position, hangul_word)
        if mapped is None:
            brk = True
            if char.isdigit() or char in ANONYMISING:
                previous_kind = AFTER_DIGIT
            elif _is_latin(char):
                previous_kind = AFTER_LATIN
            else:
                previous_kind = OPENS
            continue
        unit = Unit(mapped, index, index + 1, break_before=brk, glue=previous_kind)
        unit.stand_in = mode == "lookalike" and not is_hangul(char)
        unit.capital = char.isupper()
        units.append(unit)
        brk = False
        previous_kind = JOINED
    return units


def _holds_hangul(pieces) -> bool:
    """A word holds Hangul, or is made of stand-ins only (c8)."""
    chars = [char for char, _ in pieces]
    return any(is_hangul(char) for char in chars) or (
        len(chars) > 1
        and any(char in SAID_LIKE for char in chars)
        and all(char in LOOKALIKES or char in SAID_LIKE for char in chars)
    )


def _map(char: str, mode: str, pieces, position: int, hangul_word: bool) -> str | None:
    """The element `char` is in a pass, or None when the pass drops it."""
    if mode == "latin":
        if _is_latin(char):
            return char.lower()
        if (char in LEET or char in LEET_MASKS) and _inside_latin(pieces, position):
            return MASK if char in LEET_MASKS else LEET[char]
        return char if is_syllable(char) else None
    if is_hangul(char):
        return char
    if mode == "qwerty" and _is_latin(char):
        return QWERTY.get(char) or QWERTY.get(char.lower())
    if mode == "lookalike" and hangul_word:
        following = pieces[position + 1][0] if position + 1 < len(pieces) else ""
        before = pieces[position - 1][0] if position else ""
        said_like = following and (is_hangul(following) or following in LOOKALIKES)
        if char in SAID_LIKE and said_like and not _is_latin(before):
            return SAID_LIKE[char]
        return LOOKALIKES.get(char)
    return None


def _inside_latin(pieces, position: int) -> bool:
    """A digit or symbol inside a run of Latin letters (f4ck, 5ibal), not a number of its
    own; "!" only between two letters (s!bal), not after a word (na!!)."""
    left = _is_latin(pieces[position - 1][0]) if position > 0 else False
    right = _is_latin(pieces[position + 1][0]) if position + 1 < len(pieces) else False
    return (left and right) if pieces[position][0] == "!" else (left or right)


def _compose(units: list[Unit]) -> list[Unit]:
    """Lone jamo into syllables, as a 2-set keyboard composes them: a consonant and a vowel
    (ㅗ+ㅏ is ㅘ), then a final consonant unless a vowel follows it (ㄹ+ㄱ is ㄺ)."""
    out: list[Unit] = []
    i, n = 0, len(units)

    def char(k: int) -> str:
        return units[k].char if k < n else ""

    while i < n:
        first = units[i]
        if not (first.char in _INITIALS and is_vowel(char(i + 1))):
            out.append(first)
            i += 1
            continue
        taken = [first, units[i + 1]]
        initial, vowel = first.char, units[i + 1].char
        i += 2
        if (vowel, char(i)) in VOWEL_PAIRS:
            vowel = VOWEL_PAIRS[(vowel, char(i))]
            taken.append(units[i])
            i += 1
        final = ""
        if char(i) in _FINALS and not is_vowel(char(i + 1)):
            final = char(i)
            taken.append(units[i])
            i += 1
            if (final, char(i)) in FINAL_PAIRS and not is_vowel(char(i + 1)):
                final = FINAL_PAIRS[(final, char(i))]
                taken.append(units[i])
                i += 1
        unit = Unit(
            join_syllable(initial, vowel, final),
            first.start,
            taken[-1].end,
            space_before=first.space_before,
            break_before=first.break_before,
            glue=first.glue,
        )
        unit.space_inside = any(part.space_before for part in taken[1:])
        unit.stand_in = first.stand_in
        out.append(unit)
    return out


def _fold(units: list[Unit]) -> list[Unit]:
    """Drop what only stretches a word: lone vowels (ㅣ in 시ㅣ발, ㅠㅠ), a repeated element
    (씨씨발, ㅋㅋㅋ), a drawn-out vowel (시이이발: 이 after a syllable ending in ㅣ; 지라알:
    알 after 라 gives it its final). What is dropped leaves its white space to the element it
    is folded into, and its characters."""
    out: list[Unit] = []
    carried: Unit | None = None
    after_stand_in = False
    for unit in units:
        drop = is_vowel(unit.char)
        if not drop and out and not unit.space_before:
            # Not across white space: "다시, 시발" keeps both 시.
            previous = out[-1]
            if unit.char == previous.char:
                drop = True
            elif (stretched := _stretched(previous.char, unit.char)) is not None:
                previous.char = stretched
                drop = True
        if drop:
            if out and not is_vowel(unit.char):
                out[-1].space_inside = out[-1].space_inside or unit.space_before
                out[-1].end = unit.end
            elif carried is None:
                carried = unit
            else:
                carried.space_before = carried.space_before or unit.space_before
                carried.break_before = carried.break_before or unit.break_before
            after_stand_in = unit.stand_in
            continue
        if carried is not None:
            unit.space_before = unit.space_before or carried.space_before
            unit.break_before = unit.break_before or carried.break_before
            if after_stand_in and unit.glue == JOINED:
                # Right after digits read as vowels and dropped (the 11 of "11시발"): a
                # number is glued to it.
                unit.glue = AFTER_DIGIT
            elif carried.glue != JOINED or unit.glue == JOINED:
                unit.glue = carried.glue
        carried = None
        after_stand_in = False
        out.append(unit)
    return out


_IEUNG = CHO.index("ㅇ")


def _stretched(previous: str, char: str) -> str | None:
    """`previous` drawn out by `char`, and what the two read as: 시 then 이 (시이발) is 시,
    라 then 알 (지라알) is 랄; None when `char` is a syllable of its own."""
    code = ord(char) - SYLLABLE_FIRST
    if not 0 <= code <= SYLLABLE_LAST - SYLLABLE_FIRST or code // 588 != _IEUNG:
        return None
    if not is_syllable(previous):
        return None
    initial, vowel, final = split_syllable(previous)
    _, this_vowel, this_final = split_syllable(char)
    if final or this_vowel != vowel:
        return None
    return join_syllable(initial, vowel, this_final) if this_final else previous


# Spellings that sound alike, folded together in the Latin pass (text and rules alike). Not
# ck and k, nor sh and s: "fuk" would be in Fukushima and "sibal" in "shibal"'s neighbours;
# those spellings are generated as forms of their own instead.
LATIN_DIGRAPHS = {("p", "h"): "f"}
LATIN_SINGLES = {"v": "u"}


def _fold_latin(units: list[Unit]) -> list[Unit]:
    """The Latin pass's spellings folded: a letter repeated (ss, fuuuck) as one, ph as f, v as
    u (fvck). Hangul syllables are folded as in the other passes."""
    out: list[Unit] = []
    for unit in units:
        if _is_latin(unit.char):
            unit.char = LATIN_SINGLES.get(unit.char, unit.char)
            if out and _is_latin(out[-1].char):
                previous = out[-1]
                # Across white space too: f u c k, jon na.
                joined = LATIN_DIGRAPHS.get((previous.char, unit.char))
                if joined or previous.char == unit.char:
                    previous.char = joined or previous.char
                    previous.end = unit.end
                    continue
        out.append(unit)
    return out


def _joins_previous(units: list[Unit], mode: str) -> bool:
    """A word read together with the one before it: in the Latin pass, one or two letters
    (f u c k, jon na: folded across the space); in the others, a word that opens with a lone
    vowel or is a lone consonant, which may finish the syllable before (ㅆ ㅣ 발, 병ㅅl ㄴ)."""
    if not units:
        return False
    if mode == "latin":
        return len(units) <= 2 and all(_is_latin(unit.char) for unit in units)
    return is_vowel(units[0].char) or (len(units) == 1 and is_jamo(units[0].char))


def _word_skeleton(word: str, mode: str, offset_units=None) -> tuple[list[Unit], str]:
    """A word's (or a few words', see _Passes._joined) elements composed and folded, and its
    text."""
    units = offset_units if offset_units is not None else _word_units(word, mode)
    units = _fold(_compose(units))
    if mode == "latin":
        units = _fold_latin(units)
    return units, "".join(unit.char for unit in units)


_WORD = re.compile(r"\S+")
# A word of Hangul syllables only, with quotes, brackets or punctuation around it: every pass
# reads it the same way, so its skeleton is worked out once for all of them.
_PLAIN = re.compile(r"[\"'(\[“‘《〈「]*([가-힣]+)[\"')\]”’》〉」.,?…:;]*")
_LATIN = re.compile(r"[A-Za-z]")
_STAND_INS = re.compile("[" + re.escape("".join([*LOOKALIKES, *SAID_LIKE])) + "]")
# A text's words are read once each, however often they come; a long text's memory of them
# is emptied when it holds this many (about 1 KB a word).
WORDS_REMEMBERED = 10_000


def skeleton(text: str, mode: str = "strip") -> Skeleton:
    """The text as matching sees it in one pass (see the module's docstring)."""
    return _Passes(text).skeleton(mode)


class _Passes:
    """The text read word by word; a word's skeleton in a pass is worked out once."""

    def __init__(self, text: str):
        self.text = text
        self.words = [(match.start(), match.group()) for match in _WORD.finditer(text)]
        self._needed: dict[str, list[bool]] = {}
        self._known: dict[tuple[str, str], tuple[list[Unit], str, bool]] = {}

    def _word(self, word: str, mode: str) -> tuple[list[Unit], str, bool]:
        """A word's elements and text in a pass, and whether it is read together with the
        word before it (_joins_previous)."""
        key = (word, "plain" if _PLAIN.fullmatch(word) else mode)
        found = self._known.get(key)
        if found is None:
            units = _word_units(word, mode)
            joins = _joins_previous(units, mode)
            if units:
                units[0].space_before = units[0].break_before = True
            if len(self._known) >= WORDS_REMEMBERED:
                self._known.clear()
            found = self._known[key] = (*_word_skeleton(word, mode, units), joins)
        return found

    def needed(self, mode: str) -> list[bool]:
        """Which words a pass must read: every word for "strip"; for the others, the words
        the pass reads otherwise (Latin letters, digits, stand-ins) and their neighbours,
        since a match may run across white space (si 발)."""
        if mode not in self._needed:
            if mode == "strip":
                needed = [True] * len(self.words)
            else:
                pattern = _STAND_INS if mode == "lookalike" else _LATIN
                own = [bool(pattern.search(clean(word))) for _, word in self.words]
                needed = [
                    own[i] or (i > 0 and own[i - 1]) or (i + 1 < len(own) and own[i + 1])
                    for i in range(len(own))
                ]
            self._needed[mode] = needed
        return self._needed[mode]

    def skeleton(self, mode: str) -> Skeleton:
        pieces = []
        needed = self.needed(mode)
        i, n = 0, len(self.words)
        while i < n:
            if not needed[i]:
                if pieces and pieces[-1][2] != CUT:
                    pieces.append((0, [_CUT_UNIT], CUT))
                i += 1
                continue
            offset, word = self.words[i]
            j = i + 1
            while j < n and needed[j] and self._word(self.words[j][1], mode)[2]:
                j += 1
            if j > i + 1:
                units, text = self._joined(i, j, mode)
            else:
                units, text, _ = self._word(word, mode)
            pieces.append((offset, units, text))
            i = j
        return Skeleton(pieces)

    def _joined(self, i: int, j: int, mode: str) -> tuple[list[Unit], str]:
        first_offset = self.words[i][0]
        units: list[Unit] = []
        for offset, word in self.words[i:j]:
            word_units = _word_units(word, mode)
            if word_units:
                word_units[0].space_before = word_units[0].break_before = True
            for unit in word_units:
                unit.start += offset - first_offset
                unit.end += offset - first_offset
            units.extend(word_units)
        return _word_skeleton("", mode, units)


# --- rules -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    word: str
    kind: str = BANNED
    whole_word: bool = False


@dataclass(frozen=True)
class Verdict:
    """What a text trips: the banned rule that matches first in the text (refuse), else the
    first suspect one (hold for review); and whether it carries a link (hold). The spans are
    the characters of the text checked that matched, as (start, end) offsets."""

    banned: Rule | None = None
    suspect: Rule | None = None
    link: bool = False
    banned_span: tuple[int, int] | None = None
    suspect_span: tuple[int, int] | None = None

    @property
    def held(self) -> bool:
        return self.banned is None and (self.suspect is not None or self.link)


@dataclass(frozen=True)
class Match:
    rule: Rule
    span: tuple[int, int]


@dataclass
class _Compiled:
    rule: Rule
    latin: bool  # written in Latin letters (fuck): matched in the Latin pass only
    forms: list[str]  # searched for in the Hangul passes: the word, then its initials forms
    latin_forms: list[tuple[str, bool]]  # searched for in the Latin pass; generated or not
    full: str  # the word's own skeleton (what an exception covers)


# Longer words get only the all-initials form: 2^n mixed forms would grow too fast.
MIXED_FORMS_UP_TO = 4
# Romanised spellings are made for words of two to four syllables: one syllable spelled in
# Latin letters is an English word too often (jot, sin).
ROMANISED_UP_TO = 4
# A romanised spelling this long may run on into more Latin letters (jotgatne: 좆같네).
ROMANISED_OPEN_ENDED = 6
# At most this many romanised forms a word, however many ways its syllables are spelled.
ROMAN_FORMS_UP_TO = 1500

# Common spellings of each jamo in romanised Korean (Revised Romanisation, McCune-Reischauer
# and what readers type), before _fold_latin folds the ones that sound alike.
ROMAN_INITIALS = {
    "ㄱ": ("g", "k"),
    "ㄲ": ("kk", "gg"),
    "ㄴ": ("n",),
    "ㄷ": ("d", "t"),
    "ㄸ": ("tt", "dd"),
    "ㄹ": ("r", "l"),
    "ㅁ": ("m",),
    "ㅂ": ("b", "p"),
    "ㅃ": ("pp", "bb"),
    "ㅅ": ("s", "sh"),
    "ㅆ": ("ss", "sh"),
    "ㅇ": ("",),
    "ㅈ": ("j",),
    "ㅉ": ("jj", "zz"),
    "ㅊ": ("ch",),
    "ㅋ": ("k",),
    "ㅌ": ("t",),
    "ㅍ": ("p", "ph"),
    "ㅎ": ("h",),
}
ROMAN_VOWELS = {
    "ㅏ": ("a",),
    "ㅐ": ("ae", "e"),
    "ㅑ": ("ya",),
    "ㅒ": ("yae",),
    "ㅓ": ("eo", "o", "u"),
    "ㅔ": ("e",),
    "ㅕ": ("yeo", "yo", "yu", "you"),
    "ㅖ": ("ye",),
    "ㅗ": ("o",),
    "ㅘ": ("wa",),
    "ㅙ": ("wae",),
    "ㅚ": ("oe", "we"),
    "ㅛ": ("yo",),
    "ㅜ": ("u", "oo"),
    "ㅝ": ("wo",),
    "ㅞ": ("we",),
    "ㅟ": ("wi",),
    "ㅠ": ("yu", "you"),
    "ㅡ": ("eu", "u"),
    "ㅢ": ("ui", "eui"),
    "ㅣ": ("i",),
}
ROMAN_FINALS = {
    "": ("",),
    "ㄱ": ("k", "g"),
    "ㄲ": ("k",),
    "ㄴ": ("n",),
    "ㄷ": ("t", "d"),
    "ㄹ": ("l", "r"),
    "ㅁ": ("m",),
    "ㅂ": ("p", "b"),
    "ㅅ": ("t", "s"),
    "ㅆ": ("t", "ss"),
    "ㅇ": ("ng",),
    "ㅈ": ("t", "j"),
    "ㅊ": ("t",),
    "ㅋ": ("k",),
    "ㅌ": ("t",),
    "ㅍ": ("p",),
    "ㅎ": ("t",),
}


def _latin_skeleton(spelling: str) -> str:
    return _word_skeleton(spelling, "latin")[1]


def _romanised(syllable: str) -> set[str]:
    initial, vowel, final = split_syllable(syllable)
    # A compound final (ㄺ) is spelled by its first letter.
    final_spellings = (
        ROMAN_FINALS.get(final)
        or ROMAN_FINALS[next(first for (first, _), pair in FINAL_PAIRS.items() if pair == final)]
    )
    return {
        _latin_skeleton(a + b + c)
        for a in ROMAN_INITIALS[initial]
        for b in ROMAN_VOWELS[vowel]
        for c in final_spellings
    }


def _forms(word_skeleton: str) -> list[str]:
    """The word, and for two syllables or more the forms with some syllables written as
    their initial consonant alone: 시발 -> ㅅㅂ, ㅅ발, 시ㅂ."""
    forms = [word_skeleton]
    if len(word_skeleton) < 2 or not all(is_syllable(char) for char in word_skeleton):
        return forms
    initials = [split_syllable(char)[0] for char in word_skeleton]
    if len(word_skeleton) > MIXED_FORMS_UP_TO:
        return [*forms, "".join(initials)]
    for choice in product((False, True), repeat=len(word_skeleton)):
        # A lone ㅇ is how news copy hides a name (○○병원, ㅇㅇ병원): 염병 is not ㅇ병.
        silent = any(short and initials[i] == "ㅇ" for i, short in enumerate(choice))
        if any(choice) and (all(choice) or not silent):
            form = "".join(
                initials[i] if short else char
                for i, (char, short) in enumerate(zip(word_skeleton, choice, strict=True))
            )
            forms.append("".join(unit.char for unit in _fold([Unit(c, 0, 1) for c in form])))
    return list(dict.fromkeys(forms))


def _roman_forms(word_skeleton: str) -> list[str]:
    """The word with one or more of its syllables romanised (si발, 병sin, byungsin), as the
    Latin pass reads them."""
    syllables = list(word_skeleton)
    if not 2 <= len(syllables) <= ROMANISED_UP_TO or not all(map(is_syllable, syllables)):
        return []
    choices = [[syllable, *sorted(_romanised(syllable))] for syllable in syllables]
    if prod(map(len, choices)) > ROMAN_FORMS_UP_TO:
        # A word with many spellings (a moderator's own) gets one syllable romanised at a time.
        combos = [
            [*syllables[:i], spelling, *syllables[i + 1 :]]
            for i, choice in enumerate(choices)
            for spelling in choice[1:]
        ]
    else:
        combos = [parts for parts in product(*choices) if any(_is_latin(p[0]) for p in parts)]
    return sorted({_latin_skeleton("".join(parts)) for parts in combos})


def _masked(form: str) -> list[str]:
    """A Latin word with one vowel hidden (f*ck, f0ck)."""
    return [form[:i] + MASK + form[i + 1 :] for i, char in enumerate(form) if char in LATIN_VOWELS]


# Shorter spellings of a rule written in Latin letters (fuk, sibal for shibal): generated, so
# they only count as Latin words of their own (not in Fukushima).
LATIN_SHORTENED = (("ck", "k"), ("sh", "s"))


def _latin_variants(latin: str) -> list[str]:
    spellings = {latin, *(latin.replace(long, short) for long, short in LATIN_SHORTENED)}
    variants = {_latin_skeleton(spelling) for spelling in spellings} - {latin}
    masked = {form for spelling in (latin, *variants) for form in _masked(spelling)}
    return sorted(variants | masked)


def _compile(rule: Rule) -> _Compiled | None:
    forms = _rule_forms(rule)
    return _Compiled(rule, *forms) if forms else None


@lru_cache(maxsize=4096)
def _rule_forms(rule: Rule) -> tuple[bool, list[str], list[tuple[str, bool]], str] | None:
    """What a rule is searched as: written in Latin letters or not, its forms in the Hangul
    passes and in the Latin pass (each with whether it was generated: romanised, shortened or
    masked spellings must stand as a lower-case Latin word of their own), and its own
    skeleton. Kept: the form compiles the word list on every post, and the romanised
    spellings take a while to spell out."""
    hangul = skeleton(rule.word, "strip").text
    if hangul:
        if rule.kind == EXCEPTION:
            return False, [hangul], [], hangul
        roman = _roman_forms(hangul) if rule.kind == BANNED else []
        return False, _forms(hangul), [(form, True) for form in roman], hangul
    latin = _latin_skeleton(rule.word)
    if latin:
        generated = [(form, True) for form in _latin_variants(latin)]
        return True, [], [(latin, False), *generated], latin
    return None


def _find_all(text: str, form: str):
    start = text.find(form)
    while start != -1:
        yield start, start + len(form)
        start = text.find(form, start + 1)


class RuleSet:
    """The moderators' word list, compiled once per check."""

    def __init__(self, rules):
        compiled = [_compile(rule) for rule in rules]
        compiled = [rule for rule in compiled if rule is not None]
        self.exceptions = [rule for rule in compiled if rule.rule.kind == EXCEPTION]
        self.banned = [rule for rule in compiled if rule.rule.kind == BANNED]
        self.suspect = [rule for rule in compiled if rule.rule.kind == SUSPECT]

    def check(self, text: str) -> Verdict:
        passes = _Checked(text, self.exceptions)
        banned = self._first(self.banned, passes)
        suspect = self._first(self.suspect, passes)
        return Verdict(
            banned=banned.rule if banned else None,
            suspect=suspect.rule if suspect else None,
            link=has_link(text),
            banned_span=banned.span if banned else None,
            suspect_span=suspect.span if suspect else None,
        )

    def _first(self, rules: list[_Compiled], passes) -> Match | None:
        found = [match for match in map(passes.first_match, rules) if match is not None]
        return min(found, key=lambda match: match.span, default=None)


class _Checked:
    """One text's passes, each built the first time a rule looks at it."""

    def __init__(self, text: str, exceptions: list[_Compiled]):
        self.passes = _Passes(text)
        self.exceptions = exceptions
        self._skeletons: dict[str, Skeleton | None] = {}
        self._exception_spans: dict[Skeleton, tuple[list[int], list[int]]] = {}
        self._pair_sets: dict[str, set[str]] = {}
        has_latin = any(_is_latin(char) for char in clean(text))
        self.names = ["strip", "lookalike", *(("qwerty", "latin") if has_latin else ())]

    def skeleton(self, name: str) -> Skeleton | None:
        if name not in self._skeletons:
            if name != "strip" and not any(self.passes.needed(name)):
                self._skeletons[name] = None
            else:
                self._skeletons[name] = self.passes.skeleton(name)
        return self._skeletons[name]

    def first_match(self, rule: _Compiled) -> Match | None:
        """Where `rule` first trips the text, in any pass."""
        found = []
        for name in self.names:
            if name == "latin":
                forms = rule.latin_forms
            elif rule.latin:
                continue
            else:
                # Initial-consonant forms are not looked for in Latin typing: "qt" is not ㅂㅅ.
                forms = [
                    (form, False) for form in (rule.forms[:1] if name == "qwerty" else rule.forms)
                ]
            if not forms:
                continue
            sk = self.skeleton(name)
            if sk is None:
                continue
            pairs = self._pairs(name, sk)
            for form, generated in forms:
                if form[:2] not in pairs:
                    continue
                for start, end in _find_all(sk.text, form):
                    if self._counts(rule, sk, start, end, generated):
                        found.append(sk.span(start, end))
                        break
        return Match(rule.rule, min(found)) if found else None

    def _pairs(self, name: str, sk: Skeleton) -> set[str]:
        """Every pair of neighbouring elements in the skeleton, and every element: a form
        whose first two elements are not among them is not searched for at all (most of a
        rule's romanised spellings, in most texts)."""
        if name not in self._pair_sets:
            text = sk.text
            self._pair_sets[name] = {text[i : i + 2] for i in range(len(text))} | set(text)
        return self._pair_sets[name]

    def _counts(self, rule: _Compiled, sk: Skeleton, start: int, end: int, generated) -> bool:
        whole = rule.rule.whole_word
        if (whole or sk.spaced(start, end)) and not sk.bounded(start, end):
            return False
        if generated and not self._latin_word(sk, start, end):
            return False
        if not rule.latin:
            prefixes = PREFIXES if rule.rule.kind == BANNED else frozenset()
            if not sk.opens_word(start, prefixes):
                return False
        return not self._excused(sk, start, end)

    @staticmethod
    def _latin_word(sk: Skeleton, start: int, end: int) -> bool:
        """A generated spelling stands as a lower-case Latin word of its own (capitals are
        names and acronyms: Shiba Inu, SI발주): no Latin letter glued before it, nor after
        it unless it is long enough to run on (jotgatne)."""
        units = sk.units
        if any(unit.capital for unit in units[start:end]):
            return False
        if units[start].glue == JOINED and _is_latin(units[start - 1].char):
            return False
        if end < len(units) and _is_latin(units[end - 1].char):
            following = units[end]
            glued = following.glue == JOINED and _is_latin(following.char)
            if glued and end - start < ROMANISED_OPEN_ENDED:
                return False
        return True

    def _excused(self, sk: Skeleton, start: int, end: int) -> bool:
        """An exception's match covers the elements start..end. The exceptions' matches are
        listed once a pass, by where they start, with the farthest end so far: one look-up
        a candidate, however many there are."""
        if sk not in self._exception_spans:
            spans = sorted(
                span for exception in self.exceptions for span in _find_all(sk.text, exception.full)
            )
            farthest, ends = 0, []
            for _, span_end in spans:
                farthest = max(farthest, span_end)
                ends.append(farthest)
            self._exception_spans[sk] = ([span_start for span_start, _ in spans], ends)
        starts, ends = self._exception_spans[sk]
        index = bisect_right(starts, start)
        return index > 0 and ends[index - 1] >= end


# --- links -----------------------------------------------------------------------------------

# Top-level domains that mark a word as an address (a short list on purpose: "3.5%" or
# "v2.1" are not addresses, and a reader writing "삼성.com" is).
TLDS = frozenset(
    (
        *("com", "net", "org", "kr", "co", "io", "me", "ly", "gl", "biz", "info", "xyz"),
        *("site", "shop", "online", "top", "app", "dev", "ai", "tv", "cc", "be", "to"),
        *("gg", "kim", "link", "click", "live", "store", "club"),
    )
)
SCHEMES = ("http://", "https://", "hxxp://", "hxxps://", "hxxp:", "hxxps:", "www.")
SPOKEN = ("닷컴", "닷넷", "닷케이알", "쩜컴", "점컴")
DOTS = str.maketrans({"。": ".", "｡": ".", "﹒": ".", "·": ".", "ㆍ": "."})


def has_link(text: str) -> bool:
    """An address in the text, also written as hxxp, with a full-width or ideographic dot,
    with spaces or brackets around the dot ("example . com", "example[.]com"), or spoken
    (네이버 닷컴)."""
    plain = clean(text).translate(DOTS).lower()
    for dotted in ("[.]", "(.)", " . "):
        plain = plain.replace(dotted, ".")
    if any(marker in plain for marker in SCHEMES) or any(
        _spoken_at(plain, word) for word in SPOKEN
    ):
        return True
    for word in plain.replace("/", " ").split():
        labels = word.strip(".,!?:;'\"").split(".")
        if len(labels) >= 2 and labels[-1] in TLDS and labels[-2] and _label(labels[-2]):
            return True
    return False


def _spoken_at(plain: str, spoken: str) -> bool:
    """A spoken address ending (네이버닷컴), not the start of 컴퓨터 after 점 (관점컴퓨터)."""
    return any(not plain.startswith("퓨", end) for _, end in _find_all(plain, spoken))


def _label(label: str) -> bool:
    return all(char.isalnum() or char == "-" for char in label)
