"""The moderator's desk pages: who may open them, each queue and its fixed number of
queries, decisions one by one and in bulk, section limits (404 outside), the reader page,
the word list, the log, and what the author then sees on my page."""

import pytest
from django.urls import reverse

from articles.models import CommentMode
from comments import moderation
from comments.models import Comment, ModerationAction, Reason, WordRule
from newsroom import paging
from tests.comments.conftest import with_nickname
from tests.factories import CommentFactory, SectionFactory, UserFactory
from tests.pages import parse

pytestmark = pytest.mark.postgres

Status = Comment.Status
QUEUE = reverse("comment_desk:queue")


def rows(response) -> list[str]:
    return [
        element.one("p", cls="mod-body").text
        for element in parse(response).select("article", cls="mod-comment")
    ]


@pytest.fixture
def crowd(db):
    return [with_nickname(UserFactory(email=f"crowd{n}@example.com"), f"군중{n}") for n in range(3)]


@pytest.fixture
def held_story(desk):
    return desk.story("검토 기사", comment_mode=CommentMode.PREMODERATED)


@pytest.mark.parametrize("who", ["reader", "reporter", "editor"])
@pytest.mark.parametrize(
    "url",
    [
        QUEUE,
        reverse("comment_desk:log"),
        reverse("comment_desk:words"),
        reverse("comment_desk:comment", args=[1]),
        reverse("comment_desk:reader", args=[1]),
    ],
)
def test_staff_and_readers_without_the_moderator_role_get_403(client, request, who, url):
    client.force_login(request.getfixturevalue(who))

    assert client.get(url).status_code == 403


def test_bulk_posts_need_the_moderator_role_too(client, editor, reader, post):
    comment = post(reader, "편집자는 못 지운다")
    client.force_login(editor)

    response = client.post(QUEUE, {"decision": "reject", "reason": "spam", "comment": comment.pk})

    assert response.status_code == 403
    assert Comment.objects.get(pk=comment.pk).status == Status.PUBLISHED


def test_an_anonymous_visitor_is_sent_to_log_in(client):
    response = client.get(QUEUE)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_the_desk_menu_shows_comments_to_moderators_only(client, moderator, editor):
    client.force_login(moderator)
    assert parse(client.get(reverse("story_desk:dashboard"))).select("a", href=QUEUE)
    client.force_login(editor)
    assert not parse(client.get(reverse("story_desk:dashboard"))).select("a", href=QUEUE)


def test_each_queue_lists_its_comments(
    client, moderator, reader, other_reader, crowd, post, held_story, settings
):
    settings.COMMENTS_REPORTS_TO_HIDE = 10
    held = moderation.post_comment(held_story, author=reader, body="대기 댓글")
    shown = post(reader, "게시 댓글")
    reported_once = post(other_reader, "신고 하나")
    reported_twice = post(other_reader, "신고 둘")
    moderation.report(reported_once, reporter=crowd[0], reason="spam")
    for reporter in crowd[:2]:
        moderation.report(reported_twice, reporter=reporter, reason="defamation")
    rejected = post(reader, "삭제 댓글")
    moderation.reject(rejected, actor=moderator, reason="attack")
    blinded = post(reader, "임시조치 댓글")
    moderation.blind(blinded, actor=moderator, claimant="김", claim="명예훼손")
    client.force_login(moderator)

    assert rows(client.get(QUEUE)) == [held.body]
    reported = client.get(QUEUE, {"tab": "reported"})
    assert rows(reported) == ["신고 둘", "신고 하나"]
    assert "명예훼손 2" in parse(reported).select("p", cls="mod-reasons")[0].text
    assert rows(client.get(QUEUE, {"tab": "rejected"})) == ["삭제 댓글"]
    assert rows(client.get(QUEUE, {"tab": "blinded"})) == ["임시조치 댓글"]
    assert set(rows(client.get(QUEUE, {"tab": "all"}))) == {
        c.body for c in (held, shown, reported_once, reported_twice, rejected, blinded)
    }


def test_a_queue_shows_the_authors_record_and_the_moderators_notes(
    client, moderator, reader, held_story
):
    moderation.post_comment(held_story, author=reader, body="대기 댓글")
    moderation.add_note(reader, actor=moderator, text="예전에도 도배")
    client.force_login(moderator)

    row = parse(client.get(QUEUE)).one("article", cls="mod-comment")

    assert "솔빛독자" in row.one("span", cls="mod-author").text
    assert "승인 0 · 삭제 0" in row.text
    assert "예전에도 도배" in row.one("ul", cls="mod-notes").text
    assert "승인 후 게시 기사" in row.one("span", cls="mod-hold").text


def test_a_queue_filters_by_section_and_story(client, moderator, reader, desk, post):
    other = SectionFactory(name="국제", slug="world")
    world = desk.story("국제 기사", section=other)
    post(reader, "산업 댓글")
    post(reader, "국제 댓글", on=world)
    client.force_login(moderator)

    assert rows(client.get(QUEUE, {"tab": "all", "section": other.pk})) == ["국제 댓글"]
    assert rows(client.get(QUEUE, {"tab": "all", "story": world.pk})) == ["국제 댓글"]


def test_the_section_filter_lists_sections_in_tree_order(client, moderator, db):
    SectionFactory(name="경제", slug="economy", order=0)
    world = SectionFactory(name="국제", slug="world", order=1)
    SectionFactory(name="아시아", slug="asia", order=0, parent=world)
    client.force_login(moderator)

    picker = parse(client.get(QUEUE)).one("select", id="mod-section")
    assert [option.text for option in picker.select("option")][1:] == [
        "경제",
        "국제",
        "국제 › 아시아",
    ]


@pytest.mark.parametrize("tab", ["pending", "reported", "rejected", "blinded", "all"])
def test_every_queue_runs_the_same_queries_whatever_its_length(
    client, moderator, held_story, tab, django_assert_num_queries, settings
):
    settings.COMMENTS_REPORTS_TO_HIDE = 100
    authors = [
        with_nickname(UserFactory(email=f"queue{n}@example.com"), f"대기열{n}") for n in range(30)
    ]
    client.force_login(moderator)
    counts = []
    for number in (1, 30):
        Comment.objects.all().delete()
        for author in authors[:number]:
            comment = moderation.post_comment(held_story, author=author, body=f"{author.nickname}")
            Comment.objects.filter(pk=comment.pk).update(
                status={"rejected": Status.REJECTED, "blinded": Status.BLINDED}.get(
                    tab, Status.PENDING
                ),
                open_reports=1 if tab == "reported" else 0,
            )
            moderation.add_note(author, actor=moderator, text="메모")
        client.get(QUEUE, {"tab": tab})
        with django_assert_num_queries(QUEUE_QUERIES) as captured:
            response = client.get(QUEUE, {"tab": tab})
        counts.append(len(captured))
        assert len(rows(response)) == min(number, 25)
    assert counts[0] == counts[1]


def test_a_long_queue_is_counted_no_further_than_the_cap(
    client, moderator, held_story, monkeypatch
):
    monkeypatch.setattr(paging, "COUNT_CAP", 40)
    CommentFactory.create_batch(60, story=held_story, status=Status.PENDING)
    CommentFactory.create_batch(3, story=held_story, status=Status.REJECTED)
    client.force_login(moderator)

    page = parse(client.get(QUEUE))
    tabs = {
        label: count
        for label, _, count in (
            link.text.rpartition(" ") for link in page.one("nav", cls="mod-tabs").select("a")
        )
    }
    assert tabs["검토 대기"] == "40+"
    assert tabs["삭제됨"] == "3"
    assert "2+쪽 중 1쪽" in page.one("nav", cls="pagination").text
    assert len(rows(client.get(QUEUE, {"page": 2}))) == 15


# Session, user, roles, the moderator's sections, the section filter's list, the four tab
# counts (each through its queue's index, newsroom.paging's cap), the page count, the page
# of comments (with story, section, author, standing), their reports and the authors' notes;
# the desk header's unread notifications.
QUEUE_QUERIES = 14


def test_a_moderator_rejects_several_comments_at_once_with_a_reason(
    client, moderator, reader, other_reader, post, mailoutbox, django_capture_on_commit_callbacks
):
    first, second, kept = post(reader, "광고1"), post(other_reader, "광고2"), post(reader, "정상")
    client.force_login(moderator)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            QUEUE + "?tab=all",
            {
                "decision": "reject",
                "reason": "spam",
                "note": "광고성 댓글",
                "comment": [first.pk, second.pk],
                "bulk": "1",
            },
        )

    assert response.status_code == 302
    assert response["Location"] == QUEUE + "?tab=all"
    statuses = dict(Comment.objects.values_list("body", "status"))
    assert statuses == {"광고1": "rejected", "광고2": "rejected", "정상": "published"}
    assert set(
        Comment.objects.filter(status=Status.REJECTED).values_list("rejection_reason", flat=True)
    ) == {"spam"}
    assert len(mailoutbox) == 2
    assert kept.pk not in ModerationAction.objects.filter(action="rejected").values_list(
        "comment", flat=True
    )


def test_a_bulk_rejection_without_a_reason_is_refused_in_the_bar_keeping_the_ticks(
    client, moderator, reader, post
):
    comment = post(reader, "사유 없이")
    client.force_login(moderator)

    response = client.post(
        QUEUE + "?tab=all",
        {"decision": "reject", "comment": comment.pk, "note": "광고", "bulk": "1"},
    )

    assert response.status_code == 400
    bar = parse(response).one("form", id="bulk-form")
    assert bar.one("p", id="bulk-reason-error").text == "댓글이 어긴 규칙(삭제 사유)을 고르세요."
    assert bar.one("input", id="bulk-note").attrs["value"] == "광고"
    assert "checked" in parse(response).one("input", id=f"pick-{comment.pk}").attrs
    assert Comment.objects.get(pk=comment.pk).status == Status.PUBLISHED


def options(select) -> list[tuple[str, str]]:
    return [(option.attrs["value"], option.text) for option in select.select("option")]


def test_every_row_that_can_be_rejected_offers_the_bulk_bars_reasons(
    client, moderator, reader, other_reader, post
):
    shown, rejected = post(reader, "게시 댓글"), post(other_reader, "삭제된 댓글")
    moderation.reject(rejected, actor=moderator, reason="spam")
    client.force_login(moderator)

    page = parse(client.get(QUEUE, {"tab": "all"}))

    bar_reasons = options(page.one("select", id="bulk-reason"))
    rules = [str(label) for _value, label in Reason.choices]
    assert [label for _value, label in bar_reasons[1:]] == rules
    row = page.one("article", id=f"comment-{shown.pk}")
    assert options(row.one("form").one("select", name="reason")) == bar_reasons
    assert not page.one("article", id=f"comment-{rejected.pk}").select("select")


def test_a_rows_reject_button_rejects_that_comment_alone_for_the_rows_reason(
    client, moderator, reader, other_reader, held_story
):
    one = moderation.post_comment(held_story, author=reader, body="하나")
    two = moderation.post_comment(held_story, author=other_reader, body="둘")
    client.force_login(moderator)
    row = parse(client.get(QUEUE)).one("article", id=f"comment-{one.pk}").one("form")
    fields = {field.attrs["name"]: field.attrs.get("value", "") for field in row.select("input")}

    response = client.post(QUEUE, {**fields, "reason": "spam", "decision": "reject"})

    assert response.status_code == 302
    assert response["Location"] == QUEUE
    assert Comment.objects.get(pk=one.pk).rejection_reason == "spam"
    assert Comment.objects.get(pk=two.pk).status == Status.PENDING


def test_a_rows_rejection_without_a_reason_is_refused_beside_its_picker(
    client, moderator, reader, other_reader, held_story
):
    one = moderation.post_comment(held_story, author=reader, body="하나")
    two = moderation.post_comment(held_story, author=other_reader, body="둘")
    client.force_login(moderator)

    response = client.post(QUEUE, {"comment": one.pk, "reason": "", "decision": "reject"})

    assert response.status_code == 400
    page = parse(response)
    picker = page.one("article", id=f"comment-{one.pk}").one("select", name="reason")
    assert picker.attrs["aria-invalid"] == "true"
    error = page.one("p", id=picker.attrs["aria-describedby"])
    assert error.text == "댓글이 어긴 규칙(삭제 사유)을 고르세요."
    assert error.parent.attrs["class"] == "mod-row-decision"
    assert not page.one("article", id=f"comment-{two.pk}").select("p", cls="form-error")
    assert not page.select("p", id="bulk-reason-error")
    assert Comment.objects.get(pk=one.pk).status == Status.PENDING


def test_a_rows_approve_button_needs_no_reason(client, moderator, reader, held_story):
    one = moderation.post_comment(held_story, author=reader, body="하나")
    client.force_login(moderator)

    client.post(QUEUE, {"comment": one.pk, "reason": "", "decision": "approve"})

    assert Comment.objects.get(pk=one.pk).status == Status.PUBLISHED


def test_the_comment_page_blinds_a_comment_with_the_claim(client, moderator, reader, post):
    comment = post(reader, "권리 침해 주장 댓글")
    client.force_login(moderator)
    url = reverse("comment_desk:comment", args=[comment.pk])

    response = client.post(
        url, {"action": "blind", "claimant": "홍길동", "claim": "명예훼손", "days": "30"}
    )

    assert response.status_code == 302
    assert Comment.objects.get(pk=comment.pk).status == Status.BLINDED
    page = parse(client.get(url))
    assert "홍길동" in page.text
    assert "임시조치" in page.text


def test_a_refused_action_on_the_comment_page_says_why(client, moderator, reader, post):
    comment = post(reader, "기간이 잘못된 임시조치")
    client.force_login(moderator)

    response = client.post(
        reverse("comment_desk:comment", args=[comment.pk]),
        {"action": "blind", "claimant": "홍길동", "claim": "명예훼손", "days": "45"},
    )

    assert response.status_code == 400
    assert "30일" in parse(response).one("p", cls="form-error").text


def test_the_reader_page_bans_with_reject_all(client, moderator, reader, post):
    post(reader, "도배1")
    post(reader, "도배2")
    client.force_login(moderator)
    url = reverse("comment_desk:reader", args=[reader.pk])

    client.post(url, {"action": "suspend", "length": "ban", "reason": "spam", "reject_all": "1"})

    assert set(Comment.objects.values_list("status", flat=True)) == {Status.REJECTED}
    assert "영구 정지" in parse(client.get(url)).one("dl", cls="mod-record").text


def test_a_suspended_reader_is_told_until_when_under_the_story(client, moderator, reader, story):
    moderation.suspend(reader, actor=moderator, days=7, reason="attack")
    client.force_login(reader)

    # Their own block: the article page is the same for everyone.
    own = client.get(reverse("comments:block", args=[story.pk]))
    block = parse(own).one("section", id="comments")

    assert not block.select("textarea")
    assert "정지" in block.one("p", cls="comments-refusal").text


# --- section limits --------------------------------------------------------------------------


def test_a_section_limited_moderator_sees_and_acts_only_on_their_sections(
    client, limited, reader, other_reader, post, world
):
    mine = post(reader, "산업 댓글")
    theirs = post(other_reader, "국제 댓글", on=world)
    client.force_login(limited)

    assert rows(client.get(QUEUE, {"tab": "all"})) == ["산업 댓글"]
    assert client.get(reverse("comment_desk:comment", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("comment_desk:reader", args=[other_reader.pk])).status_code == 404
    response = client.post(
        QUEUE, {"decision": "reject", "reason": "spam", "comment": [mine.pk, theirs.pk]}
    )
    assert response.status_code == 404
    assert set(Comment.objects.values_list("status", flat=True)) == {Status.PUBLISHED}
    assert client.get(reverse("comment_desk:comment", args=[mine.pk])).status_code == 200


def test_a_section_limited_moderator_sees_but_cannot_change_the_word_list(client, limited):
    client.force_login(limited)
    url = reverse("comment_desk:words")

    assert "시발점" in client.get(url).content.decode()
    assert client.post(url, {"word": "새단어", "kind": "banned"}).status_code == 403
    assert not WordRule.objects.filter(word="새단어").exists()


# --- the word list and the log ---------------------------------------------------------------


def test_the_word_list_page_adds_and_removes_entries(client, moderator):
    client.force_login(moderator)
    url = reverse("comment_desk:words")

    client.post(url, {"word": "악플러", "kind": "suspect", "whole_word": "1"})
    rule = WordRule.objects.get(word="악플러")
    assert (rule.kind, rule.whole_word) == ("suspect", True)
    client.post(url, {"remove": rule.pk})
    assert not WordRule.objects.filter(word="악플러").exists()


def test_the_log_lists_every_action_and_filters_by_moderator_reader_story_and_action(
    client, moderator, reader, other_reader, post, world, django_assert_max_num_queries
):
    first = post(reader, "산업 댓글")
    second = post(other_reader, "국제 댓글", on=world)
    moderation.reject(first, actor=moderator, reason="profanity")
    moderation.suspend(other_reader, actor=moderator, days=3, reason="spam")
    moderation.report(second, reporter=reader, reason="spam")
    client.force_login(moderator)
    url = reverse("comment_desk:log")

    def actions(**query):
        page = parse(client.get(url, query))
        return [row.one("strong").text for row in page.one("tbody").select("tr")]

    assert actions()[:3] == ["신고", "이용 정지", "삭제(거부)"]
    assert actions(action="rejected") == ["삭제(거부)"]
    assert actions(moderator=moderator.pk) == ["이용 정지", "삭제(거부)"]
    assert actions(reader=other_reader.pk) == ["신고", "이용 정지", "등록"]
    assert actions(story=world.pk) == ["신고", "등록"]
    assert "욕설" in parse(client.get(url, {"action": "rejected"})).one("tbody").text


# --- what the author sees ----------------------------------------------------------------------


def test_a_rejected_comment_disappears_for_readers_and_its_author_sees_why(
    client, moderator, reader, story, post
):
    comment = post(reader, "삭제될 댓글")
    moderation.reject(comment, actor=moderator, reason="defamation", note="특정인 비방")

    assert "삭제될 댓글" not in client.get(story.get_absolute_url()).content.decode()
    client.force_login(reader)
    mine = parse(client.get(reverse("accounts:me"))).one("section", id="my-comments")
    assert "명예훼손" in mine.one("div", cls="my-removals").text
    assert "관리자 삭제: 명예훼손 (특정인 비방)" in mine.one("p", cls="my-comment-removed").text
