"""Benchmark: the site on a generated archive of 100,000 stories and 1,000,000 comments, on
PostgreSQL, against the same pages on an archive of 1,000 stories.

Run from the project root (`make bench-scale`); the first run generates the archives:

    .venv/bin/python benchmarks/scale.py [--seconds 5] [--stories 100000 --comments 1000000]

1. Two databases on the PostgreSQL at BENCH_SCALE_URL (default
   postgres://postgres@127.0.0.1:5432/newsroom_scale) and BENCH_SCALE_SMALL_URL (default
   .../newsroom_scale_small): each is created and filled by `manage.py generate_archive` when
   it holds no story (the large one with --stories/--comments and 100,000 comments pending,
   the small one with 1,000 stories, 10,000 comments and 100 pending), and migrated in any
   case (an index added since it was generated is built then; the time is printed).
2. It reads what to measure from each (a child process per database): the top section with
   the most stories and the keyset address of its page 500, the newest story with about 20
   comments, the story with the most comments and its last page in each order, the busiest
   reporter, the generated editor and moderator.
3. It serves each database with gunicorn (3 sync workers, `newsroom.wsgi`, DEBUG off, the
   page and fragment caches off: PAGE_CACHE=off FRAGMENT_CACHE=off, so every request runs
   its queries), signs the staff in over HTTP, and drives every row with wrk at 1
   connection (-t1 -c1) and 16 (-t2 -c16), --seconds a cell after a second's warm-up, the
   two sides of a comparison one after the other.
4. Each comparison's ratio is the large side's latency over the small side's, at p50 and
   at p99; a row holds when its p50 ratio is within the issue's target (p99 is shown: on a
   shared 2-core machine it moves with whatever else runs). Search is held to a p95.
   Written to --out (var/bench): scale.md and scale.json.

The EXPLAIN side (the plans of the article page, section page and comment block at scale)
is the test tests/scale/test_plans.py, marked `scale`: `make bench-scale` runs it after this.
"""

import argparse
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
import pages  # noqa: E402  (the page benchmark's servers, wrk and log-in)

DEFAULT_LARGE = "postgres://postgres@127.0.0.1:5432/newsroom_scale"
DEFAULT_SMALL = "postgres://postgres@127.0.0.1:5432/newsroom_scale_small"
SMALL = {"stories": 1000, "comments": 10_000, "pending": 100}
CONNECTIONS = (1, 16)
THREADS = {1: 1, 16: 2}
FETCH = "X-Requested-With: fetch"  # the comment block alone, as the page's script asks
SEARCHES = ("반도체", "금리", "배당", "수출 통제")
SEARCH_P95_MS = 150


# --- the children: one database each ----------------------------------------------------------


def plan() -> dict:
    """What the rows measure in this process's database (DATABASE_URL)."""
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db.models import Count, Q

    from articles import selectors as story_selectors
    from articles.archive import stories as archive_stories
    from articles.models import Article, Byline, Section
    from articles.pagination import PAGE_SIZE
    from comments import selectors
    from comments.models import Comment

    published = Article.objects.filter(status=Article.Status.PUBLISHED)
    tree = story_selectors.section_tree()
    tops = Section.objects.filter(parent=None, is_active=True)
    counted = [(published.filter(section__in=tree.below(top)).count(), top) for top in tops]
    stories_in, section = max(counted, key=lambda pair: pair[0])
    # Page 500 is reached by "older" links (numbered pages stop at 100): the address of its
    # link is the last story of page 499.
    position = 499 * PAGE_SIZE - 1
    deep = None
    if stories_in > position:
        moment, pk = (
            story_selectors.in_section(section, tree)
            .order_by("-published_at", "-id")
            .values_list("published_at", "pk")[position]
        )
        deep = (
            section.get_absolute_url()
            + "?"
            + urllib.parse.urlencode({"before": f"{moment.isoformat()}_{pk}"})
        )
    threads = (
        Comment.objects.filter(parent__isnull=True, status=Comment.Status.PUBLISHED)
        .values("story")
        .annotate(total=Count("pk"))
    )
    about_twenty = threads.filter(total__range=(18, 22)).order_by("-story__published_at")
    small_story = Article.objects.get(pk=about_twenty.values_list("story", flat=True)[0])
    hot = threads.order_by("-total").values_list("story", "total")[0]
    hot_story = Article.objects.get(pk=hot[0])
    last = {
        sort: selectors.block(hot_story.pk, sort=sort, page=10**6).page for sort in selectors.SORTS
    }
    busiest = (
        Byline.objects.filter(article__status=Article.Status.PUBLISHED, profile__isnull=False)
        .values("profile__slug", "profile__user__email")
        .annotate(total=Count("pk"))
        .order_by("-total")[0]
    )
    domain = archive_stories.DOMAIN
    return {
        "stories": published.count(),
        "comments": Comment.objects.count(),
        "pending": Comment.objects.filter(status=Comment.Status.PENDING).count(),
        "section": {"path": section.get_absolute_url(), "stories": stories_in, "deep": deep},
        "article": {
            "path": small_story.get_absolute_url(),
            "comments": small_story.comments.count(),
            "block": f"/articles/{small_story.pk}/comments/",
        },
        "hot": {
            "id": hot_story.pk,
            "comments": hot_story.comments.count(),
            "threads": hot[1],
            "block": f"/articles/{hot_story.pk}/comments/",
            "last": last,
        },
        "reporter": {
            "path": f"/reporters/{urllib.parse.quote(busiest['profile__slug'])}/",
            "email": busiest["profile__user__email"],
            "stories": busiest["total"],
        },
        "editor": f"editor1@{domain}",
        "moderator": f"moderator1@{domain}",
        "reported": Comment.objects.filter(Q(open_reports__gt=0)).count(),
    }


# --- the parent -------------------------------------------------------------------------------


def say(message: str) -> None:
    print(message, flush=True)


def environment(database_url: str, var_dir: str) -> dict:
    found = {name: value for name, value in os.environ.items() if not name.startswith("PAGE_")}
    found.update(
        {
            "DJANGO_SETTINGS_MODULE": "newsroom.settings",
            "NEWSROOM_VAR_DIR": var_dir,
            "NEWSROOM_ENV": "local",
            "NEWSROOM_READ_DOTENV": "false",
            "DEBUG": "false",
            "SECRET_KEY": "bench-scale-not-secret",
            "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
            "SITE_URL": pages.SITE_URL,
            "DATABASE_URL": database_url,
            "REDIS_URL": "",
            "CELERY_BROKER_URL": "",
            "EMAIL_URL": "",
            "LOG_LEVEL": "WARNING",
            "PAGE_CACHE": "off",
            "FRAGMENT_CACHE": "off",
        }
    )
    return found


def database_ready(url: str) -> bool:
    """Whether the database exists (it is created when it does not)."""
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as admin:
        if admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            return True
        admin.execute(f'CREATE DATABASE "{name}"')
    return False


def manage(args: list[str], env: dict, timeout: float = 3600) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if done.returncode != 0:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{done.stderr[-4000:]}")
    return done.stdout + done.stderr


def prepare(name: str, url: str, size: dict, var_dir: str) -> dict:
    """Migrate the archive (generating it when empty) and read what its rows measure."""
    env = environment(url, var_dir)
    existed = database_ready(url)
    started = time.monotonic()
    manage(["migrate", "--noinput", "-v", "0"], env)
    say(f"{name}: migrated in {time.monotonic() - started:.1f} s ({url})")
    generated = ""
    count = json.loads(
        subprocess.run(
            [sys.executable, __file__, "count"], cwd=ROOT, env=env, capture_output=True, text=True
        ).stdout.strip()
        or "0"
    )
    if not existed or count == 0:
        say(f"{name}: generating {size['stories']:,} stories and {size['comments']:,} comments")
        generated = manage(
            [
                "generate_archive",
                f"--stories={size['stories']}",
                f"--comments={size['comments']}",
                f"--pending={size['pending']}",
            ],
            env,
        )
        say(generated.rstrip())
    out = pages.run_child([sys.executable, __file__, "plan"], env, 900)
    found = json.loads(out.strip().splitlines()[-1])
    found["generated"] = generated
    say(
        f"{name}: {found['stories']:,} stories, {found['comments']:,} comments "
        f"({found['pending']:,} pending); hot story {found['hot']['id']} with "
        f"{found['hot']['comments']:,} comments"
    )
    return found


class Cell:
    """One side of a row: a server, a path, headers."""

    def __init__(self, server: str, path: str, headers: tuple = ()):
        # As a browser sends it: the slugs are Korean.
        self.path = urllib.parse.quote(path, safe="/?=&%:+")
        self.server, self.headers = server, headers
        self.results: dict[int, dict] = {}

    def run(self, servers, seconds: int, warmup: int) -> None:
        url = servers[self.server].url + self.path
        request = urllib.request.Request(
            url, headers=dict(header.split(": ", 1) for header in self.headers)
        )
        try:
            with pages.browser().open(request, timeout=60) as response:
                status = response.status
        except urllib.error.HTTPError as error:
            status = error.code
        if status != 200:
            raise RuntimeError(f"GET {self.path} on {self.server} answered {status}")
        if warmup:
            self._wrk(url, 3, 2, warmup)
        for c in CONNECTIONS:
            self.results[c] = self._wrk(url, c, THREADS[c], seconds)

    def _wrk(self, url, connections, threads, seconds):
        found = pages.wrk(
            url,
            connections=connections,
            threads=threads,
            seconds=seconds,
            script="percentiles.lua",
            headers=self.headers,
        )
        if found["status_errors"]:
            raise RuntimeError(f"{self.path}: {found['status_errors']} error responses")
        if not found["requests"]:
            # Not one answer within the cell (wrk gives up on a request after 10 s).
            return {
                "rate": 0.0,
                "p50_ms": math.inf,
                "p95_ms": math.inf,
                "p99_ms": math.inf,
                "requests": 0,
            }
        return {
            "rate": found["requests"] / (found["duration_us"] / 1e6),
            "p50_ms": found["p50_us"] / 1000,
            "p95_ms": found["p95_us"] / 1000,
            "p99_ms": found["p99_us"] / 1000,
            "requests": found["requests"],
        }


class Row:
    def __init__(self, key, label, scaled: Cell, base: Cell | None, target: float):
        self.key, self.label, self.scaled, self.base, self.target = key, label, scaled, base, target

    def cells(self):
        return [cell for cell in (self.base, self.scaled) if cell is not None]

    def verdict(self, c: int) -> tuple[str, bool]:
        scaled = self.scaled.results[c]
        if self.base is None:  # a p95 target in ms
            return f"p95 {scaled['p95_ms']:.0f} ms", scaled["p95_ms"] <= self.target
        base = self.base.results[c]
        p50, p99 = scaled["p50_ms"] / base["p50_ms"], scaled["p99_ms"] / base["p99_ms"]
        return f"{p50:.2f} / {p99:.2f}", p50 <= self.target


def build_rows(large: dict, small: dict, cookies: dict) -> list[Row]:
    def both(key, label, path_of, target, who=None, headers=()):
        return Row(
            key,
            label,
            Cell("large", path_of(large), (*headers, *cookies.get(("large", who), ()))),
            Cell("small", path_of(small), (*headers, *cookies.get(("small", who), ()))),
            target,
        )

    rows = [
        both("home", "home `/`", lambda p: "/", 1.2),
        both("section", "section, page 1", lambda p: p["section"]["path"], 1.2),
        both("article", "article (about 20 comments)", lambda p: p["article"]["path"], 1.2),
        both("reporter", "reporter (the busiest)", lambda p: p["reporter"]["path"], 1.2),
    ]
    if large["section"]["deep"]:
        rows.append(
            Row(
                "section_500",
                "section, page 500 vs page 1 (100k)",
                Cell("large", large["section"]["deep"]),
                Cell("large", large["section"]["path"]),
                1.5,
            )
        )
    hot, few = large["hot"], large["article"]
    for sort in ("newest", "liked"):
        for which, page in (("first", 1), ("last", hot["last"][sort])):
            query = urllib.parse.urlencode({"csort": sort, "cpage": page})
            rows.append(
                Row(
                    f"block_{sort}_{which}",
                    f"comment block, {hot['comments']:,} comments, {sort}, {which} page "
                    f"({page}) vs {few['comments']} comments",
                    Cell("large", f"{hot['block']}?{query}", (FETCH,)),
                    Cell("large", f"{few['block']}?csort={sort}", (FETCH,)),
                    1.2,
                )
            )
    for words in SEARCHES:
        rows.append(
            Row(
                f"search_{words}",
                f"search `{words}` (100k)",
                Cell("large", "/search/?" + urllib.parse.urlencode({"q": words})),
                None,
                SEARCH_P95_MS,
            )
        )
    rows += [
        both("dashboard", "desk dashboard (busiest reporter)", lambda p: "/desk/", 1.5, "reporter"),
        both("review", "review queue", lambda p: "/desk/queue/", 1.5, "editor"),
        both(
            "moderation_pending",
            "moderation queue, pending",
            lambda p: "/desk/comments/",
            1.5,
            "moderator",
        ),
        both(
            "moderation_all",
            "moderation queue, all",
            lambda p: "/desk/comments/?tab=all",
            1.5,
            "moderator",
        ),
    ]
    return rows


def markdown(rows: list[Row], large: dict, small: dict, report: dict) -> str:
    lines = [
        f"Measured {report['measured_at']}: `benchmarks/scale.py {' '.join(report['argv'])}`",
        "",
        f"- large: {large['stories']:,} published stories, {large['comments']:,} comments "
        f"({large['pending']:,} pending); small: {small['stories']:,} stories, "
        f"{small['comments']:,} comments ({small['pending']:,} pending)",
        f"- gunicorn {pages.WORKERS} sync workers per database, PAGE_CACHE=off "
        f"FRAGMENT_CACHE=off, DEBUG off; wrk -t1 -c1 and -t2 -c16, {report['seconds']} s a cell",
        f"- machine: {report['machine']}; 1-minute load average during the cells "
        f"{report['load'][0]:.1f} to {report['load'][1]:.1f} (other work shares the cores)",
        "",
        "| page | c | baseline p50 / p99 (ms) | at scale p50 / p99 (ms) | ratio p50 / p99 "
        "| target | holds |",
        "|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        for c in CONNECTIONS:
            scaled = row.scaled.results[c]
            verdict, holds = row.verdict(c)
            base = (
                f"{row.base.results[c]['p50_ms']:.1f} / {row.base.results[c]['p99_ms']:.1f}"
                if row.base
                else ""
            )
            target = f"≤ {row.target:g}×" if row.base else f"p95 ≤ {row.target:g} ms"
            lines.append(
                f"| {row.label} | {c} | {base} | {scaled['p50_ms']:.1f} / "
                f"{scaled['p99_ms']:.1f} | {verdict} | {target} | {'yes' if holds else '**no**'} |"
            )
    return "\n".join(lines)


def options(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--warmup", type=int, default=1)
    parser.add_argument("--stories", type=int, default=100_000)
    parser.add_argument("--comments", type=int, default=1_000_000)
    parser.add_argument("--pending", type=int, default=100_000)
    parser.add_argument("--only", help="comma-separated row keys")
    parser.add_argument("--out", type=Path, default=ROOT / "var" / "bench")
    return parser.parse_args(argv)


def benchmark(argv: list[str]) -> None:
    args = options(argv)
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed: apt-get install wrk")
    var_dir = tempfile.mkdtemp(prefix="bench-scale-")
    urls = {
        "large": os.environ.get("BENCH_SCALE_URL", DEFAULT_LARGE),
        "small": os.environ.get("BENCH_SCALE_SMALL_URL", DEFAULT_SMALL),
    }
    sizes = {
        "large": {"stories": args.stories, "comments": args.comments, "pending": args.pending},
        "small": SMALL,
    }
    servers: dict[str, pages.Server] = {}
    try:
        plans = {name: prepare(name, urls[name], sizes[name], var_dir) for name in urls}
        log_dir = Path(var_dir) / "logs"
        log_dir.mkdir()
        for name, url in urls.items():
            servers[name] = pages.Server(name, "newsroom.wsgi", environment(url, var_dir), log_dir)
        for server in servers.values():
            server.wait_ready("/healthz")
        cookies = {}
        for name, found in plans.items():
            site = servers[name].url
            for who, email in (
                ("reporter", found["reporter"]["email"]),
                ("editor", found["editor"]),
                ("moderator", found["moderator"]),
            ):
                cookies[(name, who)] = (pages.cookie_header(pages.log_in(site, email).jar),)
        rows = build_rows(plans["large"], plans["small"], cookies)
        if args.only:
            wanted = set(args.only.split(","))
            rows = [row for row in rows if row.key in wanted]
        loads = []
        for row in rows:
            for cell in row.cells():
                cell.run(servers, args.seconds, args.warmup)
                loads.append(os.getloadavg()[0])
            say(f"{row.key}: " + "; ".join(f"c={c} {row.verdict(c)[0]}" for c in CONNECTIONS))
        report = {
            "measured_at": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
            "argv": argv,
            "seconds": args.seconds,
            "machine": machine(),
            "load": [min(loads, default=0), max(loads, default=0)],
            "plans": plans,
            "rows": [
                {
                    "key": row.key,
                    "label": row.label,
                    "target": row.target,
                    "scaled": {"path": row.scaled.path, "results": row.scaled.results},
                    "base": {"path": row.base.path, "results": row.base.results}
                    if row.base
                    else None,
                    "holds": {c: row.verdict(c)[1] for c in CONNECTIONS},
                }
                for row in rows
            ],
        }
        table = markdown(rows, plans["large"], plans["small"], report)
        args.out.mkdir(parents=True, exist_ok=True)
        (args.out / "scale.md").write_text(table + "\n")
        (args.out / "scale.json").write_text(json.dumps(report, indent=2, ensure_ascii=False))
        say("\n" + table + f"\n\nwrote {args.out / 'scale.md'} and scale.json")
    except BaseException:
        for server in servers.values():
            say(f"--- the last lines of {server.log_path.name}:\n{server.log_tail(15)}")
        raise
    finally:
        for server in servers.values():
            server.stop()
        shutil.rmtree(var_dir, ignore_errors=True)


def machine() -> str:
    found = pages.machine()
    return (
        f"{found['cores']} cores ({found['cpu']}), {found['memory']}, Python {found['python']}, "
        f"Django {found['django']}, gunicorn {found['gunicorn']}, {found['wrk']}"
    )


def count() -> int:
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from articles.models import Article

    return Article.objects.count()


def main(argv: list[str]) -> None:
    if argv[:1] == ["plan"]:
        print(json.dumps(plan(), default=str))
        return
    if argv[:1] == ["count"]:
        print(json.dumps(count()))
        return
    benchmark(argv)


if __name__ == "__main__":
    main(sys.argv[1:])
