"""The word rules against their evaluation data (tests/comments/corpus, issue 21): the data's
shape, and the targets the rules must reach: at most 0.3% of innocent sentences refused and
1% held, at least 99% of evasions refused (each an xfail until the matcher met it). No ORM:
the starter list, matched as the comment form matches it."""

import unicodedata
from collections import Counter

import pytest

from comments import rules
from comments.starter_words import BANNED
from tests.comments import corpus


@pytest.fixture(scope="module")
def word_rules():
    return corpus.starter_rules()


@pytest.fixture(scope="module")
def innocent(word_rules):
    return [(text, corpus.verdict(word_rules, text)) for text in corpus.innocent_sentences()]


@pytest.fixture(scope="module")
def evasions(word_rules):
    return [(row, corpus.verdict(word_rules, row.text)) for row in corpus.evasions()]


def test_the_innocent_corpus_holds_3000_distinct_sentences_each_a_comment():
    sentences = corpus.innocent_sentences()
    assert len(sentences) >= 3000
    assert len(set(sentences)) == len(sentences)
    assert all(sentence == sentence.strip() for sentence in sentences)
    assert all(rules.byte_count(sentence) <= rules.MAX_BYTES for sentence in sentences)
    assert all(any("가" <= char <= "힣" for char in sentence) for sentence in sentences)


def test_the_evasion_table_covers_every_family_with_words_of_the_banned_list():
    rows = corpus.evasions()
    assert len(rows) >= 300
    assert len({row.text for row in rows}) == len(rows)
    families = Counter(row.family for row in rows)
    assert set(families) == set(corpus.FAMILIES)
    assert min(families.values()) >= 10
    assert {row.word for row in rows} <= set(BANNED)
    assert all(row.note for row in rows)


def test_the_evasion_table_keeps_its_invisible_and_decomposed_characters():
    # An editor that composes or strips what it saves would quietly turn these rows into
    # the plain word.
    rows = corpus.evasions()
    for row in rows:
        if row.family == "nfd":
            assert not unicodedata.is_normalized("NFC", row.text), row.note
        if row.family == "zero_width":
            assert any(
                unicodedata.category(char) in ("Cf", "Mn") or char in "\u3164\uffa0"
                for char in row.text
            ), row.note


def shown(cases) -> str:
    return "\n".join(f"  {text}" for text in cases[:20])


def test_at_most_0_3_percent_of_innocent_sentences_are_refused(innocent):
    refused = [f"{text} ({verdict.banned.word})" for text, verdict in innocent if verdict.banned]
    assert len(refused) <= 0.003 * len(innocent), f"{len(refused)} refused:\n{shown(refused)}"


def test_at_most_1_percent_of_innocent_sentences_are_held(innocent):
    held = [
        f"{text} ({verdict.suspect.word if verdict.suspect else 'link'})"
        for text, verdict in innocent
        if verdict.held
    ]
    assert len(held) <= 0.01 * len(innocent), f"{len(held)} held:\n{shown(held)}"


def test_at_least_99_percent_of_evasions_are_refused(evasions):
    missed = [
        f"{row.text} ({row.family}: {row.word})" for row, verdict in evasions if not verdict.banned
    ]
    assert len(missed) <= 0.01 * len(evasions), f"{len(missed)} let through:\n{shown(missed)}"
