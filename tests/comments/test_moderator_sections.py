"""The sections a moderator works on change only through comments.moderation (the admin's
"moderators' sections" included), each change one RoleChange beside the moderator's role."""

import pytest

from accounts.errors import NotAllowed
from accounts.models import RoleChange
from comments import moderation, permissions
from comments.models import ModeratorScope
from tests.factories import SectionFactory

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

SECTIONS_CHANGED = RoleChange.Action.SECTIONS_CHANGED


@pytest.fixture
def politics(db):
    return SectionFactory(name="정치", slug="politics")


def scope_changes(moderator) -> list[RoleChange]:
    return list(RoleChange.objects.filter(user=moderator, action=SECTIONS_CHANGED))


# --- comments.moderation ---------------------------------------------------------------------


def test_an_editor_sets_a_moderators_sections_with_one_history_row(
    editor, moderator, section, politics
):
    scope, changed = moderation.set_moderator_sections(
        moderator, [section, politics], actor=editor, note="총선 기간"
    )

    assert changed is True
    assert set(scope.sections.all()) == {section, politics}
    assert permissions.moderated_sections(moderator) == {section.pk, politics.pk}
    [change] = scope_changes(moderator)
    assert (change.role, change.actor, change.note) == ("moderator", editor, "총선 기간")
    assert change.data == {"old": [], "new": sorted([section.name, politics.name])}
    assert change.get_action_display() == str(SECTIONS_CHANGED.label)


def test_setting_the_same_sections_again_writes_nothing(editor, moderator, section):
    moderation.set_moderator_sections(moderator, [section], actor=editor)

    _scope, changed = moderation.set_moderator_sections(moderator, [section], actor=editor)

    assert changed is False
    assert len(scope_changes(moderator)) == 1


def test_removing_the_scope_gives_every_section_back_with_one_row(editor, moderator, section):
    moderation.set_moderator_sections(moderator, [section], actor=editor)

    assert moderation.remove_moderator_scope(moderator, actor=editor) is True

    assert not ModeratorScope.objects.filter(user=moderator).exists()
    assert permissions.moderated_sections(moderator) is None
    latest = scope_changes(moderator)[0]  # newest first
    assert latest.data == {"old": [section.name], "new": []}
    assert len(scope_changes(moderator)) == 2
    assert moderation.remove_moderator_scope(moderator, actor=editor) is False


@pytest.mark.parametrize("actor_name", ["moderator", "reporter", "reader"])
def test_only_editors_and_the_admin_set_a_moderators_sections(
    request, moderator, section, actor_name
):
    actor = request.getfixturevalue(actor_name)

    with pytest.raises(NotAllowed):
        moderation.set_moderator_sections(moderator, [section], actor=actor)
    with pytest.raises(NotAllowed):
        moderation.remove_moderator_scope(moderator, actor=actor)

    assert not ModeratorScope.objects.exists()
    assert not RoleChange.objects.filter(action=SECTIONS_CHANGED).exists()


def test_a_switched_off_editor_is_refused(editor, moderator, section):
    editor.is_active = False
    editor.save(update_fields=["is_active"])

    with pytest.raises(NotAllowed):
        moderation.set_moderator_sections(moderator, [section], actor=editor)


# --- the admin ---------------------------------------------------------------------------------


ADD = "/admin/comments/moderatorscope/add/"


def test_the_admin_adds_a_scope_through_moderation(client, editor, moderator, section):
    client.force_login(editor)

    response = client.post(ADD, {"user": moderator.pk, "sections": [section.pk], "_save": "Save"})

    assert response.status_code == 302
    scope = ModeratorScope.objects.get(user=moderator)
    assert list(scope.sections.all()) == [section]
    [change] = scope_changes(moderator)
    assert (change.actor, change.note, change.data["new"]) == (editor, "admin", [section.name])


def test_the_admin_changes_and_deletes_a_scope_through_moderation(
    client, superuser, moderator, section, politics
):
    scope, _changed = moderation.set_moderator_sections(moderator, [section], actor=None)
    client.force_login(superuser)
    url = f"/admin/comments/moderatorscope/{scope.pk}/change/"

    response = client.post(url, {"sections": [politics.pk], "_save": "Save"})

    assert response.status_code == 302
    assert list(ModeratorScope.objects.get(pk=scope.pk).sections.all()) == [politics]
    assert scope_changes(moderator)[0].data == {"old": [section.name], "new": [politics.name]}

    response = client.post(f"/admin/comments/moderatorscope/{scope.pk}/delete/", {"post": "yes"})

    assert response.status_code == 302
    assert not ModeratorScope.objects.exists()
    assert scope_changes(moderator)[0].data == {"old": [politics.name], "new": []}
    assert len(scope_changes(moderator)) == 3


def test_a_moderator_cannot_change_scopes_in_the_admin(client, moderator, section):
    client.force_login(moderator)

    response = client.post(ADD, {"user": moderator.pk, "sections": [section.pk]})

    assert response.status_code == 403
    assert not ModeratorScope.objects.exists()
    assert not scope_changes(moderator)
