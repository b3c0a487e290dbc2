"""Front-page curation: articles.workflow.curate, the home page and a top section's page
that show its choice, and the editor's page that makes it (/desk/front/)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.http import urlencode

from accounts.errors import NotAllowed
from articles import workflow
from articles.models import Article, FrontChange, FrontSlot
from tests.articles.conftest import edit
from tests.factories import SectionFactory
from tests.pages import caches_on, cold, korean, parse
from tests.stories import Desk, Newsroom

pytestmark = pytest.mark.django_db

Status = Article.Status
FRONT = "/desk/front/"
# The home page once editors curated it, with every cache empty: the section tree, the
# newest stories, the curated slots with their stories, the photos (with renditions) of
# the lead and top stories, most read, the newsletters of the subscribe box. The same as
# before any curation.
HOME_CURATED_QUERIES = 6
# A top section's page once curated: the section tree, the page count, the section's
# stories, the curated slots with their stories, and the photos of all of them; the newest
# stories that fill the empty places are the first page's.
SECTION_CURATED_QUERIES = 5
# Session, user, roles, the top sections, the slots with their stories, the recent changes,
# the desk header's unread notifications.
FRONT_DESK_QUERIES = 7
# ... and the search among published stories.
FRONT_DESK_SEARCH_QUERIES = FRONT_DESK_QUERIES + 1


def ago(**delta):
    return timezone.now().replace(microsecond=0) - timedelta(**delta)


def slots(section=None) -> list[int]:
    """The page's curated story ids, lead first."""
    return list(
        FrontSlot.objects.filter(section=section)
        .order_by("position")
        .values_list("article_id", flat=True)
    )


def ids(stories) -> list[int]:
    return [story.pk for story in stories]


def headlines(element) -> list[str]:
    return [link.text for link in element.select("a", cls="headline-link")]


def page_at(client, path: str):
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return parse(response)


def messages_of(response) -> list[str]:
    return [item.text for item in parse(response).select("li", cls="message")]


# --- curate() -----------------------------------------------------------------------------------


def test_curating_places_the_stories_in_order_and_writes_one_change(editor, desk: Desk):
    first, second, third = desk.many(3)

    changed = workflow.curate(None, actor=editor, story_ids=[third.pk, first.pk, second.pk])

    assert changed is True
    placed = list(FrontSlot.objects.filter(section=None).order_by("position"))
    assert [(slot.position, slot.article_id) for slot in placed] == [
        (0, third.pk),
        (1, first.pk),
        (2, second.pk),
    ]
    change = FrontChange.objects.get()
    assert change.section is None
    assert change.page_name == korean("Home page") == "홈"
    assert change.before == []
    assert change.after == [third.pk, first.pk, second.pk]
    assert change.actor == editor
    assert change.actor_name == "오세훈"


def test_a_second_curation_records_the_order_it_replaced(editor, second_editor, desk: Desk):
    first, second, third = desk.many(3)
    workflow.curate(None, actor=editor, story_ids=[first.pk, second.pk])

    workflow.curate(None, actor=second_editor, story_ids=[third.pk, first.pk])

    assert slots() == [third.pk, first.pk]
    latest = FrontChange.objects.first()  # newest first
    assert (latest.before, latest.after, latest.actor_name) == (
        [first.pk, second.pk],
        [third.pk, first.pk],
        "김하늘",
    )
    assert FrontChange.objects.count() == 2


def test_curating_the_same_order_again_writes_nothing(editor, desk: Desk):
    first, second = desk.many(2)
    workflow.curate(None, actor=editor, story_ids=[first.pk, second.pk])

    changed = workflow.curate(None, actor=editor, story_ids=[first.pk, second.pk])

    assert changed is False
    assert FrontChange.objects.count() == 1
    assert slots() == [first.pk, second.pk]


def test_a_story_named_twice_is_placed_once(editor, desk: Desk):
    first, second = desk.many(2)

    workflow.curate(None, actor=editor, story_ids=[first.pk, second.pk, first.pk])

    assert slots() == [first.pk, second.pk]


def test_emptying_a_page_removes_its_slots_and_records_it(editor, desk: Desk):
    first, second = desk.many(2)
    workflow.curate(None, actor=editor, story_ids=[first.pk, second.pk])

    assert workflow.curate(None, actor=editor, story_ids=[]) is True

    assert slots() == []
    assert FrontChange.objects.first().after == []


@pytest.mark.parametrize("persona", ["reporter", "moderator", "reader"])
def test_only_editors_curate(request, desk: Desk, persona):
    story = desk.story()

    with pytest.raises(NotAllowed):
        workflow.curate(None, actor=request.getfixturevalue(persona), story_ids=[story.pk])

    assert slots() == []
    assert not FrontChange.objects.exists()


@pytest.mark.parametrize(
    "state", [Status.DRAFT, Status.SUBMITTED, Status.SCHEDULED, Status.UNPUBLISHED]
)
def test_only_published_stories_can_be_placed(editor, desk: Desk, state):
    public = desk.story("출고된 기사")
    hidden = desk.story("출고 안 된 기사", state=state)

    with pytest.raises(ValueError, match=r"^출고된 기사만 배치할 수 있습니다\.$") as refusal:
        workflow.curate(None, actor=editor, story_ids=[public.pk, hidden.pk])

    assert str(refusal.value) == korean("Only published stories can be placed on a front page.")
    assert slots() == []
    assert not FrontChange.objects.exists()


def test_a_missing_story_cannot_be_placed(editor, desk: Desk):
    story = desk.story()

    with pytest.raises(ValueError, match="출고된 기사만"):
        workflow.curate(None, actor=editor, story_ids=[story.pk, story.pk + 1000])

    assert slots() == []


@pytest.mark.parametrize(("page", "limit"), [("home", 7), ("section", 5)])
def test_no_more_stories_than_the_page_holds(editor, desk: Desk, newsroom: Newsroom, page, limit):
    section = None if page == "home" else newsroom.industry
    stories = desk.many(limit + 1)
    assert workflow.FRONT_SLOTS[page] == limit

    with pytest.raises(ValueError, match=rf"^이 페이지에는 {limit}건까지 배치할 수 있습니다\.$"):
        workflow.curate(section, actor=editor, story_ids=ids(stories))

    assert slots(section) == []
    workflow.curate(section, actor=editor, story_ids=ids(stories[:limit]))
    assert slots(section) == ids(stories[:limit])


def test_a_subsection_or_a_closed_section_has_no_front_to_curate(
    editor, desk: Desk, newsroom: Newsroom
):
    story = desk.story()
    closed = SectionFactory(name="휴간 섹션", slug="closed", is_active=False)

    for section in (newsroom.electronics, closed):
        with pytest.raises(ValueError, match="홈과 상위 섹션") as refusal:
            workflow.curate(section, actor=editor, story_ids=[story.pk])
        assert str(refusal.value) == korean(
            "Only the home page and top sections' pages are curated."
        )

    assert not FrontSlot.objects.exists()
    assert not FrontChange.objects.exists()


def test_pages_are_curated_independently(editor, desk: Desk, newsroom: Newsroom):
    first, second = desk.many(2)

    workflow.curate(None, actor=editor, story_ids=[first.pk])
    workflow.curate(newsroom.industry, actor=editor, story_ids=[second.pk, first.pk])

    assert slots() == [first.pk]
    assert slots(newsroom.industry) == [second.pk, first.pk]
    assert FrontChange.objects.first().page_name == "기업과산업"


# --- the home page ------------------------------------------------------------------------------


def test_the_home_page_shows_the_curated_lead_then_the_curated_and_newest_stories(
    client, editor, desk: Desk
):
    stories = desk.many(10)  # 기사 001 (oldest) .. 기사 010 (newest)
    chosen = [stories[2], stories[6], stories[0]]
    workflow.curate(None, actor=editor, story_ids=ids(chosen))

    page = page_at(client, "/")

    assert headlines(page.one("article", cls="lead-story")) == ["기사 003"]
    # The curated ones in their order, then the newest not placed yet, six in all.
    assert headlines(page.one("ul", cls="top-stories")) == [
        "기사 007",
        "기사 001",
        "기사 010",
        "기사 009",
        "기사 008",
        "기사 006",
    ]


def test_the_curated_lead_wins_over_the_newest_story_with_a_photo(
    client, editor, desk: Desk, library_photo
):
    photo = library_photo(caption="공장 전경", alt_text="공장 전경")
    plain = desk.story("사진 없는 기사", at=ago(hours=3))
    desk.story(
        "사진 있는 새 기사", at=ago(hours=1), photo_uses=[{"photo": photo.pk, "is_lead": True}]
    )
    workflow.curate(None, actor=editor, story_ids=[plain.pk])

    page = page_at(client, "/")

    lead = page.one("article", cls="lead-story")
    assert headlines(lead) == ["사진 없는 기사"]
    assert lead.select("img") == []
    assert headlines(page.one("ul", cls="top-stories")) == ["사진 있는 새 기사"]


def test_a_curated_story_taken_down_is_skipped_and_the_newest_fills_its_place(
    client, editor, desk: Desk
):
    stories = desk.many(9)
    workflow.curate(None, actor=editor, story_ids=ids([stories[2], stories[4], stories[0]]))
    workflow.unpublish(stories[2], actor=editor, reason="오보")

    page = page_at(client, "/")

    assert headlines(page.one("article", cls="lead-story")) == ["기사 005"]
    assert headlines(page.one("ul", cls="top-stories")) == [
        "기사 001",
        "기사 009",
        "기사 008",
        "기사 007",
        "기사 006",
        "기사 004",
    ]
    assert "기사 003" not in page.text
    # The slot stays: published again, the story leads again.
    assert slots()[0] == stories[2].pk
    workflow.republish(stories[2], actor=editor)
    assert headlines(page_at(client, "/").one("article", cls="lead-story")) == ["기사 003"]


def test_before_any_curation_the_newest_story_with_a_photo_leads(
    client, editor, desk: Desk, newsroom: Newsroom, library_photo
):
    photo = library_photo(caption="여의도", alt_text="여의도")
    desk.story("사진 있는 기사", at=ago(hours=3), photo_uses=[{"photo": photo.pk, "is_lead": True}])
    newer = desk.story("사진 없는 새 기사", at=ago(hours=1), section=newsroom.finance)
    # A section's curation is not the home page's.
    workflow.curate(newsroom.finance, actor=editor, story_ids=[newer.pk])

    page = page_at(client, "/")

    assert headlines(page.one("article", cls="lead-story")) == ["사진 있는 기사"]
    assert headlines(page.one("ul", cls="top-stories")) == ["사진 없는 새 기사"]


def test_emptying_the_home_page_brings_back_the_newest_story_with_a_photo(
    client, editor, desk: Desk, library_photo
):
    photo = library_photo(caption="여의도", alt_text="여의도")
    desk.story("사진 있는 기사", at=ago(hours=3), photo_uses=[{"photo": photo.pk, "is_lead": True}])
    plain = desk.story("사진 없는 기사", at=ago(hours=1))
    workflow.curate(None, actor=editor, story_ids=[plain.pk])
    workflow.curate(None, actor=editor, story_ids=[])

    page = page_at(client, "/")

    assert headlines(page.one("article", cls="lead-story")) == ["사진 있는 기사"]


# --- a top section's page ---------------------------------------------------------------------


def test_a_top_sections_page_has_a_front_only_once_curated(
    client, editor, desk: Desk, newsroom: Newsroom
):
    own = desk.story("산업 기사", section=newsroom.industry, at=ago(hours=5))
    below = [
        desk.story(f"전자 기사 {n}", section=newsroom.electronics, at=ago(hours=4, minutes=-n))
        for n in range(1, 6)
    ]  # 전자 기사 5 is the newest
    desk.story("금융 기사", section=newsroom.finance, at=ago(hours=1))

    assert page_at(client, "/sections/industry/").select("div", cls="section-front") == []

    workflow.curate(newsroom.industry, actor=editor, story_ids=[own.pk, below[0].pk])
    page = page_at(client, "/sections/industry/")

    front = page.one("div", cls="section-front")
    assert headlines(front.one("article", cls="lead-story")) == ["산업 기사"]
    # The curated one, then the newest not placed: the lead and four.
    assert headlines(front.one("ul", cls="section-top")) == [
        "전자 기사 1",
        "전자 기사 5",
        "전자 기사 4",
        "전자 기사 3",
    ]
    # The section's own list is unchanged below it.
    assert len(headlines(page.one("ul", cls="story-list"))) == 6
    # Neither the subsection's page nor the home page takes the section's choice.
    assert (
        page_at(client, "/sections/industry/electronics/").select("div", cls="section-front") == []
    )
    assert headlines(page_at(client, "/").one("article", cls="lead-story")) == ["금융 기사"]


def test_another_sections_page_is_untouched_by_a_curation(
    client, editor, desk: Desk, newsroom: Newsroom
):
    story = desk.story("산업 기사", section=newsroom.industry)
    desk.story("금융 기사", section=newsroom.finance)
    workflow.curate(newsroom.industry, actor=editor, story_ids=[story.pk])

    assert page_at(client, "/sections/finance/").select("div", cls="section-front") == []


# --- the pages' queries -----------------------------------------------------------------------


@pytest.fixture
def pictured(desk: Desk, newsroom: Newsroom, library_photo):
    """`pictured(count)`: stories in 기업과산업, each with a lead photo, oldest first."""
    photo = library_photo(caption="공용 사진", alt_text="공용 사진")

    def make(count: int) -> list[Article]:
        start = ago(hours=1)
        return [
            desk.story(
                f"기사 {number:02d}",
                section=newsroom.industry,
                at=start + timedelta(seconds=number),
                photo_uses=[{"photo": photo.pk, "is_lead": True}],
            )
            for number in range(1, count + 1)
        ]

    return make


@pytest.mark.parametrize("curated", [1, 5])
def test_the_home_page_runs_the_same_queries_however_many_stories_are_curated(
    client, editor, pictured, curated, settings
):
    caches_on(settings)
    stories = pictured(8)
    workflow.curate(None, actor=editor, story_ids=ids(stories[:curated]))

    with CaptureQueriesContext(connection) as queries:
        page = parse(cold(client, "/"))

    assert headlines(page.one("article", cls="lead-story")) == ["기사 01"]
    assert len(queries) == HOME_CURATED_QUERIES


@pytest.mark.parametrize("curated", [1, 5])
def test_a_curated_sections_page_runs_the_same_queries_however_many_are_curated(
    client, editor, pictured, newsroom: Newsroom, curated, settings
):
    caches_on(settings)
    stories = pictured(8)
    workflow.curate(newsroom.industry, actor=editor, story_ids=ids(stories[:curated]))

    with CaptureQueriesContext(connection) as queries:
        page = parse(cold(client, "/sections/industry/"))

    assert headlines(page.one("div", cls="section-front").one("article")) == ["기사 01"]
    assert len(queries) == SECTION_CURATED_QUERIES


# --- the desk's page: /desk/front/ ------------------------------------------------------------


def test_the_front_desk_sends_anonymous_visitors_to_log_in(anonymous):
    response = anonymous.get(FRONT)

    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={FRONT}"


@pytest.mark.parametrize("persona", ["reader", "reporter", "moderator"])
def test_the_front_desk_is_refused_to_everyone_but_editors(client, request, desk: Desk, persona):
    story = desk.story()
    client.force_login(request.getfixturevalue(persona))

    assert client.get(FRONT).status_code == 403
    response = client.post(FRONT, {"page": "home", "op": f"lead:{story.pk}"})

    assert response.status_code == 403
    assert slots() == []


def test_an_unknown_page_or_a_subsection_is_not_found(client, editor, newsroom: Newsroom):
    client.force_login(editor)

    assert client.get(FRONT, {"page": "999999"}).status_code == 404
    assert client.get(FRONT, {"page": newsroom.electronics.pk}).status_code == 404
    assert client.get(FRONT, {"page": newsroom.industry.pk}).status_code == 200


def front_form(response):
    return parse(response).one("form", cls="front-form")


def press(client, op: str, *, page: str = "home", q: str = ""):
    """Press the button `op` on the page as it is now: post the form's hidden fields (the
    page, the search and the order) with that button, as the browser does."""
    form = front_form(client.get(FRONT, {"page": page, "q": q}))
    buttons = form.select("button", name="op", value=op)
    assert buttons, f"no button {op}"
    data: dict[str, list[str]] = {}
    for field in form.select("input", type="hidden"):
        data.setdefault(field.attrs["name"], []).append(field.attrs["value"])
    data["op"] = [op]
    return client.post(FRONT, data, follow=True)


@pytest.fixture
def placed(editor, desk: Desk):
    """Three stories on the home page (A, B, C) and one more published (D); the editor is
    signed in."""

    def make(client):
        stories = dict(zip("ABCD", desk.many(4, prefix="배치"), strict=True))
        workflow.curate(None, actor=editor, story_ids=ids(stories[k] for k in "ABC"))
        client.force_login(editor)
        return stories

    return make


@pytest.mark.parametrize(
    ("op", "query", "expected"),
    [
        ("lead:C", "", "CAB"),
        ("up:B", "", "BAC"),
        ("down:B", "", "ACB"),
        ("remove:B", "", "AC"),
        ("add:D", "배치", "ABCD"),
        ("lead:D", "배치", "DABC"),
    ],
)
def test_each_button_of_the_front_desk_changes_the_order_and_the_history(
    client, placed, op, query, expected
):
    stories = placed(client)
    action, key = op.split(":")

    response = press(client, f"{action}:{stories[key].pk}", q=query)

    assert response.redirect_chain[-1][0] == f"{FRONT}?{urlencode({'page': 'home', 'q': query})}"
    assert slots() == [stories[name].pk for name in expected]
    assert FrontChange.objects.count() == 2
    assert FrontChange.objects.first().after == slots()
    assert korean("The front page was changed.") in messages_of(response)
    shown = [link.text for link in front_form(response).select("a", cls="desk-headline")]
    assert shown == [stories[name].headline for name in expected]


def test_the_lead_has_no_lead_or_up_button_and_the_last_no_down_button(client, placed):
    stories = placed(client)

    form = front_form(client.get(FRONT))

    ops = [button.attrs["value"] for button in form.select("button", name="op")]
    a, b, c = (stories[key].pk for key in "ABC")
    assert ops == [
        f"down:{a}",
        f"remove:{a}",
        f"lead:{b}",
        f"up:{b}",
        f"down:{b}",
        f"remove:{b}",
        f"lead:{c}",
        f"up:{c}",
        f"remove:{c}",
    ]
    assert "is-lead" in form.select("li", cls="front-slot")[0].attrs["class"]


def test_a_full_page_refuses_another_story_with_a_message(client, editor, desk: Desk):
    stories = desk.many(8, prefix="배치")
    workflow.curate(None, actor=editor, story_ids=ids(stories[:7]))
    client.force_login(editor)

    response = press(client, f"add:{stories[7].pk}", q="배치 008")

    assert "이 페이지에는 7건까지 배치할 수 있습니다." in messages_of(response)
    assert slots() == ids(stories[:7])
    assert FrontChange.objects.count() == 1


def test_a_top_sections_page_is_curated_from_its_tab(client, editor, desk: Desk, newsroom):
    story = desk.story("산업 톱", section=newsroom.industry)
    client.force_login(editor)

    tabs = parse(client.get(FRONT)).one("nav", cls="page-tabs")
    assert [(a.text, a.attrs["href"]) for a in tabs.select("a")] == [
        ("홈", "?page=home"),
        ("기업과산업", f"?page={newsroom.industry.pk}"),
        ("금융", f"?page={newsroom.finance.pk}"),
    ]
    press(client, f"lead:{story.pk}", page=str(newsroom.industry.pk), q="산업")

    assert slots(newsroom.industry) == [story.pk]
    assert slots() == []
    assert FrontChange.objects.get().section == newsroom.industry


def test_the_search_finds_published_stories_by_headline_and_never_a_draft(
    client, editor, desk: Desk
):
    desk.story("반도체 수출 증가", at=ago(hours=2))
    placed = desk.story("반도체 공장 증설", at=ago(hours=1))
    desk.story("금리 동결")
    for state in (Status.DRAFT, Status.SUBMITTED, Status.SCHEDULED, Status.UNPUBLISHED):
        desk.story(f"반도체 {state} 기사", state=state)
    workflow.curate(None, actor=editor, story_ids=[placed.pk])
    client.force_login(editor)

    response = client.get(FRONT, {"q": "반도체"})

    results = parse(response).one("ul", cls="desk-list")
    # Already placed stories are not offered again.
    assert [row.one("span", cls="desk-headline").text for row in results.select("li")] == [
        "반도체 수출 증가"
    ]
    nothing = parse(client.get(FRONT, {"q": "없는 낱말"})).one("ul", cls="desk-list")
    assert nothing.text == korean("No other published story has those words in its headline.")


@pytest.mark.parametrize("count", [1, 7])
def test_the_front_desk_runs_the_same_queries_whatever_its_slots(
    client, editor, desk: Desk, django_assert_num_queries, count
):
    stories = desk.many(count + 3, prefix="배치")
    workflow.curate(None, actor=editor, story_ids=ids(stories[:count]))
    client.force_login(editor)

    with django_assert_num_queries(FRONT_DESK_QUERIES):
        response = client.get(FRONT)
    with django_assert_num_queries(FRONT_DESK_SEARCH_QUERIES):
        client.get(FRONT, {"q": "배치"})

    assert len(front_form(response).select("li", cls="front-slot")) == count


def test_the_front_desk_lists_recent_changes_with_who_made_them(client, editor, desk: Desk):
    first, second = desk.many(2)
    workflow.curate(None, actor=editor, story_ids=[first.pk, second.pk])
    client.force_login(editor)

    history = parse(client.get(FRONT)).one("ul", cls="history")

    assert [item.text.split(" · ", 1)[1] for item in history.select("li")] == ["오세훈 · 2건 배치"]


def test_a_forged_order_is_refused_with_a_message_not_an_error(client, editor, desk: Desk):
    story = desk.story()
    client.force_login(editor)

    response = client.post(
        FRONT,
        {"page": "home", "story": [str(story.pk), "x1", "-3", "99999999"], "op": "up:x"},
        follow=True,
    )

    assert response.status_code == 200
    assert korean("That story cannot be found.") in messages_of(response)
    assert slots() == []


def test_an_oversized_id_is_refused_with_a_message_not_an_error(client, editor, desk: Desk):
    story = desk.story()
    client.force_login(editor)

    response = client.post(
        FRONT,
        {"page": "home", "story": [str(story.pk)], "op": f"add:{10**23}"},
        follow=True,
    )

    assert response.status_code == 200
    assert slots() == []


def test_a_placed_story_taken_down_is_flagged_on_the_desk_and_can_be_removed(
    client, editor, desk: Desk
):
    first, gone = desk.many(2, prefix="배치")
    workflow.curate(None, actor=editor, story_ids=ids([first, gone]))
    workflow.unpublish(gone, actor=editor, reason="오보")
    client.force_login(editor)

    rows = front_form(client.get(FRONT)).select("li", cls="front-slot")
    assert korean("not public: skipped") == "비공개: 건너뜀"
    assert [("비공개: 건너뜀" in row.text) for row in rows] == [False, True]

    press(client, f"remove:{gone.pk}")

    assert slots() == [first.pk]


def test_a_placed_story_taken_down_later_does_not_block_other_changes(client, editor, desk: Desk):
    first, gone, last = desk.many(3, prefix="배치")
    workflow.curate(None, actor=editor, story_ids=ids([first, gone, last]))
    workflow.unpublish(gone, actor=editor, reason="오보")
    client.force_login(editor)

    press(client, f"lead:{last.pk}")

    public = [pk for pk in slots() if pk != gone.pk]
    assert public == [last.pk, first.pk]


def test_a_change_made_from_a_page_another_editor_changed_since_is_refused(
    client, editor, second_editor, desk: Desk
):
    first, second = desk.many(2, prefix="경쟁")
    client.force_login(editor)
    # Both editors look at the empty home page; the second editor places a story first.
    workflow.curate(None, actor=second_editor, story_ids=[second.pk], shown=[])

    response = client.post(FRONT, {"page": "home", "op": f"add:{first.pk}"}, follow=True)

    assert slots() == [second.pk]  # the other editor's change is kept
    assert korean(
        "Another editor changed this page after you opened it. Here it is as it is now: "
        "make your change again."
    ) in messages_of(response)


def test_a_story_moved_to_another_section_leaves_its_old_sections_front(
    client, editor, desk: Desk, newsroom: Newsroom
):
    moved = desk.story("옮겨질 기사", section=newsroom.industry, at=ago(hours=3))
    desk.story("남는 기사", section=newsroom.industry, at=ago(hours=2))
    workflow.curate(newsroom.industry, actor=editor, story_ids=[moved.pk])

    edit(moved, actor=editor, section=newsroom.finance.pk)

    front = page_at(client, "/sections/industry/").one("div", cls="section-front")
    assert headlines(front.one("article", cls="lead-story")) == ["남는 기사"]
