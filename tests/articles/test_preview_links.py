"""Share-preview links: an editor makes a signed, expiring, revocable address on the story
editor page; anyone holding it sees the story as readers will, marked as a preview, never
cached nor indexed; an expired, revoked, forged or tampered address is the same 404."""

from datetime import timedelta

import pytest
from django.core import signing
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.errors import NotAllowed
from articles import preview_links, workflow
from articles.models import Article, ArticleEvent, PreviewLink
from tests.articles.conftest import MONDAY_9AM
from tests.pages import korean, parse

pytestmark = pytest.mark.django_db

Status = Article.Status


def edit_url(story: Article) -> str:
    return reverse("story_desk:edit", args=[story.pk])


def create_url(story: Article) -> str:
    return reverse("story_desk:share-link-create", args=[story.pk])


def revoke_url(link: PreviewLink) -> str:
    return reverse("story_desk:share-link-revoke", args=[link.pk])


def messages_of(response) -> list[str]:
    return [item.text for item in parse(response).select("li", cls="message")]


def events(story: Article, action: str) -> list[ArticleEvent]:
    return list(ArticleEvent.objects.filter(article=story, action=action))


def cache_control(response) -> set[str]:
    return {part.strip() for part in response["Cache-Control"].split(",")}


@pytest.fixture
def link_to(editor):
    """`link_to(story, hours=24, note="")`: a link made through the workflow by the editor."""

    def make(story: Article, *, hours: int = 24, note: str = "") -> PreviewLink:
        return workflow.create_preview_link(story, actor=editor, hours=hours, note=note)

    return make


# --- making a link ----------------------------------------------------------------------------


def test_an_editor_makes_a_link_from_the_editor_page_and_is_shown_its_address(
    client, editor, story_in, clock, settings
):
    # The address is the site's, not the host the editor's request came in on.
    settings.SITE_URL = "https://news.example.com"
    story = story_in(Status.SUBMITTED)
    client.force_login(editor)

    card = parse(client.get(edit_url(story))).one("section", id="share-links")
    assert card.one("h2").text == "미리보기 링크"
    form = card.one("form", action=create_url(story))
    selected = form.one("select", name="hours").one("option", selected=True)
    assert selected.attrs["value"] == "24"

    response = client.post(create_url(story), {"hours": "24", "note": " 법무팀 검토 "})

    assert response.status_code == 302
    assert response["Location"] == f"{edit_url(story)}#share-links"
    link = PreviewLink.objects.get()
    assert link.article == story
    assert link.note == "법무팀 검토"
    assert link.created_by == editor
    assert link.created_by_name == "오세훈"
    assert link.created_at == MONDAY_9AM
    assert link.expires_at == MONDAY_9AM + timedelta(hours=24)
    assert (link.opened_count, link.last_opened_at, link.revoked_at) == (0, None, None)

    page = client.get(response["Location"])
    address = f"https://news.example.com/preview/{preview_links.token_for(link)}/"
    assert messages_of(page) == [
        korean("Preview link made; it works until %(when)s: %(url)s")
        % {"when": "2025-03-04 09:00", "url": address}
    ]
    assert messages_of(page) == [
        f"미리보기 링크를 만들었습니다. 2025-03-04 09:00까지 열립니다: {address}"
    ]
    listed = parse(page).one("section", id="share-links")
    assert "법무팀 검토" in listed.text
    assert listed.one("input", readonly=True).attrs["value"] == address


def test_making_a_link_writes_one_history_row(client, editor, story_in):
    story = story_in(Status.DRAFT)
    client.force_login(editor)

    client.post(create_url(story), {"hours": "48", "note": "제보자"})

    link = PreviewLink.objects.get()
    (event,) = events(story, "share_link_created")
    assert (event.actor, event.actor_name, event.note) == (editor, "오세훈", "제보자")
    assert (event.from_status, event.to_status) == (Status.DRAFT, Status.DRAFT)
    assert event.data == {"link": link.pk, "hours": 48}
    story.refresh_from_db()
    assert story.status == Status.DRAFT  # a link changes nothing of the story


@pytest.mark.parametrize("hours", ["0", "337", "-1", "1.5", "스물", ""])
def test_a_link_lasts_from_one_hour_to_two_weeks(client, editor, story_in, hours):
    story = story_in(Status.SUBMITTED)
    client.force_login(editor)

    response = client.post(create_url(story), {"hours": hours, "note": "x"}, follow=True)

    assert messages_of(response) == [
        korean("A preview link lasts from 1 to %(hours)s hours.") % {"hours": 336}
    ]
    assert messages_of(response) == ["미리보기 링크의 유효 기간은 1시간부터 336시간까지입니다."]
    assert not PreviewLink.objects.exists()
    assert events(story, "share_link_created") == []


@pytest.mark.parametrize("hours", [1, 336])
def test_the_shortest_and_the_longest_links_are_made(editor, story_in, link_to, hours, clock):
    link = link_to(story_in(Status.DRAFT), hours=hours)

    assert link.expires_at - link.created_at == timedelta(hours=hours)


@pytest.mark.parametrize("hours", [0, 337])
def test_the_workflow_refuses_a_link_out_of_range(editor, story_in, hours):
    with pytest.raises(ValueError, match="1시간부터 336시간까지"):
        workflow.create_preview_link(story_in(Status.DRAFT), actor=editor, hours=hours)

    assert not PreviewLink.objects.exists()


# --- who may ----------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["reporter", "other_reporter", "moderator", "reader"])
def test_only_editors_make_or_revoke_links(client, request, story_in, link_to, persona):
    story = story_in(Status.SUBMITTED)
    link = link_to(story)
    client.force_login(request.getfixturevalue(persona))

    assert client.post(create_url(story), {"hours": "24"}).status_code == 403
    assert client.post(revoke_url(link)).status_code == 403

    assert PreviewLink.objects.count() == 1
    link.refresh_from_db()
    assert link.revoked_at is None
    assert events(story, "share_link_revoked") == []


@pytest.mark.parametrize("persona", ["reporter", "moderator"])
def test_the_workflow_refuses_links_to_anyone_but_editors(request, story_in, link_to, persona):
    story = story_in(Status.SUBMITTED)
    link = link_to(story)
    actor = request.getfixturevalue(persona)

    with pytest.raises(NotAllowed):
        workflow.create_preview_link(story, actor=actor, hours=24)
    with pytest.raises(NotAllowed):
        workflow.revoke_preview_link(link, actor=actor)


def test_anonymous_visitors_are_sent_to_log_in(anonymous, story_in, link_to):
    story = story_in(Status.SUBMITTED)
    link = link_to(story)

    for url in (create_url(story), revoke_url(link)):
        response = anonymous.post(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


def test_a_reporter_does_not_see_the_card_on_their_editor_page(client, reporter, story_in, link_to):
    story = story_in(Status.DRAFT)
    link_to(story)
    client.force_login(reporter)

    response = client.get(edit_url(story))

    assert response.status_code == 200
    assert parse(response).select(id="share-links") == []
    assert "미리보기 링크" not in response.text
    assert "/preview/" + preview_links.token_for(PreviewLink.objects.get()) not in response.text


def test_links_are_made_only_with_a_post_and_for_a_story_that_exists(client, editor, story_in):
    story = story_in(Status.DRAFT)
    client.force_login(editor)

    assert client.get(create_url(story)).status_code == 405
    missing = reverse("story_desk:share-link-create", args=[story.pk + 1000])
    assert client.post(missing, {"hours": "24"}).status_code == 404
    assert client.post(reverse("story_desk:share-link-revoke", args=[999])).status_code == 404


# --- opening a link ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "state", [Status.DRAFT, Status.SUBMITTED, Status.SCHEDULED, Status.PUBLISHED]
)
def test_the_link_shows_the_story_to_anyone_as_a_preview_and_counts_the_opening(
    anonymous, story_in, link_to, clock, state
):
    story = story_in(state)
    link = link_to(story)
    path = preview_links.path_for(link)
    clock.shift(timedelta(hours=2))

    response = anonymous.get(path)

    assert response.status_code == 200
    assert response.templates[0].name == "articles/article.html"
    page = parse(response)
    assert page.one("h1").text == "반도체 수출 석 달째 증가"
    banner = page.one("p", cls="preview-banner")
    if story.status == Status.PUBLISHED:
        assert banner.text == "미리보기: 출고된 기사이며 독자는 원래 주소에서 볼 수 있습니다."
    else:
        assert banner.text == (
            f"미리보기: 독자에게는 보이지 않는 화면입니다. 기사 상태: {story.get_status_display()}."
        )
    assert banner.links() == []
    assert korean("Back to the editor") not in response.text
    assert edit_url(story) not in response.text
    assert page.select(id="comments") == []
    assert page.select("section", cls="comments") == []
    assert page.select(data_read_url=True) == []  # a preview is not a read
    assert "noindex" in response["X-Robots-Tag"]
    assert '<meta name="robots" content="noindex' in response.text
    assert {"no-cache", "no-store", "private"} <= cache_control(response)
    assert response["Referrer-Policy"] == "no-referrer"

    link.refresh_from_db()
    assert link.opened_count == 1
    assert link.last_opened_at == MONDAY_9AM + timedelta(hours=2)
    anonymous.get(path)
    link.refresh_from_db()
    assert link.opened_count == 2


def test_the_editor_page_shows_how_often_a_link_was_opened(
    client, anonymous, editor, story_in, link_to
):
    story = story_in(Status.SUBMITTED)
    link = link_to(story, note="변호사")
    for _ in range(3):
        anonymous.get(preview_links.path_for(link))
    client.force_login(editor)

    card = parse(client.get(edit_url(story))).one("section", id="share-links")

    item = card.one("li").text
    assert item.startswith("변호사 · 오세훈 ·")
    assert "3번 열림" in item
    assert "까지 유효" in item


def test_an_expired_link_is_not_found(anonymous, story_in, link_to, clock):
    link = link_to(story_in(Status.SUBMITTED), hours=1)
    path = preview_links.path_for(link)

    clock.shift(timedelta(minutes=59))
    assert anonymous.get(path).status_code == 200
    clock.shift(timedelta(minutes=1))
    response = anonymous.get(path)

    assert response.status_code == 404
    assert "반도체 수출" not in response.text
    link.refresh_from_db()
    assert link.opened_count == 1  # a refused opening is not counted


def test_a_revoked_link_is_not_found_at_once(client, anonymous, editor, story_in, link_to):
    story = story_in(Status.SUBMITTED)
    link = link_to(story)
    path = preview_links.path_for(link)
    assert anonymous.get(path).status_code == 200
    client.force_login(editor)

    response = client.post(revoke_url(link), follow=True)

    assert messages_of(response) == [korean("The preview link no longer works.")]
    assert response.redirect_chain[-1][0] == f"{edit_url(story)}#share-links"
    assert anonymous.get(path).status_code == 404
    link.refresh_from_db()
    assert link.revoked_at is not None
    assert link.opened_count == 1
    card = parse(client.get(edit_url(story))).one("section", id="share-links")
    assert "취소됨" in card.one("li").text
    assert card.select("input", readonly=True) == []  # no address to copy any more


def test_revoking_twice_writes_one_history_row(client, editor, second_editor, story_in, link_to):
    story = story_in(Status.SUBMITTED)
    link = link_to(story, note="제보자")
    client.force_login(editor)

    client.post(revoke_url(link))
    link.refresh_from_db()
    first_revoked_at = link.revoked_at
    client.force_login(second_editor)
    client.post(revoke_url(link))

    link.refresh_from_db()
    assert link.revoked_at == first_revoked_at
    (event,) = events(story, "share_link_revoked")
    assert (event.actor_name, event.note, event.data) == ("오세훈", "제보자", {"link": link.pk})
    assert len(events(story, "share_link_created")) == 1


def forged_paths(link: PreviewLink) -> dict[str, str]:
    """Addresses that are not the link's: each must be the same 404 as a missing page."""
    value, timestamp, signature = preview_links.token_for(link).split(":")
    flipped = signature[:-1] + ("A" if signature[-1] != "A" else "B")
    other_value = signing.dumps(link.pk + 1, salt=preview_links.SALT).split(":")[0]
    gone = signing.dumps(link.pk + 1000, salt=preview_links.SALT, compress=False)
    return {
        "made up": "/preview/abc/",
        "tampered signature": f"/preview/{value}:{timestamp}:{flipped}/",
        "another link's number": f"/preview/{other_value}:{timestamp}:{signature}/",
        "signed for something else": f"/preview/{signing.dumps(link.pk, salt='other')}/",
        "not a number": f"/preview/{signing.dumps(str(link.pk), salt=preview_links.SALT)}/",
        "a link that is gone": f"/preview/{gone}/",
    }


def test_a_forged_or_tampered_address_is_the_same_404(anonymous, story_in, link_to, clock):
    link = link_to(story_in(Status.SUBMITTED), hours=1)
    revoked = link_to(story_in(Status.DRAFT))
    workflow.revoke_preview_link(revoked, actor=revoked.created_by)
    missing = anonymous.get("/no-such-page/")
    assert missing.status_code == 404
    expected = tuple(template.name for template in missing.templates)

    answers = {name: anonymous.get(path) for name, path in forged_paths(link).items()}
    answers["revoked"] = anonymous.get(preview_links.path_for(revoked))
    clock.shift(timedelta(hours=1))
    answers["expired"] = anonymous.get(preview_links.path_for(link))

    assert {name: response.status_code for name, response in answers.items()} == dict.fromkeys(
        answers, 404
    )
    assert {
        name: tuple(template.name for template in response.templates)
        for name, response in answers.items()
    } == dict.fromkeys(answers, expected)
    assert anonymous.get(preview_links.path_for(link)).status_code == 404
    link.refresh_from_db()
    assert link.opened_count == 0


# --- queries ----------------------------------------------------------------------------------

# The link, the count of its opening, then the article page of the story without its
# comments: the story (with its tags, corrections, bylines and share photo), its photo
# uses, the stored share card, the section tree, the reporter's and series' boxes, the
# latest and most read lists, the subscribe box's newsletters. The same however many links
# it has.
SHARED_PREVIEW_QUERIES = 10


@pytest.mark.parametrize("links", [1, 10])
def test_the_shared_preview_runs_a_fixed_number_of_queries(
    anonymous, story_in, link_to, django_assert_num_queries, links
):
    story = story_in(Status.SUBMITTED)
    made = [link_to(story, note=f"받는 사람 {n}") for n in range(links)]

    with django_assert_num_queries(SHARED_PREVIEW_QUERIES):
        response = anonymous.get(preview_links.path_for(made[-1]))

    assert response.status_code == 200


def test_the_editor_page_runs_the_same_queries_with_one_or_ten_links(
    client, editor, story_in, link_to
):
    story = story_in(Status.SUBMITTED)
    link_to(story)
    client.force_login(editor)
    client.get(edit_url(story))  # the first opening takes the edit lock

    def cost() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(edit_url(story)).status_code == 200
        return len(queries)

    one = cost()
    for n in range(9):
        link_to(story, note=f"받는 사람 {n}")
    ten = cost()

    assert (
        len(parse(client.get(edit_url(story))).one("section", id="share-links").select("li")) == 10
    )
    assert ten == one
