"""Who may use what, as predicates; views use them to guard pages and hide buttons."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login

from accounts.errors import NotAllowed
from accounts.roles import held_roles, role_can, roles_of


def can_use_desk(user) -> bool:
    return role_can(user, "accounts.access_desk")


def can_change_nickname(user) -> bool:
    return user.is_authenticated and user.is_active


def can_delete_own_account(user) -> bool:
    """Readers close their own accounts. Staff (any role held, even while switched off, or
    admin access) are closed by an administrator: their bylines and history stay attached."""
    if not user.is_authenticated or user.is_staff or user.is_superuser:
        return False
    # roles_of() is read once per request (the header asks it too); it sees no roles in a
    # switched-off account, whose held roles still count here.
    return not (roles_of(user) if user.is_active else held_roles(user))


def desk_view(permission: str = "accounts.access_desk"):
    """Guard a desk page: anonymous visitors go to log-in, signed-in users without the
    role's permission get the 403 page."""

    def decorator(view):
        @wraps(view)
        def guarded(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not role_can(request.user, permission):
                raise NotAllowed
            return view(request, *args, **kwargs)

        return guarded

    return decorator
