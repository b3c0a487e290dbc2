"""The articles app's migrations keep what is already there: links handed out before
ShareLink became PreviewLink, front-page history before FrontChange took the history shape,
return e-mails sent before the notifications, webhook endpoints registered before partners
owned them."""

import pytest
from django.utils import timezone

from articles import preview_links, tasks
from articles.models import Article, FrontChange, Notification, PreviewLink, WebhookEndpoint
from tests.migrations import migrate, to_the_latest

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]

BEFORE_RENAME = [("articles", "0006_share_fanout")]
BEFORE_HISTORY_SHAPE = [("articles", "0007_rename_sharelink_to_previewlink")]
BEFORE_NOTIFICATIONS = [("articles", "0013_desk_notes")]
BEFORE_ENDPOINT_PARTNERS = [("articles", "0019_newsletters")]


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


def test_return_emails_sent_before_the_notifications_become_read_emailed_notifications():
    old = migrate(BEFORE_NOTIFICATIONS)
    User = old.get_model("accounts", "User")
    reporter = User.objects.create(email="reporter@example.com")
    editor = User.objects.create(email="editor@example.com")
    section = old.get_model("articles", "Section").objects.create(name="경제", slug="economy")
    story = old.get_model("articles", "Article").objects.create(
        section=section, headline="돌려보낸 기사", slug="돌려보낸-기사", created_by=reporter
    )
    event = old.get_model("articles", "ArticleEvent").objects.create(
        article=story,
        headline="돌려보낸 기사",
        action="return",
        from_status="submitted",
        to_status="returned",
        actor=editor,
        actor_name="오세훈",
        note="출처를 밝혀 주세요.",
    )
    sent_at = timezone.now()
    old.get_model("articles", "EventMail").objects.create(
        event=event, recipients=["Reporter@example.com", "gone@example.com"], sent_at=sent_at
    )

    to_the_latest()

    [told] = Notification.objects.all()
    assert (told.recipient_id, told.kind, told.key) == (
        reporter.pk,
        "returned",
        f"article-event:{event.pk}",
    )
    assert (told.article_id, told.actor_id, told.actor_name) == (story.pk, editor.pk, "오세훈")
    assert (told.title, told.data) == ("돌려보낸 기사", {"note": "출처를 밝혀 주세요."})
    assert told.read_at == told.emailed_at == sent_at
    # A message of the retired task still in the outbox finds the reporter told.
    assert tasks.notify_returned(story.pk, event.pk) == 0
    assert Notification.objects.count() == 1


def test_endpoints_registered_before_partners_owned_them_go_to_the_partner_of_their_name():
    old = migrate(BEFORE_ENDPOINT_PARTNERS)
    Partner = old.get_model("articles", "Partner")
    naver = Partner.objects.create(name="Naver 뉴스", key_prefix="nrk_aaaa", key_hash="a" * 64)
    Partner.objects.create(name="다음 뉴스", key_prefix="nrk_bbbb", key_hash="b" * 64)
    old_endpoints = old.get_model("articles", "WebhookEndpoint")
    named = old_endpoints.objects.create(
        name=" naver  뉴스", url="https://naver.example/", events=["published"], secret="s1"
    )
    unknown = old_endpoints.objects.create(
        name="옛 제휴처", url="https://old.example/", events=["published"], secret="s2"
    )

    to_the_latest()

    assert WebhookEndpoint.objects.get(pk=named.pk).partner_id == naver.pk
    # No owner is guessed: it keeps being delivered until an administrator assigns it.
    assert WebhookEndpoint.objects.get(pk=unknown.pk).partner_id is None
