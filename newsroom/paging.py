"""Counting long desk lists no further than anyone reads them."""

from dataclasses import dataclass
from functools import cached_property

from django.core.paginator import Paginator
from django.db.models import QuerySet

# Past this many, a desk list says "10,000+": nobody pages that far, and counting a queue of
# a million rows on every page view costs more than the page.
COUNT_CAP = 10_000


@dataclass(frozen=True)
class CappedCount:
    value: int  # at most `cap`
    more: bool  # there are more than `cap`
    cap: int

    def __str__(self) -> str:
        return f"{self.cap:,}+" if self.more else f"{self.value:,}"


def capped_count(rows: QuerySet, cap: int | None = None) -> CappedCount:
    """The rows counted up to `cap` (one query reading at most cap + 1 index entries)."""
    cap = COUNT_CAP if cap is None else cap
    # Neither the list's order nor its annotations count: index entries alone answer.
    found = rows.order_by().values("pk")[: cap + 1].count()
    return CappedCount(value=min(found, cap), more=found > cap, cap=cap)


class CappedPaginator(Paginator):
    """Pages of a list counted up to COUNT_CAP rows: the pages past it are not offered, and
    `pages_label` says "500+" for the template's "Page 3 of 500+"."""

    def __init__(self, object_list, per_page, cap: int | None = None, **options):
        super().__init__(object_list, per_page, **options)
        self.cap = cap

    @cached_property
    def capped(self) -> CappedCount:
        return capped_count(self.object_list, self.cap)

    @cached_property
    def count(self) -> int:
        return self.capped.value

    @property
    def pages_label(self) -> str:
        return f"{self.num_pages:,}+" if self.capped.more else f"{self.num_pages:,}"
