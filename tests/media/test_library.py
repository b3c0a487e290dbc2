"""Every change to the photo library (media.library): uploads, details, renditions, portraits."""

import hashlib
import unicodedata
from io import BytesIO
from pathlib import Path

import pytest
from django.conf import settings
from PIL import Image, ImageStat

from accounts.errors import NotAllowed
from media import imaging, library
from media.errors import StaleEdit
from media.models import Photo, PhotoEvent, PhotoTag, Rendition, StaffPortrait
from newsroom.models import OutboxMessage
from tests.media.conftest import (
    BLUE,
    RED,
    as_upload,
    encode,
    picture,
    stored_files,
    two_halves,
)

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

GPS_MARKER = "SEOUL-CITY-HALL-GPS"
SEOUL = "서울"


def details(photo: Photo, **changes) -> dict:
    """The photo's current details as update_details takes them, with some changed."""
    photo.refresh_from_db()
    focal = None if photo.focal_x is None else (photo.focal_x, photo.focal_y)
    return {
        "version": photo.version,
        "caption": photo.caption,
        "credit": photo.credit,
        "alt_text": photo.alt_text,
        "tags": sorted(tag.name for tag in photo.tags.all()),
        "focal_point": focal,
        **changes,
    }


def events(photo: Photo, action: str) -> list[PhotoEvent]:
    return list(PhotoEvent.objects.filter(photo=photo, action=action))


def reopen(path: str) -> Image.Image:
    image = Image.open(path)
    image.load()
    return image


def share_of(photo: Photo) -> Rendition:
    return photo.renditions.get(spec=imaging.SHARE_SPEC.name)


def mean_colour(path: str) -> tuple[float, float, float]:
    return tuple(ImageStat.Stat(reopen(path).convert("RGB")).mean)


# --- Upload --------------------------------------------------------------------------------


def test_reporter_uploads_a_photo_kept_privately_and_rendered_after_commit(
    reporter, jpeg_bytes, django_capture_on_commit_callbacks
):
    data = jpeg_bytes(800, 600)
    decomposed = unicodedata.normalize("NFD", SEOUL)
    assert decomposed != SEOUL
    before = stored_files()

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        result = library.upload(
            as_upload(data, "광장.jpg"),
            actor=reporter,
            caption="  서울시청 앞 광장에 모인 시민들 ",
            credit="한지민 기자",
            alt_text="광장을 가득 메운 사람들",
            tags=[decomposed, "시청", f" {SEOUL} "],
        )
        # Nothing is rendered while the upload's transaction is still open.
        assert not Rendition.objects.exists()
        assert stored_files() - before == {Path(result.photo.original.path)}

    assert len(callbacks) == 1
    [message] = OutboxMessage.objects.all()
    assert (message.task_name, message.args) == ("media.make_renditions", [result.photo.pk])
    assert message.status == OutboxMessage.Status.DONE
    assert result.created is True
    photo = Photo.objects.get()
    assert photo == result.photo
    assert (photo.format, photo.width, photo.height) == ("JPEG", 800, 600)
    assert photo.byte_size == len(data)
    assert photo.content_hash == hashlib.sha256(data).hexdigest()
    assert photo.caption == "서울시청 앞 광장에 모인 시민들"
    assert (photo.credit, photo.alt_text) == ("한지민 기자", "광장을 가득 메운 사람들")
    assert photo.uploaded_by == reporter
    # A tag typed with decomposed jamo is the same tag as the composed one.
    assert sorted(tag.name for tag in photo.tags.all()) == sorted([SEOUL, "시청"])
    assert PhotoTag.objects.filter(name=SEOUL).count() == 1
    assert PhotoTag.objects.count() == 2

    original = Path(photo.original.path)
    assert original.read_bytes() == data
    assert not original.is_relative_to(settings.MEDIA_ROOT)
    assert stored_files() - before == {
        original,
        *(Path(rendition.file.path) for rendition in photo.renditions.all()),
    }
    assert photo.renditions.count() == 5

    uploaded = events(photo, "uploaded")
    assert len(uploaded) == 1
    assert (uploaded[0].actor, uploaded[0].actor_name) == (reporter, reporter.email)
    assert uploaded[0].photo_hash == photo.content_hash


def test_renditions_are_made_in_webp_and_jpeg_never_wider_than_the_original_plus_a_share_crop(
    photo,
):
    made = {(r.spec, r.format, r.width, r.height) for r in photo.renditions.all()}

    assert made == {
        ("w320", "WEBP", 320, 240),
        ("w320", "JPEG", 320, 240),
        ("w640", "WEBP", 640, 480),
        ("w640", "JPEG", 640, 480),
        ("share", "JPEG", 1200, 630),
    }
    assert all(width <= photo.width for spec, _f, width, _h in made if spec != "share")
    for rendition in photo.renditions.all():
        path = Path(rendition.file.path)
        assert path.is_relative_to(settings.MEDIA_ROOT)
        stored = path.read_bytes()
        # The name holds a hash of the bytes: a new file always gets a new address.
        assert imaging.content_hash(stored)[:12] in path.name
        assert photo.content_hash[:16] in path.name
        with Image.open(BytesIO(stored)) as image:
            assert image.format == rendition.format
            assert image.size == (rendition.width, rendition.height)
    assert len(events(photo, "rendered")) == 1


def test_the_same_bytes_uploaded_twice_give_back_the_photo_already_in_the_library(
    reporter, other_reporter, jpeg_bytes, upload
):
    data = jpeg_bytes()
    first = upload(data, actor=reporter, caption="처음 올린 사진")
    files_after_first = stored_files()

    second = upload(data, actor=other_reporter, name="copy.jpg", caption="다시 올린 사진")

    assert (first.created, second.created) == (True, False)
    assert second.photo == first.photo
    assert Photo.objects.count() == 1
    assert Photo.objects.get().caption == "처음 올린 사진"
    assert PhotoEvent.objects.filter(action="uploaded").count() == 1
    assert stored_files() == files_after_first


def _png_with_script() -> bytes:
    return encode(picture(64, 64), "PNG") + b"<script>alert(document.cookie)</script>"


def _truncated_jpeg() -> bytes:
    data = encode(picture(400, 300), "JPEG", quality=90)
    return data[: len(data) // 2]


@pytest.mark.parametrize(
    ("make", "limits", "code"),
    [
        pytest.param(lambda: b"", {}, "empty", id="empty"),
        pytest.param(
            lambda: (
                b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" '
                b'height="10"><script>alert(1)</script></svg>'
            ),
            {},
            "markup",
            id="svg",
        ),
        pytest.param(_truncated_jpeg, {}, "broken", id="truncated-jpeg"),
        pytest.param(_png_with_script, {}, "markup", id="png-with-script"),
        pytest.param(lambda: encode(picture(64, 64), "TIFF"), {}, "not_image", id="tiff"),
        pytest.param(
            lambda: encode(picture(400, 300), "JPEG"),
            {"PHOTO_MAX_BYTES": 2048},
            "too_large",
            id="over-max-bytes",
        ),
        pytest.param(
            lambda: encode(picture(400, 300), "JPEG"),
            {"PHOTO_MAX_PIXELS": 100_000},
            "too_many_pixels",
            id="over-max-pixels",
        ),
    ],
)
def test_a_refused_file_leaves_no_row_no_history_and_no_file(
    reporter, settings, django_capture_on_commit_callbacks, make, limits, code
):
    for name, value in limits.items():
        setattr(settings, name, value)
    data = make()
    before = stored_files()

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(imaging.ImageRejected) as rejected,
    ):
        library.upload(as_upload(data, "bad-file"), actor=reporter)

    assert rejected.value.code == code
    assert str(rejected.value.message)
    assert callbacks == []
    assert not Photo.objects.exists()
    assert not PhotoEvent.objects.exists()
    assert not OutboxMessage.objects.exists()
    assert stored_files() == before


def test_a_sideways_phone_photo_is_rendered_upright_without_its_gps_position(reporter, upload):
    # Upright: red above blue, taller than wide. The camera stored it turned a quarter to
    # the left with EXIF orientation 6 ("turn right to view").
    upright = Image.new("RGB", (400, 600), BLUE)
    upright.paste(RED, (0, 0, 400, 300))
    exif = Image.Exif()
    exif[imaging.ORIENTATION_TAG] = 6
    exif[0x010F] = "PhoneMaker"  # Make
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (37.0, 33.0, 58.0)  # GPSLatitudeRef, GPSLatitude
    gps[3], gps[4] = "E", (126.0, 58.0, 41.0)  # GPSLongitudeRef, GPSLongitude
    gps[0x12] = GPS_MARKER  # GPSMapDatum
    data = encode(upright.transpose(Image.Transpose.ROTATE_90), "JPEG", exif=exif, quality=95)
    assert GPS_MARKER.encode() in data

    photo = upload(data, actor=reporter).photo

    assert (photo.width, photo.height) == (400, 600)
    # The original is kept exactly as sent, position and all (staff only).
    assert Path(photo.original.path).read_bytes() == data
    renditions = list(photo.renditions.all())
    assert {r.spec for r in renditions} == {"w320", "share"}
    for rendition in renditions:
        stored = Path(rendition.file.path).read_bytes()
        assert GPS_MARKER.encode() not in stored
        assert b"PhoneMaker" not in stored
        image = reopen(rendition.file.path)
        assert len(image.getexif()) == 0
        if rendition.spec == "w320":
            assert image.size == (320, 480)
            rgb = image.convert("RGB")
            top, bottom = rgb.getpixel((160, 60)), rgb.getpixel((160, 420))
            assert top[0] > 150 > top[2], top
            assert bottom[2] > 150 > bottom[0], bottom


# --- Who may upload and edit ------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["moderator", "reader"])
def test_moderator_and_reader_cannot_upload(
    request, persona, jpeg_bytes, django_capture_on_commit_callbacks
):
    actor = request.getfixturevalue(persona)
    before = stored_files()

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(NotAllowed),
    ):
        library.upload(as_upload(jpeg_bytes()), actor=actor)

    assert callbacks == []
    assert not Photo.objects.exists()
    assert not PhotoEvent.objects.exists()
    assert stored_files() == before


def test_reporter_edits_the_details_of_their_own_photo_with_one_history_row(reporter, photo):
    old_caption = photo.caption

    edited = library.update_details(
        photo,
        actor=reporter,
        **details(photo, caption=" 고친 설명 ", tags=["서울", "광장"]),
    )

    photo.refresh_from_db()
    assert edited.version == photo.version == 2
    assert photo.caption == "고친 설명"
    assert sorted(tag.name for tag in photo.tags.all()) == ["광장", "서울"]
    [edit] = events(photo, "edited")
    assert (edit.actor, edit.actor_name) == (reporter, reporter.email)
    assert edit.changes == {
        "caption": {"old": old_caption, "new": "고친 설명"},
        "tags": {"old": ["서울", "시청"], "new": ["광장", "서울"]},
    }


def test_reporter_cannot_edit_another_reporters_photo(other_reporter, photo):
    before = details(photo)

    with pytest.raises(NotAllowed):
        library.update_details(photo, actor=other_reporter, **details(photo, caption="남의 사진"))

    assert details(photo) == before
    assert events(photo, "edited") == []


@pytest.mark.parametrize("persona", ["moderator", "reader"])
def test_moderator_and_reader_cannot_edit_a_photo(request, persona, photo):
    actor = request.getfixturevalue(persona)
    before = details(photo)

    with pytest.raises(NotAllowed):
        library.update_details(photo, actor=actor, **details(photo, caption="바꿔 봄"))

    assert details(photo) == before
    assert events(photo, "edited") == []


def test_editor_edits_the_details_of_anyones_photo(editor, photo):
    library.update_details(photo, actor=editor, **details(photo, credit="사진부"))

    photo.refresh_from_db()
    assert photo.credit == "사진부"
    [edit] = events(photo, "edited")
    assert edit.actor == editor
    assert edit.changes == {"credit": {"old": "한지민 기자", "new": "사진부"}}


def test_an_edit_that_changes_nothing_writes_nothing(reporter, photo):
    unchanged = details(photo)
    # Same tags in another order and spelling, same caption with extra spaces.
    unchanged["tags"] = ["시청", unicodedata.normalize("NFD", "서울")]
    unchanged["caption"] = f"  {photo.caption} "

    library.update_details(photo, actor=reporter, **unchanged)

    photo.refresh_from_db()
    assert photo.version == 1
    assert events(photo, "edited") == []


def test_an_edit_made_from_an_older_version_is_refused_and_changes_nothing(reporter, editor, photo):
    seen_by_reporter = details(photo)
    library.update_details(photo, actor=editor, **details(photo, caption="편집자가 고친 설명"))
    after_editor = details(photo)

    with pytest.raises(StaleEdit):
        library.update_details(
            photo,
            actor=reporter,
            **{**seen_by_reporter, "caption": "기자가 고친 설명", "tags": ["덮어쓰기"]},
        )

    assert details(photo) == after_editor
    assert len(events(photo, "edited")) == 1
    assert not PhotoTag.objects.filter(name="덮어쓰기").exists()


# --- Focal point and the share crop ------------------------------------------------------------


@pytest.fixture
def red_and_blue(reporter, upload):
    """Red on the left half, blue on the right: wider than the share crop's 1200:630."""
    return upload(encode(two_halves(1000, 300), "JPEG", quality=95), actor=reporter).photo


def test_moving_the_focal_point_remakes_only_the_share_crop_after_commit(
    reporter, red_and_blue, django_capture_on_commit_callbacks
):
    photo = red_and_blue
    old_share = share_of(photo)
    others = {(r.pk, r.file.name) for r in photo.renditions.exclude(spec="share")}

    with django_capture_on_commit_callbacks(execute=True):
        library.update_details(photo, actor=reporter, **details(photo, focal_point=(0.95, 0.5)))
        assert not photo.renditions.filter(spec="share").exists()
        # Pages cached with the old address keep working until the change is committed.
        assert Path(old_share.file.path).exists()

    new_share = share_of(photo)
    assert new_share.pk != old_share.pk
    assert new_share.file.name != old_share.file.name
    assert Path(new_share.file.path).exists()
    # The old crop stays on disk: cached pages and the networks' cards may still show it.
    assert Path(old_share.file.path).exists()
    assert (new_share.width, new_share.height) == (1200, 630)
    assert {(r.pk, r.file.name) for r in photo.renditions.exclude(spec="share")} == others
    [edit] = events(photo, "edited")
    assert edit.changes == {
        "focal_x": {"old": None, "new": 0.95},
        "focal_y": {"old": None, "new": 0.5},
    }


def test_the_share_crop_follows_the_focal_point(
    reporter, red_and_blue, django_capture_on_commit_callbacks
):
    photo = red_and_blue
    shares = {}
    for focal_x in (0.95, 0.05):
        with django_capture_on_commit_callbacks(execute=True):
            library.update_details(
                photo, actor=reporter, **details(photo, focal_point=(focal_x, 0.5))
            )
        shares[focal_x] = mean_colour(share_of(photo).file.path)

    red_right, _g, blue_right = shares[0.95]
    red_left, _g, blue_left = shares[0.05]
    assert blue_right > red_right
    assert red_left > blue_left
    assert blue_right > blue_left


def test_an_edit_that_keeps_the_focal_point_keeps_the_share_crop(
    reporter, photo, django_capture_on_commit_callbacks
):
    share = share_of(photo)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        library.update_details(photo, actor=reporter, **details(photo, caption="설명만 고침"))

    assert callbacks == []
    assert share_of(photo) == share
    assert Path(share.file.path).exists()


# --- make_renditions ------------------------------------------------------------------------


def test_making_renditions_again_makes_nothing(photo):
    before_files, before_events = stored_files(), PhotoEvent.objects.count()

    assert library.make_renditions(photo.pk) == 0

    assert stored_files() == before_files
    assert PhotoEvent.objects.count() == before_events


def test_making_renditions_remakes_only_what_is_missing(photo):
    photo.renditions.filter(spec="w320", format="WEBP").delete()

    assert library.make_renditions(photo.pk) == 1

    assert photo.renditions.filter(spec="w320", format="WEBP").exists()
    assert photo.renditions.count() == 5


def test_making_renditions_for_a_photo_that_is_gone_does_nothing():
    assert library.make_renditions(987_654) == 0
    assert not PhotoEvent.objects.exists()


# --- Portraits --------------------------------------------------------------------------------


def test_staff_member_sets_their_own_portrait_with_one_history_row(reporter, photo):
    profile = reporter.staff_profile

    portrait = library.set_portrait(profile, photo, actor=reporter)

    assert StaffPortrait.objects.get(profile=profile) == portrait
    assert portrait.photo == photo
    [event] = events(photo, "portrait")
    assert event.actor == reporter
    assert event.changes == {"profile": profile.byline_name}


@pytest.mark.parametrize("persona", ["other_reporter", "moderator"])
def test_reporter_and_moderator_cannot_set_someone_elses_portrait(
    request, persona, reporter, photo
):
    actor = request.getfixturevalue(persona)

    with pytest.raises(NotAllowed):
        library.set_portrait(reporter.staff_profile, photo, actor=actor)

    assert not StaffPortrait.objects.exists()
    assert events(photo, "portrait") == []


def test_moderator_without_the_photo_library_cannot_set_their_own_portrait(moderator, photo):
    with pytest.raises(NotAllowed):
        library.set_portrait(moderator.staff_profile, photo, actor=moderator)

    assert not StaffPortrait.objects.exists()


def test_editor_sets_another_staff_members_portrait(editor, reporter, photo, jpeg_bytes, upload):
    library.set_portrait(reporter.staff_profile, photo, actor=editor)
    newer = upload(jpeg_bytes(), actor=editor).photo

    library.set_portrait(reporter.staff_profile, newer, actor=editor)

    assert StaffPortrait.objects.get(profile=reporter.staff_profile).photo == newer
    assert StaffPortrait.objects.count() == 1
    [event] = events(newer, "portrait")
    assert event.actor == editor
