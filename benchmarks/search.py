"""Benchmark: Korean search over 10,000 generated stories, on SQLite and on PostgreSQL.

Run from the project root (PostgreSQL at BENCH_POSTGRES_URL, default
postgres://postgres@127.0.0.1:5432/newsroom_bench_search, is skipped when unreachable):

    .venv/bin/python benchmarks/search.py [--stories 10000] [--only sqlite|postgresql]

Each database is measured in a fresh subprocess (this script run again with "measure"), in
a throw-away NEWSROOM_VAR_DIR; the PostgreSQL database is created and dropped around it. The
stories are bulk-inserted (the workflow would take an hour) and their search entries written
with the same articles.search.text.entry the workflow uses, in one bulk insert: the triggers
(SQLite) and GIN indexes (PostgreSQL) do their work during it.

For each query it measures, median of REPEATS runs after one warm-up:
- "index": the candidate ids through articles.search.index.candidates (FTS5 / pg_trgm + grams);
- "LIKE scan": the same ids found by the plain way, `content LIKE '%term%'` per term over the
  whole table (on PostgreSQL with index scans switched off, as a table without the indexes);
- "page": GET /search/?q=... through Django's test client (count, 20 results, snippets,
  template), and the SQL queries that page ran.
It also times index_story (one upsert) on published stories, as the workflow calls it.
"""

import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REPEATS = 15
SEED = 20261126
DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/newsroom_bench_search"

# (label, query): two-syllable queries first, the commonest case.
QUERIES = [
    ("2 syllables, common", "삼성"),
    ("2 syllables, common", "금리"),
    ("2 syllables, rare", "두산"),
    ("1 syllable", "칩"),
    ("3 syllables, rare", "고려아연"),
    ("3 syllables", "반도체"),
    ("4 syllables, part of a word", "기준금리"),
    ("3 words", "삼성 반도체 수출"),
    ("Latin + Korean", "AI 반도체"),
    ("digits + Korean", "3분기 영업이익"),
    ("no match", "테슬라모델"),
]

# Made-up newsroom vocabulary (no outlet's text). Each story is about two companies and
# three topics drawn with Zipf-like weights (the first in each list is the commonest), so a
# common word is in a large share of stories and a rare one in a few, as in a real archive.
COMPANIES = [
    "삼성전자",
    "SK하이닉스",
    "현대차",
    "LG에너지솔루션",
    "기아",
    "네이버",
    "카카오",
    "포스코",
    "셀트리온",
    "한화오션",
    "KB금융",
    "신한은행",
    "LG전자",
    "삼성바이오로직스",
    "HD현대중공업",
    "쿠팡",
    "셀트리온헬스",
    "삼성증권",
    "롯데케미칼",
    "CJ제일제당",
    "대한항공",
    "아모레퍼시픽",
    "GS건설",
    "현대건설",
    "SK텔레콤",
    "KT",
    "하나금융",
    "우리은행",
    "에코프로",
    "엔씨소프트",
    "넷마블",
    "크래프톤",
    "한미반도체",
    "리노공업",
    "이마트",
    "BGF리테일",
    "HMM",
    "고려아연",
    "효성",
    "두산에너빌리티",
]
TOPICS = [
    "반도체",
    "기준금리",
    "수출",
    "환율",
    "영업이익",
    "배터리",
    "전기차",
    "인공지능",
    "HBM",
    "메모리",
    "부동산",
    "가계부채",
    "파운드리",
    "코스피",
    "채권",
    "유가",
    "물가",
    "고용",
    "소비",
    "설비투자",
    "AI칩",
    "공급망",
    "관세",
    "스마트폰",
    "원자재",
    "코스닥",
    "조선",
    "수주",
    "바이오",
    "신약",
    "게임",
    "유통",
    "항공",
    "해운",
    "건설",
    "통신",
    "금융지주",
    "보험",
    "배당",
    "자사주",
]
SENTENCES = (
    "{c}가 {t} 투자를 늘린다고 밝혔다.",
    "{t} 시장은 {q}분기에도 회복세를 이어갔다.",
    "업계는 {t} 부담이 커질 것으로 내다봤다.",
    "{c}의 {q}분기 영업이익은 {n}조 원으로 집계됐다.",
    "{t} 관련 규제가 바뀌면서 {c} 주가가 움직였다.",
    "전문가들은 {t} 흐름을 더 지켜봐야 한다고 말했다.",
    '{c} 관계자는 "{t} 경쟁력을 높이겠다"고 설명했다.',
    "정부는 {t} 지원 대책을 다음 달 내놓는다.",
    "{t} 수요가 늘며 {c}의 실적도 나아졌다.",
    "시장에서는 {t} 전망을 두고 의견이 갈렸다.",
)
TAIL_SYLLABLES = "가나다라마바사아자차카타파하거너더러머버서어저처커터퍼허고노도로모보소오조초"


def zipf(rng: random.Random, items: list[str], count: int) -> list[str]:
    return rng.choices(items, weights=[1 / (rank + 1) for rank in range(len(items))], k=count)


def story_text(rng: random.Random) -> tuple[str, str, str]:
    """A headline, a summary and a body of 20 short paragraphs (about 1,500 characters)."""
    companies, topics = zipf(rng, COMPANIES, 2), zipf(rng, TOPICS, 3)
    # A few words only this story has: the long tail of names and places.
    rare = ["".join(rng.choices(TAIL_SYLLABLES, k=3)) for _ in range(3)]

    def sentence() -> str:
        return rng.choice(SENTENCES).format(
            c=rng.choice(companies),
            t=rng.choice(topics),
            q=rng.randint(1, 4),
            n=rng.randint(1, 60),
        )

    headline = f"{companies[0]}, {topics[0]} {topics[1]} {rare[0]}"
    summary = sentence()
    body = "".join(f"<p>{sentence()} {rng.choice(rare)} {sentence()}</p>" for _ in range(20))
    return headline, summary, body


# --- the child: one database ----------------------------------------------------------------


def measure(stories: int) -> dict:
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from articles.models import Article, SearchEntry, Section
    from articles.search import index as search
    from articles.search import text as search_text

    call_command("migrate", verbosity=0)
    vendor = connection.vendor
    section = Section.objects.create(name="경제", slug="economy")
    rng = random.Random(SEED)
    now = timezone.now()
    started = time.perf_counter()
    rows = []
    for number in range(stories):
        headline, summary, body = story_text(rng)
        rows.append(
            Article(
                headline=headline,
                slug=f"story-{number}",
                summary=summary,
                body=body,
                section=section,
                status=Article.Status.PUBLISHED,
                published_at=now - timedelta(minutes=number * 50),
            )
        )
    Article.objects.bulk_create(rows, batch_size=500)
    load_articles = time.perf_counter() - started

    started = time.perf_counter()
    with transaction.atomic():
        SearchEntry.objects.bulk_create(
            [
                SearchEntry(
                    article_id=article.pk,
                    **search_text.entry(article.headline, "", article.summary, article.body),
                )
                for article in Article.objects.all()
            ],
            batch_size=500,
        )
    load_entries = time.perf_counter() - started
    if vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    def median_ms(run) -> float:
        run()
        times = []
        for _ in range(REPEATS):
            started = time.perf_counter()
            run()
            times.append(time.perf_counter() - started)
        return statistics.median(times) * 1000

    def ids_by_index(query):
        sql, params = search.candidates(query)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return {row[0] for row in cursor.fetchall()}

    def ids_by_like(query):
        conditions = " AND ".join(["content LIKE %s ESCAPE '\\'"] * len(query.terms))
        params = [search_text.like_contains(term) for term in query.terms]
        with transaction.atomic(), connection.cursor() as cursor:
            if vendor == "postgresql":
                cursor.execute("SET LOCAL enable_bitmapscan = off")
                cursor.execute("SET LOCAL enable_indexscan = off")
            cursor.execute(
                f"SELECT article_id FROM articles_searchentry WHERE {conditions}", params
            )
            return {row[0] for row in cursor.fetchall()}

    client = Client()
    results = []
    for label, raw in QUERIES:
        query = search_text.parse_query(raw)
        found = ids_by_index(query)
        # The index path finds what a scan finds: the benchmark checks it on real data.
        assert found == ids_by_like(query), raw
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/search/", {"q": raw})
        assert response.status_code == 200
        page_queries = len(queries)  # now: the next request resets the query log
        plan = ""
        if vendor == "postgresql":
            # The planner chooses between the indexes and a scan: say which it chose.
            sql, params = search.candidates(query)
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN " + sql, params)
                plan = "index" if "Index Scan" in str(cursor.fetchall()) else "seq scan"
        index_ms = median_ms(lambda query=query: ids_by_index(query))
        like_ms = median_ms(lambda query=query: ids_by_like(query))
        page_ms = median_ms(lambda raw=raw: client.get("/search/", {"q": raw}))
        results.append(
            {
                "label": label,
                "query": raw,
                "matches": len(found),
                "index_ms": index_ms,
                "like_ms": like_ms,
                "page_ms": page_ms,
                "page_queries": page_queries,
                "plan": plan,
            }
        )

    sample = list(Article.objects.order_by("?")[:200])
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        for article in sample:
            with transaction.atomic():
                search.index_story(article)
    index_story_ms = (time.perf_counter() - started) * 1000 / len(sample)
    index_story_queries = len(queries) // len(sample)
    sizes = {}
    if vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT relname, pg_relation_size(oid) FROM pg_class WHERE relname IN "
                "('articles_searchentry', 'article_search_trigram_idx', "
                "'article_search_grams_idx')"
            )
            sizes = dict(cursor.fetchall())
    else:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA page_size")
            page_size = cursor.fetchone()[0]
            cursor.execute("PRAGMA page_count")
            sizes = {"database file": cursor.fetchone()[0] * page_size}
    return {
        "vendor": vendor,
        "version": connection.Database.sqlite_version
        if vendor == "sqlite"
        else ".".join(str(part) for part in divmod(connection.pg_version, 10000)),
        "stories": stories,
        "load_articles_s": load_articles,
        "load_entries_s": load_entries,
        "index_story_ms": index_story_ms,
        "index_story_queries": index_story_queries,
        "sizes": sizes,
        "results": results,
    }


# --- the parent ------------------------------------------------------------------------------


def environment(var_dir: str, database_url: str) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        "NEWSROOM_VAR_DIR": var_dir,
        "NEWSROOM_ENV": "local",
        "NEWSROOM_READ_DOTENV": "false",
        "DEBUG": "false",
        "DATABASE_URL": database_url,
        "CELERY_BROKER_URL": "",
        "REDIS_URL": "",
        "LOG_LEVEL": "WARNING",
    }


def run_child(database_url: str, stories: int) -> dict:
    with tempfile.TemporaryDirectory(prefix="bench-search-") as var_dir:
        done = subprocess.run(
            [sys.executable, __file__, "measure", str(stories)],
            env=environment(var_dir, database_url),
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
        )
    return json.loads(done.stdout.strip().splitlines()[-1])


def postgres_database(url: str, *, create: bool) -> bool:
    import psycopg

    name = url.rsplit("/", 1)[1]
    try:
        with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
            if create:
                admin.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError as error:
        print(f"PostgreSQL skipped: {error}", file=sys.stderr)
        return False
    return True


def report(run: dict) -> None:
    print(
        f"\n## {run['vendor']} {run['version']}: {run['stories']:,} stories\n"
        f"bulk insert: stories {run['load_articles_s']:.1f} s, search entries "
        f"{run['load_entries_s']:.1f} s; index_story {run['index_story_ms']:.2f} ms "
        f"({run['index_story_queries']} query); sizes "
        + ", ".join(f"{name} {size / 2**20:.1f} MiB" for name, size in run["sizes"].items())
    )
    print(
        "\n| query | | matches | index path (ms) | planner chose | LIKE scan (ms) | scan / index "
        "| page (ms) | SQL queries per page |\n|---|---|---|---|---|---|---|---|---|"
    )
    for row in run["results"]:
        print(
            f"| {row['label']} | `{row['query']}` | {row['matches']:,} | {row['index_ms']:.2f} "
            f"| {row['plan'] or 'FTS5'} "
            f"| {row['like_ms']:.1f} | {row['like_ms'] / row['index_ms']:.0f}× "
            f"| {row['page_ms']:.1f} | {row['page_queries']} |"
        )


def main(argv: list[str]) -> None:
    if argv[:1] == ["measure"]:
        print(json.dumps(measure(int(argv[1]))))
        return
    stories = int(argv[argv.index("--stories") + 1]) if "--stories" in argv else 10_000
    only = argv[argv.index("--only") + 1] if "--only" in argv else None
    if only in (None, "sqlite"):
        report(run_child("", stories))
    postgres = os.environ.get("BENCH_POSTGRES_URL", DEFAULT_POSTGRES)
    if only in (None, "postgresql") and postgres_database(postgres, create=True):
        try:
            report(run_child(postgres, stories))
        finally:
            postgres_database(postgres, create=False)


if __name__ == "__main__":
    main(sys.argv[1:])
