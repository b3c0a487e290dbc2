"""Absurd numbers and dates typed into addresses and forms get an ordinary answer, never a
server error: one parser (newsroom.inputs) for ids, page numbers and versions."""

import pytest

from articles.models import Article
from newsroom import inputs
from tests.factories import ArticleFactory
from tests.stories import Desk

HUGE = "9" * 4301  # past what Python turns into a number by default
BIG = "9" * 30  # past every database's integer columns


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("12", 12),
        ("0", 0),
        ("2147483647", 2147483647),
        ("2147483648", None),
        (BIG, None),
        (HUGE, None),
        ("-3", None),
        ("1.5", None),
        ("١٢", None),  # Arabic-Indic digits are digits to Python, not to us
        ("", None),
        (None, None),
    ],
)
def test_a_number_is_ascii_digits_within_a_database_integer(value, expected):
    assert inputs.number(value) == expected


def test_a_default_stands_in_for_anything_else():
    assert inputs.number("x", 1) == 1


pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "address",
    [
        "/search/?q=금리&until=9999-12-31",
        "/search/?q=금리&since=0001-01-01",
        "/sitemaps/9999-12.xml",
        "/sitemaps/0000-01.xml",
    ],
)
def test_public_pages_answer_absurd_dates_without_an_error(client, address):
    assert client.get(address).status_code in (200, 404)


def test_a_search_date_out_of_range_says_so(client):
    response = client.get("/search/", {"q": "금리", "until": "9999-12-31"})

    assert response.status_code == 200
    assert "1900년부터 9998년 사이의 날짜를 고르세요." in response.text


def test_comment_pages_past_any_number_show_a_page(client, desk: Desk):
    story = desk.story("댓글 많은 기사")

    for address in (
        f"/articles/{story.pk}/comments/?cpage={HUGE}",
        f"{story.get_absolute_url()}?cpage={BIG}",
    ):
        assert client.get(address).status_code == 200


@pytest.mark.parametrize("address", [f"/desk/?drafts={HUGE}", f"/accounts/me/?comments_page={BIG}"])
def test_signed_in_pages_past_any_number_show_a_page(client, reporter, address):
    client.force_login(reporter)

    assert client.get(address).status_code == 200


def test_a_moderator_filtering_by_a_draft_does_not_learn_its_headline(client, moderator, section):
    draft = ArticleFactory(section=section, headline="비공개 초고 제목")
    client.force_login(moderator)

    for address in (f"/desk/comments/?story={draft.pk}", f"/desk/comments/log/?story={draft.pk}"):
        response = client.get(address)
        assert response.status_code == 200
        assert "비공개 초고 제목" not in response.text
    assert Article.objects.filter(pk=draft.pk).exists()


@pytest.mark.parametrize("field", ["story", "reader"])
def test_moderator_filters_past_any_number_show_the_page(client, moderator, field):
    client.force_login(moderator)

    assert client.get(f"/desk/comments/log/?{field}={BIG}").status_code == 200
