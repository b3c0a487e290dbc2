import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command

from accounts import roles
from accounts.models import RoleChange, StaffProfile, User
from media.models import Photo, PhotoEvent, Rendition, StaffPortrait
from newsroom.models import OutboxMessage

pytestmark = pytest.mark.django_db

DEMO_ROLES = {
    "reporter@example.com": {"reporter"},
    "editor@example.com": {"editor"},
    "moderator@example.com": {"moderator"},
    "reader@example.com": set(),
    "admin@example.com": set(),
}


def counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (
            User,
            StaffProfile,
            RoleChange,
            OutboxMessage,
            Photo,
            PhotoEvent,
            StaffPortrait,
        )
    }


def test_loading_the_demo_twice_duplicates_nothing(capsys):
    call_command("load_demo")
    first = counts()
    call_command("load_demo")
    assert counts() == first
    assert first["User"] == len(DEMO_ROLES)


def test_demo_people_have_exactly_their_one_role_and_can_log_in(capsys):
    call_command("load_demo")
    for email, expected in DEMO_ROLES.items():
        user = authenticate(email=email, password="newsroom-demo")
        assert user is not None, f"{email} cannot log in"
        assert set(roles.roles_of(user)) == expected
        assert user.emailaddress_set.get().verified
    admin = User.objects.get(email="admin@example.com")
    assert admin.is_superuser
    assert not User.objects.filter(is_superuser=True).exclude(pk=admin.pk).exists()


def test_demo_staff_have_korean_bylines(capsys):
    call_command("load_demo")
    profile = StaffProfile.objects.get(user__email="reporter@example.com")
    assert (profile.byline_name, profile.title) == ("한지민", "기자")
    assert profile.bio


def test_the_loader_prints_the_log_ins_and_the_background_mode(capsys):
    call_command("load_demo")
    output = capsys.readouterr().out
    assert "editor@example.com" in output
    assert "newsroom-demo" in output
    assert "in-process" in output


def test_demo_data_is_never_loaded_in_production(settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="never loaded in production"):
        call_command("load_demo")
    assert not User.objects.exists()


def test_demo_photos_have_korean_captions_renditions_and_staff_portraits(
    capsys, settings, django_capture_on_commit_callbacks
):
    settings.CELERY_BROKER_URL = ""
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo")
    photo = Photo.objects.get(caption__startswith="부산 신항")
    assert photo.credit
    assert photo.alt_text
    assert {r.spec for r in photo.renditions.all()} >= {"w320", "w640", "w960", "share"}
    assert Rendition.objects.filter(photo__in=Photo.objects.all()).count() > 20
    assert StaffPortrait.objects.count() == 3
