"""The editor's desk in a real browser, the whole way of one story: returned from the review
queue with a note, fixed and resubmitted by its reporter, scheduled, rescheduled, published,
and placed as the home page's lead."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from articles import workflow
from articles.models import Article, ArticleEvent, FrontSlot
from tests.stories import Desk

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

Status = Article.Status
HEADLINE = "부산항 물동량 석 달째 늘어"
NOTE = "수치의 출처를 밝혀 주세요."


@pytest.fixture
def page_for(browser, live_server):
    """`page_for(user)`: a page in a browser context of its own, signed in through a test
    client of its own, so two people stay signed in side by side (signed_in_page's one
    client would sign the first out). `page_for(None)`: an anonymous reader's page."""
    contexts = []

    def open_as(user):
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        contexts.append(context)
        if user is not None:
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
        return page

    yield open_as
    for context in contexts:
        context.close()


def local_input(moment) -> str:
    """What a datetime-local field holds for this moment, in Korean time."""
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def test_a_story_goes_from_the_queue_back_to_its_reporter_and_onto_the_home_page_lead(
    page_for, live_server, editor, reporter, section, desk: Desk, library_photo
):
    url = live_server.url
    # Another story, with a photo: it leads the home page until an editor chooses.
    photo = library_photo(caption="신항 전경", alt_text="부산 신항 전경")
    desk.story("사진이 있는 다른 기사", photo_uses=[{"photo": photo.pk, "is_lead": True}])
    story = workflow.create(
        actor=reporter,
        section=section,
        headline=HEADLINE,
        body="<p>부산항의 컨테이너 물동량이 석 달 연속 늘었다.</p>",
    )
    workflow.submit(story, actor=reporter)
    desk_page = page_for(editor)
    writer = page_for(reporter)

    # The editor returns the story from the queue, with a note.
    desk_page.goto(f"{url}/desk/queue/")
    row = desk_page.locator(".queue-list .desk-row", has_text=HEADLINE)
    row.get_by_role("link", name="반려", exact=True).click()
    desk_page.wait_for_url("**/decide/return/**")
    desk_page.locator("#decide-note").fill(NOTE)
    desk_page.get_by_role("button", name="기자에게 반려").click()
    desk_page.wait_for_url(f"{url}/desk/queue/")
    expect(desk_page.locator(".messages")).to_contain_text("의견과 함께 기자에게 반려했습니다")
    expect(desk_page.locator(".queue-list")).to_have_count(0)
    story.refresh_from_db()
    assert story.status == Status.RETURNED

    # The reporter sees the note, fixes the story and submits it again.
    writer.goto(f"{url}/desk/")
    returned = writer.locator("#returned")
    expect(returned.locator(".return-note")).to_contain_text(NOTE)
    returned.get_by_role("link", name=HEADLINE).click()
    writer.wait_for_url(f"**/desk/articles/{story.pk}/edit/")
    writer.locator(".ProseMirror[contenteditable] p").last.click()
    writer.keyboard.press("End")
    writer.keyboard.type(" 수치는 부산항만공사 집계다.")
    writer.get_by_role("button", name="저장하고 출고 요청").click()
    writer.wait_for_url(f"{url}/desk/")
    expect(writer.locator("#submitted")).to_contain_text(HEADLINE)
    story.refresh_from_db()
    assert story.status == Status.SUBMITTED
    assert "수치는 부산항만공사 집계다." in story.body

    # The editor schedules it for tomorrow morning, Korean time.
    tomorrow = (timezone.localtime() + timedelta(days=1)).replace(
        hour=7, minute=30, second=0, microsecond=0
    )
    desk_page.goto(f"{url}/desk/queue/")
    row = desk_page.locator(".queue-list .desk-row", has_text=HEADLINE)
    row.get_by_role("link", name="예약 출고", exact=True).click()
    desk_page.wait_for_url("**/decide/schedule/**")
    desk_page.locator("#decide-at").fill(local_input(tomorrow))
    desk_page.get_by_role("button", name="출고 예약").click()
    desk_page.wait_for_url(f"{url}/desk/queue/")
    expect(desk_page.locator(".messages")).to_contain_text("예약했습니다")
    story.refresh_from_db()
    assert story.status == Status.SCHEDULED
    assert story.scheduled_publish_at == tomorrow

    # ... then moves it a day later from the schedule.
    later = tomorrow + timedelta(days=1, minutes=30)
    desk_page.goto(f"{url}/desk/schedule/")
    row = desk_page.locator(".schedule-day .desk-row", has_text=HEADLINE)
    expect(row.locator("time")).to_have_text("07:30")
    row.get_by_role("link", name="시각 변경").click()
    desk_page.wait_for_url("**/decide/schedule/**")
    expect(desk_page.locator("#decide-at")).to_have_value(local_input(tomorrow))
    desk_page.locator("#decide-at").fill(local_input(later))
    desk_page.get_by_role("button", name="출고 시각 변경").click()
    desk_page.wait_for_url(f"{url}/desk/schedule/")
    row = desk_page.locator(".schedule-day .desk-row", has_text=HEADLINE)
    expect(row.locator("time")).to_have_text("08:00")
    story.refresh_from_db()
    assert story.scheduled_publish_at == later
    assert ArticleEvent.objects.filter(article=story, action="reschedule").count() == 1

    # ... and publishes it now after all.
    desk_page.goto(f"{url}/desk/articles/{story.pk}/decide/publish/?next=/desk/schedule/")
    desk_page.get_by_role("button", name="지금 출고").click()
    desk_page.wait_for_url(f"{url}/desk/schedule/")
    expect(desk_page.locator(".messages")).to_contain_text("출고했습니다")
    expect(desk_page.locator(".schedule-day")).to_have_count(0)
    story.refresh_from_db()
    assert story.status == Status.PUBLISHED

    reader = page_for(None)
    reader.goto(f"{url}/")
    expect(reader.locator(".lead-story")).to_contain_text("사진이 있는 다른 기사")

    # The editor finds it on the front-page desk and makes it the home page's lead.
    desk_page.goto(f"{url}/desk/front/")
    front = desk_page.locator(".front-desk")
    front.locator("#front-q").fill("부산항")
    front.get_by_role("button", name="검색").click()
    desk_page.wait_for_url("**/desk/front/?**q=**")
    result = front.locator(".desk-list .desk-row", has_text=HEADLINE)
    result.get_by_role("button", name="톱기사로").click()
    expect(desk_page.locator(".messages")).to_contain_text("1면 배치를 바꿨습니다")
    expect(front.locator(".front-slot.is-lead")).to_contain_text(HEADLINE)
    assert list(FrontSlot.objects.filter(section=None).values_list("article_id", flat=True)) == [
        story.pk
    ]

    reader.reload()
    expect(reader.locator(".lead-story")).to_contain_text(HEADLINE)
    expect(reader.locator(".top-stories")).to_contain_text("사진이 있는 다른 기사")
