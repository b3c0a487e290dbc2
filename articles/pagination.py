"""Pages of a story list: numbered pages up to 100, then "older" links that continue from
the last story shown (keyset), so that page 500 costs what page 1 costs."""

from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.core.paginator import EmptyPage, Paginator
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.http import urlencode

PAGE_SIZE = 20
NUMBERED_PAGES = 100


@dataclass
class Page:
    items: list
    number: int | None  # None on a keyset page
    count_pages: int = 0
    count: int = 0  # the stories on every numbered page together
    links: list[tuple[int, str]] = field(default_factory=list)  # (number, url) to show
    previous_url: str = ""
    next_url: str = ""
    older_url: str = ""


def paginate(
    request, stories: QuerySet | list, *, keyset: bool = True, size: int = PAGE_SIZE
) -> Page:
    """`stories` in newest-first order (published_at, then id); without `keyset`, any
    ordered list or queryset (search's ranked ids)."""
    ordered = stories.order_by("-published_at", "-id") if keyset else stories
    before = _before(request.GET.get("before", "")) if keyset else None
    if before is not None:
        moment, last_id = before
        items = list(
            # `published_at <= moment` as well, said alone, so the index scan starts there
            # rather than at the newest story.
            ordered.filter(published_at__lte=moment).filter(
                Q(published_at__lt=moment) | Q(published_at=moment, id__lt=last_id)
            )[: size + 1]
        )
        page = Page(items=items[:size], number=None)
        if len(items) > size:
            page.older_url = _older(request, page.items[-1])
        return page
    # Numbered pages stop at 100 where "older" links take over; a list without them (no
    # keyset order) keeps numbering.
    paginator = Paginator(ordered[: size * NUMBERED_PAGES] if keyset else ordered, size)
    try:
        current = paginator.page(int(request.GET.get("page", 1)))
    except ValueError:  # not a number: the first page
        current = paginator.page(1)
    except EmptyPage:  # past the end or before the start: there is no such page
        raise Http404 from None
    page = Page(
        items=list(current.object_list),
        number=current.number,
        count_pages=paginator.num_pages,
        count=paginator.count,
        links=[
            (number, _numbered(request, number))
            for number in paginator.page_range
            if abs(number - current.number) <= 4 or number in (1, paginator.num_pages)
        ],
    )
    if current.has_previous():
        page.previous_url = _numbered(request, current.previous_page_number())
    if current.has_next():
        page.next_url = _numbered(request, current.next_page_number())
    elif (
        keyset
        and current.number == NUMBERED_PAGES
        and ordered[size * NUMBERED_PAGES : size * NUMBERED_PAGES + 1].exists()
    ):
        page.older_url = _older(request, page.items[-1])
    return page


def _numbered(request, number: int) -> str:
    return _with(request, page=number, before=None)


def _older(request, last) -> str:
    return _with(request, before=f"{last.published_at.isoformat()}_{last.pk}", page=None)


def _with(request, **changes) -> str:
    """The current address's query with some parameters set (None removes one)."""
    params = {name: value for name, value in request.GET.items() if name not in changes}
    params.update({name: value for name, value in changes.items() if value is not None})
    return "?" + urlencode(sorted(params.items()))


def _before(value: str) -> tuple[datetime, int] | None:
    """The position an "older" link carries; anything else (edited by hand) is ignored."""
    moment, _, last_id = value.rpartition("_")
    try:
        parsed = datetime.fromisoformat(moment)
        if parsed.tzinfo is None:
            return None
        return parsed.astimezone(UTC), int(last_id)
    except (ValueError, OverflowError):
        return None
