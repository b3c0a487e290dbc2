"""Banned and suspect words, and links, in a comment's text: matching without the ORM.

Readers dodge word filters in well-known ways: 씨 발, 씨.발, 씨1발, 씨이이발, ｃ발, ㅆㅣ발,
ㅅㅂ, tlqkf (시발 typed on a QWERTY keyboard left in Latin mode), full-width letters and
zero-width characters. Matching therefore runs on a *skeleton* of the text, one element per
Hangul syllable or lone jamo, built in a few passes that each undo some of the evasions:

- "strip": everything that is not Hangul (spaces, dots, digits, symbols, Latin) is dropped;
- "lookalike": digits, Latin letters and symbols that stand in for jamo (l and 1 for ㅣ,
  0 and o for ㅇ, c before Hangul for 씨, 人 for ㅅ...) become those jamo, in words that
  also hold Hangul;
- "qwerty": Latin letters become the jamo on the same key of the Korean 2-set layout;
- "latin": for rules written in Latin letters, lower-cased letters with leetspeak digits.

In every pass lone jamo are composed into syllables as a Korean keyboard would (ㅆ ㅣ 발 is
씨발), repeated elements and drawn-out vowels are folded (씨씨발, 시이발), and lone vowels
that belong to nothing are dropped. A rule is matched by plain substring search of its own
skeleton (and, for words of two or more syllables, of its initial-consonant forms: ㅅㅂ, ㅅ발)
in each pass's skeleton: linear, no regular expression ever runs on a reader's text.

Two guards keep innocent text out:
- an exception (시발점, 수박씨 발라) covering the very elements a rule matched excuses it;
- a match that only exists because spaces were removed must stand as words of its own: "씨 발"
  is refused, "홍길동 씨 발언" and "아저씨 발" are not.
"""

import unicodedata
from dataclasses import dataclass, field
from itertools import product

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
# "c" reads 씨 only right before Hangul or a stand-in (c발, c8), never in "비타민C 발견".
SAID_LIKE = {"c": "씨", "C": "씨"}
LEET = {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s"}


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


def is_consonant(char: str) -> bool:
    return is_jamo(char) and not is_vowel(char)


def split_syllable(char: str) -> tuple[str, str, str]:
    index = ord(char) - SYLLABLE_FIRST
    return CHO[index // 588], JUNG[(index % 588) // 28], JONG[index % 28]


def join_syllable(initial: str, vowel: str, final: str = "") -> str:
    return chr(
        SYLLABLE_FIRST + CHO.index(initial) * 588 + JUNG.index(vowel) * 28 + JONG.index(final)
    )


# --- the skeleton ----------------------------------------------------------------------------


@dataclass
class Unit:
    """One element of a skeleton. `space_before`: white space separated it from the element
    before; `break_before`: anything but a letter did; `space_inside`: it was composed from
    jamo with white space between them (ㅆ ㅣ)."""

    char: str
    space_before: bool = False
    break_before: bool = False
    space_inside: bool = False


@dataclass
class Skeleton:
    units: list[Unit]
    text: str = field(init=False)

    def __post_init__(self):
        self.text = "".join(unit.char for unit in self.units)

    def bounded(self, start: int, end: int) -> bool:
        """The elements start..end stand as words of their own."""
        before = start == 0 or self.units[start].break_before
        after = end == len(self.units) or self.units[end].break_before
        return before and after

    def spaced(self, start: int, end: int) -> bool:
        """White space was removed to bring the elements start..end together."""
        return any(self.units[i].space_before for i in range(start + 1, end)) or any(
            self.units[i].space_inside for i in range(start, end)
        )


def clean(text: str) -> str:
    """Zero-width and format characters and fillers out, decomposed Hangul composed (NFC),
    full-width and other compatibility forms to their plain letters (NFKC), except Hangul
    jamo, which stay the letters a keyboard types; letters of other scripts drawn like a
    Latin one become it."""
    kept = "".join(
        char
        for char in text
        if (
            char not in HANGUL_FILLERS
            and unicodedata.category(char) not in ("Cf", "Mn", "Me", "Cc")
        )
        or char == "\n"
    )
    out = []
    for char in unicodedata.normalize("NFC", kept):
        if is_jamo(char):
            out.append(char)
            continue
        # Before NFKC, which would make the Greek lunate sigma ϲ a final sigma ς.
        for piece in unicodedata.normalize("NFKC", LATIN_LOOKALIKES.get(char, char)):
            if piece in HANGUL_FILLERS:
                continue
            out.append(_CONJOINING.get(piece) or LATIN_LOOKALIKES.get(piece, piece))
    return "".join(out)


def _words_with_hangul(text: str) -> list[bool]:
    """For each character: does the white-space-delimited word it sits in hold Hangul, or
    is it made of stand-ins only (c8)?"""
    flags = [False] * len(text)
    start = 0
    for index in range(len(text) + 1):
        if index == len(text) or text[index].isspace():
            word = text[start:index]
            has = any(is_hangul(char) for char in word) or (
                len(word) > 1
                and any(char in SAID_LIKE for char in word)
                and all(char in LOOKALIKES or char in SAID_LIKE for char in word)
            )
            for position in range(start, index):
                flags[position] = has
            start = index + 1
    return flags


def _mapped(text: str, mode: str) -> list[tuple[str, bool]]:
    """The text as (letter, is_separator) pairs for a pass; separators carry the original
    character so white space can be told from other breaks."""
    out: list[tuple[str, bool]] = []
    hangul_words = _words_with_hangul(text) if mode == "lookalike" else None
    for index, char in enumerate(text):
        if mode == "latin":
            lower = char.lower()
            if lower.isascii() and lower.isalpha():
                out.append((lower, False))
            elif char in LEET and _latin_word(text, index):
                out.append((LEET[char], False))
            else:
                out.append((char, True))
            continue
        if is_hangul(char):
            out.append((char, False))
        elif mode == "qwerty" and char in QWERTY:
            out.append((QWERTY[char], False))
        elif mode == "qwerty" and char.isascii() and char.isalpha():
            out.append((QWERTY.get(char.lower(), char), False))
        elif mode == "lookalike" and hangul_words[index]:
            following = text[index + 1 : index + 2]  # "" at the end of the text
            said_like = following and (is_hangul(following) or following in LOOKALIKES)
            if char in SAID_LIKE and said_like:
                out.append((SAID_LIKE[char], False))
            elif char in LOOKALIKES:
                out.append((LOOKALIKES[char], False))
            else:
                out.append((char, True))
        else:
            out.append((char, True))
    return out


def _latin_word(text: str, index: int) -> bool:
    """A digit inside a run of Latin letters (f4ck), not a number of its own."""
    left = text[index - 1] if index > 0 else ""
    right = text[index + 1] if index + 1 < len(text) else ""
    return (left.isascii() and left.isalpha()) or (right.isascii() and right.isalpha())


def skeleton(text: str, mode: str = "strip") -> Skeleton:
    """The text as matching sees it in one pass (see the module's docstring)."""
    units: list[Unit] = []
    space = brk = False
    for char, separator in _mapped(clean(text), mode):
        if separator:
            brk = True
            space = space or char.isspace()
            continue
        units.append(Unit(char, space_before=space, break_before=brk))
        space = brk = False
    return Skeleton(_fold(_compose(units)))


def _compose(units: list[Unit]) -> list[Unit]:
    """Lone jamo into syllables, as a 2-set keyboard composes them: a consonant and a vowel
    (ㅗ+ㅏ is ㅘ), then a final consonant unless a vowel follows it (ㄹ+ㄱ is ㄺ)."""
    out: list[Unit] = []
    i, n = 0, len(units)

    def char(k: int) -> str:
        return units[k].char if k < n else ""

    while i < n:
        first = units[i]
        if not (is_consonant(first.char) and first.char in _INITIALS and is_vowel(char(i + 1))):
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
        out.append(
            Unit(
                join_syllable(initial, vowel, final),
                space_before=first.space_before,
                break_before=first.break_before,
                space_inside=any(unit.space_before for unit in taken[1:]),
            )
        )
    return out


def _fold(units: list[Unit]) -> list[Unit]:
    """Drop what only stretches a word: lone vowels (ㅣ in 시ㅣ발, ㅠㅠ), a repeated element
    (씨씨발, ㅋㅋㅋ), a drawn-out vowel (시이이발: 이 after a syllable ending in ㅣ). What is
    dropped leaves its white space to the element it is folded into."""
    out: list[Unit] = []
    carried_space = carried_break = False
    for unit in units:
        drop = is_vowel(unit.char)
        if not drop and out:
            previous = out[-1].char
            # Not across white space: "다시, 시발" keeps both 시.
            drop = not unit.space_before and (
                unit.char == previous or _drawn_out(previous, unit.char)
            )
        if drop:
            if out and not is_vowel(unit.char):
                out[-1].space_inside = out[-1].space_inside or unit.space_before
            else:
                carried_space = carried_space or unit.space_before
                carried_break = carried_break or unit.break_before
            continue
        unit.space_before = unit.space_before or carried_space
        unit.break_before = unit.break_before or carried_break
        carried_space = carried_break = False
        out.append(unit)
    return out


def _drawn_out(previous: str, char: str) -> bool:
    if not (is_syllable(previous) and is_syllable(char)):
        return False
    _, vowel, final = split_syllable(previous)
    initial, this_vowel, this_final = split_syllable(char)
    return not final and initial == "ㅇ" and not this_final and this_vowel == vowel


# --- rules -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    word: str
    kind: str = BANNED
    whole_word: bool = False


@dataclass(frozen=True)
class Verdict:
    """What a text trips: the first banned rule (refuse), else the first suspect rule
    (hold for review); and whether it carries a link (hold)."""

    banned: Rule | None = None
    suspect: Rule | None = None
    link: bool = False
    # Offsets into the text given to RuleSet.check: the reader's characters the banned
    # (suspect) rule matched, so that the reader and the moderators see them.
    banned_span: tuple[int, int] | None = None
    suspect_span: tuple[int, int] | None = None

    @property
    def held(self) -> bool:
        return self.banned is None and (self.suspect is not None or self.link)


@dataclass
class _Compiled:
    rule: Rule
    latin: bool
    forms: list[str]  # skeletons searched for: the word, then its initial-consonant forms
    full: str


HANGUL_PASSES = ("strip", "lookalike", "qwerty")
# Longer words get only the all-initials form: 2^n mixed forms would grow too fast.
MIXED_FORMS_UP_TO = 4


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
        if any(choice):
            form = "".join(
                initials[i] if short else char
                for i, (char, short) in enumerate(zip(word_skeleton, choice, strict=True))
            )
            forms.append("".join(unit.char for unit in _fold([Unit(char) for char in form])))
    return list(dict.fromkeys(forms))


def _compile(rule: Rule) -> _Compiled | None:
    hangul = skeleton(rule.word, "strip").text
    if hangul:
        forms = [hangul] if rule.kind == EXCEPTION else _forms(hangul)
        return _Compiled(rule, False, forms, hangul)
    latin = skeleton(rule.word, "latin").text
    if latin:
        return _Compiled(rule, True, [latin], latin)
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
        self.has_latin = any(rule.latin for rule in compiled)

    def check(self, text: str) -> Verdict:
        passes = self._passes(text)
        return Verdict(
            banned=self._first(self.banned, passes),
            suspect=self._first(self.suspect, passes),
            link=has_link(text),
        )

    def matches(self, text: str, kind: str = BANNED) -> list[Rule]:
        """Every rule of `kind` the text trips (the desk shows them to the moderator)."""
        passes = self._passes(text)
        rules = self.banned if kind == BANNED else self.suspect
        return [rule.rule for rule in rules if self._trips(rule, passes)]

    def _passes(self, text: str) -> dict[str, Skeleton]:
        passes = {"strip": skeleton(text, "strip"), "lookalike": skeleton(text, "lookalike")}
        if any(char.isascii() and char.isalpha() for char in clean(text)):
            passes["qwerty"] = skeleton(text, "qwerty")
            if self.has_latin:
                passes["latin"] = skeleton(text, "latin")
        return passes

    def _first(self, rules: list[_Compiled], passes) -> Rule | None:
        return next((rule.rule for rule in rules if self._trips(rule, passes)), None)

    def _trips(self, rule: _Compiled, passes: dict[str, Skeleton]) -> bool:
        names = ("latin",) if rule.latin else HANGUL_PASSES
        for name in names:
            found = passes.get(name)
            if found is None:
                continue
            # Initial-consonant forms are not looked for in Latin typing: "qt" is not ㅂㅅ.
            forms = rule.forms[:1] if name == "qwerty" else rule.forms
            excused = None
            for form in forms:
                for start, end in _find_all(found.text, form):
                    whole = rule.rule.whole_word
                    if (whole or found.spaced(start, end)) and not found.bounded(start, end):
                        continue
                    if excused is None:
                        excused = self._excused_spans(found, rule.latin)
                    if not any(a <= start and end <= b for a, b in excused):
                        return True
        return False

    def _excused_spans(self, found: Skeleton, latin: bool) -> list[tuple[int, int]]:
        return [
            span
            for exception in self.exceptions
            if exception.latin == latin
            for span in _find_all(found.text, exception.full)
        ]


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
    if any(marker in plain for marker in SCHEMES) or any(word in plain for word in SPOKEN):
        return True
    for word in plain.replace("/", " ").split():
        labels = word.strip(".,!?:;'\"").split(".")
        if len(labels) >= 2 and labels[-1] in TLDS and labels[-2] and _label(labels[-2]):
            return True
    return False


def _label(label: str) -> bool:
    return all(char.isalnum() or char == "-" for char in label)
