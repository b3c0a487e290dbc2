"""Every change to the photo library: uploads, details, renditions and portraits.

Each function checks the actor's right, changes the rows, writes one PhotoEvent and
schedules its background work through the outbox.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction

from accounts.errors import require
from accounts.models import StaffProfile, User
from accounts.names import SYSTEM
from media import imaging
from media.errors import StaleEdit
from media.models import Photo, PhotoEvent, PhotoTag, Rendition, StaffPortrait
from media.permissions import can_edit, can_set_portrait, can_upload
from newsroom.outbox import enqueue

DETAIL_FIELDS = ("caption", "credit", "alt_text", "focal_x", "focal_y")


@dataclass(frozen=True)
class UploadResult:
    photo: Photo
    created: bool  # False: the same file was already in the library


def upload(
    file,
    *,
    actor: User,
    caption: str = "",
    credit: str = "",
    alt_text: str = "",
    tags: list[str] | tuple[str, ...] = (),
) -> UploadResult:
    """Check an uploaded file, keep the original privately and schedule its renditions.

    The caption, credit and alt text are the library's defaults, and may be blank: one
    upload gives them to every file it sends, and each story that uses the photo writes its
    own (articles.workflow starts them from these), so a caption is not asked for here.
    Refused files (imaging.ImageRejected) leave nothing behind: no file, no row. The same
    bytes uploaded again return the photo already in the library.
    History: "uploaded". Tasks: media.make_renditions.
    """
    require(can_upload(actor))
    data = _read_at_most(file, settings.PHOTO_MAX_BYTES)
    inspected = imaging.inspect(
        data, max_bytes=settings.PHOTO_MAX_BYTES, max_pixels=settings.PHOTO_MAX_PIXELS
    )
    existing = Photo.objects.filter(content_hash=inspected.content_hash).first()
    if existing is not None:
        return UploadResult(existing, created=False)

    storage = Photo._meta.get_field("original").storage
    name = _original_name(inspected)
    # The name is the content hash, so a file left by an interrupted upload is this file.
    wrote_file = not storage.exists(name)
    if wrote_file:
        name = storage.save(name, ContentFile(data))
    try:
        with transaction.atomic():
            photo = Photo.objects.create(
                original=name,
                content_hash=inspected.content_hash,
                format=inspected.format,
                width=inspected.width,
                height=inspected.height,
                byte_size=len(data),
                caption=caption.strip(),
                credit=credit.strip(),
                alt_text=alt_text.strip(),
                uploaded_by=actor,
            )
            _set_tags(photo, tags)
            _record(photo, PhotoEvent.Action.UPLOADED, actor, {"name": getattr(file, "name", "")})
            enqueue("media.make_renditions", photo.pk)
    except IntegrityError:
        # Two uploads of the same file at once: the other one made the row and owns the file.
        return UploadResult(Photo.objects.get(content_hash=inspected.content_hash), False)
    except BaseException:
        # Another upload of the same bytes may have found our file and used it meanwhile.
        if wrote_file and not Photo.objects.filter(content_hash=inspected.content_hash).exists():
            storage.delete(name)
        raise
    return UploadResult(photo, created=True)


@transaction.atomic
def update_details(
    photo: Photo,
    *,
    actor: User,
    version: int,
    caption: str,
    credit: str,
    alt_text: str,
    tags: list[str],
    focal_point: tuple[float, float] | None,
) -> Photo:
    """Edit the library's default details of a photo.

    Refuses (StaleEdit) a form made from an older version. A moved focal point remakes the
    share crop. History: "edited" with old and new values. Tasks: media.make_renditions.
    """
    require(can_edit(actor, photo))
    photo = Photo.objects.select_for_update().get(pk=photo.pk)
    if photo.version != version:
        raise StaleEdit
    focal_x, focal_y = focal_point if focal_point is not None else (None, None)
    wanted = {
        "caption": caption.strip(),
        "credit": credit.strip(),
        "alt_text": alt_text.strip(),
        "focal_x": focal_x,
        "focal_y": focal_y,
    }
    changes = {
        field: {"old": getattr(photo, field), "new": value}
        for field, value in wanted.items()
        if getattr(photo, field) != value
    }
    old_tags = sorted(tag.name for tag in photo.tags.all())
    new_tags = sorted(_set_tags(photo, tags))
    if old_tags != new_tags:
        changes["tags"] = {"old": old_tags, "new": new_tags}
    if not changes:
        return photo
    for field, value in wanted.items():
        setattr(photo, field, value)
    photo.version += 1
    photo.save(update_fields=[*DETAIL_FIELDS, "version", "updated_at"])
    _record(photo, PhotoEvent.Action.EDITED, actor, changes)
    if "focal_x" in changes or "focal_y" in changes:
        _discard_renditions(photo, spec=imaging.SHARE_SPEC.name)
        enqueue("media.make_renditions", photo.pk)
    return photo


def make_renditions(photo_id: int) -> int:
    """Make the renditions a photo lacks; returns how many files were made. Safe to run
    twice or at once: each (spec, format) is made once and a loser's file is removed.
    History: "rendered" when something was made."""
    photo = Photo.objects.filter(pk=photo_id).first()
    if photo is None:
        return 0
    have = set(photo.renditions.values_list("spec", "format"))
    missing = [
        spec
        for spec in imaging.wanted_specs(photo.width)
        if any((spec.name, image_format) not in have for image_format in spec.formats)
    ]
    if not missing:
        return 0
    with photo.original.open("rb") as original:
        data = original.read()
    storage = Rendition._meta.get_field("file").storage
    focal = photo.focal_point
    rendered = [
        file
        for file in imaging.render(data, missing, focal=focal)
        if (file.spec, file.format) not in have
    ]
    # The focal point may have moved while we rendered: that edit queued a new run, which
    # makes the share crop from the new point. Ours would be stale.
    if Photo.objects.get(pk=photo.pk).focal_point != focal:
        rendered = [file for file in rendered if file.spec != imaging.SHARE_SPEC.name]
    names = {
        (file.spec, file.format): storage.save(_rendition_name(photo, file), ContentFile(file.data))
        for file in rendered
    }
    Rendition.objects.bulk_create(
        [
            Rendition(
                photo=photo,
                spec=file.spec,
                format=file.format,
                width=file.width,
                height=file.height,
                file=names[(file.spec, file.format)],
            )
            for file in rendered
        ],
        ignore_conflicts=True,
    )
    # A run at the same time may have won some rows: its files stay, ours go.
    kept = {
        (spec, image_format): name
        for spec, image_format, name in photo.renditions.values_list("spec", "format", "file")
    }
    made = []
    for key, name in names.items():
        if kept.get(key) == name:
            made.append(f"{key[0]}.{key[1].lower()}")
        elif name not in kept.values():
            storage.delete(name)
    if made:
        _record(photo, PhotoEvent.Action.RENDERED, None, {"made": made})
    return len(made)


@transaction.atomic
def set_portrait(profile: StaffProfile, photo: Photo, *, actor: User) -> StaffPortrait:
    """Make `photo` the staff member's portrait. History: "portrait", when it changes."""
    require(can_set_portrait(actor, profile))
    current = StaffPortrait.objects.filter(profile=profile).first()
    if current is not None and current.photo_id == photo.pk:
        return current
    portrait, _created = StaffPortrait.objects.update_or_create(
        profile=profile, defaults={"photo": photo}
    )
    _record(photo, PhotoEvent.Action.PORTRAIT, actor, {"profile": profile.byline_name})
    return portrait


def _read_at_most(file, limit: int) -> bytes:
    """The upload's bytes; a file known to be too large is refused before it is read."""
    size = getattr(file, "size", None)
    if size is not None:
        imaging.check_size(size, max_bytes=limit)
    file.seek(0)
    # One byte past the limit tells a file of unknown size is too large.
    return file.read(limit + 1 if size is None else size)


def _original_name(inspected: imaging.Inspected) -> str:
    digest = inspected.content_hash
    return f"originals/{digest[:2]}/{digest}.{imaging.EXTENSIONS[inspected.format]}"


def _rendition_name(photo: Photo, rendered: imaging.RenderedFile) -> str:
    photo_hash, file_hash = photo.content_hash, imaging.content_hash(rendered.data)
    extension = imaging.EXTENSIONS[rendered.format]
    return f"photos/{photo_hash[:2]}/{photo_hash[:16]}-{rendered.spec}-{file_hash[:12]}.{extension}"


def _set_tags(photo: Photo, names) -> list[str]:
    wanted = sorted({PhotoTag.normalise(name) for name in names} - {""})
    tags = [PhotoTag.objects.get_or_create(name=name)[0] for name in wanted]
    photo.tags.set(tags)
    return wanted


def _discard_renditions(photo: Photo, *, spec: str) -> None:
    # Only the rows go. The files stay: cached pages and the networks' cached cards may
    # still point at them, and their names (content hashes) are never reused for others.
    photo.renditions.filter(spec=spec).delete()


def _record(photo: Photo, action: str, actor: User | None, data: dict) -> None:
    PhotoEvent.objects.create(
        photo=photo,
        photo_hash=photo.content_hash,
        action=action,
        actor=actor,
        # Staff only read this history (the photo's desk page, the admin), by address.
        actor_name=actor.email if actor else SYSTEM,
        data=data,
    )
