"""Press-arbitration claims (언론중재법): their deadlines, the editor's steps (articles.claims),
the notice on the reader's page, a granted claim's notice on the story and the corrections
page, and the desk's pages."""

from datetime import date, timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from accounts.errors import NotAllowed
from articles import claim_deadlines, claims, notifications, selectors, tasks
from articles.errors import (
    ClaimClosed,
    ClaimNotInState,
    ClaimRefused,
    IllegalTransition,
    NoteRequired,
)
from articles.models import (
    Article,
    ArticleEvent,
    Correction,
    Delivery,
    Notification,
    NotificationKind,
    PressClaim,
)
from articles.sharing import fanout
from newsroom.models import OutboxMessage
from tests.articles.conftest import MONDAY_9AM
from tests.pages import parse

Status = PressClaim.Status
Kind = PressClaim.Kind
NOTICE = "이 기사는 언론중재법에 따른 정정·반론보도 청구가 접수된 기사입니다"
TODAY = MONDAY_9AM.date()  # 2025-03-03
LIST = "/desk/claims/"


@pytest.fixture
def clock():
    with time_machine.travel(MONDAY_9AM, tick=False) as traveller:
        yield traveller


@pytest.fixture
def story(desk, clock):
    """A story published a week before the desk's Monday."""
    clock.move_to(MONDAY_9AM - timedelta(days=7))
    found = desk.story("한결전자 회계 의혹")
    clock.move_to(MONDAY_9AM)
    return found


@pytest.fixture
def claim_on(editor):
    def make(story, *, kind=Kind.CORRECTION, learned_on=TODAY - timedelta(days=2), **fields):
        return claims.record_claim(
            story,
            actor=editor,
            kind=kind,
            claimant=fields.pop("claimant", "한결전자 주식회사"),
            received_on=fields.pop("received_on", TODAY),
            learned_on=learned_on,
            demand=fields.pop("demand", "회계 의혹 보도를 바로잡아 달라"),
            **fields,
        )

    return make


def claim_events(story) -> list[ArticleEvent]:
    return list(
        ArticleEvent.objects.filter(article=story, action__startswith="claim_").order_by("pk")
    )


# --- deadlines (no database) ------------------------------------------------------------------


def test_months_count_to_the_same_day_or_the_end_of_a_shorter_month():
    assert claim_deadlines.add_months(date(2025, 1, 10), 3) == date(2025, 4, 10)
    assert claim_deadlines.add_months(date(2024, 11, 30), 3) == date(2025, 2, 28)
    assert claim_deadlines.add_months(date(2024, 9, 15), 6) == date(2025, 3, 15)


@pytest.mark.parametrize("kind", [claim_deadlines.CORRECTION, claim_deadlines.REPLY])
def test_a_correction_or_reply_claim_is_due_three_months_from_learning_or_six_from_publication(
    kind,
):
    # Learned early: the three months from learning end first.
    assert claim_deadlines.claim_deadline(
        kind, learned_on=date(2025, 1, 10), published_on=date(2024, 12, 1)
    ) == date(2025, 4, 10)
    # Learned late: the six months from publication end first.
    assert claim_deadlines.claim_deadline(
        kind, learned_on=date(2025, 5, 20), published_on=date(2024, 12, 1)
    ) == date(2025, 6, 1)


def test_a_follow_up_claim_is_due_three_months_from_learning_of_the_acquittal_whenever_published():
    assert claim_deadlines.claim_deadline(
        claim_deadlines.FOLLOW_UP, learned_on=date(2025, 1, 10), published_on=date(2020, 5, 1)
    ) == date(2025, 4, 10)
    assert (
        claim_deadlines.window_problems(
            claim_deadlines.FOLLOW_UP,
            received_on=date(2025, 3, 1),
            learned_on=date(2025, 1, 10),
            published_on=date(2020, 5, 1),
        )
        == []
    )


def test_the_answer_is_due_in_three_days_and_an_accepted_notice_in_seven_from_receipt():
    found = claim_deadlines.deadlines(
        claim_deadlines.CORRECTION,
        received_on=date(2025, 3, 3),
        learned_on=date(2025, 3, 1),
        published_on=date(2025, 2, 24),
        answered_on=None,
        accepted=True,
        notice_published_on=None,
        today=date(2025, 3, 5),
    )
    by_name = {deadline.name: deadline for deadline in found}
    assert by_name["answer"].due == date(2025, 3, 6)
    assert by_name["answer"].days_left == 1
    assert by_name["answer"].is_soon
    assert by_name["publish"].due == date(2025, 3, 10)
    assert by_name["claim"].is_met


def test_a_missed_answer_is_overdue_by_its_days():
    [_claim, answer] = claim_deadlines.deadlines(
        claim_deadlines.REPLY,
        received_on=date(2025, 3, 3),
        learned_on=date(2025, 3, 1),
        published_on=date(2025, 2, 24),
        answered_on=None,
        accepted=False,
        notice_published_on=None,
        today=date(2025, 3, 8),
    )
    assert answer.is_missed
    assert answer.days_overdue == 2


@pytest.mark.parametrize(
    ("kind", "learned_on", "published_on", "problems"),
    [
        ("correction", date(2024, 11, 1), date(2024, 10, 1), ["learned"]),
        ("reply", date(2025, 2, 1), date(2024, 8, 1), ["published"]),
        ("follow_up", date(2024, 11, 1), date(2020, 1, 1), ["learned"]),
        ("correction", date(2025, 3, 5), date(2025, 2, 1), ["before_learning"]),
    ],
)
def test_a_claim_outside_its_window_says_which_window(kind, learned_on, published_on, problems):
    assert (
        claim_deadlines.window_problems(
            kind, received_on=date(2025, 3, 3), learned_on=learned_on, published_on=published_on
        )
        == problems
    )


def test_the_days_left_follow_the_clock(story, claim_on, clock):
    claim = claim_on(story)
    answer = {d.name: d for d in claims.deadlines(claim)}["answer"]
    assert answer.days_left == 3
    clock.move_to(MONDAY_9AM + timedelta(days=5))
    answer = {d.name: d for d in claims.deadlines(claim)}["answer"]
    assert answer.is_missed
    assert answer.days_overdue == 2


# --- the steps --------------------------------------------------------------------------------


def test_an_editor_records_a_claim_with_one_history_row(story, claim_on, editor):
    claim = claim_on(story)

    assert claim.status == Status.RECEIVED
    assert not claim.out_of_window
    [event] = claim_events(story)
    assert event.action == "claim_recorded"
    assert event.data["claim"] == claim.pk
    assert event.actor == editor


def test_a_claim_received_out_of_its_window_is_recorded_with_a_warning(story, claim_on):
    claim = claim_on(story, learned_on=TODAY - timedelta(days=120))

    assert claim.out_of_window
    [warning] = claims.window_warnings(claim)
    assert "3개월" in warning or "three months" in warning
    assert claim_events(story)[0].data["out_of_window"] == ["learned"]


def test_a_claim_needs_a_claimant_and_a_date_not_in_the_future(story, claim_on):
    with pytest.raises(ClaimRefused):
        claim_on(story, claimant="  ")
    with pytest.raises(ClaimRefused):
        claim_on(story, received_on=TODAY + timedelta(days=1))
    assert not PressClaim.objects.exists()


def test_a_story_never_published_has_no_claim(desk, claim_on, clock):
    with pytest.raises(ClaimRefused):
        claim_on(desk.story("쓰는 중인 기사", state=Article.Status.DRAFT))
    assert not PressClaim.objects.exists()


@pytest.mark.parametrize("persona", ["reporter", "other_reporter", "moderator", "reader"])
def test_only_editors_record_or_handle_claims(request, persona, story, claim_on):
    actor = request.getfixturevalue(persona)
    with pytest.raises(NotAllowed):
        claims.record_claim(
            story,
            actor=actor,
            kind=Kind.REPLY,
            claimant="홍길동",
            received_on=TODAY,
            learned_on=TODAY,
        )
    claim = claim_on(story)
    for step in (
        lambda: claims.answer_claim(claim, actor=actor, accept=True, note="수용"),
        lambda: claims.close_claim(claim, actor=actor, note="취하"),
        lambda: claims.set_notice_shown(claim, actor=actor, shown=True),
        lambda: claims.publish_claim_notice(claim, actor=actor, text="정정보도문"),
    ):
        with pytest.raises(NotAllowed):
            step()
    claim.refresh_from_db()
    assert (claim.status, claim.notice_shown) == (Status.RECEIVED, False)
    assert len(claim_events(story)) == 1


def test_a_claim_is_answered_once_with_its_decision(story, claim_on, editor):
    claim = claim_on(story)
    with pytest.raises(NoteRequired):
        claims.answer_claim(claim, actor=editor, accept=True, note=" ")

    claims.answer_claim(claim, actor=editor, accept=False, note="사실 보도로 판단")

    claim.refresh_from_db()
    assert (claim.status, claim.decision_note, claim.answered_on) == (
        Status.REJECTED,
        "사실 보도로 판단",
        TODAY,
    )
    with pytest.raises(ClaimNotInState):
        claims.answer_claim(claim, actor=editor, accept=True, note="다시")
    assert [e.action for e in claim_events(story)] == ["claim_recorded", "claim_rejected"]


def test_only_an_accepted_claim_has_its_notice_published(story, claim_on, editor):
    claim = claim_on(story)
    with pytest.raises(ClaimNotInState):
        claims.publish_claim_notice(claim, actor=editor, text="정정보도문")
    assert not Correction.objects.exists()


def test_a_closed_claim_takes_no_more_steps(story, claim_on, editor):
    claim = claim_on(story)
    claims.close_claim(claim, actor=editor, note="청구인이 취하")
    for step in (
        lambda: claims.answer_claim(claim, actor=editor, accept=True, note="수용"),
        lambda: claims.close_claim(claim, actor=editor, note="또"),
        lambda: claims.set_notice_shown(claim, actor=editor, shown=True),
    ):
        with pytest.raises(ClaimClosed):
            step()


def test_a_notice_cannot_be_published_on_a_story_taken_down(story, claim_on, editor, desk):
    from articles import workflow

    claim = claim_on(story)
    claims.answer_claim(claim, actor=editor, accept=True, note="수용")
    workflow.unpublish(story, actor=editor, reason="법무 검토", public_note="내렸습니다.")

    with pytest.raises(IllegalTransition):
        claims.publish_claim_notice(claim, actor=editor, text="정정보도문")

    claim.refresh_from_db()
    assert claim.status == Status.ACCEPTED
    assert not Correction.objects.exists()


# --- the reader's page ------------------------------------------------------------------------


def test_the_notice_shows_at_the_top_of_the_story_while_the_claim_is_open(
    client, story, claim_on, editor
):
    claim = claim_on(story)
    assert NOTICE not in client.get(story.get_absolute_url()).content.decode()

    claims.set_notice_shown(claim, actor=editor, shown=True)
    page = parse(client.get(story.get_absolute_url()))
    assert NOTICE in page.one("p", cls="story-claim-notice").text

    claims.close_claim(claim, actor=editor, note="조정 성립")
    assert NOTICE not in client.get(story.get_absolute_url()).content.decode()
    assert [e.action for e in claim_events(story)] == [
        "claim_recorded",
        "claim_notice_shown",
        "claim_closed",
    ]


def test_showing_the_notice_again_changes_nothing(story, claim_on, editor):
    claim = claim_on(story, notice_shown=True)
    claims.set_notice_shown(claim, actor=editor, shown=True)
    assert len(claim_events(story)) == 1


def test_the_notice_retires_the_story_page_and_purges_the_edge_after_commit(
    story, claim_on, editor, settings, django_capture_on_commit_callbacks
):
    settings.EDGE_PURGE_URLS = ["http://127.0.0.1:9/purge"]
    claim = claim_on(story)
    purges = OutboxMessage.objects.filter(task_name="newsroom.purge_edge")
    before = set(purges.values_list("pk", flat=True))

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        claims.set_notice_shown(claim, actor=editor, shown=True)
    [message] = purges.exclude(pk__in=before)
    assert f"story:{story.pk}" in message.args[0]
    assert callbacks  # the page-cache bump, after the commit

    before = set(purges.values_list("pk", flat=True))
    with django_capture_on_commit_callbacks(execute=False):
        claims.close_claim(claim, actor=editor, note="조정 성립")
    assert purges.exclude(pk__in=before).count() == 1


@pytest.mark.django_db(transaction=True)
def test_through_the_page_cache_the_notice_comes_and_goes(
    client, page_cache, story, claim_on, editor
):
    claim = claim_on(story)
    assert NOTICE not in client.get(story.get_absolute_url()).content.decode()
    claims.set_notice_shown(claim, actor=editor, shown=True)
    assert NOTICE in client.get(story.get_absolute_url()).content.decode()
    claims.close_claim(claim, actor=editor, note="조정 성립")
    assert NOTICE not in client.get(story.get_absolute_url()).content.decode()


# --- a granted claim's notice -----------------------------------------------------------------


def test_a_granted_claim_is_published_as_a_linked_notice_through_the_correction_path(
    client, story, claim_on, editor, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.EDGE_PURGE_URLS = ["http://127.0.0.1:9/purge"]
    triggered = []
    real_trigger = fanout.trigger
    monkeypatch.setattr(
        fanout,
        "trigger",
        lambda article, *, reason: triggered.append(reason) or real_trigger(article, reason=reason),
    )
    claim = claim_on(story, kind=Kind.REPLY, notice_shown=True)
    claims.answer_claim(claim, actor=editor, accept=True, note="반론 수용")
    purges = OutboxMessage.objects.filter(task_name="newsroom.purge_edge")
    before = set(purges.values_list("pk", flat=True))

    with django_capture_on_commit_callbacks(execute=True):
        claims.publish_claim_notice(claim, actor=editor, text="한결전자는 의혹을 부인했습니다.")

    claim.refresh_from_db()
    story.refresh_from_db()
    assert claim.status == Status.PUBLISHED
    assert not claim.notice_shown  # the top notice gives way to the published one
    assert claim.correction.kind == Correction.Kind.REPLY_REPORT
    assert claim.correction.note == "한결전자는 의혹을 부인했습니다."
    assert story.revised_at == MONDAY_9AM  # the sitemaps' lastmod, as a correction's
    assert triggered == ["corrected"]  # the share fan-out's check, as a correction's
    [message] = purges.exclude(pk__in=before)
    assert {f"story:{story.pk}", "corrections", "feeds"} <= set(message.args[0])
    assert [e.action for e in ArticleEvent.objects.filter(article=story).order_by("pk")][-2:] == [
        "corrected",
        "claim_published",
    ]

    article = parse(client.get(story.get_absolute_url()))
    notice = article.one("p", cls="story-claim-report")
    assert "[반론보도]" in notice.text
    assert "한결전자는 의혹을 부인했습니다." in notice.text
    assert NOTICE not in article.text
    corrections = client.get(reverse("articles:corrections")).content.decode()
    assert "[반론보도]" in corrections
    assert "한결전자는 의혹을 부인했습니다." in corrections


# --- the desk ---------------------------------------------------------------------------------


def test_the_desk_records_answers_publishes_and_closes_a_claim(client, story, editor):
    client.force_login(editor)
    editor_page = client.get(reverse("story_desk:edit", args=[story.pk])).content.decode()
    new_url = reverse("story_desk:claim-new", args=[story.pk])
    assert new_url in editor_page

    response = client.post(
        new_url,
        {
            "kind": "correction",
            "claimant": "한결전자 주식회사",
            "received_on": "2025-03-03",
            "learned_on": "2025-03-01",
            "demand": "회계 의혹 보도 정정",
            "notice_shown": "on",
        },
    )
    claim = PressClaim.objects.get()
    assert response.status_code == 302
    assert response["Location"] == claim.get_absolute_url()
    assert claim.notice_shown

    listing = parse(client.get(LIST))
    row = listing.one("li", cls="claim-row")
    assert "한결전자 주식회사" in row.text
    assert "3일 남음" in row.text  # the answer is due on Thursday

    url = claim.get_absolute_url()
    assert (
        client.post(
            reverse("story_desk:claim-answer", args=[claim.pk]),
            {"decision": "accept", "note": "정정 수용"},
        ).status_code
        == 302
    )
    client.post(
        reverse("story_desk:claim-publish", args=[claim.pk]),
        {"text": "바로잡습니다. 회계 의혹은 사실이 아닙니다."},
    )
    claim.refresh_from_db()
    assert claim.status == Status.PUBLISHED
    page = client.get(url).content.decode()
    assert "바로잡습니다. 회계 의혹은 사실이 아닙니다." in page

    client.post(reverse("story_desk:claim-close", args=[claim.pk]), {"note": "게재로 종결"})
    claim.refresh_from_db()
    assert claim.status == Status.CLOSED
    assert "한결전자 주식회사" not in client.get(LIST).content.decode()
    assert "한결전자 주식회사" in client.get(LIST, {"show": "all"}).content.decode()


def test_the_form_warns_of_a_claim_received_out_of_its_window_and_records_it(client, story, editor):
    client.force_login(editor)
    response = client.post(
        reverse("story_desk:claim-new", args=[story.pk]),
        {
            "kind": "reply",
            "claimant": "홍길동",
            "received_on": "2025-03-03",
            "learned_on": "2024-10-01",
        },
        follow=True,
    )
    claim = PressClaim.objects.get()
    assert claim.out_of_window
    page = parse(response)
    assert page.select("p", cls="claim-warning")
    assert "3개월" in page.one("p", cls="claim-warning").text
    assert "청구 기간이 지났습니다" in response.content.decode()


def test_a_missed_deadline_is_shown_in_red(client, story, claim_on, editor, clock):
    claim_on(story)
    clock.move_to(MONDAY_9AM + timedelta(days=5))
    client.force_login(editor)
    page = parse(client.get(LIST))
    missed = page.one("li", cls="is-missed")
    assert "2일 지남" in missed.text


@pytest.mark.parametrize("persona", ["reporter", "moderator"])
def test_reporters_and_moderators_do_not_open_the_claims_desk(
    request, client, persona, story, claim_on
):
    claim = claim_on(story)
    client.force_login(request.getfixturevalue(persona))
    assert client.get(LIST).status_code == 403
    assert client.get(claim.get_absolute_url()).status_code == 403
    assert client.get(reverse("story_desk:claim-new", args=[story.pk])).status_code == 403


# The claims page: session, user, roles, the header's unread count; the claims with their
# stories and notices (one query, however many).
LIST_QUERIES = 5
# A claim's page: session, user, roles, the unread count; the claim with its story, notice
# and recorder; its history rows.
CLAIM_QUERIES = 6


@pytest.mark.parametrize("count", [1, 8])
def test_the_claims_page_runs_the_same_number_of_queries_however_many(
    client, story, claim_on, editor, django_assert_num_queries, count
):
    for number in range(count):
        claim_on(story, claimant=f"청구인 {number}")
    client.force_login(editor)
    with django_assert_num_queries(LIST_QUERIES):
        response = client.get(LIST)
    assert len(parse(response).select("li", cls="claim-row")) == count


@pytest.mark.parametrize("steps", [0, 3])
def test_a_claims_page_runs_the_same_number_of_queries_however_long_its_history(
    client, story, claim_on, editor, django_assert_num_queries, steps
):
    claim = claim_on(story)
    for number in range(steps):
        claims.set_notice_shown(claim, actor=editor, shown=number % 2 == 0)
    client.force_login(editor)
    with django_assert_num_queries(CLAIM_QUERIES):
        response = client.get(claim.get_absolute_url())
    history = parse(response).one("ol", cls="history")
    assert len(history.select("li")) == steps + 1
    assert "언론중재법 청구 접수" in history.text


def test_the_selectors_list_open_claims_only_by_default(story, claim_on, editor):
    open_claim, closed = claim_on(story), claim_on(story, claimant="다른 청구인")
    claims.close_claim(closed, actor=editor, note="취하")
    assert list(selectors.press_claims(open_only=True)) == [open_claim]
    assert set(selectors.press_claims(open_only=False)) == {open_claim, closed}
    assert Article.objects.get(pk=story.pk).press_claims.count() == 2


# --- the desk is told -----------------------------------------------------------------------

Told = NotificationKind


def told(kind: str) -> dict[str, Notification]:
    """The notifications of a kind, by their recipient's e-mail."""
    return {n.recipient.email: n for n in Notification.objects.filter(kind=kind)}


def test_a_recorded_claim_tells_the_sections_editors_and_the_bylines_after_commit(
    story, claim_on, editor, second_editor, reporter, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        claim = claim_on(story)
        assert mail.outbox == []  # the e-mails wait for the commit
    for callback in callbacks:
        callback()

    found = told(Told.CLAIM_RECEIVED)
    # The editor recording it is not told of their own step.
    assert sorted(found) == [second_editor.email, reporter.email]
    desk, byline = found[second_editor.email], found[reporter.email]
    assert notifications.link(desk) == claim.get_absolute_url()
    # The claims desk is the editors': the reporter is led to their story.
    assert notifications.link(byline) == reverse("story_desk:edit", args=[story.pk])
    says = "기사에 언론중재법 청구가 접수되었습니다: 한결전자 회계 의혹"
    assert notifications.message(desk) == notifications.message(byline) == says
    assert sorted(address for email in mail.outbox for address in email.to) == sorted(
        [second_editor.email, reporter.email]
    )
    # Who claims what stays with the editors.
    assert all("한결전자 주식회사" not in email.body for email in mail.outbox)
    assert len(claim_events(story)) == 1


def test_an_editor_of_another_desk_hears_of_no_claim_and_preferences_hold(
    story, claim_on, second_editor, reporter, other_section, django_capture_on_commit_callbacks
):
    notifications.set_desk_sections(second_editor, [other_section])
    notifications.set_preferences(reporter, {Told.CLAIM_RECEIVED: Delivery.INBOX})

    with django_capture_on_commit_callbacks(execute=True):
        claim_on(story)

    assert sorted(told(Told.CLAIM_RECEIVED)) == [reporter.email]
    assert told(Told.CLAIM_RECEIVED)[reporter.email].delivery == Delivery.INBOX
    assert mail.outbox == []


@pytest.mark.parametrize("persona", ["reporter", "moderator"])
def test_a_claim_refused_to_a_non_editor_tells_nobody(request, persona, story, second_editor):
    with pytest.raises(NotAllowed):
        claims.record_claim(
            story,
            actor=request.getfixturevalue(persona),
            kind=Kind.REPLY,
            claimant="홍길동",
            received_on=TODAY,
            learned_on=TODAY,
        )
    assert not Notification.objects.filter(kind=Told.CLAIM_RECEIVED).exists()


# --- deadline reminders ---------------------------------------------------------------------


def test_the_answer_due_is_told_to_the_handling_editors_once_from_the_day_before(
    story, claim_on, editor, second_editor, reporter, clock
):
    claim = claim_on(story)  # received Monday: answered by Thursday (Art. 15)

    clock.move_to(MONDAY_9AM + timedelta(days=1))
    assert claims.tell_claim_deadlines() == 0  # two days left: not yet
    clock.move_to(MONDAY_9AM + timedelta(days=2))
    assert claims.tell_claim_deadlines() == 2
    assert claims.tell_claim_deadlines() == 0  # the next periodic run tells nobody again
    clock.move_to(MONDAY_9AM + timedelta(days=3))
    assert claims.tell_claim_deadlines() == 0  # the day itself: already told

    found = told(Told.CLAIM_ANSWER_DUE)
    # Its section's editors, the one who recorded it among them; never the reporter.
    assert sorted(found) == sorted([editor.email, second_editor.email])
    reminder = found[editor.email]
    assert notifications.message(reminder) == (
        "언론중재법 청구에 2025-03-06까지 답해야 합니다: 한결전자 회계 의혹"
    )
    assert notifications.link(reminder) == claim.get_absolute_url()


def test_a_claim_recorded_late_is_told_on_the_day_its_answer_falls_due(
    story, claim_on, editor, second_editor
):
    claim_on(story, received_on=TODAY - timedelta(days=3), learned_on=TODAY - timedelta(days=5))
    assert claims.tell_claim_deadlines() == 2
    assert set(told(Told.CLAIM_ANSWER_DUE)) == {editor.email, second_editor.email}


def test_the_recorder_is_told_even_when_their_desk_is_another_section(
    story, claim_on, editor, second_editor, other_section, clock
):
    notifications.set_desk_sections(editor, [other_section])
    notifications.set_desk_sections(second_editor, [other_section])
    claim_on(story)
    clock.move_to(MONDAY_9AM + timedelta(days=2))

    assert claims.tell_claim_deadlines() == 1
    assert list(told(Told.CLAIM_ANSWER_DUE)) == [editor.email]


def test_an_accepted_claim_is_reminded_of_its_notice_and_a_published_one_of_nothing(
    story, claim_on, editor, second_editor, clock
):
    accepted, published = claim_on(story), claim_on(story, claimant="다른 청구인")
    rejected = claim_on(story, claimant="세 번째 청구인")
    for claim in (accepted, published):
        claims.answer_claim(claim, actor=editor, accept=True, note="수용")
    claims.answer_claim(rejected, actor=editor, accept=False, note="사실 보도")
    claims.publish_claim_notice(published, actor=editor, text="바로잡습니다")

    clock.move_to(MONDAY_9AM + timedelta(days=6))  # Sunday: the notice is due on Monday
    assert claims.tell_claim_deadlines() == 2

    assert not Notification.objects.filter(kind=Told.CLAIM_ANSWER_DUE).exists()
    reminders = Notification.objects.filter(kind=Told.CLAIM_NOTICE_DUE)
    assert {n.data["url"] for n in reminders} == {accepted.get_absolute_url()}
    assert "2025-03-10" in notifications.message(reminders[0])


def test_a_closed_claim_is_reminded_of_nothing(story, claim_on, editor, clock):
    claims.close_claim(claim_on(story), actor=editor, note="취하")
    clock.move_to(MONDAY_9AM + timedelta(days=2))
    assert claims.tell_claim_deadlines() == 0


def test_the_reminders_job_tells_the_claims_deadlines(story, claim_on, second_editor, clock):
    claim_on(story)
    clock.move_to(MONDAY_9AM + timedelta(days=2))
    assert tasks.send_reminders() == 2
    assert tasks.send_reminders() == 0


# The claims due, the editors, the section tree, the desk sections, then in a savepoint
# per kind: who was told, their choices, the new rows, them read back, and the e-mail
# task's outbox row.
REMINDER_QUERIES = 11


@pytest.mark.parametrize("count", [1, 20])
def test_the_reminder_runs_the_same_number_of_queries_however_many_claims(
    story, claim_on, editor, second_editor, clock, django_assert_num_queries, count
):
    for number in range(count):
        claim_on(story, claimant=f"청구인 {number}")
    clock.move_to(MONDAY_9AM + timedelta(days=2))

    with django_assert_num_queries(REMINDER_QUERIES):
        assert claims.tell_claim_deadlines() == 2 * count
    # Nobody new: no rows to write, read back or e-mail.
    with django_assert_num_queries(REMINDER_QUERIES - 3):
        assert claims.tell_claim_deadlines() == 0
