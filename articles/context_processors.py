from functools import partial

from django.db.models import Prefetch
from django.utils.functional import SimpleLazyObject

from articles.models import Section
from articles.permissions import can_create, is_editor


def _top_sections() -> list[Section]:
    active = Section.objects.filter(is_active=True).order_by("order", "name")
    return list(
        active.filter(parent__isnull=True).prefetch_related(
            Prefetch("children", queryset=active, to_attr="active_children")
        )
    )


def navigation(request):
    # Read once, and only on pages that draw the section menu.
    return {"top_sections": SimpleLazyObject(_top_sections)}


def desk(request):
    # A callable: evaluated only where the desk menu is drawn.
    return {
        "can_write_stories": partial(can_create, request.user),
        "can_review_stories": partial(is_editor, request.user),
    }
