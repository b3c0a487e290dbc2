"""Counting reads for 많이 본 기사 without writing to the database on a page view.

A read adds one to a counter in the cache for the story and the hour; a periodic job copies
the counters of this hour and the last into ViewCount rows. The copy writes absolute
numbers, so running it twice changes nothing. A cache outage loses some counts, never a page.
The demo writes a day of reads for its stories through `replace_reads`.
"""

from datetime import UTC, datetime, timedelta

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from articles.models import Article, ViewCount

# Counters live a little over a day: long enough for any flush to catch them.
COUNTER_TTL = 26 * 60 * 60


def hour_of(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(minute=0, second=0, microsecond=0)


def _counter(hour: datetime, article_id: int) -> str:
    return f"views:{hour:%Y%m%d%H}:{article_id}"


def _registry(hour: datetime) -> str:
    return f"views:{hour:%Y%m%d%H}:stories"


def record_view(article_id: int, *, now: datetime | None = None) -> None:
    hour = hour_of(now or timezone.now())
    key = _counter(hour, article_id)
    cache.add(key, 0, COUNTER_TTL)
    try:
        cache.incr(key)
    except ValueError:  # the counter expired in between, or the cache is away
        cache.set(key, 1, COUNTER_TTL)
    # Which stories were read this hour, so the flush knows which counters to read. Two
    # readers at once may each add to a stale copy; a story missed here is counted when
    # it is read again within the hour.
    stories = cache.get(_registry(hour)) or set()
    if article_id not in stories:
        cache.set(_registry(hour), stories | {article_id}, COUNTER_TTL)


def flush(*, now: datetime | None = None) -> int:
    """Copy this hour's and the last hour's counters into ViewCount rows."""
    now = now or timezone.now()
    written = 0
    for hour in (hour_of(now), hour_of(now - timedelta(hours=1))):
        stories = cache.get(_registry(hour)) or set()
        existing = set(Article.objects.filter(pk__in=stories).values_list("pk", flat=True))
        counts = cache.get_many([_counter(hour, story) for story in existing])
        for story in existing:
            count = counts.get(_counter(hour, story))
            if count:
                ViewCount.objects.update_or_create(
                    article_id=story, hour=hour, defaults={"count": count}
                )
                written += 1
    return written


@transaction.atomic
def replace_reads(reads: dict[int, dict[datetime, int]]) -> int:
    """Set these stories' reads, hour by hour, to these numbers: their other hours are
    cleared, so writing the same numbers again changes nothing. For the demo, whose
    stories move to the time of loading and their reads with them. Returns the rows
    written. Hours the flush copies (this one and the last) are best left out: the
    counters of real reads would overwrite them."""
    ViewCount.objects.filter(article_id__in=reads).delete()
    rows = ViewCount.objects.bulk_create(
        ViewCount(article_id=article_id, hour=hour_of(hour), count=count)
        for article_id, by_hour in reads.items()
        for hour, count in by_hour.items()
        if count > 0
    )
    return len(rows)
