"""A moderator's form sent without a choice the desk needs is refused with a message; it is
never a server error (the view modules catch refusals only: tests/newsroom/test_view_errors)."""

import pytest
from django.urls import reverse

from comments.models import WordRule

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("kind", ["", "blacklist"])
def test_a_word_sent_without_a_list_is_refused_with_a_message(client, moderator, kind):
    client.force_login(moderator)

    response = client.post(reverse("comment_desk:words"), {"word": "새단어", "kind": kind})

    assert "단어를 넣을 목록을 고르세요." in response.content.decode()
    assert not WordRule.objects.filter(word="새단어").exists()
