"""Where each role lands after logging in is the wiring's choice (LOGIN_REDIRECT_BY_ROLE):
accounts reads it and names no higher app's page itself."""

import pytest

from accounts import roles
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def log_in(client, email: str):
    return client.post("/accounts/login/", {"login": email, "password": PASSWORD})


def test_each_role_lands_where_the_setting_sends_it(client, settings, moderator, reader):
    settings.LOGIN_REDIRECT_BY_ROLE = {
        "editor": "story_desk:queue",
        "moderator": "comment_desk:queue",
        "reporter": "story_desk:dashboard",
    }

    assert log_in(client, moderator.email)["Location"] == "/desk/comments/"
    client.logout()
    assert log_in(client, reader.email)["Location"] == "/"


def test_the_first_role_in_the_settings_order_wins(client, settings, editor):
    roles.grant_role(editor, roles.Role.MODERATOR, actor=None)
    settings.LOGIN_REDIRECT_BY_ROLE = {
        "moderator": "comment_desk:queue",
        "editor": "/desk/queue/",
    }

    assert log_in(client, editor.email)["Location"] == "/desk/comments/"
