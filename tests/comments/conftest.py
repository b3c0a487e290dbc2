"""Readers who comment, and published stories to comment on, made through the workflow
and comments.moderation."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from accounts import membership
from comments import moderation
from comments.models import ModeratorScope
from tests.factories import SectionFactory, UserFactory


def with_nickname(user, nickname: str):
    membership.change_nickname(user, nickname)
    return user


@pytest.fixture
def reader(reader):
    """The reader persona (verified e-mail) with the nickname comments go out under."""
    return with_nickname(reader, "솔빛독자")


@pytest.fixture
def other_reader(db):
    return with_nickname(UserFactory(email="reader2@example.com"), "한강러너")


@pytest.fixture
def unverified_reader(db):
    """Signed up with a nickname, but the e-mail address was never confirmed."""
    return with_nickname(UserFactory(email="unverified@example.com", verified=False), "미인증")


@pytest.fixture
def story(desk):
    return desk.story('한결전자 "HBM 증설, 내년 물량까지 찼다"')


@pytest.fixture
def post(story):
    """`post(author, text, parent=None, on=story)`: a comment through comments.moderation."""

    def write(author, body="좋은 기사 잘 읽었습니다.", *, parent=None, on=None):
        return moderation.post_comment(on or story, author=author, body=body, parent=parent)

    return write


# A Monday morning; tests of the comment window move the clock on from here.
MONDAY_9AM = datetime(2025, 3, 3, 9, 0, tzinfo=ZoneInfo("Asia/Seoul"))


@pytest.fixture
def clock():
    """The clock, frozen at MONDAY_9AM; `clock.shift(...)` moves it on."""
    with time_machine.travel(MONDAY_9AM, tick=False) as traveller:
        yield traveller


@pytest.fixture
def world(desk):
    """A story in a section of its own, outside a limited moderator's."""
    return desk.story("국제 기사", section=SectionFactory(name="국제", slug="world"))


@pytest.fixture
def limited(moderator, section):
    """The moderator, limited to the desk's section."""
    ModeratorScope.objects.create(user=moderator).sections.set([section])
    return moderator
