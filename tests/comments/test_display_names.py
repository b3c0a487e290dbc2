"""Comments name people through accounts.names.display_name: moderators by their byline,
readers by their nickname, nobody by e-mail (the moderation log and its filters)."""

import pytest
from django.urls import reverse

from accounts import membership
from comments import moderation
from comments.models import ModerationAction
from tests.pages import parse

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def test_the_logs_moderator_filter_shows_names_not_addresses(client, moderator):
    client.force_login(moderator)

    page = client.get(reverse("comment_desk:log")).content.decode()

    assert ">윤서연</option>" in page
    assert "moderator@example.com" not in page


def test_the_log_names_the_reader_it_is_filtered_by(client, moderator, reader, post):
    post(reader, "산업 댓글")
    client.force_login(moderator)

    page = parse(client.get(reverse("comment_desk:log"), {"reader": reader.pk}))

    assert "솔빛독자" in page.one("p", cls="mod-filter-note").text
    assert "reader@example.com" not in page.text


def test_a_moderator_with_a_nickname_signs_with_their_byline(moderator, reader, post):
    membership.change_nickname(moderator, "중재봇")
    comment = post(reader, "산업 댓글")

    moderation.reject(comment, actor=moderator, reason="spam")

    action = ModerationAction.objects.get(action="rejected")
    assert (action.actor_name, action.reader_name) == ("윤서연", "솔빛독자")
