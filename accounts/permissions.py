"""Who may use what, as predicates; views use them to guard pages and hide buttons."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login

from accounts.errors import NotAllowed
from accounts.roles import role_can


def can_use_desk(user) -> bool:
    return role_can(user, "accounts.access_desk")


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
