"""The 400-byte rule: one definition on the server (comments.rules), the same count in the
box's script (comments.js), run on the same cases in Node (and in the browser tests)."""

import json
import shutil
import subprocess
import unicodedata
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from comments import rules
from tests.conftest import skip_or_fail

SCRIPT = Path(__file__).resolve().parents[2] / "comments" / "static" / "comments" / "comments.js"

# (text, bytes): the cases both counters must agree on, and the number they must give.
CASES = [
    ("", 0),
    ("abc", 3),
    ("가나다", 6),
    ("한글 abc", 8),
    ("줄\r\n바꿈", 7),  # CRLF from a textarea counts as one LF
    ("줄\r바꿈", 7),  # a lone CR too
    ("줄\n바꿈", 7),
    ("\u1112\u1161\u11ab\u1100\u1173\u11af", 4),  # 한글 as combining jamo: two syllables
    ("e\u0301", 2),  # é composed (NFC) is one character, not ASCII
    ("e\x00\u0301", 2),  # a control character between them goes first, then NFC
    ("😀", 2),  # astral: one code point (two UTF-16 units in the script)
    ("👍🏻", 4),  # emoji with a skin tone: two code points
    ("👨‍👩‍👧", 10),  # a family: five code points joined by ZWJ
    ("𠀀𝐀", 4),  # CJK extension B and a mathematical letter, both astral
    ("a\tb\x07c\x7f\x85d", 4),  # tab, bell, DEL and NEL are control characters: removed
    ("\u202e댓글\u202c", 4),  # a right-to-left override and its pop: removed
    ("a\u2066b\u2069", 2),  # an isolate and its pop: removed
    ("a\u200bb", 4),  # a zero-width space stays (it is not a control)
    ("\u00a0", 2),  # no-break space: above U+007F
    ("가" * 200, 400),
    ("a" * 400, 400),
    ("가" * 200 + "a", 401),
]


def test_a_hangul_syllable_counts_two_and_an_ascii_letter_one():
    assert rules.byte_count("가") == 2
    assert rules.byte_count("a") == 1
    assert rules.MAX_BYTES == 400
    assert rules.MAX_HANGUL == 200


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_the_server_counts_each_case_as_documented(text, expected):
    assert rules.byte_count(text) == expected


def test_line_endings_become_lf_and_control_characters_go_before_nfc():
    assert rules.normalise("a\r\nb\rc\x00\u1100\u1161") == "a\nb\nc가"


def test_blank_means_nothing_but_spaces_line_breaks_or_control_characters():
    assert rules.is_blank("")
    assert rules.is_blank(" \r\n\t\x00 ")
    assert not rules.is_blank(" 가 ")


def test_the_stored_text_is_normalised_without_blank_space_around_it():
    assert rules.stored_text("  첫 줄\r\n둘째 줄\x07  \r\n") == "첫 줄\n둘째 줄"


@given(st.text())
def test_the_count_is_at_least_the_number_of_characters_and_at_most_twice(text):
    normal = rules.normalise(text)
    assert len(normal) <= rules.byte_count(text) <= 2 * len(normal)


@given(st.text())
def test_normalising_twice_changes_nothing(text):
    once = rules.normalise(text)
    assert rules.normalise(once) == once
    assert unicodedata.is_normalized("NFC", once)
    assert "\r" not in once


@given(st.text(alphabet=st.characters(max_codepoint=0x7E, exclude_categories=["Cc"])))
def test_printable_ascii_counts_one_byte_a_character(text):
    assert rules.byte_count(text) == len(text)


@given(st.text(alphabet=st.characters(min_codepoint=0xAC00, max_codepoint=0xD7A3)))
def test_hangul_syllables_count_two_bytes_each(text):
    assert rules.byte_count(text) == 2 * len(text)


@given(st.text(), st.text())
def test_crlf_and_lf_count_the_same(left, right):
    # A lone CR is a line break of its own: "\r" + "\r\n" is two breaks, "\r" + "\n" one.
    assume(not left.endswith("\r"))
    assert rules.byte_count(f"{left}\r\n{right}") == rules.byte_count(f"{left}\n{right}")


@given(st.integers(min_value=0, max_value=300))
def test_200_hangul_fit_and_201_do_not(count):
    fits = rules.byte_count("한" * count) <= rules.MAX_BYTES
    assert fits == (count <= rules.MAX_HANGUL)


# --- the same count in the page's script --------------------------------------------------

# What the script is given in the property test: everything a reader can type into the box
# and every tricky kind of character, from Unicode blocks whose NFC is the same in Python's
# and Node's Unicode versions (unassigned code points could differ between the two).
TYPED = st.one_of(
    st.characters(min_codepoint=0x00, max_codepoint=0x24F),  # ASCII, controls, C1, Latin
    st.characters(min_codepoint=0x300, max_codepoint=0x36F),  # combining marks
    st.characters(min_codepoint=0x1100, max_codepoint=0x11FF),  # Hangul jamo
    st.characters(min_codepoint=0x3130, max_codepoint=0x318F),  # compatibility jamo
    st.characters(min_codepoint=0xAC00, max_codepoint=0xD7A3),  # Hangul syllables
    st.characters(min_codepoint=0x1F300, max_codepoint=0x1F64F),  # emoji
    st.sampled_from(["\r\n", "\r", "\u200d", "\ufe0f", "\U0001f3fb", "\U00020000", "\u2028"]),
)


class NodeCounter:
    """comments.js's byteCount() in one Node process, asked a line of JSON at a time."""

    PROGRAM = (
        "const {byteCount} = require(process.argv[1]);"
        "require('readline').createInterface({input: process.stdin}).on('line', (line) => {"
        "  process.stdout.write(JSON.stringify(byteCount(JSON.parse(line))) + '\\n');"
        "});"
    )

    def __init__(self):
        self.process = subprocess.Popen(
            ["node", "-e", self.PROGRAM, str(SCRIPT)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            encoding="utf-8",
        )

    def count(self, text: str) -> int:
        # ensure_ascii: the text travels as \u escapes, so any code point arrives intact.
        self.process.stdin.write(json.dumps(text) + "\n")
        self.process.stdin.flush()
        return json.loads(self.process.stdout.readline())

    def close(self):
        self.process.stdin.close()
        self.process.wait(timeout=10)


@pytest.fixture(scope="module")
def node():
    if shutil.which("node") is None:
        skip_or_fail("Node.js is not installed: the script's counter cannot be checked")
    counter = NodeCounter()
    yield counter
    counter.close()


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_the_script_counts_each_case_like_the_server(node, text, expected):
    assert node.count(text) == expected


@settings(max_examples=300, deadline=None)
@given(st.lists(TYPED, max_size=60).map("".join))
def test_the_script_and_the_server_give_the_same_count_for_any_text(node, text):
    assert node.count(text) == rules.byte_count(text)


# --- the comment window ------------------------------------------------------------------

PUBLISHED = datetime(2025, 3, 3, tzinfo=UTC)


def window_after(days: float, *, mode=rules.OPEN, close_after_days=7) -> rules.Window:
    return rules.window(
        mode,
        published_at=PUBLISHED,
        close_after_days=close_after_days,
        now=PUBLISHED + timedelta(days=days),
    )


def test_comments_stay_open_until_the_sections_days_have_passed():
    before = window_after(6.99)
    assert before.is_open
    assert before.closes_at == PUBLISHED + timedelta(days=7)
    after = window_after(7)
    assert (after.is_open, after.mode, after.expired) == (False, rules.CLOSED, True)


def test_without_a_limit_comments_never_close_by_themselves():
    assert window_after(3650, mode=rules.PREMODERATED, close_after_days=None).mode == (
        rules.PREMODERATED
    )


def test_a_closed_story_is_closed_from_the_start():
    closed = window_after(0, mode=rules.CLOSED)
    assert (closed.is_open, closed.expired) == (False, False)
