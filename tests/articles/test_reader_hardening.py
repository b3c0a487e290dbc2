"""What a reader cannot reach or break by editing an address."""

import pytest
from django.urls import reverse

from articles import workflow
from articles.models import Article, Series
from tests.pages import parse

pytestmark = pytest.mark.django_db


def test_a_tag_used_only_on_unpublished_stories_does_not_exist_for_readers(client, story_in):
    draft = story_in(Article.Status.DRAFT)
    workflow.save(
        draft, actor=draft.created_by, base_version=draft.version, content={"tags": ["엠바고"]}
    )
    tag = draft.tags.get()
    assert client.get(reverse("articles:tag", args=[tag.slug])).status_code == 404


def test_a_switched_off_or_unpublished_series_does_not_exist_for_readers(client, db):
    planned = Series.objects.create(name="기획 연재", slug="planned")
    assert client.get(reverse("articles:series", args=[planned.slug])).status_code == 404
    planned.is_active = False
    planned.save()
    assert client.get(reverse("articles:series", args=[planned.slug])).status_code == 404


@pytest.mark.parametrize(
    "before",
    ["0001-01-01T00:00:00%2B01:00_1", "9999-12-31T23:59:59-01:00_3", "2024-01-01T00:00:00_5", "x"],
)
def test_a_hand_edited_older_link_shows_the_first_page_not_an_error(client, story_in, before):
    story = story_in(Article.Status.PUBLISHED)
    response = client.get(f"{story.section.get_absolute_url()}?before={before}")
    assert response.status_code == 200


@pytest.mark.parametrize("page", ["0", "99999"])
def test_a_page_number_out_of_range_is_not_found(client, story_in, page):
    story = story_in(Article.Status.PUBLISHED)
    assert client.get(f"{story.section.get_absolute_url()}?page={page}").status_code == 404


def test_logging_out_lands_on_a_page_that_says_so_and_sets_no_cookie(
    client, reader, django_assert_num_queries
):
    client.force_login(reader)
    response = client.post("/accounts/logout/", follow=True)
    page = parse(response)
    assert response.redirect_chain == [("/accounts/logged-out/", 302)]
    assert page.one("h1").text == "로그아웃했습니다"
    assert (
        page.one("section", cls="goodbye").one("a", href="/accounts/login/").text == "다시 로그인"
    )
    assert page.select(".message") == []
    assert "messages" not in response.cookies
    with django_assert_num_queries(1):  # the section menu
        client.get("/accounts/logged-out/")
