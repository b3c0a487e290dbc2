"""The article page's schema.org NewsArticle (JSON-LD), parsed and checked against the
properties Google documents for articles (developers.google.com/search/docs/appearance/
structured-data/article): headline, image, datePublished, dateModified, author (with name
and url) and publisher; plus the section and the public corrections."""

import json
from datetime import datetime

import pytest
import time_machine
from django.templatetags.static import static
from django.urls import reverse

from articles.models import Article
from tests.articles.conftest import SEOUL
from tests.pages import parse

pytestmark = pytest.mark.django_db

Status = Article.Status
SITE = "https://news.example.com"


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = SITE


def json_ld(client, story) -> dict:
    response = client.get(story.get_absolute_url())
    assert response.status_code == 200
    [block] = parse(response).select("script", type="application/ld+json")
    return json.loads("".join(block.children))


def iso(value: str) -> datetime:
    moment = datetime.fromisoformat(value)
    assert moment.utcoffset() is not None, value
    return moment


@pytest.fixture
def story(desk, newsroom, library_photo, reporter):
    profile = reporter.staff_profile
    photo = library_photo(caption="평택 공장", alt_text="반도체 공장", width=1000, height=700)
    with time_machine.travel(datetime(2025, 3, 3, 9, 0, tzinfo=SEOUL), tick=False):
        made = desk.story(
            "삼성전자, 반도체 투자 확대",
            summary="평택에 새 라인을 세운다.",
            section=newsroom.electronics,
            photo_uses=[{"photo": photo.pk, "is_lead": True}],
            bylines=[{"profile": profile.pk}, {"guest": "외부 필자"}],
        )
    with time_machine.travel(datetime(2025, 3, 4, 14, 30, tzinfo=SEOUL), tick=False):
        made = desk.correct(made, "투자 규모를 20조 원으로 바로잡았습니다.")
    made.photo = photo
    return made


def test_the_page_describes_the_story_as_a_news_article_with_googles_properties(
    client, story, reporter
):
    data = json_ld(client, story)
    url = f"{SITE}{story.get_absolute_url()}"

    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "NewsArticle"
    assert data["mainEntityOfPage"] == {"@type": "WebPage", "@id": url}
    assert data["url"] == url
    assert data["headline"] == "삼성전자, 반도체 투자 확대"
    assert data["description"] == "평택에 새 라인을 세운다."
    assert data["inLanguage"] == "ko"
    assert data["articleSection"] == "전자·전기·정보통신"
    # Google: ISO 8601 with the time zone; modified after published.
    assert data["datePublished"] == "2025-03-03T09:00:00+09:00"
    assert data["dateModified"] == "2025-03-04T14:30:00+09:00"
    assert iso(data["dateModified"]) > iso(data["datePublished"])


def test_the_images_are_absolute_the_share_crop_first_then_the_widest_rendition(client, story):
    data = json_ld(client, story)

    share = story.photo.renditions.get(spec="share")
    widest = story.photo.renditions.get(spec="w960", format="JPEG")
    assert data["image"] == [f"{SITE}{share.file.url}", f"{SITE}{widest.file.url}"]


def test_a_story_without_a_photo_shows_the_site_share_image(client, desk):
    data = json_ld(client, desk.story())

    assert data["image"] == [f"{SITE}{static('articles/share-default.jpg')}"]


def test_each_author_is_a_person_and_staff_have_their_page(client, story, reporter):
    data = json_ld(client, story)

    profile = reporter.staff_profile
    assert data["author"] == [
        {
            "@type": "Person",
            "name": "한지민",
            "jobTitle": "기자",
            "url": f"{SITE}{reverse('articles:reporter', args=[profile.slug])}",
        },
        {"@type": "Person", "name": "외부 필자"},
    ]
    assert client.get(data["author"][0]["url"].removeprefix(SITE)).status_code == 200


def test_the_publisher_is_the_newsroom_with_its_logo(client, story):
    publisher = json_ld(client, story)["publisher"]

    assert publisher == {
        "@type": "NewsMediaOrganization",
        "name": "솔빛경제",
        "url": f"{SITE}/",
        "logo": {"@type": "ImageObject", "url": f"{SITE}{static('newsroom/logo.svg')}"},
    }


def test_public_corrections_are_listed_with_their_dates(client, story):
    assert json_ld(client, story)["correction"] == [
        {
            "@type": "CorrectionComment",
            "text": "투자 규모를 20조 원으로 바로잡았습니다.",
            "datePublished": "2025-03-04T14:30:00+09:00",
        }
    ]


def test_a_headline_with_a_closing_script_tag_stays_inside_the_data_block(client, desk):
    headline = '</script><script>alert("x")</script> & 🚀'
    story = desk.story(headline)

    html = client.get(story.get_absolute_url()).content.decode()

    block = html[html.index('<script type="application/ld+json">') :]
    block = block[: block.index("</script>")]
    assert "<" not in block.removeprefix('<script type="application/ld+json">')
    assert json_ld(client, story)["headline"] == headline
