from functools import partial

from media.permissions import can_browse


def library(request):
    # A callable: evaluated only where the desk menu is drawn.
    return {"can_browse_photos": partial(can_browse, request.user)}
