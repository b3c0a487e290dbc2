from functools import partial

from django.utils.functional import SimpleLazyObject

from articles import fragments, notifications
from articles.permissions import can_create, can_read_planning, can_send_newsletters, is_editor


def navigation(request):
    # Drawn only on pages that show the section menu (articles.fragments: kept rendered
    # until a section is saved).
    return {"section_nav": SimpleLazyObject(lambda: fragments.section_nav(request))}


def desk(request):
    # A callable: evaluated only where the desk menu is drawn.
    return {
        "can_write_stories": partial(can_create, request.user),
        "can_review_stories": partial(is_editor, request.user),
        # The header's unread count: one query, on the desk pages only.
        "unread_notifications": partial(notifications.unread_count, request.user),
        "can_read_planning": partial(can_read_planning, request.user),
        "can_send_newsletters": partial(can_send_newsletters, request.user),
    }
