from django.db import transaction

from articles import claims, notifications, partners, planning, popularity, webhooks, workflow
from articles.models import Article, ArticleEvent
from articles.newsletters import issues as newsletter_issues
from articles.newsletters import sending, subscriptions
from articles.sharing import fanout
from newsroom.tasks import task


@task("articles.run_schedule", autoretry_for=())
def run_schedule() -> dict[str, int]:
    return workflow.run_schedule()


@task("articles.purge_trash", autoretry_for=())
def purge_trash() -> int:
    """Delete the stories spiked TRASH_DAYS ago (idempotent: a purged story is gone)."""
    return workflow.purge_trash()


@task("articles.flush_views", autoretry_for=())
def flush_views() -> int:
    return popularity.flush()


@task("articles.email_notifications")
def email_notifications(notification_ids: list[int]) -> int:
    """E-mail the notifications chosen for e-mail, each once (articles.notifications)."""
    return notifications.email_notifications(notification_ids)


@task("articles.send_reminders", autoretry_for=())
def send_reminders() -> int:
    """Embargoes lifting within the hour, assignments past their due time and press
    claims' answers and notices falling due, told to the desk (periodic)."""
    return (
        notifications.tell_embargoes_lifting()
        + planning.tell_missed_deadlines()
        + claims.tell_claim_deadlines()
    )


@task("articles.send_digests", autoretry_for=())
def send_digests() -> int:
    """Once a day, each digest reader's e-mail of what they were told (periodic)."""
    return notifications.send_digests()


@task("articles.notify_returned")
def notify_returned(article_id: int, event_id: int) -> int:
    """Retired: the return e-mail of before the notifications. A message of it still in
    the outbox when the site was upgraded tells the story's staff through the
    notifications instead, with the event's key, so nobody hears of a return twice (the
    e-mails already sent were carried over by migration 0012). Returns how many were told."""
    event = ArticleEvent.objects.filter(pk=event_id, article_id=article_id, action="return").first()
    if event is None:
        return 0
    with transaction.atomic():
        article = Article.objects.get(pk=article_id)
        return len(notifications.story_event(event, article, event.actor))


@task("articles.fan_out_share")
def fan_out_share(fanout_id: int) -> int:
    """Start one delivery task per network for the fan-out (once)."""
    return fanout.start(fanout_id)


# Retries are the delivery's own (its attempts, backoff and reason are recorded on its
# row), not Celery's blanket autoretry.
@task("articles.deliver_share", bind=True, autoretry_for=(), max_retries=None)
def deliver_share(self, delivery_id: int) -> str:
    """Build and store one network's card and refresh it where the network allows."""
    outcome = fanout.deliver(delivery_id)
    if outcome.retry_in is not None:
        raise self.retry(countdown=outcome.retry_in)
    return outcome.status


# Retries are the delivery's own, as for the share delivery: attempts, backoff and the
# last error on its row (WEBHOOKS_RETRY_MAX_SECONDS bounds the countdown).
@task("articles.deliver_webhook", bind=True, autoretry_for=(), max_retries=None)
def deliver_webhook(self, delivery_id: int) -> str:
    """POST one signed story event to a partner's endpoint (once it got through, never again)."""
    outcome = webhooks.deliver(delivery_id)
    if outcome.retry_in is not None:
        raise self.retry(countdown=outcome.retry_in)
    return outcome.status


@task("articles.forget_partner_usage", autoretry_for=())
def forget_partner_usage() -> int:
    """Delete the content API's per-minute counts no rate limit reads any more."""
    return partners.forget_usage()


@task("articles.send_newsletter_batch")
def send_newsletter_batch(issue_id: int) -> int:
    """The next batch of a newsletter issue's recipients; enqueues the one after (or ends
    the issue). Retried with backoff while the mail relay is down."""
    return sending.send_batch(issue_id)


@task("articles.resume_newsletter_sending", autoretry_for=())
def resume_newsletter_sending() -> int:
    """Issues whose sending stopped get their next batch (periodic)."""
    return sending.resume_stalled()


@task("articles.start_due_newsletters", autoretry_for=())
def start_due_newsletters() -> int:
    """Start sending the newsletter issues whose scheduled time has come (periodic)."""
    return newsletter_issues.start_due_issues()


@task("articles.send_subscription_confirmation")
def send_subscription_confirmation(subscriber_id: int, event_id: int, language: str) -> int:
    """A newsletter ask's confirmation mail (double opt-in), sent once: the link is made
    here, so no token sits in the outbox."""
    return subscriptions.send_confirmation(subscriber_id, event_id, language)
