"""The one cast of personas, shared by every test."""

import os
import shutil

import pytest
from django.conf import settings
from django.core.cache import cache
from django.utils import translation

from accounts import roles
from accounts.permissions import can_use_desk
from media import library
from newsroom import pagecache
from tests.factories import SectionFactory, SeriesFactory, UserFactory
from tests.media.conftest import as_upload, encode, picture
from tests.stories import Desk, Newsroom


def staff(email: str, role: str, byline: str):
    user = UserFactory(email=email)
    roles.ensure_staff_profile(user, byline_name=byline)
    roles.grant_role(user, role, actor=None)
    return user


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # The real hasher is slow on purpose; tests check flows, not its cost.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _tasks_in_process(settings):
    # CI runs the postgres-marked tests with CELERY_BROKER_URL set. Unless a test says
    # otherwise (the outbox and integration tests do), tasks run here after commit, as in
    # the zero-setup site, so their effects can be asserted.
    settings.CELERY_BROKER_URL = ""


@pytest.fixture(autouse=True)
def _site_language():
    # A request under /en/ leaves English active in the thread (the middleware never
    # switches back); each test starts in the site's own language, as a new request does.
    translation.activate("ko")
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _private_cache(settings):
    # allauth counts failed log-ins in the cache. The local file cache under var/ is shared
    # with the dev server and other test runs, so each test gets an empty in-process one.
    # The page cache's own tier and remembered generations live in the process: forgotten too.
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    }
    cache.clear()
    pagecache.clear()


@pytest.fixture
def page_cache(settings, transactional_db, monkeypatch):
    """The page and fragment caches switched on, for the tests about what readers see
    through them. Their database commits for real: the invalidation follows the commit.
    One process has one clock: a page built right after a change may be kept (servers
    allow a second for each other's clocks)."""
    settings.PAGE_CACHE_ENABLED = True
    settings.FRAGMENT_CACHE_ENABLED = True
    monkeypatch.setattr(pagecache, "CLOCK_MARGIN", 0.0)


# The comment throttles and the trust rules, off unless a test asks for them (the fixture
# `comment_limits`): most tests post several comments in a row as the same new reader.
COMMENT_LIMITS = (
    "COMMENTS_MIN_GAP_SECONDS",
    "COMMENTS_PER_STORY_PER_DAY",
    "COMMENTS_PER_IP_PER_HOUR",
    "COMMENTS_VOTES_PER_DAY",
    "COMMENTS_REPORTS_PER_DAY",
    "COMMENTS_REPORTS_PER_IP_PER_HOUR",
    "COMMENTS_DUPLICATE_HOURS",
    "COMMENTS_TRUSTED_AFTER",
)


@pytest.fixture(autouse=True)
def _comment_limits_off(settings):
    for name in COMMENT_LIMITS:
        setattr(settings, name, 0)
    # Nobody is "mostly rejected" without a rejection: 100 never trips.
    settings.COMMENTS_REJECTED_SHARE = 100


@pytest.fixture
def comment_limits(settings):
    """The comment throttles and trust rules with the site's defaults (newsroom.settings,
    without the environment's overrides the test run might carry)."""
    import newsroom.settings as site

    for name in (*COMMENT_LIMITS, "COMMENTS_REJECTED_SHARE", "COMMENTS_TRUST_RECENT"):
        setattr(settings, name, getattr(site, name))
    return settings


@pytest.fixture
def reporter(db):
    return staff("reporter@example.com", roles.Role.REPORTER, "한지민")


@pytest.fixture
def other_reporter(db):
    return staff("reporter2@example.com", roles.Role.REPORTER, "박도윤")


@pytest.fixture
def editor(db):
    return staff("editor@example.com", roles.Role.EDITOR, "오세훈")


@pytest.fixture
def moderator(db):
    return staff("moderator@example.com", roles.Role.MODERATOR, "윤서연")


@pytest.fixture
def reader(db):
    return UserFactory(email="reader@example.com")


@pytest.fixture
def superuser(db):
    return UserFactory(email="admin@example.com", is_superuser=True, is_staff=True)


@pytest.fixture
def anonymous(client):
    return client


# --- the section tree --------------------------------------------------------------------------
# 기업과산업 › 전자·전기·정보통신, and 금융 beside it. Stories go into `section` unless a test
# says otherwise; comments are open there, with no closing date.


@pytest.fixture
def section(db):
    """기업과산업 (/sections/industry/): a top section, comments open."""
    return SectionFactory(name="기업과산업", slug="industry")


@pytest.fixture
def subsection(section):
    """전자·전기·정보통신 (/sections/industry/electronics/), under `section`."""
    return SectionFactory(name="전자·전기·정보통신", slug="electronics", parent=section)


@pytest.fixture
def other_section(db):
    """금융 (/sections/finance/): another top section, listed after `section`."""
    return SectionFactory(name="금융", slug="finance", order=1)


@pytest.fixture
def newsroom(section, subsection, other_section):
    """The section tree and the series 반도체 공급망, as the reader-page tests name them."""
    return Newsroom(
        industry=section,
        electronics=subsection,
        finance=other_section,
        series=SeriesFactory(name="반도체 공급망", slug="chip-supply"),
    )


# --- stories and photos ----------------------------------------------------------------------


@pytest.fixture
def desk(reporter, editor, section):
    """`desk.story(...)`: stories walked through articles.workflow (tests.stories.Desk)."""
    return Desk(reporter, editor, section)


@pytest.fixture
def library_photo(reporter, django_capture_on_commit_callbacks):
    """`library_photo(caption=..., alt_text=..., credit=...)`: a small JPEG uploaded through
    the library by the reporter, its renditions (w320 and the 1200x630 share crop) made
    in-process after commit."""

    def make(*, caption="", alt_text="", credit="", width=48, height=36, actor=None):
        data = encode(picture(width, height), "JPEG", quality=70)
        with django_capture_on_commit_callbacks(execute=True):
            result = library.upload(
                as_upload(data),
                actor=actor or reporter,
                caption=caption,
                alt_text=alt_text,
                credit=credit,
            )
        return result.photo

    return make


def sign_in_as(client, user):
    """`client.force_login(user)` with the marker cookies a real log-in sets
    (accounts.markers): the reader's, and for staff the one that skips the page cache."""
    client.force_login(user)
    client.cookies[settings.PAGE_CACHE_MEMBER_COOKIE] = "1"
    if can_use_desk(user):
        client.cookies[settings.PAGE_CACHE_BYPASS_COOKIE] = "1"


def running_in_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


def skip_or_fail(reason: str):
    """Locally a missing tool skips loudly; under CI=true it is a failure."""
    if running_in_ci():
        pytest.fail(f"CI must run this test: {reason}")
    pytest.skip(reason)


def pytest_unconfigure(config):
    # The folder tests/settings.py made for this run's files.
    shutil.rmtree(os.environ["NEWSROOM_TEST_VAR_DIR"], ignore_errors=True)
