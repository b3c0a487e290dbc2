"""The planning board in a real browser, at a desktop and a phone width: the editor's week
calendar, the list, an item's page and the reporter's dashboard load without a console
error or a CSP violation, and nothing is wider than the phone's screen."""

import os
from datetime import timedelta

import pytest
from django.utils import timezone

from articles import planning
from tests.browser.conftest import watch

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

WIDTHS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
# Set to a folder to keep the screenshots (for a look at the layout).
SHOTS = os.environ.get("PLANNING_SCREENSHOTS", "")


@pytest.fixture
def week(editor, reporter, other_reporter, section, desk):
    today = timezone.localtime().replace(hour=10, minute=0, second=0, microsecond=0)
    items = []
    for day in range(5):
        for number, slugline in enumerate(("반도체 수출 석 달째 증가", "금리 동결 후폭풍")):
            item = planning.create_item(
                actor=editor,
                slugline=f"{slugline} {day + 1}",
                section=section,
                target_at=today + timedelta(days=day, hours=3 * number),
                angle="수출 둔화 속 반도체만 늘어난 까닭",
                priority="top" if number == 0 else "normal",
                expected_length=1800,
                photo_needed=number == 0,
            )
            writer = reporter if number == 0 else other_reporter
            offer = planning.assign(
                item, actor=editor, reporter=writer, due_at=item.target_at - timedelta(hours=1)
            )
            items.append((item, offer))
    for number, (_item, offer) in enumerate(items[:5]):
        planning.assign(
            planning.create_item(
                actor=editor,
                slugline=f"추가 취재 {number + 1}",
                section=section,
                target_at=items[0][0].target_at + timedelta(minutes=30),
            ),
            actor=editor,
            reporter=reporter,
            due_at=offer.due_at,
        )
    first = items[0][1]
    planning.accept(first, actor=reporter)
    planning.start_story(first, actor=reporter)
    desk.story("부산항 물동량 석 달째 늘어", state="scheduled")
    return items


@pytest.mark.parametrize("width", list(WIDTHS))
def test_the_board_reads_well_at_desktop_and_phone_widths(
    signed_in_page, live_server, editor, reporter, week, width
):
    item, first = week[0]
    first.refresh_from_db()
    pages = {
        "board-week": (editor, "/desk/planning/"),
        "board-list": (editor, "/desk/planning/?view=list"),
        "item": (editor, f"/desk/planning/{item.pk}/"),
        "dashboard": (reporter, "/desk/"),
        "story": (reporter, f"/desk/articles/{first.article_id}/edit/"),
        "decline": (reporter, f"/desk/planning/assignments/{week[2][1].pk}/decline/"),
    }
    for name, (user, path) in pages.items():
        page = watch(signed_in_page(user, viewport=WIDTHS[width]))
        page.goto(f"{live_server.url}{path}")
        assert page.problems == [], f"{name} at {width}"
        if name == "story":
            # The story editor's own layout is not this page's to judge (its toolbar, drawn
            # by script, can be wider than a phone): only the note from the board is new.
            assert page.locator(".story-assignment").is_visible()
            continue
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{name} is wider than the screen at {width}"
        if SHOTS:
            page.screenshot(path=os.path.join(SHOTS, f"{name}-{width}.png"), full_page=True)
