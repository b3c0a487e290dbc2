"""The comment block on the article page, the comment views (plain posts and the script's
fetches), my comments on my page, and the dashboard's count tag."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.template import Context, Template
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.models import CommentMode
from comments import moderation
from comments.models import Comment, CommentReport, CommentVote
from tests.comments.conftest import with_nickname
from tests.factories import CommentFactory, SectionFactory, UserFactory
from tests.pages import caches_on, cold, korean, parse

pytestmark = pytest.mark.postgres

Status = Comment.Status
SCRIPT = {"HTTP_X_REQUESTED_WITH": "fetch"}


def block_of(response):
    return parse(response).one("section", id="comments")


def readers_block(client, story, query: str = ""):
    """The block as the signed-in reader sees it: the article page is the same for
    everyone, so their own block is the comments page (the one a reader without script
    uses; with script the page's personal request brings the same block)."""
    return block_of(client.get(reverse("comments:block", args=[story.pk]) + query))


def texts(block, cls: str) -> list[str]:
    return [element.text for element in block.select(cls=cls)]


def post_url(story) -> str:
    return reverse("comments:post", args=[story.pk])


# --- what readers see ----------------------------------------------------------------------


def test_the_block_counts_visible_comments_and_shows_both_rule_notices(
    client, reader, other_reader, story, post, desk
):
    first = post(reader, "첫 댓글")
    post(other_reader, "답글", parent=first)
    moderation.delete_own(post(reader, "지운 댓글"), actor=reader)

    block = block_of(client.get(story.get_absolute_url()))

    assert block.one("h2").text == "댓글 (2)"
    rules = texts(block, "comment-rules")[0]
    assert "법률" in rules
    assert "관리자" in rules


def test_an_anonymous_reader_gets_a_log_in_link_and_no_form(client, reader, story, post):
    post(reader)

    response = client.get(story.get_absolute_url())
    block = block_of(response)

    assert not block.select("form")
    assert not block.select("textarea")
    links = block.one("p", cls="comments-login").select("a")
    login, signup = (urlsplit(link.attrs["href"]) for link in links)
    comments_page = reverse("comments:block", args=[story.pk]) + "#comments"
    assert login.path == reverse("account_login")
    assert signup.path == reverse("account_signup")
    assert parse_qs(login.query)["next"] == parse_qs(signup.query)["next"] == [comments_page]
    # The rules and the limit show before a reader signs in, as the box's counter says it.
    assert block.one("p", cls="comment-limit").text == (
        "200자까지 쓰실 수 있습니다. (현재 0 byte / 최대 400byte)"
    )
    assert "csrfmiddlewaretoken" not in response.content.decode()
    assert not response.cookies


def test_every_anonymous_reader_gets_the_same_page(reader, other_reader, story, post):
    comment = post(reader, "캐시되는 댓글")
    moderation.vote(comment, voter=other_reader, value="like")

    first = Client().get(story.get_absolute_url())
    second = Client().get(story.get_absolute_url())

    strip = lambda response: response.content.decode()  # noqa: E731
    assert strip(first) == strip(second)
    assert "Vary" not in first
    assert "public" in first["Cache-Control"]


def test_a_signed_in_reader_gets_the_public_page_and_their_own_block_privately(
    client, reader, story
):
    client.force_login(reader)

    page = client.get(story.get_absolute_url())
    own = client.get(reverse("comments:block", args=[story.pk]))

    assert page.content == Client().get(story.get_absolute_url()).content
    assert "public" in page["Cache-Control"]
    assert "private" in own["Cache-Control"] or "no-cache" in own["Cache-Control"]
    assert block_of(own).one("form", action=post_url(story))


def test_a_verified_reader_gets_the_box_with_the_notice_and_the_counter(client, reader, story):
    client.force_login(reader)

    block = readers_block(client, story)

    form = block.one("form", action=post_url(story))
    assert form.one("textarea").attrs["data-max-bytes"] == "400"
    limit = form.one("p", cls="comment-limit").text
    assert "200자까지" in limit
    assert "현재 0 byte / 최대 400byte" in limit


def test_an_unverified_reader_is_told_why_there_is_no_box(client, unverified_reader, story):
    client.force_login(unverified_reader)

    block = readers_block(client, story)

    assert not block.select("textarea")
    assert "이메일" in block.one("p", cls="comments-refusal").text


@pytest.mark.parametrize("where", ["story", "section"])
def test_a_closed_story_shows_a_notice_instead_of_the_box(client, reader, desk, where):
    if where == "story":
        story = desk.story("닫힌 기사", comment_mode=CommentMode.CLOSED)
    else:
        story = desk.story("닫힌 섹션", section=SectionFactory(comment_mode=CommentMode.CLOSED))
    client.force_login(reader)

    block = readers_block(client, story)

    assert not block.select("textarea")
    assert block.one("p", cls="comments-closed").text == korean(
        "Comments on this story are closed."
    )


def test_a_held_comment_is_seen_by_its_author_only_and_not_counted(
    client, reader, other_reader, desk, post
):
    story = desk.story("검토 기사", comment_mode=CommentMode.PREMODERATED)
    post(reader, "검토를 기다리는 댓글", on=story)

    client.force_login(reader)
    mine = readers_block(client, story)
    assert mine.one("h2").text == "댓글 (0)"
    assert texts(mine, "comment-body") == ["검토를 기다리는 댓글"]
    assert texts(mine, "comment-badge") == [korean("Awaiting review")]
    assert "검토" in mine.one("p", cls="comments-note").text

    client.force_login(other_reader)
    assert not readers_block(client, story).select(cls="comment-body")
    assert "검토를 기다리는" not in Client().get(story.get_absolute_url()).content.decode()


def test_comments_are_newest_first_or_most_liked_with_replies_under_their_parent(
    client, reader, other_reader, story, post, clock
):
    from datetime import timedelta

    liked = post(reader, "추천 많은 댓글")
    clock.shift(timedelta(minutes=1))
    post(other_reader, "새 댓글")
    clock.shift(timedelta(minutes=1))
    post(other_reader, "답글 하나", parent=liked)
    moderation.vote(liked, voter=other_reader, value="like")

    newest = block_of(client.get(story.get_absolute_url()))
    assert texts(newest, "comment-body") == ["새 댓글", "추천 많은 댓글", "답글 하나"]
    best = block_of(client.get(story.get_absolute_url() + "?csort=liked"))
    assert texts(best, "comment-body") == ["추천 많은 댓글", "답글 하나", "새 댓글"]
    thread = best.select("li", cls="comment-thread")[0]
    assert [
        element.text
        for element in thread.one("ol", cls="comment-replies").select(cls="comment-body")
    ] == ["답글 하나"]


def test_comments_are_paginated_by_twenty_threads(client, reader, story, post, clock):
    from datetime import timedelta

    for number in range(25):
        clock.shift(timedelta(minutes=1))
        post(reader, f"댓글 {number:02d}")

    first = block_of(client.get(story.get_absolute_url()))
    second = block_of(client.get(story.get_absolute_url() + "?cpage=2"))
    beyond = block_of(client.get(story.get_absolute_url() + "?cpage=99"))

    assert len(first.select("li", cls="comment-thread")) == 20
    assert texts(second, "comment-body")[0] == "댓글 04"
    assert len(second.select("li", cls="comment-thread")) == 5
    assert texts(beyond, "comment-body") == texts(second, "comment-body")
    assert (
        first.one("nav", cls="comment-pages")
        .select("a")[0]
        .attrs["href"]
        .endswith("?cpage=2#comments")
    )


def test_a_deleted_comment_with_replies_shows_as_deleted_above_them(
    client, reader, other_reader, story, post
):
    parent = post(reader, "곧 지울 댓글")
    post(other_reader, "남는 답글", parent=parent)
    moderation.delete_own(parent, actor=reader)
    moderation.delete_own(post(reader, "답글 없는 지운 댓글"), actor=reader)

    block = block_of(client.get(story.get_absolute_url()))

    assert texts(block, "comment-deleted") == ["삭제된 댓글입니다."]
    assert texts(block, "comment-body") == ["남는 답글"]
    assert "곧 지울" not in str(client.get(story.get_absolute_url()).content.decode())


@pytest.mark.parametrize(
    "payload",
    [
        "<script>alert('x')</script>",
        '<img src=x onerror="alert(1)">',
        '"><svg onload=alert(1)>',
        '<a href="javascript:alert(1)">링크</a>',
    ],
)
def test_comment_text_is_shown_as_plain_text_with_its_line_breaks(
    client, reader, story, post, payload
):
    post(reader, f"{payload}\n둘째 줄")

    html = client.get(story.get_absolute_url()).content.decode()
    body = block_of(client.get(story.get_absolute_url())).one("p", cls="comment-body")

    assert payload not in html
    assert not body.select("script")
    assert not body.select("img")
    assert not body.select("svg")
    assert [child.tag for child in body.iter()] == ["br"]
    assert body.text == f"{payload} 둘째 줄"


def test_the_author_is_shown_by_nickname_never_by_e_mail(client, reader, story, post):
    post(reader)

    html = client.get(story.get_absolute_url()).content.decode()

    assert "솔빛독자" in html
    assert reader.email not in html


# --- posting through the page ---------------------------------------------------------------


def test_posting_redirects_back_to_the_new_comment(client, reader, story):
    client.force_login(reader)

    response = client.post(post_url(story), {"body": "등록 테스트\r\n둘째 줄"})

    comment = Comment.objects.get()
    assert response.status_code == 302
    own_page = reverse("comments:block", args=[story.pk])
    assert response["Location"] == f"{own_page}#comment-{comment.pk}"
    assert comment.body == "등록 테스트\n둘째 줄"
    page = client.get(response["Location"])
    assert korean("Your comment is posted.") in page.content.decode()


def test_a_nul_in_a_comment_is_refused_with_a_message_about_the_character(client, reader, story):
    client.force_login(reader)

    response = client.post(post_url(story), {"body": "좋은\x00기사"})

    assert response.status_code == 400
    error = block_of(response).one("form", action=post_url(story)).one("ul", cls="comment-errors")
    assert (
        error.text
        == "댓글에 NUL 문자가 들어 있어 등록할 수 없습니다. 다시 쓰거나 붙여 넣어 주세요."
    )
    assert not Comment.objects.exists()


@pytest.mark.parametrize(
    ("body", "message"), [("   ", "Write something before posting."), ("가" * 201, None)]
)
def test_a_refused_comment_keeps_the_text_in_the_box_and_saves_nothing(
    client, reader, story, body, message
):
    client.force_login(reader)

    response = client.post(post_url(story), {"body": body})

    assert response.status_code == 400
    form = block_of(response).one("form", action=post_url(story))
    assert form.one("textarea").text == body.strip() or form.one("textarea").text == body
    error = form.one("ul", cls="comment-errors").text
    if message:
        assert error == korean(message)
    else:
        assert "402" in error
        assert "400" in error
        assert "is-over" in form.one(cls="comment-counter").attrs["class"]
    assert not Comment.objects.exists()
    later = readers_block(client, story)
    assert later.one("form", action=post_url(story)).one("textarea").text == ""


def test_a_refused_reply_reopens_its_own_box_with_the_text(client, reader, other_reader, post):
    parent = post(other_reader, "원 댓글")
    client.force_login(reader)

    response = client.post(post_url(parent.story), {"body": "a" * 401, "parent": parent.pk})

    assert response.status_code == 400
    block = block_of(response)
    reply_box = block.one("details", cls="comment-reply-box")
    assert "open" in reply_box.attrs
    assert reply_box.one("textarea").text == "a" * 401
    top_level = [
        form
        for form in block.select("form", action=post_url(parent.story))
        if "is-reply" not in form.attrs["class"]
    ]
    assert top_level[0].one("textarea").text == ""


def test_the_script_gets_the_block_back_instead_of_a_redirect(client, reader, story):
    client.force_login(reader)

    response = client.post(post_url(story), {"body": "스크립트로 등록"}, **SCRIPT)

    assert response.status_code == 200
    assert response["X-Comments-Block"] == "1"
    block = parse(response).one("section", id="comments")
    assert texts(block, "comment-body") == ["스크립트로 등록"]
    assert block.one("p", cls="comments-notice").text == korean("Your comment is posted.")
    refused = client.post(post_url(story), {"body": ""}, **SCRIPT)
    assert refused.status_code == 400
    assert refused["X-Comments-Block"] == "1"


def test_an_anonymous_post_goes_to_log_in_and_saves_nothing(client, story):
    response = client.post(post_url(story), {"body": "익명 댓글"})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert not Comment.objects.exists()


def test_every_comment_action_needs_the_csrf_token(reader, other_reader, story, post):
    comment = post(other_reader)
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(reader)

    for url, data in [
        (post_url(story), {"body": "토큰 없음"}),
        (reverse("comments:vote", args=[comment.pk]), {"value": "like"}),
        (reverse("comments:report", args=[comment.pk]), {"reason": "spam"}),
        (reverse("comments:delete", args=[comment.pk]), {}),
    ]:
        assert browser.post(url, data).status_code == 403
    assert Comment.objects.count() == 1
    assert not CommentVote.objects.exists()
    assert not CommentReport.objects.exists()


def test_a_comment_on_an_unpublished_story_is_not_found(client, reader, desk):
    story = desk.story("초고", state="draft")
    client.force_login(reader)

    assert client.post(post_url(story), {"body": "보이나요"}).status_code == 404


# --- votes, reports and deletion through the page -------------------------------------------


def test_liking_marks_the_button_and_the_next_click_takes_it_back(
    client, reader, other_reader, post
):
    comment = post(other_reader)
    vote_url = reverse("comments:vote", args=[comment.pk])
    client.force_login(reader)

    response = client.post(vote_url, {"value": "like"})
    assert response["Location"].endswith(f"#comment-{comment.pk}")
    like = readers_block(client, comment.story).one("button", cls="is-like")
    assert like.attrs["aria-pressed"] == "true"
    assert like.attrs["value"] == ""  # pressed again: withdraw
    assert like.one("span", cls="count").text == "1"
    client.post(vote_url, {"value": ""})
    comment.refresh_from_db()
    assert comment.like_count == 0


def test_a_reader_cannot_vote_on_their_own_comment_and_is_told_why(client, reader, post):
    comment = post(reader)
    client.force_login(reader)

    response = client.post(reverse("comments:vote", args=[comment.pk]), {"value": "like"}, **SCRIPT)

    assert response.status_code == 400
    assert "자신" in parse(response).one("p", cls="comments-notice").text
    assert not CommentVote.objects.exists()


def test_reporting_records_the_reason_and_the_comment_shows_as_reported(
    client, reader, other_reader, post
):
    comment = post(other_reader)
    client.force_login(reader)

    client.post(reverse("comments:report", args=[comment.pk]), {"reason": "attack", "note": "비방"})

    assert CommentReport.objects.get().reason == "attack"
    block = readers_block(client, comment.story)
    assert texts(block, "comment-reported") == [korean("Reported")]
    again = client.post(reverse("comments:report", args=[comment.pk]), {"reason": "spam"}, **SCRIPT)
    assert again.status_code == 400
    assert CommentReport.objects.count() == 1


def test_a_report_flood_from_one_address_is_refused_with_the_reason(settings, other_reader, post):
    settings.COMMENTS_REPORTS_PER_IP_PER_HOUR = 2
    comment = post(other_reader)
    report_url = reverse("comments:report", args=[comment.pk])
    accounts = [
        with_nickname(UserFactory(email=f"sock{n}@example.com"), f"독자{n}") for n in range(3)
    ]
    flood = Client(REMOTE_ADDR="203.0.113.5")
    for account in accounts[:2]:
        flood.force_login(account)
        assert flood.post(report_url, {"reason": "spam"}, **SCRIPT).status_code == 200

    flood.force_login(accounts[2])
    refused = flood.post(report_url, {"reason": "spam"}, **SCRIPT)

    assert refused.status_code == 400
    notice = parse(refused).one("p", cls="comments-notice").text
    assert "같은 네트워크에서 너무 많은 신고가 접수되었습니다." in notice
    assert CommentReport.objects.count() == 2
    elsewhere = Client(REMOTE_ADDR="192.0.2.8")
    elsewhere.force_login(accounts[2])
    assert elsewhere.post(report_url, {"reason": "spam"}, **SCRIPT).status_code == 200
    assert CommentReport.objects.count() == 3


def test_only_the_author_sees_and_uses_the_delete_button(client, reader, other_reader, post):
    comment = post(reader)
    delete_url = reverse("comments:delete", args=[comment.pk])

    client.force_login(other_reader)
    assert not readers_block(client, comment.story).select("form", action=delete_url)
    assert client.post(delete_url, **SCRIPT).status_code == 403
    client.force_login(reader)
    assert readers_block(client, comment.story).select("form", action=delete_url)
    client.post(delete_url)
    comment.refresh_from_db()
    assert comment.status == Status.DELETED


def test_the_fragment_is_the_block_alone_for_sorting_and_paging(client, reader, story, post):
    post(reader)

    response = client.get(reverse("comments:block", args=[story.pk]) + "?csort=liked", **SCRIPT)

    assert response["X-Comments-Block"] == "1"
    assert parse(response).one("section", id="comments")
    assert not response.cookies


# --- a fixed number of queries ------------------------------------------------------------

# This plain story's page (no series, no photos) with every cache empty, of which the
# block's one: the page of comments with their replies, the viewer's votes and the story's
# counts (the article page's others, the subscribe box's newsletters among them:
# tests/articles/test_reader_article.py).
ANONYMOUS_PAGE_QUERIES = 9
# A signed-in reader gets the same page; their personal request draws the block for them:
# the session, the user and the block's one. The story, whether the reader may take part
# and whether anything on the story is theirs are kept (comments.fragments): the first
# request reads them, three more. A reader with nothing of their own on the story gets
# the kept block: two in all (tests/comments/test_block_fragment.py).
PERSONAL_REQUEST_QUERIES = 3


def fill(story, count: int):
    """`count` comments, each with a reply and two votes, from `count` readers."""
    readers = [
        UserFactory(email=f"fill{number}@example.com", nickname=f"독자{number:03d}")
        for number in range(count + 1)
    ]
    for number in range(count):
        writer, answerer = readers[number], readers[number + 1]
        comment = moderation.post_comment(story, author=writer, body=f"댓글 {number}")
        moderation.post_comment(story, author=answerer, body=f"답글 {number}", parent=comment)
        moderation.vote(comment, voter=answerer, value="like")
        moderation.vote(comment, voter=readers[-1] if number else answerer, value="like")


@pytest.mark.parametrize("count", [1, 50])
def test_the_article_page_runs_the_same_queries_whatever_the_comments(
    client, reader, story, count, django_assert_num_queries, settings
):
    caches_on(settings)
    fill(story, count)
    moderation.vote(Comment.objects.filter(parent=None).first(), voter=reader, value="like")
    url = story.get_absolute_url()

    with django_assert_num_queries(ANONYMOUS_PAGE_QUERIES):
        assert cold(client, url).status_code == 200
    client.force_login(reader)
    with django_assert_num_queries(PERSONAL_REQUEST_QUERIES + 3):
        client.get(reverse("accounts:personal"), {"story": story.pk})
    with django_assert_num_queries(PERSONAL_REQUEST_QUERIES):
        personal = client.get(reverse("accounts:personal"), {"story": story.pk}).json()
    block = parse(personal["parts"]["comments"]).one("section", id="comments")
    assert len(block.select("li", cls="comment-thread")) == min(count, 20)
    assert len(block.select("ol", cls="comment-replies")) == min(count, 20)
    assert block.select("button", aria_pressed="true")


# --- my comments ---------------------------------------------------------------------------


def test_my_page_lists_my_comments_with_their_state(client, reader, other_reader, desk, post):
    held_story = desk.story("검토 기사", comment_mode=CommentMode.PREMODERATED)
    post(reader, "게시된 댓글")
    post(reader, "보류된 댓글", on=held_story)
    moderation.delete_own(post(reader, "지운 댓글"), actor=reader)
    post(other_reader, "남의 댓글")
    client.force_login(reader)

    page = parse(client.get(reverse("accounts:me")))

    section = page.one("section", id="my-comments")
    items = section.select("li", cls="my-comment")
    assert [item.one("p", cls="my-comment-body").text for item in items] == [
        "지운 댓글",
        "보류된 댓글",
        "게시된 댓글",
    ]
    assert [item.one("span", cls="comment-state").text for item in items] == [
        "삭제됨",
        "검토 대기",
        "게시됨",
    ]
    assert "남의 댓글" not in section.text


@pytest.mark.parametrize("count", [1, 50])
def test_my_comments_take_the_same_queries_whatever_their_number(
    client, reader, story, count, django_assert_num_queries
):
    CommentFactory.create_batch(count, story=story, author=reader)
    client.force_login(reader)

    # As tests/accounts pins my page, two of them for my comments (the page of them, and
    # the notice of recent removals); the section menu is one query (the section tree).
    with django_assert_num_queries(8):
        page = parse(client.get(reverse("accounts:me")))
    assert len(page.select("li", cls="my-comment")) == min(count, 20)
    assert bool(page.select("a", rel="next")) == (count > 20)


# --- the dashboard's count tag ---------------------------------------------------------------


def test_comment_counts_gives_each_storys_visible_comments_in_one_query(
    reader, other_reader, desk, post
):
    busy, quiet = desk.story("댓글 많은 기사"), desk.story("조용한 기사")
    first = post(reader, "하나", on=busy)
    post(other_reader, "둘", on=busy, parent=first)
    moderation.delete_own(post(reader, "지움", on=busy), actor=reader)
    template = Template(
        "{% load comments_tags %}{% comment_counts stories as counts %}"
        "{% for story in stories %}{{ story.pk }}={{ counts|count_for:story.pk }};{% endfor %}"
    )

    with CaptureQueriesContext(connection) as queries:
        rendered = template.render(Context({"stories": [busy, quiet]}))

    assert rendered == f"{busy.pk}=2;{quiet.pk}=0;"
    assert len(queries) == 1
