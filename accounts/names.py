"""The one answer to "under which name is this person shown": in history rows (their
actor name snapshots), on the desk and on public pages.

Staff go by their byline, readers by their nickname. The e-mail address is never a name:
it is private, and history outlives the account.
"""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import StaffProfile, User

# What history rows keep as the actor of a change nobody signed (a management command, a
# rule, a periodic job). Stored as is; pages show it in words (e.g. "시스템").
SYSTEM = "system"

# An account that is gone (deleted, or never saved) and one that has no public name yet.
FORMER_MEMBER = _("Former member")
UNNAMED_MEMBER = _("Unnamed member")


def display_name(user: User | None) -> str:
    """The name `user` is shown under: the byline of a staff member with a staff profile,
    else the nickname; SYSTEM for None; a neutral label for a deleted account or one
    without either name. Never the e-mail address.

    A reader's name costs no query; a staff member's reads their profile once (or uses a
    `select_related("staff_profile")`)."""
    if user is None:
        return SYSTEM
    if user.pk is None or not user.is_authenticated:
        return gettext(FORMER_MEMBER)
    profile = _staff_profile(user)
    if profile is not None and profile.byline_name:
        return profile.byline_name
    if user.nickname:
        return user.nickname
    return gettext(UNNAMED_MEMBER)


def _staff_profile(user: User) -> StaffProfile | None:
    cached = User.staff_profile.related.is_cached(user)
    if not cached and user.nickname and not user.is_staff:
        # A reader (or a former staff member who took a nickname): the nickname it is.
        return None
    try:
        return user.staff_profile
    except StaffProfile.DoesNotExist:
        return None
