"""Benchmark: one newsletter issue sent to 50,000 recipients through a local SMTP sink, by a
real Celery worker, against a floor.

Run from the project root (needs PostgreSQL at BENCH_POSTGRES_URL, default
postgres://postgres@127.0.0.1:5432/newsroom_bench_newsletter, and redis-server on the PATH):

    .venv/bin/python benchmarks/newsletter.py [--recipients 50000] [--rate 60000]
        [--batch 500] [--profile]

It makes a fresh PostgreSQL database (migrated), a throw-away redis-server (the broker), a
fresh NEWSROOM_VAR_DIR and an SMTP sink (aiosmtpd in a process of its own: it counts every
message, and those carrying List-Unsubscribe and List-Unsubscribe-Post), then starts one
`celery worker --pool=solo` (the batches follow each other through the outbox, one at a
time, so a second worker would only wait). Its mail relay is the sink (EMAIL_URL) and its
NEWSLETTER_SENDS_PER_MINUTE is --rate.

In a child process on the same database it bulk-creates the confirmed subscribers and one
issue of 5 published stories, then starts sending as the desk does (in one transaction:
status SENDING, sending.queue_recipients, the first batch through the outbox) and waits
for the issue to be SENT and the sink to have every message:

- wall time: from the start's commit to the last message at the sink, and messages/s;
- SQL queries: of the start (queue_recipients), and of one batch of --batch recipients sent
  in the child itself (a second issue to the first --batch subscribers), per message;
- the floor, in the same run: as many copies of one recipient's message (the same bytes)
  sent by plain smtplib over one connection to the same sink, and the ratio to it;
- --profile: that in-process batch under pyinstrument (the text report is printed).

The figures it prints are a Markdown table and a JSON line. --smoke checks the script itself
(50 recipients, batches of 20, no broker nor worker: the outbox runs the batches in the
child); its figures mean nothing.
"""

import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run as a script: the project's packages
DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/newsroom_bench_newsletter"
STORIES = 5


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# --- the sink: a process of its own ---------------------------------------------------------


def sink(port: int, counts: Path) -> None:
    """An SMTP server counting messages (and those with the unsubscribe headers), writing
    its counts to `counts` every 0.2 s until SIGTERM."""
    from email.parser import BytesHeaderParser

    from aiosmtpd.controller import Controller

    state = {"messages": 0, "unsubscribe": 0, "one_click": 0}
    parser = BytesHeaderParser()

    class Handler:
        async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's)
            headers = parser.parsebytes(envelope.original_content)
            state["messages"] += len(envelope.rcpt_tos)
            # A long header is folded: its value may start on the next line.
            address = headers.get("List-Unsubscribe", "").strip()
            state["unsubscribe"] += address.startswith("<https://") and address.endswith(">")
            state["one_click"] += headers.get("List-Unsubscribe-Post") == (
                "List-Unsubscribe=One-Click"
            )
            return "250 OK"

    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())

    def write():
        temporary = counts.with_suffix(".tmp")
        temporary.write_text(json.dumps(state))
        temporary.replace(counts)

    while not stop.wait(0.2):
        write()
    controller.stop()
    write()


def sink_counts(counts: Path) -> dict:
    try:
        return json.loads(counts.read_text())
    except (OSError, ValueError):
        return {"messages": 0, "unsubscribe": 0, "one_click": 0}


def wait_for_messages(counts: Path, expected: int, seconds: float) -> dict:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        state = sink_counts(counts)
        if state["messages"] >= expected:
            return state
        time.sleep(0.05)
    raise RuntimeError(f"the sink has {sink_counts(counts)} of {expected} messages")


# --- the child: the site's side ---------------------------------------------------------------


def measure(recipients: int, batch: int, counts: Path, *, profile: bool):
    import django

    django.setup()
    import smtplib
    from email.utils import parseaddr

    from django.conf import settings
    from django.db import connection, transaction
    from django.db.models import Count
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from articles.models import (
        IssueStory,
        Newsletter,
        NewsletterIssue,
        Subscriber,
        Subscription,
    )
    from articles.newsletters import rendering, sending, subscriptions
    from newsroom import outbox
    from tests.factories import ArticleFactory, SectionFactory

    section = SectionFactory(name="기업과산업", slug="industry")
    stories = [
        ArticleFactory(
            section=section,
            status="published",
            headline=f"반도체 수출 {number}개월째 증가…HBM 수요 급증에 3분기 실적 개선 기대",
            summary="산업통상자원부는 반도체 수출이 늘었다고 밝혔다. " * 3,
        )
        for number in range(1, STORIES + 1)
    ]
    newsletter = Newsletter.objects.create(name="아침 브리핑", slug="morning", kind="briefing")
    probe_letter = Newsletter.objects.create(name="측정용", slug="probe", kind="briefing")

    began = time.monotonic()
    now = timezone.now()
    subscribers = Subscriber.objects.bulk_create(
        (Subscriber(email=f"reader{n}@example.com", created_at=now) for n in range(recipients)),
        batch_size=5000,
    )

    def subscribe(letter, people):
        Subscription.objects.bulk_create(
            (
                Subscription(
                    subscriber=person,
                    newsletter=letter,
                    status=Subscription.Status.CONFIRMED,
                    consent_version="bench",
                    confirmed_at=now,
                )
                for person in people
            ),
            batch_size=5000,
        )

    subscribe(newsletter, subscribers)
    subscribe(probe_letter, subscribers[:batch])
    created_s = time.monotonic() - began

    def new_issue(letter) -> NewsletterIssue:
        issue = NewsletterIssue.objects.create(newsletter=letter, subject="오늘의 반도체")
        IssueStory.objects.bulk_create(
            IssueStory(issue=issue, article=story, position=n) for n, story in enumerate(stories)
        )
        return issue

    def start(issue) -> int:
        """What articles.newsletters.issues.start_sending does, in one transaction."""
        with transaction.atomic():
            issue.recipient_count = sending.queue_recipients(issue)
            issue.status = NewsletterIssue.Status.SENDING
            issue.started_at = timezone.now()
            issue.save(update_fields=["recipient_count", "status", "started_at"])
            outbox.enqueue(sending.BATCH_TASK, issue.pk)
        return issue.recipient_count

    # One batch in this process: its SQL queries (and a profile). No outbox message goes
    # to the broker: the issue ends in that one batch.
    settings.NEWSLETTER_BATCH_SIZE = batch
    probe = new_issue(probe_letter)
    with transaction.atomic():
        sending.queue_recipients(probe)
        NewsletterIssue.objects.filter(pk=probe.pk).update(
            status=NewsletterIssue.Status.SENDING, started_at=timezone.now()
        )
    profiler = None
    if profile:
        from pyinstrument import Profiler

        profiler = Profiler()
        profiler.start()
    with CaptureQueriesContext(connection) as batch_queries:
        probe_started = time.monotonic()
        probe_sent = sending.send_batch(probe.pk)
        probe_s = time.monotonic() - probe_started
    if profiler:
        profiler.stop()
        print(profiler.output_text(unicode=True, color=False), file=sys.stderr)
    wait_for_messages(counts, batch, 60)
    before = sink_counts(counts)

    # The real run: the worker sends, this process watches.
    issue = new_issue(newsletter)
    with CaptureQueriesContext(connection) as start_queries:
        total = start(issue)
    # (With --smoke there is no broker: the outbox ran the chain of batches here, at the
    # start's commit.)
    started = time.monotonic()
    deadline = started + 3600
    while NewsletterIssue.objects.filter(pk=issue.pk, status="sending").exists():
        if time.monotonic() > deadline:
            raise RuntimeError("the issue did not finish in an hour")
        time.sleep(0.2)
    state = wait_for_messages(counts, before["messages"] + total, 120)
    wall_s = time.monotonic() - started
    issue.refresh_from_db()
    statuses = dict(issue.deliveries.values_list("status").annotate(n=Count("pk")))

    # The floor: the same bytes, plain smtplib, one connection, to the same sink.
    subscription = issue.deliveries.select_related("subscription__subscriber").first().subscription
    rendered = rendering.render_issue(issue)
    floor_message = rendering.message(
        rendered,
        to=subscription.subscriber.email,
        unsubscribe_url=subscriptions.unsubscribe_url(subscription),
        headers=subscriptions.list_unsubscribe_headers(subscription),
    )
    raw = floor_message.message().as_bytes(linesep="\r\n")  # as Django's SMTP backend
    sender = parseaddr(settings.NEWSLETTER_FROM_EMAIL)[1]
    floor_before = state["messages"]
    floor_started = time.monotonic()
    with smtplib.SMTP(settings.EMAIL_HOST, settings.EMAIL_PORT) as smtp:
        for _ in range(total):
            smtp.sendmail(sender, [subscription.subscriber.email], raw)
    wait_for_messages(counts, floor_before + total, 120)
    floor_s = time.monotonic() - floor_started

    return {
        "recipients": total,
        "rate_per_minute": settings.NEWSLETTER_SENDS_PER_MINUTE,
        "batch": batch,
        "created_s": created_s,
        "wall_s": wall_s,
        "db_span_s": (issue.finished_at - issue.started_at).total_seconds(),
        "messages_per_s": total / wall_s,
        "statuses": statuses,
        "received": state["messages"] - before["messages"],
        "with_list_unsubscribe": state["unsubscribe"] - before["unsubscribe"],
        "with_one_click": state["one_click"] - before["one_click"],
        "start_queries": len(start_queries),
        "batch_queries": len(batch_queries),
        "batch_sent": probe_sent,
        "queries_per_message": len(batch_queries) / max(probe_sent, 1),
        "in_process_batch_per_s": probe_sent / probe_s,
        "message_bytes": len(raw),
        "floor_s": floor_s,
        "floor_per_s": total / floor_s,
        "ratio_to_floor": (total / wall_s) / (total / floor_s),
    }


# --- the parent -------------------------------------------------------------------------------


def run(args, postgres: str) -> dict:
    import psycopg

    name = postgres.rsplit("/", 1)[1]
    admin_url = postgres.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    redis_port, smtp_port = free_port(), free_port()
    procs = []
    with tempfile.TemporaryDirectory(prefix="bench-newsletter-") as var_dir:
        counts = Path(var_dir) / "sink.json"
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "newsroom.settings",
            "NEWSROOM_VAR_DIR": var_dir,
            "NEWSROOM_READ_DOTENV": "false",
            "DEBUG": "false",
            "DATABASE_URL": postgres,
            "CELERY_BROKER_URL": "" if args.smoke else f"redis://127.0.0.1:{redis_port}/0",
            "REDIS_URL": "",
            "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
            "SITE_URL": "https://news.example",
            "NEWSLETTER_SENDS_PER_MINUTE": str(args.rate),
            "NEWSLETTER_BATCH_SIZE": str(args.batch),
            "LOG_LEVEL": "WARNING",
        }
        try:
            procs.append(
                subprocess.Popen([sys.executable, __file__, "sink", str(smtp_port), str(counts)])
            )
            subprocess.run(
                [sys.executable, "manage.py", "migrate", "-v", "0"], env=env, cwd=ROOT, check=True
            )
            if not args.smoke:
                procs.append(
                    subprocess.Popen(
                        [
                            *("redis-server", "--port", str(redis_port)),
                            *("--bind", "127.0.0.1", "--save", ""),
                        ],
                        stdout=subprocess.DEVNULL,
                    )
                )
                time.sleep(0.5)
                procs.append(
                    subprocess.Popen(
                        [
                            *(sys.executable, "-m", "celery", "-A", "newsroom", "worker"),
                            *("--pool=solo", "-n", "bench@%h", "-l", "WARNING"),
                            *("--without-gossip", "--without-mingle", "--without-heartbeat"),
                        ],
                        env=env,
                        cwd=ROOT,
                        stdout=subprocess.DEVNULL,
                    )
                )
            while not counts.exists():
                time.sleep(0.1)
            child = [sys.executable, __file__, "measure", str(args.recipients), str(args.batch)]
            child += [str(counts)]
            child += ["--profile"] if args.profile else []
            done = subprocess.run(child, env=env, cwd=ROOT, capture_output=True, text=True)
            if args.profile:
                print(done.stderr)
            if done.returncode:
                raise RuntimeError(done.stderr[-4000:])
        finally:
            for proc in reversed(procs):
                proc.terminate()
            for proc in procs:
                proc.wait(timeout=30)
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv: list[str]) -> None:
    if argv[:1] == ["sink"]:
        sink(int(argv[1]), Path(argv[2]))
        return
    if argv[:1] == ["measure"]:
        result = measure(
            int(argv[1]),
            int(argv[2]),
            Path(argv[3]),
            profile="--profile" in argv,
        )
        print(json.dumps(result))
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--recipients", type=int, default=50_000)
    parser.add_argument("--rate", type=int, default=60_000, help="NEWSLETTER_SENDS_PER_MINUTE")
    parser.add_argument("--batch", type=int, default=500, help="NEWSLETTER_BATCH_SIZE")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--smoke", action="store_true")
    args = parser.parse_args(argv)
    if args.smoke:
        args.recipients, args.batch = min(args.recipients, 50), min(args.batch, 20)
    r = run(args, os.environ.get("BENCH_POSTGRES_URL", DEFAULT_POSTGRES))
    print(
        "\n| recipients | rate (/min) | batch | wall time (s) | messages/s | SQL per message "
        "| floor (s) | floor messages/s | ratio to floor |\n|---|---|---|---|---|---|---|---|---|"
    )
    print(
        f"| {r['recipients']:,} | {r['rate_per_minute']:,} | {r['batch']} | {r['wall_s']:.1f} "
        f"| {r['messages_per_s']:.0f} | {r['queries_per_message']:.2f} | {r['floor_s']:.1f} "
        f"| {r['floor_per_s']:.0f} | {r['ratio_to_floor']:.2f} |"
    )
    print(
        f"\nreceived {r['received']:,} (with List-Unsubscribe: {r['with_list_unsubscribe']:,}, "
        f"one-click: {r['with_one_click']:,}), "
        f"deliveries {r['statuses']}; subscribers created in {r['created_s']:.1f} s; "
        f"start: {r['start_queries']} queries; one batch of {r['batch_sent']} in process: "
        f"{r['batch_queries']} queries, {r['in_process_batch_per_s']:.0f} messages/s; "
        f"message {r['message_bytes']:,} bytes"
    )
    print(json.dumps(r))


if __name__ == "__main__":
    main(sys.argv[1:])
