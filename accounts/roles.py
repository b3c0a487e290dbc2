"""Staff roles: what each may do, who has which, and every change to that.

Rights come from roles only. Editors manage roles on the desk (their role carries
"accounts.manage_roles"); a superuser manages them in the admin, but gets no desk rights
without a role: `role_can()` ignores superuser status on purpose.
"""

from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ImproperlyConfigured
from django.db import models, transaction
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from accounts.errors import NotAllowed, require
from accounts.models import RoleChange, StaffProfile, User
from accounts.names import SYSTEM


class Role(models.TextChoices):
    REPORTER = "reporter", _("Reporter")
    EDITOR = "editor", _("Editor")
    MODERATOR = "moderator", _("Moderator")


# The permission behind the staff roles page (/desk/staff/) and can_manage_roles().
MANAGE_ROLES = "accounts.manage_roles"

# Each role's permissions as "app_label.codename". Later apps add theirs here; the groups
# are brought in step after every migrate.
_PHOTO_LIBRARY = {"media.view_photo", "media.add_photo", "media.change_photo"}
_WRITING = {"articles.view_article", "articles.add_article", "articles.change_article"}
_SECTIONS_AND_TAGS = {
    f"articles.{verb}_{model}"
    for verb in ("view", "add", "change")
    for model in ("section", "series", "tag")
}

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.REPORTER: frozenset({"accounts.access_desk", *_PHOTO_LIBRARY, *_WRITING}),
    Role.EDITOR: frozenset(
        {
            "accounts.access_desk",
            "accounts.view_staffprofile",
            MANAGE_ROLES,
            *_PHOTO_LIBRARY,
            "media.change_any_photo",
            *_WRITING,
            "articles.change_any_article",
            "articles.publish_article",
            *_SECTIONS_AND_TAGS,
            "articles.send_newsletter",
            *{f"articles.{verb}_newsletter" for verb in ("view", "add", "change")},
            # Which sections each moderator works on (the admin's "moderators' sections").
            *{f"comments.{verb}_moderatorscope" for verb in ("view", "add", "change", "delete")},
        }
    ),
    Role.MODERATOR: frozenset({"accounts.access_desk", "comments.moderate_comment"}),
}

_ROLES_CACHE = "_newsroom_roles"


def sync_role_groups() -> None:
    """Make each role's group hold exactly the permissions of ROLE_PERMISSIONS."""
    wanted = {codename for codenames in ROLE_PERMISSIONS.values() for codename in codenames}
    found = {
        f"{app_label}.{codename}": pk
        for pk, app_label, codename in Permission.objects.values_list(
            "pk", "content_type__app_label", "codename"
        )
    }
    missing = sorted(wanted - found.keys())
    if missing:
        raise ImproperlyConfigured(f"ROLE_PERMISSIONS names unknown permissions: {missing}")
    for role, codenames in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=role)
        group.permissions.set([found[codename] for codename in codenames])


def held_roles(user: User) -> frozenset[str]:
    """The roles the account holds, active or not (what the admin shows and edits)."""
    return frozenset(user.groups.filter(name__in=Role.values).values_list("name", flat=True))


def roles_of(user) -> frozenset[str]:
    """The roles the user may act in now: none while signed out or deactivated.
    Read once per user object."""
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    if not hasattr(user, _ROLES_CACHE):
        setattr(user, _ROLES_CACHE, held_roles(user))
    return getattr(user, _ROLES_CACHE)


def role_can(user, permission: str) -> bool:
    return any(permission in ROLE_PERMISSIONS[role] for role in roles_of(user))


def can_manage_roles(actor: User | None) -> bool:
    """`None` is the system (a management command or a data load); then active superusers
    (the admin) and staff whose roles carry "accounts.manage_roles" (editors, on the desk)."""
    if actor is None:
        return True
    return actor.is_active and (actor.is_superuser or role_can(actor, MANAGE_ROLES))


@transaction.atomic
def grant_role(user: User, role: str, *, actor: User | None, note: str = "") -> bool:
    """Give `user` a role. Returns False, writing nothing, when they already had it.

    Also opens the admin to them (within their rights) and creates their staff profile.
    History: one RoleChange "granted".
    """
    require(can_manage_roles(actor))
    role = Role(role)
    # One grant at a time per user: two at once would both see the role missing.
    User.objects.select_for_update().filter(pk=user.pk).first()
    if user.groups.filter(name=role).exists():
        return False
    user.groups.add(Group.objects.get(name=role))
    if not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    ensure_staff_profile(user)
    record(user, role, RoleChange.Action.GRANTED, actor=actor, note=note)
    return True


@transaction.atomic
def revoke_role(user: User, role: str, *, actor: User | None, note: str = "") -> bool:
    """Take a role away. Returns False, writing nothing, when they did not have it.

    With no role left the admin closes to them (unless they are a superuser); the staff
    profile stays, because published bylines keep pointing at it. Nobody removes their own
    editor role: they would lose the right to undo it on the desk, and a newsroom could be
    left with no editor at all. History: "revoked".
    """
    require(can_manage_roles(actor))
    role = Role(role)
    if role == Role.EDITOR and _is_self(actor, user):
        raise NotAllowed(_("You cannot remove your own editor role. Ask another editor to do it."))
    User.objects.select_for_update().filter(pk=user.pk).first()
    group = user.groups.filter(name=role).first()
    if group is None:
        return False
    user.groups.remove(group)
    remaining = user.groups.filter(name__in=Role.values).exists()
    if not remaining and user.is_staff and not user.is_superuser:
        user.is_staff = False
        user.save(update_fields=["is_staff"])
    record(user, role, RoleChange.Action.REVOKED, actor=actor, note=note)
    return True


@transaction.atomic
def set_active(user: User, active: bool, *, actor: User | None, note: str = "") -> bool:
    """Switch an account off (it can no longer sign in or act in its roles) or on again.
    Returns False, writing nothing, when it already was. History: "deactivated" or
    "reactivated". Nobody switches their own account off."""
    require(can_manage_roles(actor))
    if not active and _is_self(actor, user):
        raise NotAllowed(_("You cannot switch off your own account."))
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.is_active == active:
        return False
    user.is_active = active
    user.save(update_fields=["is_active"])
    action = RoleChange.Action.REACTIVATED if active else RoleChange.Action.DEACTIVATED
    record(user, "account", action, actor=actor, note=note)
    return True


def _is_self(actor: User | None, user: User) -> bool:
    return actor is not None and actor.pk == user.pk


def ensure_staff_profile(user: User, *, byline_name: str = "") -> StaffProfile:
    profile = StaffProfile.objects.filter(user=user).first()
    if profile is not None:
        return profile
    name = byline_name or user.email.split("@")[0]
    return StaffProfile.objects.create(
        user=user, byline_name=name, slug=_unique_slug(name), public_email=user.email
    )


def _unique_slug(name: str) -> str:
    base = slugify(name, allow_unicode=True) or "staff"
    slug, number = base, 1
    while StaffProfile.objects.filter(slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    return slug


def record(
    user: User,
    role: str,
    action: str,
    *,
    actor: User | None,
    note: str = "",
    data: dict | None = None,
) -> RoleChange:
    """The one writer of RoleChange rows, in the caller's transaction: this module's
    changes, and the moderators' sections (comments.moderation.set_moderator_sections).
    The caller has checked the actor's right.

    The actor's name kept is their address, or "system": this history is the audit of
    who holds which rights, read only by editors (the staff roles page) and in the admin,
    and it must still tell who acted once that account is gone."""
    if hasattr(user, _ROLES_CACHE):
        delattr(user, _ROLES_CACHE)
    return RoleChange.objects.create(
        user=user,
        user_email=user.email,
        role=role,
        action=action,
        actor=actor,
        actor_name=actor.email if actor else SYSTEM,
        note=note[:200],
        data=data or {},
    )
