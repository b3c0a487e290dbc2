from functools import partial

from accounts.permissions import can_use_desk
from accounts.roles import MANAGE_ROLES, role_can


def staff(request):
    # Callables: templates evaluate them only where the desk link and menu are drawn.
    return {
        "can_use_desk": partial(can_use_desk, request.user),
        "can_manage_staff": partial(role_can, request.user, MANAGE_ROLES),
    }
