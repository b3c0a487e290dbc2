"""The newsletters' read paths for the reader pages: what is offered, and a reader's own."""

from django.db.models import OuterRef, Subquery

from accounts.models import User
from articles.newsletters.models import Newsletter, Subscriber, Subscription


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
