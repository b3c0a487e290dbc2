"""The base of every Celery task, and the infrastructure's own tasks."""

import logging
import socket

from celery import Task, shared_task
from celery.signals import task_postrun, task_prerun
from django.conf import settings

from newsroom import edge, outbox, pagecache
from newsroom.requestlog import current_request_id

logger = logging.getLogger(__name__)


class NewsroomTask(Task):
    """Retried with exponential backoff and jitter, acknowledged only once done.

    Every delay stays far below the broker's visibility timeout, so a retry is never
    redelivered as a second copy. Tasks must be idempotent and take ids, not objects.
    """

    autoretry_for = (Exception,)
    max_retries = 5
    retry_backoff = 5
    retry_backoff_max = settings.TASK_RETRY_MAX_SECONDS
    retry_jitter = True
    acks_late = True

    def on_success(self, retval, task_id, args, kwargs):
        message_id = self._outbox_id()
        if message_id is not None:
            outbox.finished(message_id)

    def on_failure(self, exc, task_id, args, kwargs, einfo):
        message_id = self._outbox_id()
        if message_id is not None:
            outbox.finished(message_id, error=exc)

    def _outbox_id(self) -> int | None:
        return getattr(self.request, outbox.OUTBOX_HEADER, None)


@task_prerun.connect
def _take_request_id(task=None, **kwargs):
    # The id of the request that enqueued the task goes on the worker's log lines too.
    if task is not None:
        request_id = getattr(task.request, outbox.REQUEST_ID_HEADER, None) or "-"
        task.request.newsroom_token = current_request_id.set(request_id)


@task_postrun.connect
def _drop_request_id(task=None, **kwargs):
    token = getattr(task.request, "newsroom_token", None) if task is not None else None
    if token is not None:
        current_request_id.reset(token)


def task(name: str, **options):
    """Declare a task of an app: `@task("articles.fan_out_share")`."""
    return shared_task(name=name, base=NewsroomTask, **options)


@task("newsroom.sweep_outbox", autoretry_for=())
def sweep_outbox() -> dict[str, int]:
    return outbox.sweep()


@task("newsroom.ping", autoretry_for=())
def ping() -> str:
    """Proves the whole path works: outbox row, broker, worker, database."""
    host = socket.gethostname()
    logger.info("ping answered by %s", host)
    return host


@task("newsroom.purge_edge")
def purge_edge(keys: list[str]) -> int:
    """Purge the pages built from `keys` at every edge of EDGE_PURGE_URLS; returns how
    many were purged. Enqueued by pagecache.touch with the keys it bumped.

    Waits first until no app process can still answer with the pages the bump retired
    (at most GENERATION_RECHECK): an edge refetching sooner could keep the old page for its
    s-maxage. Every edge is tried; if any failed the task raises and is retried whole
    (purging an edge twice is harmless: the second finds nothing more to drop)."""
    edges = edge.configured()
    if not edges:
        return 0
    pagecache.wait_until_seen(keys)
    failures = []
    for each in edges:
        try:
            each.purge(keys)
        except edge.EdgeError as error:
            failures.append(error)
    if failures:
        raise edge.EdgeError("; ".join(str(failure) for failure in failures))
    return len(edges)
