"""The moderator's desk in a real browser: ticking two comments, choosing a reason and
rejecting both at once; the "select all" box the page's small script adds; one row's
decision with the reason picked beside it, without script."""

import pytest
from playwright.sync_api import expect

from comments import moderation
from comments.models import Comment
from tests.comments.conftest import with_nickname
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


@pytest.fixture
def comments(desk):
    story = desk.story('해솔중공업 "LNG 운반선 3년치 일감 확보"')
    authors = [
        with_nickname(UserFactory(email=f"writer{n}@example.com"), f"작성자{n}") for n in range(3)
    ]
    return [
        moderation.post_comment(story, author=author, body=text)
        for author, text in zip(
            authors, ["광고 댓글 하나", "광고 댓글 둘", "멀쩡한 댓글"], strict=True
        )
    ]


def test_a_moderator_rejects_two_comments_at_once_with_a_reason(
    signed_in_page, live_server, moderator, comments
):
    page = signed_in_page(moderator)
    problems = []
    page.on("console", lambda m: m.type == "error" and problems.append(m.text))
    page.goto(live_server.url + "/desk/comments/?tab=all")

    first, second, kept = comments
    page.check(f"#pick-{first.pk}")
    page.check(f"#pick-{second.pk}")
    page.select_option("#bulk-decision", "reject")
    page.select_option("#bulk-reason", "spam")
    page.fill("#bulk-note", "광고성 댓글입니다")
    page.click("button[name=bulk]")

    expect(page.locator("ul.messages")).to_contain_text("삭제: 2건")
    statuses = dict(Comment.objects.values_list("pk", "status"))
    assert statuses == {first.pk: "rejected", second.pk: "rejected", kept.pk: "published"}
    assert set(
        Comment.objects.filter(status="rejected").values_list("rejection_reason", flat=True)
    ) == {"spam"}
    assert problems == []


def test_the_select_all_box_ticks_every_comment_on_the_page(
    signed_in_page, live_server, moderator, comments
):
    page = signed_in_page(moderator)
    page.goto(live_server.url + "/desk/comments/?tab=all")

    page.check("[data-select-all]")

    for comment in comments:
        expect(page.locator(f"#pick-{comment.pk}")).to_be_checked()


def test_without_script_the_select_all_box_stays_hidden(
    signed_in_page, live_server, moderator, comments
):
    page = signed_in_page(moderator, java_script_enabled=False)
    page.goto(live_server.url + "/desk/comments/?tab=all")

    expect(page.locator("[data-select-all]")).to_be_hidden()
    expect(page.locator("input.mod-pick")).to_have_count(3)


def test_without_script_a_row_rejects_its_comment_for_the_reason_picked_beside_it(
    signed_in_page, live_server, moderator, comments
):
    page = signed_in_page(moderator, java_script_enabled=False)
    page.goto(live_server.url + "/desk/comments/?tab=all")
    first, *others = comments
    row = page.locator(f"#comment-{first.pk}")

    row.get_by_role("button", name="삭제").click()

    expect(row.get_by_role("alert")).to_have_text("댓글이 어긴 규칙(삭제 사유)을 고르세요.")
    # The rows' boxes belong to the bulk bar: a row's button must not send them.
    page.check(f"#pick-{others[0].pk}")
    row.get_by_label("삭제 사유").select_option("spam")
    row.get_by_role("button", name="삭제").click()

    expect(page.locator("ul.messages")).to_contain_text("삭제: 1건")
    statuses = dict(Comment.objects.values_list("pk", "status"))
    assert statuses == {first.pk: "rejected", **{c.pk: "published" for c in others}}
