"""sitemap.xml (an index of monthly parts), the Google News sitemap and robots.txt, parsed
as XML and read field by field; and a story taken down leaving every list a machine reads."""

import xml.etree.ElementTree as ET
from datetime import datetime, timedelta

import pytest
import time_machine
from django.utils import timezone

from articles import workflow
from articles.models import Article
from tests.articles.conftest import SEOUL

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

Status = Article.Status
SITE = "https://news.example.com"
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = SITE


def xml(client, path: str) -> ET.Element:
    response = client.get(path)
    assert response.status_code == 200, path
    assert response["Content-Type"] == "application/xml; charset=utf-8"
    return ET.fromstring(response.content)


def index(client) -> dict[str, str]:
    """The sitemap index: each part's address and its lastmod."""
    root = xml(client, "/sitemap.xml")
    assert root.tag == f"{SM}sitemapindex"
    return {
        part.findtext(f"{SM}loc"): part.findtext(f"{SM}lastmod")
        for part in root.findall(f"{SM}sitemap")
    }


def part(client, path: str) -> dict[str, str]:
    """A sitemap part: each story's address and its lastmod."""
    root = xml(client, path)
    assert root.tag == f"{SM}urlset"
    return {url.findtext(f"{SM}loc"): url.findtext(f"{SM}lastmod") for url in root}


def seoul(*args) -> datetime:
    return datetime(*args, tzinfo=SEOUL)


@pytest.fixture
def months(desk):
    """Two stories in February and one in March 2025 (Korean time; the last February one is
    already March 1st in Seoul but still February in UTC)."""
    return {
        "feb": desk.story("2월 기사", at=seoul(2025, 2, 10, 9, 0)),
        "mar_1st": desk.story("3월 1일 새벽 기사", at=seoul(2025, 3, 1, 0, 30)),
        "mar": desk.story("3월 기사", at=seoul(2025, 3, 20, 18, 0)),
    }


def test_the_index_lists_a_part_per_korean_month_with_its_newest_change(client, months):
    assert index(client) == {
        f"{SITE}/sitemaps/2025-02.xml": "2025-02-10T09:00:00+09:00",
        f"{SITE}/sitemaps/2025-03.xml": "2025-03-20T18:00:00+09:00",
    }


def test_a_month_lists_its_stories_with_their_last_change(client, months):
    march = part(client, "/sitemaps/2025-03.xml")

    assert march == {
        f"{SITE}{months['mar_1st'].get_absolute_url()}": "2025-03-01T00:30:00+09:00",
        f"{SITE}{months['mar'].get_absolute_url()}": "2025-03-20T18:00:00+09:00",
    }
    assert list(part(client, "/sitemaps/2025-02.xml")) == [
        f"{SITE}{months['feb'].get_absolute_url()}"
    ]


def test_an_update_and_a_correction_move_lastmod_in_the_part_and_the_index(client, desk, months):
    with time_machine.travel(seoul(2025, 4, 2, 10, 0), tick=False):
        desk.edit(months["feb"], body="<p>고친 본문</p>")
    feb_url = f"{SITE}{months['feb'].get_absolute_url()}"
    assert part(client, "/sitemaps/2025-02.xml")[feb_url] == "2025-04-02T10:00:00+09:00"
    assert index(client)[f"{SITE}/sitemaps/2025-02.xml"] == "2025-04-02T10:00:00+09:00"

    with time_machine.travel(seoul(2025, 4, 5, 8, 15), tick=False):
        desk.correct(months["mar"], "수치를 바로잡았습니다.")

    assert index(client)[f"{SITE}/sitemaps/2025-03.xml"] == "2025-04-05T08:15:00+09:00"


@pytest.mark.parametrize(
    "path", ["/sitemaps/2025-13.xml", "/sitemaps/2024-01.xml", "/sitemaps/25-1.xml"]
)
def test_a_month_without_published_stories_or_no_month_is_not_found(client, months, path):
    assert client.get(path).status_code == 404


def test_the_news_sitemap_holds_the_last_48_hours_with_publication_name_language_date_title(
    client, desk
):
    now = timezone.now().replace(microsecond=0)
    desk.story("사흘 전 기사", at=now - timedelta(hours=49))
    fresh = desk.story('삼성 "R&D <확대>" 🚀', at=now - timedelta(hours=47))

    root = xml(client, "/sitemap-news.xml")

    [url] = root.findall(f"{SM}url")
    assert url.findtext(f"{SM}loc") == f"{SITE}{fresh.get_absolute_url()}"
    news = url.find(f"{NEWS}news")
    publication = news.find(f"{NEWS}publication")
    assert publication.findtext(f"{NEWS}name") == "솔빛경제"
    assert publication.findtext(f"{NEWS}language") == "ko"
    published = news.findtext(f"{NEWS}publication_date")
    assert published.endswith("+09:00")
    assert datetime.fromisoformat(published) == fresh.published_at
    assert news.findtext(f"{NEWS}title") == '삼성 "R&D <확대>" 🚀'


def test_a_headline_with_control_characters_still_gives_valid_xml(client, desk):
    desk.story("제어\x0b문자")

    root = xml(client, "/sitemap-news.xml")

    assert root.find(f"{SM}url/{NEWS}news/{NEWS}title").text == "제어문자"


def test_robots_txt_names_both_sitemaps_and_keeps_crawlers_off_staff_pages(client, db):
    response = client.get("/robots.txt")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    assert {"Disallow: /desk/", "Disallow: /admin/", "Disallow: /accounts/"} <= set(lines)
    assert "Disallow: /search/" in lines
    assert f"Sitemap: {SITE}/sitemap.xml" in lines
    assert f"Sitemap: {SITE}/sitemap-news.xml" in lines


def test_feeds_and_sitemaps_have_no_english_copies(client, db):
    for path in ("/en/feeds/", "/en/sitemap.xml", "/en/robots.txt"):
        assert client.get(path).status_code == 404


@pytest.mark.parametrize("path", ["/sitemap.xml", "/sitemaps/2025-03.xml", "/sitemap-news.xml"])
def test_each_sitemap_runs_one_query(client, months, path, django_assert_num_queries):
    with (
        time_machine.travel(seoul(2025, 3, 21, 9, 0), tick=False),
        django_assert_num_queries(1),
    ):
        assert client.get(path).status_code == 200


def test_an_unpublished_story_leaves_every_feed_sitemap_and_search(client, desk, editor):
    story = desk.story("환율 급등 속보")
    other = desk.story("남는 기사")
    url = f"{SITE}{story.get_absolute_url()}"
    month = f"/sitemaps/{timezone.localtime(story.published_at):%Y-%m}.xml"
    assert url in part(client, month)

    workflow.unpublish(story, actor=editor, reason="오보")

    assert url not in client.get("/feeds/").content.decode()
    assert url not in client.get(f"/feeds/sections/{story.section.slug}/").content.decode()
    assert url not in part(client, month)
    assert f"{SITE}{other.get_absolute_url()}" in part(client, month)
    assert url not in client.get("/sitemap-news.xml").content.decode()
    assert "환율 급등 속보" not in client.get("/search/", {"q": "환율"}).content.decode()
