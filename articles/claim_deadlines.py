"""The statutory deadlines of a press-arbitration claim (언론중재법), without the ORM.

As the issue reads the act (its text could not be fetched from this machine, so it was not
re-read here; check it against the current law before relying on a date):
- Art. 14 (정정보도): claimed within 3 months of the claimant learning of the report and
  within 6 months of its publication.
- Art. 16 (반론보도): the same two windows.
- Art. 17 (추후보도): claimed within 3 months of the claimant learning of the acquittal or
  the dismissal of the case the report was about.
- Art. 15: the newsroom answers within 3 days of receiving the claim and, when it accepts,
  publishes within 7 days of receiving it.

Days and months count as the Civil Act counts periods (초일불산입): the first day is not
counted, so "within 3 days of the 10th" ends on the 13th, and "within 3 months of 10 January"
ends on 10 April (the last day of a shorter month when it has no such day). The last day is
still in time.
"""

import calendar
from dataclasses import dataclass
from datetime import date

CORRECTION, REPLY, FOLLOW_UP = "correction", "reply", "follow_up"
LEARNED_MONTHS = 3  # Arts. 14, 16, 17
PUBLISHED_MONTHS = 6  # Arts. 14, 16 (not 17: the acquittal comes long after the report)
ANSWER_DAYS = 3  # Art. 15
PUBLISH_DAYS = 7  # Art. 15
# Due within this many days: the desk shows it as urgent.
SOON_DAYS = 2


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def add_days(day: date, days: int) -> date:
    return date.fromordinal(day.toordinal() + days)


@dataclass(frozen=True)
class Deadline:
    name: str  # "claim", "answer", "publish"
    due: date
    met_on: date | None  # the day it was met, if it was
    today: date

    @property
    def days_left(self) -> int:
        return (self.due - self.today).days

    @property
    def days_overdue(self) -> int:
        return max(-self.days_left, 0)

    @property
    def is_met(self) -> bool:
        return self.met_on is not None and self.met_on <= self.due

    @property
    def is_missed(self) -> bool:
        if self.met_on is not None:
            return self.met_on > self.due
        return self.days_left < 0

    @property
    def is_soon(self) -> bool:
        return self.met_on is None and 0 <= self.days_left <= SOON_DAYS


def claim_deadline(kind: str, *, learned_on: date, published_on: date | None) -> date:
    """The last day a claim of this kind may be received."""
    by_learning = add_months(learned_on, LEARNED_MONTHS)
    if kind == FOLLOW_UP or published_on is None:
        return by_learning
    return min(by_learning, add_months(published_on, PUBLISHED_MONTHS))


def window_problems(
    kind: str, *, received_on: date, learned_on: date, published_on: date | None
) -> list[str]:
    """Why a claim received on this day is outside its window (codes; empty when it is in
    time): "learned" (3 months from learning), "published" (6 months from publication),
    "before_learning" (received before the claimant learned of it: a wrong date)."""
    problems = []
    if received_on < learned_on:
        problems.append("before_learning")
    if received_on > add_months(learned_on, LEARNED_MONTHS):
        problems.append("learned")
    if (
        kind != FOLLOW_UP
        and published_on is not None
        and received_on > add_months(published_on, PUBLISHED_MONTHS)
    ):
        problems.append("published")
    return problems


def deadlines(
    kind: str,
    *,
    received_on: date,
    learned_on: date,
    published_on: date | None,
    answered_on: date | None,
    accepted: bool,
    notice_published_on: date | None,
    today: date,
) -> list[Deadline]:
    """The claim's window, then the newsroom's answer and (once accepted) its notice."""
    found = [
        Deadline(
            "claim",
            claim_deadline(kind, learned_on=learned_on, published_on=published_on),
            received_on,
            today,
        ),
        Deadline("answer", add_days(received_on, ANSWER_DAYS), answered_on, today),
    ]
    if accepted:
        found.append(
            Deadline("publish", add_days(received_on, PUBLISH_DAYS), notice_published_on, today)
        )
    return found
