"""A member's account: joining with consents, the nickname, the staff profile, leaving;
and the accounts the system makes for staff (the create_staff command).

The only code that writes nicknames, Consent rows, staff profiles' details and
AccountEvents. Each function checks the right to act, changes the rows and writes one
AccountEvent, in one transaction. Views, the sign-up form, the admin, the create_staff
command and the demo loader call these.
"""

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts import legal, roles
from accounts.errors import ConsentMissing, NicknameTaken, WrongPassword, require
from accounts.models import AccountEvent, Consent, StaffProfile, User
from accounts.names import display_name
from accounts.permissions import can_change_nickname, can_delete_own_account, can_use_desk
from accounts.selectors import nickname_in_use
from accounts.validators import validate_nickname
from newsroom.outbox import enqueue

Action = AccountEvent.Action


@transaction.atomic
def sign_up(
    user: User, *, nickname: str, agreed: Iterable[str], at: datetime | None = None
) -> User:
    """Make `user` a reader: the nickname and one Consent per required text, at its current
    version (accounts.legal), all or nothing.

    `user` may be unsaved (allauth's sign-up form leaves saving it to this function, see
    AccountAdapter.save_user) or saved (a social sign-up, the demo loader).
    Preconditions: every consent in legal.REQUIRED_AT_SIGNUP; a nickname not in use that
    accounts.validators accepts (the registered checks included).
    History: one AccountEvent "joined" with the nickname and the versions agreed to.
    """
    agreed = set(agreed)
    missing = [kind for kind in legal.REQUIRED_AT_SIGNUP if kind not in agreed]
    if missing:
        raise ConsentMissing(missing)
    nickname = _available(validate_nickname(nickname), user)
    user.nickname = nickname
    _save_nickname(user, insert=user.pk is None)
    at = at or timezone.now()
    versions = {kind: legal.CURRENT_VERSIONS[kind] for kind in legal.REQUIRED_AT_SIGNUP}
    Consent.objects.bulk_create(
        Consent(user=user, kind=kind, version=version, given_at=at)
        for kind, version in versions.items()
    )
    _record(user, Action.JOINED, {"nickname": nickname, "consents": versions}, at, actor=user)
    return user


@transaction.atomic
def change_nickname(user: User, nickname: str) -> bool:
    """The reader's new public name. Returns False, writing nothing, when it is the same
    string. A change of case only ("sol" to "Sol") is a change.

    Preconditions: an active account; a nickname no other account uses that
    accounts.validators accepts.
    History: one AccountEvent "nickname_changed" with the old and new names.
    """
    require(can_change_nickname(user))
    nickname = validate_nickname(nickname)
    # One change at a time per account: the old name in the history must be the real one.
    locked = User.objects.select_for_update().get(pk=user.pk)
    old = locked.nickname
    if nickname == old:
        return False
    locked.nickname = _available(nickname, locked)
    _save_nickname(locked, insert=False)
    user.nickname = locked.nickname
    _record(locked, Action.NICKNAME_CHANGED, {"old": old, "new": nickname}, actor=locked)
    return True


# What a staff member edits of their own byline; the URL slug stays (links keep working).
PROFILE_FIELDS = ("byline_name", "title", "public_email", "bio")


def can_edit_staff_profile(actor: User | None, profile: StaffProfile) -> bool:
    """The staff member on their own desk profile page; whoever may change staff profiles
    in the admin (superusers: no role carries the right); `None`, the system (the
    create_staff command)."""
    if actor is None:
        return True
    own = profile.user_id == actor.pk and can_use_desk(actor)
    return own or actor.has_perm("accounts.change_staffprofile")


@transaction.atomic
def update_staff_profile(profile: StaffProfile, *, actor: User | None, **values: str) -> list[str]:
    """The staff member's byline name, title, public e-mail and bio, as readers see them.
    Returns the names of the fields that changed (none: nothing is written).

    Preconditions: can_edit_staff_profile (their own profile on the desk, the admin, the
    system). History: one AccountEvent "profile_changed" about the profile's member, by the
    actor, with the old and new values.
    """
    require(can_edit_staff_profile(actor, profile))
    profile = StaffProfile.objects.select_for_update().select_related("user").get(pk=profile.pk)
    changes = {}
    for name in PROFILE_FIELDS:
        if name in values and getattr(profile, name) != values[name].strip():
            changes[name] = [getattr(profile, name), values[name].strip()]
            setattr(profile, name, values[name].strip())
    if not changes:
        return []
    profile.save(update_fields=[*changes, "updated_at"])
    _record(profile.user, Action.PROFILE_CHANGED, changes, actor=actor)
    return list(changes)


@dataclass(frozen=True)
class StaffSetUp:
    user: User
    profile: StaffProfile
    created: bool  # False: the address already had an account
    granted: bool  # False: it already held the role


@transaction.atomic
def set_up_staff(
    email: str, role: str, *, byline_name: str = "", password: str | None = None, note: str = ""
) -> StaffSetUp:
    """The system's way to add a staff member (the create_staff command): the account for
    `email` (made, with a verified address, when there is none; `password` None leaves it
    unusable), its staff profile under `byline_name`, and `role`. All or nothing.

    History: a new account, one AccountEvent "created"; a new byline name for an existing
    profile, "profile_changed" (update_staff_profile); the role, one RoleChange "granted"
    (accounts.roles.grant_role). All signed by the system.
    """
    role = roles.Role(role)
    email = User.objects.normalize_email(email).lower()
    user = User.objects.filter(email__iexact=email).first()
    created = user is None
    if created:
        user = User.objects.create_user(email, password)
        EmailAddress.objects.create(user=user, email=email, primary=True, verified=True)
        _record(user, Action.CREATED, {}, actor=None, note=note)
    profile = roles.ensure_staff_profile(user, byline_name=byline_name)
    if byline_name and update_staff_profile(profile, actor=None, byline_name=byline_name):
        profile.refresh_from_db()
    granted = roles.grant_role(user, role, actor=None, note=note)
    return StaffSetUp(user=user, profile=profile, created=created, granted=granted)


@transaction.atomic
def delete_account(user: User, *, password: str) -> AccountEvent:
    """회원탈퇴: delete the reader's account at once, on their current password.

    Deleting the user row cascades to its consents, e-mail addresses and social logins.
    The account's earlier AccountEvents lose their e-mail and details. Comments (a later
    app) stay, shown as written by "탈퇴한 회원".
    Preconditions: not staff (accounts.permissions.can_delete_own_account); the password
    is right, else WrongPassword and nothing changes.
    History: one AccountEvent "deleted" holding only a SHA-256 of the lower-cased e-mail
    address and the time. Tasks: accounts.end_sessions (its other sessions' rows).
    The caller logs the request's own session out.
    """
    require(
        can_delete_own_account(user),
        _("Staff accounts are closed by an administrator: please ask one."),
    )
    locked = User.objects.select_for_update().get(pk=user.pk)
    if not password or not locked.check_password(password):
        raise WrongPassword()
    digest = email_digest(locked.email)
    AccountEvent.objects.filter(user=locked).update(user_email="", data={})
    signed = list(AccountEvent.objects.filter(actor=locked).values_list("pk", flat=True))
    user_id = locked.pk
    locked.delete()
    # The account is gone, and its name with it from the rows it signed itself.
    gone = display_name(locked)
    AccountEvent.objects.filter(pk__in=signed).update(actor_name=gone)
    event = AccountEvent.objects.create(
        user=None,
        user_email="",
        action=Action.DELETED,
        actor=None,
        actor_name=gone,
        data={"email_sha256": digest},
    )
    enqueue("accounts.end_sessions", user_id)
    return event


def end_sessions(user_id: int) -> int:
    """Delete the stored sessions signed in as `user_id` (a deleted account). Returns how
    many. They already stopped working when the account went; this removes the rows.

    Sessions keep the user id only inside their encoded data, so every live session is
    read: fine at a newspaper's scale, and this runs after the request, as a task."""
    if settings.SESSION_ENGINE != "django.contrib.sessions.backends.db":
        return 0
    live = Session.objects.filter(expire_date__gt=timezone.now())
    ended = [
        session.pk
        for session in live.iterator(chunk_size=500)
        if session.get_decoded().get(SESSION_KEY) == str(user_id)
    ]
    Session.objects.filter(pk__in=ended).delete()
    return len(ended)


def email_digest(email: str) -> str:
    """A one-way fingerprint of an address: enough to tell that an address had an account
    once, nothing to write to."""
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()


def _available(nickname: str, user: User) -> str:
    if nickname_in_use(nickname, exclude_user_id=user.pk):
        raise NicknameTaken()
    return nickname


def _save_nickname(user: User, *, insert: bool) -> None:
    # The check above can race with another sign-up taking the same name: the unique index
    # decides, and the loser gets the same message as if it had been taken before.
    try:
        with transaction.atomic():
            if insert:
                user.save()
            else:
                user.save(update_fields=["nickname"])
    except IntegrityError:
        if nickname_in_use(user.nickname, exclude_user_id=user.pk):
            raise NicknameTaken() from None
        raise


def _record(
    user: User,
    action: str,
    data: dict,
    at: datetime | None = None,
    *,
    actor: User | None,
    note: str = "",
) -> AccountEvent:
    return AccountEvent.objects.create(
        user=user,
        user_email=user.email,
        action=action,
        actor=actor,
        actor_name=display_name(actor),
        note=note,
        data=data,
        created_at=at or timezone.now(),
    )
