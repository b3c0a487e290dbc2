"""Reader pages through the page cache: the same page for everyone who is not staff, a
reader's own parts from the personal request, and every change a reader would notice on the
next request."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from articles import preview_links, workflow
from articles.views import public
from comments import moderation
from newsroom.cached_pages import Policy
from tests.factories import PASSWORD, CommentFactory, SeriesFactory
from tests.pages import parse

pytestmark = pytest.mark.usefixtures("page_cache")


def served(client, url, **headers):
    response = client.get(url, headers=headers)
    return response, response.headers.get("X-Page-Cache")


@pytest.fixture
def story(desk):
    return desk.story("반도체 수출 석 달째 증가")


def test_the_second_anonymous_request_is_answered_without_a_query(
    client, story, django_assert_num_queries
):
    first, state = served(client, story.get_absolute_url())
    assert (first.status_code, state) == (200, "miss")
    with django_assert_num_queries(0):
        second, state = served(client, story.get_absolute_url())
    assert state == "hit"
    assert second.content == first.content
    assert "반도체 수출 석 달째 증가" in second.content.decode()


def test_a_cached_page_is_public_for_shared_caches_and_revalidated_by_browsers(client, story):
    served(client, story.get_absolute_url())
    response, _state = served(client, story.get_absolute_url())
    control = response["Cache-Control"]
    for part in ("public", "max-age=0", "s-maxage=5", "stale-while-revalidate=30"):
        assert part in control
    assert "Vary" not in response
    assert "Set-Cookie" not in response
    unchanged, _state = served(client, story.get_absolute_url(), if_none_match=response["ETag"])
    assert unchanged.status_code == 304
    assert unchanged.content == b""


def test_head_answers_with_the_headers_and_no_body(client, story):
    page, _state = served(client, story.get_absolute_url())
    head = client.head(story.get_absolute_url())
    assert head.status_code == 200
    assert head.content == b""
    assert head["ETag"] == page["ETag"]
    assert head["Content-Type"] == page["Content-Type"]


def test_parameters_the_page_does_not_read_share_its_entry(client, story):
    served(client, story.get_absolute_url())
    _response, state = served(client, story.get_absolute_url() + "?utm_source=kakao&fbclid=1")
    assert state == "hit"
    _response, state = served(client, story.get_absolute_url() + "?csort=liked")
    assert state == "miss"


def test_a_signed_in_reader_gets_the_page_anyone_gets_and_their_parts_apart(
    client, story, reader, django_assert_max_num_queries
):
    reader.nickname = "경제독자"
    reader.save(update_fields=["nickname"])
    anonymous, _state = served(Client(), story.get_absolute_url())
    client.force_login(reader)
    page, state = served(client, story.get_absolute_url())
    assert state == "hit"
    assert page.content == anonymous.content
    assert reader.nickname not in page.content.decode()
    assert "csrfmiddlewaretoken" not in page.content.decode()

    with django_assert_max_num_queries(8):
        personal = client.get(reverse("accounts:personal"), {"story": story.pk})
    assert "no-store" in personal["Cache-Control"] or "no-cache" in personal["Cache-Control"]
    parts = json.loads(personal.content)
    assert parts["signed_in"] is True
    assert reader.nickname in parts["account"]
    block = parse(parts["parts"]["comments"])
    assert block.one("form", action=reverse("comments:post", args=[story.pk]))
    assert block.one("input", name="csrfmiddlewaretoken")


def test_the_personal_request_of_an_ended_session_clears_the_marker(client, settings):
    client.cookies[settings.PAGE_CACHE_MEMBER_COOKIE] = "1"
    response = client.get(reverse("accounts:personal"))
    assert json.loads(response.content) == {"signed_in": False}
    assert response.cookies[settings.PAGE_CACHE_MEMBER_COOKIE].value == ""


def test_logging_in_sets_the_markers_and_staff_skip_the_cache(
    client, story, editor, reader, settings
):
    served(client, story.get_absolute_url())
    for user, staff in ((reader, False), (editor, True)):
        visitor = Client()
        visitor.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
        assert visitor.cookies[settings.PAGE_CACHE_MEMBER_COOKIE].value == "1"
        desk_marker = visitor.cookies.get(settings.PAGE_CACHE_BYPASS_COOKIE)
        assert bool(desk_marker and desk_marker.value) is staff
        _response, state = served(visitor, story.get_absolute_url())
        assert state == ("hit" if not staff else None)
        visitor.post(reverse("account_logout"))
        assert visitor.cookies[settings.PAGE_CACHE_MEMBER_COOKIE].value == ""


def test_a_staff_member_sees_their_own_header_on_reader_pages(client, story, editor, settings):
    client.force_login(editor)
    client.cookies[settings.PAGE_CACHE_BYPASS_COOKIE] = "1"
    page, state = served(client, story.get_absolute_url())
    assert state is None
    assert parse(page).one("a", href=reverse("story_desk:dashboard"))


def test_an_update_shows_on_the_story_its_section_and_home(client, desk, story):
    for url in (story.get_absolute_url(), story.section.get_absolute_url(), "/"):
        served(client, url)
    story = desk.edit(story, headline="반도체 수출 넉 달째 증가")
    for url in (story.get_absolute_url(), story.section.get_absolute_url(), "/"):
        page, state = served(client, url)
        assert state == "miss", url
        assert "넉 달째" in page.content.decode(), url


def test_a_publish_shows_on_home_and_search(client, desk, story):
    served(client, "/")
    served(client, "/search/?q=배터리")
    desk.story("배터리 소재 투자 확대")
    assert "배터리 소재 투자 확대" in served(client, "/")[0].content.decode()
    # The search page marks the word found: the rest of the headline follows it.
    assert "소재 투자 확대" in served(client, "/search/?q=배터리")[0].content.decode()


def test_a_taken_down_story_is_gone_at_once(client, desk, story, editor):
    served(client, story.get_absolute_url())
    workflow.unpublish(story, actor=editor, reason="소송 위험", public_note="기사를 내렸습니다.")
    page, _state = served(client, story.get_absolute_url())
    assert page.status_code == 410


def test_a_correction_shows_on_the_story_and_the_corrections_page(client, desk, story):
    served(client, story.get_absolute_url())
    served(client, reverse("articles:corrections"))
    desk.correct(story, "수출액 단위를 바로잡았습니다.")
    article = served(client, story.get_absolute_url())[0]
    assert "수출액 단위를 바로잡았습니다." in article.content.decode()
    corrections = served(client, reverse("articles:corrections"))[0]
    assert "수출액 단위를 바로잡았습니다." in corrections.content.decode()


def test_a_front_page_change_shows_on_home(client, desk, editor):
    first, second = desk.story("첫째 기사"), desk.story("둘째 기사")
    served(client, "/")
    workflow.curate(None, actor=editor, story_ids=[first.pk, second.pk])
    home = parse(served(client, "/")[0])
    assert "첫째 기사" in home.one(cls="lead-story").text


def test_a_comment_approved_by_a_moderator_shows_on_the_story(client, story, reader, moderator):
    held = CommentFactory(story=story, author=reader, body="심사를 기다리는 댓글", status="pending")
    served(client, story.get_absolute_url())
    moderation.approve(held, actor=moderator)
    assert "심사를 기다리는 댓글" in served(client, story.get_absolute_url())[0].content.decode()


def test_a_section_renamed_in_the_admin_changes_every_menu(client, story, section):
    served(client, story.get_absolute_url())
    section.name = "산업"
    section.save()
    menu = parse(served(client, story.get_absolute_url())[0]).one("nav", cls="section-nav")
    assert "산업" in menu.text


def test_search_pages_share_a_fixed_number_of_slots(client, story, monkeypatch):
    monkeypatch.setattr(public.search, "page_cache", Policy(params=("q",), timeout=30, slots=1))
    served(client, "/search/?q=반도체")
    other, state = served(client, "/search/?q=배터리")
    assert state == "miss"  # the one slot holds 반도체: never served for another query
    assert "반도체 수출" not in other.content.decode()
    assert served(client, "/search/?q=배터리")[1] == "hit"


def test_never_kept_a_refused_search_a_preview_link_or_a_post(client, desk, story, editor):
    refused = "/search/?q=" + "가" * 150
    for _ in range(2):
        response, state = served(client, refused)
        assert state is None
    draft = desk.story("아직 쓰는 기사", state="draft")
    link = workflow.create_preview_link(draft, actor=editor, hours=1)
    for _ in range(2):
        response, state = served(client, preview_links.path_for(link))
        assert response.status_code == 200
        assert state is None
    assert client.post(story.get_absolute_url()).status_code == 405
    assert served(client, story.get_absolute_url())[1] == "miss"


@pytest.mark.parametrize("page_tier", [True, False])
def test_a_reporters_new_byline_and_a_renamed_series_show_on_the_story(
    client, story, settings, page_tier
):
    settings.PAGE_CACHE_ENABLED = page_tier  # off: the page is drawn from its kept parts
    story.series, story.series_ordinal = SeriesFactory(name="반도체 전쟁"), 1
    story.save(update_fields=["series", "series_ordinal"])
    served(client, story.get_absolute_url())
    profile = story.bylines.get().profile
    profile.byline_name = "김바뀐"
    profile.save()
    story.series.name = "반도체 대전"
    story.series.save()

    page = parse(served(client, story.get_absolute_url())[0])
    assert "김바뀐" in page.one("p", cls="bylines").text
    assert "반도체 대전" in page.one("p", cls="story-series").text
