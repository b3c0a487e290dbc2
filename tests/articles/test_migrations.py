"""The articles app's migrations keep what is already there: links handed out before
ShareLink became PreviewLink, front-page history before FrontChange took the history shape."""

import pytest
from django.utils import timezone

from articles import preview_links
from articles.models import Article, FrontChange, PreviewLink
from tests.migrations import migrate, to_the_latest

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]

BEFORE_RENAME = [("articles", "0006_share_fanout")]
BEFORE_HISTORY_SHAPE = [("articles", "0007_rename_sharelink_to_previewlink")]


def test_links_made_before_the_rename_keep_their_rows_and_their_addresses():
    old = migrate(BEFORE_RENAME)
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

    to_the_latest()

    kept = PreviewLink.objects.get(pk=link.pk)
    assert (kept.article_id, kept.note, kept.opened_count) == (story.pk, "변호사", 3)
    assert Article.objects.get(pk=story.pk).preview_links.get() == kept
    assert preview_links.link_for(preview_links.token_for(kept)) == kept


def test_front_page_history_keeps_its_orders_in_the_shared_history_shape():
    old = migrate(BEFORE_HISTORY_SHAPE)
    section = old.get_model("articles", "Section").objects.create(name="경제", slug="economy")
    change = old.get_model("articles", "FrontChange").objects.create(
        section=section, page_name="경제", before=[3, 1], after=[1, 3, 7], actor_name="오세훈"
    )

    to_the_latest()

    kept = FrontChange.objects.get(pk=change.pk)
    assert (kept.page_name, kept.actor_name, kept.section_id) == ("경제", "오세훈", section.pk)
    assert (kept.action, kept.before, kept.after) == ("curated", [3, 1], [1, 3, 7])
    assert kept.get_action_display() == "첫 화면 변경"

    old = migrate(BEFORE_HISTORY_SHAPE)
    back = old.get_model("articles", "FrontChange").objects.get(pk=change.pk)
    assert (back.before, back.after) == ([3, 1], [1, 3, 7])
    to_the_latest()
