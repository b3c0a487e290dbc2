"""Search text without the database: one spelling for stories and queries, the grams that
answer short queries, the reader's query checked, and the highlighted snippet of a result.

Stories and queries go through the same `normalise`, so whatever a reader types matches the
way the story was indexed. Terms of three characters or more are answered by a trigram index
(SQLite FTS5 `trigram`, PostgreSQL pg_trgm); a trigram index has nothing for one or two
characters (삼성, 금리: the commonest Korean queries), so every story also keeps its distinct
one- and two-character grams, which a second index answers (articles/search/index.py).
"""

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum
from html.parser import HTMLParser

# Terms this long or longer go to the trigram index; shorter ones to the gram index.
TRIGRAM_LENGTH = 3
# What a search box may reasonably hold; anything longer is refused, not cut, so that the
# reader knows which words were searched.
MAX_QUERY_LENGTH = 100
MAX_TERMS = 10
SNIPPET_LENGTH = 160

# Anything but a letter or a digit separates words (punctuation, symbols, emoji, spaces,
# control characters); "_" is a word character to `\w`, so it is named.
_SEPARATORS = re.compile(r"[\W_]+")
# Characters XML 1.0 cannot carry (feeds, sitemaps), and the other control characters a
# pasted query may hold.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")


def without_control_characters(text: str) -> str:
    """The text with the characters XML 1.0 forbids (and C1 controls) removed."""
    return _CONTROL.sub("", text)


def normalise(text: str) -> str:
    """Composed Hangul (NFC), case folded, words of letters and digits separated by one
    space. Decomposed jamo from some Mac and mobile keyboards compose to the same
    syllables, so "삼성" typed either way is the same string."""
    folded = unicodedata.normalize("NFC", unicodedata.normalize("NFC", text).casefold())
    return _SEPARATORS.sub(" ", folded).strip()


def grams(normalised: str) -> str:
    """The distinct one- and two-character grams of each word, sorted, space-separated.
    A gram never crosses a word boundary, as a query term never holds a space."""
    found: set[str] = set()
    for word in normalised.split():
        found.update(word)
        found.update(word[i : i + 2] for i in range(len(word) - 1))
    return " ".join(sorted(found))


class Problem(StrEnum):
    EMPTY = "empty"
    TOO_LONG = "too_long"
    TOO_MANY_WORDS = "too_many_words"


@dataclass(frozen=True)
class Query:
    """A reader's query: the words as typed (cleaned), and the normalised terms that must
    all be found. `problem` says why there is nothing to search."""

    text: str
    terms: tuple[str, ...]
    problem: Problem | None = None

    @property
    def long_terms(self) -> tuple[str, ...]:
        return tuple(term for term in self.terms if len(term) >= TRIGRAM_LENGTH)

    @property
    def short_terms(self) -> tuple[str, ...]:
        return tuple(term for term in self.terms if len(term) < TRIGRAM_LENGTH)


def required_grams(terms: tuple[str, ...]) -> tuple[str, ...]:
    """Grams every story holding all the terms must have: a short term itself, and each
    two-character piece of a long one. A story with them all may still lack a long term
    (its pieces apart), so a long term is checked again on the text."""
    found: set[str] = set()
    for term in terms:
        if len(term) < TRIGRAM_LENGTH:
            found.add(term)
        else:
            found.update(term[i : i + 2] for i in range(len(term) - 1))
    return tuple(sorted(found))


def parse_query(raw: str) -> Query:
    """Clean what the reader typed: control characters out, spaces collapsed; then the
    distinct terms, in the order typed. Too long or too many words is refused whole."""
    text = " ".join(without_control_characters(unicodedata.normalize("NFC", raw)).split())
    if len(text) > MAX_QUERY_LENGTH:
        return Query(text[:MAX_QUERY_LENGTH], (), Problem.TOO_LONG)
    terms = tuple(dict.fromkeys(normalise(text).split()))
    if not terms:
        return Query(text, (), Problem.EMPTY)
    if len(terms) > MAX_TERMS:
        return Query(text, (), Problem.TOO_MANY_WORDS)
    return Query(text, terms)


def fts5_match(terms: tuple[str, ...]) -> str:
    """An FTS5 MATCH expression requiring every term: each a quoted string (a `"` inside is
    doubled), so no reader's text is ever read as FTS5 syntax (NEAR, *, ^, column:)."""
    # SQLite reads the expression as a C string: a NUL would end it inside a quote.
    quoted = ('"' + term.replace("\x00", "").replace('"', '""') + '"' for term in terms)
    return " AND ".join(quoted)


def like_contains(term: str) -> str:
    """A LIKE pattern finding `term` anywhere, its wildcards and the escape taken literally
    (PostgreSQL's default escape character is the backslash)."""
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


# --- what a result shows ---------------------------------------------------------------------


class _Text(HTMLParser):
    BLOCKS = {"p", "div", "br", "li", "h2", "h3", "h4", "blockquote", "figure", "figcaption"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in self.BLOCKS:
            self.parts.append(" ")

    def handle_endtag(self, tag):
        if tag in self.BLOCKS:
            self.parts.append(" ")

    def handle_data(self, data):
        self.parts.append(data)


def plain_text(html: str) -> str:
    """A story body's words, without tags: paragraphs become spaces, entities characters."""
    parser = _Text()
    parser.feed(html)
    parser.close()
    return " ".join("".join(parser.parts).split())


def entry(headline: str, subheadline: str, summary: str, body_html: str) -> dict[str, str]:
    """A story's search entry: its normalised headline, the normalised text of everything a
    reader reads on its page above the fold and in the body, and that text's grams."""
    content = normalise(" ".join((headline, subheadline, summary, plain_text(body_html))))
    return {"headline": normalise(headline), "content": content, "grams": grams(content)}


def _folded(text: str) -> str:
    """`text` case folded one character for one character, so that a position found in it
    is the same position in `text` (a fold that changes the length, ß → ss, is left)."""
    out = []
    for char in text:
        fold = char.casefold()
        out.append(fold if len(fold) == 1 else char)
    return "".join(out)


def _spans(text: str, terms: tuple[str, ...]) -> list[tuple[int, int]]:
    folded = _folded(text)
    spans = []
    for term in terms:
        start = folded.find(term)
        while start != -1:
            spans.append((start, start + len(term)))
            start = folded.find(term, start + 1)
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def highlight(text: str, terms: tuple[str, ...]) -> list[tuple[str, bool]]:
    """`text` in parts, each (words, found): the template escapes the words and marks the
    found ones, so no markup ever comes from a story or a query."""
    parts, position = [], 0
    for start, end in _spans(text, terms):
        if start > position:
            parts.append((text[position:start], False))
        parts.append((text[start:end], True))
        position = end
    if position < len(text):
        parts.append((text[position:], False))
    return parts


def first_holding(texts: tuple[str, ...], terms: tuple[str, ...]) -> str:
    """The first of `texts` holding one of `terms`, else the first with any text: a result
    shows one passage (a summary and the paragraph it restates would say it twice)."""
    for text in texts:
        if _spans(unicodedata.normalize("NFC", text), terms):
            return text
    return next((text for text in texts if text.strip()), "")


def snippet(
    text: str, terms: tuple[str, ...], length: int = SNIPPET_LENGTH
) -> list[tuple[str, bool]]:
    """About `length` characters of `text` around the first term found (the beginning when
    none is: the story matched on its headline), cut at spaces, "…" where text was left
    out; in parts as `highlight` gives them."""
    text = unicodedata.normalize("NFC", " ".join(text.split()))
    if len(text) <= length:
        return highlight(text, terms)
    spans = _spans(text, terms)
    first = spans[0][0] if spans else 0
    start = max(0, min(first - length // 3, len(text) - length))
    if start > 0:
        space = text.find(" ", start, first)
        start = space + 1 if space != -1 else start
    end = min(len(text), start + length)
    if end < len(text):
        space = text.rfind(" ", max(first + 1, start + length // 2), end)
        end = space if space != -1 else end
    window = text[start:end]
    parts = highlight(window, terms)
    if start > 0:
        parts.insert(0, ("… ", False))
    if end < len(text):
        parts.append((" …", False))
    return parts
