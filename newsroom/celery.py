"""The Celery application and the one schedule of periodic jobs.

Workers run `celery -A newsroom worker --beat`. Without a broker, `manage.py run_periodic`
runs the same schedule in-process, so scheduled work happens in the zero-setup site too.
"""

import os

from celery import Celery
from celery.signals import worker_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")

app = Celery("newsroom")
app.config_from_object("django.conf:settings", namespace="CELERY")

# Every periodic job, by task name, with its period in seconds. Apps' jobs are listed here
# because the schedule is wiring, and wiring lives in newsroom.
PERIODIC_JOBS: dict[str, int] = {
    "newsroom.sweep_outbox": 30,
    # Scheduled publishing and unpublishing: within a minute of the time set.
    "articles.run_schedule": 30,
    # Stories spiked 30 days ago leave the trash for good.
    "articles.purge_trash": 60 * 60,
    # Embargoes lifting within the hour and missed due times: each told once per time, so
    # every 5 minutes is early enough and safe.
    "articles.send_reminders": 5 * 60,
    # The daily digest of the desk's notifications: sent once a day per person (from
    # articles.notifications.DIGEST_HOUR on), so an hourly run is enough and safe.
    "articles.send_digests": 60 * 60,
    # Read counts from the cache into the database, for 많이 본 기사.
    "articles.flush_views": 300,
    # Temporary blinds (임시조치) whose time is up return their comments to review.
    "comments.end_blinds": 60,
    # Refused comments older than COMMENTS_REFUSED_KEEP_DAYS are deleted.
    "comments.forget_refused": 24 * 60 * 60,
    # Counted log-in failures, sign-ups and verification mails older than any limit's window.
    "accounts.forget_attempts": 60 * 60,
    # Newsletter issues whose batches stopped (a relay down past the retries, a lost
    # message) get their next batch; a batch claimed within 10 minutes is left alone.
    "articles.resume_newsletter_sending": 5 * 60,
    # The content API's per-minute request counts older than two days.
    "articles.forget_partner_usage": 24 * 60 * 60,
    # Scheduled newsletter issues start sending within a minute of their time.
    "articles.start_due_newsletters": 60,
}

app.conf.beat_schedule = {
    name: {"task": name, "schedule": float(seconds)} for name, seconds in PERIODIC_JOBS.items()
}


@worker_init.connect
def refuse_a_broker_that_evicts(**kwargs) -> None:
    """A worker does not start on a broker that would drop its queue (newsroom.checks)."""
    # Imported as the worker starts, once Django is set up: this module loads before it.
    from django.core.exceptions import ImproperlyConfigured

    from newsroom import checks

    for error in checks.broker_never_evicts(None):
        raise ImproperlyConfigured(f"{error.msg} {error.hint}")
