"""The fragments many reader pages share (articles.fragments): the section tree behind the
menu, 최신기사, 많이 본 기사 and a story's related boxes. Read once and kept, so a page built
after a page-cache miss does not ask again; retired by the change a reader would notice,
which then shows on the next page built."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles import popularity, workflow
from tests.articles.test_reader_article import ARTICLE_PAGE_QUERIES
from tests.articles.test_reader_lists import SECTION_QUERIES
from tests.factories import SectionFactory
from tests.pages import parse

pytestmark = pytest.mark.usefixtures("page_cache")


def page(client, url: str):
    response = client.get(url)
    assert response.status_code == 200, url
    return parse(response)


def box(html, heading_id: str) -> list[str]:
    """The headlines of a sidebar box (latest-heading, most-read-heading); none when the
    page leaves the box out (많이 본 기사 without any read)."""
    return [
        link.text
        for section in html.select("section")
        if section.attrs.get("aria-labelledby") == heading_id
        for link in section.select("a", cls="headline-link")
    ]


def sql_of(queries) -> str:
    return "\n".join(query["sql"] for query in queries.captured_queries)


# --- kept: not read again --------------------------------------------------------------------


def test_another_storys_page_reads_the_section_tree_and_sidebars_kept_by_the_first(
    client, desk, django_assert_num_queries
):
    first, second = desk.story("첫째 기사"), desk.story("둘째 기사")
    page(client, first.get_absolute_url())

    # Its own story, photos, share card, related boxes and comments; not the section tree,
    # 최신기사, 많이 본 기사 or the newsletters' subscribe box.
    with django_assert_num_queries(ARTICLE_PAGE_QUERIES - 4):
        second_page = page(client, second.get_absolute_url())
    assert box(second_page, "latest-heading") == ["첫째 기사"]


def test_a_section_page_after_home_reads_no_section_again(client, desk, newsroom):
    desk.story("전자 기사", section=newsroom.electronics)
    page(client, "/")

    with CaptureQueriesContext(connection) as queries:
        page(client, "/sections/industry/electronics/")
    assert len(queries) == SECTION_QUERIES - 1
    assert "articles_section" not in sql_of(queries)


def test_the_related_boxes_are_kept_for_the_next_address_of_the_story(
    client, desk, newsroom, django_assert_num_queries
):
    story = desk.story("연재 첫째 편", series=newsroom.series.pk, series_ordinal=1)
    desk.story("연재 둘째 편", series=newsroom.series.pk, series_ordinal=2)
    page(client, story.get_absolute_url())

    # Another sort of its comments: another page and another comment block (its one
    # query), the same story, boxes, section tree and sidebars.
    with django_assert_num_queries(1):
        again = page(client, story.get_absolute_url() + "?csort=liked")
    assert "연재 둘째 편" in again.one("section", cls="series-parts").text


# --- retired by a change ---------------------------------------------------------------------


def test_a_story_published_shows_in_the_latest_on_another_storys_page(client, desk):
    first, second = desk.story("첫째 기사"), desk.story("둘째 기사")
    assert box(page(client, first.get_absolute_url()), "latest-heading") == ["둘째 기사"]

    desk.story("새로 나온 기사")  # published through articles.workflow

    assert box(page(client, second.get_absolute_url()), "latest-heading") == [
        "새로 나온 기사",
        "첫째 기사",
    ]


def test_a_most_read_storys_new_headline_shows_on_the_next_page(client, desk):
    read, other, third = desk.story("많이 읽힌 기사"), desk.story("둘째 기사"), desk.story("셋째")
    popularity.record_view(read.pk)
    popularity.flush()
    assert box(page(client, other.get_absolute_url()), "most-read-heading") == ["많이 읽힌 기사"]

    desk.edit(read, headline="제목을 고친 기사")

    assert box(page(client, third.get_absolute_url()), "most-read-heading") == ["제목을 고친 기사"]


def test_a_story_taken_down_leaves_the_sidebars_of_every_page(client, desk, editor):
    gone, other = desk.story("내려질 기사"), desk.story("남는 기사")
    popularity.record_view(gone.pk)
    popularity.flush()
    assert box(page(client, other.get_absolute_url()), "most-read-heading") == ["내려질 기사"]

    workflow.unpublish(gone, actor=editor, reason="오보", public_note="")

    home = page(client, "/")
    assert "내려질 기사" not in home.text
    third = page(client, desk.story("셋째 기사").get_absolute_url())
    assert box(third, "latest-heading") == ["남는 기사"]
    assert box(third, "most-read-heading") == []


def test_a_section_renamed_changes_the_menu_of_the_next_page_built(client, desk, section):
    story = desk.story()
    page(client, "/")
    section.name = "테크"
    section.save()

    menu = page(client, story.get_absolute_url()).one("nav", cls="section-nav")
    assert "테크" in menu.text
    assert "기업과산업" not in menu.text


def test_a_new_section_has_its_page_at_once(client, desk, section):
    page(client, "/")  # keeps the section tree
    SectionFactory(name="바이오", slug="bio", parent=section)

    assert "바이오" in page(client, "/sections/industry/bio/").one("h1").text
    assert "바이오" in page(client, "/").one("nav", cls="section-nav").text


def test_a_reporters_new_story_shows_in_more_by_the_reporter(client, desk):
    story = desk.story("첫 기사")
    desk.story("둘째 기사")
    assert "둘째 기사" in page(client, story.get_absolute_url()).one("article", cls="story").text

    desk.story("셋째 기사")

    more = page(client, story.get_absolute_url()).one("article", cls="story").text
    assert "셋째 기사" in more
