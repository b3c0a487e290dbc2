"""The newsletters desk through the test client: who may open it, an editor composing,
previewing, test-sending and sending an issue that the in-process task delivers, the
progress and counts shown, the stale edit and the double submit, and the pages' query
counts."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from articles.models import IssueDelivery, IssueEvent, IssueStory, NewsletterIssue
from articles.newsletters import issues
from tests.factories import NewsletterFactory, SubscriptionFactory
from tests.pages import parse

pytestmark = pytest.mark.django_db

Status = NewsletterIssue.Status
LIST = "/desk/newsletters/"
SEOUL = ZoneInfo("Asia/Seoul")


@pytest.fixture
def newsletter(db):
    return NewsletterFactory(name="아침 브리핑", slug="morning")


@pytest.fixture
def subscribers(newsletter):
    SubscriptionFactory(newsletter=newsletter, status="pending", confirmed_at=None)
    return [SubscriptionFactory(newsletter=newsletter) for _ in range(2)]


@pytest.fixture
def stories(desk):
    return [desk.story("반도체 수출 석 달째 증가"), desk.story("환율 1,400원 돌파")]


@pytest.fixture
def draft(newsletter, editor, stories):
    return issues.create_issue(
        newsletter,
        actor=editor,
        subject="오늘의 경제",
        intro="안녕하세요.",
        article_ids=[story.pk for story in stories],
    )


def issue_url(issue, step: str = "") -> str:
    if not step:
        return reverse("story_desk:newsletter-issue", args=[issue.pk])
    return reverse(f"story_desk:newsletter-{step}", args=[issue.pk])


def form_data(issue, **changes) -> dict:
    picks = list(issue.picks.order_by("position").values_list("article_id", flat=True))
    data = {
        "subject": issue.subject,
        "intro": issue.intro,
        "version": issue.version,
        "pick": [str(pk) for pk in picks],
        **{f"order-{pk}": str(number) for number, pk in enumerate(picks, start=1)},
    }
    return data | changes


# --- who may open it ------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["reporter", "moderator", "reader"])
def test_only_editors_open_the_newsletters_desk(client, request, draft, newsletter, role):
    client.force_login(request.getfixturevalue(role))
    for url in (
        LIST,
        reverse("story_desk:newsletter", args=[newsletter.slug]),
        reverse("story_desk:newsletter-new", args=[newsletter.slug]),
        issue_url(draft),
        issue_url(draft, "preview"),
        issue_url(draft, "send"),
        issue_url(draft, "progress"),
    ):
        assert client.get(url).status_code == 403, url
    assert client.post(issue_url(draft, "send")).status_code == 403
    assert IssueDelivery.objects.count() == 0


def test_visitors_are_sent_to_log_in(client, draft):
    response = client.get(issue_url(draft))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_the_desk_menu_has_the_newsletters_tab_for_editors_only(client, editor, reporter):
    client.force_login(editor)
    nav = parse(client.get(LIST)).one("nav", cls="desk-nav")
    tab = [link for link in nav.select("a") if link.attrs.get("href") == LIST]
    assert [link.text.strip() for link in tab] == ["뉴스레터"]
    assert tab[0].attrs.get("aria-current") == "page"
    client.force_login(reporter)
    nav = parse(client.get(reverse("story_desk:dashboard"))).one("nav", cls="desk-nav")
    assert all(link.attrs.get("href") != LIST for link in nav.select("a"))


def test_an_unknown_newsletter_or_issue_is_missing(client, editor):
    client.force_login(editor)
    assert client.get("/desk/newsletters/no-such/").status_code == 404
    assert client.get("/desk/newsletters/issues/999/").status_code == 404


# --- the list and a newsletter's page ---------------------------------------------------------


def test_the_list_shows_each_newsletters_subscribers_and_last_issue(
    client, editor, draft, subscribers
):
    NewsletterFactory(name="산업 데일리", slug="industry-daily")
    client.force_login(editor)
    page = parse(client.get(LIST))
    rows = page.select("li", cls="newsletter-row")
    assert len(rows) == 2
    first = rows[0].text
    assert "아침 브리핑" in first
    assert "오늘의 경제" in first
    assert "작성 중" in first
    counts = [dd.text.strip() for dd in rows[0].select("dd")]
    assert counts == ["2", "1"]
    assert "아직 없음" in rows[1].text


def test_a_newsletters_page_lists_its_issues_newest_first(client, editor, draft, newsletter):
    later = issues.create_issue(
        newsletter, actor=editor, subject="저녁 소식", intro="", article_ids=[]
    )
    client.force_login(editor)
    page = parse(client.get(reverse("story_desk:newsletter", args=[newsletter.slug])))
    headlines = [link.text for link in page.select("a", cls="desk-headline")]
    assert headlines == [later.subject, draft.subject]


# --- composing --------------------------------------------------------------------------------


def test_fill_automatically_picks_the_stories_without_saving(client, editor, newsletter, stories):
    client.force_login(editor)
    url = reverse("story_desk:newsletter-new", args=[newsletter.slug])
    response = client.post(url, {"subject": "아침 소식", "intro": "", "fill": "1"})

    assert response.status_code == 200
    page = parse(response)
    ticked = [box.attrs["value"] for box in page.select("input") if "checked" in box.attrs]
    assert ticked == [str(stories[1].pk), str(stories[0].pk)]  # newest first
    assert page.one("input", name="subject").attrs["value"] == "아침 소식"
    assert "기사 2개를 골라 두었습니다" in page.text
    assert not NewsletterIssue.objects.exists()


def test_the_picks_follow_the_order_numbers(client, editor, newsletter, stories):
    client.force_login(editor)
    url = reverse("story_desk:newsletter-new", args=[newsletter.slug])
    first, second = stories
    response = client.post(
        url,
        {
            "subject": "아침 소식",
            "intro": "",
            "pick": [str(first.pk), str(second.pk)],
            f"order-{first.pk}": "2",
            f"order-{second.pk}": "1",
            "save": "1",
        },
    )
    issue = NewsletterIssue.objects.get()
    assert response["Location"] == issue_url(issue)
    assert list(IssueStory.objects.order_by("position").values_list("article", flat=True)) == [
        second.pk,
        first.pk,
    ]


def test_a_form_without_a_subject_is_given_back(client, editor, newsletter):
    client.force_login(editor)
    response = client.post(
        reverse("story_desk:newsletter-new", args=[newsletter.slug]), {"subject": ""}
    )
    assert response.status_code == 400
    assert not NewsletterIssue.objects.exists()


def test_a_stale_edit_is_refused_and_given_back(client, editor, second_editor, draft):
    opened = form_data(draft)
    issues.edit_issue(
        draft,
        actor=second_editor,
        version=draft.version,
        subject="다른 편집자의 제목",
        intro="",
        article_ids=opened["pick"],
    )
    client.force_login(editor)
    response = client.post(issue_url(draft), opened | {"subject": "내 제목", "save": "1"})

    assert response.status_code == 400
    page = parse(response)
    assert "김하늘 님이" in page.one("div", cls="form-errors").text
    assert page.one("input", name="subject").attrs["value"] == "내 제목"
    draft.refresh_from_db()
    assert draft.subject == "다른 편집자의 제목"
    # Saved again from what the page gave back, it goes through.
    version = page.one("input", name="version").attrs["value"]
    assert version == str(draft.version)
    client.post(issue_url(draft), opened | {"subject": "내 제목", "version": version, "save": "1"})
    draft.refresh_from_db()
    assert draft.subject == "내 제목"


def test_an_edit_of_an_issue_sent_meanwhile_is_refused(client, editor, draft, subscribers):
    opened = form_data(draft)
    issues.send_now(draft, actor=editor)
    client.force_login(editor)
    response = client.post(issue_url(draft), opened | {"subject": "늦은 수정", "save": "1"})
    assert response["Location"] == issue_url(draft)
    assert "발송 중" in parse(client.get(issue_url(draft))).one("ul", cls="messages").text
    draft.refresh_from_db()
    assert draft.subject == "오늘의 경제"


# --- end to end -------------------------------------------------------------------------------


def test_an_editor_composes_previews_tests_and_sends_an_issue(
    client, editor, newsletter, stories, subscribers, django_capture_on_commit_callbacks
):
    client.force_login(editor)
    new = reverse("story_desk:newsletter-new", args=[newsletter.slug])
    filled = parse(client.post(new, {"subject": "오늘의 경제", "intro": "", "fill": "1"}))
    ticked = [box.attrs["value"] for box in filled.select("input") if "checked" in box.attrs]
    response = client.post(
        new, {"subject": "오늘의 경제", "intro": "좋은 아침입니다.", "pick": ticked, "save": "1"}
    )
    issue = NewsletterIssue.objects.get()
    assert response["Location"] == issue_url(issue)

    page = parse(client.get(issue_url(issue)))
    assert page.one("a", href=issue_url(issue, "preview")).attrs["target"] == "_blank"

    preview = client.get(issue_url(issue, "preview"))
    assert preview.status_code == 200
    assert "환율 1,400원 돌파" in preview.content.decode()
    assert "sandbox" in preview["Content-Security-Policy"]
    assert "style-src 'unsafe-inline'" in preview["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in preview["Content-Security-Policy"]
    assert "script-src 'none'" in preview["Content-Security-Policy"]
    assert preview["X-Frame-Options"] == "DENY"

    client.post(issue_url(issue, "test"))
    [test] = mail.outbox
    assert test.to == [editor.email]
    assert test.subject == "[시험] 오늘의 경제"
    assert "List-Unsubscribe" not in test.extra_headers
    assert "/desk/newsletters/morning/" in test.alternatives[0].content

    confirm = parse(client.get(issue_url(issue, "send")))
    assert "구독자 2명에게 보낼까요?" in confirm.text

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(issue_url(issue, "send"))
    assert response["Location"] == issue_url(issue)
    sent = sorted(message.to[0] for message in mail.outbox[1:])
    assert sent == sorted(subscription.subscriber.email for subscription in subscribers)
    issue.refresh_from_db()
    assert issue.status == Status.SENT

    page = parse(client.get(issue_url(issue)))
    progress = page.one("section", cls="issue-progress")
    assert "2 / 2" in " ".join(progress.text.split())
    assert page.one("progress").attrs["value"] == "100"
    counts = {
        block.one("dt").text: block.one("dd").text
        for block in progress.one("dl", cls="delivery-counts").select("div")
    }
    assert counts["발송 완료"] == "2"
    assert counts["반송"] == "0"
    assert "열람" not in counts
    assert "열람 추적을 쓰지 않으며" in progress.text
    assert "중복 가능" not in counts


def test_opens_are_shown_when_open_tracking_is_on(
    client, editor, draft, subscribers, settings, django_capture_on_commit_callbacks
):
    settings.NEWSLETTER_OPEN_TRACKING = True
    with django_capture_on_commit_callbacks(execute=True):
        issues.send_now(draft, actor=editor)
    IssueDelivery.objects.filter(pk=IssueDelivery.objects.first().pk).update(
        opened_at=timezone.now()
    )
    client.force_login(editor)
    progress = parse(client.get(issue_url(draft))).one("section", cls="issue-progress")
    counts = {b.one("dt").text: b.one("dd").text for b in progress.select("div")}
    assert counts["열람"] == "1"
    assert "열람 추적을 쓰지 않으며" not in progress.text


def test_while_sending_the_page_polls_its_progress(client, editor, draft, subscribers):
    # Committed without running the tasks: the issue stays sending, nothing sent yet.
    issues.send_now(draft, actor=editor)
    client.force_login(editor)
    page = parse(client.get(issue_url(draft)))
    box = page.one("section", cls="issue-progress")
    assert box.attrs["data-progress-url"] == issue_url(draft, "progress")
    assert "0 / 2" in " ".join(box.text.split())
    assert any(
        "newsletter-progress" in script.attrs.get("src", "") for script in page.select("script")
    )
    assert page.one("a", href=issue_url(draft))  # the reload link without JavaScript

    answer = client.get(issue_url(draft, "progress")).json()
    assert answer == {"status": "sending", "total": 2, "sent": 0, "percent": 0}


def test_a_double_submit_of_send_now_sends_once(
    client, editor, draft, subscribers, django_capture_on_commit_callbacks
):
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(issue_url(draft, "send"))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(issue_url(draft, "send"))
    assert IssueEvent.objects.filter(issue=draft, action="sending").count() == 1
    assert len(mail.outbox) == 2


def test_sending_without_subscribers_is_refused_on_the_page(client, editor, draft):
    client.force_login(editor)
    confirm = parse(client.get(issue_url(draft, "send")))
    assert "보낼 곳이 없습니다" in confirm.text
    assert not confirm.one("form", cls="send-confirm").select("button")
    response = client.post(issue_url(draft, "send"), follow=True)
    assert "보낼 곳이 없습니다" in parse(response).text
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


def test_the_schedule_is_read_in_korean_time_and_cancelled(client, editor, draft, clock):
    client.force_login(editor)
    client.post(issue_url(draft, "schedule"), {"send_at": "2025-03-03T18:30"})
    draft.refresh_from_db()
    assert draft.status == Status.SCHEDULED
    assert draft.send_at == datetime(2025, 3, 3, 18, 30, tzinfo=SEOUL)
    page = parse(client.get(issue_url(draft)))
    assert page.one("input", name="send_at").attrs["value"] == "2025-03-03T18:30"

    client.post(issue_url(draft, "unschedule"))
    draft.refresh_from_db()
    assert (draft.status, draft.send_at) == (Status.DRAFT, None)

    response = client.post(issue_url(draft, "cancel"), {"note": "기사 교체"})
    assert response["Location"] == reverse("story_desk:newsletter", args=["morning"])
    draft.refresh_from_db()
    assert draft.status == Status.CANCELLED


def test_a_time_gone_by_is_said_on_the_page(client, editor, draft, clock):
    client.force_login(editor)
    past = (timezone.localtime() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(issue_url(draft, "schedule"), {"send_at": past}, follow=True)
    assert "지금 이후의 시각을 고르세요" in parse(response).text
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


# --- query counts -------------------------------------------------------------------------------


LIST_QUERIES = 5
NEWSLETTER_QUERIES = 6
COMPOSE_QUERIES = 8
ISSUE_QUERIES = 7


@pytest.mark.parametrize("count", [1, 20])
def test_the_list_runs_the_same_queries_however_many_newsletters(
    client, editor, django_assert_num_queries, count
):
    for number in range(count):
        letter = NewsletterFactory()
        SubscriptionFactory(newsletter=letter)
        NewsletterIssue.objects.create(newsletter=letter, subject=f"호 {number}")
    client.force_login(editor)
    with django_assert_num_queries(LIST_QUERIES):
        response = client.get(LIST)
    assert len(parse(response).select("li", cls="newsletter-row")) == count


@pytest.mark.parametrize("count", [1, 20])
def test_a_newsletters_page_runs_the_same_queries_however_many_issues(
    client, editor, newsletter, stories, subscribers, django_assert_num_queries, count
):
    for number in range(count):
        issue = issues.create_issue(
            newsletter,
            actor=editor,
            subject=f"호 {number}",
            intro="",
            article_ids=[story.pk for story in stories],
        )
    issues.send_now(issue, actor=editor)
    client.force_login(editor)
    with django_assert_num_queries(NEWSLETTER_QUERIES):
        response = client.get(reverse("story_desk:newsletter", args=[newsletter.slug]))
    assert len(parse(response).select("li", cls="issue-row")) == count


@pytest.mark.parametrize("count", [1, 20])
def test_the_composing_page_runs_the_same_queries_however_many_stories(
    client, editor, newsletter, desk, django_assert_num_queries, count
):
    stories = [desk.story(f"기사 {number}") for number in range(count)]
    issue = issues.create_issue(
        newsletter,
        actor=editor,
        subject="호",
        intro="",
        article_ids=[story.pk for story in stories],
    )
    client.force_login(editor)
    with django_assert_num_queries(COMPOSE_QUERIES):
        response = client.get(issue_url(issue))
    assert len(parse(response).one("table", cls="picker-table").select("tr")) == count + 1


@pytest.mark.parametrize("count", [1, 20])
def test_a_sent_issues_page_runs_the_same_queries_however_many_recipients(
    client, editor, draft, newsletter, django_assert_num_queries, count
):
    for _number in range(count):
        SubscriptionFactory(newsletter=newsletter)
    issues.send_now(draft, actor=editor)
    client.force_login(editor)
    with django_assert_num_queries(ISSUE_QUERIES):
        client.get(issue_url(draft))


def test_an_editor_stops_an_issue_while_it_sends_and_sees_who_was_left_out(
    client, editor, draft, subscribers, django_capture_on_commit_callbacks
):
    client.force_login(editor)
    with django_capture_on_commit_callbacks():  # sending started, no batch has run yet
        issues.send_now(draft, actor=editor)
    page = parse(client.get(issue_url(draft)))
    stop = page.one("form", action=issue_url(draft, "stop"))
    assert "발송 중지" in stop.text

    response = client.post(issue_url(draft, "stop"))

    assert response["Location"] == issue_url(draft)
    draft.refresh_from_db()
    assert draft.status == Status.CANCELLED
    after = parse(client.get(issue_url(draft)))
    assert not after.select("form", action=issue_url(draft, "stop"))
    counts = {
        block.one("dt").text: block.one("dd").text
        for block in after.one("dl", cls="delivery-counts").select("div")
    }
    assert counts["발송 완료"] == "0"
    assert counts["발송 안 함"] == "2"
    assert mail.outbox == []


def test_a_new_issue_s_subject_starts_as_the_newsletter_and_the_day(client, editor, newsletter):
    client.force_login(editor)
    new = reverse("story_desk:newsletter-new", args=[newsletter.slug])
    today = timezone.localdate()

    shown = parse(client.get(new)).one("input", name="subject")
    filled = parse(client.post(new, {"subject": "", "intro": "", "fill": "1"}))

    expected = f"아침 브리핑 {today.month}월 {today.day}일"
    assert shown.attrs["value"] == expected
    assert filled.one("input", name="subject").attrs["value"] == expected


def test_the_send_page_says_whether_a_test_was_sent(client, editor, draft, subscribers):
    client.force_login(editor)

    before = parse(client.get(issue_url(draft, "send"))).text
    issues.send_test(draft, actor=editor)
    after = parse(client.get(issue_url(draft, "send"))).text

    assert "아직 시험 발송을 하지 않았습니다" in before
    assert "시험 발송:" in after
    assert "아직 시험 발송을 하지 않았습니다" not in after
