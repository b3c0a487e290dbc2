"""The reader's article page at /articles/<id>/<slug>/: who may see it, every element of the
model page (shared/product/reader-article-page.md), its share cards and its query count."""

import os
import subprocess
import sys
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import pgettext
from PIL import Image

from articles import popularity
from articles.models import Article
from media.models import Rendition
from tests.factories import CommentFactory, SectionFactory
from tests.pages import caches_on, cold, korean, parse
from tests.stories import Desk, Newsroom

pytestmark = pytest.mark.django_db

Status = Article.Status
SHARE_NETWORKS = ("facebook", "x", "naver", "linkedin", "band")
BASE_DIR = Path(settings.BASE_DIR)


@dataclass
class Scene:
    story: Article
    part_one: Article  # the same series, published earlier
    part_three: Article  # the same series, still a draft
    lead: object  # Photo
    inline: object  # Photo
    reporter_profile: object
    other_profile: object


@pytest.fixture
def scene(desk: Desk, newsroom: Newsroom, library_photo, reporter, other_reporter) -> Scene:
    """A story shaped like the model page: a subsection, a series part, two staff bylines
    and a guest, a lead photo, an inline photo after the second paragraph with a caption of
    its own, tags. Published two hours ago."""
    now = timezone.now().replace(microsecond=0)
    lead = library_photo(caption="평택캠퍼스 전경", alt_text="반도체 공장 전경", credit="삼성전자")
    inline = library_photo(
        caption="라이브러리 기본 캡션", alt_text="HBM 웨이퍼를 든 연구원", credit="한지민 기자"
    )
    other_reporter.staff_profile.refresh_from_db()
    part_one = desk.story(
        "[반도체 공급망] 첫째 편",
        section=newsroom.electronics,
        series=newsroom.series.pk,
        series_ordinal=1,
        at=now - timedelta(days=2),
    )
    story = desk.story(
        '삼성전자 "HBM 공급 두 배로 늘린다"',
        section=newsroom.electronics,
        at=now - timedelta(hours=2),
        subheadline="하반기 평택 라인 증설, 고객사 세 곳과 공급 계약",
        summary="삼성전자가 하반기 HBM 공급을 두 배로 늘린다고 밝혔다.",
        body=(
            "<p>삼성전자가 고대역폭메모리(HBM) 공급을 두 배로 늘린다.</p>"
            "<p>회사는 평택 라인을 증설한다고 밝혔다.</p>"
            "[[photo:1]]"
            "<p>업계는 하반기에도 증가세가 이어질 것으로 본다.</p>"
        ),
        photo_uses=[
            {"photo": lead.pk, "is_lead": True},
            {
                "photo": inline.pk,
                "caption": "3일 평택캠퍼스에서 연구원이 HBM 웨이퍼를 들어 보이고 있다",
            },
        ],
        bylines=[
            {"profile": reporter.staff_profile.pk},
            {"profile": other_reporter.staff_profile.pk},
            {"guest": "김외부 객원기자"},
        ],
        tags=["반도체", "HBM"],
        series=newsroom.series.pk,
        series_ordinal=2,
    )
    part_three = desk.story(
        "[반도체 공급망] 셋째 편 (작성 중)",
        state=Status.DRAFT,
        section=newsroom.electronics,
        series=newsroom.series.pk,
        series_ordinal=3,
    )
    return Scene(
        story=story,
        part_one=part_one,
        part_three=part_three,
        lead=lead,
        inline=inline,
        reporter_profile=reporter.staff_profile,
        other_profile=other_reporter.staff_profile,
    )


def page_of(client, story: Article):
    response = client.get(story.get_absolute_url())
    assert response.status_code == 200
    return parse(response)


def headlines_in(box) -> list[str]:
    return [link.text for link in box.select("a", cls="headline-link")]


# --- who may see it -------------------------------------------------------------------------


def test_a_published_story_is_served_at_its_canonical_address(client, desk):
    story = desk.story()

    response = client.get(story.get_absolute_url())

    assert response.status_code == 200
    assert response.templates[0].name == "articles/article.html"


@pytest.mark.parametrize("path", ["{id}/", "{id}/wrong-slug/", "{id}/반도체/"])
def test_a_wrong_or_missing_slug_redirects_permanently_to_the_canonical_address(client, desk, path):
    story = desk.story("반도체 수출 석 달째 증가")

    response = client.get("/articles/" + path.format(id=story.pk))

    assert response.status_code == 301
    assert response["Location"] == story.get_absolute_url()
    assert client.get(response["Location"]).status_code == 200


@pytest.mark.parametrize(
    "state", [Status.DRAFT, Status.SUBMITTED, Status.RETURNED, Status.SCHEDULED]
)
def test_a_story_not_yet_published_is_not_found_at_either_address(client, story_in, state):
    story = story_in(state)

    assert client.get(story.get_absolute_url()).status_code == 404
    # The short address must not redirect: that would tell the slug of an unpublished story.
    assert client.get(f"/articles/{story.pk}/").status_code == 404


def test_a_story_taken_down_is_gone_with_the_public_note_and_not_the_internal_reason(client, desk):
    story = desk.story(state=Status.UNPUBLISHED)

    for path in (story.get_absolute_url(), f"/articles/{story.pk}/"):
        response = client.get(path)
        assert response.status_code == 410
        text = response.content.decode()
        assert "당사자의 요청으로 기사를 내렸습니다." in text
        assert "소송 위험" not in text
        assert story.body not in text


def test_a_made_up_story_id_is_not_found(client, desk):
    desk.story()

    assert client.get("/articles/987654/some-slug/").status_code == 404
    assert client.get("/articles/987654/").status_code == 404


# --- the model page's elements ------------------------------------------------------------------


def test_the_section_path_links_to_the_top_section_and_the_subsection(client, scene, newsroom):
    page = page_of(client, scene.story)

    crumbs = page.one("nav", cls="breadcrumb")
    assert [(a.text, a.attrs["href"]) for a in crumbs.select("a")][1:] == [
        ("기업과산업", "/sections/industry/"),
        ("전자·전기·정보통신", "/sections/industry/electronics/"),
    ]
    for _name, href in [(a.text, a.attrs["href"]) for a in crumbs.select("a")][1:]:
        assert client.get(href).status_code == 200


def test_a_story_in_a_third_level_section_shows_the_whole_section_path(client, desk, newsroom):
    memory = SectionFactory(name="메모리", slug="memory", parent=newsroom.electronics)
    page = page_of(client, desk.story("메모리 기사", section=memory))

    crumbs = page.one("nav", cls="breadcrumb")
    assert [a.attrs["href"] for a in crumbs.select("a")] == [
        "/",
        "/sections/industry/",
        "/sections/industry/electronics/",
        "/sections/electronics/memory/",
    ]


def test_the_header_has_one_h1_the_series_label_and_the_subheadline(client, scene):
    page = page_of(client, scene.story)

    [h1] = page.select("h1")
    assert h1.text == '삼성전자 "HBM 공급 두 배로 늘린다"'
    label = page.one("p", cls="story-series").one("a")
    assert label.text == "[반도체 공급망②]"
    assert label.attrs["href"] == "/series/chip-supply/"
    assert page.one("p", cls="subheadline").text == (
        "하반기 평택 라인 증설, 고객사 세 곳과 공급 계약"
    )


def test_each_staff_byline_shows_name_title_email_and_links_to_the_reporter_page(client, scene):
    page = page_of(client, scene.story)

    bylines = page.one("p", cls="bylines").select("span", cls="byline")
    assert len(bylines) == 3
    for byline, profile in zip(
        bylines[:2], [scene.reporter_profile, scene.other_profile], strict=True
    ):
        assert byline.text.startswith(f"{profile.byline_name} 기자")
        [name, email] = byline.select("a")
        assert name.attrs["href"] == reverse("articles:reporter", args=[profile.slug])
        assert unquote(name.attrs["href"]) == f"/reporters/{profile.slug}/"
        assert client.get(name.attrs["href"]).status_code == 200
        assert email.attrs["href"] == f"mailto:{profile.public_email}"
        assert email.text == profile.public_email
    assert bylines[2].text == "김외부 객원기자"
    assert bylines[2].select("a") == []


def time_labels() -> tuple[str, str]:
    with translation.override("ko"):
        return pgettext("story time", "published"), pgettext("story time", "updated")


def test_the_first_published_time_is_shown_and_no_updated_time_before_an_update(client, scene):
    published, updated = time_labels()
    assert (published, updated) == ("입력", "수정")  # the Korean catalogue's words

    page = page_of(client, scene.story)

    times = page.one("p", cls="times")
    [stamp] = times.select("time")
    local = timezone.localtime(scene.story.published_at)
    assert stamp.attrs["datetime"] == local.isoformat()
    assert stamp.text == local.strftime("%Y-%m-%d %H:%M:%S")
    assert times.text.startswith(published)
    assert updated not in times.text


def test_an_update_shows_the_updated_time_beside_the_first_published_time(client, scene, desk):
    published, updated = time_labels()
    story = desk.edit(scene.story, subheadline="평택 라인 증설 (고객사 이름 추가)")
    assert story.revised_at > story.published_at

    page = page_of(client, story)

    times = page.one("p", cls="times")
    assert [
        (span.text.split()[0], span.one("time").attrs["datetime"]) for span in times.select("span")
    ] == [
        (published, timezone.localtime(story.published_at).isoformat()),
        (updated, timezone.localtime(story.revised_at).isoformat()),
    ]


def test_the_text_size_buttons_are_labelled_and_hidden_until_the_script_shows_them(client, scene):
    page = page_of(client, scene.story)

    group = page.one("div", data_text_size=True)
    assert "hidden" in group.attrs
    assert group.attrs["role"] == "group"
    buttons = group.select("button")
    assert [button.text for button in buttons] == [korean("Enlarge"), korean("Shrink")]
    assert [button.text for button in buttons] == ["확대", "축소"]
    assert all(button.attrs.get("aria-label") for button in buttons)
    assert [button.attrs["data-size-step"] for button in buttons] == ["1", "-1"]


def shared_url(network: str, href: str) -> str:
    """The story address a share link hands to its network."""
    query = parse_qs(urlsplit(href).query)
    if network == "facebook":
        return query["u"][0]
    if network == "band":
        return query["body"][0].splitlines()[-1]
    return query["url"][0]


def test_the_share_bar_links_each_network_with_campaign_tags_on_the_shared_url_only(client, scene):
    page = page_of(client, scene.story)
    canonical = settings.SITE_URL + scene.story.get_absolute_url()

    bar = page.one("div", cls="share-bar")
    hosts = {
        "facebook": "https://www.facebook.com/sharer/sharer.php",
        "x": "https://twitter.com/intent/tweet",
        "naver": "https://share.naver.com/web/shareView",
        "linkedin": "https://www.linkedin.com/sharing/share-offsite/",
        "band": "https://band.us/plugin/share",
    }
    for network in SHARE_NETWORKS:
        href = bar.one("a", cls=network).attrs["href"]
        assert href.split("?")[0] == hosts[network]
        address, _, campaign = shared_url(network, href).partition("?")
        assert address == canonical
        assert parse_qs(campaign) == {
            "utm_source": [network],
            "utm_medium": ["social"],
            "utm_campaign": ["share"],
        }
    title = '삼성전자 "HBM 공급 두 배로 늘린다"'
    assert parse_qs(urlsplit(bar.one("a", cls="x").attrs["href"]).query)["text"] == [title]
    assert parse_qs(urlsplit(bar.one("a", cls="naver").attrs["href"]).query)["title"] == [title]
    # The canonical address and the card's address carry no campaign.
    assert page.one("link", rel="canonical").attrs["href"] == canonical
    assert page.meta("og:url") == canonical
    for link in page.select("link") + page.select("meta"):
        assert "utm_" not in link.attrs.get("href", "") + link.attrs.get("content", "")


def test_the_band_link_names_the_site_domain_as_its_route(client, desk, settings):
    settings.SITE_URL = "https://news.example.com"
    page = page_of(client, desk.story())

    href = page.one("a", cls="band").attrs["href"]
    assert parse_qs(urlsplit(href).query)["route"] == ["news.example.com"]


def test_without_a_kakao_key_the_share_bar_still_offers_kakaotalk_without_kakaos_sdk(
    client, scene, settings
):
    assert settings.KAKAO_JS_KEY == ""
    page = page_of(client, scene.story)

    bar = page.one("div", cls="share-bar")
    assert bar.one("a", cls="youtube").attrs["href"] == settings.SITE_YOUTUBE_URL
    copy = bar.one("button", data_copy_link=True)
    assert copy.text == "URL 복사"
    assert copy.attrs["data-copied"] == korean("The address was copied.")
    assert "hidden" in copy.attrs  # the script shows it where the clipboard works
    assert bar.one("button", data_print=True).text == "인쇄하기"
    assert bar.one("span", data_share_feedback=True).attrs["role"] == "status"
    # The share sheet, or the link copied to paste into KakaoTalk (the script's choice).
    kakao = bar.one("button", data_kakao_share=True)
    assert kakao.text == "카카오톡"
    assert "hidden" in kakao.attrs
    assert kakao.attrs["data-copied"] == "링크가 복사되었습니다. 카카오톡에 붙여 넣으세요."
    assert bar.select("button", data_native_share=True) == []
    assert not [s for s in page.select("script") if "kakao" in s.attrs.get("src", "")]
    assert "data-kakao-key" not in page.one("article", data_story=True).attrs


def test_with_a_kakao_key_the_share_bar_offers_kakaotalk_with_the_kakao_sdk(
    client, scene, settings
):
    settings.KAKAO_JS_KEY = "0123456789abcdef"

    page = page_of(client, scene.story)

    bar = page.one("div", cls="share-bar")
    kakao = bar.one("button", data_kakao_share=True)
    assert kakao.text == korean("KakaoTalk")
    assert bar.select("button", data_native_share=True) == []
    [sdk] = [s for s in page.select("script") if "kakao" in s.attrs.get("src", "")]
    assert sdk.attrs["src"] == settings.KAKAO_SDK_URL
    assert sdk.attrs["src"].startswith("https://t1.kakaocdn.net/")
    story = page.one("article", data_story=True)
    assert story.attrs["data-kakao-key"] == "0123456789abcdef"
    assert story.attrs["data-share-url"] == settings.SITE_URL + scene.story.get_absolute_url()


def test_the_content_security_policy_allows_kakaos_sdk_only_when_a_key_is_set(client, desk):
    # The policy is built when the settings are read: the keyed case needs its own process.
    response = client.get(desk.story().get_absolute_url())
    without_key = response["Content-Security-Policy"]
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "KAKAO_JS_KEY": "0123456789abcdef",
    }
    probe = (
        "from django.test import Client;"
        "print(Client().get('/theme.css')['Content-Security-Policy'])"
    )
    keyed = (
        subprocess.run(
            [sys.executable, "manage.py", "shell", "-c", probe],
            cwd=BASE_DIR,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
        .stdout.strip()
        .splitlines()[-1]
    )

    def script_src(policy: str) -> list[str]:
        [directive] = [d.split() for d in policy.split(";") if d.split()[0] == "script-src"]
        return directive[1:]

    assert "kakaocdn" not in without_key
    assert script_src(without_key) == ["'self'"]
    assert sorted(script_src(keyed)) == sorted(["'self'", "https://t1.kakaocdn.net"])


def test_the_inline_photo_is_a_figure_with_its_own_caption_and_a_srcset(client, scene):
    page = page_of(client, scene.story)

    body = page.one("div", data_story_body=True)
    [figure] = body.select("figure")
    paragraphs_before = [
        child
        for child in body.children[: body.children.index(figure)]
        if getattr(child, "tag", None) == "p"
    ]
    assert len(paragraphs_before) == 2  # after the second paragraph, as placed
    caption = figure.one("figcaption").text
    assert caption.startswith("▲ 3일 평택캠퍼스에서 연구원이 HBM 웨이퍼를 들어 보이고 있다")
    assert "라이브러리 기본 캡션" not in caption
    assert "[한지민 기자]" in caption  # the credit, from the library
    image = figure.one("img")
    assert image.attrs["alt"] == "HBM 웨이퍼를 든 연구원"
    renditions = Rendition.objects.filter(photo=scene.inline, spec="w320")
    jpeg = renditions.get(format="JPEG")
    assert image.attrs["srcset"] == f"{jpeg.file.url} {jpeg.width}w"
    webp = renditions.get(format="WEBP")
    assert figure.one("source").attrs["srcset"] == f"{webp.file.url} {webp.width}w"
    assert image.attrs["loading"] == "lazy"
    assert "fetchpriority" not in image.attrs


def test_the_lead_photo_comes_first_and_is_not_lazy(client, scene):
    page = page_of(client, scene.story)

    story = page.one("article", data_story=True)
    lead = [
        figure
        for figure in story.select("figure")
        if not any(a.attrs.get("data-story-body") is not None for a in figure.ancestors())
    ]
    [lead] = lead
    image = lead.one("img")
    assert image.attrs["fetchpriority"] == "high"
    assert "loading" not in image.attrs
    assert image.attrs["alt"] == "반도체 공장 전경"
    assert lead.one("figcaption").text == "▲ 평택캠퍼스 전경 [삼성전자]"


def test_the_body_ends_with_the_sign_off_of_the_site_and_the_first_staff_byline(client, scene):
    page = page_of(client, scene.story)

    body = page.one("div", data_story_body=True)
    last = [child for child in body.children if hasattr(child, "tag")][-1]
    assert last.text == f"[{settings.SITE_NAME} {scene.reporter_profile.byline_name} 기자]"
    assert last.text == "[솔빛경제 한지민 기자]"


def test_corrections_are_listed_under_the_story_with_their_dates(client, scene, desk):
    story = desk.correct(scene.story, "HBM 공급 규모를 '세 배'에서 '두 배'로 바로잡았습니다.")

    page = page_of(client, story)

    box = page.one("section", cls="story-corrections")
    assert box.one("h2").text == korean("Corrections")
    [line] = box.select("p")
    assert "HBM 공급 규모를 '세 배'에서 '두 배'로 바로잡았습니다." in line.text
    assert (
        line.one("time").attrs["datetime"]
        == timezone.localtime(story.corrections.get().created_at).isoformat()
    )
    # A correction is an update: 수정 is shown.
    assert len(page.one("p", cls="times").select("time")) == 2


def test_the_tags_and_the_copyright_line_close_the_story(client, scene):
    page = page_of(client, scene.story)

    tags = page.one("ul", cls="story-tags")
    assert sorted(a.text for a in tags.select("a")) == ["#HBM", "#반도체"]
    copyright_line = page.one("p", cls="story-copyright").text
    assert "무단전재 및 재배포 금지" in copyright_line
    assert settings.SITE_NAME in copyright_line


def test_the_latest_list_shows_ten_other_stories_newest_first(client, scene, desk):
    now = timezone.now().replace(microsecond=0)
    stories = desk.many(12, start=now - timedelta(hours=1), prefix="최신")

    page = page_of(client, scene.story)

    box = page.one("section", aria_labelledby="latest-heading")
    assert box.one("h2").text == "최신기사"
    assert headlines_in(box) == [f"최신 {number:03d}" for number in range(12, 2, -1)]
    assert [a.attrs["href"] for a in box.select("a")] == [
        story.get_absolute_url() for story in reversed(stories[2:])
    ]


def test_the_most_read_list_ranks_stories_by_their_reads(client, scene, desk):
    few, many, none = desk.many(3, prefix="읽힌")
    for story, reads in ((few, 2), (many, 5), (scene.story, 3)):
        for _ in range(reads):
            popularity.record_view(story.pk)
    popularity.flush()

    page = page_of(client, scene.story)

    box = page.one("section", aria_labelledby="most-read-heading")
    assert box.one("h2").text == "많이 본 기사"
    assert headlines_in(box) == [
        many.headline,
        "[반도체 공급망②] " + scene.story.headline,
        few.headline,
    ]
    assert none.headline not in box.text


def test_without_reads_there_is_no_most_read_box(client, scene):
    page = page_of(client, scene.story)

    assert page.select("section", aria_labelledby="most-read-heading") == []


def test_more_by_the_reporter_lists_their_other_published_stories(
    client, scene, desk, newsroom, other_reporter
):
    theirs = desk.story("한지민 기자의 다른 기사", section=newsroom.finance)
    desk.story("한지민 기자의 초고", state=Status.DRAFT)
    desk.story("박도윤 기자의 기사", author=other_reporter)

    page = page_of(client, scene.story)

    box = page.one("h2", id="reporter-heading").parent
    assert "한지민 기자" in box.one("h2").text
    found = headlines_in(box)
    assert theirs.headline in found
    assert "[반도체 공급망①] [반도체 공급망] 첫째 편" in found
    assert scene.story.headline not in " ".join(found)
    assert "한지민 기자의 초고" not in found
    assert "박도윤 기자의 기사" not in found


def test_the_series_box_lists_the_published_parts_in_order(client, scene):
    page = page_of(client, scene.story)

    box = page.one("section", cls="series-parts")
    items = box.select("li")
    assert [item.text for item in items] == [
        "[반도체 공급망①] [반도체 공급망] 첫째 편",
        '[반도체 공급망②] 삼성전자 "HBM 공급 두 배로 늘린다"',
    ]
    assert items[1].attrs.get("aria-current") == "page"
    assert "셋째 편" not in box.text


# --- share cards ---------------------------------------------------------------------------


def test_the_open_graph_and_x_card_use_the_lead_photos_share_crop(client, scene):
    page = page_of(client, scene.story)
    share = scene.lead.renditions.get(spec="share", format="JPEG")
    canonical = settings.SITE_URL + scene.story.get_absolute_url()

    assert page.meta("og:type") == "article"
    assert page.meta("og:title") == '삼성전자 "HBM 공급 두 배로 늘린다"'
    assert page.meta("og:description") == "삼성전자가 하반기 HBM 공급을 두 배로 늘린다고 밝혔다."
    assert page.meta("og:url") == canonical
    assert page.meta("og:image") == settings.SITE_URL + share.file.url
    assert page.meta("og:image").startswith(("http://", "https://"))
    assert (share.width, share.height) == (1200, 630)
    assert (page.meta("og:image:width"), page.meta("og:image:height")) == ("1200", "630")
    assert page.meta("twitter:card") == "summary_large_image"
    assert page.meta("twitter:title") == page.meta("og:title")
    assert page.meta("twitter:image") == page.meta("og:image")


def test_share_overrides_take_precedence_over_the_headline_summary_and_lead_photo(
    client, scene, desk, library_photo
):
    card = library_photo(caption="공유용 사진", alt_text="공유 카드")
    story = desk.edit(
        scene.story,
        share_title="HBM 두 배 증산",
        share_description="삼성전자 HBM 증산 계획 요약",
        share_photo=card.pk,
    )

    page = page_of(client, story)

    share = card.renditions.get(spec="share", format="JPEG")
    assert page.meta("og:title") == "HBM 두 배 증산"
    assert page.meta("twitter:title") == "HBM 두 배 증산"
    assert page.meta("og:description") == "삼성전자 HBM 증산 계획 요약"
    assert page.meta("og:image") == settings.SITE_URL + share.file.url
    assert page.one("h1").text == '삼성전자 "HBM 공급 두 배로 늘린다"'  # the page keeps its own


def test_the_cards_image_alt_is_the_stories_own_alt_text_for_its_lead_photo(
    client, desk, library_photo
):
    photo = library_photo(caption="기본 캡션", alt_text="라이브러리 기본 대체 텍스트")
    story = desk.story(
        photo_uses=[{"photo": photo.pk, "is_lead": True, "alt_text": "이 기사의 대체 텍스트"}]
    )

    page = page_of(client, story)

    assert page.one("figure").one("img").attrs["alt"] == "이 기사의 대체 텍스트"
    assert page.meta("og:image:alt") == "이 기사의 대체 텍스트"


def test_a_story_without_any_photo_shares_the_site_default_image(client, desk):
    page = page_of(client, desk.story())

    assert page.meta("og:image") == settings.SITE_URL + static("articles/share-default.jpg")
    assert (page.meta("og:image:width"), page.meta("og:image:height")) == ("1200", "630")
    with Image.open(finders.find("articles/share-default.jpg")) as image:
        assert image.size == (1200, 630)
    assert page.select("figure") == []


def test_a_headline_over_70_characters_is_cut_at_a_word_boundary_for_the_cards(client, desk):
    headline = (
        '미래에셋증권 "반도체 업황 회복세 뚜렷, 하반기 메모리 가격 상승 전망" '
        "투자의견 매수 유지하고 목표주가를 기존보다 큰 폭으로 상향 조정했다고 밝혔다"
    )
    assert len(headline) > 70
    story = desk.story(headline)

    page = page_of(client, story)

    title = page.meta("og:title")
    assert title.endswith("…")
    assert len(title) <= 70
    kept = title[:-1]
    assert headline.startswith(kept)
    assert headline[len(kept)] == " "  # whole words only
    assert page.meta("twitter:title") == title
    assert page.one("h1").text == headline


# --- a cacheable page ----------------------------------------------------------------------


def test_the_page_runs_no_inline_script(client, scene, settings):
    settings.KAKAO_JS_KEY = "0123456789abcdef"
    page = page_of(client, scene.story)

    # A JSON-LD block is data, never run: the only script element allowed to hold text.
    scripts = [s for s in page.select("script") if s.attrs.get("type") != "application/ld+json"]
    assert scripts
    for script in scripts:
        assert script.attrs.get("src")
        assert script.text == ""
    for element in page.iter():
        assert not [name for name in element.attrs if name.startswith("on")]


def test_an_anonymous_reader_gets_no_csrf_token_and_no_cookie(client, scene):
    response = client.get(scene.story.get_absolute_url())

    assert response.status_code == 200
    assert "csrfmiddlewaretoken" not in response.content.decode()
    assert not response.has_header("Set-Cookie")
    assert not response.cookies


# --- a fixed number of queries ------------------------------------------------------------------

# With every cache empty: the story with its section, series and share photo, and its
# tags, corrections and bylines folded into its row (newsroom.jsonrows); its photo uses with
# their photos and renditions; the card the last share fan-out stored
# (articles.selectors.stored_share); the section tree (the menu, the breadcrumb); the
# reporter's and the series' other stories (one query); 최신기사; 많이 본 기사; the
# newsletters of the subscribe box; the comment block's page of comments with their replies
# and the story's counts (comments.selectors.block).
ARTICLE_PAGE_QUERIES = 9
# The same page built again after a page-cache miss, its fragments kept (the story and
# the parts drawn from it alone, the section menu and tree, the sidebars and the subscribe
# box, the related boxes, the comment block): nothing to read.
ARTICLE_PAGE_WARM_QUERIES = 0


@pytest.fixture
def crowded(desk, newsroom, library_photo, reporter):
    """`crowded(count)`: a story in a series with `count` photos, bylines (staff and guests),
    tags, corrections and comments, read once."""

    def make(count: int) -> Article:
        photo = library_photo(caption="공용 사진", alt_text="공용 사진")
        staff = [reporter] + [desk.staff(f"기자{number}") for number in range(1, count // 2)]
        bylines = [{"profile": user.staff_profile.pk} for user in staff]
        bylines += [{"guest": f"객원 {number}"} for number in range(count - len(bylines))]
        story = desk.story(
            "쿼리 수를 세는 기사",
            section=newsroom.electronics,
            series=newsroom.series.pk,
            series_ordinal=1,
            photo_uses=[{"photo": photo.pk, "is_lead": number == 0} for number in range(count)],
            body="".join(f"<p>문단 {number}</p>[[photo:{number}]]" for number in range(count)),
            bylines=bylines,
            tags=[f"태그{number}" for number in range(count)],
        )
        for number in range(count):
            story = desk.correct(story, f"정정 {number}")
        for number in range(count):
            CommentFactory(story=story, body=f"댓글 {number}")
        desk.story("같은 기자의 다른 기사")
        desk.story("연재 둘째 편", series=newsroom.series.pk, series_ordinal=2)
        popularity.record_view(story.pk)
        popularity.flush()
        return story

    return make


@pytest.mark.parametrize("count", [1, 30])
def test_the_article_page_runs_the_same_queries_whatever_it_holds(
    client, crowded, count, settings, django_assert_num_queries
):
    caches_on(settings)
    story = crowded(count)
    page = parse(client.get(story.get_absolute_url()))
    assert len(page.one("p", cls="bylines").select("span", cls="byline")) == count
    assert len(page.one("div", data_story_body=True).select("figure")) == count
    assert len(page.one("ul", cls="story-tags").select("li")) == count
    assert len(page.one("section", cls="story-corrections").select("p")) == count
    assert len(page.one("ol", cls="comment-list").select("li", cls="comment-thread")) == min(
        count, 20
    )
    assert page.select("section", cls="series-parts")
    assert "같은 기자의 다른 기사" in page.one("article", cls="story").text

    with django_assert_num_queries(ARTICLE_PAGE_QUERIES):
        response = cold(client, story.get_absolute_url())
    assert response.status_code == 200
    assert response.content == client.get(story.get_absolute_url()).content


@pytest.mark.parametrize("count", [1, 30])
def test_a_page_cache_miss_reads_nothing_when_its_fragments_are_kept(
    client, crowded, count, settings, django_assert_num_queries
):
    caches_on(settings)
    settings.PAGE_CACHE_ENABLED = False  # every request builds the page: a miss
    story = crowded(count)
    first = client.get(story.get_absolute_url())

    with django_assert_num_queries(ARTICLE_PAGE_WARM_QUERIES):
        again = client.get(story.get_absolute_url())
    assert again.content == first.content
