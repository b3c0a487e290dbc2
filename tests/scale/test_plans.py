"""At scale, the article page, a section's pages and the comment block reach the big tables
through their indexes: every query each page runs is EXPLAIN ANALYZEd on the generated
archive (100,000 stories, 1,000,000 comments, analysed), and none reads a big table whole. Marked
`scale`: run by `make bench-scale` after benchmarks/scale.py, never by make test or CI."""

import json
import urllib.parse

import pytest
from django.db import connection
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext

from articles import selectors as story_selectors
from articles.models import Article, Section
from articles.pagination import PAGE_SIZE
from comments import selectors
from comments.models import Comment
from tests.scale.conftest import ON_THE_ARCHIVE

pytestmark = [
    pytest.mark.scale,
    pytest.mark.django_db,
    pytest.mark.skipif(not ON_THE_ARCHIVE, reason="needs the generated archive: make bench-scale"),
]

# Tables that grow with the archive: reading one whole is what must never happen.
BIG = {
    "articles_article",
    "articles_article_tags",
    "articles_articleevent",
    "articles_byline",
    "articles_photouse",
    "articles_revision",
    "articles_searchentry",
    "accounts_user",
    "comments_comment",
    "comments_commentreport",
    "comments_commentvote",
    "comments_moderationaction",
    "media_photo",
    "media_rendition",
}
INDEXED = {"Index Scan", "Index Only Scan", "Bitmap Index Scan"}
FETCH = {"HTTP_X_REQUESTED_WITH": "fetch"}


def nodes(plan: dict):
    yield plan
    for child in plan.get("Plans", []):
        yield from nodes(child)


def plans_of(path: str, **headers) -> list[tuple[str, list[dict]]]:
    """(SQL, its plan's nodes as run) for every query the page runs."""
    client = Client()
    client.get(path, **headers)  # the section tree and the like, read once per process
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, **headers)
    assert response.status_code == 200, path
    found = []
    with connection.cursor() as cursor:
        for query in queries.captured_queries:
            sql = query["sql"]
            if not sql.lstrip().upper().startswith(("SELECT", "WITH")):
                continue
            cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql)
            raw = cursor.fetchone()[0]
            plan = (json.loads(raw) if isinstance(raw, str) else raw)[0]["Plan"]
            found.append((sql, list(nodes(plan))))
    return found


def rows_read(node: dict) -> float:
    """The rows a scan went through: those it gave and those its filter dropped."""
    kept = node.get("Actual Rows", 0) + node.get("Rows Removed by Filter", 0)
    return kept * node.get("Actual Loops", 1)


def table_rows() -> dict[str, float]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, reltuples FROM pg_class WHERE relname = ANY(%s)", [list(BIG)]
        )
        return dict(cursor.fetchall())


def assert_indexed(path: str, **headers) -> None:
    """No query of the page reads a big table whole (a sequential scan, or any scan going
    through more than a twentieth of the table's rows), and the page's big tables are read
    through an index."""
    sizes = table_rows()
    whole, indexed = [], set()
    for sql, found in plans_of(path, **headers):
        for node in found:
            table = node.get("Relation Name")
            if table not in BIG:
                continue
            if node["Node Type"] == "Seq Scan" or rows_read(node) > sizes[table] / 20:
                whole.append(
                    f"{table} ({node['Node Type']}, {rows_read(node):,.0f} rows): {sql[:300]}"
                )
            elif node["Node Type"] in INDEXED:
                indexed.add(table)
    assert not whole, f"{path} reads a big table whole:\n" + "\n".join(whole)
    assert indexed, f"{path} reads no big table through an index"


@pytest.fixture(scope="module")
def archive(django_db_blocker):
    with django_db_blocker.unblock():
        assert Article.objects.count() >= 50_000, "not the generated archive at scale"
        threads = (
            Comment.objects.filter(parent__isnull=True, status=Comment.Status.PUBLISHED)
            .values("story")
            .annotate(total=Count("pk"))
        )
        hot = Article.objects.get(pk=threads.order_by("-total").values_list("story", flat=True)[0])
        few = Article.objects.get(
            pk=threads.filter(total__range=(18, 22)).values_list("story", flat=True)[0]
        )
        tree = story_selectors.section_tree()
        section = max(
            Section.objects.filter(parent=None, is_active=True),
            key=lambda top: Article.objects.filter(section__in=tree.below(top)).count(),
        )
        moment, pk = (
            story_selectors.in_section(section, tree)
            .order_by("-published_at", "-id")
            .values_list("published_at", "pk")[499 * PAGE_SIZE - 1]
        )
        last = {
            sort: selectors.block(hot.pk, sort=sort, page=10**6).page for sort in selectors.SORTS
        }
    return {
        "hot": hot,
        "few": few,
        "section": section,
        "before": f"{moment.isoformat()}_{pk}",
        "last": last,
    }


def test_the_article_page_reads_the_archive_through_indexes(archive):
    assert_indexed(archive["few"].get_absolute_url())
    assert_indexed(archive["hot"].get_absolute_url())


def test_a_sections_first_page_and_its_page_500_read_the_archive_through_indexes(archive):
    path = archive["section"].get_absolute_url()

    assert_indexed(path)
    assert_indexed(f"{path}?{urllib.parse.urlencode({'before': archive['before']})}")


@pytest.mark.parametrize("sort", sorted(selectors.SORTS))
def test_the_comment_block_reads_20000_comments_through_indexes_first_and_last_page(archive, sort):
    block = f"/articles/{archive['hot'].pk}/comments/"

    assert_indexed(f"{block}?csort={sort}", **FETCH)
    assert_indexed(f"{block}?csort={sort}&cpage={archive['last'][sort]}", **FETCH)
    assert_indexed(f"/articles/{archive['few'].pk}/comments/?csort={sort}", **FETCH)
