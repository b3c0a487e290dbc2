"""Desk notes: the internal thread on each story (articles.notes), its paragraph anchors
(articles.paragraphs), its place on the editor page and the "@" autocomplete, through the
functions and through the test client. Notes are for the staff who may open the story:
never on a reader's page, in a revision or in a cached page."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts import roles
from accounts.errors import NotAllowed
from articles import notes, paragraphs, workflow
from articles.errors import NoteBlank, NoteTooLong, NotMentionable, UnknownParagraph
from articles.models import Article, ArticleEvent, DeskNote, Notification, Revision
from newsroom.models import OutboxMessage
from tests.articles.conftest import edit
from tests.conftest import staff
from tests.pages import korean, parse

pytestmark = pytest.mark.django_db

Status = Article.Status
BODY = (
    "<p>반도체 수출이 석 달째 늘었다.</p>"
    "<p>산업통상자원부는 3일 이같이 밝혔다.</p>"
    "<h2>메모리 반등</h2>"
    "<p>D램 가격이 올랐다.</p>"
)
# An editor's page of a returned story with notes, whatever their number: the page's own
# queries plus the thread's three (the notes, their mentions, the workflow's notes) and the
# colleagues the form offers.
EDITOR_QUERIES = 29
# The autocomplete for the story's writer: session, user, roles, the story, then the
# colleagues (one query).
COLLEAGUE_QUERIES = 5


def edit_url(story: Article) -> str:
    return reverse("story_desk:edit", args=[story.pk])


def post_url(story: Article) -> str:
    return reverse("story_desk:note-post", args=[story.pk])


def resolve_url(note: DeskNote) -> str:
    return reverse("story_desk:note-resolve", args=[note.article_id, note.pk])


def reopen_url(note: DeskNote) -> str:
    return reverse("story_desk:note-reopen", args=[note.article_id, note.pk])


def colleagues_url(story: Article) -> str:
    return reverse("story_desk:note-colleagues", args=[story.pk])


@pytest.fixture
def draft(reporter, section):
    return workflow.create(actor=reporter, section=section, headline="수출 석 달째 증가", body=BODY)


@pytest.fixture
def namesake(db):
    """An editor who shares the reporter's byline, 한지민."""
    return staff("editor-han@example.com", roles.Role.EDITOR, "한지민")


# --- paragraphs ------------------------------------------------------------------------------


def test_a_bodys_paragraphs_are_its_outermost_blocks_with_text():
    body = (
        '<p>첫 <strong>문단</strong></p><figure data-photo-use="3"></figure><p> </p>'
        "<blockquote><p>인용한 말</p></blockquote><ul><li>하나</li><li>둘</li></ul><h3>소제목</h3>"
    )
    assert paragraphs.paragraphs(body) == ["첫 문단", "인용한 말", "하나", "둘", "소제목"]


@pytest.mark.parametrize(
    ("now", "state", "index", "text"),
    [
        (["가", "나", "다"], paragraphs.CURRENT, 1, "나"),
        (["새 문단", "가", "나", "다"], paragraphs.MOVED, 2, "나"),
        (["가", "나를 고쳤다", "다"], paragraphs.CHANGED, 1, "나를 고쳤다"),
        (["가"], paragraphs.GONE, None, ""),
    ],
)
def test_a_notes_paragraph_is_found_moved_changed_or_gone(now, state, index, text):
    assert paragraphs.anchor_state(1, "나", now) == paragraphs.Anchor(state, index, text)


# --- posting ---------------------------------------------------------------------------------


def test_a_reporter_notes_their_draft_without_touching_the_story_or_its_history(reporter, draft):
    before = (draft.version, Revision.objects.count(), ArticleEvent.objects.count())
    note = notes.post_note(draft, actor=reporter, body="  출처 확인 필요\r\n(통계청)  ")
    assert note.body == "출처 확인 필요\n(통계청)"
    assert note.author == reporter
    assert note.author_name == "한지민"
    assert note.paragraph_index is None
    assert not note.is_resolved
    draft.refresh_from_db()
    assert (draft.version, Revision.objects.count(), ArticleEvent.objects.count()) == before
    assert not OutboxMessage.objects.exists()  # no purge, no fan-out, no mail


def test_an_editor_notes_any_story_and_a_reporter_their_published_one(reporter, editor, story_in):
    story = story_in(Status.PUBLISHED)
    notes.post_note(story, actor=editor, body="제목을 줄이면 좋겠다")
    notes.post_note(story, actor=reporter, body="네, 줄이겠습니다")
    assert [n.author_name for n in DeskNote.objects.filter(article=story)] == ["오세훈", "한지민"]


@pytest.mark.parametrize("persona", ["other_reporter", "reader", "moderator"])
def test_only_staff_who_may_open_the_story_post_notes(request, persona, draft):
    with pytest.raises(NotAllowed):
        notes.post_note(draft, actor=request.getfixturevalue(persona), body="몰래 쓴 메모")
    assert not DeskNote.objects.exists()


@pytest.mark.parametrize("body", ["", "   ", "\r\n\r\n"])
def test_a_blank_note_is_refused(reporter, draft, body):
    with pytest.raises(NoteBlank):
        notes.post_note(draft, actor=reporter, body=body)


def test_a_note_over_the_limit_is_refused_with_the_limit_and_its_length(reporter, draft):
    limit = notes.NOTE_MAX_LENGTH
    with pytest.raises(NoteTooLong) as refused:
        notes.post_note(draft, actor=reporter, body="가" * (limit + 1))
    assert str(refused.value) == korean(
        "A note is at most %(limit)s characters; this one has %(length)s."
    ) % {"limit": limit, "length": limit + 1}
    # CRLF is one character, as the browser counts it; Hangul one each (code points).
    assert notes.post_note(draft, actor=reporter, body="가" * (limit - 2) + "\r\n가")


def test_a_second_identical_post_in_the_window_is_the_same_note(reporter, draft):
    first = notes.post_note(draft, actor=reporter, body="사진 바꿔 주세요", paragraph=1)
    again = notes.post_note(draft, actor=reporter, body="사진 바꿔 주세요", paragraph=1)
    other = notes.post_note(draft, actor=reporter, body="사진 바꿔 주세요")
    assert again.pk == first.pk
    assert other.pk != first.pk
    with time_machine.travel(timezone.now() + timedelta(minutes=1)):
        later = notes.post_note(draft, actor=reporter, body="사진 바꿔 주세요", paragraph=1)
    assert later.pk != first.pk
    assert DeskNote.objects.count() == 3


# --- mentions --------------------------------------------------------------------------------


def test_a_mention_is_kept_by_account_when_two_colleagues_share_a_name(
    reporter, editor, namesake, draft
):
    note = notes.post_note(draft, actor=editor, body="@한지민 확인 부탁", mentions=[namesake.pk])
    assert list(note.mentions.all()) == [namesake]
    other = notes.post_note(draft, actor=editor, body="@한지민 기자님도", mentions=[reporter.pk])
    assert list(other.mentions.all()) == [reporter]


@pytest.mark.parametrize("persona", ["other_reporter", "reader", "moderator"])
def test_only_colleagues_who_may_open_the_story_can_be_mentioned(request, reporter, draft, persona):
    stranger = request.getfixturevalue(persona)
    with pytest.raises(NotMentionable):
        notes.post_note(draft, actor=reporter, body="봐 주세요", mentions=[stranger.pk])
    with pytest.raises(NotMentionable):
        notes.post_note(draft, actor=reporter, body="봐 주세요", mentions=[987654])
    assert not DeskNote.objects.exists()


def test_a_mention_tells_the_colleague_once_in_their_inbox_and_by_mail(
    reporter, editor, namesake, draft, django_capture_on_commit_callbacks
):
    for _click in range(2):  # a double click is the same note
        with django_capture_on_commit_callbacks(execute=True):
            notes.post_note(draft, actor=editor, body="출처 확인 부탁", mentions=[namesake.pk])

    told = Notification.objects.get()
    assert (told.recipient, told.kind, told.article) == (namesake, "mentioned", draft)
    assert [message.to for message in mail.outbox] == [[namesake.email]]
    assert draft.headline in mail.outbox[0].body


def test_mentioning_oneself_is_left_out(reporter, editor, draft):
    note = notes.post_note(draft, actor=reporter, body="메모", mentions=[reporter.pk, editor.pk])
    assert list(note.mentions.all()) == [editor]


def test_the_colleagues_are_the_active_staff_who_may_open_the_story(
    reporter, other_reporter, editor, namesake, moderator, reader, draft
):
    found = set(notes.colleagues(draft))
    assert found == {reporter, editor, namesake}
    roles.set_active(namesake, False, actor=None)
    assert set(notes.colleagues(draft, exclude=reporter)) == {editor}
    assert list(notes.colleagues(draft, query="오세")) == [editor]


def test_a_bylined_colleague_may_be_mentioned_on_a_story_they_share(
    reporter, other_reporter, editor, draft
):
    profiles = [reporter.staff_profile.pk, other_reporter.staff_profile.pk]
    draft = edit(draft, actor=reporter, bylines=[{"profile": pk} for pk in profiles])
    note = notes.post_note(draft, actor=reporter, body="같이 봐요", mentions=[other_reporter.pk])
    assert list(note.mentions.all()) == [other_reporter]


# --- paragraph anchors -----------------------------------------------------------------------


def anchor_of(story: Article, note: DeskNote) -> paragraphs.Anchor:
    story.refresh_from_db()
    return next(item.anchor for item in notes.thread(story) if item.note == note)


def test_a_note_on_a_paragraph_says_when_it_moved_changed_or_went(reporter, draft):
    note = notes.post_note(draft, actor=reporter, body="근거는?", paragraph=1)
    assert note.paragraph_text == "산업통상자원부는 3일 이같이 밝혔다."
    assert anchor_of(draft, note).state == paragraphs.CURRENT
    edit(draft, actor=reporter, body="<p>새 첫 문단.</p>" + BODY)
    assert anchor_of(draft, note) == paragraphs.Anchor(
        paragraphs.MOVED, 2, "산업통상자원부는 3일 이같이 밝혔다."
    )
    edit(draft, actor=reporter, body=BODY.replace("3일", "4일"))
    assert anchor_of(draft, note) == paragraphs.Anchor(
        paragraphs.CHANGED, 1, "산업통상자원부는 4일 이같이 밝혔다."
    )
    edit(draft, actor=reporter, body="<p>한 문단만 남았다.</p>")
    assert anchor_of(draft, note) == paragraphs.Anchor(paragraphs.GONE, None, "")
    assert DeskNote.objects.get().body == "근거는?"  # the note stays


def test_a_note_on_a_paragraph_the_body_does_not_have_is_refused(reporter, draft):
    with pytest.raises(UnknownParagraph):
        notes.post_note(draft, actor=reporter, body="여기", paragraph=4)


# --- resolving -------------------------------------------------------------------------------


def test_a_note_is_resolved_and_reopened_once_each_with_a_history_row(reporter, editor, draft):
    note = notes.post_note(draft, actor=reporter, body="수치 확인")
    resolved = notes.resolve_note(note, actor=editor)
    assert resolved.is_resolved
    assert resolved.resolved_by == editor
    assert resolved.resolved_by_name == "오세훈"
    notes.resolve_note(note, actor=editor)  # a second click
    reopened = notes.reopen_note(note, actor=reporter)
    assert not reopened.is_resolved
    assert reopened.resolved_by is None
    notes.reopen_note(note, actor=reporter)
    events = ArticleEvent.objects.filter(action__startswith="note_").order_by("created_at", "pk")
    assert [(e.action, e.actor_name, e.data) for e in events] == [
        ("note_resolved", "오세훈", {"note": note.pk}),
        ("note_reopened", "한지민", {"note": note.pk}),
    ]


@pytest.mark.parametrize("persona", ["other_reporter", "reader", "moderator"])
def test_only_staff_who_may_open_the_story_resolve_its_notes(request, reporter, draft, persona):
    note = notes.post_note(draft, actor=reporter, body="수치 확인")
    with pytest.raises(NotAllowed):
        notes.resolve_note(note, actor=request.getfixturevalue(persona))
    note.refresh_from_db()
    assert not note.is_resolved


# --- the thread ------------------------------------------------------------------------------


def test_the_return_and_correction_notes_are_in_the_thread_in_time_order(reporter, editor, draft):
    notes.post_note(draft, actor=reporter, body="검토 부탁드립니다")
    story = workflow.submit(draft, actor=reporter)
    story = workflow.return_for_changes(story, actor=editor, note="출처를 밝혀 주세요.")
    story = workflow.submit(story, actor=reporter)
    story = workflow.publish(story, actor=editor)
    story.refresh_from_db()
    workflow.correct(story, actor=editor, base_version=story.version, note="수치를 바로잡았다.")
    notes.post_note(story, actor=editor, body="정정 반영")
    thread = notes.thread(story)
    assert [(item.kind, item.by, item.body) for item in thread] == [
        ("note", "한지민", "검토 부탁드립니다"),
        ("return", "오세훈", "출처를 밝혀 주세요."),
        ("corrected", "오세훈", "수치를 바로잡았다."),
        ("note", "오세훈", "정정 반영"),
    ]


def test_notes_are_never_on_the_public_page_or_in_revisions(client, reporter, editor, story_in):
    story = story_in(Status.PUBLISHED)
    notes.post_note(story, actor=editor, body="내부메모-비공개", paragraph=0)
    page = client.get(story.get_absolute_url())
    assert page.status_code == 200
    assert "내부메모" not in page.content.decode()
    story.refresh_from_db()
    edit(story, actor=editor, summary="요약을 고쳤다")
    for revision in Revision.objects.filter(article=story):
        assert "내부메모" not in str(revision.content)
    history = client.get(reverse("story_desk:history", args=[story.pk]))
    assert history.status_code == 302  # readers are sent to log in
    client.force_login(editor)
    history = client.get(reverse("story_desk:history", args=[story.pk]))
    assert "내부메모" not in history.content.decode()  # nor in the revisions' diff


# --- through the desk ------------------------------------------------------------------------


def test_a_note_posted_from_the_editor_page_is_shown_escaped_beside_its_paragraph(
    client, reporter, draft
):
    client.force_login(reporter)
    response = client.post(post_url(draft), {"body": "<b>굵게</b> 확인", "paragraph": "3"})
    assert response.status_code == 302
    assert response["Location"] == edit_url(draft) + "#desk-notes"
    page = client.get(edit_url(draft))
    html = page.content.decode()
    assert "&lt;b&gt;굵게&lt;/b&gt; 확인" in html
    assert "<b>굵게</b>" not in html
    margin = parse(page).one("li", cls="note-margin")
    assert "D램 가격이 올랐다." in margin.one("blockquote").text
    assert "확인" in margin.one("li", cls="desk-note").text
    assert "no-cache" in page["Cache-Control"] or "private" in page["Cache-Control"]


def test_a_refused_note_comes_back_with_its_text_and_the_reason(client, reporter, editor, draft):
    client.force_login(reporter)
    text = "가" * (notes.NOTE_MAX_LENGTH + 1)
    response = client.post(
        post_url(draft), {"body": text, "paragraph": "1", "mentions": [str(editor.pk)]}
    )
    assert response.status_code == 400
    form = parse(response).one("form", id="note-form")
    assert form.one("textarea").text == text
    assert form.one("p", cls="field-error").text.startswith("메모는")
    selected = [o.attrs["value"] for o in form.select("option") if "selected" in o.attrs]
    assert selected == ["1", str(editor.pk)]
    assert not DeskNote.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        (
            "paragraph",
            "셋째",
            "That paragraph is not in the saved story any more. Choose another one.",
        ),
        (
            "paragraph",
            "9",
            "That paragraph is not in the saved story any more. Choose another one.",
        ),
        (
            "mentions",
            "누구",
            "Only colleagues who can open this story can be mentioned in its notes.",
        ),
        ("body", " ", "Write the note first."),
    ],
)
def test_a_mangled_note_form_is_refused_not_guessed(client, reporter, draft, field, value, message):
    client.force_login(reporter)
    response = client.post(post_url(draft), {"body": "메모", field: value})
    assert response.status_code == 400
    assert parse(response).one("p", id="note-error").text == korean(message)
    assert not DeskNote.objects.exists()


def test_without_javascript_the_form_offers_colleagues_told_apart(
    client, reporter, editor, namesake, other_reporter, draft
):
    client.force_login(editor)
    page = parse(client.get(edit_url(draft)))
    options = page.one("select", id="note-mentions").select("option")
    labels = {o.attrs["value"]: o.text for o in options}
    assert set(labels) == {str(reporter.pk), str(namesake.pk)}  # not the editor, not B
    assert labels[str(reporter.pk)] != labels[str(namesake.pk)]
    assert all(text.startswith("한지민") for text in labels.values())
    client.post(post_url(draft), {"body": "@한지민 보세요", "mentions": [str(namesake.pk)]})
    assert list(DeskNote.objects.get().mentions.all()) == [namesake]


def test_notes_are_resolved_and_reopened_from_the_editor_page(client, reporter, editor, draft):
    note = notes.post_note(draft, actor=reporter, body="수치 확인")
    client.force_login(editor)
    response = client.post(resolve_url(note))
    assert response["Location"] == f"{edit_url(draft)}#note-{note.pk}"
    item = parse(client.get(edit_url(draft))).one("li", id=f"note-{note.pk}")
    assert "desk-note-resolved" in item.attrs["class"]
    assert "오세훈" in item.text
    client.post(reopen_url(note))
    note.refresh_from_db()
    assert not note.is_resolved


def test_another_reporters_draft_and_its_notes_do_not_exist_for_them(
    client, reporter, other_reporter, draft
):
    note = notes.post_note(draft, actor=reporter, body="수치 확인")
    client.force_login(other_reporter)
    assert client.get(edit_url(draft)).status_code == 404
    assert client.post(post_url(draft), {"body": "끼어들기"}).status_code == 404
    assert client.post(resolve_url(note)).status_code == 404
    assert client.post(reopen_url(note)).status_code == 404
    assert client.get(colleagues_url(draft), {"q": "한"}).status_code == 404
    assert DeskNote.objects.count() == 1
    assert not DeskNote.objects.get().is_resolved


def test_a_note_of_another_story_is_missing_at_this_storys_address(
    client, reporter, editor, draft, story_in
):
    note = notes.post_note(story_in(Status.PUBLISHED), actor=editor, body="다른 기사")
    client.force_login(editor)
    wrong = reverse("story_desk:note-resolve", args=[draft.pk, note.pk])
    assert client.post(wrong).status_code == 404


@pytest.mark.parametrize("persona", ["reader", "moderator"])
def test_readers_and_moderators_are_refused_the_notes(client, request, reporter, draft, persona):
    note = notes.post_note(draft, actor=reporter, body="수치 확인")
    client.force_login(request.getfixturevalue(persona))
    assert client.post(post_url(draft), {"body": "끼어들기"}).status_code == 403
    assert client.post(resolve_url(note)).status_code == 403
    assert client.get(colleagues_url(draft)).status_code == 403


def test_the_autocomplete_answers_the_colleagues_whose_name_holds_the_query(
    client, reporter, editor, namesake, other_reporter, draft
):
    client.force_login(reporter)
    answer = client.get(colleagues_url(draft), {"q": "한지"}).json()
    assert answer == {
        "colleagues": [
            {"id": namesake.pk, "name": "한지민", "detail": "기자 · editor-han@example.com"}
        ]
    }
    everyone = client.get(colleagues_url(draft)).json()["colleagues"]
    assert {person["id"] for person in everyone} == {editor.pk, namesake.pk}
    assert client.get(colleagues_url(draft), {"q": "박도윤"}).json() == {"colleagues": []}


def test_the_autocomplete_sends_anonymous_visitors_to_log_in(client, draft):
    response = client.get(colleagues_url(draft))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("count", [1, 12])
def test_the_autocomplete_runs_the_same_queries_whatever_the_staff(
    client, reporter, draft, count, django_assert_num_queries
):
    for number in range(count):
        staff(f"editor{number}@example.com", roles.Role.EDITOR, f"편집자{number}")
    client.force_login(reporter)
    with django_assert_num_queries(COLLEAGUE_QUERIES):
        response = client.get(colleagues_url(draft), {"q": "편집"})
    assert len(response.json()["colleagues"]) == min(count, notes.COLLEAGUES_SHOWN)


@pytest.mark.parametrize("count", [1, 8])
def test_the_editor_page_runs_the_same_queries_whatever_the_notes(
    client, reporter, editor, namesake, draft, count, django_assert_num_queries
):
    for number in range(count):
        note = notes.post_note(
            draft,
            actor=reporter,
            body=f"메모 {number}",
            paragraph=number % 4,
            mentions=[editor.pk, namesake.pk],
        )
        if number % 2:
            notes.resolve_note(note, actor=editor)
    story = workflow.submit(draft, actor=reporter)
    workflow.return_for_changes(story, actor=editor, note="다시 보세요")
    client.force_login(editor)
    client.get(edit_url(draft))  # the edit lock is taken on the first opening
    with django_assert_num_queries(EDITOR_QUERIES):
        response = client.get(edit_url(draft))
    assert len(parse(response).select("li", cls="desk-note")) == count + 1
