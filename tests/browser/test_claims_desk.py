"""The press-arbitration claims desk in a real browser, at a desktop and a phone width: the
list and a claim's page load without a console error or a CSP violation, nothing is wider
than the phone's screen, and a missed deadline is drawn in red.

`CLAIMS_SCREENSHOTS=docs/screenshots` keeps the list's screenshots there
(desk-claims-desktop.png, desk-claims-phone.png)."""

import os
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from articles import claims
from tests.browser.conftest import watch

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

WIDTHS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
SHOTS = os.environ.get("CLAIMS_SCREENSHOTS", "")


@pytest.fixture
def docket(desk, editor):
    """Four claims: one in time, one answered and accepted, one received out of its window,
    one whose answer is overdue (received a week ago)."""
    today = timezone.localdate()
    week_ago = timezone.now() - timedelta(days=8)
    with time_machine.travel(week_ago, tick=False):
        story = desk.story("한결전자, 회계 처리 기준 위반 의혹")
        late = claims.record_claim(
            story,
            actor=editor,
            kind="correction",
            claimant="한결전자 주식회사",
            received_on=timezone.localdate(),
            learned_on=timezone.localdate() - timedelta(days=1),
            demand="회계 의혹 보도가 사실과 다르다",
        )
    other = desk.story("해솔중공업 하청 대금 지연")
    first = claims.record_claim(
        other,
        actor=editor,
        kind="reply",
        claimant="해솔중공업 노동조합",
        received_on=today,
        learned_on=today - timedelta(days=3),
        notice_shown=True,
    )
    accepted = claims.record_claim(
        other,
        actor=editor,
        kind="correction",
        claimant="해솔중공업",
        received_on=today - timedelta(days=1),
        learned_on=today - timedelta(days=2),
    )
    claims.answer_claim(accepted, actor=editor, accept=True, note="지연 액수 정정 수용")
    claims.record_claim(
        story,
        actor=editor,
        kind="follow_up",
        claimant="김민수",
        received_on=today,
        learned_on=today - timedelta(days=130),
    )
    return {"late": late, "first": first}


@pytest.mark.parametrize("width", list(WIDTHS))
def test_the_claims_desk_reads_well_at_desktop_and_phone_widths(
    signed_in_page, live_server, editor, docket, width
):
    pages = {"claims": "/desk/claims/", "claim": docket["first"].get_absolute_url()}
    for name, path in pages.items():
        page = watch(signed_in_page(editor, viewport=WIDTHS[width]))
        page.goto(f"{live_server.url}{path}")
        assert page.problems == [], f"{name} at {width}"
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{name} is wider than the screen at {width}"
        if name == "claims":
            missed = page.locator(".deadline.is-missed .deadline-left").first
            assert missed.evaluate("e => getComputedStyle(e).color") == "rgb(192, 21, 42)"
            if SHOTS:
                page.screenshot(
                    path=os.path.join(SHOTS, f"desk-claims-{width}.png"), full_page=True
                )
