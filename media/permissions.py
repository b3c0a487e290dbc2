"""Who may do what in the photo library."""

from accounts.models import StaffProfile
from accounts.roles import role_can
from media.models import Photo


def can_browse(user) -> bool:
    return role_can(user, "media.view_photo")


def can_upload(user) -> bool:
    return role_can(user, "media.add_photo")


def can_edit(user, photo: Photo) -> bool:
    """Reporters edit the details of photos they uploaded; editors edit all."""
    if role_can(user, "media.change_any_photo"):
        return True
    return role_can(user, "media.change_photo") and photo.uploaded_by_id == user.pk


def can_set_portrait(user, profile: StaffProfile) -> bool:
    """Staff choose their own portrait; editors may set anyone's."""
    if role_can(user, "media.change_any_photo"):
        return True
    return can_browse(user) and profile.user_id == user.pk
