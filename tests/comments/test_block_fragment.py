"""The comment block as anonymous readers see it is kept as a fragment
(comments.fragments): read once for every address of the story's page, retired by any
recorded comment change; a signed-in reader's block, the views' answers and a refused
form are always drawn for their request."""

import pytest
from allauth.account.models import EmailAddress
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from comments import moderation
from tests.articles.test_reader_article import ARTICLE_PAGE_WARM_QUERIES
from tests.factories import CommentFactory, UserFactory
from tests.pages import parse

pytestmark = pytest.mark.usefixtures("page_cache")

SCRIPT = {"HTTP_X_REQUESTED_WITH": "fetch"}


def block_of(response):
    assert response.status_code in (200, 400), response.status_code
    return parse(response).one("section", id="comments")


def comment_queries(queries) -> int:
    return sum('"comments_comment"' in query["sql"] for query in queries.captured_queries)


@pytest.fixture
def story(desk):
    return desk.story("댓글을 세는 기사")


def test_the_block_is_read_once_while_no_comment_changes(client, story, settings):
    CommentFactory(story=story, body="먼저 단 댓글")
    settings.PAGE_CACHE_ENABLED = False  # each request builds the page again
    client.get(story.get_absolute_url())

    with CaptureQueriesContext(connection) as queries:
        block = block_of(client.get(story.get_absolute_url()))
    assert comment_queries(queries) == 0
    assert len(queries) == ARTICLE_PAGE_WARM_QUERIES
    assert "먼저 단 댓글" in block.text


def test_a_comment_approved_shows_in_the_block_of_every_sort(client, story, reader, moderator):
    held = CommentFactory(story=story, author=reader, body="심사를 기다리는 댓글", status="pending")
    for query in ("", "?csort=liked"):
        block = block_of(client.get(story.get_absolute_url() + query))
        assert "심사를 기다리는 댓글" not in block.text

    moderation.approve(held, actor=moderator)

    for query in ("", "?csort=liked"):
        block = block_of(client.get(story.get_absolute_url() + query))
        assert "심사를 기다리는 댓글" in block.text
        assert block.one("h2").text == "댓글 (1)"


def test_a_reader_deleting_their_comment_empties_the_block(client, story, reader):
    comment = moderation.post_comment(story, author=reader, body="곧 지울 댓글")
    assert "곧 지울 댓글" in block_of(client.get(story.get_absolute_url())).text

    moderation.delete_own(comment, actor=reader)

    assert "곧 지울 댓글" not in block_of(client.get(story.get_absolute_url())).text


def test_comments_closed_on_the_story_show_at_once(client, desk, story, editor):
    assert block_of(client.get(story.get_absolute_url())).select("p", cls="comments-login")

    desk.edit(story, actor=editor, comment_mode="closed")

    block = block_of(client.get(story.get_absolute_url()))
    assert block.select("p", cls="comments-closed")
    assert not block.select("p", cls="comments-login")


def test_a_signed_in_readers_own_block_is_never_the_kept_one(client, story, reader):
    anonymous = block_of(Client().get(story.get_absolute_url()))  # the block is kept
    assert not anonymous.select("form")
    moderation.post_comment(story, author=reader, body="내 댓글")
    reader.refresh_from_db()
    client.force_login(reader)

    own = client.get(reverse("accounts:personal"), {"story": story.pk}).json()
    block = parse(own["parts"]["comments"]).one("section", id="comments")
    assert block.select("form", action=reverse("comments:post", args=[story.pk]))
    assert block.select("input", name="csrfmiddlewaretoken")
    assert "내 댓글" in block.text

    again = block_of(Client().get(story.get_absolute_url()))
    assert not again.select("form")
    assert not again.select("input", name="csrfmiddlewaretoken")
    assert "내 댓글" in again.text  # published: everyone's now


def test_a_held_comment_and_a_refused_form_stay_their_authors(client, story, reader, desk):
    held_story = desk.story("검토하는 기사", comment_mode="premoderated")
    block_of(Client().get(held_story.get_absolute_url()))
    client.force_login(reader)

    posted = client.post(
        reverse("comments:post", args=[held_story.pk]), {"body": "검토 대기 댓글"}, **SCRIPT
    )
    assert "검토 대기 댓글" in block_of(posted).text
    refused = client.post(reverse("comments:post", args=[held_story.pk]), {"body": "a" * 401})
    assert block_of(refused).one("textarea").text == "a" * 401

    anonymous = block_of(Client().get(held_story.get_absolute_url()))
    assert "검토 대기 댓글" not in anonymous.text
    assert "a" * 401 not in anonymous.text
    assert not anonymous.select("textarea")


# --- a signed-in reader's block, from the personal request ---------------------------------


def personal_block(client, story):
    personal = client.get(reverse("accounts:personal"), {"story": story.pk}).json()
    return parse(personal["parts"]["comments"]).one("section", id="comments")


def token_of(block) -> str:
    form = block.select("form", cls="comment-form")[0]  # the story's own, before the replies'
    return form.one("input", name="csrfmiddlewaretoken").attrs["value"]


def test_readers_with_nothing_of_their_own_share_one_block_each_with_their_token(
    story, reader, other_reader, post
):
    post(other_reader, "먼저 단 댓글")
    first, second = Client(), Client()
    first.force_login(reader)
    moderation.vote(story.comments.get(), voter=reader, value="like")
    personal_block(first, story)  # the story and whether they may take part are kept now
    second.force_login(other_reader)

    with CaptureQueriesContext(connection) as queries:
        mine = personal_block(first, story)
    assert len(queries) == 3  # the session, the user, the page of comments
    assert mine.one("button", cls="is-like").attrs["aria-pressed"] == "true"  # drawn for them

    theirs = personal_block(second, story)  # their own comment: drawn for them
    assert theirs.one("form", cls="comment-delete")
    assert not theirs.select("button", cls="is-like")  # no voting on one's own

    third = Client()
    third.force_login(UserFactory(email="reader3@example.com", nickname="세번째독자"))
    personal_block(third, story)  # whether they may take part, and have anything here
    with CaptureQueriesContext(connection) as queries:
        kept = personal_block(third, story)
    assert len(queries) == 2  # the session and the user: the block is the kept one
    token = token_of(kept)
    assert token != "{reader-csrf-token}"
    assert len(token) == 64
    assert kept.one("button", cls="is-like").attrs["aria-pressed"] == "false"
    answer = third.post(
        reverse("comments:post", args=[story.pk]),
        {"body": "토큰이 맞는 댓글", "csrfmiddlewaretoken": token},
        **SCRIPT,
    )
    assert answer.status_code == 200
    assert "토큰이 맞는 댓글" in block_of(answer).text


def test_a_kept_member_block_is_retired_by_a_new_comment(client, story, reader, other_reader, post):
    client.force_login(reader)
    assert "새로 단 댓글" not in personal_block(client, story).text
    post(other_reader, "새로 단 댓글")
    assert "새로 단 댓글" in personal_block(client, story).text


def test_a_suspension_or_a_lifted_one_shows_on_the_readers_next_personal_request(
    client, story, reader, moderator
):
    client.force_login(reader)
    assert personal_block(client, story).select("form", cls="comment-form")

    moderation.suspend(reader, actor=moderator, days=3, reason="attack")
    block = personal_block(client, story)
    assert not block.select("form", cls="comment-form")
    assert "댓글 이용이 정지되었습니다" in block.one("p", cls="comments-refusal").text

    moderation.lift_suspension(reader, actor=moderator)
    assert personal_block(client, story).select("form", cls="comment-form")


def test_verifying_the_e_mail_address_opens_the_form_at_once(client, story, unverified_reader):
    client.force_login(unverified_reader)
    assert personal_block(client, story).select("p", cls="comments-refusal")

    EmailAddress.objects.create(
        user=unverified_reader, email=unverified_reader.email, primary=True, verified=True
    )
    assert personal_block(client, story).select("form", cls="comment-form")
