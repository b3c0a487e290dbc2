"""The comment word rules' evaluation data (issue 21), committed before the matcher was tuned
so that what tuning gains is measured on data it could not be fitted to:

- innocent.txt: sentences of a Korean business paper's news and readers' comments (how they
  were made is at the top of the file), which the rules must neither refuse nor hold;
- evasions.csv: banned words written the ways readers dodge a filter, one a row: the text,
  its family (FAMILIES), the word on the starter list it stands for, and a note saying what
  was done to it (invisible characters can't be seen in the file). The rows were chosen by
  hand, family by family; a short script spelled out the mechanical ones (NFD, invisible
  characters, look-alike letters) and set about a third in a short comment.

Read by tests/comments/test_wordrules_corpus.py and benchmarks/wordrules.py. The data lives
with the tests, not in comments/, because no page reads it.
"""

import csv
from dataclasses import dataclass
from pathlib import Path

from comments.rules import stored_text
from comments.starter_words import STARTER
from comments.wordrules import Rule, RuleSet, Verdict

HERE = Path(__file__).parent
INNOCENT = HERE / "innocent.txt"
EVASIONS = HERE / "evasions.csv"

# The evasion families of issue 21, then the ones comments.wordrules also undoes today.
FAMILIES = (
    "spaces",  # 씨 발, a line break, an ideographic space
    "punctuation",  # 씨.발, 씨·발, symbols and emoji between the syllables
    "digits",  # 씨1발, f0ck
    "jamo",  # ㅆㅣ발, ㅅㅂ, ㅅ발: letters apart, initial consonants
    "nfd",  # decomposed into conjoining jamo
    "zero_width",  # zero-width, format, bidi and filler characters between the syllables
    "repeated",  # 씨씨발, 씨이이발, fuuuck
    "transliteration",  # sibal, byungsin, jonna: the word romanised
    "mixed_script",  # si발, 병sin, tl발: a syllable in Latin beside one in Hangul
    "confusables",  # ѕibal, fυck: Cyrillic or Greek letters in place of Latin ones
    "qwerty",  # tlqkf: typed on the Korean layout with the keyboard in Latin mode
    "fullwidth",  # ｓｉｂａｌ, 𝐟𝐮𝐜𝐤: compatibility forms of plain letters
    "stand_ins",  # ㅅl발, c발, c8: Latin letters and digits drawn like a jamo
    "combined",  # two of the above at once
)


@dataclass(frozen=True)
class Evasion:
    text: str
    family: str
    word: str
    note: str


def innocent_sentences() -> list[str]:
    lines = INNOCENT.read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line and not line.startswith("#")]


def evasions() -> list[Evasion]:
    with EVASIONS.open(encoding="utf-8", newline="") as rows:
        return [Evasion(**row) for row in csv.DictReader(rows)]


def starter_rules() -> RuleSet:
    """The word list a new site starts with (migration 0003 loads the same list)."""
    return RuleSet(Rule(word, kind, whole) for word, kind, whole in STARTER)


def verdict(rules: RuleSet, text: str) -> Verdict:
    """What the comment form makes of `text`: comments.moderation.post_comment matches the
    text as it would be stored. `banned` set: refused; `held`: waits for a moderator."""
    return rules.check(stored_text(text))
