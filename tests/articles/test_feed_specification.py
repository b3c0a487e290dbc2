"""Every RSS feed the site serves — /feeds/, a section's /feeds/sections/<slug>/ and the
partners' /api/v1/feeds/full-text.xml — against the RSS 2.0 specification's requirements,
as the RSS Advisory Board publishes it: https://www.rssboard.org/rss-specification

The checker below is written from that text, requirement by requirement (quoted where it
says "required" or "must"); it is not the site's own code, so a change in how the feeds are
made cannot make it agree by accident."""

import re
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime
from xml.etree import ElementTree as ET

import pytest
from django.urls import reverse
from django.utils import timezone

from articles import partners

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

SPEC = "https://www.rssboard.org/rss-specification"
SITE = "https://news.example.com"

# "All date-times in RSS conform to the Date and Time Specification of RFC 822, with the
# exception that the year may be expressed with two characters or four characters (four
# preferred)." RFC 822 section 5.1: [day ","] date time zone; date = 1*2DIGIT month 2DIGIT
# (4 here), time = hour ":" minute [":" second], zone = UT / GMT / US zones / military
# letters / ("+" / "-") 4DIGIT.
RFC_822 = re.compile(
    r"((Mon|Tue|Wed|Thu|Fri|Sat|Sun), )?"
    r"(?P<day>\d{1,2}) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) (\d{2}|\d{4}) "
    r"\d{2}:\d{2}(:\d{2})? "
    r"(UT|GMT|EST|EDT|CST|CDT|MST|MDT|PST|PDT|[A-IK-Z]|[+-]\d{4})"
)
DATES = ("pubDate", "lastBuildDate")


def problems(text: bytes) -> list[str]:
    """What in this document breaks the RSS 2.0 specification's requirements; [] if none."""
    try:
        root = ET.fromstring(text)  # "RSS is a dialect of XML": well-formed first
    except ET.ParseError as error:
        return [f"not well-formed XML: {error}"]
    found = []
    # "At the top level, a RSS document is a <rss> element, with a mandatory attribute
    # called version, that specifies the version of RSS that the document conforms to."
    if root.tag != "rss":
        found.append(f"the root is <{root.tag}>, not <rss>")
    if root.get("version") != "2.0":
        found.append(f"<rss> has version {root.get('version')!r}, not '2.0'")
    # "Subordinate to the <rss> element is a single <channel> element"
    channels = root.findall("channel")
    if len(channels) != 1:
        return [*found, f"<rss> holds {len(channels)} <channel> elements, not one"]
    channel = channels[0]
    # "Required channel elements": title, link, description.
    for name in ("title", "link", "description"):
        if channel.find(name) is None:
            found.append(f"<channel> has no <{name}>")
    for name in ("title", "link"):
        if channel.find(name) is not None and not (channel.findtext(name) or "").strip():
            found.append(f"<channel><{name}> is empty")
    found += _dates(channel, "<channel>")
    # <image>: "<url>, <title> and <link>" are its "required sub-elements".
    for image in channel.findall("image"):
        for name in ("url", "title", "link"):
            if image.find(name) is None:
                found.append(f"<image> has no <{name}>")
    for number, item in enumerate(channel.findall("item"), start=1):
        where = f"item {number}"
        # "All elements of an item are optional, however at least one of title or
        # description must be present."
        if item.find("title") is None and item.find("description") is None:
            found.append(f"{where} has neither <title> nor <description>")
        found += _dates(item, where)
        # <enclosure> "has three required attributes. url says where the enclosure is
        # located, length says how big it is in bytes, and type says what its type is".
        for enclosure in item.findall("enclosure"):
            for attribute in ("url", "length", "type"):
                if not enclosure.get(attribute):
                    found.append(f"{where}: <enclosure> without {attribute}")
            if enclosure.get("length") and not enclosure.get("length").isdigit():
                found.append(f"{where}: <enclosure> length is not a number of bytes")
        # <guid isPermaLink>: "If its value is false, the guid may not be assumed to be a
        # url"; the attribute is "true" or "false".
        for guid in item.findall("guid"):
            if guid.get("isPermaLink") not in (None, "true", "false"):
                found.append(f"{where}: <guid> isPermaLink is {guid.get('isPermaLink')!r}")
        # <source> "has one required attribute, url".
        for source in item.findall("source"):
            if not source.get("url"):
                found.append(f"{where}: <source> without url")
    return found


def _dates(element: ET.Element, where: str) -> list[str]:
    found = []
    for name in DATES:
        for date in element.findall(name):
            text = date.text or ""
            match = RFC_822.fullmatch(text)
            if match is None:
                found.append(f"{where}: <{name}> {text!r} is not an RFC 822 date")
                continue
            # The day of the week, when given, must be that date's.
            if text[:3].isalpha() and parsedate_to_datetime(text).strftime("%a") != text[:3]:
                found.append(f"{where}: <{name}> {text!r} names the wrong day of the week")
    return found


# --- the checker itself ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("document", "problem"),
    [
        (b"<rss version='2.0'><channel><title>t</title>", "not well-formed XML"),
        (b"<feed/>", "the root is <feed>, not <rss>"),
        (b"<rss version='0.91'><channel/></rss>", "not '2.0'"),
        (b"<rss version='2.0'></rss>", "holds 0 <channel> elements"),
        (
            b"<rss version='2.0'><channel><title>t</title><link>l</link></channel></rss>",
            "<channel> has no <description>",
        ),
        (
            b"<rss version='2.0'><channel><title></title><link>l</link>"
            b"<description/></channel></rss>",
            "<channel><title> is empty",
        ),
        (
            b"<rss version='2.0'><channel><title>t</title><link>l</link><description/>"
            b"<item><link>l</link></item></channel></rss>",
            "item 1 has neither <title> nor <description>",
        ),
        (
            b"<rss version='2.0'><channel><title>t</title><link>l</link><description/>"
            b"<item><title>t</title><pubDate>2026-12-08T09:00:00+09:00</pubDate></item>"
            b"</channel></rss>",
            "is not an RFC 822 date",
        ),
        (
            b"<rss version='2.0'><channel><title>t</title><link>l</link><description/>"
            b"<lastBuildDate>Mon, 08 Dec 2026 09:00:00 +0900</lastBuildDate></channel></rss>",
            "names the wrong day of the week",
        ),
        (
            b"<rss version='2.0'><channel><title>t</title><link>l</link><description/>"
            b"<item><title>t</title><enclosure url='u' type='image/jpeg'/></item>"
            b"</channel></rss>",
            "<enclosure> without length",
        ),
    ],
)
def test_the_checker_finds_what_the_specification_forbids(document, problem):
    assert any(problem in found for found in problems(document)), problems(document)


def test_the_checker_passes_the_specifications_own_kind_of_sample():
    sample = b"""<rss version="2.0"><channel><title>Liftoff News</title>
        <link>http://liftoff.msfc.nasa.gov/</link>
        <description>Liftoff to Space Exploration.</description>
        <pubDate>Tue, 10 Jun 2003 04:00:00 GMT</pubDate>
        <item><description>How do Americans get ready to work with Russians?</description>
        <pubDate>Tue, 03 Jun 2003 09:39:21 GMT</pubDate>
        <guid>http://liftoff.msfc.nasa.gov/2003/06/03.html#item573</guid></item>
        </channel></rss>"""

    assert problems(sample) == []


# --- the site's feeds -----------------------------------------------------------------------


@pytest.fixture
def stories(desk, newsroom, library_photo):
    """Stories of several months and sections, with photos, an '&' and Korean slugs, one
    without a summary, one corrected."""
    now = timezone.now().replace(microsecond=0)
    photo = library_photo(caption="평택 & 화성", credit="사진부")
    made = [
        desk.story(
            "R&D 투자 <확대> & 'M&A'",
            section=newsroom.electronics,
            summary="투자 & 인수",
            at=now - timedelta(hours=2),
            photo_uses=[{"photo": photo.pk, "is_lead": True}],
        ),
        desk.story("요약 없는 기사", section=newsroom.industry, at=now - timedelta(days=40)),
        desk.story(
            "지난해 기사", at=datetime(2025, 12, 31, 23, 30, tzinfo=timezone.get_current_timezone())
        ),
    ]
    desk.correct(made[0], "숫자 & 단위를 바로잡았습니다.")
    return made


@pytest.fixture
def key(db):
    return partners.create_partner("포털", actor=None, rate_per_minute=1000)[1]


@pytest.mark.parametrize(
    ("path", "keyed"),
    [
        ("/feeds/", False),
        ("/feeds/sections/industry/", False),
        (reverse("api:full-text-feed"), True),
    ],
)
def test_every_feed_meets_the_rss_2_specification(client, settings, stories, key, path, keyed):
    settings.SITE_URL = SITE
    response = client.get(path, headers={"X-API-Key": key} if keyed else {})

    assert response.status_code == 200
    assert problems(response.content) == [], f"{path} against {SPEC}"
    items = ET.fromstring(response.content).findall("channel/item")
    assert items, "a feed with items, so that the item rules are checked"
