from functools import partial

from accounts.permissions import can_use_desk


def staff(request):
    # A callable: templates evaluate it only where the desk link is drawn.
    return {"can_use_desk": partial(can_use_desk, request.user)}
