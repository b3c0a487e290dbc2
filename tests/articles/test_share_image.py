"""The share image and the text cut for the networks: pure functions, no database."""

from io import BytesIO

import pytest
from PIL import Image

from articles.sharing import card as share_card
from articles.sharing import image as share_image

LONG_KOREAN = (
    "삼성전자 3분기 영업이익 10조원 돌파 반도체 업황 회복에 고대역폭메모리 수요 급증으로 "
    "시장 예상치 크게 웃돌아 내년 전망도 밝다는 분석 잇따르고 증권가 목표주가 상향 조정하며 "
    "외국인 순매수 이어져 코스피 지수 사상 최고치 경신 기대감 커져"
)
HEADLINES = {
    "one word": "속보",
    "very long Korean": LONG_KOREAN,
    "Korean, English and numbers": (
        "SK하이닉스 HBM3E 12단 양산…2025년 1분기 매출 35% 증가 (Q1 2025) 😀"
    ),
}


def compose(headline: str, photo=None) -> share_image.ShareImage:
    return share_image.compose(
        headline, photo=photo, focal=(0.7, 0.3), site_name="솔빛경제", brand_color="#0b3d91"
    )


@pytest.mark.parametrize("headline", HEADLINES.values(), ids=HEADLINES.keys())
@pytest.mark.parametrize("with_photo", [False, True], ids=["branded", "photo"])
def test_the_share_image_is_a_1200_by_630_jpeg_with_the_headline_inside_the_safe_area(
    headline, with_photo
):
    photo = Image.new("RGB", (1600, 1067), (200, 180, 90)) if with_photo else None
    image = compose(headline, photo)

    decoded = Image.open(BytesIO(image.data))
    assert decoded.format == "JPEG"
    assert decoded.size == (1200, 630) == (image.width, image.height)
    left, top, right, bottom = image.text_box
    safe_left, safe_top, safe_right, safe_bottom = share_image.SAFE_AREA
    assert safe_left <= left < right <= safe_right
    assert safe_top <= top < bottom <= safe_bottom
    assert 1 <= len(image.lines) <= share_image.MAX_LINES


@pytest.mark.parametrize("headline", HEADLINES.values(), ids=HEADLINES.keys())
def test_no_character_of_the_headline_is_drawn_as_the_missing_glyph_box(headline):
    image = compose(headline)

    drawn = "".join(image.lines)
    assert drawn
    for character in drawn:
        assert share_image.has_glyph(character, image.font_size), repr(character)
    assert "😀" not in drawn  # the font has no emoji: left out, not a box


def test_a_one_word_headline_is_one_line_at_the_largest_size():
    image = compose("속보")
    assert image.lines == ("속보",)
    assert image.font_size == share_image.FONT_SIZES[0]


def test_a_very_long_headline_is_three_lines_ending_with_an_ellipsis():
    image = compose(LONG_KOREAN)
    assert len(image.lines) == 3
    assert image.lines[-1].endswith("…")
    assert image.font_size == share_image.FONT_SIZES[-1]
    # Cut between words: every line but the ellipsis is made of the headline's words.
    words = set(LONG_KOREAN.split())
    for line in image.lines:
        assert all(word in words for word in line.rstrip("…").split())


def test_a_mixed_headline_keeps_its_latin_words_and_numbers_whole():
    image = compose(HEADLINES["Korean, English and numbers"])
    words = " ".join(image.lines).split()
    assert "HBM3E" in words
    assert "35%" in words


def test_the_same_headline_and_photo_give_the_same_bytes_and_a_changed_headline_others():
    assert compose("반도체 수출 증가").content_hash == compose("반도체 수출 증가").content_hash
    assert compose("반도체 수출 증가").content_hash != compose("반도체 수출 감소").content_hash


def test_a_word_wider_than_a_line_is_broken_between_characters():
    lines, cut = share_image.wrap("가" * 60, lambda text: len(text) * 10.0, 200, 3)
    assert lines == ["가" * 20] * 3
    assert not cut


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        ("반도체 수출 석 달째 증가", 70, "반도체 수출 석 달째 증가"),
        ("반도체 수출 석 달째 증가", 10, "반도체 수출 석…"),
        ("Samsung raises its memory forecast", 20, "Samsung raises its…"),
        ("가나다라마바사아자차카타파하", 8, "가나다라마바사…"),
        ("한국은행, 기준금리 동결", 9, "한국은행…"),
    ],
)
def test_titles_are_cut_at_a_word_boundary(text, limit, expected):
    cut = share_card.shorten(text, limit)
    assert cut == expected
    assert len(cut) <= limit
