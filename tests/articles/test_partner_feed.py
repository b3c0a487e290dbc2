"""The full-text RSS feed of the content partnership (콘텐츠제휴) at
/api/v1/feeds/full-text.xml: a partner made through articles.partners reads it with its key,
as the content API is read (same key check, same rate counting, same refusals), and gets
every story in full: body, bylines, section, photos with captions and credits, corrections.
"""

import email.utils
import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from articles import partners, workflow
from articles.models import Article, Partner, PartnerUsage
from newsroom import pagecache
from newsroom.cached_pages import NEVER_CACHED

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

Status = Article.Status
SITE = "https://news.example.com"
FEED = reverse("api:full-text-feed")
STORIES = reverse("api:stories")
CONTENT = "{http://purl.org/rss/1.0/modules/content/}"
DC = "{http://purl.org/dc/elements/1.1/}"
MEDIA = "{http://search.yahoo.com/mrss/}"


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = SITE


@pytest.fixture
def key():
    _partner, made = partners.create_partner("네이버 콘텐츠제휴", actor=None, rate_per_minute=1000)
    return made


@pytest.fixture
def read(client, key):
    """GET with the partner's key in its header."""

    def get(url=FEED, **headers):
        return client.get(url, headers={"X-API-Key": key, **headers})

    return get


def channel_of(response) -> ET.Element:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/rss+xml; charset=utf-8"
    root = ET.fromstring(response.content)
    assert (root.tag, root.attrib["version"]) == ("rss", "2.0")
    return root.find("channel")


@pytest.fixture
def full_story(desk, newsroom, library_photo, reporter, other_reporter):
    lead = library_photo(caption="평택캠퍼스 전경", alt_text="반도체 공장 전경", credit="삼성전자")
    inline = library_photo(caption="기본 캡션", alt_text="HBM 웨이퍼", credit="한지민 기자")
    story = desk.story(
        '삼성전자 "R&D 투자 두 배로"',
        section=newsroom.electronics,
        summary="삼성전자가 R&D 투자를 두 배로 늘린다.",
        body="<p>첫 문단.</p>[[photo:1]]<p>둘째 문단.</p>",
        at=timezone.now().replace(microsecond=0) - timedelta(hours=2),
        photo_uses=[
            {"photo": lead.pk, "is_lead": True},
            {"photo": inline.pk, "caption": "연구원이 웨이퍼를 들어 보이고 있다"},
        ],
        bylines=[
            {"profile": reporter.staff_profile.pk},
            {"profile": other_reporter.staff_profile.pk},
            {"guest": "김외부 객원기자"},
        ],
    )
    return desk.correct(story, "투자 규모를 <조 원> 단위로 바로잡았습니다.")


def test_a_partner_reads_every_story_in_full_with_its_photos_bylines_and_correction(
    read, full_story, reporter
):
    channel = channel_of(read())

    assert channel.findtext("title") == "솔빛경제 · 제휴사용 기사 전문"
    assert channel.findtext("link") == f"{SITE}/"
    assert channel.findtext("description") == "콘텐츠 제휴사에 제공하는 솔빛경제 최신 기사 전문"
    assert channel.find("{http://www.w3.org/2005/Atom}link").attrib["href"] == f"{SITE}{FEED}"
    # The correction is the newest change: the feed was rebuilt then.
    assert email.utils.parsedate_to_datetime(
        channel.findtext("lastBuildDate")
    ) == full_story.revised_at.replace(microsecond=0)
    [item] = channel.findall("item")
    url = f"{SITE}{full_story.get_absolute_url()}"
    assert item.findtext("title") == '삼성전자 "R&D 투자 두 배로"'
    assert (item.findtext("link"), item.findtext("guid")) == (url, url)
    assert item.findtext("description") == "삼성전자가 R&D 투자를 두 배로 늘린다."
    published = item.findtext("pubDate")
    assert published.endswith(" +0900")
    assert email.utils.parsedate_to_datetime(published) == full_story.published_at
    assert item.findtext("category") == "전자·전기·정보통신"
    assert [creator.text for creator in item.findall(f"{DC}creator")] == [
        "한지민",
        "박도윤",
        "김외부 객원기자",
    ]
    assert item.findtext("author") == f"{reporter.email} (한지민 · 박도윤 · 김외부 객원기자)"

    html = item.findtext(f"{CONTENT}encoded")
    # The lead photo first, then the body with its inline photo where the desk put it.
    assert html.startswith('<figure data-association="featureimage"><img src="https://')
    assert "<figcaption>평택캠퍼스 전경 [삼성전자]</figcaption></figure><p>첫 문단.</p>" in html
    assert "<figcaption>연구원이 웨이퍼를 들어 보이고 있다 [한지민 기자]</figcaption>" in html
    assert 'alt="HBM 웨이퍼"' in html
    assert "<p>둘째 문단.</p>" in html
    # Its correction, dated and escaped, at the end.
    note = full_story.corrections.get()
    assert html.endswith(
        '<section class="corrections"><h2>바로잡습니다</h2><p><time datetime="'
        f'{timezone.localtime(note.created_at).isoformat(timespec="seconds")}">'
        f"{timezone.localtime(note.created_at):%Y-%m-%d %H:%M}</time> "
        "투자 규모를 &lt;조 원&gt; 단위로 바로잡았습니다.</p></section>"
    )

    lead, inline = item.findall(f"{MEDIA}content")
    assert lead.attrib["medium"] == "image"
    assert lead.attrib["isDefault"] == "true"
    assert lead.attrib["url"].startswith(f"{SITE}/media/")
    assert lead.attrib["type"] == "image/jpeg"
    # The photo as taken, not the share card's crop.
    assert "-share-" not in lead.attrib["url"]
    assert lead.findtext(f"{MEDIA}description") == "평택캠퍼스 전경"
    assert lead.find(f"{MEDIA}description").attrib == {"type": "plain"}
    assert lead.findtext(f"{MEDIA}credit") == "삼성전자"
    assert inline.attrib["isDefault"] == "false"
    assert inline.findtext(f"{MEDIA}description") == "연구원이 웨이퍼를 들어 보이고 있다"
    assert inline.findtext(f"{MEDIA}credit") == "한지민 기자"
    enclosure = item.find("enclosure")
    assert enclosure.attrib["type"] == "image/jpeg"
    assert enclosure.attrib["url"].startswith(f"{SITE}/media/")
    assert int(enclosure.attrib["length"]) > 0


def test_the_feed_carries_the_same_body_as_the_api(read, full_story):
    ninjs = read(reverse("api:story", args=[full_story.pk])).json()
    [body] = ninjs["bodies"]

    [item] = channel_of(read()).findall("item")

    assert body["value"] in item.findtext(f"{CONTENT}encoded")


def test_an_item_without_photos_summary_or_staff_email_still_names_its_writers(
    read, desk, reporter
):
    profile = reporter.staff_profile
    profile.public_email = ""
    profile.save(update_fields=["public_email"])
    desk.story("사진 없는 기사", bylines=[{"profile": profile.pk}, {"guest": "외부 필자"}])

    [item] = channel_of(read()).findall("item")

    assert item.find("author") is None
    assert [creator.text for creator in item.findall(f"{DC}creator")] == ["한지민", "외부 필자"]
    assert item.find("enclosure") is None
    assert item.findall(f"{MEDIA}content") == []
    assert item.findtext(f"{CONTENT}encoded") == "<p>반도체 수출이 석 달째 늘었다.</p>"


def test_a_lead_photo_the_body_already_places_is_drawn_once(read, desk, library_photo):
    photo = library_photo(caption="한 번만", credit="사진부")
    desk.story(
        body="<p>앞 문단.</p>[[photo:0]]<p>뒤 문단.</p>",
        photo_uses=[{"photo": photo.pk, "is_lead": True}],
    )

    [item] = channel_of(read()).findall("item")

    html = item.findtext(f"{CONTENT}encoded")
    assert html.startswith("<p>앞 문단.</p><figure")
    assert html.count("<figure") == 1


def test_only_published_stories_without_a_running_embargo_appear_newest_first(read, desk, reporter):
    older = desk.story("어제 기사", at=timezone.now() - timedelta(days=1))
    newer = desk.story("오늘 기사", at=timezone.now() - timedelta(hours=1))
    desk.story("초고", state=Status.DRAFT)
    desk.story("예약 기사", state=Status.SCHEDULED)
    desk.story("내린 기사", state=Status.UNPUBLISHED)
    embargoed = desk.story("엠바고 기사", state=Status.DRAFT)
    workflow.set_embargo(
        embargoed, actor=reporter, until=timezone.now() + timedelta(days=1), source="통계청"
    )

    titles = [item.findtext("title") for item in channel_of(read()).findall("item")]

    assert titles == [newer.headline, older.headline]


# --- the key, the rate and the caches, as the API's ----------------------------------------


def test_no_key_an_unknown_key_or_a_switched_off_partner_gets_401_with_a_reason(client, desk, key):
    desk.story()
    missing = client.get(FEED)
    unknown = client.get(FEED, headers={"X-API-Key": "nrk_nothing"})
    partners.change_partner(Partner.objects.get(), actor=None, is_active=False, rate_per_minute=5)
    switched_off = client.get(FEED, headers={"X-API-Key": key})

    for response in (missing, unknown, switched_off):
        assert response.status_code == 401
        assert response["WWW-Authenticate"] == 'ApiKey header="X-API-Key"'
        assert response.json() == {
            "code": "unauthorized",
            "detail": "A valid API key is needed in the X-API-Key header.",
        }
    assert PartnerUsage.objects.count() == 0


def test_a_key_in_the_address_is_refused_before_it_is_looked_at(client, key):
    for query in (f"api_key={key}", f"key={key}", f"anything={key}"):
        response = client.get(f"{FEED}?{query}", headers={"X-API-Key": key})
        assert response.status_code == 400, query
        assert response.json()["code"] == "key_in_query"
        assert "header" in response.json()["detail"]
    assert PartnerUsage.objects.count() == 0


def test_the_feed_counts_against_the_same_rate_as_the_api(client, desk, time_machine):
    time_machine.move_to(timezone.now().replace(second=20, microsecond=0), tick=False)
    _partner, key = partners.create_partner("작은 제휴사", actor=None, rate_per_minute=2)
    headers = {"X-API-Key": key}

    answers = [
        client.get(STORIES, headers=headers).status_code,
        client.get(FEED, headers=headers).status_code,
    ]
    refused = client.get(FEED, headers=headers)

    assert answers == [200, 200]
    assert refused.status_code == 429
    assert refused["Retry-After"] == "40"
    assert refused.json() == {
        "code": "rate_limited",
        "detail": "Too many requests this minute. Try again in 40 seconds.",
    }
    assert PartnerUsage.objects.get().count == 3


def test_a_post_is_refused_and_the_feed_answers_get_only(client, key):
    csrf_client = type(client)(enforce_csrf_checks=True)

    assert csrf_client.post(FEED, {}, headers={"X-API-Key": key}).status_code == 403


def test_the_feed_is_private_and_never_enters_the_page_cache_or_the_edge(read, desk, page_cache):
    desk.story()

    answers = [read(), read(), read(f"{FEED}?key=nrk_x")]

    for response in answers:
        assert "private" in response["Cache-Control"]
        assert "public" not in response["Cache-Control"]
        assert "X-API-Key" in response["Vary"]
        assert "X-Page-Cache" not in response
        assert "Surrogate-Key" not in response
    assert pagecache.local._entries == {}
    assert not [name for name in cache._cache if "page3:" in name]
    # The page cache skips this prefix, and the edge's VCL passes it to the app.
    assert FEED.startswith(NEVER_CACHED)


def test_an_unchanged_feed_is_304_to_its_etag_and_a_correction_changes_it(read, desk):
    story = desk.story()
    first = read()

    again = read(**{"If-None-Match": first["ETag"]})
    desk.correct(story, "숫자를 바로잡았습니다.")
    changed = read(**{"If-None-Match": first["ETag"]})

    assert again.status_code == 304
    assert again.content == b""
    assert changed.status_code == 200
    assert "숫자를 바로잡았습니다." in changed.content.decode()


def test_the_feed_is_in_the_api_schema(client):
    schema = client.get(reverse("api:openapi-json")).json()

    operation = schema["paths"][FEED]["get"]
    assert set(operation["responses"]["200"]["content"]) == {"application/rss+xml"}
    assert operation["security"] == [{"PartnerKey": []}]


# --- query count ----------------------------------------------------------------------------

# The partner (1), its minute's count (1), the stories with their tags, corrections and
# bylines (1), their photo uses with photos and renditions (1).
FEED_QUERIES = 4


@pytest.mark.parametrize("count", [1, 20])
def test_the_feed_reads_the_same_queries_whatever_its_length(
    read, desk, newsroom, library_photo, django_assert_num_queries, count
):
    photo = library_photo(caption="사진", credit="사진부")
    for number in range(count):
        story = desk.story(
            f"기사 {number}",
            body="<p>본문</p>[[photo:1]]",
            photo_uses=[{"photo": photo.pk, "is_lead": True}, {"photo": photo.pk}],
            bylines=[{"guest": "객원"}, {"profile": desk.reporter.staff_profile.pk}],
            # A series part's title carries the series label, as in the public feeds.
            series=newsroom.series.pk,
            series_ordinal=number + 1,
        )
        desk.correct(story, f"정정 {number}")
    read()  # the connection's first use, and the enclosures' sizes remembered

    with django_assert_num_queries(FEED_QUERIES):
        response = read()
    items = channel_of(response).findall("item")
    assert len(items) == count
    assert items[-1].findtext("title").startswith(newsroom.series.label(1))
