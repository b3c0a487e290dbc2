"""Renaming ShareLink to PreviewLink keeps every link already handed out."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from articles import preview_links
from articles.models import Article, PreviewLink

BEFORE = [("articles", "0006_share_fanout")]
AFTER = [("articles", "0007_rename_sharelink_to_previewlink")]


@pytest.mark.django_db(transaction=True)
def test_links_made_before_the_rename_keep_their_rows_and_their_addresses():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    section = old.get_model("articles", "Section").objects.create(name="경제", slug="economy")
    story = old.get_model("articles", "Article").objects.create(
        section=section, headline="이전 링크", slug="이전-링크"
    )
    now = timezone.now()
    link = old.get_model("articles", "ShareLink").objects.create(
        article=story,
        note="변호사",
        created_by_name="오세훈",
        created_at=now,
        expires_at=now + timezone.timedelta(hours=24),
        opened_count=3,
    )

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    kept = PreviewLink.objects.get(pk=link.pk)
    assert (kept.article_id, kept.note, kept.opened_count) == (story.pk, "변호사", 3)
    assert Article.objects.get(pk=story.pk).preview_links.get() == kept
    assert preview_links.link_for(preview_links.token_for(kept)) == kept
