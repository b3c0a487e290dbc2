"""Comments the word rules refuse are kept for the moderators: the reader is told which part
of their own text was refused, the desk lists the attempts (scoped like the queue) with the
match marked, a moderator who keeps the word list marks an innocent one (its word becomes a
logged exception), and the daily job forgets them after COMMENTS_REFUSED_KEEP_DAYS. Held
comments show the suspect word's match too."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from comments import errors, moderation
from comments.models import (
    Comment,
    ModerationAction,
    RefusedComment,
    WordRule,
)
from newsroom.celery import PERIODIC_JOBS
from newsroom.celery import app as celery_app
from tests.comments.conftest import with_nickname
from tests.factories import UserFactory
from tests.pages import parse

pytestmark = pytest.mark.postgres

Status = Comment.Status
REFUSED = reverse("comment_desk:refused")
QUEUE = reverse("comment_desk:queue")


@pytest.fixture
def refuse(story):
    """`refuse(author, text, on=story, parent=None)`: a post the word rules refuse, through
    comments.moderation; the attempt it kept."""

    def write(author, text, *, on=None, parent=None):
        with pytest.raises(errors.BannedWord):
            moderation.post_comment(on or story, author=author, body=text, parent=parent)
        return RefusedComment.objects.filter(author=author).first()

    return write


def marks(response) -> list[str]:
    return [mark.text for mark in parse(response).select("mark")]


def as_written(element) -> str:
    """An element's text as the reader wrote it: a <mark> inside adds no space."""
    return "".join(
        child if isinstance(child, str) else as_written(child) for child in element.children
    )


def listed(response) -> list[str]:
    return [
        as_written(row.one("p", cls="mod-body"))
        for row in parse(response).select("article", cls="mod-refused")
    ]


# --- posting -----------------------------------------------------------------------------------


def test_a_refused_comment_is_kept_and_the_reader_is_shown_their_own_spelling(
    client, reader, story
):
    client.force_login(reader)

    response = client.post(reverse("comments:post", args=[story.pk]), {"body": "아 씨1발 진짜"})

    assert response.status_code == 400
    assert "“씨1발”" in response.content.decode()
    attempt = RefusedComment.objects.get()
    assert (attempt.story, attempt.author, attempt.parent, attempt.body) == (
        story,
        reader,
        None,
        "아 씨1발 진짜",
    )
    assert (attempt.rule_word, attempt.rule_kind) == ("씨발", "banned")
    assert (attempt.span_start, attempt.span_end) == (2, 5)
    assert not Comment.objects.exists()
    assert not ModerationAction.objects.exists()


def test_the_refusal_names_the_match_as_the_reader_wrote_it(reader, post):
    with pytest.raises(errors.BannedWord) as refused:
        post(reader, "이건 tlqkf 아닌가")

    assert refused.value.word == "시발"
    assert "“tlqkf”" in refused.value.messages[0]


def test_a_drawn_out_match_is_named_by_its_ends():
    refused = errors.BannedWord("씨발", "씨" + "이" * 60 + "발")

    message = refused.messages[0]
    assert "“씨이이이" in message
    assert "이이이발”" in message
    assert "…" in message
    assert "이" * 40 not in message


def test_a_refused_reply_keeps_the_comment_it_answers(reader, other_reader, post, refuse):
    parent = post(other_reader, "반도체 경기가 돌아섰다는 분석")

    attempt = refuse(reader, "씨발 무슨 소리", parent=parent)

    assert attempt.parent == parent
    assert Comment.objects.get() == parent


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ("   ", errors.BlankComment),
        ("씨발 " + "가" * 250, errors.CommentTooLong),
    ],
)
def test_a_blank_or_too_long_post_keeps_no_attempt(reader, post, body, error):
    with pytest.raises(error):
        post(reader, body)

    assert not RefusedComment.objects.exists()


def test_a_throttled_reader_fills_no_list(reader, post, clock, comment_limits):
    comment_limits.COMMENTS_MIN_GAP_SECONDS = 15
    post(reader, "첫 댓글")

    with pytest.raises(errors.Throttled):
        post(reader, "씨발 또 쓴다")

    assert not RefusedComment.objects.exists()


def test_a_repeated_click_keeps_one_attempt(reader, refuse, story):
    refuse(reader, "씨발 진짜")
    refuse(reader, "씨발 진짜")

    assert RefusedComment.objects.count() == 1


def test_a_reader_trying_word_after_word_is_kept_only_up_to_the_daily_cap(
    reader, refuse, monkeypatch
):
    monkeypatch.setattr(moderation, "REFUSED_KEPT_PER_DAY", 2)

    for text in ("씨발 하나", "씨발 둘", "씨발 셋"):
        refuse(reader, text)

    assert sorted(RefusedComment.objects.values_list("body", flat=True)) == ["씨발 둘", "씨발 하나"]


# --- the desk's list ---------------------------------------------------------------------------


def test_a_moderator_sees_the_attempt_with_the_match_marked(
    client, moderator, reader, refuse, story
):
    refuse(reader, "아 씨1발 진짜")
    client.force_login(moderator)

    response = client.get(REFUSED)

    row = parse(response).one("article", cls="mod-refused")
    assert marks(response) == ["씨1발"]
    assert row.one("a", href=reverse("comment_desk:reader", args=[reader.pk])).text == "솔빛독자"
    assert row.one("a", cls="mod-story").attrs["href"] == story.get_absolute_url()
    assert row.one("span", cls="mod-rule").text == "금칙어: 씨발"
    assert row.one("time").text
    nav = parse(client.get(QUEUE)).one("nav", cls="moderation-nav")
    assert nav.one("a", href=REFUSED).text == "규칙에 걸린 댓글"


def test_the_list_is_newest_first(client, moderator, reader, other_reader, refuse):
    refuse(reader, "씨발 먼저")
    refuse(other_reader, "씨발 나중")
    client.force_login(moderator)

    assert listed(client.get(REFUSED)) == ["씨발 나중", "씨발 먼저"]


def test_the_readers_text_is_escaped_inside_and_outside_the_match(
    client, moderator, reader, refuse
):
    refuse(reader, "<script>alert(1)</script> 씨<i>발")
    client.force_login(moderator)

    html = client.get(REFUSED).content.decode()

    assert "<script>alert(1)" not in html
    assert "<i>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<mark>씨&lt;i&gt;발</mark>" in html


def test_a_section_limited_moderator_sees_only_their_sections_attempts(
    client, limited, reader, other_reader, refuse, world
):
    refuse(reader, "씨발 산업")
    refuse(other_reader, "씨발 국제", on=world)
    client.force_login(limited)

    assert listed(client.get(REFUSED)) == ["씨발 산업"]


@pytest.mark.parametrize("who", ["reader", "reporter", "editor"])
def test_staff_and_readers_without_the_moderator_role_get_403(client, request, who):
    client.force_login(request.getfixturevalue(who))

    assert client.get(REFUSED).status_code == 403
    assert client.post(REFUSED, {"refused": 1}).status_code == 403


def test_an_anonymous_visitor_is_sent_to_log_in(client):
    response = client.get(REFUSED)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_the_list_runs_the_same_queries_whatever_its_length(
    client, moderator, story, world, django_assert_num_queries
):
    authors = [
        with_nickname(UserFactory(email=f"try{n}@example.com"), f"시도{n}") for n in range(30)
    ]
    client.force_login(moderator)
    counts = []
    for number in (1, 30):
        RefusedComment.objects.all().delete()
        for n, author in enumerate(authors[:number]):
            RefusedComment.objects.create(
                story=story if n % 2 else world,
                author=author,
                body=f"씨발 {n}",
                rule_word="씨발",
                span_start=0,
                span_end=2,
            )
        client.get(REFUSED)
        with django_assert_num_queries(REFUSED_QUERIES) as captured:
            response = client.get(REFUSED)
        counts.append(len(captured))
        assert len(listed(response)) == min(number, 25)
    assert counts[0] == counts[1]


# Session, user, roles, the moderator's sections, the page count, the page of attempts
# (with story, reader and the comment replied to), the desk header's unread notifications.
REFUSED_QUERIES = 7


# --- "this was innocent" -----------------------------------------------------------------------


@pytest.fixture
def garbage_rule(moderator):
    """A banned word the moderators added, too broad: 쓰레기봉투 is no insult."""
    return moderation.add_word_rule("쓰레기", actor=moderator, kind="banned")


def test_marking_an_attempt_innocent_adds_its_word_as_a_logged_exception(
    client, moderator, reader, refuse, post, garbage_rule
):
    attempt = refuse(reader, "쓰레기봉투값이 또 올랐네요.")
    client.force_login(moderator)
    button = parse(client.get(REFUSED)).one("button", name="refused")
    assert "“쓰레기봉투값이” 예외로 추가" in button.text

    response = client.post(REFUSED, {"refused": attempt.pk}, follow=True)

    assert "예외 목록에 “쓰레기봉투값이” 단어를 넣었습니다." in response.content.decode()
    rule = WordRule.objects.get(kind="exception", word="쓰레기봉투값이")
    assert rule.created_by == moderator
    assert "쓰레기" in rule.note
    [logged] = ModerationAction.objects.filter(action="word_added", data__kind="exception")
    assert (logged.actor, logged.note) == (moderator, "쓰레기봉투값이")
    attempt.refresh_from_db()
    assert attempt.marked_innocent_by == moderator
    assert attempt.marked_innocent_at is not None
    row = parse(response).one("article", cls="mod-refused")
    assert "윤서연" in row.one("span", cls="mod-innocent").text
    assert not row.select("button")
    assert post(reader, "쓰레기봉투값이 또 올랐네요.").status == Status.PUBLISHED


def test_a_second_click_on_innocent_changes_nothing_more(
    client, moderator, reader, refuse, garbage_rule
):
    attempt = refuse(reader, "쓰레기봉투값이 또 올랐네요.")
    client.force_login(moderator)
    client.post(REFUSED, {"refused": attempt.pk})

    response = client.post(REFUSED, {"refused": attempt.pk}, follow=True)

    assert "이미 문제없음으로 표시한 댓글입니다." in response.content.decode()
    assert WordRule.objects.filter(word="쓰레기봉투값이").count() == 1
    assert ModerationAction.objects.filter(action="word_added", data__kind="exception").count() == 1


def test_an_exception_already_on_the_list_is_said_and_the_attempt_still_marked(
    client, moderator, reader, other_reader, refuse, garbage_rule
):
    first = refuse(reader, "쓰레기봉투값이 또 올랐네요.")
    second = refuse(other_reader, "쓰레기봉투값이 두 배")
    client.force_login(moderator)
    client.post(REFUSED, {"refused": first.pk})

    response = client.post(REFUSED, {"refused": second.pk}, follow=True)

    assert (
        "“쓰레기봉투값이” 단어는 이미 예외 목록에 있습니다. 이 댓글을 문제없음으로 표시했습니다."
        in response.content.decode()
    )
    second.refresh_from_db()
    assert second.marked_innocent_by == moderator
    assert ModerationAction.objects.filter(action="word_added", data__kind="exception").count() == 1


def test_the_rule_itself_written_another_way_is_not_made_an_exception(
    client, moderator, reader, refuse
):
    attempt = refuse(reader, "아 씨1발 진짜")
    client.force_login(moderator)

    response = client.post(REFUSED, {"refused": attempt.pk})

    assert response.status_code == 400
    row = parse(response).one("article", id=f"refused-{attempt.pk}")
    assert "규칙 “씨발” 자체를 달리 쓴 말입니다" in row.one("p", cls="form-error").text
    assert not WordRule.objects.filter(word="씨1발").exists()
    attempt.refresh_from_db()
    assert attempt.marked_innocent_at is None
    # The list offers no button for it, and says why.
    row = parse(client.get(REFUSED)).one("article", id=f"refused-{attempt.pk}")
    assert not row.select("button")
    assert "규칙을 달리 쓴 말" in row.text


def test_a_moderator_without_the_word_list_right_has_no_button_and_gets_403(
    client, garbage_rule, limited, reader, refuse
):
    attempt = refuse(reader, "쓰레기봉투값이 또 올랐네요.")
    client.force_login(limited)

    assert listed(client.get(REFUSED)) == ["쓰레기봉투값이 또 올랐네요."]
    assert not parse(client.get(REFUSED)).select("button", name="refused")
    assert client.post(REFUSED, {"refused": attempt.pk}).status_code == 403
    assert not WordRule.objects.filter(kind="exception", word="쓰레기봉투값이").exists()


@pytest.mark.parametrize(
    ("text", "span", "rule", "word"),
    [
        ("(시발점에서), 다시", (1, 3), "시발", "시발점에서"),
        ("...씨.발점!!", (3, 6), "씨발", "씨.발점"),
        # The word around the match is the rule itself: the neighbouring word comes along.
        ("운전자 김 씨 팔 골절", (6, 9), "씨팔", "김 씨 팔"),
        ("씨 팔 골절이라니", (0, 3), "씨팔", "씨 팔 골절이라니"),
    ],
)
def test_the_innocent_word_is_the_readers_word_around_the_match(text, span, rule, word):
    attempt = RefusedComment(body=text, span_start=span[0], span_end=span[1], rule_word=rule)
    assert moderation.innocent_word(attempt) == word


# --- keeping them 30 days ------------------------------------------------------------------------


def test_the_daily_job_forgets_attempts_older_than_the_kept_days(reader, story, settings):
    settings.COMMENTS_REFUSED_KEEP_DAYS = 30
    now = timezone.now()
    for days in (31, 29):
        RefusedComment.objects.create(
            story=story,
            author=reader,
            body=f"{days}일 전 씨발",
            rule_word="씨발",
            created_at=now - timedelta(days=days),
        )

    assert celery_app.tasks["comments.forget_refused"]() == 1

    assert list(RefusedComment.objects.values_list("body", flat=True)) == ["29일 전 씨발"]
    assert moderation.forget_refused() == 0
    assert PERIODIC_JOBS["comments.forget_refused"] == 24 * 60 * 60


# --- held comments -----------------------------------------------------------------------------


def test_a_held_comment_keeps_where_its_suspect_word_matched(reader, post):
    comment = post(reader, "이런 미친놈 같은 정책이라니")

    action = ModerationAction.objects.get(comment=comment, action="posted")
    assert action.data["rule"] == "미친놈"
    assert action.data["span"] == [3, 6]


def test_the_queue_marks_a_held_comments_suspect_word(client, moderator, reader, post):
    comment = post(reader, "이런 미친놈 같은 정책이라니")
    ModerationAction.objects.filter(comment=comment).update(data={"rule": "미친놈", "span": [3, 6]})
    client.force_login(moderator)

    for url in (QUEUE, reverse("comment_desk:comment", args=[comment.pk])):
        response = client.get(url)
        assert marks(response) == ["미친놈"]
        assert parse(response).one("span", cls="mod-hold").text == "의심 단어: 미친놈"


def test_a_span_that_no_longer_fits_the_text_marks_nothing(client, moderator, reader, post):
    comment = post(reader, "이런 미친놈 같은 정책이라니")
    ModerationAction.objects.filter(comment=comment).update(
        data={"rule": "미친놈", "span": [3, 99]}
    )
    client.force_login(moderator)

    response = client.get(QUEUE)

    assert marks(response) == []
    assert as_written(parse(response).one("p", cls="mod-body")) == "이런 미친놈 같은 정책이라니"


def test_a_spaced_match_marked_innocent_lets_that_use_through_and_no_other(
    client, moderator, reader, refuse
):
    attempt = refuse(reader, "운전자 김 씨 팔 골절이라니 큰일이네요")
    client.force_login(moderator)

    response = client.post(REFUSED, {"refused": attempt.pk}, follow=True)

    assert "“김 씨 팔”" in parse(response).text
    assert WordRule.objects.filter(kind="exception", word="김 씨 팔").exists()
    rules = moderation.word_rules()
    assert rules.check("운전자 김 씨 팔 골절이라니 큰일이네요").banned is None
    assert rules.check("아 씨 팔 진짜").banned is not None


def test_an_exception_that_would_not_clear_the_text_is_not_added(client, moderator, reader, refuse):
    attempt = refuse(reader, "김 씨 팔 골절이라니 병신 같은 안전관리")
    client.force_login(moderator)

    response = client.post(REFUSED, {"refused": attempt.pk})

    assert response.status_code == 400
    row = parse(response).one("article", id=f"refused-{attempt.pk}")
    assert "“김 씨 팔”" in row.one("p", cls="form-error").text
    assert "“병신”" in row.one("p", cls="form-error").text
    assert not WordRule.objects.filter(kind="exception", word="김 씨 팔").exists()
