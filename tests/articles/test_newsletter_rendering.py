"""An issue as webmail shows it: styles inlined, tables no wider than 600 px, alt text on
every image, a text part, each recipient's own unsubscribe link."""

import re

import pytest

from articles.models import IssueStory, NewsletterIssue
from articles.newsletters import rendering
from tests.factories import NewsletterFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def issue(desk, library_photo):
    photo = library_photo(alt_text="반도체 공장 내부", caption="공장")
    first = desk.story(
        "반도체 수출 석 달째 증가",
        summary="수출이 늘었다.",
        photo_uses=[{"photo": photo.pk, "is_lead": True, "caption": "공장"}],
    )
    second = desk.story("환율 1,400원 돌파 <b>& 긴장</b>")
    gone = desk.story("내려간 기사", state="unpublished")
    issue = NewsletterIssue.objects.create(
        newsletter=NewsletterFactory(name="아침 브리핑"),
        subject="오늘의 경제",
        intro="안녕하세요.\n오늘 아침의 소식입니다.",
    )
    for position, story in enumerate([second, gone, first]):
        IssueStory.objects.create(issue=issue, article=story, position=position)
    return issue


def test_the_issue_shows_its_published_stories_in_the_editors_order_with_inlined_styles(issue):
    rendered = rendering.render_issue(issue)

    html = rendered.html
    assert html.index("환율 1,400원 돌파") < html.index("반도체 수출 석 달째 증가")
    assert "내려간 기사" not in html
    assert "내려간 기사" not in rendered.text
    assert "&lt;b&gt;&amp; 긴장&lt;/b&gt;" in html
    assert re.search(r"<td class=\"masthead\" style=([\"']).*?background:\s*#", html)
    headline = r"<a class=\"headline\" href=\"[^\"]+\" style=([\"']).*?font-size:\s*20px"
    assert re.search(headline, html)
    assert re.search(headline, html)
    # Only what cannot be inlined stays in a <style> block: the phone's media query.
    for block in re.findall(r"<style[^>]*>(.*?)</style>", html, flags=re.S):
        assert block.strip().startswith("@media")
    widths = [int(width) for width in re.findall(r'width="(\d+)"', html)]
    assert widths
    assert max(widths) <= 600
    images = re.findall(r"<img [^>]*>", html)
    assert images
    assert all(re.search(r'alt="[^"]+"', image) for image in images)
    assert 'alt="반도체 공장 내부"' in html
    assert "안녕하세요.<br>오늘 아침의 소식입니다." in html
    assert rendered.subject == "오늘의 경제"


def test_the_text_part_has_every_story_with_its_address(issue, settings):
    text = rendering.render_issue(issue).text

    assert "[기업과산업] 환율 1,400원 돌파 <b>& 긴장</b>" in text
    assert text.count(settings.SITE_URL + "/articles/") == 2
    assert "구독 해지" in text


def test_each_recipient_gets_their_own_unsubscribe_link_and_no_marker_is_left(issue):
    rendered = rendering.render_issue(issue)

    mail = rendering.message(
        rendered, to="reader@example.com", unsubscribe_url="https://news.example/u/a&b/"
    )

    html = mail.alternatives[0].content
    assert 'href="https://news.example/u/a&amp;b/"' in html
    assert "https://news.example/u/a&b/" in mail.body
    assert rendering.UNSUBSCRIBE_MARK not in html + mail.body
    assert rendering.OPEN_MARK not in html
    assert mail.to == ["reader@example.com"]


def test_open_tracking_adds_an_image_only_when_switched_on(issue, settings):
    assert "NEWSLETTER-OPEN-URL" not in rendering.render_issue(issue).html

    settings.NEWSLETTER_OPEN_TRACKING = True
    rendered = rendering.render_issue(issue)
    mail = rendering.message(
        rendered, to="r@example.com", unsubscribe_url="https://x/u/", open_url="https://x/o/1/"
    )

    assert '<img src="https://x/o/1/" width="1" height="1" alt=""' in mail.alternatives[0].content


def test_the_stories_take_four_queries_however_many(issue, django_assert_num_queries, desk):
    with django_assert_num_queries(4):
        rendering.issue_stories(NewsletterIssue.objects.get(pk=issue.pk))
    for number in range(5):
        IssueStory.objects.create(
            issue=issue, article=desk.story(f"기사 {number}"), position=10 + number
        )
    with django_assert_num_queries(4):
        stories = rendering.issue_stories(NewsletterIssue.objects.get(pk=issue.pk))
    assert len(stories) == 7
