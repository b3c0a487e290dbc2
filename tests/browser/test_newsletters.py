"""Newsletters in a real browser: an issue's e-mail (its HTML part, as the desk's preview
serves it) at a phone's 375 px and the 600 px of a webmail column, nothing wider than the
window; and the newsletters desk, the issue's page while it sends (its progress bar
refreshed by the page's script, no reload asked) and once it is sent, without a console
error or a CSP violation.

The e-mail's screenshots are written to docs/screenshots/newsletter-email-375.png and
-600.png; `NEWSLETTER_SCREENSHOTS=docs/screenshots` also keeps the desk's
(newsletter-desk-list.png, -compose.png, -compose-phone.png, -sending.png,
-sent.png)."""

import os
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from articles.models import IssueDelivery, NewsletterIssue
from articles.newsletters import issues
from media import library
from newsroom import outbox
from newsroom.celery import app as celery_app
from tests.browser.conftest import watch
from tests.factories import NewsletterFactory, SubscriptionFactory
from tests.media.conftest import as_upload, encode

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

EMAIL_SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
DESK_SHOTS = os.environ.get("NEWSLETTER_SCREENSHOTS", "")
HEADLINES = [
    (
        "반도체 수출 석 달째 증가…HBM이 끌어올렸다",
        "메모리 가격 회복과 고대역폭 메모리 수요가 겹치며 11월 반도체 수출이 1년 전보다 "
        "28% 늘었다.",
    ),
    (
        "한국은행, 기준금리 연 3.25%로 동결",
        "물가 둔화에도 가계부채와 환율 불안을 고려해 금융통화위원회가 만장일치로 동결을 결정했다.",
    ),
    (
        "서울 아파트값 6주 연속 상승폭 줄어",
        "대출 규제가 이어지면서 매수 심리가 꺾였다는 분석이 나온다.",
    ),
]
INTRO = (
    "안녕하세요, 12월 8일 화요일 아침 브리핑입니다.\n\n"
    "오늘은 반도체 수출과 금리 소식을 전해 드립니다."
)


def scene(number: int) -> bytes:
    """A photo-like picture (a sky, a skyline, the ground) rather than a test card, so the
    screenshots look like a newsletter's."""
    width, height = 1200, 800
    skies = [((24, 62, 120), (150, 190, 230)), ((70, 40, 90), (240, 170, 120))]
    top, bottom = skies[number % len(skies)]
    image = Image.new("RGB", (width, height))
    draw = ImageDraw.Draw(image)
    for y in range(height):
        share = y / height
        draw.line(
            [(0, y), (width, y)],
            fill=tuple(int(a + (b - a) * share) for a, b in zip(top, bottom, strict=True)),
        )
    x = 0
    for index in range(14):
        tower = 60 + (index * 37) % 90
        rise = 220 + (index * 71) % 300
        shade = 30 + (index * 13) % 40
        draw.rectangle([x, height - rise, x + tower, height], fill=(shade, shade + 6, shade + 14))
        for row in range(height - rise + 20, height - 40, 34):
            for column in range(x + 12, x + tower - 12, 22):
                if (row + column + index) % 3:
                    draw.rectangle([column, row, column + 8, row + 14], fill=(250, 214, 120))
        x += tower + 8
    draw.rectangle([0, height - 60, width, height], fill=(40, 44, 52))
    return encode(image, "JPEG", quality=85)


@pytest.fixture
def issue(desk, editor, reporter, settings, live_server):
    # Photos and links are absolute (SITE_URL), as in a real e-mail: here, the test server.
    settings.SITE_URL = live_server.url
    newsletter = NewsletterFactory(name="아침 브리핑", slug="morning")
    stories = []
    for number, (headline, summary) in enumerate(HEADLINES):
        uses = []
        if number < 2:
            photo = library.upload(
                as_upload(scene(number)), actor=reporter, alt_text=f"{headline} 관련 사진"
            ).photo
            uses = [{"photo": photo.pk, "is_lead": True, "caption": "사진"}]
        stories.append(desk.story(headline, summary=summary, photo_uses=uses))
    return issues.create_issue(
        newsletter,
        actor=editor,
        subject="[아침 브리핑] 반도체 수출 석 달째 증가",
        intro=INTRO,
        article_ids=[story.pk for story in stories],
    )


@pytest.mark.parametrize("width", [375, 600])
def test_the_email_fits_a_phone_and_a_webmail_column(
    signed_in_page, live_server, editor, issue, width
):
    page = watch(signed_in_page(editor, viewport={"width": width, "height": 900}))
    page.goto(f"{live_server.url}/desk/newsletters/issues/{issue.pk}/preview/")
    page.wait_for_load_state("networkidle")

    assert page.problems == []
    assert page.locator("img.photo").count() == 2
    assert page.evaluate("[...document.images].every(image => image.naturalWidth > 0)")
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"the e-mail is {scroll} px wide in a {width} px window"
    EMAIL_SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(EMAIL_SHOTS / f"newsletter-email-{width}.png"), full_page=True)


def test_the_desk_pages_fit_a_phone(signed_in_page, live_server, editor, issue):
    page = watch(signed_in_page(editor, viewport={"width": 390, "height": 844}, locale="ko-KR"))
    for path in (
        "/desk/newsletters/",
        "/desk/newsletters/morning/",
        f"/desk/newsletters/issues/{issue.pk}/",
        f"/desk/newsletters/issues/{issue.pk}/send/",
    ):
        page.goto(f"{live_server.url}{path}")
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{path} is wider than a phone"
    assert page.problems == []
    if DESK_SHOTS:
        page.goto(f"{live_server.url}/desk/newsletters/issues/{issue.pk}/")
        shoot(page, "compose-phone")


def test_the_desk_shows_an_issue_sending_then_sent(
    signed_in_page, live_server, editor, issue, monkeypatch
):
    for _number in range(40):
        SubscriptionFactory(newsletter=issue.newsletter)
    SubscriptionFactory(newsletter=issue.newsletter, status="pending", confirmed_at=None)
    NewsletterFactory(name="산업 데일리", slug="industry-daily", kind="briefing")

    page = watch(signed_in_page(editor, locale="ko-KR"))
    page.goto(f"{live_server.url}/desk/newsletters/")
    assert page.problems == []
    shoot(page, "list")
    page.goto(f"{live_server.url}/desk/newsletters/issues/{issue.pk}/")
    assert page.problems == []
    shoot(page, "compose")

    # The batches wait (as for a busy worker): the issue is sending, none sent yet, and
    # then a part of them goes.
    with monkeypatch.context() as held:
        held.setattr(outbox, "_relay", lambda message_id: None)
        issues.send_now(issue, actor=editor)
    first = IssueDelivery.objects.filter(issue=issue).order_by("pk")[:15]
    IssueDelivery.objects.filter(pk__in=list(first.values_list("pk", flat=True))).update(
        status=IssueDelivery.Status.SENT, attempts=1
    )
    page.goto(f"{live_server.url}/desk/newsletters/issues/{issue.pk}/")
    assert page.locator("progress").get_attribute("value") == "37"
    assert "15 / 41" not in page.locator(".progress-numbers").inner_text()
    assert "15 / 40" in page.locator(".progress-numbers").inner_text()
    shoot(page, "sending")

    # The rest go; the page's script sees the issue sent and shows its final counts.
    celery_app.tasks["articles.send_newsletter_batch"](issue.pk)
    issue.refresh_from_db()
    assert issue.status == NewsletterIssue.Status.SENT
    page.locator(".issue-status", has_text="발송 완료").wait_for(timeout=15_000)
    assert "40 / 40" in page.locator(".progress-numbers").inner_text()
    assert page.locator("progress").get_attribute("value") == "100"
    assert page.problems == []
    shoot(page, "sent")


def shoot(page, name: str) -> None:
    if DESK_SHOTS:
        path = os.path.join(DESK_SHOTS, f"newsletter-desk-{name}.png")
        page.screenshot(path=path, full_page=True)
