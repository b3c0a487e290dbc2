"""Any text a reader or a script can send through the comment pipeline (comments.moderation
post_comment with comments.rules and comments.wordrules): any Unicode, control and bidi
characters, megabytes. Each is refused with a reason or kept as rules.stored_text says,
never a server error, and a huge body is refused at once."""

import time
import unicodedata

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from comments import errors, moderation, rules
from comments.models import Comment

# One database for every example (the reader and the story are only read).
PER_TEST = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
CONTROLS = st.sampled_from(
    ["\x00", "\x07", "\x1b", "\x7f", "\x85", "\r", "\r\n", "\t", "\u200b", "\u200d", "\ufeff"]
)
BIDI = st.sampled_from([*map(chr, range(0x202A, 0x202F)), *map(chr, range(0x2066, 0x206A))])
HANGUL = st.characters(min_codepoint=0xAC00, max_codepoint=0xD7A3)
JAMO = st.characters(min_codepoint=0x1100, max_codepoint=0x11FF)
# Any code point Python can hold but a lone surrogate (HTTP bodies are decoded with
# replacement, so none reaches the pipeline).
ANY = st.characters(exclude_categories=["Cs"])
TEXT = st.lists(st.one_of(ANY, CONTROLS, BIDI, HANGUL, JAMO, st.just(" ")), max_size=250).map(
    "".join
)


def refused_or_kept(story, reader, body: str) -> Comment | None:
    try:
        return moderation.post_comment(story, author=reader, body=body, ip="10.0.0.9")
    except errors.CommentRefused:
        return None


@PER_TEST
@example(body="\u202e" + "가" * 199)
@example(body="\x00" * 500 + "좋아요")
@example(body="\u1100\u1161" * 150)
@given(body=TEXT)
def test_any_text_is_refused_with_a_reason_or_kept_clean(reader, story, body):
    comment = refused_or_kept(story, reader, body)
    if comment is None:
        return
    kept = comment.body
    assert kept == rules.stored_text(body)
    assert not rules.is_blank(kept)
    assert rules.byte_count(kept) <= rules.MAX_BYTES
    assert unicodedata.is_normalized("NFC", kept)
    assert not rules.BIDI_CONTROLS & set(kept)
    assert all(char == "\n" or unicodedata.category(char) != "Cc" for char in kept)


@PER_TEST
@given(body=TEXT)
def test_any_text_through_the_form_gets_a_page_never_a_server_error(client, reader, story, body):
    client.force_login(reader)
    response = client.post(f"/articles/{story.pk}/comments/post/", {"body": body})

    assert response.status_code in (302, 400)


TEN_MEGABYTES = 10 * 1024 * 1024


@pytest.mark.parametrize(
    "unit",
    ["가", " ", "\x00", "\u1100\u1161", "a\u0301", "\u202e", "\r\n", "ab"],
    ids=["hangul", "spaces", "nul", "jamo", "combining", "bidi", "crlf", "ascii"],
)
def test_a_10_mb_body_is_refused_as_too_long_at_once(reader, story, unit):
    body = unit * (TEN_MEGABYTES // len(unit.encode()))
    started = time.perf_counter()

    with pytest.raises(errors.CommentTooLong) as refused:
        moderation.post_comment(story, author=reader, body=body)

    assert time.perf_counter() - started < 0.5
    assert refused.value.size > rules.MAX_BYTES
    assert not Comment.objects.exists()


def test_a_long_paste_is_still_counted_exactly():
    pasted = "한글 문장입니다.\r\n" * (rules.MAX_READ // 11)

    assert rules.byte_count(pasted) == sum(
        1 if ord(char) < 0x80 else 2 for char in rules.normalise(pasted)
    )


def test_past_the_reading_limit_a_text_counts_over_the_limit_whatever_it_holds():
    for unit in ("\x00", "\r\n", "\u202e", " "):
        body = unit * (rules.MAX_READ // len(unit) + 1)
        assert rules.byte_count(body) > rules.MAX_BYTES
        assert not rules.is_blank(body)


def test_a_10_mb_form_post_is_refused_by_its_size_before_any_view_reads_it(
    client, reader, story, settings
):
    settings.DEBUG = False
    client.force_login(reader)
    client.raise_request_exception = False
    started = time.perf_counter()

    response = client.post(f"/articles/{story.pk}/comments/post/", {"body": "가" * 3_500_000})

    assert response.status_code == 400
    assert time.perf_counter() - started < 1
    assert not Comment.objects.exists()
