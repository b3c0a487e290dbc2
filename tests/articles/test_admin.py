"""The stories admin: the list, the revisions page with its diff and restore, and actions."""

import pytest
from django.utils.translation import gettext as _

from articles.models import Article, ArticleEvent, Revision
from tests.articles.conftest import edit

pytestmark = pytest.mark.django_db

Status = Article.Status
LIST = "/admin/articles/article/"


def messages_on(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def revisions_page(story: Article) -> str:
    return f"/admin/articles/article/{story.pk}/revisions/"


@pytest.fixture
def revised(story_in, reporter):
    """A draft saved once: revision #1 and #2 differ in the headline and a paragraph."""
    story = story_in(Status.DRAFT)
    edit(
        story,
        actor=reporter,
        headline="반도체 수출 넉 달째 증가",
        body="<p>반도체 수출이 석 달째 늘었다.</p><p>환율이 내렸다.</p>",
    )
    story.refresh_from_db()
    return story


def test_an_editor_sees_the_list_of_stories(client, editor, story_in):
    story_in(Status.SUBMITTED)
    client.force_login(editor)

    response = client.get(LIST)

    assert response.status_code == 200
    assert "반도체 수출 석 달째 증가" in response.text


def test_a_reporter_sees_only_their_own_stories_in_the_admin(
    client, reporter, other_reporter, story_in
):
    own = story_in(Status.DRAFT)
    others = story_in(Status.SCHEDULED, author=other_reporter)
    others.headline = "남의 예약 기사"
    others.save(update_fields=["headline"])
    client.force_login(reporter)

    listing = client.get(LIST)

    assert "반도체 수출 석 달째 증가" in listing.text
    assert "남의 예약 기사" not in listing.text
    assert client.get(f"{LIST}{own.pk}/change/").status_code == 200
    # Someone else's story is not there for them (the admin sends them back to the list).
    assert client.get(f"{LIST}{others.pk}/change/").status_code in (302, 403, 404)
    assert "남의 예약 기사" not in client.get(f"{LIST}{others.pk}/change/", follow=True).text


def test_the_revisions_page_shows_what_changed_between_two_revisions(client, editor, revised):
    client.force_login(editor)

    response = client.get(revisions_page(revised), {"from": 1, "to": 2})

    assert response.status_code == 200
    assert "#1 → #2" in response.text
    assert "- 반도체 수출 석 달째 증가" in response.text
    assert "+ 반도체 수출 넉 달째 증가" in response.text
    assert "+ 환율이 내렸다." in response.text
    assert "<td>작성</td>" in response.text, "reasons are shown in words, not codes"
    assert "&lt;p&gt;" not in response.text


def test_an_editor_restores_an_older_revision_as_a_new_one(client, editor, revised):
    client.force_login(editor)

    response = client.post(
        revisions_page(revised), {"restore": 1, "base_version": revised.version}, follow=True
    )

    assert response.redirect_chain == [(revisions_page(revised), 302)]
    assert messages_on(response) == [str(_("Revision #%(number)s restored.") % {"number": 1})]
    newest = Revision.objects.filter(article=revised).first()
    assert (newest.number, newest.reason, newest.created_by) == (3, "restored #1", editor)
    revised.refresh_from_db()
    assert revised.headline == "반도체 수출 석 달째 증가"


def test_a_restore_from_an_outdated_page_is_refused_with_a_message(client, editor, revised):
    client.force_login(editor)

    response = client.post(
        revisions_page(revised), {"restore": 1, "base_version": revised.version - 1}, follow=True
    )

    assert response.status_code == 200
    assert Revision.objects.filter(article=revised).count() == 2
    [message] = messages_on(response)
    assert "한지민" in message  # who saved after the page was opened


def test_the_publish_now_action_publishes_through_the_workflow(client, editor, story_in):
    story = story_in(Status.SUBMITTED)
    client.force_login(editor)

    response = client.post(LIST, {"action": "publish_now", "_selected_action": [story.pk]})

    assert response.status_code == 302
    story.refresh_from_db()
    assert story.status == Status.PUBLISHED
    event = ArticleEvent.objects.filter(article=story).first()
    assert (event.action, event.actor, event.actor_name) == ("publish", editor, "오세훈")


def test_the_publish_now_action_leaves_a_draft_of_someone_else_alone(client, editor, story_in):
    story = story_in(Status.DRAFT)
    client.force_login(editor)

    client.post(LIST, {"action": "publish_now", "_selected_action": [story.pk]})

    story.refresh_from_db()
    assert story.status == Status.DRAFT


def test_a_reporter_cannot_open_the_revisions_of_another_reporters_story(
    client, other_reporter, revised
):
    client.force_login(other_reporter)

    response = client.get(revisions_page(revised))

    assert response.status_code == 404  # as on the desk: it is not there for them


def test_a_reporter_opens_the_revisions_of_their_own_story(client, reporter, revised):
    client.force_login(reporter)

    response = client.get(revisions_page(revised))

    assert response.status_code == 200


def test_a_mistyped_revision_number_in_the_address_is_not_a_server_error(client, editor, revised):
    client.force_login(editor)

    response = client.get(revisions_page(revised), {"from": "1a"})

    assert response.status_code in (200, 400, 404)


def test_a_reader_is_sent_to_the_admin_log_in(client, reader, revised):
    client.force_login(reader)

    response = client.get(revisions_page(revised))

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
