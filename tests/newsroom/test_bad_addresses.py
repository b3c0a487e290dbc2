"""Any address a reader or a script can type at a public page: any slug, any query string,
too many parameters. Each is answered, a 400 or a 404 at worst, never a server error.

The public patterns come from the URL conf (everything outside /admin/ and /desk/), so a new
page is covered without being listed here."""

import re
from urllib.parse import quote, urlencode

import pytest
from django.conf import settings as site_settings
from django.urls import URLPattern, URLResolver, get_resolver
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from comments import moderation
from tests.comments.conftest import with_nickname
from tests.conftest import sign_in_as
from tests.pages import caches_on

NOT_PUBLIC = ("admin/", "desk/", "en/admin/", "en/desk/")
# A path converter or a regular expression's named group: where a slug goes.
PART = re.compile(r"<(?:\w+:)?\w+>|\(\?P<\w+>(?:[^()]|\([^()]*\))*\)")


def _patterns(resolver: URLResolver, prefix: str = ""):
    for entry in resolver.url_patterns:
        pattern = prefix + str(entry.pattern).lstrip("^").rstrip("$")
        if isinstance(entry, URLResolver):
            yield from _patterns(entry, pattern)
        elif isinstance(entry, URLPattern):
            yield pattern.replace("^", "").replace("$", "")


def public_patterns() -> list[str]:
    found = set(_patterns(get_resolver()))
    return sorted(pattern for pattern in found if not pattern.startswith(NOT_PUBLIC))


PUBLIC = public_patterns()
# The parameters the pages read, and some they do not.
NAMES = st.sampled_from(
    [
        *("page", "before", "csort", "cpage", "q", "section", "since", "until", "next", "story"),
        *("utm_source", "fbclid", "", "%", "q[]", "페이지"),
    ]
)
VALUES = st.one_of(
    st.text(max_size=40),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.sampled_from(["", "0", "-1", "١٢", "2026-13-45", "2026-02-30T25:00", "%00", "\x00"]),
    st.text(alphabet="가나다 ", min_size=190, max_size=260),
)
QUERY = st.lists(st.tuples(NAMES, VALUES), max_size=8).map(urlencode)
SLUG = st.one_of(
    st.text(min_size=1, max_size=30).map(lambda text: quote(text, safe="")),
    st.integers(min_value=0, max_value=2**70).map(str),
    st.sampled_from(["industry", "chip-supply", "반도체", "2026-01", "..", "%2F", "%00"]),
)


def address(pattern: str, slugs: list[str], query: str) -> str:
    parts = iter(slugs)
    return "/" + PART.sub(lambda _match: next(parts, "x"), pattern) + ("?" + query if query else "")


@pytest.fixture
def site(desk, newsroom, reader):
    """A published story with a comment, in a section with a subsection."""
    story = desk.story("반도체 수출 석 달째 증가")
    moderation.post_comment(story, author=with_nickname(reader, "솔빛독자"), body="좋은 기사")
    return story


def test_every_public_page_kind_is_covered():
    assert "search/" in PUBLIC
    assert "articles/<int:article_id>/<str:slug>/" in PUBLIC
    assert "feeds/sections/<str:slug>/" in PUBLIC
    assert not [pattern for pattern in PUBLIC if "desk/" in pattern]


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@example(pattern="search/", slugs=[], query="q=" + "가" * 300)
@example(pattern="articles/<int:article_id>/<str:slug>/", slugs=["1", "%00"], query="cpage=1e9")
@given(
    pattern=st.sampled_from(PUBLIC),
    slugs=st.lists(SLUG, min_size=3, max_size=3),
    query=QUERY,
)
def test_any_slug_and_query_string_is_answered_without_a_server_error(
    client, settings, site, pattern, slugs, query
):
    caches_on(settings)
    # Half the slugs are the site's own, so real pages meet the odd query strings.
    slugs = [str(site.pk), site.section.slug, *slugs] if len(query) % 2 else slugs
    response = client.get(address(pattern, slugs, query))

    assert response.status_code < 500, address(pattern, slugs, query)


MANY = "q=반도체&" + "&".join(f"a{number}=1" for number in range(1500))


@pytest.mark.parametrize("debug", [False, True], ids=["debug-off", "debug-on"])
@pytest.mark.parametrize("who", ["anonymous", "reader", "editor"])
def test_a_search_with_1500_parameters_is_a_400_not_a_server_error(
    client, settings, site, reader, editor, debug, who
):
    settings.DEBUG = debug
    caches_on(settings)
    client.raise_request_exception = False
    if who != "anonymous":
        sign_in_as(client, reader if who == "reader" else editor)

    response = client.get("/search/?" + MANY)

    assert response.status_code == 400
    if not debug:
        assert "요청을 처리할 수 없습니다." in response.text
        assert "Traceback" not in response.text


@pytest.mark.parametrize("path", ["/", "/search/", "/en/search/", "/feeds/", "/accounts/login/"])
def test_too_many_parameters_anywhere_get_the_sites_400_page(client, settings, site, path):
    settings.DEBUG = False
    client.raise_request_exception = False
    fields = site_settings.DATA_UPLOAD_MAX_NUMBER_FIELDS

    response = client.get(path + "?" + "&".join(["page=1"] * (fields + 1)))
    within = client.get(path + "?" + "&".join(["page=1"] * fields))

    assert response.status_code == 400
    assert "주소를 확인하고 다시 시도해 주세요." in response.text
    assert within.status_code in (200, 302)


def test_the_refusal_is_logged_once_with_the_request_id(client, settings, site, caplog):
    settings.DEBUG = False
    client.raise_request_exception = False

    response = client.get("/search/?" + MANY)

    refusals = [r for r in caplog.records if r.name == "django.security.TooManyFieldsSent"]
    assert len(refusals) == 1
    assert response["X-Request-ID"]


def test_the_400_page_is_korean_and_english_and_says_nothing_technical(client, settings, db):
    settings.DEBUG = False
    client.raise_request_exception = False

    page = client.get("/search/?" + MANY).text

    assert "Bad request" in page
    assert "DATA_UPLOAD_MAX_NUMBER_FIELDS" not in page
    assert "첫 화면으로" in page
