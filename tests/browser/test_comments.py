"""The comment block in a real browser: the live byte counter counts like the server,
and posting, replying and liking work without reloading the page (and without script)."""

import pytest
from playwright.sync_api import expect

from comments import moderation, rules
from comments.models import Comment
from tests.comments.conftest import with_nickname
from tests.comments.test_rules import CASES
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


@pytest.fixture
def story(desk):
    return desk.story('해솔중공업 "LNG 운반선 3년치 일감 확보"')


@pytest.fixture
def commenter(db):
    return with_nickname(UserFactory(email="commenter@example.com"), "조선업관찰자")


@pytest.fixture
def neighbour(db):
    return with_nickname(UserFactory(email="neighbour@example.com"), "부산항사람")


@pytest.fixture
def open_story(signed_in_page, live_server, story):
    """The story's page, signed in as `user`, with every console error, page error (a CSP
    violation among them) and failed request written down in `page.problems`."""

    def open_(user, **options):
        page = signed_in_page(user, **options)
        problems = []
        page.on(
            "console", lambda message: message.type == "error" and problems.append(message.text)
        )
        page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
        page.problems = problems
        page.goto(live_server.url + story.get_absolute_url())
        # A full load would lose this mark: its survival shows nothing was reloaded.
        page.evaluate("() => { window.stillTheSamePage = true; }")
        return page

    return open_


def counter_of(page, box):
    return box.locator("xpath=ancestor::form").locator("[data-bytes]")


def test_the_live_counter_counts_every_case_like_the_server(open_story, commenter):
    page = open_story(commenter)
    box = page.locator("#comment-body-new")
    counter = counter_of(page, box)
    expect(counter).to_have_text("0")

    for text, expected in CASES:
        box.fill(text)
        # The box itself turns CR and CRLF into LF, as the server's normalise() does.
        assert counter.inner_text() == str(expected), repr(text)
        assert expected == rules.byte_count(text)
    box.fill("")
    box.press_sequentially("한글 ok 😀")
    expect(counter).to_have_text("10")
    assert "현재 10 byte / 최대 400byte" in page.locator(".comment-counter").first.inner_text()
    assert page.problems == []


def test_posting_shows_the_comment_without_reloading_the_page(open_story, commenter, story):
    page = open_story(commenter)
    box = page.locator("#comment-body-new")

    box.fill("일감 3년치면 협력사들도\n숨통이 트이겠네요.")
    page.get_by_role("button", name="등록", exact=True).click()

    expect(page.locator(".comments-notice")).to_have_text("댓글이 등록되었습니다.")
    body = page.locator(".comment-body").first
    expect(body).to_contain_text("숨통이 트이겠네요.")
    assert body.inner_text() == "일감 3년치면 협력사들도\n숨통이 트이겠네요."
    assert body.inner_html() == "일감 3년치면 협력사들도<br>숨통이 트이겠네요."
    assert page.locator("#comments-heading").inner_text() == "댓글 (1)"
    assert page.locator("#comment-body-new").input_value() == ""
    assert page.evaluate("() => window.stillTheSamePage") is True
    assert Comment.objects.get(story=story).author == commenter
    assert page.problems == []


def test_an_over_long_comment_waits_saying_what_to_remove_and_keeps_its_text(open_story, commenter):
    page = open_story(commenter)
    box = page.locator("#comment-body-new")
    post = page.get_by_role("button", name="등록", exact=True)
    text = "가" * 200 + "나"

    box.fill(text)
    expect(page.locator(".comment-counter").first).to_have_class("comment-counter is-over")
    expect(post).to_be_disabled()
    reason = box.locator("xpath=ancestor::form").locator("[data-over]")
    expect(reason).to_have_text("2byte를 줄이면 등록할 수 있습니다.")
    assert box.input_value() == text  # nothing cut

    box.press("End")
    box.press("Backspace")
    expect(post).to_be_enabled()
    expect(reason).to_be_hidden()
    post.click()
    expect(page.locator(".comments-notice")).to_have_text("댓글이 등록되었습니다.")
    assert Comment.objects.get().body == "가" * 200
    assert page.evaluate("() => window.stillTheSamePage") is True
    assert page.problems == []


def test_replying_puts_the_reply_under_its_comment(open_story, commenter, neighbour, story):
    parent = moderation.post_comment(story, author=neighbour, body="선가도 올랐나요?")
    page = open_story(commenter)

    thread = page.locator(".comment-thread").first
    thread.locator("summary", has_text="답글").click()
    thread.locator(f"#comment-body-{parent.pk}").fill("기사 셋째 문단에 나옵니다.")
    thread.get_by_role("button", name="답글", exact=True).click()

    replies = page.locator(".comment-thread").first.locator(".comment-replies .comment-body")
    expect(replies).to_have_text(["기사 셋째 문단에 나옵니다."])
    assert Comment.objects.get(parent=parent).author == commenter
    assert page.evaluate("() => window.stillTheSamePage") is True
    assert page.problems == []


def test_liking_counts_once_and_a_second_click_takes_it_back(
    open_story, commenter, neighbour, story
):
    comment = moderation.post_comment(story, author=neighbour, body="수주 잔고가 든든하네요.")
    page = open_story(commenter)

    page.locator(f"#comment-{comment.pk} button.is-like").click()
    like = page.locator(f"#comment-{comment.pk} button.is-like")
    expect(like).to_have_attribute("aria-pressed", "true")
    expect(like.locator(".count")).to_have_text("1")
    like.click()
    expect(page.locator(f"#comment-{comment.pk} button.is-like")).to_have_attribute(
        "aria-pressed", "false"
    )
    comment.refresh_from_db()
    assert comment.like_count == 0
    assert page.evaluate("() => window.stillTheSamePage") is True
    assert page.problems == []


def test_without_script_a_comment_is_a_plain_post_that_comes_back_to_the_page(
    open_story, commenter, story
):
    page = open_story(commenter, java_script_enabled=False)
    # The article page is the one everyone gets: its link leads a signed-in reader to
    # the comments drawn for them.
    page.locator(".comments-login a").first.click()

    page.locator("#comment-body-new").fill("스크립트 없이 씁니다.")
    page.get_by_role("button", name="등록", exact=True).click()

    expect(page.locator(".message")).to_have_text("댓글이 등록되었습니다.")
    expect(page.locator(".comment-body")).to_have_text(["스크립트 없이 씁니다."])
    comment = Comment.objects.get(story=story)
    assert page.url.endswith(f"#comment-{comment.pk}")
