"""The story's history page on the desk: who may open it, the timeline of every transition
with who and when, the revisions and the words that changed between two of them, and
restoring a revision as a new one (through the workflow, stale pages refused)."""

from datetime import timedelta

import pytest
from django.urls import reverse

from articles import workflow
from articles.errors import StaleVersion
from articles.models import Article, ArticleEvent, Revision
from tests.articles.conftest import edit, events_of
from tests.pages import korean, parse

pytestmark = pytest.mark.django_db

Status = Article.Status
# Session, user, the user's roles, the story; the events' count and page; the revisions
# (without their content); the two compared contents. The same for 2 or 30 revisions, for
# the editor and for the reporter who wrote the story. And the desk header's unread count.
HISTORY_QUERIES = 9


def history_url(story: Article, query: str = "") -> str:
    return reverse("story_desk:history", args=[story.pk]) + query


def fresh(story: Article) -> Article:
    story.refresh_from_db()
    return story


def messages_of(response) -> list[str]:
    return [item.text for item in parse(response).select("li", cls="message")]


def restore(client, story: Article, number: int, *, base_version: int | None = None):
    return client.post(
        history_url(story),
        {
            "restore": number,
            "base_version": fresh(story).version if base_version is None else base_version,
        },
        follow=True,
    )


def diff_of(response, label: str):
    """The diff block of the field shown under this label."""
    for block in parse(response).select("div", cls="diff-field"):
        if block.one("h3").text == label:
            return block
    raise AssertionError(f"no diff for {label}")


def marked(block, tag: str) -> list[str]:
    return [element.text for element in block.select(tag)]


# --- who may open it ----------------------------------------------------------------------------


def test_anonymous_visitor_is_sent_to_log_in(anonymous, story_in):
    story = story_in(Status.DRAFT)

    for method in ("get", "post"):
        response = getattr(anonymous, method)(history_url(story))
        assert response.status_code == 302
        assert response["Location"] == f"/accounts/login/?next={history_url(story)}"


def test_reader_and_moderator_are_refused(client, reader, moderator, story_in):
    story = story_in(Status.DRAFT)

    for person in (reader, moderator):
        client.force_login(person)
        assert client.get(history_url(story)).status_code == 403
        assert client.post(history_url(story), {"restore": 1}).status_code == 403
    assert fresh(story).version == 1


def test_another_reporters_story_is_not_found(client, reporter, other_reporter, story_in):
    story = story_in(Status.DRAFT, author=other_reporter)
    client.force_login(reporter)

    assert client.get(history_url(story)).status_code == 404
    assert client.post(history_url(story), {"restore": 1, "base_version": 1}).status_code == 404
    assert fresh(story).version == 1


def test_the_reporter_opens_the_history_of_their_own_story(client, reporter, story_in):
    story = story_in(Status.SUBMITTED)
    client.force_login(reporter)

    response = client.get(history_url(story))

    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"]
    assert parse(response).one("h1").text == "기사 변경 기록"


@pytest.mark.parametrize("state", [Status.DRAFT, Status.SUBMITTED, Status.UNPUBLISHED])
def test_an_editor_opens_the_history_of_any_story(client, editor, story_in, state):
    story = story_in(state)
    client.force_login(editor)

    assert client.get(history_url(story)).status_code == 200


def test_the_story_editor_links_to_the_history(client, reporter, story_in):
    story = story_in(Status.DRAFT)
    client.force_login(reporter)

    page = parse(client.get(reverse("story_desk:edit", args=[story.pk])))

    assert history_url(story) in page.one("p", cls="story-state").links()


# --- the timeline -------------------------------------------------------------------------------


def test_the_timeline_lists_every_transition_with_who_and_when_newest_first(
    client, reporter, editor, section, clock
):
    story = workflow.create(actor=reporter, section=section, headline="반도체 수출 석 달째 증가")
    clock.shift(timedelta(minutes=10))
    workflow.submit(story, actor=reporter)
    clock.shift(timedelta(minutes=20))
    workflow.return_for_changes(story, actor=editor, note="출처를 밝혀 주세요.")
    clock.shift(timedelta(minutes=5))
    edit(story, actor=reporter, headline="반도체 수출 석 달째 증가세")
    workflow.submit(story, actor=reporter)
    clock.shift(timedelta(minutes=30))
    workflow.publish(story, actor=editor)
    client.force_login(reporter)

    rows = parse(client.get(history_url(story))).select("li", cls="event-row")

    assert [row.text for row in rows] == [
        "2025-03-03 10:05 오세훈 출고 출고 요청 → 출고",
        "2025-03-03 09:35 한지민 출고 요청 반려 → 출고 요청",
        "2025-03-03 09:35 한지민 저장",
        "2025-03-03 09:30 오세훈 반려 출고 요청 → 반려 출처를 밝혀 주세요.",
        "2025-03-03 09:10 한지민 출고 요청 작성 중 → 출고 요청",
        "2025-03-03 09:00 한지민 작성 작성 중",
    ]
    assert rows[0].one("time").attrs["datetime"] == "2025-03-03T10:05:00+09:00"
    assert len(rows) == ArticleEvent.objects.filter(article=story).count()


def test_a_scheduled_story_shows_the_time_it_was_set_for(client, editor, story_in, clock):
    story = story_in(Status.SCHEDULED)
    client.force_login(editor)

    row = parse(client.get(history_url(story))).select("li", cls="event-row")[0]

    assert "출고 예약" in row.text
    assert "지정 시각 2025-03-04 09:00" in row.text


def test_the_scheduler_shows_as_the_system(client, editor, story_in):
    story = story_in(Status.SUBMITTED)
    workflow.publish(story, actor=None)
    client.force_login(editor)

    row = parse(client.get(history_url(story))).select("li", cls="event-row")[0]

    assert row.one("span", cls="event-who").text == "시스템"


def test_a_long_timeline_is_paged_fifty_at_a_time(client, editor, story_in):
    story = story_in(Status.DRAFT)
    for number in range(55):
        edit(story, actor=editor, summary=f"요약 {number}")
    client.force_login(editor)

    first = parse(client.get(history_url(story)))
    second = parse(client.get(history_url(story, "?page=2")))

    assert len(first.select("li", cls="event-row")) == 50
    assert len(second.select("li", cls="event-row")) == 6
    assert "?page=2" in first.one("nav", cls="pagination").links()


# --- revisions and their differences ------------------------------------------------------------


def test_the_revisions_list_who_saved_when_and_why(client, reporter, editor, story_in, clock):
    story = story_in(Status.DRAFT)
    clock.shift(timedelta(minutes=7))
    edit(story, actor=editor, headline="반도체 수출 넉 달째 증가")
    client.force_login(reporter)

    rows = parse(client.get(history_url(story))).select("li", cls="revision-row")

    assert [row.one("div", cls="revision-main").text for row in rows] == [
        "#2 현재 저장 오세훈 · 2025-03-03 09:07",
        "#1 작성 한지민 · 2025-03-03 09:00",
    ]


def test_the_newest_two_revisions_are_compared_with_added_and_removed_words_marked(
    client, editor, story_in
):
    story = story_in(Status.DRAFT)
    edit(
        story,
        actor=editor,
        headline="반도체 수출 넉 달째 증가",
        body="<p>반도체 수출이 넉 달째 늘었다.</p><p>정부는 지원을 늘린다.</p>",
        tags=["반도체"],
    )
    client.force_login(editor)

    response = client.get(history_url(story))

    page = parse(response)
    assert page.one("h2", id="compare-heading").text == "차이: #1 → #2"
    headline = diff_of(response, "제목")
    assert marked(headline, "del") == ["석"]
    assert marked(headline, "ins") == ["넉"]
    assert "<p>반도체 수출 <del>석</del><ins>넉</ins> 달째 증가</p>" in response.text
    body = diff_of(response, "본문")
    assert marked(body, "del") == ["석"]
    assert marked(body, "ins") == ["넉", "정부는 지원을 늘린다."]
    assert "<p>" not in "".join(marked(body, "ins"))
    assert marked(diff_of(response, "태그"), "ins") == ["반도체"]
    # The pair compared is the one checked.
    assert page.one("input", name="from", checked=True).attrs["value"] == "1"
    assert page.one("input", name="to", checked=True).attrs["value"] == "2"


def test_any_two_revisions_can_be_compared(client, editor, story_in):
    story = story_in(Status.DRAFT)
    edit(story, actor=editor, subheadline="첫 부제")
    edit(story, actor=editor, subheadline="")
    client.force_login(editor)

    emptied = client.get(history_url(story, "?from=2&to=3"))
    across = client.get(history_url(story, "?from=1&to=3"))
    backwards = client.get(history_url(story, "?from=3&to=2"))

    assert marked(diff_of(emptied, "부제"), "del") == ["첫 부제"]
    assert marked(diff_of(emptied, "부제"), "ins") == []
    assert parse(across).select("div", cls="diff-field") == []
    assert korean("No differences.") in across.text
    assert marked(diff_of(backwards, "부제"), "ins") == ["첫 부제"]


def test_an_unknown_revision_number_falls_back_to_the_newest_two(client, editor, story_in):
    story = story_in(Status.DRAFT)
    edit(story, actor=editor, summary="요약")
    client.force_login(editor)

    response = client.get(history_url(story, "?from=99&to=abc"))

    assert response.status_code == 200
    assert parse(response).one("h2", id="compare-heading").text == "차이: #1 → #2"


def test_a_story_with_one_revision_has_nothing_to_compare(client, reporter, story_in):
    story = story_in(Status.DRAFT)
    client.force_login(reporter)

    response = client.get(history_url(story))

    assert korean("There is only one revision so far.") in response.text
    assert parse(response).select("details", cls="restore-step") == []


# --- restoring --------------------------------------------------------------------------------


def test_restoring_brings_back_a_revision_as_a_new_one(client, reporter, editor, story_in):
    story = story_in(Status.DRAFT)
    edit(story, actor=reporter, headline="잘못 고친 제목", tags=["오류"])
    client.force_login(editor)

    response = restore(client, story, 1)

    assert response.redirect_chain == [(history_url(story), 302)]
    assert messages_of(response) == ["1판을 되살렸습니다."]
    story = fresh(story)
    assert story.headline == "반도체 수출 석 달째 증가"
    assert story.version == 3
    assert list(story.tags.all()) == []
    newest = Revision.objects.get(article=story, number=3)
    assert (newest.reason, newest.created_by) == ("restored #1", editor)
    assert [event.action for event in events_of(story)][-1] == "saved"
    assert ArticleEvent.objects.filter(article=story).count() == 3
    # The page now compares the restored text with the one it replaced.
    assert marked(diff_of(response, "제목"), "ins") == ["반도체 수출 석 달째 증가"]
    assert "1판에서 되살림" in parse(response).select("li", cls="revision-row")[0].text


def test_each_older_revision_offers_a_restore_step_the_current_one_none(client, editor, story_in):
    story = story_in(Status.DRAFT)
    edit(story, actor=editor, summary="요약")
    edit(story, actor=editor, summary="요약 둘")
    client.force_login(editor)

    rows = parse(client.get(history_url(story))).select("li", cls="revision-row")

    offered = [bool(row.select("details", cls="restore-step")) for row in rows]
    assert offered == [False, True, True]
    form = rows[1].one("form")
    assert form.attrs["method"] == "post"
    assert form.one("input", name="restore").attrs["value"] == "2"
    assert form.one("input", name="base_version").attrs["value"] == "3"


def test_a_reporter_restores_their_own_draft(client, reporter, story_in):
    story = story_in(Status.DRAFT)
    edit(story, actor=reporter, summary="요약")
    client.force_login(reporter)

    restore(client, story, 1)

    assert fresh(story).summary == ""
    assert fresh(story).version == 3


def test_a_reporter_cannot_restore_a_submitted_story(client, reporter, editor, story_in):
    story = story_in(Status.DRAFT)
    edit(story, actor=reporter, summary="요약")
    workflow.submit(story, actor=reporter)
    client.force_login(reporter)

    page = parse(client.get(history_url(story)))
    response = client.post(history_url(story), {"restore": 1, "base_version": 2})

    assert page.select("details", cls="restore-step") == []
    assert response.status_code == 403
    story = fresh(story)
    assert (story.version, story.summary, story.status) == (2, "요약", Status.SUBMITTED)
    assert Revision.objects.filter(article=story).count() == 2


def test_a_restore_from_a_stale_page_is_refused_with_who_saved_in_between(
    client, editor, second_editor, story_in
):
    story = story_in(Status.DRAFT)
    edit(story, actor=editor, summary="요약")
    opened_at = fresh(story).version
    edit(story, actor=second_editor, summary="다른 편집자의 요약")
    client.force_login(editor)

    response = restore(client, story, 1, base_version=opened_at)

    story = fresh(story)
    expected = StaleVersion(saved_by="김하늘", saved_at=story.last_saved_at, submitted={})
    assert messages_of(response) == [str(expected)]
    assert (story.version, story.summary) == (3, "다른 편집자의 요약")
    assert Revision.objects.filter(article=story).count() == 3


def test_restoring_what_the_story_already_says_writes_nothing(client, editor, story_in):
    story = story_in(Status.DRAFT)
    edit(story, actor=editor, summary="요약")
    edit(story, actor=editor, summary="")
    client.force_login(editor)

    response = restore(client, story, 1)

    assert messages_of(response) == ["1판은 지금 기사와 같아 되살릴 것이 없습니다."]
    assert fresh(story).version == 3


@pytest.mark.parametrize("number", ["99", "abc", ""])
def test_restoring_an_unknown_revision_is_not_found(client, editor, story_in, number):
    story = story_in(Status.DRAFT)
    client.force_login(editor)

    response = client.post(history_url(story), {"restore": number, "base_version": 1})

    assert response.status_code == 404
    assert fresh(story).version == 1


def test_a_revision_of_another_story_cannot_be_restored_here(client, editor, story_in):
    story, other = story_in(Status.DRAFT), story_in(Status.DRAFT)
    edit(other, actor=editor, headline="다른 기사")
    client.force_login(editor)

    response = client.post(history_url(story), {"restore": 2, "base_version": 1})

    assert response.status_code == 404
    assert fresh(story).headline == "반도체 수출 석 달째 증가"


# --- queries and escaping --------------------------------------------------------------------


@pytest.mark.parametrize("saves", [1, 29])
def test_the_page_costs_the_same_queries_for_2_or_30_revisions(
    client, editor, reporter, story_in, django_assert_num_queries, saves
):
    story = story_in(Status.DRAFT)
    for number in range(saves):
        edit(story, actor=reporter, headline=f"반도체 수출 {number}달째 증가")
    assert Revision.objects.filter(article=story).count() == saves + 1

    client.force_login(editor)
    with django_assert_num_queries(HISTORY_QUERIES):
        assert client.get(history_url(story)).status_code == 200
    client.force_login(reporter)
    with django_assert_num_queries(HISTORY_QUERIES):
        assert client.get(history_url(story)).status_code == 200


def test_html_in_a_headline_and_a_note_is_shown_as_text(client, reporter, editor, story_in):
    story = story_in(Status.DRAFT)
    edit(story, actor=reporter, headline='<script>alert("제목")</script>')
    workflow.submit(story, actor=reporter)
    workflow.return_for_changes(story, actor=editor, note='<img src=x onerror="alert(1)">')
    client.force_login(editor)

    response = client.get(history_url(story))

    assert "<script>alert" not in response.text
    assert "<img src=x" not in response.text
    assert "&lt;script&gt;alert(&quot;제목&quot;)&lt;/script&gt;" in response.text
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in response.text
    assert marked(diff_of(response, "제목"), "ins") == ['<script>alert("제목")</script>']
