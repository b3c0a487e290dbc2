"""The reader's pages in a real browser: the article page's script-driven tools, its print
and phone layouts, and pages that load without errors under the Content Security Policy."""

import io
import re
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.urls import reverse
from PIL import Image
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from articles.models import Article
from tests.browser.conftest import watch
from tests.factories import SectionFactory
from tests.stories import Desk, Newsroom

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


@dataclass
class Site:
    story: Article
    other: Article


@pytest.fixture
def site(desk: Desk, newsroom: Newsroom, library_photo, reporter) -> Site:
    lead = library_photo(
        caption="평택캠퍼스 전경", alt_text="반도체 공장 전경", width=640, height=420
    )
    inline = library_photo(caption="연구원", alt_text="HBM 웨이퍼를 든 연구원")
    paragraphs = "".join(
        f"<p>삼성전자가 고대역폭메모리 공급을 늘린다는 소식의 {n}번째 문단이다. "
        "업계는 하반기에도 증가세가 이어질 것으로 본다.</p>"
        for n in range(1, 9)
    )
    story = desk.story(
        '삼성전자 "HBM 공급 두 배로 늘린다"',
        section=newsroom.electronics,
        subheadline="하반기 평택 라인 증설",
        summary="삼성전자가 하반기 HBM 공급을 두 배로 늘린다.",
        body=paragraphs[:200] + "[[photo:1]]" + paragraphs[200:],
        photo_uses=[{"photo": lead.pk, "is_lead": True}, {"photo": inline.pk}],
        tags=["반도체"],
        series=newsroom.series.pk,
        series_ordinal=1,
    )
    other = desk.story("금리 동결에 증시 강보합", section=newsroom.finance)
    return Site(story=story, other=other)


@pytest.fixture
def open_page(browser, live_server):
    """`open_page(path, viewport=..., permissions=...)`: an anonymous reader's page, with
    every console error, page error and failed request written down in `page.problems`."""
    contexts = []

    def open_(path: str = "", *, viewport=None, permissions=(), context=None):
        if context is None:
            context = browser.new_context(viewport=viewport or {"width": 1280, "height": 900})
            if permissions:
                context.grant_permissions(list(permissions), origin=live_server.url)
            contexts.append(context)
        page = watch(context.new_page())
        page.set_default_timeout(10_000)
        if path:
            page.goto(live_server.url + path)
        return page

    yield open_
    for context in contexts:
        context.close()


def body_font_size(page) -> float:
    return page.locator("[data-story-body]").evaluate(
        "body => parseFloat(getComputedStyle(body).fontSize)"
    )


def test_the_text_size_buttons_change_the_body_text_and_the_choice_is_remembered(open_page, site):
    page = open_page(site.story.get_absolute_url())
    enlarge = page.get_by_role("button", name="글자 크게")
    shrink = page.get_by_role("button", name="글자 작게")
    # The script revealed them.
    assert enlarge.is_visible()
    assert shrink.is_visible()
    assert enlarge.inner_text() == "확대"
    assert shrink.inner_text() == "축소"
    start = body_font_size(page)

    enlarge.click()
    larger = body_font_size(page)
    assert larger > start

    page.reload()
    assert body_font_size(page) == larger
    other = open_page(site.other.get_absolute_url(), context=page.context)
    assert body_font_size(other) == larger

    other.get_by_role("button", name="글자 작게").click()
    other.get_by_role("button", name="글자 작게").click()
    assert body_font_size(other) < start
    assert page.problems == []
    assert other.problems == []


def test_copy_url_copies_the_canonical_address_and_says_so(open_page, site):
    page = open_page(
        site.story.get_absolute_url(), permissions=["clipboard-read", "clipboard-write"]
    )
    button = page.get_by_role("button", name="URL 복사")

    button.click()

    feedback = page.locator("[data-share-feedback]")
    expect(feedback).to_have_text("기사 주소를 복사했습니다.")  # once the copy is done
    expect(feedback).to_be_visible()
    copied = page.evaluate("() => navigator.clipboard.readText()")
    assert copied == settings.SITE_URL + site.story.get_absolute_url()
    assert copied == page.locator('link[rel="canonical"]').get_attribute("href")
    assert "utm_" not in copied
    assert page.problems == []


# The phone's share sheet, as a page script would find it: it notes what it was given.
SHARE_SHEET = """
Object.defineProperty(Navigator.prototype, "share", {
  configurable: true,
  value(data) { window.sharedWith = data; return Promise.resolve(); },
});
"""
NO_SHARE_SHEET = "delete Navigator.prototype.share;"
# Kakao's SDK as the page would load it: it notes the card it was asked to send.
KAKAO_SDK = """
window.Kakao = {
  init(key) { this.key = key; },
  isInitialized() { return Boolean(this.key); },
  Share: { sendDefault(card) { window.kakaoCard = card; } },
};
"""


def sharing_page(browser, live_server, path, *, script, kakao_sdk=None):
    """The story in a browser whose share sheet `script` sets up; `kakao_sdk` answers the
    Kakao SDK's address (None: the address fails, as when a blocker stops it)."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, bypass_csp=True)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    context.add_init_script(script)
    if kakao_sdk is None:
        context.route(settings.KAKAO_SDK_URL, lambda route: route.abort())
    else:
        context.route(
            settings.KAKAO_SDK_URL,
            lambda route: route.fulfill(body=kakao_sdk, content_type="text/javascript"),
        )
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(live_server.url + path)
    page.wait_for_load_state("load")
    return page


def test_without_a_kakao_key_kakaotalk_opens_the_phones_share_sheet(browser, live_server, site):
    assert settings.KAKAO_JS_KEY == ""
    page = sharing_page(browser, live_server, site.story.get_absolute_url(), script=SHARE_SHEET)
    try:
        bar = page.locator(".share-bar")
        kakao = bar.get_by_role("button", name="카카오톡")
        assert bar.get_by_role("button", name="공유", exact=True).count() == 0  # one, not two

        kakao.click()

        page.wait_for_function("() => window.sharedWith")
        shared = page.evaluate("() => window.sharedWith")
        assert shared["url"] == settings.SITE_URL + site.story.get_absolute_url()
        assert site.story.headline in shared["title"]
    finally:
        page.context.close()


def test_without_a_kakao_key_or_a_share_sheet_kakaotalk_copies_the_link_and_says_paste_it(
    browser, live_server, site
):
    page = sharing_page(browser, live_server, site.story.get_absolute_url(), script=NO_SHARE_SHEET)
    try:
        page.locator(".share-bar").get_by_role("button", name="카카오톡").click()

        feedback = page.locator("[data-share-feedback]")
        expect(feedback).to_have_text("링크가 복사되었습니다. 카카오톡에 붙여 넣으세요.")
        expect(feedback).to_be_visible()
        copied = page.evaluate("() => navigator.clipboard.readText()")
        assert copied == settings.SITE_URL + site.story.get_absolute_url()
    finally:
        page.context.close()


# A browser that refuses the page the clipboard.
REFUSED_CLIPBOARD = (
    NO_SHARE_SHEET
    + """
navigator.clipboard.writeText = () => Promise.reject(new Error("not allowed"));
"""
)


def test_when_the_link_cannot_be_copied_the_reader_is_told_so_as_a_failure(
    browser, live_server, site
):
    page = sharing_page(
        browser, live_server, site.story.get_absolute_url(), script=REFUSED_CLIPBOARD
    )
    try:
        page.locator(".share-bar").get_by_role("button", name="카카오톡").click()

        feedback = page.locator("[data-share-feedback]")
        expect(feedback).to_have_text("주소창의 주소를 복사해 주세요.")
        expect(feedback).to_have_class(re.compile(r"\bis-failed\b"))
        assert feedback.evaluate("node => getComputedStyle(node).color") == "rgb(179, 38, 30)"
    finally:
        page.context.close()


def test_with_a_kakao_key_kakaotalk_sends_kakaos_card_and_without_its_sdk_the_share_sheet(
    browser, live_server, site, settings
):
    settings.KAKAO_JS_KEY = "0123456789abcdef"
    path = site.story.get_absolute_url()
    page = sharing_page(browser, live_server, path, script=SHARE_SHEET, kakao_sdk=KAKAO_SDK)
    blocked = sharing_page(browser, live_server, path, script=SHARE_SHEET)
    try:
        page.locator(".share-bar").get_by_role("button", name="카카오톡").click()

        page.wait_for_function("() => window.kakaoCard")
        card = page.evaluate("() => window.kakaoCard")
        assert card["content"]["link"]["webUrl"] == settings.SITE_URL + path
        assert page.evaluate("() => window.Kakao.key") == "0123456789abcdef"
        assert page.evaluate("() => window.sharedWith === undefined")

        # A blocker stopped Kakao's script: the one button still shares, by the share sheet.
        blocked.locator(".share-bar").get_by_role("button", name="카카오톡").click()
        blocked.wait_for_function("() => window.sharedWith")
        assert blocked.evaluate("() => window.sharedWith.url") == settings.SITE_URL + path
    finally:
        page.context.close()
        blocked.context.close()


def test_printing_keeps_the_story_and_drops_the_page_around_it(open_page, site):
    page = open_page(site.story.get_absolute_url())
    assert page.locator(".share-bar").is_visible()

    page.emulate_media(media="print")

    for hidden in (".share-bar", ".story-tools", ".sidebar", ".section-nav", ".site-footer"):
        assert page.locator(hidden).is_hidden(), hidden
    assert page.locator("h1.headline").is_visible()
    assert page.locator("[data-story-body]").is_visible()
    assert page.locator("[data-story-body] p").first.is_visible()


def test_on_a_phone_the_page_fits_the_screen_and_the_sidebar_follows_the_story(open_page, site):
    page = open_page(site.story.get_absolute_url(), viewport={"width": 390, "height": 844})

    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    story = page.locator("article.story").bounding_box()
    sidebar = page.locator("aside.sidebar").bounding_box()
    assert sidebar["y"] >= story["y"] + story["height"]
    assert story["width"] <= 390
    home = open_page("/", context=page.context)
    assert home.evaluate("() => document.documentElement.scrollWidth") <= 390
    assert page.problems == []
    assert home.problems == []


PHONE = {"viewport": {"width": 375, "height": 812}, "is_mobile": True, "has_touch": True}


def drawn(page, box) -> bool:
    """Whether anything darker than the page's white is painted inside `box`."""
    shot = Image.open(io.BytesIO(page.screenshot(clip=box))).convert("L")
    return shot.getextrema()[0] < 200


def test_on_a_phone_the_section_nav_shows_it_scrolls_until_its_end_even_without_script(
    browser, open_page, site
):
    context = browser.new_context(java_script_enabled=False, **PHONE)
    nav = ".section-nav > ul"
    try:
        page = open_page("/", context=context)
        hint = page.locator(".section-nav .nav-scroll-hint")
        # Home and two sections fit: nothing says there is more.
        assert page.locator(nav).evaluate("ul => ul.scrollWidth <= ul.clientWidth")
        assert not drawn(page, hint.bounding_box())

        for number, name in enumerate(["경제정책", "부동산", "국제", "오피니언", "피플"], start=2):
            SectionFactory(name=name, slug=f"more-{number}", order=number)
        page.reload()

        assert page.locator(nav).evaluate("ul => ul.scrollWidth > ul.clientWidth")
        box = hint.bounding_box()
        assert box["x"] + box["width"] == pytest.approx(375, abs=1)  # at the screen's edge
        assert drawn(page, box)  # the arrow over the fading sections

        page.mouse.move(200, page.locator(nav).bounding_box()["y"] + 10)
        page.mouse.wheel(2000, 0)
        at_end = "ul => ul.scrollLeft + ul.clientWidth >= ul.scrollWidth - 1"
        for _ in range(50):  # the wheel scrolls smoothly; no page script to wait with
            if page.locator(nav).evaluate(at_end):
                break
            page.wait_for_timeout(100)
        assert not drawn(page, hint.bounding_box())
        # The last section is all on the screen, clear of the hint.
        last = page.get_by_role("link", name="피플", exact=True)
        assert last.bounding_box()["x"] + last.bounding_box()["width"] <= 375

        # A wide screen has room for every section: the hint is not there at all.
        page.set_viewport_size({"width": 1280, "height": 900})
        assert page.locator(nav).evaluate("ul => ul.scrollWidth <= ul.clientWidth")
        assert hint.is_hidden()
        assert page.problems == []
    finally:
        context.close()


def test_reader_pages_load_without_console_errors_or_csp_violations(
    open_page, live_server, site, reporter
):
    paths = [
        "/",
        "/sections/industry/",
        "/sections/industry/electronics/",
        site.story.get_absolute_url(),
        reverse("articles:reporter", args=[reporter.staff_profile.slug]),
    ]
    page = open_page()
    for path in paths:
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        # Lazy pictures load when they come into view.
        page.evaluate("() => window.scrollTo(0, document.body.scrollHeight)")
        page.wait_for_load_state("networkidle")
        assert page.problems == [], path
    # The listener does hear a violation: an inline script is refused, and reported.
    with (
        page.expect_console_message(lambda message: "CSP violation" in message.text),
        pytest.raises(PlaywrightError, match="Content Security Policy"),
    ):
        page.add_script_tag(content="window.inlineRan = true;")
    assert page.evaluate("() => window.inlineRan === undefined")
