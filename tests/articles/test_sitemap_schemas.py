"""Every sitemap the site serves, validated against the published XML schemas: the
sitemaps.org sitemap and sitemap index schemas and Google's News sitemap schema, kept in
tests/articles/schemas/ (README.md there says where each copy came from). Stories span
several months, have Korean slugs and an '&' in a headline.

The schemas are read from files, with lxml's network access off: nothing is fetched."""

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from lxml import etree

from tests.articles.conftest import SEOUL

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

SCHEMAS = Path(__file__).parent / "schemas"
SITE = "https://news.example.com"
SM = "http://www.sitemaps.org/schemas/sitemap/0.9"
NEWS = "http://www.google.com/schemas/sitemap-news/0.9"


def schema(name: str) -> etree.XMLSchema:
    parser = etree.XMLParser(no_network=True, resolve_entities=False)
    return etree.XMLSchema(etree.parse(str(SCHEMAS / name), parser))


def news_schema() -> etree.XMLSchema:
    """sitemap.xsd lets an element of another namespace into <url> only if a schema
    declares it (processContents="strict"), and sitemap-news.xsd declares <news:news> alone:
    the news sitemap is checked against both at once, imported from this folder."""
    wrapper = f"""<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema">
      <xsd:import namespace="{SM}" schemaLocation="sitemap.xsd"/>
      <xsd:import namespace="{NEWS}" schemaLocation="sitemap-news.xsd"/>
    </xsd:schema>"""
    parser = etree.XMLParser(no_network=True, resolve_entities=False)
    # The base address makes the imports' relative locations this folder's files.
    document = etree.fromstring(wrapper.encode(), parser, base_url=f"{SCHEMAS.as_uri()}/")
    return etree.XMLSchema(document)


def served(client, path: str) -> etree._ElementTree:
    response = client.get(path)
    assert response.status_code == 200, path
    return etree.ElementTree(etree.fromstring(response.content))


def assert_valid(validator: etree.XMLSchema, document: etree._ElementTree) -> None:
    assert validator.validate(document), [str(error) for error in validator.error_log]


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = SITE


@pytest.fixture
def stories(desk, newsroom):
    """Stories in three months (one already March in Seoul but February in UTC), and two
    from the last hours for the news sitemap; Korean slugs, an '&', quotes and brackets."""
    now = timezone.now().replace(microsecond=0)
    made = [
        desk.story("반도체 수출 석 달째 증가", at=datetime(2025, 1, 15, 9, 0, tzinfo=SEOUL)),
        desk.story("R&D 투자 <확대> & 'M&A'", at=datetime(2025, 2, 10, 9, 0, tzinfo=SEOUL)),
        desk.story("3월 1일 새벽 기사", at=datetime(2025, 3, 1, 0, 30, tzinfo=SEOUL)),
        desk.story(
            '삼성 "HBM 공급 두 배로"', section=newsroom.electronics, at=now - timedelta(hours=3)
        ),
        desk.story("S&P 500 사상 최고", at=now - timedelta(hours=1)),
    ]
    desk.correct(made[1], "투자 규모를 바로잡았습니다.")
    return made


def test_the_sitemap_index_validates_against_siteindex_xsd(client, stories):
    document = served(client, "/sitemap.xml")

    assert_valid(schema("siteindex.xsd"), document)
    # One part per Korean month: January, February, March 2025 and the recent ones'.
    months = {f"{timezone.localtime(story.published_at):%Y-%m}" for story in stories}
    parts = document.getroot().findall(f"{{{SM}}}sitemap")
    assert [part.findtext(f"{{{SM}}}loc") for part in parts] == [
        f"{SITE}/sitemaps/{month}.xml" for month in sorted(months)
    ]


def test_every_monthly_part_validates_against_sitemap_xsd(client, stories):
    index = served(client, "/sitemap.xml").getroot()
    parts = [loc.text.removeprefix(SITE) for loc in index.iter(f"{{{SM}}}loc")]
    validator = schema("sitemap.xsd")

    locations = []
    for path in parts:
        document = served(client, path)
        assert_valid(validator, document)
        locations += [loc.text for loc in document.getroot().iter(f"{{{SM}}}loc")]

    assert len(locations) == len(stories)
    # Korean slugs arrive percent-encoded, as a URI must be.
    assert f"{SITE}{stories[0].get_absolute_url()}" in locations
    assert all(location.isascii() for location in locations)


def test_the_news_sitemap_validates_against_the_sitemap_and_news_xsds(client, stories):
    document = served(client, "/sitemap-news.xml")

    assert_valid(news_schema(), document)
    titles = [title.text for title in document.getroot().iter(f"{{{NEWS}}}title")]
    assert titles == ["S&P 500 사상 최고", '삼성 "HBM 공급 두 배로"']


def test_the_schemas_refuse_what_a_sitemap_must_not_hold():
    """The validators do check: a bad date, a missing <loc>, a news entry without its
    publication (as a broken template would write them) are refused."""
    bad_date = f"""<urlset xmlns="{SM}"><url><loc>{SITE}/articles/1/a/</loc>
        <lastmod>2025년 3월 1일</lastmod></url></urlset>"""
    no_loc = f"""<sitemapindex xmlns="{SM}"><sitemap><lastmod>2025-03-01</lastmod></sitemap>
        </sitemapindex>"""
    no_publication = f"""<urlset xmlns="{SM}" xmlns:news="{NEWS}"><url>
        <loc>{SITE}/articles/1/a/</loc><news:news>
        <news:publication_date>2025-03-01</news:publication_date><news:title>t</news:title>
        </news:news></url></urlset>"""

    for validator, text in (
        (schema("sitemap.xsd"), bad_date),
        (schema("siteindex.xsd"), no_loc),
        (news_schema(), no_publication),
    ):
        assert not validator.validate(etree.ElementTree(etree.fromstring(text.encode())))
