"""Numbers and times typed into addresses and forms by anyone: ids, page numbers, versions,
a datetime-local field. One rule for every app, so that no absurd value (4,301 digits, a
number past the database's range, "١٢" in Arabic-Indic digits, the 45th of a 13th month)
reaches int(), a query or the workflow and becomes a server error."""

from datetime import datetime

from django.utils import timezone
from django.utils.dateparse import parse_datetime

# Within a signed 32-bit column: ids, versions and page numbers all fit below it.
LARGEST = 2**31 - 1


def number(value, default: int | None = None, *, largest: int = LARGEST) -> int | None:
    """A whole number from 0 to `largest` written in ASCII digits, else `default`."""
    if not isinstance(value, str) or not value.isascii() or not value.isdigit():
        return default
    if len(value) > len(str(largest)) or int(value) > largest:
        return default
    return int(value)


def local_datetime(value) -> datetime | None:
    """A datetime-local field's value as an aware datetime in the site's time zone (Korean
    time), or None when it holds no real date and time."""
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        moment = parse_datetime(value.strip())
    except ValueError:  # a date's shape with impossible numbers: 2026-13-45T25:00
        return None
    if moment is None:
        return None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, timezone.get_current_timezone())
    return moment
