"""The search index of published stories: written here, from articles.workflow inside the
transaction that publishes, updates, corrects or unpublishes a story (so the index never
disagrees with what readers can see), and the database-specific condition that finds them.

The indexes themselves are in migration 0003_search (why two paths: articles/search/text.py).
"""

from django.db import connection
from django.db.models import Q
from django.db.models.expressions import RawSQL
from django.utils import timezone

from articles.models import Article, SearchEntry
from articles.search import text as search_text
from articles.search.text import Query


def index_story(article: Article) -> None:
    """Write (or rewrite) a published story's entry: one upsert."""
    fields = search_text.entry(article.headline, article.subheadline, article.summary, article.body)
    SearchEntry.objects.bulk_create(
        [SearchEntry(article_id=article.pk, indexed_at=timezone.now(), **fields)],
        update_conflicts=True,
        unique_fields=["article"],
        update_fields=[*fields, "indexed_at"],
    )


def drop_story(article: Article) -> None:
    """The story leaves search (it was taken down)."""
    SearchEntry.objects.filter(article_id=article.pk).delete()


def rebuild() -> int:
    """Every published story written again, and entries of any other story removed (after a
    restore from backup, or a change to search_text). Returns the number indexed. Each story
    is its own statement: a story unpublished meanwhile may keep an entry until the next
    rebuild, which is harmless, as results are only ever published stories."""
    SearchEntry.objects.exclude(article__status=Article.Status.PUBLISHED).delete()
    count = 0
    for article in Article.objects.filter(status=Article.Status.PUBLISHED).iterator(chunk_size=500):
        index_story(article)
        count += 1
    return count


def matching(query: Query) -> Q:
    """Stories whose entry holds every term of the query."""
    sql, params = candidates(query)
    return Q(pk__in=RawSQL(sql, params))


def candidates(query: Query) -> tuple[str, list]:
    """The SQL (and its parameters) selecting the ids of the stories holding every term,
    through an index on both databases: long terms (3+ characters) through the trigram
    index, short ones through the gram index."""
    long_terms, short_terms = query.long_terms, query.short_terms
    if connection.vendor == "sqlite":
        # FTS5 tables (migration 0003); the terms are quoted strings, never FTS5 syntax.
        selects, params = [], []
        if long_terms:
            selects.append(
                "SELECT rowid FROM article_search_trigram WHERE article_search_trigram MATCH %s"
            )
            params.append(search_text.fts5_match(long_terms))
        if short_terms:
            selects.append(
                "SELECT rowid FROM article_search_grams WHERE article_search_grams MATCH %s"
            )
            params.append(search_text.fts5_match(short_terms))
        return " INTERSECT ".join(selects), params
    # PostgreSQL. Long terms only: one LIKE per term, answered by pg_trgm's GIN index.
    likes = " AND ".join(["content LIKE %s"] * len(long_terms))
    like_params = [search_text.like_contains(term) for term in long_terms]
    if not short_terms:
        return f"SELECT article_id FROM articles_searchentry WHERE {likes}", like_params
    # With a short term, the gram index answers first, for the short terms and the pieces of
    # the long ones, and only the stories it finds are read for the long terms. MATERIALIZED
    # keeps that order: pg_trgm's LIKE estimates are far too low, so the planner would
    # otherwise start from a common long term and check every story holding it (10x slower
    # for "AI 반도체" on 10,000 stories; docs/benchmarks.md).
    in_grams = "FROM articles_searchentry WHERE article_search_grams(grams) @> %s::text[]"
    grams = [list(search_text.required_grams(query.terms))]
    if not long_terms:
        return f"SELECT article_id {in_grams}", grams
    return (
        f"WITH narrowed AS MATERIALIZED (SELECT article_id, content {in_grams}) "
        f"SELECT article_id FROM narrowed WHERE {likes}",
        grams + like_params,
    )
