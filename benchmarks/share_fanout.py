"""Benchmark: the share fan-out from publish to complete, with real Celery workers.

Run from the project root (needs PostgreSQL at BENCH_POSTGRES_URL, default
postgres://postgres@127.0.0.1:5432/newsroom_bench_fanout, and redis-server on the PATH):

    .venv/bin/python benchmarks/share_fanout.py [--publishes 1000] [--workers 1,2]

For each number of workers it makes a fresh PostgreSQL database (migrated), a throw-away
redis-server (broker on db 0, the rate-limit bucket on db 1), a fake Graph API on 127.0.0.1
(answers 200 at once: the time measured is ours, not Facebook's) and a fresh
NEWSROOM_VAR_DIR, then starts that many `celery worker --pool=solo` processes. This process
publishes through articles.workflow (the outbox hands each fan-out to the broker after
commit) and polls ShareFanout.completed_at. Facebook's rate limit is raised out of the way
(SHARE_FACEBOOK_RATE_PER_MINUTE=1000000) so the workers, not the limit, set the pace.

- latency: LATENCY_RUNS stories published one at a time, each waited for: from the
  publish's commit to the fan-out's completed_at (7 tasks: the fan-out and 6 deliveries,
  one share image rendered);
- throughput: N stories published back to back, then waited for: from the first publish to
  the last fan-out's completion;
- SQL queries: of one publish (the request side), of starting a fan-out, and of each
  network's delivery (measured in this process inside a rolled-back transaction).
"""

import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run as a script: the project's packages
DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/newsroom_bench_fanout"
LATENCY_RUNS = 20


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# --- the child: one configuration ------------------------------------------------------------


def measure(publishes: int, workers: int) -> dict:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.db.models import Count
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from accounts import roles
    from accounts.models import User
    from articles import workflow
    from articles.models import Article, Section, ShareDelivery, ShareFanout
    from articles.sharing import fanout

    call_command("migrate", verbosity=0)
    editor = User.objects.create_user(email="bench-editor@example.com", password="x")
    roles.ensure_staff_profile(editor, byline_name="벤치 편집자")
    roles.grant_role(editor, roles.Role.EDITOR, actor=None)
    section = Section.objects.create(name="기업과산업", slug="industry")

    def story(number: int) -> Article:
        return workflow.create(
            actor=editor,
            section=section,
            headline=f"반도체 수출 {number}개월째 증가…HBM 수요 급증에 3분기 실적 개선 기대",
            summary="산업통상자원부는 반도체 수출이 늘었다고 밝혔다. " * 3,
        )

    def wait(ids: list[int], seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if not ShareFanout.objects.filter(
                article_id__in=ids, completed_at__isnull=True
            ).exists() and ShareFanout.objects.filter(article_id__in=ids).count() == len(ids):
                return
            time.sleep(0.05)
        raise RuntimeError("fan-outs did not complete in time")

    # SQL queries: the request side, then the worker side in a rolled-back transaction.
    probe = story(0)
    with CaptureQueriesContext(connection) as publish_queries, transaction.atomic():
        workflow.publish(probe, actor=editor)
    wait([probe.pk], 60)
    probe_two = story(-1)
    workflow.publish(probe_two, actor=editor)
    wait([probe_two.pk], 60)
    with transaction.atomic():
        target = ShareFanout.objects.get(article=probe_two)
        ShareFanout.objects.filter(pk=target.pk).update(
            started_at=None, card={}, image_url="", card_ready_at=None, finished=0
        )
        ShareDelivery.objects.filter(fanout=target).update(status="pending", attempts=0)
        with CaptureQueriesContext(connection) as start_queries:
            fanout.start(target.pk)
        delivery_queries = {}
        for delivery in ShareDelivery.objects.filter(fanout=target).order_by("pk"):
            with CaptureQueriesContext(connection) as queries:
                fanout.deliver(delivery.pk)
            delivery_queries[delivery.network] = len(queries)
        transaction.set_rollback(True)

    # Latency: one at a time.
    latencies = []
    for number in range(1, LATENCY_RUNS + 1):
        article = story(number)
        started = timezone.now()
        workflow.publish(article, actor=editor)
        wait([article.pk], 60)
        done = ShareFanout.objects.get(article=article).completed_at
        latencies.append((done - started).total_seconds() * 1000)

    # Throughput: back to back.
    batch = [story(1000 + number) for number in range(publishes)]
    began = time.monotonic()
    for article in batch:
        workflow.publish(article, actor=editor)
    published = time.monotonic() - began
    wait([article.pk for article in batch], 3600)
    total = time.monotonic() - began
    last = ShareFanout.objects.filter(article__in=batch).order_by("-completed_at").first()
    first = ShareFanout.objects.filter(article__in=batch).order_by("created_at").first()
    statuses = dict(
        ShareDelivery.objects.filter(fanout__article__in=batch)
        .values_list("status")
        .annotate(n=Count("pk"))
    )
    return {
        "workers": workers,
        "publishes": publishes,
        "latency_ms": {
            "median": statistics.median(latencies),
            "p90": statistics.quantiles(latencies, n=10)[-1],
            "min": min(latencies),
            "max": max(latencies),
        },
        "publish_loop_s": published,
        "total_s": total,
        "db_span_s": (last.completed_at - first.created_at).total_seconds(),
        "fanouts_per_s": publishes / total,
        "statuses": statuses,
        "publish_queries": len(publish_queries),
        "start_queries": len(start_queries),
        "delivery_queries": delivery_queries,
    }


# --- the parent ------------------------------------------------------------------------------


def run(publishes: int, workers: int, postgres: str) -> dict:
    import psycopg

    name = postgres.rsplit("/", 1)[1]
    admin_url = postgres.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    from tests.fake_graph import FakeGraph

    port = free_port()
    with tempfile.TemporaryDirectory(prefix="bench-fanout-") as var_dir, FakeGraph() as graph:
        redis = subprocess.Popen(
            ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", ""],
            stdout=subprocess.DEVNULL,
        )
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "newsroom.settings",
            "NEWSROOM_VAR_DIR": var_dir,
            "NEWSROOM_READ_DOTENV": "false",
            "DEBUG": "false",
            "DATABASE_URL": postgres,
            "CELERY_BROKER_URL": f"redis://127.0.0.1:{port}/0",
            "REDIS_URL": f"redis://127.0.0.1:{port}/1",
            "FACEBOOK_GRAPH_URL": graph.url,
            "FACEBOOK_ACCESS_TOKEN": "bench|token",
            "SHARE_FACEBOOK_RATE_PER_MINUTE": "1000000",
            "LOG_LEVEL": "WARNING",
        }
        time.sleep(0.5)
        procs = []
        try:
            # Migrate first (the child does it again, a no-op), so workers find the tables.
            subprocess.run(
                [sys.executable, "manage.py", "migrate", "-v", "0"], env=env, cwd=ROOT, check=True
            )
            for number in range(workers):
                procs.append(
                    subprocess.Popen(
                        [
                            *(sys.executable, "-m", "celery", "-A", "newsroom", "worker"),
                            *("--pool=solo", "-n", f"bench{number}@%h", "-l", "WARNING"),
                            *("--without-gossip", "--without-mingle", "--without-heartbeat"),
                        ],
                        env=env,
                        cwd=ROOT,
                        stdout=subprocess.DEVNULL,
                        stderr=subprocess.DEVNULL,
                    )
                )
            time.sleep(4)
            done = subprocess.run(
                [sys.executable, __file__, "measure", str(publishes), str(workers)],
                env=env,
                cwd=ROOT,
                capture_output=True,
                text=True,
            )
            if done.returncode:
                raise RuntimeError(done.stderr[-3000:])
        finally:
            for proc in procs:
                proc.terminate()
            for proc in procs:
                proc.wait(timeout=30)
            redis.terminate()
            redis.wait(timeout=10)
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv: list[str]) -> None:
    if argv[:1] == ["measure"]:
        print(json.dumps(measure(int(argv[1]), int(argv[2]))))
        return
    publishes = int(argv[argv.index("--publishes") + 1]) if "--publishes" in argv else 1000
    counts = argv[argv.index("--workers") + 1] if "--workers" in argv else "1,2"
    postgres = os.environ.get("BENCH_POSTGRES_URL", DEFAULT_POSTGRES)
    results = [run(publishes, int(count), postgres) for count in counts.split(",")]
    print(
        "\n| workers | latency median (ms) | p90 | min–max | 1,000 publishes: publish loop (s) "
        "| until all complete (s) | fan-outs/s | deliveries |\n|---|---|---|---|---|---|---|---|"
    )
    for r in results:
        lat = r["latency_ms"]
        print(
            f"| {r['workers']} | {lat['median']:.0f} | {lat['p90']:.0f} "
            f"| {lat['min']:.0f}–{lat['max']:.0f} | {r['publish_loop_s']:.1f} "
            f"| {r['total_s']:.1f} | {r['fanouts_per_s']:.1f} | {r['statuses']} |"
        )
    base = results[0]["total_s"]
    for r in results[1:]:
        print(f"\n{r['workers']} workers / 1 worker: {base / r['total_s']:.2f}× throughput")
    r = results[0]
    print(
        f"\nSQL queries: publish {r['publish_queries']}, start a fan-out {r['start_queries']}, "
        f"deliveries {r['delivery_queries']}"
    )
    print(json.dumps(results))


if __name__ == "__main__":
    main(sys.argv[1:])
