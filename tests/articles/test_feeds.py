"""RSS 2.0 feeds at /feeds/ and /feeds/sections/<slug>/, parsed as XML and read field by
field, and the autodiscovery links of the pages."""

import email.utils
import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles import selectors
from articles.models import Article
from tests.pages import caches_on, cold, parse

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

Status = Article.Status
SITE = "https://news.example.com"
DC = "{http://purl.org/dc/elements/1.1/}"
ATOM = "{http://www.w3.org/2005/Atom}"
RSS_TYPE = "application/rss+xml"


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = SITE


def feed(client, path="/feeds/") -> ET.Element:
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/rss+xml; charset=utf-8"
    root = ET.fromstring(response.content)
    assert root.tag == "rss"
    assert root.attrib["version"] == "2.0"
    return root.find("channel")


def ago(**delta):
    return timezone.now().replace(microsecond=0) - timedelta(**delta)


def test_the_feed_describes_the_site(client, desk):
    desk.story()

    channel = feed(client)

    assert channel.findtext("title") == "솔빛경제"
    assert channel.findtext("link") == f"{SITE}/"
    assert channel.findtext("language") == "ko"
    assert channel.findtext("description") == "솔빛경제 최신 기사"
    assert channel.findtext("lastBuildDate").endswith(" +0900")
    assert channel.find(f"{ATOM}link").attrib == {
        "href": f"{SITE}/feeds/",
        "rel": "self",
    }


def test_an_item_has_every_field_a_reader_and_a_portal_use(
    client, desk, newsroom, reporter, library_photo
):
    profile = reporter.staff_profile
    profile.public_email = "jimin@example.com"
    profile.save(update_fields=["public_email"])
    photo = library_photo(caption="평택 공장", alt_text="반도체 공장")
    story = desk.story(
        "삼성전자, 반도체 투자 확대",
        summary="평택에 새 라인을 세운다.",
        section=newsroom.electronics,
        at=ago(hours=3),
        photo_uses=[{"photo": photo.pk, "is_lead": True}],
    )

    [item] = feed(client).findall("item")

    url = f"{SITE}{story.get_absolute_url()}"
    assert item.findtext("title") == "삼성전자, 반도체 투자 확대"
    assert item.findtext("link") == url
    assert item.findtext("guid") == url
    assert item.find("guid").attrib == {"isPermaLink": "true"}
    assert item.findtext("description") == "평택에 새 라인을 세운다."
    assert item.findtext("category") == "전자·전기·정보통신"
    assert item.findtext("author") == "jimin@example.com (한지민)"
    published = item.findtext("pubDate")
    assert published.endswith(" +0900")  # RFC 822, Korean time
    assert email.utils.parsedate_to_datetime(published) == story.published_at
    rendition = photo.renditions.get(spec="w320", format="JPEG")
    assert item.find("enclosure").attrib == {
        "url": f"{SITE}{rendition.file.url}",
        "length": str(rendition.file.size),
        "type": "image/jpeg",
    }


def test_an_item_without_a_public_email_names_its_writers_and_has_no_enclosure(client, desk):
    profile = desk.reporter.staff_profile
    profile.public_email = ""
    profile.save(update_fields=["public_email"])
    guest = {"guest": "외부 필자"}
    desk.story(bylines=[{"profile": desk.reporter.staff_profile.pk}, guest])

    [item] = feed(client).findall("item")

    assert item.find("author") is None
    assert item.findtext(f"{DC}creator") == "한지민 · 외부 필자"
    assert item.find("enclosure") is None


@pytest.mark.parametrize(
    "headline",
    [
        '삼성 "반도체 겨울 끝났다"',
        "R&D 투자 <확대> & 'M&A'",
        "🚀 코스피 3000 돌파 🎉",
        "제어\x0b문자\x1f가 섞인 제목",
        "]]></title><script>alert(1)</script>",
    ],
)
def test_any_headline_gives_valid_xml_with_the_headline_as_written(client, desk, headline):
    desk.story(headline)

    [item] = feed(client).findall("item")

    assert item.findtext("title") == headline.replace("\x0b", "").replace("\x1f", "")


def test_the_feed_lists_the_newest_published_stories_first_and_no_other(client, desk):
    older = desk.story("오래된 기사", at=ago(hours=2))
    newer = desk.story("새 기사", at=ago(hours=1))
    desk.story("초안", state=Status.DRAFT)
    desk.story("예약", state=Status.SCHEDULED)
    desk.story("내린 기사", state=Status.UNPUBLISHED)

    titles = [item.findtext("title") for item in feed(client).findall("item")]

    assert titles == [newer.headline, older.headline]


def test_the_feed_holds_the_newest_fifty(client, desk, monkeypatch):
    monkeypatch.setattr(selectors, "FEED_SIZE", 3)
    desk.many(5)

    titles = [item.findtext("title") for item in feed(client).findall("item")]

    assert titles == ["기사 005", "기사 004", "기사 003"]


def test_a_section_feed_holds_its_own_and_its_subsections_stories(client, desk, newsroom):
    desk.story("산업 기사", section=newsroom.industry, at=ago(hours=3))
    desk.story("전자 기사", section=newsroom.electronics, at=ago(hours=2))
    desk.story("금융 기사", section=newsroom.finance, at=ago(hours=1))

    industry = feed(client, "/feeds/sections/industry/")
    finance = feed(client, "/feeds/sections/finance/")

    assert industry.findtext("title") == "솔빛경제 · 기업과산업"
    assert industry.findtext("link") == f"{SITE}/sections/industry/"
    assert industry.findtext("description") == "솔빛경제 기업과산업 최신 기사"
    assert [i.findtext("title") for i in industry.findall("item")] == ["전자 기사", "산업 기사"]
    assert [i.findtext("title") for i in finance.findall("item")] == ["금융 기사"]


def test_an_unknown_or_inactive_section_has_no_feed(client, desk, newsroom):
    newsroom.finance.is_active = False
    newsroom.finance.save(update_fields=["is_active"])

    assert client.get("/feeds/sections/no-such-section/").status_code == 404
    assert client.get("/feeds/sections/finance/").status_code == 404


@pytest.mark.parametrize("count", [1, 30])
def test_a_feed_runs_the_same_queries_with_one_or_thirty_stories(
    client, desk, library_photo, count, settings
):
    caches_on(settings)
    photo = library_photo(caption="사진")
    for number in range(count):
        desk.story(
            f"기사 {number}",
            at=ago(minutes=60 - number),
            photo_uses=[{"photo": photo.pk, "is_lead": True}],
        )

    costs = {}
    for path in ("/feeds/", "/feeds/sections/industry/"):
        with CaptureQueriesContext(connection) as queries:
            cold(client, path)
        costs[path] = len(queries)
        assert len(feed(client, path).findall("item")) == count

    # With every cache empty: stories with section and series; bylines with profiles; lead
    # photo uses with their photos and renditions. A section's feed also looks the section
    # up, and the sections below it.
    assert costs == {"/feeds/": 3, "/feeds/sections/industry/": 5}


def test_every_public_page_offers_the_site_feed_and_sections_offer_their_own(
    client, desk, newsroom
):
    story = desk.story(section=newsroom.electronics)

    def feeds_of(path):
        page = parse(client.get(path))
        return [link.attrs["href"] for link in page.select("link", rel="alternate", type=RSS_TYPE)]

    assert feeds_of("/") == ["/feeds/"]
    assert feeds_of("/sections/industry/electronics/") == [
        "/feeds/",
        "/feeds/sections/electronics/",
    ]
    assert feeds_of(story.get_absolute_url()) == ["/feeds/", "/feeds/sections/electronics/"]
