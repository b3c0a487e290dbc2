"""기자 소개, the reporters index: every reporter with their beat, portrait and newest story,
in a fixed number of queries, refreshed in the page cache by what it shows."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts import roles
from articles.models import Article, Beat
from media import library
from tests.factories import UserFactory
from tests.pages import caches_on, cold, korean, parse

Status = Article.Status
INDEX = "/reporters/"


def ago(**delta):
    return timezone.now().replace(microsecond=0) - timedelta(**delta)


def entries(page) -> dict[str, object]:
    """Each listed reporter's entry, by the name it links."""
    found = {}
    for entry in page.one("ul", cls="reporter-index").select("li", cls="reporter-entry"):
        found[entry.one("a", cls="reporter-name").text] = entry
    return found


@pytest.mark.django_db
def test_the_index_lists_every_reporter_with_beat_portrait_and_newest_story(
    client, desk, newsroom, reporter, other_reporter, editor, library_photo
):
    profile = reporter.staff_profile
    portrait = library_photo(caption="한지민 기자", alt_text="한지민 기자 얼굴")
    library.set_portrait(profile, portrait, actor=reporter)
    Beat.objects.create(profile=profile, section=newsroom.electronics)
    Beat.objects.create(profile=profile, section=newsroom.finance)
    desk.story("한지민 지난주 기사", at=ago(days=7))
    newest = desk.story("한지민 새 기사", at=ago(hours=1))
    desk.story("한지민 초고", state=Status.DRAFT)
    desk.story("한지민 내린 기사", state=Status.UNPUBLISHED)
    gone = UserFactory(email="gone@example.com")
    roles.ensure_staff_profile(gone, byline_name="떠난기자")
    roles.grant_role(gone, roles.Role.REPORTER, actor=None)
    roles.set_active(gone, False, actor=None)

    response = client.get(INDEX)

    assert response.status_code == 200
    page = parse(response)
    assert page.one("h1").text == "기자 소개"
    listed = entries(page)
    # Reporters only, in 가나다 order: not the editor, not an account switched off.
    assert list(listed) == ["박도윤", "한지민"]
    mine = listed["한지민"]
    assert mine.one("a", cls="reporter-name").attrs["href"] == reverse(
        "articles:reporter", args=[profile.slug]
    )
    assert mine.one("p", cls="reporter-email").one("a").attrs["href"] == (
        f"mailto:{profile.public_email}"
    )
    assert (
        mine.one("img").attrs["src"] == portrait.renditions.get(spec="w320", format="JPEG").file.url
    )
    beat = mine.one("p", cls="reporter-beat")
    assert [link.text for link in beat.select("a")] == ["전자·전기·정보통신", "금융"]
    assert [link.attrs["href"] for link in beat.select("a")] == [
        newsroom.electronics.get_absolute_url(),
        newsroom.finance.get_absolute_url(),
    ]
    latest = mine.one("p", cls="reporter-latest")
    assert latest.one("a", cls="headline-link").text == "한지민 새 기사"
    assert latest.one("a", cls="headline-link").attrs["href"] == newest.get_absolute_url()
    # Without a portrait, beat or story: the name's first letter stands in, nothing else.
    theirs = listed["박도윤"]
    assert theirs.select("img") == []
    assert theirs.one("span", cls="portrait-fallback").text == "박"
    assert theirs.select("p", cls="reporter-beat") == []
    assert theirs.select("p", cls="reporter-latest") == []


@pytest.mark.django_db
def test_readers_reach_the_index_from_every_footer_and_a_reporters_breadcrumb(client, reporter):
    home = parse(client.get("/"))
    footer_link = home.one("footer").one("a", href=INDEX)
    assert footer_link.text == "기자 소개"

    page = parse(client.get(reverse("articles:reporter", args=[reporter.staff_profile.slug])))

    crumbs = page.one("nav", cls="breadcrumb")
    assert [link.attrs["href"] for link in crumbs.select("a")] == ["/", INDEX]
    assert crumbs.one("li", aria_current="page").text == "한지민"


@pytest.mark.django_db
def test_an_empty_newsroom_says_it_has_no_reporters_yet(client):
    page = parse(client.get(INDEX))

    assert page.one("li", cls="empty-state").text == korean("No reporters to introduce yet.")


# The section tree, the reporters with their portraits, renditions and beats, their newest
# stories.
REPORTERS_QUERIES = 3


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 30])
def test_the_index_runs_the_same_queries_with_one_or_thirty_reporters(
    client, desk, newsroom, library_photo, count, settings
):
    caches_on(settings)
    photo = library_photo(caption="공용 사진", alt_text="공용 사진")
    for number in range(count):
        user = desk.staff(f"기자{number:02d}")
        library.set_portrait(user.staff_profile, photo, actor=desk.editor)
        Beat.objects.create(profile=user.staff_profile, section=newsroom.electronics)
        desk.story(
            f"기사 {number:02d}", author=user, series=newsroom.series.pk, series_ordinal=number + 1
        )
    client.get(INDEX)

    with CaptureQueriesContext(connection) as queries:
        response = cold(client, INDEX)

    page = parse(response)
    listed = entries(page)
    assert len(listed) == count + 1  # and the fixture's reporter
    assert len(page.select("p", cls="reporter-latest")) == count
    assert len(page.one("ul", cls="reporter-index").select("img")) == count
    assert len(queries) == REPORTERS_QUERIES


def served(client):
    response = client.get(INDEX)
    return parse(response), response.headers.get("X-Page-Cache")


@pytest.mark.usefixtures("page_cache")
def test_a_publish_a_profile_a_portrait_a_beat_or_a_role_change_shows_on_the_kept_index(
    client, desk, newsroom, reporter, library_photo, editor
):
    served(client)
    page, state = served(client)
    assert state == "hit"
    assert page.select("p", cls="reporter-latest") == []

    story = desk.story("한지민 새 기사")
    page, _state = served(client)
    assert entries(page)["한지민"].one("a", cls="headline-link").text == story.headline

    profile = reporter.staff_profile
    profile.byline_name = "한지윤"
    profile.save()
    assert list(entries(served(client)[0])) == ["한지윤"]

    library.set_portrait(profile, library_photo(caption="얼굴", alt_text="얼굴"), actor=editor)
    assert entries(served(client)[0])["한지윤"].select("img") != []

    Beat.objects.create(profile=profile, section=newsroom.finance)
    assert entries(served(client)[0])["한지윤"].one("p", cls="reporter-beat").text.endswith("금융")

    newcomer = desk.staff("강새봄")
    assert list(entries(served(client)[0])) == ["강새봄", "한지윤"]
    roles.revoke_role(newcomer, roles.Role.REPORTER, actor=editor)
    assert list(entries(served(client)[0])) == ["한지윤"]


@pytest.mark.usefixtures("page_cache")
def test_a_new_portrait_shows_on_the_kept_reporter_page(client, reporter, library_photo, editor):
    path = reverse("articles:reporter", args=[reporter.staff_profile.slug])
    client.get(path)
    assert parse(client.get(path)).one("section", cls="reporter-card").select("img") == []

    library.set_portrait(
        reporter.staff_profile, library_photo(caption="얼굴", alt_text="얼굴"), actor=editor
    )

    assert parse(client.get(path)).one("section", cls="reporter-card").select("img") != []
