"""Benchmark: the reader pages under load, served as production serves them, against a floor.

Run from the project root (`make bench`; about 12 minutes with the defaults):

    .venv/bin/python benchmarks/pages.py [--seconds 8] [--rounds 3] [--out var/bench] [--publish]

In a throw-away NEWSROOM_VAR_DIR (removed at the end), with DEBUG off:

1. It migrates, loads the demo newsroom (`manage.py load_demo`) and adds an archive of older
   stories copied from the demo ones (--archive, default 3,000, spread over the year before
   the demo's oldest story), so that a section has pages deep enough to page through. The
   cache is Redis at BENCH_REDIS_URL (default redis://127.0.0.1:6379/12, flushed first) when
   it answers, else the file cache; an empty BENCH_REDIS_URL means the file cache.
2. It counts each row's SQL queries in-process (Django's test client, CaptureQueriesContext)
   against the same database: the first request after the cache was emptied, in a fresh
   copy of a process that has served nothing (cold), and the same request again (warm).
3. It serves the site with gunicorn (3 sync workers, `newsroom.wsgi`) on 127.0.0.1, one
   server per page cache mode (PAGE_CACHE, PAGE_CACHE_LOCAL_ENTRIES, FRAGMENT_CACHE), and
   the floor (benchmarks/floor/: a `startproject` project whose one view returns as many
   bytes as the article page, from memory) with the same gunicorn options.
   When varnishd is installed, Varnish with the project's VCL (deploy/varnish/varnishd)
   serves in front of the production-default server, for the edge rows: a hit at the edge.
4. It drives each with wrk, at 1 connection (-t1 -c1) and 16 (-t2 -c16), --seconds per cell,
   in --rounds interleaved rounds (every row in round 1, then every row in round 2, ...),
   and reports each cell's median over the rounds with every round's figure, and its
   requests per second as a share of the floor's at the same connection count in the same
   round: pages.md (a Markdown table), pages.json and pages.png (a chart) in --out, the
   chart in docs/benchmarks/pages.png with --publish.

Comments are posted with the comment throttles switched off by their settings
(COMMENTS_MIN_GAP_SECONDS, COMMENTS_PER_STORY_PER_DAY, COMMENTS_PER_IP_PER_HOUR and
COMMENTS_DUPLICATE_HOURS at 0): one reader posting dozens a second would hit every one.
Every server it starts is stopped at the end, also on Ctrl-C or an error.

--smoke is the test suite's run (tests/benchmarks/): 1 second a cell, 1 round, no warm-up,
an archive of 100 stories, and the demo's background tasks (photo renditions, share fan-out)
left pending instead of run (the demo then loads in about 10 s instead of 50); its figures
mean nothing.
"""

import argparse
import contextlib
import http.cookiejar
import io
import json
import math
import os
import platform
import re
import secrets
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import traceback
import urllib.error
import urllib.parse
import urllib.request
from datetime import UTC, datetime, timedelta
from functools import partial
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WRK_DIR = ROOT / "benchmarks" / "wrk"
FONT = ROOT / "media" / "fonts" / "NanumGothicBold.ttf"
PUBLISHED_CHART = ROOT / "docs" / "benchmarks" / "pages.png"
DEFAULT_REDIS = "redis://127.0.0.1:6379/12"
VARNISHD = ROOT / "deploy" / "varnish" / "varnishd"
# The edge rows: a hit at Varnish in front of the production-default server, whose target
# is this many times the floor.
EDGE_ROWS = {"edge_home": "home", "edge_article": "article"}
EDGE_TARGET = 3.0

CONNECTIONS = (1, 16)
# wrk threads per connection count. The pair row runs one thread per connection instead
# (see benchmarks/wrk/pair.lua).
THREADS = {1: 1, 16: 2}
WORKERS = 3
# The site and the floor are served with exactly these options.
GUNICORN_OPTIONS = (
    "--workers",
    str(WORKERS),
    "--worker-class",
    "sync",
    "--timeout",
    "60",
    "--graceful-timeout",
    "5",
    "--log-level",
    "warning",
)

PASSWORD = "newsroom-demo"  # every demo account's
READER = "reader@example.com"
SEARCH_WORD = "금리"  # in most demo stories (삼성 is in none of them)
PERSONAL_PATH = "/accounts/personal/?story={id}"
COMMENT_TEXT = "벤치마크에서 남긴 댓글입니다 "  # wrk adds "<thread>-<number>"
NO_THROTTLES = {
    "COMMENTS_MIN_GAP_SECONDS": "0",
    "COMMENTS_PER_STORY_PER_DAY": "0",
    "COMMENTS_PER_IP_PER_HOUR": "0",
    "COMMENTS_DUPLICATE_HOURS": "0",
}
SITE_URL = "http://127.0.0.1:8000"  # the same for every server: the same bytes on each

# The article page under each page cache mode: (row label, environment). "page" is also
# the server of every other page: production's defaults.
MODES = {
    "page": ("page cache hit (in-process tier)", {"PAGE_CACHE": "on", "FRAGMENT_CACHE": "on"}),
    "shared": (
        "only {shared} holds the page (in-process tier off)",
        {"PAGE_CACHE": "on", "PAGE_CACHE_LOCAL_ENTRIES": "0", "FRAGMENT_CACHE": "on"},
    ),
    "fragments": (
        "page tier off, fragments warm",
        {"PAGE_CACHE": "off", "FRAGMENT_CACHE": "on"},
    ),
    "cold": ("everything cold", {"PAGE_CACHE": "off", "FRAGMENT_CACHE": "off"}),
}
# The signed-in rows: a reader with nothing of their own on the article, then one with.
PAIRS = {
    "signed_in": "signed-in reader: article + personal request (pairs/s)",
    "signed_in_own": "signed-in reader with a comment or vote there: the same (pairs/s)",
}
OUR_VARIABLES = ("PAGE_CACHE", "FRAGMENT_CACHE", "COMMENTS_")


# --- the seeding child ----------------------------------------------------------------------


def seed(archive: int, quick: bool) -> dict:
    """Migrate, load the demo and the archive; return what the rows need."""
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    if quick:
        # --smoke: the demo's tasks stay pending (renditions take 35 of load_demo's 50 s).
        from newsroom import outbox

        outbox.deliver = lambda message: False
    call_command("load_demo", stdout=io.StringIO())
    add_archive(archive)
    return targets(archive)


FIGURE = re.compile(r"<figure\b[^>]*>.*?</figure>", re.DOTALL)


def add_archive(count: int) -> None:
    """`count` older published stories, copies of the demo's published ones in turn: the same
    text (without the body's photos, which belong to their story), section, bylines, tags and
    lead photo, and a search entry as the workflow writes it. Bulk-inserted."""
    if not count:
        return
    from django.db import transaction

    from articles.models import Article, Byline, PhotoUse, SearchEntry
    from articles.search import text as search_text

    sources = list(
        Article.objects.filter(status=Article.Status.PUBLISHED)
        .prefetch_related("bylines", "tags", "photo_uses")
        .order_by("published_at", "pk")
    )
    step = timedelta(days=365) / count
    oldest = sources[0].published_at
    copies = []
    for number in range(count):
        source = sources[number % len(sources)]
        moment = oldest - step * (number + 1)
        copies.append(
            Article(
                headline=source.headline,
                subheadline=source.subheadline,
                slug=source.slug,
                summary=source.summary,
                body=FIGURE.sub("", source.body),
                section_id=source.section_id,
                comment_mode=source.comment_mode,
                status=Article.Status.PUBLISHED,
                created_by_id=source.created_by_id,
                created_at=moment,
                published_at=moment,
                last_saved_at=moment,
            )
        )
    with transaction.atomic():
        Article.objects.bulk_create(copies, batch_size=500)
        pairs = [(copy, sources[number % len(sources)]) for number, copy in enumerate(copies)]
        Byline.objects.bulk_create(
            [
                Byline(
                    article=copy,
                    profile_id=line.profile_id,
                    guest_name=line.guest_name,
                    order=line.order,
                )
                for copy, source in pairs
                for line in source.bylines.all()
            ],
            batch_size=500,
        )
        PhotoUse.objects.bulk_create(
            [
                PhotoUse(
                    article=copy,
                    photo_id=use.photo_id,
                    caption=use.caption,
                    credit=use.credit,
                    alt_text=use.alt_text,
                    is_lead=True,
                )
                for copy, source in pairs
                for use in source.photo_uses.all()
                if use.is_lead
            ],
            batch_size=500,
        )
        Article.tags.through.objects.bulk_create(
            [
                Article.tags.through(article_id=copy.pk, tag_id=tag.pk)
                for copy, source in pairs
                for tag in source.tags.all()
            ],
            batch_size=500,
        )
        SearchEntry.objects.bulk_create(
            [
                SearchEntry(
                    article_id=copy.pk,
                    **search_text.entry(copy.headline, copy.subheadline, copy.summary, copy.body),
                )
                for copy in copies
            ],
            batch_size=500,
        )


def targets(archive: int) -> dict:
    from django.conf import settings
    from django.db.models import Case, Count, Q, When
    from django.urls import reverse

    from accounts.models import User
    from articles.models import Article, Section
    from articles.pagination import NUMBERED_PAGES, PAGE_SIZE
    from comments import permissions, selectors
    from comments.models import Comment
    from comments.moderation import comment_window

    shown = Q(comments__status=Comment.Status.PUBLISHED)
    # The most commented stories open for comments: the article measured, and another one
    # for the comments posted (so that they never change the page measured).
    stories = [
        story
        for story in Article.objects.filter(status=Article.Status.PUBLISHED)
        .select_related("section")
        .annotate(shown=Count("comments", filter=shown))
        .order_by("-shown", "-published_at")[:40]
        if comment_window(story).is_open
    ]
    article, commented = stories[0], stories[1]
    # The top section with the most stories (filed in it, below it or also shown in it, as
    # its page lists them), and its last numbered page.
    published = Article.objects.filter(status=Article.Status.PUBLISHED)
    sections = [
        (
            published.filter(
                Q(section__in=Section.objects.descendants(section, include_self=True))
                | Q(extra_sections=section)
            )
            .distinct()
            .count(),
            section,
        )
        for section in Section.objects.filter(parent=None, is_active=True)
    ]
    count, section = max(sections, key=lambda pair: pair[0])
    pages = min(NUMBERED_PAGES, max(1, math.ceil(count / PAGE_SIZE)))
    # The demo reader with the most comments shown who may comment: past the trust
    # threshold, their comments are published at once, as most readers' are.
    poster = None
    for user in (
        User.objects.exclude(email=READER)
        .annotate(shown=Count("comments", filter=Q(comments__status=Comment.Status.PUBLISHED)))
        .order_by("-shown", "pk")
    ):
        if not user.is_staff and permissions.can_take_part(user):
            poster = user
            break
    # Two signed-in readers of the article: one with nothing of their own on it (most
    # readers: their comment block is the one kept for every such reader) and one with a
    # comment, vote or report there (their block is drawn for them).
    readers = {}
    for user in User.objects.filter(is_staff=False).order_by(
        Case(When(email=READER, then=0), default=1), "pk"
    ):
        if permissions.can_take_part(user):
            readers.setdefault(selectors.has_own_on(article.pk, user), user.email)
    return {
        "stories": published.count(),
        "archive": archive,
        "article": {
            "id": article.pk,
            "path": article.get_absolute_url(),
            "comments": article.shown,
        },
        "section": {
            "slug": section.slug,
            "path": section.get_absolute_url(),
            "stories": count,
            "pages": pages,
        },
        "search": "/search/?" + urllib.parse.urlencode({"q": SEARCH_WORD}),
        "commented": {
            "id": commented.pk,
            "path": commented.get_absolute_url(),
            "post": reverse("comments:post", args=[commented.pk]),
        },
        "readers": {"signed_in": readers.get(False), "signed_in_own": readers.get(True)},
        "poster": {
            "email": poster.email,
            "shown": poster.shown,
            "trusted": poster.shown >= settings.COMMENTS_TRUSTED_AFTER,
        },
    }


# --- the query-counting child ---------------------------------------------------------------


def count_queries(mode: str, plan: dict) -> dict:
    """SQL queries of each row served by this process's settings (one mode, or the floor)."""
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection, connections
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    def counted(client, method, path, data=None):
        with CaptureQueriesContext(connection) as queries:
            response = (
                getattr(client, method)(path, data) if data else getattr(client, method)(path)
            )
        return {"queries": len(queries), "status": response.status_code}

    def twice(path, client=None):
        client = client or Client()
        first, second = counted(client, "get", path), counted(client, "get", path)
        return {"cold": first["queries"], "warm": second["queries"], "status": first["status"]}

    def signed_in(email):
        client = Client()
        client.force_login(get_user_model().objects.get(email=email))
        page = plan["article"]["path"]
        personal = PERSONAL_PATH.format(id=plan["article"]["id"])
        first = counted(client, "get", page), counted(client, "get", personal)
        second = counted(client, "get", page), counted(client, "get", personal)
        return {
            "cold": first[0]["queries"],
            "warm": second[0]["queries"],
            "status": first[0]["status"],
            "personal": {
                "cold": first[1]["queries"],
                "warm": second[1]["queries"],
                "status": first[1]["status"],
            },
        }

    def post():
        client = Client()
        client.force_login(get_user_model().objects.get(email=plan["poster"]["email"]))
        path = plan["commented"]["post"]
        first = counted(client, "post", path, {"body": COMMENT_TEXT + "queries-1"})
        second = counted(client, "post", path, {"body": COMMENT_TEXT + "queries-2"})
        return {"cold": first["queries"], "warm": second["queries"], "status": first["status"]}

    if mode == "floor":
        measures = {"floor": lambda: twice("/")}
    elif mode == "page":
        measures = {
            "home": lambda: twice("/"),
            "section": lambda: twice(plan["section"]["path"]),
            "section_deep": lambda: twice(
                f"{plan['section']['path']}?page={plan['section']['pages']}"
            ),
            "article": lambda: twice(plan["article"]["path"]),
            "search": lambda: twice(plan["search"]),
            **{
                key: partial(signed_in, email)
                for key, email in plan["readers"].items()
                if email is not None
            },
            "comment": post,
        }
    else:
        measures = {"article": lambda: twice(plan["article"]["path"])}
    found = {}
    for name, measure in measures.items():
        connections.close_all()
        found[name] = isolated(measure)
    return found


def isolated(measure) -> dict:
    """`measure()` in a forked copy of this process, which has served nothing, after emptying
    the shared cache: no page an earlier measurement left in a process's memory (the page
    cache's own tier) or in the shared cache is seen. Its result comes back as JSON."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the copy
        code = 1
        try:
            os.close(read)
            from django.core.cache import cache

            cache.clear()
            with os.fdopen(write, "w") as out:
                json.dump(measure(), out)
            code = 0
        except BaseException:
            traceback.print_exc()
        finally:
            os._exit(code)
    os.close(write)
    with os.fdopen(read) as incoming:
        data = incoming.read()
    _, status = os.waitpid(pid, 0)
    if status != 0:
        raise RuntimeError("a query count failed (its traceback is above)")
    return json.loads(data)


# --- the parent: servers, HTTP, wrk ---------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def browser(jar: http.cookiejar.CookieJar | None = None):
    """An HTTP client that keeps cookies, never follows a redirect and ignores proxies."""
    jar = jar if jar is not None else http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(
        urllib.request.ProxyHandler({}), NoRedirect(), urllib.request.HTTPCookieProcessor(jar)
    )
    opener.jar = jar
    return opener


def fetch(opener, url: str, form: dict | None = None) -> tuple[int, dict, bytes]:
    data = urllib.parse.urlencode(form).encode() if form is not None else None
    request = urllib.request.Request(url, data=data, method="POST" if form is not None else "GET")
    try:
        with opener.open(request, timeout=30) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def cookie_header(jar) -> str:
    """The reader's cookies for wrk, but for a pending flash message (a browser sends that
    once, and the page it shows it on deletes it)."""
    kept = [f"{cookie.name}={cookie.value}" for cookie in jar if cookie.name != "messages"]
    return "Cookie: " + "; ".join(kept)


CSRF_FIELD = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


class Server:
    """One gunicorn, in its own process group, logging to a file in the var dir."""

    def __init__(self, name: str, app: str, environment: dict, log_dir: Path):
        self.name = name
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_dir / f"{name}.log"
        self.log = self.log_path.open("wb")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                app,
                "--bind",
                f"127.0.0.1:{self.port}",
                *GUNICORN_OPTIONS,
            ],
            cwd=ROOT,
            env=environment,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_ready(self, path: str, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        opener = browser()
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited at start:\n{self.log_tail()}")
            try:
                fetch(opener, self.url + path)
                return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"{self.name} did not answer in {timeout:.0f} s:\n{self.log_tail()}")

    def log_tail(self, lines: int = 30) -> str:
        self.log.flush()
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    def stop(self) -> None:
        if self.process.poll() is None:
            for sig, wait in ((signal.SIGTERM, 10), (signal.SIGKILL, 5)):
                try:
                    os.killpg(self.process.pid, sig)
                except ProcessLookupError:
                    break
                try:
                    self.process.wait(wait)
                    break
                except subprocess.TimeoutExpired:
                    continue
        # The workers are in the master's group: make sure none outlives it.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.log.close()


class Edge(Server):
    """varnishd with the project's VCL (deploy/varnish/varnishd) in front of `backend`, in
    its own process group. Its working folder is one the varnish user can read (varnishd
    started as root compiles the VCL as that user; the var dir is private)."""

    def __init__(self, backend: Server, log_dir: Path):
        self.name = "edge"
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.workdir = Path(tempfile.mkdtemp(prefix="bench-varnish-"))
        self.workdir.chmod(0o755)
        self.log_path = log_dir / "edge.log"
        self.log = self.log_path.open("wb")
        environment = {
            **os.environ,
            "VARNISH_LISTEN": f"127.0.0.1:{self.port}",
            "VARNISH_BACKEND": f"127.0.0.1:{backend.port}",
            "VARNISH_WORKDIR": str(self.workdir),
            "VARNISH_STORAGE": "malloc,256m",
        }
        self.process = subprocess.Popen(
            [str(VARNISHD)],
            cwd=ROOT,
            env=environment,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def stop(self) -> None:
        super().stop()
        shutil.rmtree(self.workdir, ignore_errors=True)


def run_child(command: list[str], environment: dict, timeout: float) -> str:
    """A child process in its own group; the whole group is killed if it fails or we stop."""
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        out, err = process.communicate(timeout=timeout)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(command[:4])} failed:\n{err[-4000:]}")
    return out


def wrk(
    url: str,
    *,
    connections: int,
    threads: int,
    seconds: int,
    script: str,
    args: tuple = (),
    headers: tuple = (),
) -> dict:
    command = [
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{seconds}s",
        "--latency",
        "--timeout",
        "10s",
        "-s",
        str(WRK_DIR / script),
    ]
    for header in headers:
        command += ["-H", header]
    command.append(url)
    if args:
        command += ["--", *args]
    out = run_child(command, {**os.environ, "BENCH_WRK_DIR": str(WRK_DIR)}, seconds + 60)
    for line in out.splitlines():
        if line.startswith("BENCH "):
            return json.loads(line[len("BENCH ") :])
    raise RuntimeError(f"wrk printed no BENCH line:\n{out}")


# --- rows ------------------------------------------------------------------------------------


class Row:
    def __init__(self, key, label, *, server, path, kind="get", method="GET"):
        self.key, self.label, self.server, self.path = key, label, server, path
        self.kind, self.method = kind, method
        self.reason = ""  # why it is not available, when it is not
        self.queries = None
        self.body_bytes = None
        self.headers: tuple = ()
        self.args: tuple = ()
        self.rounds: dict[int, list] = {c: [] for c in CONNECTIONS}
        self.cells: dict[int, dict] = {}  # the medians, once every round ran

    @property
    def available(self) -> bool:
        return not self.reason

    def run(self, servers, *, connections: int, seconds: int) -> dict:
        server = servers[self.server]
        script = {"get": "get.lua", "pair": "pair.lua", "post": "post.lua"}[self.kind]
        # One thread per connection for the pair, so that each connection alternates.
        threads = connections if self.kind == "pair" else THREADS.get(connections, 2)
        url = server.url + (self.path if self.kind == "get" else "/")
        found = wrk(
            url,
            connections=connections,
            threads=min(threads, connections),
            seconds=seconds,
            script=script,
            args=self.args,
            headers=self.headers,
        )
        duration = found["duration_us"] / 1e6
        requests = max(1, found["requests"])
        if self.kind == "pair":
            rate = found["pairs"] / duration
            p50, p99 = found["pair_p50_us"], found["pair_p99_us"]
        else:
            rate = found["requests"] / duration
            p50, p99 = found["p50_us"], found["p99_us"]
        failed = found["status_errors"]
        if self.kind == "post":
            failed += found["to_login"] + found["other"]
        return {
            "rate": rate,
            "p50_ms": p50 / 1000,
            "p99_ms": p99 / 1000,
            "bytes": found["bytes"] / requests,
            "failed": failed,
            "socket_errors": sum(
                found[name]
                for name in ("connect_errors", "read_errors", "write_errors", "timeouts")
            ),
            "wrk": found,
        }


def build_rows(plan: dict, shared: str) -> list[Row]:
    section = plan["section"]
    deep = f"{section['path']}?page={section['pages']}"
    article = plan["article"]["path"]
    rows = [
        Row("floor", "floor (Django's minimum, same bytes)", server="floor", path="/"),
        Row("home", "home `/`", server="page", path="/"),
        Row("section", f"section `{section['path']}`", server="page", path=section["path"]),
        Row("section_deep", f"section, page {section['pages']}", server="page", path=deep),
        Row("article", "article", server="page", path=article),
        Row(
            "search",
            f"search `/search/?q={SEARCH_WORD}`",
            server="page",
            path=plan["search"],
        ),
    ]
    for mode, (label, _environment) in MODES.items():
        rows.append(
            Row(
                f"article_{mode}",
                "article: " + label.format(shared=shared),
                server=mode,
                path=article,
            )
        )
    for key, label in PAIRS.items():
        rows.append(Row(key, label, server="page", path=article, kind="pair"))
    rows.append(
        Row("edge_home", "home `/` through the Varnish edge (a hit)", server="edge", path="/")
    )
    rows.append(
        Row("edge_article", "article through the Varnish edge (a hit)", server="edge", path=article)
    )
    rows.append(
        Row(
            "comment",
            "posting a comment",
            server="page",
            path=plan["commented"]["post"],
            kind="post",
            method="POST",
        )
    )
    return rows


def prepare_rows(rows: list[Row], servers: dict, plan: dict) -> None:
    """Check every row answers as it should before it is measured; a row that cannot be run
    gets its reason instead of figures. Signs the two readers in over HTTP, as a browser."""
    for row in rows:
        if row.kind == "get" and row.available:
            # A new client each time: an anonymous reader holds no cookie.
            status, headers, body = fetch(browser(), servers[row.server].url + row.path)
            row.body_bytes = len(body)
            if status != 200:
                row.reason = f"GET {row.path} answered {status}"
            elif row.server == "edge":
                status, headers, body = fetch(browser(), servers[row.server].url + row.path)
                if headers.get("X-Edge-Cache") != "hit":
                    row.reason = f"the edge answered {row.path} with {headers.get('X-Edge-Cache')}"
    site = servers["page"].url
    for pair in (row for row in rows if row.key in PAIRS):
        prepare_pair(pair, site, plan)

    post = next(row for row in rows if row.key == "comment")
    poster = log_in(site, plan["poster"]["email"])
    token = None
    story = plan["commented"]
    for path in (
        story["path"],
        f"/articles/{story['id']}/comments/",
        PERSONAL_PATH.format(id=story["id"]),
    ):
        status, _, body = fetch(poster, site + path)
        match = CSRF_FIELD.search(body) if status == 200 else None
        if match:
            token = match.group(1).decode()
            break
    if token is None:
        post.reason = "no CSRF token on the comment form's pages"
        return
    status, headers, _ = fetch(
        poster, site + post.path, {"csrfmiddlewaretoken": token, "body": COMMENT_TEXT + "check"}
    )
    location = headers.get("Location", "")
    if status not in (302, 303) or "/accounts/login/" in location:
        post.reason = f"the comment POST answered {status} {location}".rstrip()
    post.headers = (cookie_header(poster.jar),)
    post.args = (post.path, token, urllib.parse.quote(COMMENT_TEXT))


def prepare_pair(pair: Row, site: str, plan: dict) -> None:
    email = plan["readers"][pair.key]
    if email is None:
        pair.reason = "no demo reader who may comment is in that case"
        return
    reader = log_in(site, email)
    personal = PERSONAL_PATH.format(id=plan["article"]["id"])
    status, _, body = fetch(reader, site + pair.path)
    if status != 200:
        pair.reason = f"the signed-in article page answered {status}"
    else:
        status, _, personal_body = fetch(reader, site + personal)
        if not 200 <= status < 300:
            pair.reason = f"the personal request `{personal}` answers {status}"
        else:
            pair.body_bytes = (len(body) + len(personal_body)) // 2
    pair.headers = (cookie_header(reader.jar),)
    pair.args = (pair.path, personal)


def log_in(site: str, email: str):
    """A reader signed in through the log-in form: the cookies a browser would hold."""
    reader = browser()
    status, _, body = fetch(reader, site + "/accounts/login/")
    match = CSRF_FIELD.search(body)
    if status != 200 or not match:
        raise RuntimeError(f"the log-in page answered {status} without a form")
    status, headers, _ = fetch(
        reader,
        site + "/accounts/login/",
        {"login": email, "password": PASSWORD, "csrfmiddlewaretoken": match.group(1).decode()},
    )
    if status not in (302, 303) or "/accounts/login/" in headers.get("Location", ""):
        raise RuntimeError(f"logging in as {email} answered {status}")
    return reader


# --- environment -------------------------------------------------------------------------------


def site_environment(var_dir: str, redis_url: str | None, secret: str, mode: dict) -> dict:
    environment = {
        name: value for name, value in os.environ.items() if not name.startswith(OUR_VARIABLES)
    }
    environment.update(
        {
            "DJANGO_SETTINGS_MODULE": "newsroom.settings",
            "NEWSROOM_VAR_DIR": var_dir,
            "NEWSROOM_ENV": "local",
            "NEWSROOM_READ_DOTENV": "false",
            "DEBUG": "false",
            "SECRET_KEY": secret,
            "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
            "SITE_URL": SITE_URL,
            "DATABASE_URL": "",
            "REDIS_URL": redis_url or "",
            "CELERY_BROKER_URL": "",
            "EMAIL_URL": "",
            "S3_PUBLIC_BUCKET": "",
            "TRUSTED_PROXY_COUNT": "0",
            "LOG_LEVEL": "INFO",
            **NO_THROTTLES,
            **mode,
        }
    )
    return environment


def floor_environment(var_dir: str, secret: str, size: int) -> dict:
    environment = {
        name: value for name, value in os.environ.items() if not name.startswith(OUR_VARIABLES)
    }
    environment.update(
        {
            "DJANGO_SETTINGS_MODULE": "benchmarks.floor.settings",
            "NEWSROOM_VAR_DIR": var_dir,
            "SECRET_KEY": secret,
            "FLOOR_BYTES": str(size),
        }
    )
    return environment


def choose_cache(url: str) -> tuple[str | None, str, str]:
    """(REDIS_URL for the site or None, what the shared tier is called, a sentence)."""
    if not url:
        return None, "the file cache", "the file cache (BENCH_REDIS_URL is empty)"
    import redis

    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=0.5, socket_timeout=5)
        version = client.info("server")["redis_version"]
        client.flushdb()
    except (redis.RedisError, OSError) as error:
        return None, "the file cache", f"the file cache (Redis at {url} did not answer: {error})"
    return url, "Redis", f"Redis {version} at {url} (flushed first)"


def flush_redis(url: str | None) -> None:
    if url:
        import redis

        redis.Redis.from_url(url, socket_connect_timeout=0.5).flushdb()


def machine() -> dict:
    cpu = platform.processor()
    with open("/proc/cpuinfo") as info:
        for line in info:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = ""
    with open("/proc/meminfo") as info:
        for line in info:
            if line.startswith("MemTotal"):
                memory = f"{int(line.split()[1]) / 2**20:.0f} GiB"
                break
    version = subprocess.run(["wrk", "-v"], capture_output=True, text=True)
    wrk_version = (version.stdout + version.stderr).splitlines()[0].split(" Copyright")[0]
    return {
        "cores": os.cpu_count(),
        "cpu": cpu,
        "memory": memory,
        "kernel": platform.release(),
        "python": platform.python_version(),
        "django": metadata.version("django"),
        "gunicorn": metadata.version("gunicorn"),
        "sqlite": sqlite3.sqlite_version,
        "wrk": wrk_version.strip(),
    }


# --- the report --------------------------------------------------------------------------------


def summarise(rows: list[Row]) -> None:
    floor = next(row for row in rows if row.key == "floor")
    for row in rows:
        for c in CONNECTIONS:
            runs = row.rounds[c]
            if not runs:
                continue
            ratios = [
                run["rate"] / floor_run["rate"] if floor_run["rate"] else 0
                for run, floor_run in zip(runs, floor.rounds[c], strict=False)
            ]
            row.cells[c] = {
                "rate": statistics.median(run["rate"] for run in runs),
                "rates": [run["rate"] for run in runs],
                "ratio": statistics.median(ratios),
                "ratios": ratios,
                "p50_ms": statistics.median(run["p50_ms"] for run in runs),
                "p99_ms": statistics.median(run["p99_ms"] for run in runs),
                "bytes": statistics.median(run["bytes"] for run in runs),
                "failed": sum(run["failed"] for run in runs),
                "socket_errors": sum(run["socket_errors"] for run in runs),
                "requests": sum(run["wrk"]["requests"] for run in runs),
                "other_cpu": [run["other_cpu"] for run in runs],
            }


def edge_lines(rows: list[Row]) -> list[str]:
    """Each edge row's share of the floor at every connection count, against the target."""
    lines = []
    for row in rows:
        if row.key in EDGE_ROWS and row.available:
            shares = ", ".join(
                f"{ratio_text(row.cells[c]['ratio'])}x at c={c}" for c in CONNECTIONS
            )
            met = all(row.cells[c]["ratio"] >= EDGE_TARGET for c in CONNECTIONS)
            lines.append(
                f"{row.label}: {shares} the floor (target {EDGE_TARGET:g}x: "
                f"{'met' if met else 'missed'})"
            )
    return lines


def queries_text(row: Row) -> str:
    found = row.queries
    if not found:
        return ""

    def pair(entry):
        if entry["cold"] == entry["warm"]:
            return str(entry["cold"])
        return f"{entry['cold']} / {entry['warm']}"

    if row.kind == "pair":
        personal = found["personal"]
        text = f"page {pair(found)}"
        if 200 <= personal["status"] < 300:
            return text + f", personal {pair(personal)}"
        return text + f", personal: {personal['status']}"
    if row.kind == "post":
        return f"{found['cold']}, {found['warm']} (status {found['status']})"
    return pair(found)


def shown(path: str) -> str:
    """A path as a reader reads it (the slugs are Korean)."""
    return urllib.parse.unquote(path)


def ratio_text(value: float) -> str:
    return f"{value:.2f}" if value >= 0.1 else f"{value:.3f}"


def rate_text(value: float) -> str:
    return f"{value:,.0f}" if value >= 100 else f"{value:,.1f}"


def markdown(rows: list[Row], report: dict) -> str:
    lines = [
        "| page | c | requests/s: median (each round) | × floor | p50 (ms) | p99 (ms) "
        "| bytes per response | non-2xx/3xx | SQL queries (cold / warm) |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    notes = [
        "requests/s and the share of the floor: the median of the rounds (each round's "
        "figure in brackets); the share is taken against the floor at the same connection "
        "count in the same round. p50 and p99: the medians over the rounds.",
        "bytes per response: everything wrk read, headers included. non-2xx/3xx: responses "
        "with a status of 400 or more (for the comment row also redirects to the log-in "
        "page), summed over the rounds.",
        "`article` and `article: page cache hit` are the same server (production's defaults) "
        "measured as two rows: their difference is the noise between two runs.",
        "signed-in reader: pairs per second, and a pair's time (the page's request to the "
        "personal response on one connection) as p50 and p99; wrk runs one thread per "
        "connection for this row (-t1 -c1, -t16 -c16) so that each connection alternates.",
        "SQL queries: counted in-process with the test client, cold (the first request after "
        "the cache was emptied, in a process that had served nothing) / warm (the same "
        "request again); one number when they are equal. The comment row: the first and "
        "the second post. The edge rows: the page's own cold count (the edge's first request "
        "reaches the site) / 0 (a hit at the edge reaches nothing).",
        "The edge rows: varnishd (deploy/varnish/newsroom.vcl) in front of the `page` server; "
        "it keeps wrk's connections open where gunicorn's sync workers close each one.",
        *edge_lines(rows),
    ]
    for row in rows:
        if not row.available:
            lines.append(
                f"| {row.label} | 1, 16 | not available: {row.reason} | | | | | | "
                f"{queries_text(row)} |"
            )
            continue
        for c in CONNECTIONS:
            cell = row.cells[c]
            rounds = " · ".join(rate_text(rate) for rate in cell["rates"])
            lines.append(
                f"| {row.label} | {c} | {rate_text(cell['rate'])} ({rounds}) "
                f"| {ratio_text(cell['ratio'])} | {cell['p50_ms']:.1f} | {cell['p99_ms']:.1f} "
                f"| {cell['bytes']:,.0f} | {cell['failed']:,} | "
                f"{queries_text(row) if c == CONNECTIONS[0] else ''} |"
            )
            if row.kind == "post":
                posted = sum(run["wrk"]["posted"] for run in row.rounds[c])
                notes.append(
                    f"{row.label}, c={c}: {posted:,} comments posted (a redirect back to the "
                    f"story), {cell['failed']:,} not, over the rounds."
                )
            if cell["socket_errors"]:
                notes.append(
                    f"{row.label}, c={c}: {cell['socket_errors']:,} socket errors "
                    "(connect, read, write or timeout) as wrk counts them."
                )
    data = report["data"]
    command = " ".join(["benchmarks/pages.py", *report["argv"]])
    others = sorted(
        share for row in rows for cell in row.cells.values() for share in cell["other_cpu"]
    )
    header = [
        f"Measured {report['measured_at']}: `{command}`",
        "",
        f"- cache: {report['cache']}",
        f"- data: {data['stories']:,} published stories (the demo's and an archive of "
        f"{data['archive']:,}); section `{data['section']['slug']}`: "
        f"{data['section']['stories']:,} stories, {data['section']['pages']} numbered pages; "
        f"article `{shown(data['article']['path'])}` ({data['article']['comments']} comments "
        f"shown); comments posted on `{shown(data['commented']['path'])}` by "
        f"{data['poster']['email']}",
        f"- floor: {report['floor_bytes']:,} bytes, the article page's size",
        "- comment limits: "
        + ", ".join(f"{name}={value}" for name, value in report["limits"].items())
        + f" (off); trust and word rules as configured: {data['poster']['email']} has "
        f"{data['poster']['shown']} comments shown, so "
        + (
            "their comments are published at once"
            if data["poster"]["trusted"]
            else "theirs are held"
        ),
        f"- machine: {report['machine']['cores']} cores ({report['machine']['cpu']}), "
        f"{report['machine']['memory']}, Linux {report['machine']['kernel']}, Python "
        f"{report['machine']['python']}, Django {report['machine']['django']}, gunicorn "
        f"{report['machine']['gunicorn']}, SQLite {report['machine']['sqlite']}, "
        f"{report['machine']['wrk']}",
        f"- other work on the machine during the cells (CPU not used by the benchmark's "
        f"processes or Redis): median {statistics.median(others):.0%}, at most "
        f"{others[-1]:.0%} of its {report['machine']['cores']} cores"
        if others
        else "- other work on the machine: not measured",
        "",
    ]
    return "\n".join(header + lines + ([""] + [f"- {note}" for note in notes] if notes else []))


def chart(rows: list[Row], path: Path, subtitle: str) -> None:
    """Requests per second of each row as a share of the floor's, a bar for 1 connection
    and one for 16, drawn with Pillow in the site's bundled Korean font."""
    from PIL import Image, ImageDraw, ImageFont

    title_font = ImageFont.truetype(str(FONT), 22)
    font = ImageFont.truetype(str(FONT), 16)
    small = ImageFont.truetype(str(FONT), 14)
    colours = {1: (11, 61, 145), 16: (232, 140, 40)}
    label_width, plot_width, margin, row_height, top = 530, 600, 24, 52, 112
    ratios = [cell["ratio"] for row in rows if row.available for cell in row.cells.values()]
    top_value = max(1.0, max(ratios, default=1.0))
    # At most about ten ticks: the edge rows reach several times the floor.
    step = next(step for step in (0.25, 0.5, 1, 2, 5, 10) if top_value / step <= 10)
    top_value = math.ceil(top_value / step) * step
    width = margin + label_width + plot_width + 90
    height = top + row_height * len(rows) + 56
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    draw.text(
        (margin, 16),
        "초당 요청 수, 바닥(floor) 대비 · requests/s as a share of the floor",
        font=title_font,
        fill="black",
    )
    draw.text((margin, 48), subtitle, font=small, fill=(90, 90, 90))
    x0 = margin + label_width
    for c, colour in colours.items():
        legend_x = x0 + (0 if c == 1 else 170)
        draw.rectangle((legend_x, 78, legend_x + 14, 92), fill=colour)
        draw.text(
            (legend_x + 20, 76), f"{c} connection{'s' if c > 1 else ''}", font=small, fill="black"
        )
    bottom = top + row_height * len(rows)
    tick = 0.0
    while tick <= top_value + 1e-9:
        x = x0 + plot_width * tick / top_value
        draw.line(
            (x, top - 6, x, bottom),
            fill=(150, 150, 150) if tick == 1 else (225, 225, 225),
            width=2 if tick == 1 else 1,
        )
        draw.text((x - 12, bottom + 6), f"{tick:.2f}", font=small, fill=(90, 90, 90))
        tick += step
    draw.text(
        (x0 + plot_width * 1 / top_value - 20, bottom + 24),
        "floor = 1",
        font=small,
        fill=(90, 90, 90),
    )
    for index, row in enumerate(rows):
        y = top + row_height * index
        label = re.sub(r"`", "", row.label)
        while draw.textlength(label, font=font) > label_width - 16:
            label = label[:-2] + "…"
        draw.text((margin, y + 15), label, font=font, fill="black")
        if not row.available:
            reason = f"not available: {shown(row.reason)}".replace("`", "")
            while draw.textlength(reason, font=small) > plot_width:
                reason = reason[:-2] + "…"
            draw.text((x0 + 6, y + 16), reason, font=small, fill=(120, 120, 120))
            continue
        for offset, c in ((6, 1), (26, 16)):
            value = row.cells[c]["ratio"]
            end = x0 + max(1, plot_width * value / top_value)
            draw.rectangle((x0, y + offset, end, y + offset + 16), fill=colours[c])
            draw.text((end + 6, y + offset), ratio_text(value), font=small, fill="black")
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path, optimize=True)


# --- main --------------------------------------------------------------------------------------


def options(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, help="per cell (default 8)")
    parser.add_argument("--rounds", type=int, help="interleaved rounds (default 3)")
    parser.add_argument("--warmup", type=int, help="seconds per row and round (default 1)")
    parser.add_argument("--archive", type=int, help="older stories added (default 3000)")
    parser.add_argument("--out", type=Path, default=ROOT / "var" / "bench")
    parser.add_argument("--publish", action="store_true", help=f"chart to {PUBLISHED_CHART}")
    parser.add_argument("--smoke", action="store_true", help="the test suite's tiny run")
    parser.add_argument("--keep", action="store_true", help="keep the var dir (and say where)")
    found = parser.parse_args(argv)
    defaults = {"seconds": 8, "rounds": 3, "warmup": 1, "archive": 3000}
    if found.smoke:
        defaults = {"seconds": 1, "rounds": 1, "warmup": 0, "archive": 100}
    for name, value in defaults.items():
        if getattr(found, name) is None:
            setattr(found, name, value)
    return found


def say(message: str) -> None:
    print(message, flush=True)


def benchmark(argv: list[str]) -> None:
    args = options(argv)
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed: apt-get install wrk")
    started = time.monotonic()

    def elapsed() -> str:
        return f"[{time.monotonic() - started:.0f} s]"

    var_dir = tempfile.mkdtemp(prefix="bench-pages-")
    secret = "bench-pages-" + secrets.token_hex(24)
    redis_url, shared, cache_text = choose_cache(os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS))
    environments = {
        mode: site_environment(var_dir, redis_url, secret, mode_environment)
        for mode, (_label, mode_environment) in MODES.items()
    }
    servers: dict[str, Server] = {}
    try:
        say(f"cache: {cache_text}; var dir {var_dir}")
        say(f"seed: migrate, load_demo and an archive of {args.archive:,} older stories")
        command = [sys.executable, __file__, "seed", str(args.archive)]
        if args.smoke:
            command.append("quick")
        quiet = {**environments["page"], "LOG_LEVEL": "WARNING"}
        plan = json.loads(run_child(command, quiet, 900).strip().splitlines()[-1])
        plan_file = Path(var_dir) / "plan.json"
        plan_file.write_text(json.dumps(plan))
        say(
            f"seed: {plan['stories']:,} published stories; article "
            f"{shown(plan['article']['path'])}; section {plan['section']['path']} "
            f"({plan['section']['pages']} pages) {elapsed()}"
        )

        log_dir = Path(var_dir) / "logs"
        log_dir.mkdir()
        # The site's servers boot while the queries are counted: nothing is served before
        # the counts are done and the cache they filled is emptied.
        for mode in MODES:
            servers[mode] = Server(mode, "newsroom.wsgi", environments[mode], log_dir)
        queries = {}
        for mode in MODES:
            command = [sys.executable, __file__, "queries", mode, str(plan_file)]
            out = run_child(command, {**environments[mode], "LOG_LEVEL": "WARNING"}, 300)
            queries[mode] = json.loads(out.strip().splitlines()[-1])
        flush_cache(redis_url, var_dir)
        for server in servers.values():
            server.wait_ready("/healthz")
        # The floor answers with as many bytes as the article page.
        status, _, page = fetch(browser(), servers["page"].url + plan["article"]["path"])
        if status != 200:
            raise RuntimeError(f"the article page answered {status}")
        floor_bytes = len(page)
        floor_env = floor_environment(var_dir, secret, floor_bytes)
        servers["floor"] = Server("floor", "benchmarks.floor.wsgi", floor_env, log_dir)
        command = [sys.executable, __file__, "queries", "floor", str(plan_file)]
        queries["floor"] = json.loads(run_child(command, floor_env, 120).strip().splitlines()[-1])
        servers["floor"].wait_ready("/")
        if shutil.which("varnishd"):
            servers["edge"] = Edge(servers["page"], log_dir)
            servers["edge"].wait_ready("/healthz")
        say(f"servers: {', '.join(f'{name} {s.url}' for name, s in servers.items())} {elapsed()}")

        rows = build_rows(plan, shared)
        for row in rows:
            if row.key == "floor":
                row.queries = queries["floor"]["floor"]
            elif row.key.startswith("article_"):
                row.queries = queries[row.key.removeprefix("article_")]["article"]
            elif row.key in EDGE_ROWS:
                # The edge's first request reaches the site; a hit at the edge runs none.
                page = queries["page"][EDGE_ROWS[row.key]]
                row.queries = {**page, "warm": 0}
                if "edge" not in servers:
                    row.reason = (
                        "varnishd is not installed (apt-get install varnish varnish-modules)"
                    )
            else:
                row.queries = queries["page"].get(row.key)
        prepare_rows(rows, servers, plan)
        if not rows[0].available:
            raise RuntimeError(f"the floor cannot be measured: {rows[0].reason}")
        for row in rows:
            if not row.available:
                say(f"{row.key}: not available: {row.reason}")

        run_rounds(rows, servers, args)
        summarise(rows)
        for line in edge_lines(rows):
            say(line)
        report = report_data(args, argv, rows, servers, plan, cache_text, floor_bytes)
        args.out.mkdir(parents=True, exist_ok=True)
        table = markdown(rows, report)
        (args.out / "pages.md").write_text(table + "\n")
        (args.out / "pages.json").write_text(json.dumps(report, indent=2, ensure_ascii=False))
        chart_path = PUBLISHED_CHART if args.publish else args.out / "pages.png"
        chart(
            rows,
            chart_path,
            f"{report['measured_at']} · {report['machine']['cores']} cores · gunicorn "
            f"{WORKERS} sync workers · wrk -t1 -c1 / -t2 -c16 · median of {args.rounds} "
            f"round{'s' if args.rounds > 1 else ''} · shared cache: {shared}",
        )
        say("\n" + table)
        say(f"\nwrote {args.out / 'pages.md'}, pages.json and {chart_path} {elapsed()}")
    except BaseException:
        for server in servers.values():
            say(f"--- the last lines of {server.log_path.name}:\n{server.log_tail(15)}")
        raise
    finally:
        for server in servers.values():
            server.stop()
        with contextlib.suppress(Exception):
            flush_redis(redis_url)
        if args.keep:
            say(f"kept {var_dir}")
        else:
            shutil.rmtree(var_dir, ignore_errors=True)


def run_rounds(rows: list[Row], servers: dict, args) -> None:
    """Every available row in round 1, then in round 2, ...: a change in the machine's load
    touches every row alike. A row is warmed up (each worker serves it) before its cells.
    Each cell also records how busy the machine was with other work meanwhile."""
    groups = {server.process.pid for server in servers.values()}
    for number in range(1, args.rounds + 1):
        for row in rows:
            if not row.available:
                continue
            if args.warmup:
                row.run(servers, connections=WORKERS, seconds=args.warmup)
            for c in CONNECTIONS:
                before = cpu_use(groups)
                found = row.run(servers, connections=c, seconds=args.seconds)
                found["other_cpu"] = other_cpu(before, cpu_use(groups))
                row.rounds[c].append(found)
                unit = "pairs/s" if row.kind == "pair" else "req/s"
                failed = f", {found['failed']:,} non-2xx/3xx" if found["failed"] else ""
                say(
                    f"[round {number}/{args.rounds}] {row.key} c={c} ... "
                    f"{rate_text(found['rate'])} {unit}{failed} (other work "
                    f"{found['other_cpu']:.0%} of the machine)"
                )


def cpu_use(groups: set[int]) -> tuple[float, int, int]:
    """(when, the machine's busy CPU ticks, the ticks of the benchmark's own processes):
    this process with its finished children (wrk), the servers' process groups and Redis."""
    with open("/proc/stat") as stat:
        fields = [int(value) for value in stat.readline().split()[1:]]
    # user nice system idle iowait irq softirq steal: all but idle and iowait.
    busy = sum(fields[:8]) - fields[3] - fields[4]
    ours = 0
    for path in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = path.read_text()
        except OSError:
            continue
        name, _, rest = text.partition(" (")[2].rpartition(") ")
        values = rest.split()
        # After the name: state, ppid, pgrp, ..., utime (12th), stime, cutime, cstime.
        if int(path.parent.name) == os.getpid():
            ours += sum(int(value) for value in values[11:15])
        elif int(values[2]) in groups or name == "redis-server":
            ours += int(values[11]) + int(values[12])
    return time.monotonic(), busy, ours


def other_cpu(before: tuple, after: tuple) -> float:
    """The share of the machine's CPU that other work took between two cpu_use() readings."""
    seconds = after[0] - before[0]
    ticks = os.sysconf("SC_CLK_TCK") * seconds * (os.cpu_count() or 1)
    others = (after[1] - before[1]) - (after[2] - before[2])
    return max(0.0, others / ticks) if ticks else 0.0


def report_data(args, argv, rows, servers, plan, cache_text, floor_bytes) -> dict:
    return {
        "measured_at": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "argv": argv,
        "options": {
            "seconds": args.seconds,
            "rounds": args.rounds,
            "warmup": args.warmup,
            "archive": args.archive,
            "connections": list(CONNECTIONS),
            "threads": THREADS,
            "gunicorn": list(GUNICORN_OPTIONS),
        },
        "cache": cache_text,
        "machine": machine(),
        "data": plan,
        "floor_bytes": floor_bytes,
        "limits": NO_THROTTLES,
        "servers": [
            {"name": name, "pid": server.process.pid, "url": server.url}
            for name, server in servers.items()
        ],
        "rows": [
            {
                "key": row.key,
                "label": row.label,
                "kind": row.kind,
                "method": row.method,
                "path": row.path,
                "server": row.server,
                "available": row.available,
                "reason": row.reason,
                "body_bytes": row.body_bytes,
                "queries": row.queries,
                "cells": {str(c): cell for c, cell in row.cells.items()},
                "rounds": {str(c): runs for c, runs in row.rounds.items()},
            }
            for row in rows
        ],
    }


def flush_cache(redis_url: str | None, var_dir: str) -> None:
    """Empty the shared cache: what the query counts left is not what the servers see."""
    if redis_url:
        flush_redis(redis_url)
    else:
        shutil.rmtree(Path(var_dir) / "cache", ignore_errors=True)


def stop_on_sigterm(signum, frame):
    raise SystemExit(128 + signum)


def main(argv: list[str]) -> None:
    if argv[:1] == ["seed"]:
        print(json.dumps(seed(int(argv[1]), quick=argv[2:3] == ["quick"])))
        return
    if argv[:1] == ["queries"]:
        print(json.dumps(count_queries(argv[1], json.loads(Path(argv[2]).read_text()))))
        return
    signal.signal(signal.SIGTERM, stop_on_sigterm)
    benchmark(argv)


if __name__ == "__main__":
    main(sys.argv[1:])
