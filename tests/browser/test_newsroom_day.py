"""One day of the newsroom in a real browser, two people side by side: the editor plans
tomorrow's coverage on the board and assigns it, the reporter accepts one assignment and
declines the other, writes the story, talks it over in the desk notes, submits it, gets it
back with a note and resubmits it; the editor sets an embargo, schedules the story for the
embargo's time in one step, and the board shows how each item stands. Every step is
checked the way a person reads it, in Korean, and no page has a console error.

With NEWSROOM_SCREENSHOTS=1 the test also retakes the board's and the inbox's screenshots
in docs/screenshots/ at desktop and phone widths."""

import os
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from articles.models import Article, Assignment, PlanningItem
from tests.browser.conftest import watch

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

# The dashboard, reached from a page whose address had a fragment (#desk-notes): the
# browser keeps the fragment across the redirect.
DASHBOARD = re.compile(r"/desk/(#.*)?$")
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
WIDTHS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
COVERED = "부산항 물동량 석 달째 증가"
DROPPED = "해운 운임 하락 분석"
REASON = "같은 시각에 항만공사 기자회견 취재가 잡혀 있습니다."
PARAGRAPH = "부산항의 컨테이너 물동량이 석 달 연속 늘었다."
RETURN_NOTE = "수치의 출처를 밝혀 주세요."
EMBARGO_SOURCE = "해양수산부"


@pytest.fixture
def page_for(browser, live_server):
    """`page_for(user)`: a watched page in a browser context of its own, signed in through
    a test client of its own, so the editor and the reporter stay signed in side by side."""
    contexts = []

    def open_as(user, viewport=None):
        context = browser.new_context(viewport=viewport or WIDTHS["desktop"])
        contexts.append(context)
        client = Client()
        client.force_login(user)
        context.add_cookies(
            [
                {
                    "name": "sessionid",
                    "value": client.cookies["sessionid"].value,
                    "url": live_server.url,
                }
            ]
        )
        page = context.new_page()
        page.set_default_timeout(15_000)
        return watch(page)

    yield open_as
    for context in contexts:
        context.close()


def local_input(moment) -> str:
    """What a datetime-local field holds for this moment, in Korean time."""
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def plan(page, url: str, slugline: str, at) -> None:
    """The editor plans an item on the board and lands on its page."""
    page.goto(f"{url}/desk/planning/")
    page.get_by_role("link", name="기획 추가").click()
    page.wait_for_url("**/desk/planning/new/")
    page.get_by_label("가제").fill(slugline)
    page.get_by_label("취재 방향").fill("석 달째 늘어난 까닭과 하반기 전망")
    page.locator("#id_section").select_option(label="기업과산업")
    page.locator("#id_target_at").fill(local_input(at))
    page.get_by_role("button", name="기획에 올리기").click()
    page.wait_for_url("**/desk/planning/*/")
    expect(page.locator(".messages")).to_contain_text("기획에 올렸습니다.")
    expect(page.locator("h1")).to_have_text(slugline)


def assign(page, reporter_name: str) -> None:
    """On an item's page, the editor assigns it to a reporter (due an hour before)."""
    page.locator("#assign-reporter").select_option(label=reporter_name)
    page.locator(".planning-side").get_by_role("button", name="배정").click()
    expect(page.locator(".messages")).to_contain_text("배정했습니다.")
    expect(page.locator(".assignment-row")).to_contain_text(reporter_name)


def test_a_day_from_the_planning_board_to_a_story_scheduled_at_its_embargo(
    page_for, live_server, editor, reporter, section
):
    url = live_server.url
    tomorrow = (timezone.localtime() + timedelta(days=1)).replace(
        hour=14, minute=0, second=0, microsecond=0
    )
    desk_page = page_for(editor)
    writer = page_for(reporter)

    # The editor plans tomorrow's coverage, two items, and assigns both to 한지민.
    for slugline, at in ((COVERED, tomorrow), (DROPPED, tomorrow + timedelta(hours=2))):
        plan(desk_page, url, slugline, at)
        assign(desk_page, "한지민")
    desk_page.goto(f"{url}/desk/planning/?range=tomorrow")
    day = desk_page.locator(".planning-day")
    expect(day.locator(".cal-entry")).to_have_count(2)
    for slugline in (COVERED, DROPPED):
        entry = day.locator(".cal-entry", has_text=slugline)
        expect(entry.locator(".state")).to_have_text("시작 전")
        expect(entry.locator(".cal-who")).to_contain_text("한지민")

    # The reporter finds both in the inbox and on the dashboard.
    writer.goto(f"{url}/desk/")
    expect(writer.locator(".desk-inbox .count")).to_have_text("2")
    mine = writer.locator("#assignments")
    expect(mine.locator(".assignment-row")).to_have_count(2)
    writer.locator(".desk-inbox").click()
    inbox = writer.locator(".notification-list")
    for slugline, at in ((COVERED, tomorrow), (DROPPED, tomorrow + timedelta(hours=2))):
        due = timezone.localtime(at - timedelta(hours=1))  # the form's default: an hour before
        expect(inbox).to_contain_text(
            f"오세훈 님이 배정했습니다(마감 {due:%Y-%m-%d %H:%M}): {slugline}"
        )

    # ... accepts the first and declines the second, with a reason.
    writer.goto(f"{url}/desk/")
    mine.locator(".assignment-row", has_text=COVERED).get_by_role("button", name="수락").click()
    expect(writer.locator(".messages")).to_contain_text("수락했습니다.")
    mine.locator(".assignment-row", has_text=DROPPED).get_by_role("link", name="거절").click()
    writer.wait_for_url("**/decline/")
    writer.get_by_label("거절 사유 (데스크가 봅니다)").fill(REASON)
    writer.get_by_role("button", name="거절").click()
    writer.wait_for_url(f"{url}/desk/")
    expect(writer.locator(".messages")).to_contain_text("거절했습니다. 데스크가 사유를 봅니다.")
    declined = Assignment.objects.get(item__slugline=DROPPED)
    assert declined.status == "declined"
    assert declined.decline_reason == REASON

    # ... starts the accepted story from the assignment, writes the body and saves.
    mine.locator(".assignment-row", has_text=COVERED).get_by_role(
        "button", name="기사 작성 시작"
    ).click()
    writer.wait_for_url("**/desk/articles/*/edit/")
    expect(writer.locator(".story-assignment")).to_contain_text(COVERED)
    story = Article.objects.get(headline=COVERED)
    assert story.status == Article.Status.DRAFT
    expect(writer.locator("#id_headline")).to_have_value(COVERED)
    writer.locator(".ProseMirror[contenteditable]").last.click()
    writer.keyboard.type(PARAGRAPH)
    writer.get_by_role("button", name="저장", exact=True).click()
    writer.wait_for_url(f"**/desk/articles/{story.pk}/edit/")
    expect(writer.locator(".messages")).to_contain_text("저장했습니다.")
    story.refresh_from_db()
    assert PARAGRAPH in story.body

    # The editor reads of the decline in the inbox, and mentions the reporter in a note.
    desk_page.goto(f"{url}/desk/notifications/")
    expect(desk_page.locator(".notification-list")).to_contain_text(
        f"한지민 님이 배정을 거절했습니다: {DROPPED}"
    )
    expect(desk_page.locator(".notification-list")).to_contain_text(REASON)
    desk_page.goto(f"{url}/desk/articles/{story.pk}/edit/")
    desk_page.locator("#note-body").click()
    desk_page.keyboard.type("@한지")
    desk_page.locator("[data-mention-suggestions] [role='option']", has_text="한지민").click()
    desk_page.keyboard.type("수치 출처를 확인했나요?")
    desk_page.get_by_role("button", name="메모 남기기").click()
    desk_page.wait_for_url("**/edit/#desk-notes")
    thread = desk_page.locator("#desk-notes")
    expect(thread.locator(".mention")).to_have_text("@한지민")

    # The reporter is told, and answers in the thread.
    writer.goto(f"{url}/desk/notifications/")
    expect(writer.locator(".notification-list")).to_contain_text(
        f"오세훈 님이 언급했습니다: {COVERED}"
    )
    writer.locator(".notification-list .desk-headline", has_text="님이 언급했습니다").click()
    writer.wait_for_url(f"**/desk/articles/{story.pk}/edit/**")
    writer.locator("#note-body").fill("부산항만공사 집계입니다. 본문에 밝히겠습니다.")
    writer.get_by_role("button", name="메모 남기기").click()
    writer.wait_for_url("**/edit/#desk-notes")
    notes = writer.locator("#desk-notes .desk-note")
    expect(notes).to_have_count(2)
    expect(notes.nth(0)).to_contain_text("수치 출처를 확인했나요?")
    expect(notes.nth(1)).to_contain_text("부산항만공사 집계입니다.")

    # ... and submits the story.
    writer.get_by_role("button", name="저장하고 출고 요청").click()
    writer.wait_for_url(DASHBOARD)
    expect(writer.locator("#submitted")).to_contain_text(COVERED)

    # The editor sees it in the header's count and the inbox, and returns it with a note.
    desk_page.goto(f"{url}/desk/planning/")
    expect(desk_page.locator(".desk-inbox .count")).to_have_text(
        "2"
    )  # the decline and the submission
    desk_page.locator(".desk-inbox").click()
    submitted = desk_page.locator(".notification-unread", has_text="님이 출고를 요청했습니다")
    expect(submitted).to_contain_text(f"한지민 님이 출고를 요청했습니다: {COVERED}")
    submitted.locator(".desk-headline").click()
    desk_page.wait_for_url(f"**/desk/articles/{story.pk}/edit/**")
    # Opening it marked it read: only the decline is left unread.
    expect(desk_page.locator(".desk-inbox .count")).to_have_text("1")
    desk_page.locator("summary", has_text="기자에게 반려").click()
    desk_page.locator("#return-note").fill(RETURN_NOTE)
    desk_page.get_by_role("button", name="이 의견으로 반려").click()
    expect(desk_page.locator(".messages")).to_contain_text("반려")
    story.refresh_from_db()
    assert story.status == Article.Status.RETURNED

    # The reporter reads the return in the inbox, fixes the story and resubmits it.
    writer.goto(f"{url}/desk/notifications/")
    returned = writer.locator(".notification-unread", has_text="님이 의견과 함께 기사를 반려")
    expect(returned).to_contain_text(f"오세훈 님이 의견과 함께 기사를 반려했습니다: {COVERED}")
    expect(returned).to_contain_text(RETURN_NOTE)
    returned.locator(".desk-headline").click()
    writer.wait_for_url(f"**/desk/articles/{story.pk}/edit/**")
    expect(writer.locator(".return-note")).to_contain_text(RETURN_NOTE)
    writer.locator(".ProseMirror[contenteditable] p").last.click()
    writer.keyboard.press("End")
    writer.keyboard.type(" 수치는 부산항만공사 집계다.")
    writer.get_by_role("button", name="저장하고 출고 요청").click()
    writer.wait_for_url(DASHBOARD)
    expect(writer.locator("#submitted")).to_contain_text(COVERED)
    story.refresh_from_db()
    assert story.status == Article.Status.SUBMITTED

    # The editor sets an embargo, then schedules the story for its time in one step.
    embargo = tomorrow - timedelta(hours=2)
    desk_page.goto(f"{url}/desk/articles/{story.pk}/edit/")
    desk_page.locator("#embargo-until").fill(local_input(embargo))
    desk_page.locator("#embargo-source").fill(EMBARGO_SOURCE)
    desk_page.get_by_role("button", name="저장", exact=True).click()
    expect(desk_page.locator(".story-state .embargo")).to_contain_text(
        f"엠바고 {timezone.localtime(embargo):%Y-%m-%d %H:%M}"
    )
    desk_page.goto(f"{url}/desk/queue/")
    row = desk_page.locator(".queue-list .desk-row", has_text=COVERED)
    row.get_by_role("link", name="예약 출고", exact=True).click()
    desk_page.wait_for_url("**/decide/schedule/**")
    expect(desk_page.locator(".decide-embargo")).to_contain_text(EMBARGO_SOURCE)
    desk_page.get_by_role("button", name="엠바고 시각에 예약").click()
    desk_page.wait_for_url(f"{url}/desk/queue/")
    expect(desk_page.locator(".messages")).to_contain_text("예약했습니다")
    story.refresh_from_db()
    assert story.status == Article.Status.SCHEDULED
    assert story.scheduled_publish_at == embargo
    writer.goto(f"{url}/desk/notifications/")
    expect(writer.locator(".notification-unread").first).to_contain_text(
        f"기사 출고가 예약되었습니다({timezone.localtime(embargo):%Y-%m-%d %H:%M}): {COVERED}"
    )

    # The board: the covered item is scheduled, the other waits with its decline.
    desk_page.goto(f"{url}/desk/planning/?range=tomorrow&view=list")
    table = desk_page.locator(".planning-table")
    covered = table.locator("tr", has_text=COVERED)
    expect(covered.locator(".state")).to_have_text("예약")
    dropped = table.locator("tr", has_text=DROPPED)
    expect(dropped.locator(".state")).to_have_text("시작 전")
    expect(dropped.locator(".assignee-declined")).to_contain_text("한지민")
    expect(dropped.locator(".assignee-declined small")).to_have_text("거절")
    desk_page.locator("a.desk-headline", has_text=DROPPED).click()
    declined_row = desk_page.locator(".assignment-row")
    expect(declined_row.locator(".return-note")).to_have_text(f"사유: {REASON}")
    # The writer's name is struck through, not the row: the reason stays readable.
    decoration = "el => getComputedStyle(el).textDecorationLine"
    assert declined_row.locator("strong").evaluate(decoration) == "line-through"
    assert declined_row.evaluate(decoration) == "none"
    desk_page.goto(f"{url}/desk/planning/?range=tomorrow")
    calendar = desk_page.locator(".planning-day")
    expect(calendar.locator(".cal-publish")).to_contain_text(COVERED)  # its publication
    covered = calendar.locator(".cal-item", has_text=COVERED)
    expect(covered.locator(".state")).to_have_text("예약")
    dropped = calendar.locator(".cal-item", has_text=DROPPED)
    expect(dropped.locator(".state")).to_have_text("시작 전")
    expect(dropped.locator(".cal-who")).to_have_text("기업과산업 · 한지민 거절")
    assert PlanningItem.objects.count() == 2

    assert desk_page.problems == []
    assert writer.problems == []

    if os.environ.get("NEWSROOM_SCREENSHOTS"):
        for width, viewport in WIDTHS.items():
            page = page_for(editor, viewport=viewport)
            for name, path in (
                ("desk-planning", "/desk/planning/?range=tomorrow"),
                ("desk-planning-list", "/desk/planning/?range=tomorrow&view=list"),
                ("desk-notifications", "/desk/notifications/"),
            ):
                page.goto(f"{url}{path}")
                overflow = page.evaluate(
                    "document.documentElement.scrollWidth - document.documentElement.clientWidth"
                )
                assert overflow <= 0, f"{name} is wider than the screen at {width}"
                page.screenshot(path=SCREENSHOTS / f"{name}-{width}.png", full_page=True)
            assert page.problems == []
