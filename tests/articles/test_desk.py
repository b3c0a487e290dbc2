"""The reporter's desk through the test client: who may open what, the dashboard's panels,
the story editor and its buttons, photos, autosave, the edit lock, the preview, the
editor's CSP nonce and the staff profile page."""

import re
from datetime import datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import AccountEvent, StaffProfile
from articles import sanitize, workflow
from articles.forms import initial_from
from articles.models import (
    Article,
    AutosaveDraft,
    Correction,
    Notification,
    NotificationKind,
    PhotoUse,
    Revision,
)
from comments import moderation
from newsroom.models import OutboxMessage
from tests.articles.conftest import SEOUL, edit, events_of
from tests.pages import korean, parse

pytestmark = pytest.mark.django_db

Status = Article.Status
DASHBOARD = "/desk/"
NEW = "/desk/articles/new/"
PROFILE = "/desk/profile/"
# The dashboard for a signed-in reporter, whatever the length of its panels: session, user,
# the user's roles, the planning board's assignments, the panel counts (one query), each of
# the five panels' page, the published stories' comment counts, and the desk header's unread
# notifications.
DASHBOARD_QUERIES = 12
# The preview of a draft: the desk's checks plus the reader's page (its stored share card
# and the subscribe box's newsletters included), in a fixed number.
PREVIEW_QUERIES = 12


def edit_url(story: Article) -> str:
    return reverse("story_desk:edit", args=[story.pk])


def autosave_url(story: Article) -> str:
    return reverse("story_desk:autosave", args=[story.pk])


def release_url(story: Article) -> str:
    return reverse("story_desk:release", args=[story.pk])


def preview_url(story: Article) -> str:
    return reverse("story_desk:preview", args=[story.pk])


def story_urls(story: Article) -> list[tuple[str, str]]:
    """Every desk address of one story, with the method the desk's page uses on it."""
    return [
        ("get", edit_url(story)),
        ("post", edit_url(story)),
        ("get", preview_url(story)),
        ("post", autosave_url(story)),
        ("post", release_url(story)),
    ]


def posted(story: Article, **changes) -> dict:
    """What the editor's form posts for the story as it is saved now, with `changes` typed
    over it (photo rows included, under their keys)."""
    story.refresh_from_db()
    initial, rows = initial_from(story)
    data = {
        name: "" if initial[name] is None else initial[name]
        for name in (
            "headline",
            "subheadline",
            "summary",
            "body",
            "share_title",
            "share_description",
            "comment_mode",
            "section",
            "series",
            "series_ordinal",
            "tags",
            "guest_bylines",
            "base_version",
        )
    }
    data["extra_sections"] = initial["extra_sections"]
    for slot in (1, 2, 3):
        data[f"byline_{slot}"] = initial.get(f"byline_{slot}") or ""
    data["photo"] = [row["key"] for row in rows]
    data["lead_photo"] = next((row["key"] for row in rows if row["entry"]["is_lead"]), "")
    for row in rows:
        key, entry = row["key"], row["entry"]
        data[f"photo-{key}-caption"] = entry["caption"]
        data[f"photo-{key}-credit"] = entry["credit"]
        data[f"photo-{key}-alt"] = entry["alt_text"]
    data.update(changes)
    return data


def new_story(section, author, /, **changes) -> dict:
    """What the empty editor posts once the writer has typed a story."""
    return {
        "headline": "반도체 수출 석 달째 증가",
        "subheadline": "",
        "summary": "",
        "body": "<p>반도체 수출이 석 달째 늘었다.</p>",
        "section": section.pk,
        "tags": "반도체, 수출",
        "guest_bylines": "",
        "share_title": "",
        "share_description": "",
        "comment_mode": "inherit",
        "base_version": 1,
        "byline_1": author.staff_profile.pk,
        **changes,
    }


def buttons(response) -> list[str]:
    """The actions of the editor's submit buttons, in page order."""
    return [button.attrs["value"] for button in parse(response).select("button", name="action")]


def form_values(response) -> dict:
    """What the editor's form would post again as the page shows it (its buttons aside)."""
    form = parse(response).one("form", id="story-form")
    values = {
        element.attrs["name"]: element.attrs.get("value", "")
        for element in form.select("input")
        if "name" in element.attrs and element.attrs.get("type") != "radio"
    }
    values["photo"] = [element.attrs["value"] for element in form.select("input", name="photo")]
    values["lead_photo"] = [
        element.attrs["value"] for element in form.select("input", name="lead_photo", checked=True)
    ]
    for area in form.select("textarea"):
        values[area.attrs["name"]] = "".join(
            child for child in area.children if isinstance(child, str)
        ).removeprefix("\n")
    for select in form.select("select"):
        chosen = [option.attrs["value"] for option in select.select("option", selected=True)]
        values[select.attrs["name"]] = chosen if "multiple" in select.attrs else chosen[0]
    return values


def messages_of(response) -> list[str]:
    return [item.text for item in parse(response).select("li", cls="message")]


def note_refusal(response, field: str) -> str:
    """The refusal said under a step's note, which the editor shows open (see the template
    articles/desk/includes/step_note.html)."""
    page = parse(response)
    note = page.one("textarea", id=field)
    assert note.attrs["aria-invalid"] == "true"
    assert any(element.tag == "details" and "open" in element.attrs for element in note.ancestors())
    return page.one("p", id=f"{field}-error").text


def fresh(story: Article) -> Article:
    story.refresh_from_db()
    return story


def lock_text(who: str, when: datetime) -> str:
    with translation.override("ko"):
        return translation.gettext(
            "%(who)s has been editing this story since %(when)s. You may go on, but save "
            "with care: the later save will be refused until you compare."
        ) % {"who": who, "when": timezone.localtime(when).strftime("%H:%M")}


# --- who may open what ------------------------------------------------------------------------


def test_anonymous_visitor_is_sent_to_log_in_from_every_desk_address(anonymous, story_in):
    story = story_in(Status.DRAFT)

    for method, path in [("get", DASHBOARD), ("get", NEW), *story_urls(story)]:
        response = getattr(anonymous, method)(path)
        assert response.status_code == 302, (method, path)
        assert response["Location"] == f"/accounts/login/?next={path}"
    assert fresh(story).version == 1
    assert fresh(story).editing_by is None


def test_reader_is_refused_every_desk_address(client, reader, story_in):
    story = story_in(Status.DRAFT)
    client.force_login(reader)

    for method, path in [("get", DASHBOARD), ("get", NEW), ("post", NEW), *story_urls(story)]:
        assert getattr(client, method)(path).status_code == 403, (method, path)
    assert Article.objects.count() == 1
    assert not AutosaveDraft.objects.exists()


def test_moderator_sees_a_dashboard_without_story_panels_and_a_notice(client, moderator, story_in):
    story_in(Status.DRAFT)
    client.force_login(moderator)

    response = client.get(DASHBOARD)

    assert response.status_code == 200
    page = parse(response)
    assert page.select("section", cls="desk-panel") == []
    assert (
        korean("Your roles do not include writing stories. Use the menu above for what you may do.")
        in response.text
    )
    assert "댓글 관리자" in page.one("span", cls="badge").text
    # Nor is the editor offered where it would be refused.
    assert 'href="/desk/articles/new/"' not in response.text


def test_moderator_is_refused_the_editor_and_every_story_address(client, moderator, story_in):
    story = story_in(Status.SUBMITTED)
    client.force_login(moderator)

    for method, path in [("get", NEW), ("post", NEW), *story_urls(story)]:
        assert getattr(client, method)(path).status_code == 403, (method, path)
    assert fresh(story).editing_by is None


def test_another_reporters_story_is_not_found_at_any_of_its_addresses(
    client, reporter, other_reporter, story_in
):
    story = story_in(Status.DRAFT, author=other_reporter)
    client.force_login(reporter)

    for method, path in story_urls(story):
        data = posted(story, headline="남의 기사") if method == "post" else None
        assert getattr(client, method)(path, data).status_code == 404, (method, path)
    story = fresh(story)
    assert story.headline == "반도체 수출 석 달째 증가"
    assert story.version == 1
    assert not AutosaveDraft.objects.exists()


@pytest.mark.parametrize(
    "state",
    [
        Status.DRAFT,
        Status.SUBMITTED,
        Status.RETURNED,
        Status.SCHEDULED,
        Status.PUBLISHED,
        Status.UNPUBLISHED,
    ],
)
def test_editor_opens_any_reporters_story_in_any_state(client, editor, story_in, state):
    story = story_in(state)
    client.force_login(editor)

    response = client.get(edit_url(story))

    assert response.status_code == 200
    assert "disabled" not in parse(response).one("fieldset", cls="editor-layout").attrs
    assert "save" in buttons(response)
    assert client.get(preview_url(story)).status_code == 200


def test_reporters_own_submitted_story_opens_read_only(client, reporter, story_in):
    story = story_in(Status.SUBMITTED)
    client.force_login(reporter)

    response = client.get(edit_url(story))

    assert response.status_code == 200
    page = parse(response)
    assert "disabled" in page.one("fieldset", cls="editor-layout").attrs
    assert buttons(response) == []
    assert (
        korean(
            "This story is with the editors. You can read it here and preview it; it opens for "
            "changes again if it is returned to you."
        )
        in response.text
    )
    # A read-only page neither autosaves nor takes the edit lock.
    assert "data-autosave-url" not in response.text
    assert fresh(story).editing_by is None


def test_reporters_post_to_their_submitted_story_is_refused_and_changes_nothing(
    client, reporter, story_in
):
    story = story_in(Status.SUBMITTED)
    client.force_login(reporter)

    response = client.post(edit_url(story), posted(story, headline="몰래 고친 제목"))

    assert response.status_code == 403
    story = fresh(story)
    assert story.headline == "반도체 수출 석 달째 증가"
    assert story.status == Status.SUBMITTED
    assert story.version == 1
    assert [event.action for event in events_of(story)] == ["created", "submit"]


# --- the dashboard ------------------------------------------------------------------------------


def headlines(response, panel: str) -> list[str]:
    box = parse(response).one("section", id=panel)
    return [link.text for link in box.select("a", cls="desk-headline")]


def test_returned_stories_show_the_editors_note_and_a_red_count(client, reporter, desk_story):
    desk_story("첫 반려 기사", Status.RETURNED, note="출처를 밝혀 주세요.")
    desk_story("둘째 반려 기사", Status.RETURNED, note="숫자를 다시 확인해 주세요.")
    client.force_login(reporter)

    response = client.get(DASHBOARD)

    page = parse(response)
    badge = page.one("h1").one("span", cls="badge-alert")
    assert badge.text == "2"
    box = page.one("section", id="returned")
    assert box.one("span", cls="count").text == "2"
    assert [
        (row.one("a", cls="desk-headline").text, row.one("p", cls="return-note").text)
        for row in box.select("li", cls="desk-row")
    ] == [
        ("둘째 반려 기사", "데스크 의견: 숫자를 다시 확인해 주세요."),
        ("첫 반려 기사", "데스크 의견: 출처를 밝혀 주세요."),
    ]


def test_without_returned_stories_there_is_no_red_count(client, reporter, story_in):
    story_in(Status.DRAFT)
    client.force_login(reporter)

    page = parse(client.get(DASHBOARD))

    assert page.one("h1").select("span", cls="badge-alert") == []


def test_each_panel_lists_its_stories_newest_first(client, reporter, desk_story):
    for state in (Status.DRAFT, Status.SUBMITTED, Status.PUBLISHED, Status.RETURNED):
        desk_story(f"{state} 1", state)
        desk_story(f"{state} 2", state)
    client.force_login(reporter)

    response = client.get(DASHBOARD)

    assert headlines(response, "drafts") == ["draft 2", "draft 1"]
    assert headlines(response, "submitted") == ["submitted 2", "submitted 1"]
    assert headlines(response, "returned") == ["returned 2", "returned 1"]
    assert headlines(response, "published") == ["published 2", "published 1"]
    assert headlines(response, "scheduled") == []
    assert "해당 기사가 없습니다." in parse(response).one("section", id="scheduled").text


def test_scheduled_stories_are_listed_latest_publication_first(client, reporter, desk_story):
    desk_story("목요일 기사", Status.SCHEDULED, at=timezone.now() + timedelta(days=3))
    desk_story("화요일 기사", Status.SCHEDULED, at=timezone.now() + timedelta(days=1))
    desk_story("수요일 기사", Status.SCHEDULED, at=timezone.now() + timedelta(days=2))
    client.force_login(reporter)

    response = client.get(DASHBOARD)

    assert headlines(response, "scheduled") == ["목요일 기사", "수요일 기사", "화요일 기사"]


def test_a_scheduled_story_shows_when_it_will_be_published(client, reporter, desk_story, clock):
    desk_story("내일 나갈 기사", Status.SCHEDULED, at=datetime(2025, 3, 4, 10, 30, tzinfo=SEOUL))
    client.force_login(reporter)

    box = parse(client.get(DASHBOARD)).one("section", id="scheduled")

    time = box.one("time")
    assert time.text == "2025-03-04 10:30"
    assert time.attrs["datetime"] == "2025-03-04T10:30:00+09:00"
    assert "출고 예약" in box.one("span", cls="desk-meta").text


def test_a_published_story_links_to_its_public_page(client, reporter, desk_story, clock):
    story = desk_story("나간 기사", Status.PUBLISHED)
    client.force_login(reporter)

    box = parse(client.get(DASHBOARD)).one("section", id="published")

    assert box.one("time").text == timezone.localtime(story.published_at).strftime("%Y-%m-%d %H:%M")
    assert story.get_absolute_url() in box.links()
    assert preview_url(story) not in box.links()


def test_another_reporters_stories_never_appear_on_the_dashboard(
    client, reporter, other_reporter, story_in
):
    for state in (Status.DRAFT, Status.SUBMITTED, Status.RETURNED, Status.SCHEDULED):
        story_in(state, author=other_reporter)
    story_in(Status.PUBLISHED, author=other_reporter)
    client.force_login(reporter)

    response = client.get(DASHBOARD)

    page = parse(response)
    assert [
        box.one("span", cls="count").text for box in page.select("section", cls="desk-panel")
    ] == ["0"] * 6  # the five panels of stories and the planning board's assignments
    assert page.select("a", cls="desk-headline") == []


def test_a_story_the_reporter_is_only_bylined_on_appears_on_their_dashboard(
    client, reporter, other_reporter, section
):
    workflow.create(
        actor=other_reporter,
        section=section,
        headline="공동 취재 기사",
        bylines=[
            {"profile": other_reporter.staff_profile.pk},
            {"profile": reporter.staff_profile.pk},
        ],
    )
    client.force_login(reporter)

    response = client.get(DASHBOARD)

    assert headlines(response, "drafts") == ["공동 취재 기사"]


def test_each_panel_pages_on_its_own_ten_to_a_page(client, reporter, desk_story):
    for number in range(1, 13):
        desk_story(f"초고 {number:02d}", Status.DRAFT)
    desk_story("검토 기사", Status.SUBMITTED)
    client.force_login(reporter)

    first = client.get(DASHBOARD)
    second = client.get(DASHBOARD, {"drafts": "2"})

    assert headlines(first, "drafts") == [f"초고 {n:02d}" for n in range(12, 2, -1)]
    assert headlines(second, "drafts") == ["초고 02", "초고 01"]
    assert headlines(second, "submitted") == ["검토 기사"]
    nav = parse(first).one("section", id="drafts").one("nav", cls="pagination")
    assert nav.one("a", rel="next").attrs["href"] == "?drafts=2#drafts"
    assert "2쪽 중 1쪽" in nav.text
    back = parse(second).one("section", id="drafts").one("nav", cls="pagination")
    assert back.one("a", rel="prev").attrs["href"] == "?drafts=1#drafts"
    assert back.select("a", rel="next") == []
    # A page past the end, or not a number, shows a page that exists.
    assert headlines(client.get(DASHBOARD, {"drafts": "9"}), "drafts") == ["초고 02", "초고 01"]
    assert headlines(client.get(DASHBOARD, {"drafts": "x"}), "drafts")[0] == "초고 12"


@pytest.mark.parametrize("per_panel", [1, 25])
def test_the_dashboard_runs_the_same_number_of_queries_however_full_its_panels(
    client, reporter, desk_story, django_assert_num_queries, per_panel
):
    for state in (Status.RETURNED, Status.DRAFT, Status.SUBMITTED, Status.SCHEDULED):
        for number in range(per_panel):
            desk_story(f"{state} {number}", state)
    for number in range(per_panel):
        desk_story(f"published {number}", Status.PUBLISHED)
    client.force_login(reporter)

    with django_assert_num_queries(DASHBOARD_QUERIES):
        response = client.get(DASHBOARD)

    assert response.status_code == 200
    assert len(parse(response).select("a", cls="desk-headline")) == 5 * min(per_panel, 10)


def test_the_dashboard_shows_each_published_storys_visible_comments(
    client, reporter, reader, desk_story
):
    talked_about = desk_story("댓글 많은 기사", Status.PUBLISHED)
    desk_story("조용한 기사", Status.PUBLISHED)
    reader.nickname = "독자1"
    reader.save(update_fields=["nickname"])
    moderation.post_comment(talked_about, author=reader, body="좋은 기사입니다.")
    client.force_login(reporter)

    panel = parse(client.get(DASHBOARD)).one("section", id="published")

    counts = [link.text for link in panel.select("a", cls="comment-count")]
    assert counts == ["댓글 0", "댓글 1"]  # newest first


# --- a new story --------------------------------------------------------------------------------


def test_a_new_story_is_saved_as_a_draft_with_the_reporters_byline(client, reporter, section):
    client.force_login(reporter)

    response = client.post(NEW, new_story(section, reporter))

    [story] = Article.objects.all()
    assert response.status_code == 302
    assert response["Location"] == edit_url(story)
    assert story.status == Status.DRAFT
    assert story.headline == "반도체 수출 석 달째 증가"
    assert story.created_by == reporter
    assert [b.profile.user for b in story.bylines.all()] == [reporter]
    assert sorted(story.tags.values_list("name", flat=True)) == ["반도체", "수출"]
    assert [event.action for event in events_of(story)] == ["created"]
    assert story.revisions.count() == 1
    assert "저장했습니다." in messages_of(client.get(response["Location"]))


def test_the_empty_editor_offers_the_reporters_own_byline(client, reporter):
    client.force_login(reporter)

    response = client.get(NEW)

    assert response.status_code == 200
    page = parse(response)
    selected = page.one("select", name="byline_1").one("option", selected=True)
    assert selected.attrs["value"] == str(reporter.staff_profile.pk)
    assert buttons(response) == ["save", "submit"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [({"headline": ""}, "headline"), ({"section": ""}, "section")],
)
def test_a_new_story_without_headline_or_section_is_not_saved_and_keeps_the_text(
    client, reporter, section, changes, field
):
    client.force_login(reporter)
    data = new_story(section, reporter, summary="요약을 미리 써 두었다", **changes)

    response = client.post(NEW, data)

    assert not Article.objects.exists()
    assert parse(response).one("ul", id=f"id_{field}_error").text == "필수 항목입니다."
    values = form_values(response)
    assert values["summary"] == "요약을 미리 써 두었다"
    assert values["body"] == "<p>반도체 수출이 석 달째 늘었다.</p>"


@pytest.mark.parametrize(
    "changes",
    [{"headline": ""}, {"section": ""}, {"share_title": "가" * 71}],
    ids=["no-headline", "no-section", "long-share-title"],
)
def test_a_refused_new_story_answers_400(client, reporter, section, changes):
    client.force_login(reporter)

    response = client.post(NEW, new_story(section, reporter, **changes))

    assert response.status_code == 400
    assert not Article.objects.exists()


def test_a_double_click_on_save_for_a_new_story_makes_one_draft(client, reporter, section):
    client.force_login(reporter)

    page_key = form_values(client.get(NEW))["draft_key"]

    first = client.post(NEW, new_story(section, reporter, draft_key=page_key))
    second = client.post(NEW, new_story(section, reporter, draft_key=page_key))

    story = Article.objects.get()
    assert first["Location"] == second["Location"] == edit_url(story)
    assert Revision.objects.filter(article=story).count() == 1


def test_save_and_submit_on_a_new_story_creates_and_submits_it(client, reporter, section):
    client.force_login(reporter)

    response = client.post(NEW, new_story(section, reporter, action="submit"), follow=True)

    [story] = Article.objects.all()
    assert story.status == Status.SUBMITTED
    assert [event.action for event in events_of(story)] == ["created", "submit"]
    assert response.redirect_chain == [(DASHBOARD, 302)]
    assert korean("Submitted for review. An editor will look at it.") in messages_of(response)
    assert headlines(response, "submitted") == ["반도체 수출 석 달째 증가"]


def test_a_share_title_over_seventy_characters_is_refused_and_the_text_kept(
    client, reporter, section
):
    client.force_login(reporter)
    long_title = "가" * 71

    response = client.post(NEW, new_story(section, reporter, share_title=long_title))

    assert not Article.objects.exists()
    assert form_values(response)["share_title"] == long_title
    assert "이 값이 최대 70 개의 글자인지 확인하세요(입력값 71 자)." in response.text


# --- editing --------------------------------------------------------------------------------


def test_saving_changes_the_story_with_one_revision_and_one_history_row(client, reporter, story_in):
    story = story_in(Status.DRAFT)
    client.force_login(reporter)

    response = client.post(edit_url(story), posted(story, headline="반도체 수출 넉 달째 증가"))

    assert response.status_code == 302
    assert response["Location"] == edit_url(story)
    story = fresh(story)
    assert story.headline == "반도체 수출 넉 달째 증가"
    assert story.version == 2
    assert list(story.revisions.values_list("number", flat=True)) == [2, 1]
    assert [(e.action, e.data) for e in events_of(story)][1:] == [
        ("saved", {"version": 2, "changed": ["headline"]})
    ]
    page = client.get(response["Location"])
    assert "저장했습니다." in messages_of(page)
    assert form_values(page)["base_version"] == "2"


def test_a_stale_save_is_refused_with_the_writers_text_kept_and_saves_on_the_second_try(
    client, reporter, editor, story_in
):
    story = story_in(Status.DRAFT)
    opened_at = posted(story)  # the reporter opens the editor at version 1
    edit(story, actor=editor, headline="데스크가 고친 제목")
    client.force_login(reporter)

    response = client.post(
        edit_url(story), {**opened_at, "headline": "기자가 고친 제목", "summary": "기자의 요약"}
    )

    assert response.status_code == 409
    story = fresh(story)
    assert story.headline == "데스크가 고친 제목"
    assert story.summary == ""
    assert story.version == 2
    values = form_values(response)
    assert values["headline"] == "기자가 고친 제목"
    assert values["summary"] == "기자의 요약"
    assert values["base_version"] == "2"
    assert any("오세훈 님이" in message for message in messages_of(response))
    assert parse(response).select("div", cls="conflict")

    again = client.post(edit_url(story), {**values, "action": "save"})

    assert again.status_code == 302
    story = fresh(story)
    assert (story.headline, story.summary, story.version) == ("기자가 고친 제목", "기자의 요약", 3)


def test_the_same_save_posted_twice_writes_one_revision(client, reporter, story_in):
    story = story_in(Status.DRAFT)
    client.force_login(reporter)
    data = posted(story, headline="반도체 수출 넉 달째 증가")

    first = client.post(edit_url(story), data)
    second = client.post(edit_url(story), data)

    assert (first.status_code, second.status_code) == (302, 302)
    story = fresh(story)
    assert story.version == 2
    assert story.revisions.count() == 2
    assert [e.action for e in events_of(story)] == ["created", "saved"]


def test_the_same_save_with_a_new_photo_posted_twice_is_not_a_conflict(
    client, reporter, story_in, photo
):
    story = story_in(Status.DRAFT)
    client.force_login(reporter)
    data = posted(
        story,
        body='<p>본문</p><figure data-photo-use="new-a1"></figure>',
        photo=["new-a1"],
        **{"photo-new-a1-photo": photo.pk, "photo-new-a1-caption": "서울광장"},
    )

    first = client.post(edit_url(story), data)
    second = client.post(edit_url(story), data)

    assert first.status_code == 302
    assert story.revisions.count() == 2
    assert PhotoUse.objects.filter(article=story).count() == 1
    assert second.status_code == 302


def test_the_same_submit_posted_twice_by_the_reporter_ends_on_the_dashboard(
    client, reporter, story_in
):
    story = story_in(Status.DRAFT)
    client.force_login(reporter)
    data = posted(story, action="submit")

    first = client.post(edit_url(story), data)
    second = client.post(edit_url(story), data)

    assert first.status_code == 302
    assert [e.action for e in events_of(story)] == ["created", "submit"]
    assert (second.status_code, second.get("Location")) == (302, DASHBOARD)


def test_the_body_is_stored_without_scripts_event_attributes_or_javascript_links(
    client, reporter, story_in
):
    story = story_in(Status.DRAFT)
    client.force_login(reporter)
    body = (
        "<p>수출이 늘었다.<script>alert(1)</script></p>"
        '<p><img src="x" onerror="alert(2)">사진</p>'
        '<p><a href="javascript:alert(3)">링크</a> <b onclick="alert(4)">굵게</b></p>'
    )

    client.post(edit_url(story), posted(story, body=body))

    stored = fresh(story).body
    for unsafe in ("<script", "alert(", "onerror", "onclick", "javascript:", "<img"):
        assert unsafe not in stored
    assert "수출이 늘었다." in stored
    assert "<b>굵게</b>" in stored
    assert ">링크</a>" in stored


def test_a_headline_with_markup_is_shown_escaped_on_the_dashboard_and_in_the_editor(
    client, reporter, story_in
):
    story = story_in(Status.DRAFT)
    client.force_login(reporter)
    headline = '<script>alert("x")</script> 반도체'
    client.post(edit_url(story), posted(story, headline=headline))
    assert fresh(story).headline == headline

    for response in (client.get(DASHBOARD), client.get(edit_url(story))):
        assert '<script>alert("x")' not in response.text
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; 반도체" in response.text
    assert headlines(client.get(DASHBOARD), "drafts") == [headline]


# --- buttons by role and state ------------------------------------------------------------------


def test_reporter_on_their_own_draft_may_save_and_submit_only(client, reporter, story_in):
    story = story_in(Status.DRAFT)
    client.force_login(reporter)

    response = client.get(edit_url(story))

    assert buttons(response) == ["save", "submit"]
    assert 'name="publish_at"' not in response.text
    assert 'name="return_note"' not in response.text


def test_reporter_on_a_returned_story_sees_the_note_and_may_resubmit(client, reporter, story_in):
    story = story_in(Status.RETURNED)
    client.force_login(reporter)

    response = client.get(edit_url(story))

    assert buttons(response) == ["save", "submit"]
    note = parse(response).one("div", cls="return-note")
    assert note.text == "데스크 의견: 출처를 밝혀 주세요."


def test_editor_on_a_submitted_story_may_publish_schedule_and_return(client, editor, story_in):
    story = story_in(Status.SUBMITTED)
    client.force_login(editor)

    response = client.get(edit_url(story))

    assert buttons(response) == ["save", "publish", "schedule", "return"]
    page = parse(response)
    assert page.one("input", name="publish_at").attrs["type"] == "datetime-local"
    assert page.one("textarea", name="return_note")


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        (Status.SCHEDULED, ["save", "publish", "schedule", "cancel_schedule", "return"]),
        (Status.PUBLISHED, ["save", "correct", "unpublish"]),
        (Status.UNPUBLISHED, ["save", "republish"]),
    ],
)
def test_editor_buttons_follow_the_state_of_the_story(client, editor, story_in, state, expected):
    story = story_in(state)
    client.force_login(editor)

    assert buttons(client.get(edit_url(story))) == expected


def test_a_reporter_forging_a_publish_is_refused_and_nothing_is_saved(client, reporter, story_in):
    story = story_in(Status.DRAFT)
    client.force_login(reporter)

    response = client.post(edit_url(story), posted(story, headline="몰래 출고", action="publish"))

    assert response.status_code == 400
    story = fresh(story)
    assert (story.status, story.headline, story.version) == (
        Status.DRAFT,
        "반도체 수출 석 달째 증가",
        1,
    )
    assert form_values(response)["headline"] == "몰래 출고"


def test_return_without_a_note_is_refused_and_the_save_rolled_back(client, editor, story_in):
    story = story_in(Status.SUBMITTED)
    client.force_login(editor)
    enqueued = OutboxMessage.objects.count()  # the submit's notification to the editors

    response = client.post(
        edit_url(story),
        posted(story, headline="데스크 수정 제목", action="return", return_note=" "),
    )

    assert response.status_code == 400
    assert note_refusal(response, "return-note") == "기자에게 고칠 점을 알려 주세요."
    story = fresh(story)
    assert story.status == Status.SUBMITTED
    assert story.headline == "반도체 수출 석 달째 증가"
    assert story.version == 1
    assert [e.action for e in events_of(story)] == ["created", "submit"]
    assert form_values(response)["headline"] == "데스크 수정 제목"
    assert not Notification.objects.filter(kind=NotificationKind.RETURNED).exists()
    assert OutboxMessage.objects.count() == enqueued


def test_return_with_a_note_reaches_the_reporters_dashboard_and_inbox(
    client, reporter, editor, story_in, django_capture_on_commit_callbacks
):
    story = story_in(Status.SUBMITTED)
    client.force_login(editor)

    with django_capture_on_commit_callbacks() as after_commit:
        response = client.post(
            edit_url(story), posted(story, action="return", return_note="제목을 줄여 주세요.")
        )
    # The e-mail waits for the commit.
    assert mail.outbox == []
    for callback in after_commit:
        callback()

    assert response.status_code == 302
    story = fresh(story)
    assert story.status == Status.RETURNED
    assert story.return_note == "제목을 줄여 주세요."
    assert [(e.action, e.note) for e in events_of(story)][-1] == ("return", "제목을 줄여 주세요.")
    [message] = mail.outbox
    assert message.to == [reporter.email]
    # A headline often holds quotes of its own: it stands on its own line, unquoted.
    assert "기사: 반도체 수출 석 달째 증가\n의견: 제목을 줄여 주세요." in message.body
    assert '"' not in message.body
    client.force_login(reporter)
    box = parse(client.get(DASHBOARD)).one("section", id="returned")
    assert box.one("p", cls="return-note").text == "데스크 의견: 제목을 줄여 주세요."


def test_editor_publishes_a_submitted_story(client, editor, story_in, clock):
    story = story_in(Status.SUBMITTED)
    client.force_login(editor)

    response = client.post(edit_url(story), posted(story, action="publish"), follow=True)

    story = fresh(story)
    assert story.status == Status.PUBLISHED
    assert story.published_at == timezone.now()
    assert "출고했습니다." in messages_of(response)
    assert client.get(story.get_absolute_url()).status_code == 200


def test_editor_schedules_a_story_for_a_korean_time(client, editor, story_in, clock):
    story = story_in(Status.SUBMITTED)
    client.force_login(editor)

    response = client.post(
        edit_url(story), posted(story, action="schedule", publish_at="2025-03-04T10:30")
    )

    assert response.status_code == 302
    story = fresh(story)
    assert story.status == Status.SCHEDULED
    assert story.scheduled_publish_at == datetime(2025, 3, 4, 10, 30, tzinfo=SEOUL)
    page = parse(client.get(edit_url(story)))
    assert page.one("input", name="publish_at").attrs["value"] == "2025-03-04T10:30"


@pytest.mark.parametrize(
    ("publish_at", "message"),
    [
        ("2025-03-03T08:59", "Choose a time in the future."),
        ("", "Choose the date and time to publish."),
    ],
)
def test_a_schedule_in_the_past_or_without_a_time_is_refused(
    client, editor, story_in, clock, publish_at, message
):
    story = story_in(Status.SUBMITTED)
    client.force_login(editor)

    response = client.post(
        edit_url(story),
        posted(story, headline="예약 실패", action="schedule", publish_at=publish_at),
    )

    assert response.status_code == 400
    assert korean(message) in messages_of(response)
    story = fresh(story)
    assert (story.status, story.scheduled_publish_at, story.version) == (
        Status.SUBMITTED,
        None,
        1,
    )


def test_taking_a_story_down_needs_an_internal_reason(client, editor, story_in):
    story = story_in(Status.PUBLISHED)
    client.force_login(editor)

    refused = client.post(edit_url(story), posted(story, action="unpublish"))

    assert refused.status_code == 400
    assert note_refusal(refused, "unpublish-note") == "출고를 취소하는 내부 사유를 쓰세요."
    assert fresh(story).status == Status.PUBLISHED

    done = client.post(
        edit_url(story),
        posted(
            story, action="unpublish", unpublish_note="명예훼손 소지", public_note="내렸습니다."
        ),
    )

    assert done.status_code == 302
    story = fresh(story)
    assert story.status == Status.UNPUBLISHED
    assert story.unpublish_reason == "명예훼손 소지"
    public = client.get(story.get_absolute_url())
    assert public.status_code == 410
    assert "명예훼손 소지" not in public.text


def test_a_correction_needs_a_note_and_then_is_published_under_the_story(client, editor, story_in):
    story = story_in(Status.PUBLISHED)
    client.force_login(editor)

    refused = client.post(edit_url(story), posted(story, headline="정정 제목", action="correct"))

    assert refused.status_code == 400
    assert note_refusal(refused, "correct-note") == "독자에게 보일 정정 내용을 쓰세요."
    story = fresh(story)
    assert (story.headline, story.version) == ("반도체 수출 석 달째 증가", 1)
    assert not Correction.objects.exists()

    done = client.post(
        edit_url(story),
        posted(story, headline="정정 제목", action="correct", correct_note="수치를 바로잡습니다."),
    )

    assert done.status_code == 302
    [correction] = Correction.objects.all()
    assert (correction.article, correction.note, correction.created_by) == (
        story,
        "수치를 바로잡습니다.",
        editor,
    )
    story = fresh(story)
    assert story.headline == "정정 제목"
    assert [(e.action, e.note) for e in events_of(story)][-1] == (
        "corrected",
        "수치를 바로잡습니다.",
    )
    assert "수치를 바로잡습니다." in client.get(story.get_absolute_url()).text


def test_editor_publishes_a_story_that_was_taken_down_again(client, editor, story_in):
    story = story_in(Status.UNPUBLISHED)
    client.force_login(editor)

    response = client.post(edit_url(story), posted(story, action="republish"))

    assert response.status_code == 302
    story = fresh(story)
    assert story.status == Status.PUBLISHED
    assert story.unpublish_reason == ""
    assert client.get(story.get_absolute_url()).status_code == 200


# --- photos -------------------------------------------------------------------------------------


def test_a_photo_chosen_before_saving_becomes_the_storys_own_with_its_caption(
    client, reporter, story_in, photo
):
    story = story_in(Status.DRAFT)
    client.force_login(reporter)
    data = posted(
        story,
        body='<p>광장에 시민이 모였다.</p><figure data-photo-use="new-a1"></figure>',
        photo=["new-a1"],
        **{
            "photo-new-a1-photo": str(photo.pk),
            "photo-new-a1-caption": "3일 서울광장에 모인 시민들",
            "photo-new-a1-credit": "한지민 기자",
            "photo-new-a1-alt": "광장에 모인 시민들",
        },
    )

    response = client.post(edit_url(story), data)

    assert response.status_code == 302
    [use] = PhotoUse.objects.filter(article=story)
    assert use.photo == photo
    assert (use.caption, use.credit, use.alt_text) == (
        "3일 서울광장에 모인 시민들",
        "한지민 기자",
        "광장에 모인 시민들",
    )
    assert not use.is_lead
    assert fresh(story).body == "<p>광장에 시민이 모였다.</p>" + sanitize.placeholder(use.pk)
    # The editor shows the saved row under its id from now on.
    again = client.get(edit_url(story))
    assert form_values(again)[f"photo-{use.pk}-caption"] == "3일 서울광장에 모인 시민들"


def test_a_new_photo_marked_as_lead_becomes_the_lead_photo(client, reporter, story_in, photo):
    story = story_in(Status.DRAFT)
    client.force_login(reporter)

    client.post(
        edit_url(story),
        posted(
            story,
            photo=["new-a1"],
            lead_photo="new-a1",
            **{"photo-new-a1-photo": photo.pk, "photo-new-a1-caption": photo.caption},
        ),
    )

    [use] = PhotoUse.objects.filter(article=story)
    assert use.is_lead
    assert use.caption == "서울시청 앞 광장"
    page = parse(client.get(edit_url(story)))
    assert page.one("input", name="lead_photo", checked=True).attrs["value"] == str(use.pk)


def lead_and_in_the_text(story: Article, actor, photo) -> tuple[PhotoUse, PhotoUse]:
    """The same photo as the story's lead and in its text: two uses, a caption each."""
    story = workflow.save(
        story,
        actor=actor,
        base_version=story.version,
        content={
            "photo_uses": [
                {"photo": photo.pk, "is_lead": True, "caption": "평택 공장 전경"},
                {"photo": photo.pk, "caption": "3일 준공식이 열린 평택 공장"},
            ]
        },
    )
    lead, in_text = story.photo_uses.order_by("-is_lead")
    workflow.save(
        story,
        actor=actor,
        base_version=story.version,
        content={"body": f"<p>본문</p>{sanitize.placeholder(in_text.pk)}"},
    )
    return lead, in_text


def uses_listed(response) -> list[tuple[str, str]]:
    """Each photo of the editor's list: its uses, each as (where it appears, caption)."""
    return [
        [
            (use.one("p", cls="photo-use-label").text, use.one("textarea").text)
            for use in group.select("li", cls="photo-row")
        ]
        for group in parse(response).one("ul", cls="photo-rows").select("li", cls="photo-group")
    ]


def test_a_photo_used_as_lead_and_in_the_text_is_listed_once_with_a_caption_per_use(
    client, reporter, story_in, photo
):
    story = story_in(Status.DRAFT)
    lead, in_text = lead_and_in_the_text(story, reporter, photo)
    client.force_login(reporter)

    page = client.get(edit_url(story))

    assert uses_listed(page) == [
        [("대표 사진", "평택 공장 전경"), ("본문 사진", "3일 준공식이 열린 평택 공장")]
    ]
    assert len(parse(page).one("ul", cls="photo-rows").select("div", cls="photo-row-thumb")) == 1
    # Saved again as shown, each use keeps its own caption.
    values = form_values(page)
    assert values["photo"] == [str(lead.pk), str(in_text.pk)]
    assert client.post(edit_url(story), values).status_code == 302
    assert dict(PhotoUse.objects.values_list("pk", "caption")) == {
        lead.pk: "평택 공장 전경",
        in_text.pk: "3일 준공식이 열린 평택 공장",
    }


def test_a_photo_neither_the_lead_nor_in_the_text_says_so(client, reporter, story_in, photo):
    story = story_in(Status.DRAFT)
    lead_and_in_the_text(story, reporter, photo)
    client.force_login(reporter)

    response = client.post(
        edit_url(story), posted(story, body="<p>사진을 뺀 본문</p>", lead_photo="", headline="")
    )

    assert response.status_code == 400  # the headline is missing: the page is drawn again
    nowhere = "기사에 나오지 않음"
    assert uses_listed(response) == [
        [(nowhere, "평택 공장 전경"), (nowhere, "3일 준공식이 열린 평택 공장")]
    ]


def test_a_placeholder_for_a_photo_that_is_not_the_storys_is_dropped(
    client, reporter, editor, section, story_in, photo
):
    elsewhere = workflow.create(
        actor=editor,
        section=section,
        headline="다른 기사",
        photo_uses=[{"photo": photo.pk}],
    )
    foreign = elsewhere.photo_uses.get().pk
    story = story_in(Status.DRAFT)
    client.force_login(reporter)

    client.post(
        edit_url(story),
        posted(
            story,
            body=(
                f'<p>본문</p><figure data-photo-use="{foreign}"></figure>'
                '<figure data-photo-use="new-zz"></figure><p>끝</p>'
            ),
        ),
    )

    assert fresh(story).body == "<p>본문</p><p>끝</p>"
    assert not PhotoUse.objects.filter(article=story).exists()


def test_a_chosen_photo_that_does_not_exist_is_refused_and_nothing_saved(
    client, reporter, story_in
):
    story = story_in(Status.DRAFT)
    client.force_login(reporter)

    response = client.post(
        edit_url(story),
        posted(
            story,
            headline="사진과 함께 저장",
            photo=["new-a1"],
            **{"photo-new-a1-photo": "987654"},
        ),
    )

    assert response.status_code == 400
    errors = parse(response).one("div", cls="form-errors")
    assert errors.text == "고른 사진이 사진 보관함에 더는 없습니다."
    story = fresh(story)
    assert (story.headline, story.version) == ("반도체 수출 석 달째 증가", 1)
    assert not PhotoUse.objects.exists()
    assert form_values(response)["headline"] == "사진과 함께 저장"


def test_a_new_story_with_a_missing_photo_is_not_created(client, reporter, section):
    client.force_login(reporter)

    response = client.post(
        NEW, new_story(section, reporter, photo=["new-a1"], **{"photo-new-a1-photo": "987654"})
    )

    assert "고른 사진이 사진 보관함에 더는 없습니다." in response.text
    assert not Article.objects.exists()


# --- autosave -------------------------------------------------------------------------------


def test_autosave_keeps_the_fields_aside_and_never_touches_the_story(
    client, reporter, story_in, clock
):
    story = story_in(Status.DRAFT)
    client.force_login(reporter)
    clock.shift(timedelta(minutes=5))

    response = client.post(autosave_url(story), posted(story, headline="아직 저장 안 한 제목"))

    assert response.status_code == 200
    answer = response.json()
    assert answer["message"] == "09:05:00 자동 저장됨"
    assert answer["saved_at"] == "09:05:00"
    assert answer["lock"] == ""
    draft = AutosaveDraft.objects.get(article=story, user=reporter)
    assert draft.content["fields"]["headline"] == ["아직 저장 안 한 제목"]
    assert draft.content["fields"]["body"] == ["<p>반도체 수출이 석 달째 늘었다.</p>"]
    assert draft.base_version == 1
    after = fresh(story)
    assert (after.headline, after.version, after.last_saved_at) == (
        "반도체 수출 석 달째 증가",
        1,
        story.last_saved_at,
    )
    assert Revision.objects.filter(article=story).count() == 1
    assert [e.action for e in events_of(story)] == ["created"]


def test_the_editor_offers_to_restore_an_autosave_newer_than_the_saved_story(
    client, reporter, story_in, clock
):
    story = story_in(Status.DRAFT)
    client.force_login(reporter)
    clock.shift(timedelta(minutes=5))
    client.post(autosave_url(story), posted(story, headline="자동 저장된 제목"))

    response = client.get(edit_url(story))

    offer = parse(response).one("form", cls="autosave-offer")
    assert "2025-03-03 09:05:00에 자동 저장된 내용이 저장된 기사보다 새롭습니다." in offer.text
    assert "?restore=autosave" in offer.links()
    # The editor itself still shows the saved story until the writer asks for the copy.
    assert form_values(response)["headline"] == "반도체 수출 석 달째 증가"


def test_no_restore_is_offered_once_the_story_was_saved_after_the_autosave(
    client, reporter, editor, story_in, clock
):
    story = story_in(Status.DRAFT)
    client.force_login(reporter)
    clock.shift(timedelta(minutes=5))
    client.post(autosave_url(story), posted(story, headline="자동 저장된 제목"))
    clock.shift(timedelta(minutes=5))
    edit(story, actor=editor, summary="데스크가 요약을 달았다")

    response = client.get(edit_url(story))

    assert parse(response).select("form", cls="autosave-offer") == []
    assert AutosaveDraft.objects.filter(user=reporter).exists()


def test_restoring_the_autosave_shows_its_text_in_the_editor(client, reporter, story_in, clock):
    story = story_in(Status.DRAFT)
    client.force_login(reporter)
    clock.shift(timedelta(minutes=5))
    client.post(
        autosave_url(story), posted(story, headline="자동 저장된 제목", body="<p>쓰던 본문</p>")
    )

    response = client.get(edit_url(story), {"restore": "autosave"})

    values = form_values(response)
    assert values["headline"] == "자동 저장된 제목"
    assert values["body"] == "<p>쓰던 본문</p>"
    assert values["base_version"] == "1"
    assert korean("The autosaved copy is back in the editor. Save to keep it.") in messages_of(
        response
    )
    assert fresh(story).headline == "반도체 수출 석 달째 증가"
    # Saving the restored copy keeps it and clears the autosave.
    client.post(edit_url(story), {**values, "action": "save"})
    assert fresh(story).headline == "자동 저장된 제목"
    assert not AutosaveDraft.objects.exists()


def test_discarding_the_autosave_removes_it(client, reporter, story_in, clock):
    story = story_in(Status.DRAFT)
    client.force_login(reporter)
    clock.shift(timedelta(minutes=5))
    client.post(autosave_url(story), posted(story, headline="버릴 제목"))

    response = client.post(edit_url(story), {"action": "discard_autosave"}, follow=True)

    assert response.redirect_chain == [(edit_url(story), 302)]
    assert not AutosaveDraft.objects.exists()
    assert "자동 저장본을 버렸습니다." in messages_of(response)
    assert parse(response).select("form", cls="autosave-offer") == []
    assert fresh(story).version == 1


def test_readers_other_reporters_and_a_submitted_story_cannot_be_autosaved(
    client, reader, reporter, other_reporter, story_in
):
    story = story_in(Status.DRAFT)
    submitted = story_in(Status.SUBMITTED)

    client.force_login(reader)
    assert client.post(autosave_url(story), posted(story)).status_code == 403
    client.force_login(other_reporter)
    assert client.post(autosave_url(story), posted(story)).status_code == 404
    client.force_login(reporter)
    assert client.post(autosave_url(submitted), posted(submitted)).status_code == 403
    assert client.get(autosave_url(story)).status_code == 405
    assert not AutosaveDraft.objects.exists()


# --- the edit lock ------------------------------------------------------------------------------


def test_the_editor_warns_who_else_opened_the_story_in_the_last_fifteen_minutes(
    client, editor, second_editor, story_in, clock
):
    story = story_in(Status.SUBMITTED)
    client.force_login(second_editor)
    client.get(edit_url(story))
    opened = timezone.now()
    clock.shift(timedelta(minutes=14))
    client.force_login(editor)

    response = client.get(edit_url(story))

    notice = parse(response).one("p", data_lock_message=True)
    assert "hidden" not in notice.attrs
    assert notice.text == lock_text("김하늘", opened)
    assert "김하늘 님이 09:00부터 이 기사를 편집하고 있습니다." in notice.text
    assert fresh(story).editing_by == second_editor


def test_the_warning_lapses_after_fifteen_minutes(client, editor, second_editor, story_in, clock):
    story = story_in(Status.SUBMITTED)
    client.force_login(second_editor)
    client.get(edit_url(story))
    clock.shift(timedelta(minutes=16))
    client.force_login(editor)

    response = client.get(edit_url(story))

    assert "hidden" in parse(response).one("p", data_lock_message=True).attrs
    assert fresh(story).editing_by == editor


def test_autosave_answers_with_the_lock_warning_too(client, editor, second_editor, story_in, clock):
    story = story_in(Status.SUBMITTED)
    client.force_login(second_editor)
    client.get(edit_url(story))
    clock.shift(timedelta(minutes=3))
    client.force_login(editor)

    answer = client.post(autosave_url(story), posted(story)).json()

    assert answer["lock"] == lock_text("김하늘", datetime(2025, 3, 3, 9, 0, tzinfo=SEOUL))


def test_leaving_the_editor_releases_the_lock(client, editor, second_editor, story_in, clock):
    story = story_in(Status.SUBMITTED)
    client.force_login(second_editor)
    client.get(edit_url(story))

    assert client.post(release_url(story)).status_code == 204

    assert fresh(story).editing_by is None
    client.force_login(editor)
    assert "hidden" in parse(client.get(edit_url(story))).one("p", data_lock_message=True).attrs


# --- preview --------------------------------------------------------------------------------


@pytest.mark.parametrize("state", [Status.DRAFT, Status.RETURNED, Status.SUBMITTED])
@pytest.mark.parametrize("viewer", ["reporter", "editor"])
def test_the_preview_shows_the_reader_page_never_cached_nor_indexed(
    request, client, story_in, state, viewer
):
    story = story_in(state)
    client.force_login(request.getfixturevalue(viewer))

    response = client.get(preview_url(story))

    assert response.status_code == 200
    assert response.templates[0].name == "articles/article.html"
    page = parse(response)
    banner = page.one("p", cls="preview-banner")
    assert banner.text.startswith(
        f"미리보기: 독자에게는 보이지 않는 화면입니다. 기사 상태: {story.get_status_display()}."
    )
    assert edit_url(story) in banner.links()
    assert page.one("h1").text == "반도체 수출 석 달째 증가"
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"no-cache", "no-store", "private"} <= cache_control
    assert "noindex" in response["X-Robots-Tag"]
    assert '<meta name="robots" content="noindex' in response.text
    assert page.select(data_read_url=True) == []
    assert "data-read-url" not in response.text


def test_the_preview_runs_a_fixed_number_of_queries(
    client, reporter, story_in, django_assert_num_queries
):
    story = story_in(Status.DRAFT)
    client.force_login(reporter)

    with django_assert_num_queries(PREVIEW_QUERIES):
        response = client.get(preview_url(story))

    assert response.status_code == 200


# --- the content security policy --------------------------------------------------------------


def nonce_in(policy: str) -> str | None:
    found = re.search(r"'nonce-([^']+)'", policy)
    return found[1] if found else None


def test_the_editor_pages_import_map_carries_the_policys_nonce(client, reporter, story_in):
    story = story_in(Status.DRAFT)
    client.force_login(reporter)

    for path in (NEW, edit_url(story)):
        response = client.get(path)
        nonce = nonce_in(response["Content-Security-Policy"])
        assert nonce
        [import_map] = parse(response).select("script", type="importmap")
        assert import_map.attrs["nonce"] == nonce


def test_the_public_story_page_and_the_dashboard_carry_no_nonce(client, reporter, story_in):
    story = story_in(Status.PUBLISHED)

    public = client.get(story.get_absolute_url())
    client.force_login(reporter)
    dashboard = client.get(DASHBOARD)

    for response in (public, dashboard):
        assert response.status_code == 200
        assert nonce_in(response["Content-Security-Policy"]) is None
        assert "nonce=" not in response.text


# --- the staff profile ------------------------------------------------------------------------


def profile_form(profile: StaffProfile, **changes) -> dict:
    return {
        "byline_name": profile.byline_name,
        "title": profile.title,
        "public_email": profile.public_email,
        "bio": profile.bio,
        **changes,
    }


def test_a_staff_member_changes_their_byline_with_one_history_row(client, reporter):
    profile = reporter.staff_profile
    before = profile_form(profile)
    client.force_login(reporter)

    response = client.post(
        PROFILE,
        profile_form(
            profile,
            byline_name="한지민",
            title="선임기자",
            public_email="jimin@solbit.example",
            bio="반도체와 전자 산업을 취재합니다.",
        ),
        follow=True,
    )

    assert response.redirect_chain == [(PROFILE, 302)]
    assert korean("Your profile was saved.") in messages_of(response)
    profile.refresh_from_db()
    assert (profile.title, profile.public_email, profile.bio) == (
        "선임기자",
        "jimin@solbit.example",
        "반도체와 전자 산업을 취재합니다.",
    )
    [event] = AccountEvent.objects.filter(user=reporter, action="profile_changed")
    assert event.data == {
        "title": [before["title"], "선임기자"],
        "public_email": [before["public_email"], "jimin@solbit.example"],
        "bio": [before["bio"], "반도체와 전자 산업을 취재합니다."],
    }
    assert "<strong>한지민</strong> 선임기자" in response.text


def test_a_new_byline_name_is_printed_on_the_dashboard_editor(client, reporter, story_in):
    story = story_in(Status.DRAFT)
    client.force_login(reporter)

    client.post(PROFILE, profile_form(reporter.staff_profile, byline_name="한지민A"))

    [event] = AccountEvent.objects.filter(user=reporter, action="profile_changed")
    assert event.data == {"byline_name": ["한지민", "한지민A"]}
    options = parse(client.get(edit_url(story))).one("select", name="byline_1")
    assert options.one("option", selected=True).text.startswith("한지민A")


def test_an_invalid_public_email_is_refused_and_the_typed_values_kept(client, reporter):
    profile = reporter.staff_profile
    client.force_login(reporter)

    response = client.post(
        PROFILE, profile_form(profile, title="선임기자", public_email="jimin-at-solbit")
    )

    assert response.status_code == 200
    page = parse(response)
    assert page.one("input", name="public_email").attrs["value"] == "jimin-at-solbit"
    assert page.one("input", name="title").attrs["value"] == "선임기자"
    assert "올바른 이메일 주소를 입력하세요." in response.text
    profile.refresh_from_db()
    assert profile.title != "선임기자"
    assert not AccountEvent.objects.filter(action="profile_changed").exists()


def test_a_reader_is_refused_the_profile_page(client, reader):
    client.force_login(reader)

    assert client.get(PROFILE).status_code == 403
    assert client.post(PROFILE, {"byline_name": "독자"}).status_code == 403
    assert not StaffProfile.objects.filter(user=reader).exists()


def test_saving_an_unchanged_profile_says_so_and_writes_nothing(client, reporter):
    client.force_login(reporter)

    response = client.post(PROFILE, profile_form(reporter.staff_profile), follow=True)

    assert "바뀐 내용이 없습니다." in messages_of(response)
    assert not AccountEvent.objects.filter(action="profile_changed").exists()


# --- fixtures ---------------------------------------------------------------------------------


@pytest.fixture
def desk_story(reporter, editor, section):
    """`desk_story(headline, state)`: the reporter's story walked to `state`, each a minute
    after the one before (so "newest first" has an order to show). `note` is the editor's
    return note; `at` the time a scheduled story is set for."""
    moments = iter(range(1, 10_000))
    started = []  # two days before the first story is asked for (the clock may be frozen)

    def make(headline: str, state: str, *, note: str = "출처를 밝혀 주세요.", at=None):
        if not started:
            started.append(timezone.now() - timedelta(days=2))
        with time_machine.travel(started[0] + timedelta(minutes=next(moments)), tick=False):
            story = workflow.create(actor=reporter, section=section, headline=headline)
            if state != Status.DRAFT:
                story = workflow.submit(story, actor=reporter)
            if state == Status.RETURNED:
                story = workflow.return_for_changes(story, actor=editor, note=note)
            elif state == Status.SCHEDULED:
                when = at or timezone.now() + timedelta(days=3)
                story = workflow.schedule(story, actor=editor, at=when)
            elif state == Status.PUBLISHED:
                story = workflow.publish(story, actor=editor)
        return fresh(story)

    return make
