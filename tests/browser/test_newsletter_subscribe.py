"""Subscribing to newsletters in a real browser: the article page's box posts as a plain
form without JavaScript, the mailed link's button confirms, and the my page's buttons work
for a signed-in reader. With NEWSROOM_SCREENSHOTS=1 the test also retakes
docs/screenshots/newsletter-subscribe-*.png at desktop and phone (375 px) widths."""

import os
import re
from pathlib import Path

import pytest
from django.core import mail

from articles.newsletters.models import Subscription
from tests.browser.conftest import watch
from tests.factories import NewsletterFactory, SubscriberFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
WIDTHS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 375, "height": 812}}
LINK = re.compile(r"https?://[^\s]+(/newsletters/confirm/[^/\s]+/)")


@pytest.fixture
def offered(db, section):
    return [
        NewsletterFactory(
            name="아침 브리핑",
            slug="morning-briefing",
            description="매일 아침 7시, 밤사이 꼭 알아야 할 기사를 골라 보내 드립니다.",
            position=0,
        ),
        NewsletterFactory(
            name=f"{section.name} 데일리",
            slug="section-daily",
            kind="section",
            section=section,
            description=f"{section.name} 섹션의 하루 기사를 저녁에 모아 보내 드립니다.",
            position=1,
        ),
    ]


def test_a_reader_without_javascript_subscribes_from_the_article_page_and_confirms(
    browser, live_server, desk, offered, settings
):
    settings.SITE_URL = live_server.url
    story = desk.story(
        "반도체 수출 석 달째 증가",
        body="".join(
            f"<p>반도체 수출이 석 달째 늘었다는 소식의 {n}번째 문단이다.</p>" for n in range(6)
        ),
    )
    context = browser.new_context(viewport=WIDTHS["desktop"], java_script_enabled=False)
    page = watch(context.new_page())
    page.goto(live_server.url + story.get_absolute_url())
    box = page.locator("section.newsletter-box")
    box.get_by_label(offered[1].name, exact=False).check()
    box.get_by_role("textbox", name="이메일 주소").fill("browser@example.com")
    box.locator("input[name=consent]").check()
    box.get_by_role("button", name="구독하기").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "메일함을 확인해 주십시오"
    [message] = [sent for sent in mail.outbox if sent.to == ["browser@example.com"]]
    [path] = LINK.findall(message.body)

    page.goto(live_server.url + path)
    page.get_by_role("button", name="확인").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "구독이 확인되었습니다"
    assert set(Subscription.objects.values_list("status", flat=True)) == {"confirmed"}
    assert page.problems == []
    context.close()


def test_the_my_page_lists_each_newsletter_with_its_state_and_a_button(
    signed_in_page, live_server, reader, offered
):
    page = watch(signed_in_page(reader))
    page.goto(live_server.url + "/accounts/me/")
    part = page.locator("section#newsletters")
    part.locator("li.my-newsletter").first.get_by_role("button", name="구독하기").click()
    page.wait_for_load_state()
    part = page.locator("section#newsletters")
    assert "구독 중" in part.locator("li.my-newsletter").first.inner_text()
    assert Subscription.objects.get().status == "confirmed"
    assert page.problems == []


def test_a_signed_in_reader_s_box_on_the_cached_article_page_is_their_own(
    signed_in_page, live_server, desk, reader, offered
):
    story = desk.story()
    page = watch(signed_in_page(reader))
    page.goto(live_server.url + story.get_absolute_url())
    box = page.locator("section.newsletter-box.is-personal")
    box.wait_for()
    assert reader.email in box.inner_text()
    box.locator("li.my-newsletter").first.get_by_role("button", name="구독하기").click()
    page.wait_for_load_state()
    assert page.url == live_server.url + story.get_absolute_url()
    box = page.locator("section.newsletter-box.is-personal")
    box.wait_for()
    assert "구독 중" in box.locator("li.my-newsletter").first.inner_text()
    assert Subscription.objects.get().status == "confirmed"
    assert page.problems == []


@pytest.mark.skipif(
    not os.environ.get("NEWSROOM_SCREENSHOTS"), reason="retakes screenshots when asked"
)
def test_screenshots_of_the_subscribe_box_and_the_my_page(
    browser, signed_in_page, live_server, desk, offered, reader
):
    paragraphs = "".join(
        f"<p>반도체 수출이 석 달째 늘었다. 업계는 하반기에도 증가세가 이어질 것으로 본다는 "
        f"전망의 {n}번째 문단이다.</p>"
        for n in range(1, 7)
    )
    story = desk.story("반도체 수출 석 달째 증가", body=paragraphs)
    for headline in (
        "금리 동결에 증시 강보합",
        "조선 3사 수주 잔고 점검",
        "석유화학 구조조정 현장",
    ):
        desk.story(headline)
    Subscription.objects.create(
        subscriber=SubscriberFactory(email=reader.email, user=reader),
        newsletter=offered[0],
        status="confirmed",
        consent_version="2026-12-08",
    )
    for width, viewport in WIDTHS.items():
        context = browser.new_context(viewport=viewport)
        page = watch(context.new_page())
        page.goto(live_server.url + story.get_absolute_url())
        page.wait_for_load_state("networkidle")
        box = page.locator("section.newsletter-box")
        if width == "desktop":
            page.screenshot(path=SCREENSHOTS / f"newsletter-subscribe-article-{width}.png")
        else:
            box.scroll_into_view_if_needed()
            page.screenshot(path=SCREENSHOTS / f"newsletter-subscribe-article-{width}.png")
        box.screenshot(path=SCREENSHOTS / f"newsletter-subscribe-box-{width}.png")
        assert page.problems == []
        context.close()

        mine = watch(signed_in_page(reader, viewport=viewport))
        mine.goto(live_server.url + "/accounts/me/")
        mine.wait_for_load_state("networkidle")
        mine.locator("section#newsletters").scroll_into_view_if_needed()
        mine.screenshot(path=SCREENSHOTS / f"newsletter-subscribe-mypage-{width}.png")
        mine.goto(live_server.url + story.get_absolute_url())
        own = mine.locator("section.newsletter-box.is-personal")
        own.wait_for()
        own.screenshot(path=SCREENSHOTS / f"newsletter-subscribe-box-signed-in-{width}.png")
        assert mine.problems == []
