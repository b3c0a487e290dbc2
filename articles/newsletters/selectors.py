"""The newsletters' read paths: the desk's, and the reader pages' (what is offered, and a
reader's own), each one query whatever the number of rows."""

from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from accounts.models import User
from articles import selectors
from articles.models import (
    Article,
    IssueDelivery,
    IssueEvent,
    IssueStory,
    Newsletter,
    NewsletterIssue,
    Subscriber,
    Subscription,
)

# The story picker offers this many of the newest published stories (and the ones picked).
PICKER_STORIES = 30
# A newsletter's page lists its newest issues, this many.
ISSUES_SHOWN = 50
# Deliveries whose message went (or was given up on): the progress "sent" of a list row.
DONE = [
    IssueDelivery.Status.SENT,
    IssueDelivery.Status.BOUNCED,
    IssueDelivery.Status.COMPLAINED,
    IssueDelivery.Status.FAILED,
]


def newsletters_for_desk() -> list[Newsletter]:
    """Every newsletter, offered or not, with `confirmed` and `pending` subscription
    counts and its newest issue's id, subject and status (`last_issue_*`)."""
    last = NewsletterIssue.objects.filter(newsletter=OuterRef("pk")).order_by("-created_at", "-pk")
    return list(
        Newsletter.objects.select_related("section", "reporter")
        .annotate(
            confirmed=Count(
                "subscriptions", filter=Q(subscriptions__status=Subscription.Status.CONFIRMED)
            ),
            pending=Count(
                "subscriptions", filter=Q(subscriptions__status=Subscription.Status.PENDING)
            ),
            last_issue_id=Subquery(last.values("pk")[:1]),
            last_issue_subject=Subquery(last.values("subject")[:1]),
            last_issue_status=Subquery(last.values("status")[:1]),
        )
        .order_by("position", "pk")
    )


def newsletter(slug: str) -> Newsletter | None:
    """A newsletter's desk page: with its source and its subscription counts."""
    return (
        Newsletter.objects.select_related("section", "reporter")
        .annotate(
            confirmed=Count(
                "subscriptions", filter=Q(subscriptions__status=Subscription.Status.CONFIRMED)
            ),
            pending=Count(
                "subscriptions", filter=Q(subscriptions__status=Subscription.Status.PENDING)
            ),
        )
        .filter(slug=slug)
        .first()
    )


def issues_of(newsletter: Newsletter) -> list[NewsletterIssue]:
    """The newsletter's newest issues, each with `stories` (how many picked) and `done`
    (deliveries gone) for its progress; both counted in subqueries, not a join that would
    multiply picks by deliveries."""
    picks = IssueStory.objects.filter(issue=OuterRef("pk"))
    done = IssueDelivery.objects.filter(issue=OuterRef("pk"), status__in=DONE)
    return list(
        NewsletterIssue.objects.filter(newsletter=newsletter)
        .annotate(stories=_count(picks), done=_count(done))
        .order_by("-created_at", "-pk")[:ISSUES_SHOWN]
    )


def issue(issue_id: int) -> NewsletterIssue | None:
    return (
        NewsletterIssue.objects.select_related("newsletter", "created_by")
        .filter(pk=issue_id)
        .first()
    )


def issue_events(issue: NewsletterIssue) -> list[IssueEvent]:
    return list(IssueEvent.objects.filter(issue=issue).order_by("-created_at", "-pk"))


def last_test(issue: NewsletterIssue) -> IssueEvent | None:
    """The issue's latest test send, for the send page to say whether there was one."""
    return (
        IssueEvent.objects.filter(issue=issue, action=IssueEvent.Action.TEST_SENT)
        .order_by("-created_at", "-pk")
        .first()
    )


def recipients_now(newsletter: Newsletter) -> int:
    """How many would get an issue sent now: confirmed subscriptions of subscribers not
    suspended (what sending.queue_recipients makes deliveries for)."""
    return Subscription.objects.filter(
        newsletter=newsletter,
        status=Subscription.Status.CONFIRMED,
        subscriber__suspended_at__isnull=True,
    ).count()


def picker_stories(also: list[int]) -> list[Article]:
    """The story picker's rows: the newest published stories and those in `also` (picked
    or suggested, however old), newest first, with their sections."""
    newest = selectors.published().order_by("-published_at", "-id").values("pk")[:PICKER_STORIES]
    return list(
        selectors.for_lists(selectors.published().filter(Q(pk__in=newest) | Q(pk__in=also)))
        .select_related("section")
        .order_by("-published_at", "-id")
    )


def _count(rows) -> Coalesce:
    """How many `rows` of the outer issue, as a subquery (0 for none)."""
    counted = rows.order_by().values("issue").annotate(n=Count("pk")).values("n")[:1]
    return Coalesce(Subquery(counted), 0)


def offered() -> list[Newsletter]:
    """The newsletters readers may subscribe to, in the forms' order."""
    return list(Newsletter.objects.filter(is_active=True))


def for_reader(user: User) -> list[Newsletter]:
    """The newsletters offered, each with the reader's state in it (`my_status`: pending,
    confirmed, unsubscribed or None) and whether their subscriber is suspended
    (`my_suspended_at`): one query."""
    mine = Subscription.objects.filter(newsletter=OuterRef("pk"), subscriber__user=user)
    subscriber = Subscriber.objects.filter(user=user)
    return list(
        Newsletter.objects.filter(is_active=True).annotate(
            my_status=Subquery(mine.values("status")[:1]),
            my_suspended_at=Subquery(subscriber.values("suspended_at")[:1]),
        )
    )
