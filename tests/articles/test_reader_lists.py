"""The reader's list pages: the front page, sections, reporters, series, tags, corrections,
their pagination, and the read beacon. Every page runs a fixed number of queries."""

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles import pagination, popularity, selectors, workflow
from articles.models import Article, ViewCount
from media import library
from tests.factories import SectionFactory
from tests.pages import caches_on, cold, korean, parse
from tests.stories import Desk, Newsroom

pytestmark = pytest.mark.django_db

Status = Article.Status


def page_at(client, path: str):
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return parse(response)


def headlines(element) -> list[str]:
    return [link.text for link in element.select("a", cls="headline-link")]


def listed(page) -> list[str]:
    """The headlines of a page's story list."""
    return headlines(page.one("ul", cls="story-list"))


def ago(**delta):
    return timezone.now().replace(microsecond=0) - timedelta(**delta)


def with_time(action, *args, at, **kwargs):
    with time_machine.travel(at, tick=False):
        return action(*args, **kwargs)


# --- the front page ----------------------------------------------------------------------------


def test_the_front_page_leads_with_the_newest_story_that_has_a_photo(
    client, desk, newsroom, library_photo
):
    photo = library_photo(caption="여의도 증권가", alt_text="여의도 증권가 전경")
    older = desk.story("사진 없는 오래된 기사", at=ago(hours=5))
    lead = desk.story(
        "사진이 있는 머리기사",
        at=ago(hours=4),
        summary="머리기사의 요약",
        photo_uses=[{"photo": photo.pk, "is_lead": True}],
    )
    newer = [desk.story(f"사진 없는 새 기사 {n}", at=ago(hours=3, minutes=-n)) for n in range(7)]

    page = page_at(client, "/")

    box = page.one("article", cls="lead-story")
    assert headlines(box) == ["사진이 있는 머리기사"]
    assert box.one("p", cls="story-summary").text == "머리기사의 요약"
    image = box.one("img")
    assert image.attrs["fetchpriority"] == "high"  # the page's lead: not lazy
    w320 = photo.renditions.get(spec="w320", format="JPEG")
    assert image.attrs["src"] == w320.file.url
    # The next six, newest first, without the lead.
    top = page.one("ul", cls="top-stories")
    assert headlines(top) == [story.headline for story in reversed(newer)][:6]
    assert older.headline not in headlines(top)
    assert lead.headline not in headlines(top)


def test_the_front_page_has_a_box_per_top_section_with_its_subsections_stories(
    client, desk, newsroom
):
    SectionFactory(name="휴간 섹션", slug="closed", is_active=False, order=2)
    SectionFactory(name="빈 섹션", slug="empty", order=3)
    desk.story("산업 기사", section=newsroom.industry, at=ago(hours=3))
    desk.story("전자 기사", section=newsroom.electronics, at=ago(hours=2))
    desk.story("금융 기사", section=newsroom.finance, at=ago(hours=1))
    desk.story("금융 초고", section=newsroom.finance, state=Status.DRAFT)

    page = page_at(client, "/")

    boxes = page.select("section", cls="section-box")
    assert [(box.one("h2").text, box.one("h2").one("a").attrs["href"]) for box in boxes] == [
        ("기업과산업", "/sections/industry/"),
        ("금융", "/sections/finance/"),
    ]
    assert headlines(boxes[0]) == ["전자 기사", "산업 기사"]
    assert headlines(boxes[1]) == ["금융 기사"]


def test_the_front_page_sidebar_lists_the_ten_latest_and_never_a_draft(client, desk):
    stories = desk.many(12, prefix="최신")
    for state in (Status.DRAFT, Status.SUBMITTED, Status.SCHEDULED, Status.UNPUBLISHED):
        desk.story(f"보이면 안 되는 {state}", state=state)

    response = client.get("/")
    page = parse(response)

    latest = page.one("section", aria_labelledby="latest-heading")
    assert latest.one("h2").text == "최신기사"
    assert headlines(latest) == [story.headline for story in reversed(stories)][:10]
    assert "보이면 안 되는" not in response.content.decode()


def test_an_empty_site_says_nothing_is_published_yet(client, desk):
    desk.story("아직 초고", state=Status.DRAFT)

    page = page_at(client, "/")

    assert page.one("p", cls="empty-state").text == korean("No stories have been published yet.")
    assert page.one("p", cls="empty-state").text == "아직 발행된 기사가 없습니다."
    assert "아직 초고" not in page.text


# --- sections ----------------------------------------------------------------------------------


@pytest.fixture
def filed(desk: Desk, newsroom: Newsroom):
    """Stories in 기업과산업, its subsection, 금융, and one of 금융's also shown in 기업과산업.
    Written in another order than their publication times."""
    return {
        "electronics": desk.story("전자 기사", section=newsroom.electronics, at=ago(hours=3)),
        "industry": desk.story("산업 기사", section=newsroom.industry, at=ago(hours=4)),
        "finance": desk.story("금융 기사", section=newsroom.finance, at=ago(hours=1)),
        "also": desk.story(
            "금융 기사, 산업에도",
            section=newsroom.finance,
            extra_sections=[newsroom.industry.pk],
            at=ago(hours=2),
        ),
        "draft": desk.story("전자 초고", section=newsroom.electronics, state=Status.DRAFT),
    }


def test_a_top_section_lists_its_own_and_its_subsections_stories_newest_first(
    client, filed, newsroom
):
    page = page_at(client, "/sections/industry/")

    assert page.one("h1").text == "기업과산업"
    crumbs = page.one("nav", cls="breadcrumb")
    assert [a.attrs["href"] for a in crumbs.select("a")] == ["/"]
    assert crumbs.one("li", aria_current="page").text == "기업과산업"
    tabs = page.one("ul", cls="subsection-tabs")
    assert [(a.text, a.attrs["href"]) for a in tabs.select("a")] == [
        ("전자·전기·정보통신", "/sections/industry/electronics/")
    ]
    assert listed(page) == ["금융 기사, 산업에도", "전자 기사", "산업 기사"]


def test_a_subsection_page_has_its_path_and_only_its_stories(client, filed):
    page = page_at(client, "/sections/industry/electronics/")

    assert page.one("h1").text == "전자·전기·정보통신"
    crumbs = page.one("nav", cls="breadcrumb")
    assert [(a.text, a.attrs["href"]) for a in crumbs.select("a")][1:] == [
        ("기업과산업", "/sections/industry/")
    ]
    assert crumbs.one("li", aria_current="page").text == "전자·전기·정보통신"
    assert page.select("ul", cls="subsection-tabs") == []
    assert listed(page) == ["전자 기사"]


@pytest.mark.parametrize(
    ("path", "target"),
    [
        ("/sections/electronics/", "/sections/industry/electronics/"),
        ("/sections/finance/electronics/", "/sections/industry/electronics/"),
        ("/sections/finance/industry/", "/sections/industry/"),
    ],
)
def test_a_section_at_the_wrong_path_redirects_permanently_to_its_own(
    client, newsroom, path, target
):
    response = client.get(path)

    assert response.status_code == 301
    assert response["Location"] == target


def test_an_inactive_section_is_not_found(client, newsroom, desk):
    desk.story("전자 기사", section=newsroom.electronics)
    newsroom.electronics.is_active = False
    newsroom.electronics.save(update_fields=["is_active"])

    assert client.get("/sections/industry/electronics/").status_code == 404
    assert client.get("/sections/electronics/").status_code == 404
    assert client.get("/sections/no-such-section/").status_code == 404
    page = page_at(client, "/sections/industry/")
    assert page.select("ul", cls="subsection-tabs") == []


def test_a_third_level_section_page_shows_the_whole_path(client, desk, newsroom):
    SectionFactory(name="메모리", slug="memory", parent=newsroom.electronics)

    page = page_at(client, "/sections/electronics/memory/")

    crumbs = page.one("nav", cls="breadcrumb")
    assert [a.attrs["href"] for a in crumbs.select("a")] == [
        "/",
        "/sections/industry/",
        "/sections/industry/electronics/",
    ]


def test_a_third_level_sections_stories_reach_the_top_section(client, desk, newsroom):
    memory = SectionFactory(name="메모리", slug="memory", parent=newsroom.electronics)
    desk.story("메모리 기사", section=memory)

    assert listed(page_at(client, "/sections/industry/electronics/")) == ["메모리 기사"]
    assert listed(page_at(client, "/sections/industry/")) == ["메모리 기사"]
    boxes = page_at(client, "/").select("section", cls="section-box")
    assert [headlines(box) for box in boxes] == [["메모리 기사"]]


# --- pagination --------------------------------------------------------------------------------


@pytest.fixture
def sixty(desk: Desk, newsroom: Newsroom):
    """60 stories in 전자·전기·정보통신, oldest first; three at a time share a publication
    time, so the pages' seams fall inside a tie (stories 39, 40 and 41 were published at
    once, and so were 18, 19 and 20)."""
    start = ago(hours=2)
    stories = []
    for number in range(1, 61):
        moment = start + timedelta(minutes=number // 3)
        stories.append(desk.story(f"기사 {number:02d}", section=newsroom.electronics, at=moment))
    assert stories[39].published_at == stories[40].published_at
    return stories


def newest_first(stories, first: int, last: int) -> list[str]:
    """Headlines of the `first`..`last` newest stories (1-based, inclusive)."""
    return [story.headline for story in reversed(stories)][first - 1 : last]


def test_section_pages_are_numbered_by_twenty(client, sixty):
    page = page_at(client, "/sections/industry/electronics/")

    assert listed(page) == newest_first(sixty, 1, 20)
    pager = page.one("nav", cls="pagination")
    assert pager.one("span", aria_current="page").text == "1"
    assert [(a.text, a.attrs["href"]) for a in pager.select("a") if a.text.isdigit()] == [
        ("2", "?page=2"),
        ("3", "?page=3"),
    ]
    assert pager.one("a", rel="next").attrs["href"] == "?page=2"
    assert pager.select("a", rel="prev") == []

    third = page_at(client, "/sections/industry/electronics/?page=3")
    assert listed(third) == newest_first(sixty, 41, 60)
    assert third.one("a", rel="prev").attrs["href"] == "?page=2"
    assert "이전 기사" not in third.text  # the numbered pages reach the end
    # A damaged "older" link shows the first page, not an error.
    damaged = page_at(client, "/sections/industry/electronics/?before=yesterday_x")
    assert listed(damaged) == newest_first(sixty, 1, 20)


def test_beyond_the_numbered_pages_an_older_link_continues_without_gaps_or_repeats(
    client, sixty, monkeypatch
):
    monkeypatch.setattr(pagination, "NUMBERED_PAGES", 2)

    first = page_at(client, "/sections/industry/electronics/")
    assert [a.text for a in first.one("nav", cls="pagination").select("a")] == ["2", "다음"]
    second = page_at(client, "/sections/industry/electronics/?page=2")
    assert listed(second) == newest_first(sixty, 21, 40)
    [older] = [a for a in second.select("a") if a.text == korean("Older stories")]
    assert older.text == "이전 기사"

    response = client.get("/sections/industry/electronics/" + older.attrs["href"])
    assert response.status_code == 200
    continued = listed(parse(response))
    assert continued == newest_first(sixty, 41, 60)
    seen = listed(first) + listed(second) + continued
    assert sorted(seen) == sorted(story.headline for story in sixty)  # no gap, no repeat
    assert "이전 기사" not in parse(response).text  # nothing older


def test_a_keyset_page_costs_what_the_first_page_costs_however_deep(
    client, sixty, monkeypatch, settings
):
    caches_on(settings)
    # One numbered page, then two keyset pages: 21-40 and 41-60.
    monkeypatch.setattr(pagination, "NUMBERED_PAGES", 1)
    costs, path, seen = {}, "/sections/industry/electronics/", []
    for name in ("first", "keyset", "deeper keyset"):
        with CaptureQueriesContext(connection) as queries:
            response = cold(client, path)
        assert response.status_code == 200
        costs[name] = len(queries)
        page = parse(response)
        seen += listed(page)
        older = [a for a in page.select("a") if a.text == "이전 기사"]
        path = "/sections/industry/electronics/" + older[0].attrs["href"] if older else ""
    assert seen == newest_first(sixty, 1, 60)
    assert path == ""  # the last page has no older link
    # The last numbered page asks once more whether anything is older; a keyset page skips
    # the numbered pages' COUNT and that question, and nothing else, whatever its depth.
    assert costs == {
        "first": SECTION_QUERIES + 1,
        "keyset": SECTION_QUERIES - 1,
        "deeper keyset": SECTION_QUERIES - 1,
    }


# --- reporters, series, tags ----------------------------------------------------------------------


def test_the_reporter_page_shows_portrait_title_email_bio_and_only_their_stories(
    client, desk, reporter, other_reporter, library_photo
):
    profile = reporter.staff_profile
    profile.bio = "반도체와 전자 산업을 취재합니다."
    profile.save(update_fields=["bio"])
    portrait = library_photo(caption="한지민 기자", alt_text="한지민 기자 얼굴")
    library.set_portrait(profile, portrait, actor=reporter)
    own = desk.story("한지민 단독 기사", at=ago(hours=3))
    shared = desk.story(
        "공동 취재 기사",
        at=ago(hours=2),
        bylines=[
            {"profile": other_reporter.staff_profile.pk},
            {"profile": profile.pk},
        ],
    )
    desk.story("박도윤 기사", author=other_reporter, at=ago(hours=1))
    desk.story("한지민 초고", state=Status.DRAFT)

    page = page_at(client, reverse("articles:reporter", args=[profile.slug]))

    card = page.one("section", cls="reporter-card")
    image = card.one("img")
    assert image.attrs["alt"] == "한지민 기자"
    assert image.attrs["src"] == portrait.renditions.get(spec="w320", format="JPEG").file.url
    assert card.one("h1").text == "한지민 기자"
    assert card.one("span", cls="reporter-title").text == "기자"
    assert card.one("a").attrs["href"] == f"mailto:{profile.public_email}"
    assert card.one("p", cls="list-description").text == "반도체와 전자 산업을 취재합니다."
    assert listed(page) == [shared.headline, own.headline]


def test_a_reporter_without_a_portrait_or_bio_still_has_a_page(client, reporter):
    page = page_at(client, reverse("articles:reporter", args=[reporter.staff_profile.slug]))

    assert page.one("section", cls="reporter-card").select("img") == []
    assert page.select("p", cls="list-description") == []
    assert page.one("li", cls="empty-state").text == korean("No stories yet.")


def test_reporter_and_tag_lists_show_each_storys_lead_photo_like_a_section(
    client, desk, reporter, library_photo
):
    photo = library_photo(caption="리드 사진", alt_text="리드 사진")
    story = desk.story(tags=["반도체"], photo_uses=[{"photo": photo.pk, "is_lead": True}])

    for path in (
        story.section.get_absolute_url(),
        reverse("articles:reporter", args=[reporter.staff_profile.slug]),
        story.tags.get().get_absolute_url(),
    ):
        page = page_at(client, path)
        assert len(page.one("ul", cls="story-list").select("img")) == 1, path


def test_an_unknown_reporter_is_not_found(client, db):
    assert client.get("/reporters/nobody/").status_code == 404


def test_the_series_page_lists_the_published_parts_in_their_order(client, desk, newsroom):
    # Published out of order: the page follows the part numbers, not the dates.
    desk.story("둘째 편", series=newsroom.series.pk, series_ordinal=2, at=ago(hours=3))
    desk.story("첫째 편", series=newsroom.series.pk, series_ordinal=1, at=ago(hours=2))
    desk.story("셋째 편 초고", series=newsroom.series.pk, series_ordinal=3, state=Status.DRAFT)
    desk.story("넷째 편 대기", series=newsroom.series.pk, series_ordinal=4, state=Status.SUBMITTED)

    page = page_at(client, "/series/chip-supply/")

    assert page.one("h1").text == "반도체 공급망"
    assert headlines(page.one("ol", cls="series-list")) == [
        "[반도체 공급망①] 첫째 편",
        "[반도체 공급망②] 둘째 편",
    ]
    assert client.get("/series/no-such-series/").status_code == 404


def test_the_tag_page_lists_the_tagged_published_stories_newest_first(client, desk):
    newer = desk.story("반도체 기사", tags=["반도체"], at=ago(hours=1))
    older = desk.story("HBM 기사", tags=["HBM", "반도체"], at=ago(hours=2))
    desk.story("태그 없는 기사")
    desk.story("반도체 초고", tags=["반도체"], state=Status.DRAFT)
    tag = newer.tags.get(name="반도체")

    page = page_at(client, tag.get_absolute_url())

    assert page.one("h1").text == "#반도체"
    assert listed(page) == [newer.headline, older.headline]
    assert client.get("/tags/no-such-tag/").status_code == 404


def test_the_corrections_page_lists_published_stories_corrections_newest_first(client, desk):
    first = desk.story("처음 정정된 기사", at=ago(hours=5))
    second = desk.story("나중에 정정된 기사", at=ago(hours=4))
    gone = desk.story("내려간 기사", at=ago(hours=3))
    # Written in the other order than their dates: the page follows the dates.
    with_time(desk.correct, second, "두 번째 정정", at=ago(hours=2))
    with_time(desk.correct, first, "첫 번째 정정", at=ago(hours=3))
    with_time(desk.correct, gone, "내려간 기사의 정정", at=ago(hours=1))
    workflow.unpublish(gone, actor=desk.editor, reason="법적 검토")

    page = page_at(client, "/corrections/")

    items = page.one("ul", cls="correction-list").select("li")
    assert [headlines(item) for item in items] == [[second.headline], [first.headline]]
    assert "두 번째 정정" in items[0].text
    assert "첫 번째 정정" in items[1].text
    assert "내려간 기사" not in page.one("main").text


# --- the read beacon ---------------------------------------------------------------------------


def reads_of(story) -> int:
    return sum(ViewCount.objects.filter(article=story).values_list("count", flat=True))


def test_the_read_beacon_counts_a_published_story_without_a_csrf_token(desk):
    story = desk.story()
    beacon = Client(enforce_csrf_checks=True)

    response = beacon.post(f"/articles/{story.pk}/read/")
    beacon.post(f"/articles/{story.pk}/read/")
    popularity.flush()

    assert response.status_code == 204
    assert not response.cookies
    assert reads_of(story) == 2


@pytest.mark.parametrize(
    "state", [Status.DRAFT, Status.SUBMITTED, Status.SCHEDULED, Status.UNPUBLISHED]
)
def test_the_read_beacon_counts_nothing_for_a_story_readers_cannot_see(desk, state):
    story = desk.story(state=state)

    response = Client(enforce_csrf_checks=True).post(f"/articles/{story.pk}/read/")
    popularity.flush()

    assert response.status_code == 204
    assert reads_of(story) == 0


def test_replaced_reads_are_exactly_the_numbers_given_however_often_written(desk):
    story, other = desk.story(), desk.story()
    hour = popularity.hour_of(timezone.now() - timedelta(hours=3))
    popularity.record_view(story.pk)
    popularity.flush()  # a real read, this hour: replaced with the rest

    for _ in range(2):
        popularity.replace_reads({story.pk: {hour: 40, hour - timedelta(hours=1): 2}, other.pk: {}})

    assert sorted(ViewCount.objects.values_list("hour", "count")) == [
        (hour - timedelta(hours=1), 2),
        (hour, 40),
    ]
    assert [s.pk for s in selectors.most_read()] == [story.pk]


def test_the_read_beacon_takes_only_posts(client, desk):
    story = desk.story()

    assert client.get(f"/articles/{story.pk}/read/").status_code == 405
    assert client.post("/articles/987654/read/").status_code == 204


# --- a fixed number of queries ------------------------------------------------------------------

# Each page's queries with 1 or with 30 stories (each with a lead photo, a tag, a series part
# and a correction), with every cache empty. Every page reads the section tree (all the
# sections at once: the menu, a section page's own section, breadcrumb, subsections and the
# sections below it), and each lead photo use comes with its photo and its renditions.
# the section tree, the newest stories, the curated slots with their stories, the lead and
# top stories' photos, most read, the newsletters of the subscribe box
FRONT_PAGE_QUERIES = 6
# the section tree, the page count, the stories, their photos; a top section's first page
# also reads what editors placed on it (slots and stories in one)
SECTION_QUERIES = 4
TOP_SECTION_QUERIES = SECTION_QUERIES + 1
# the section tree, the profile with its portrait, the page count, the stories, their photos
REPORTER_QUERIES = 5
SERIES_QUERIES = 3  # the section tree, the series, its parts
TAG_QUERIES = 5  # the section tree, the tag, the page count, the stories, their photos
CORRECTIONS_QUERIES = 3  # the section tree, the page count, corrections with their stories
PINNED = {
    "front": FRONT_PAGE_QUERIES,
    "section": TOP_SECTION_QUERIES,
    "subsection": SECTION_QUERIES,
    "reporter": REPORTER_QUERIES,
    "series": SERIES_QUERIES,
    "tag": TAG_QUERIES,
    "corrections": CORRECTIONS_QUERIES,
}


@pytest.mark.parametrize("count", [1, 30])
def test_every_list_page_runs_the_same_queries_with_one_or_thirty_stories(
    client, desk, newsroom, library_photo, reporter, count, settings
):
    caches_on(settings)
    photo = library_photo(caption="공용 사진", alt_text="공용 사진")
    library.set_portrait(reporter.staff_profile, photo, actor=reporter)
    start = ago(hours=1)
    for number in range(1, count + 1):
        story = desk.story(
            f"기사 {number:02d}",
            section=newsroom.electronics,
            at=start + timedelta(seconds=number),
            photo_uses=[{"photo": photo.pk, "is_lead": True}],
            tags=["반도체"],
            series=newsroom.series.pk,
            series_ordinal=number,
        )
        desk.correct(story, f"정정 {number}")
        popularity.record_view(story.pk)
    popularity.flush()
    paths = {
        "front": "/",
        "section": "/sections/industry/",
        "subsection": "/sections/industry/electronics/",
        "reporter": reverse("articles:reporter", args=[reporter.staff_profile.slug]),
        "series": "/series/chip-supply/",
        "tag": reverse("articles:tag", args=[story.tags.get().slug]),
        "corrections": "/corrections/",
    }
    shown = min(count, pagination.PAGE_SIZE)

    costs = {}
    for name, path in paths.items():
        client.get(path)  # kept by the page cache and the fragments: forgotten by `cold`
        with CaptureQueriesContext(connection) as queries:
            response = cold(client, path)
        assert response.status_code == 200, name
        costs[name] = len(queries)
        page = parse(response)
        if name in ("section", "subsection", "reporter", "tag"):
            assert len(listed(page)) == shown, name
            assert bool(page.select("a", rel="next")) == (count > shown), name
        if name in ("section", "subsection"):
            assert len(page.one("ul", cls="story-list").select("img")) == shown
    assert costs == PINNED


def test_the_last_numbered_page_offers_no_older_link_when_nothing_is_older(
    client, desk, newsroom, monkeypatch
):
    monkeypatch.setattr(pagination, "NUMBERED_PAGES", 1)
    desk.many(pagination.PAGE_SIZE, section=newsroom.electronics)

    page = page_at(client, "/sections/industry/electronics/")

    assert len(listed(page)) == pagination.PAGE_SIZE
    assert [a for a in page.select("a") if a.text == "이전 기사"] == []


def test_every_correction_can_be_reached_from_the_corrections_page(client, desk, monkeypatch):
    monkeypatch.setattr(pagination, "NUMBERED_PAGES", 1)
    story = desk.story()
    for number in range(1, pagination.PAGE_SIZE + 2):
        story = desk.correct(story, f"정정 {number:02d}")

    seen, path = [], "/corrections/"
    while path:
        page = page_at(client, path)
        seen += [item.text for item in page.one("ul", cls="correction-list").select("li")]
        onward = page.select("a", rel="next")
        path = "/corrections/" + onward[-1].attrs["href"] if onward else ""
        assert len(seen) <= 2 * pagination.PAGE_SIZE
    assert len(seen) == pagination.PAGE_SIZE + 1
