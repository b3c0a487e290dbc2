"""The search text module, without the database: normalising, grams, the reader's query,
FTS5 and LIKE quoting, and the highlighted snippet."""

import sqlite3
import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from articles.search import text as search_text
from articles.search.text import Problem, Query

# Hangul syllables, Latin letters, digits, punctuation, emoji and control characters.
readers_text = st.text(
    alphabet=st.one_of(
        st.characters(min_codepoint=0xAC00, max_codepoint=0xD7A3),
        st.sampled_from("abcXYZ0123456789 .,!?\"'*()%_-\\:^\t\n\x00\x1b🙂ß"),
    ),
    max_size=60,
)


def test_normalise_folds_case_and_composes_hangul_and_keeps_only_words():
    decomposed = unicodedata.normalize("NFD", "삼성전자")
    assert search_text.normalise(f"{decomposed}, AI칩 (3.5%)!") == "삼성전자 ai칩 3 5"
    assert search_text.normalise("  \x00 🙂 _ ") == ""


def test_grams_are_the_distinct_letters_and_pairs_of_each_word():
    assert search_text.grams("삼성 삼성전") == "삼 삼성 성 성전 전"
    assert search_text.grams("5g") == "5 5g g"
    assert search_text.grams("") == ""


@given(readers_text, readers_text)
def test_every_short_term_of_a_text_is_among_its_grams(text, query):
    grams = set(search_text.grams(search_text.normalise(text)).split())
    words = search_text.normalise(text).split()
    for term in search_text.parse_query(query).short_terms:
        assert (term in grams) == any(term in word for word in words)


def test_required_grams_are_the_short_terms_and_the_pieces_of_the_long_ones():
    assert search_text.required_grams(("ai", "반도체", "금")) == ("ai", "금", "도체", "반도")


@given(readers_text, readers_text)
def test_a_text_holding_every_term_holds_every_required_gram(text, query):
    normalised = search_text.normalise(text)
    grams = set(search_text.grams(normalised).split())
    terms = search_text.parse_query(query).terms
    if all(any(term in word for word in normalised.split()) for term in terms):
        assert set(search_text.required_grams(terms)) <= grams


def test_a_query_keeps_its_distinct_terms_in_order_and_splits_them_by_length():
    query = search_text.parse_query("삼성  반도체 삼성 AI, 금")

    assert query == Query("삼성 반도체 삼성 AI, 금", ("삼성", "반도체", "ai", "금"))
    assert query.long_terms == ("반도체",)
    assert query.short_terms == ("삼성", "ai", "금")


def test_a_query_without_words_too_long_or_with_too_many_words_says_why():
    assert search_text.parse_query(" \x00 ... ").problem == Problem.EMPTY
    too_long = search_text.parse_query("가" * 10_000)
    assert too_long.problem == Problem.TOO_LONG
    assert len(too_long.text) == search_text.MAX_QUERY_LENGTH
    many = " ".join(f"말{n}" for n in range(search_text.MAX_TERMS + 1))
    assert search_text.parse_query(many).problem == Problem.TOO_MANY_WORDS


@given(st.text(max_size=300))
def test_any_query_is_either_refused_or_a_few_short_clean_terms(raw):
    query = search_text.parse_query(raw)

    assert len(query.text) <= search_text.MAX_QUERY_LENGTH
    assert not search_text._CONTROL.search(query.text)
    if query.problem is None:
        assert 0 < len(query.terms) <= search_text.MAX_TERMS
        assert all(term == search_text.normalise(term) and " " not in term for term in query.terms)
    else:
        assert query.terms == ()


@given(st.lists(st.text(min_size=1, max_size=20), min_size=1, max_size=5))
def test_an_fts5_expression_is_always_valid_and_only_quoted_strings(terms):
    # Any text, quotes and FTS5 operators included: SQLite parses it as strings and AND.
    database = sqlite3.connect(":memory:")
    database.execute("CREATE VIRTUAL TABLE t USING fts5(body, tokenize='trigram')")
    database.execute("INSERT INTO t VALUES ('삼성전자 반도체')")
    expression = search_text.fts5_match(tuple(terms))
    database.execute("SELECT rowid FROM t WHERE t MATCH ?", (expression,)).fetchall()


def test_a_like_pattern_takes_wildcards_literally():
    assert search_text.like_contains("50%_off\\") == "%50\\%\\_off\\\\%"


def test_plain_text_keeps_the_words_of_a_body_and_separates_its_paragraphs():
    html = "<p>첫 문단&amp;</p><p>둘째<br>줄</p><figure data-photo-use='3'></figure>"
    assert search_text.plain_text(html) == "첫 문단& 둘째 줄"


def test_the_entry_of_a_story_holds_its_normalised_headline_text_and_grams():
    entry = search_text.entry("삼성, 반도체", "부제", "요약", "<p>본문 <b>AI</b></p>")

    assert entry["headline"] == "삼성 반도체"
    assert entry["content"] == "삼성 반도체 부제 요약 본문 ai"
    assert "삼성" in entry["grams"].split()
    assert "ai" in entry["grams"].split()


def test_highlight_marks_every_match_whatever_the_case_and_keeps_the_text():
    parts = search_text.highlight("Samsung 삼성전자와 SAMSUNG", ("samsung", "삼성"))

    assert parts == [
        ("Samsung", True),
        (" ", False),
        ("삼성", True),
        ("전자와 ", False),
        ("SAMSUNG", True),
    ]


def test_overlapping_matches_are_marked_once():
    assert search_text.highlight("반도체", ("반도", "도체")) == [("반도체", True)]


@given(st.text(max_size=400), st.lists(st.text(min_size=1, max_size=5), max_size=3))
def test_highlighted_parts_always_put_the_text_back_together(text, terms):
    terms = tuple(search_text.normalise(term) for term in terms if search_text.normalise(term))
    assert "".join(part for part, _ in search_text.highlight(text, terms)) == text


def test_a_snippet_is_cut_at_spaces_around_the_first_match():
    text = " ".join(f"문장{n}" for n in range(100)) + " 환율 급등 " + "끝말 " * 100

    parts = search_text.snippet(text, ("환율",), length=60)

    joined = "".join(part for part, _ in parts)
    assert joined.startswith("… 문장")
    assert joined.endswith(" …")
    assert ("환율", True) in parts
    assert len(joined) <= 60 + 4


def test_a_snippet_without_a_match_is_the_beginning():
    parts = search_text.snippet("가나다 " * 100, ("없음",), length=30)

    joined = "".join(part for part, _ in parts)
    assert joined.startswith("가나다 가나다")
    assert joined.endswith(" …")


def test_control_characters_are_removed_for_xml():
    assert search_text.without_control_characters("a\x00b\x0bc\td\ne\x7ff") == "abc\td\nef"
