"""The site's pages in a real browser under its Content Security Policy: the reader's (home,
a story with comments, search, sign-up) and every desk page the URL conf serves, each loaded
with no CSP violation, console error or failed request."""

from datetime import timedelta

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from articles import claims, planning
from articles.newsletters import issues as newsletter_issues
from comments import moderation
from tests.browser.conftest import watch
from tests.comments.conftest import with_nickname
from tests.factories import NewsletterFactory, UserFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

# Desk URLs that are no page to look at: each is posted to (or downloads a file) from a page
# visited here.
NOT_PAGES = {
    "story_desk:autosave": "the editor's script posts the draft",
    "story_desk:release": "a POST: leaving the editor frees its lock",
    "story_desk:share-link-create": "a POST from the editor",
    "story_desk:share-link-revoke": "a POST from the editor",
    "story_desk:share-rerun": "a POST from the editor",
    "story_desk:note-post": "a POST from the editor's desk notes",
    "story_desk:note-resolve": "a POST from the editor's desk notes",
    "story_desk:note-reopen": "a POST from the editor's desk notes",
    "story_desk:note-colleagues": "JSON for the desk notes' script (test_desk_notes.py)",
    "story_desk:planning-move": "a POST from the item's page",
    "story_desk:planning-cancel": "a POST from the item's page",
    "story_desk:planning-assign": "a POST from the item's page",
    "story_desk:assignment-accept": "a POST from the reporter's dashboard",
    "story_desk:assignment-start": "a POST from the reporter's dashboard",
    "story_desk:assignment-decline": "the assigned reporter's own page: visited by them in "
    "test_newsroom_day.py, which fails on a policy violation too",
    "story_desk:restore": "a POST from the trash",
    "story_desk:claim-answer": "a POST from the claim's page",
    "story_desk:claim-publish": "a POST from the claim's page",
    "story_desk:claim-close": "a POST from the claim's page",
    "story_desk:claim-notice": "a POST from the claim's page",
    "story_desk:newsletter-test": "a POST from the issue's page",
    "story_desk:newsletter-schedule": "a POST from the issue's page",
    "story_desk:newsletter-unschedule": "a POST from the issue's page",
    "story_desk:newsletter-cancel": "a POST from the issue's page",
    "story_desk:newsletter-stop": "a POST from the issue's page",
    "story_desk:newsletter-progress": "JSON for the issue page's script (test_newsletters.py)",
    "story_desk:notification-read": "a POST from the inbox",
    "story_desk:notifications-read-all": "a POST from the inbox",
    "media:upload": "a POST from the photo list",
    "media:portrait": "a POST from the picker",
    "media:original": "the original file, downloaded",
}


def desk_url_names(resolver=None, namespace: str = "", prefix: str = ""):
    for entry in (resolver or get_resolver()).url_patterns:
        pattern = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from desk_url_names(entry, inner, pattern)
        elif isinstance(entry, URLPattern) and entry.name and pattern.startswith("desk/"):
            yield f"{namespace}{entry.name}"


@pytest.fixture
def site(desk, library_photo, editor):
    story = desk.story('해솔중공업 "LNG 운반선 3년치 일감 확보"', tags=["조선"])
    item = planning.create_item(
        actor=editor,
        slugline="조선 수주 기획",
        section=story.section,
        target_at=timezone.now() + timedelta(hours=5),
    )
    planning.assign(item, actor=editor, reporter=desk.reporter, due_at=item.target_at)
    commenter = with_nickname(UserFactory(email="commenter@example.com"), "조선업관찰자")
    comment = moderation.post_comment(story, author=commenter, body="수주 잔고가 궁금합니다.")
    moderation.post_comment(story, author=commenter, body="답글입니다.", parent=comment)
    claim = claims.record_claim(
        story,
        actor=editor,
        kind="reply",
        claimant="해솔중공업",
        received_on=timezone.localdate(),
        learned_on=timezone.localdate() - timedelta(days=120),
        notice_shown=True,
    )
    issue = newsletter_issues.create_issue(
        NewsletterFactory(name="아침 브리핑", slug="morning"),
        actor=editor,
        subject="조선 수주 소식",
        intro="안녕하세요.",
        article_ids=[story.pk],
    )
    return {
        "story": story,
        "claim": claim,
        "issue": issue,
        "comment": comment,
        "photo": library_photo(caption="거제 조선소", alt_text="도크의 LNG 운반선"),
        "draft": desk.story("휴지통에 버릴 초고", state="draft"),
        "item": item,
    }


def desk_pages(site) -> dict[str, str]:
    story, comment, issue = site["story"], site["comment"], site["issue"]
    return {
        "story_desk:dashboard": reverse("story_desk:dashboard"),
        "story_desk:new": reverse("story_desk:new"),
        "story_desk:edit": reverse("story_desk:edit", args=[story.pk]),
        "story_desk:preview": reverse("story_desk:preview", args=[story.pk]),
        "story_desk:history": reverse("story_desk:history", args=[story.pk]),
        "story_desk:decide": reverse("story_desk:decide", args=[story.pk, "unpublish"]),
        "story_desk:queue": reverse("story_desk:queue"),
        "story_desk:schedule": reverse("story_desk:schedule"),
        "story_desk:front": reverse("story_desk:front"),
        "story_desk:planning": reverse("story_desk:planning"),
        "story_desk:planning-new": reverse("story_desk:planning-new"),
        "story_desk:planning-item": reverse("story_desk:planning-item", args=[site["item"].pk]),
        "story_desk:claims": reverse("story_desk:claims"),
        "story_desk:claim": reverse("story_desk:claim", args=[site["claim"].pk]),
        "story_desk:claim-new": reverse("story_desk:claim-new", args=[story.pk]),
        "story_desk:newsletters": reverse("story_desk:newsletters"),
        "story_desk:newsletter": reverse("story_desk:newsletter", args=["morning"]),
        "story_desk:newsletter-new": reverse("story_desk:newsletter-new", args=["morning"]),
        "story_desk:newsletter-issue": reverse("story_desk:newsletter-issue", args=[issue.pk]),
        "story_desk:newsletter-preview": reverse("story_desk:newsletter-preview", args=[issue.pk]),
        "story_desk:newsletter-send": reverse("story_desk:newsletter-send", args=[issue.pk]),
        "story_desk:spike": reverse("story_desk:spike", args=[site["draft"].pk]),
        "story_desk:trash": reverse("story_desk:trash"),
        "story_desk:notifications": reverse("story_desk:notifications"),
        "story_desk:notification-settings": reverse("story_desk:notification-settings"),
        "media:list": reverse("media:list"),
        "media:edit": reverse("media:edit", args=[site["photo"].pk]),
        "media:picker": reverse("media:picker") + "?target=" + reverse("desk-profile"),
        "desk-profile": reverse("desk-profile"),
        "desk-staff": reverse("desk-staff"),
        "comment_desk:queue": reverse("comment_desk:queue") + "?tab=all",
        "comment_desk:comment": reverse("comment_desk:comment", args=[comment.pk]),
        "comment_desk:reader": reverse("comment_desk:reader", args=[comment.author_id]),
        "comment_desk:refused": reverse("comment_desk:refused"),
        "comment_desk:words": reverse("comment_desk:words"),
        "comment_desk:log": reverse("comment_desk:log"),
    }


def load(page, url: str) -> None:
    response = page.goto(url)
    assert response.status == 200, url
    # Lazy pictures load when they come into view.
    page.evaluate("() => window.scrollTo(0, document.body.scrollHeight)")
    page.wait_for_load_state("networkidle")
    assert page.problems == [], url


def test_every_desk_url_is_visited_or_said_to_be_no_page(site):
    assert sorted(set(desk_url_names()) - set(NOT_PAGES)) == sorted(desk_pages(site))


def test_reader_pages_load_without_a_policy_violation_or_console_error(
    browser, signed_in_page, live_server, site, reader
):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = watch(context.new_page())
        page.set_default_timeout(10_000)
        load(page, live_server.url + "/")
        load(page, live_server.url + site["story"].get_absolute_url())
        assert page.locator("article.comment").count() == 2
        load(page, live_server.url + reverse("articles:search") + "?q=운반선")
        assert page.get_by_role("link", name=site["story"].headline).count() >= 1
        load(page, live_server.url + reverse("account_signup"))
    finally:
        context.close()
    # A signed-in reader's story page adds the comment form and its script.
    page = watch(signed_in_page(with_nickname(reader, "솔빛독자")))
    load(page, live_server.url + site["story"].get_absolute_url())
    assert page.locator("#comment-body-new").is_visible()


def test_every_desk_page_loads_without_a_policy_violation_or_console_error(
    signed_in_page, live_server, site, editor, moderator
):
    editor_page = watch(signed_in_page(editor))
    moderator_page = watch(signed_in_page(moderator))
    for name, path in desk_pages(site).items():
        page = moderator_page if name.startswith("comment_desk:") else editor_page
        load(page, live_server.url + path)
