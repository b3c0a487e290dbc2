from functools import partial

from comments.permissions import is_moderator


def desk(request):
    # A callable: evaluated only where the desk menu is drawn.
    return {"can_moderate_comments": partial(is_moderator, request.user)}
