from django.db.models import Prefetch
from django.utils.functional import SimpleLazyObject

from articles.models import Section


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
