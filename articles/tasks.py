from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation

from articles import popularity, workflow
from articles.models import Article, ArticleEvent, EventMail
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


@task("articles.notify_returned")
def notify_returned(article_id: int, event_id: int) -> int:
    """E-mail the story's staff that an editor returned it, with the editor's note. Sent
    once: its EventMail row remembers it (the event itself is never rewritten)."""
    event = ArticleEvent.objects.filter(pk=event_id, article_id=article_id).first()
    if event is None or EventMail.objects.filter(event=event).exists():
        return 0
    article = Article.objects.prefetch_related("bylines__profile__user").get(pk=article_id)
    recipients = sorted(
        {b.profile.user.email for b in article.bylines.all() if b.profile_id}
        | ({article.created_by.email} if article.created_by else set())
    )
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string(
            "articles/email/returned_subject.txt", {"article": article}
        ).strip()
        body = render_to_string(
            "articles/email/returned_body.txt",
            {"article": article, "event": event, "site_url": settings.SITE_URL},
        )
    send_mail(subject, body, None, recipients)
    EventMail.objects.create(event=event, recipients=recipients)
    return len(recipients)


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
