from functools import partial

from django.utils.functional import SimpleLazyObject

from articles import fragments
from articles.permissions import can_create, is_editor


def navigation(request):
    # Read only on pages that draw the section menu, from the section tree the page
    # itself reads (articles.fragments: kept until a section is saved).
    return {"top_sections": SimpleLazyObject(lambda: fragments.section_tree(request).top)}


def desk(request):
    # A callable: evaluated only where the desk menu is drawn.
    return {
        "can_write_stories": partial(can_create, request.user),
        "can_review_stories": partial(is_editor, request.user),
    }
