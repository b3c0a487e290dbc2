"""Desk notes in a real browser: typing "@" in a note offers the colleagues who may open the
story, picking one writes their name and keeps their account, and the note is posted and
shown beside its paragraph; without JavaScript the plain list of colleagues does the same."""

import pytest
from playwright.sync_api import expect

from accounts import roles
from articles import workflow
from articles.models import DeskNote
from tests.browser.conftest import watch
from tests.conftest import staff

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

BODY = "<p>부산항의 물동량이 석 달 연속 늘었다.</p><p>해양수산부가 3일 밝혔다.</p>"


@pytest.fixture
def story(reporter, section):
    return workflow.create(actor=reporter, section=section, headline="부산항 물동량", body=BODY)


@pytest.fixture
def namesake(transactional_db):
    """An editor who shares the reporter's byline, 한지민."""
    return staff("editor-han@example.com", roles.Role.EDITOR, "한지민")


def test_typing_at_offers_colleagues_and_the_pick_is_kept_by_account(
    signed_in_page, live_server, reporter, editor, namesake, story
):
    page = watch(signed_in_page(editor))
    page.goto(f"{live_server.url}/desk/articles/{story.pk}/edit/")
    expect(page.locator("[data-mention-picker]")).to_be_hidden()  # the script stands in
    body = page.locator("#note-body")
    body.click()
    page.keyboard.type("확인 부탁드립니다 @한지")
    suggestions = page.locator("[data-mention-suggestions] [role='option']")
    expect(suggestions).to_have_count(2)  # two colleagues of one name, told apart
    expect(suggestions.nth(1)).to_contain_text("editor-han@example.com")
    suggestions.filter(has_text="editor-han@example.com").click()
    expect(body).to_have_value("확인 부탁드립니다 @한지민 ")
    expect(page.locator("[data-mention-chosen] .mention-chip")).to_have_text("@한지민 ×")
    page.keyboard.type("기자님")
    page.locator("#note-paragraph").select_option("1")
    page.get_by_role("button", name="메모 남기기").click()

    page.wait_for_url("**/edit/#desk-notes")
    note = DeskNote.objects.get()
    assert note.body == "확인 부탁드립니다 @한지민 기자님"
    assert list(note.mentions.all()) == [namesake]
    assert note.paragraph_index == 1
    margin = page.locator(".note-margin")
    expect(margin.locator("blockquote")).to_contain_text("해양수산부가 3일 밝혔다.")
    expect(margin.locator(".desk-note")).to_contain_text("기자님")
    expect(margin.locator(".mention")).to_have_text("@한지민")
    assert page.problems == []


def test_a_mention_deleted_from_the_text_is_not_kept(
    signed_in_page, live_server, reporter, editor, story
):
    page = watch(signed_in_page(reporter))
    page.goto(f"{live_server.url}/desk/articles/{story.pk}/edit/")
    page.locator("#note-body").click()
    page.keyboard.type("@오세")
    expect(page.locator("[data-mention-suggestions] [role='option']")).to_have_text(
        "오세훈 · 기자 · editor@example.com"
    )
    page.keyboard.press("ArrowDown")  # one colleague: the arrows stay on them
    page.keyboard.press("Enter")
    expect(page.locator("#note-body")).to_have_value("@오세훈 ")
    page.locator("#note-body").fill("혼자 적는 메모")
    page.get_by_role("button", name="메모 남기기").click()
    page.wait_for_url("**/edit/#desk-notes")
    assert list(DeskNote.objects.get().mentions.all()) == []
    assert page.problems == []


def test_without_javascript_colleagues_are_picked_from_a_plain_list(
    signed_in_page, live_server, reporter, editor, namesake, story
):
    page = signed_in_page(editor, java_script_enabled=False)
    page.goto(f"{live_server.url}/desk/articles/{story.pk}/edit/")
    page.locator("#note-body").fill("@한지민 보세요")
    page.locator("#note-mentions").select_option(str(namesake.pk))
    page.get_by_role("button", name="메모 남기기").click()
    page.wait_for_url("**/edit/#desk-notes")
    assert list(DeskNote.objects.get().mentions.all()) == [namesake]
