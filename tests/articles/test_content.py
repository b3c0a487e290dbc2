"""A story's content: drafts, saves, revisions, photos, tags, series and the edit lock."""

import unicodedata
from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction

from articles import diffs, sanitize, selectors, workflow
from articles.errors import StaleVersion
from articles.models import (
    Article,
    ArticleEvent,
    AutosaveDraft,
    Byline,
    Correction,
    PhotoUse,
    Revision,
    Series,
    Tag,
)
from tests.articles.conftest import MONDAY_9AM, edit, events_of
from tests.factories import PhotoFactory, SeriesFactory

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

Status = Article.Status
FIRST_BODY = "<p>반도체 수출이 석 달째 늘었다.</p><p>메모리 가격이 올랐다.</p>"


@pytest.fixture
def draft(reporter, section):
    return workflow.create(
        actor=reporter, section=section, headline="반도체 수출 석 달째 증가", body=FIRST_BODY
    )


@pytest.fixture
def submitted(draft, reporter):
    workflow.submit(draft, actor=reporter)
    draft.refresh_from_db()
    return draft


def revisions_of(article: Article) -> list[Revision]:
    return list(Revision.objects.filter(article=article).order_by("number"))


def count_rows(article: Article) -> tuple[int, int]:
    return (
        Revision.objects.filter(article=article).count(),
        ArticleEvent.objects.filter(article=article).count(),
    )


# --- create and save ------------------------------------------------------------------------


def test_a_new_story_is_a_draft_with_the_creators_byline_and_its_first_revision(reporter, section):
    story = workflow.create(
        actor=reporter, section=section, headline="  반도체 수출 석 달째 증가 ", body=FIRST_BODY
    )

    story.refresh_from_db()
    assert story.status == Status.DRAFT
    assert story.headline == "반도체 수출 석 달째 증가"
    assert story.version == 1
    bylines = Byline.objects.filter(article=story).select_related("profile")
    assert [(b.profile.user, b.profile.byline_name) for b in bylines] == [(reporter, "한지민")]
    assert [(r.number, r.reason, r.created_by_name) for r in revisions_of(story)] == [
        (1, "created", "한지민")
    ]
    assert revisions_of(story)[0].content["headline"] == "반도체 수출 석 달째 증가"
    [event] = events_of(story)
    assert (event.action, event.from_status, event.to_status) == ("created", "", Status.DRAFT)
    assert event.actor_name == "한지민"


def test_a_save_raises_the_version_by_one_with_one_revision_and_one_event(draft, reporter, editor):
    workflow.autosave(draft, actor=reporter, base_version=1, content={"headline": "임시"})
    workflow.autosave(draft, actor=editor, base_version=1, content={"headline": "편집자 임시"})

    edit(draft, actor=reporter, headline="반도체 수출 넉 달째 증가")

    draft.refresh_from_db()
    assert draft.version == 2
    assert draft.headline == "반도체 수출 넉 달째 증가"
    assert [(r.number, r.reason) for r in revisions_of(draft)] == [(1, "created"), (2, "saved")]
    assert revisions_of(draft)[-1].content["headline"] == "반도체 수출 넉 달째 증가"
    assert [e.action for e in events_of(draft)] == ["created", "saved"]
    assert events_of(draft)[-1].data["changed"] == ["headline"]
    # The saver's autosaved copy is spent; the editor's own is theirs to keep.
    assert list(AutosaveDraft.objects.filter(article=draft).values_list("user", flat=True)) == [
        editor.pk
    ]


def test_a_save_with_nothing_changed_writes_nothing(draft, reporter):
    before = count_rows(draft)

    edit(draft, actor=reporter, headline="반도체 수출 석 달째 증가", body=FIRST_BODY)

    draft.refresh_from_db()
    assert draft.version == 1
    assert count_rows(draft) == before


def test_saving_the_stored_body_back_unchanged_writes_nothing(draft, reporter):
    edit(draft, actor=reporter, body="<h2>제목<table><tr><td><h2>표</h2></td></tr></table></h2>")
    draft.refresh_from_db()
    before = (draft.version, count_rows(draft))

    edit(draft, actor=reporter, body=draft.body)  # the desk form sends back what it showed

    draft.refresh_from_db()
    assert (draft.version, count_rows(draft)) == before


def test_a_stale_save_is_refused_naming_who_saved_first_and_when_and_gives_the_text_back(
    clock, submitted, editor, second_editor
):
    version = submitted.version  # both editors open the story at this version
    clock.shift(timedelta(minutes=5))
    workflow.save(
        submitted, actor=editor, base_version=version, content={"body": "<p>오세훈의 고침</p>"}
    )
    clock.shift(timedelta(minutes=2))
    theirs = {"headline": "김하늘의 제목", "body": "<p>김하늘의 고침</p>"}

    with pytest.raises(StaleVersion) as refused:
        workflow.save(submitted, actor=second_editor, base_version=version, content=theirs)

    assert "오세훈" in str(refused.value)
    assert "2025-03-03 09:05" in str(refused.value)
    assert refused.value.submitted == theirs
    submitted.refresh_from_db()
    assert submitted.body == "<p>오세훈의 고침</p>"
    assert submitted.headline == "반도체 수출 석 달째 증가"
    assert submitted.version == version + 1


def test_a_double_submitted_save_writes_one_revision_and_one_event(draft, reporter):
    content = {"headline": "반도체 수출 넉 달째 증가", "body": "<p>고친 본문</p>"}

    workflow.save(draft, actor=reporter, base_version=1, content=content)
    workflow.save(draft, actor=reporter, base_version=1, content=content)

    draft.refresh_from_db()
    assert draft.version == 2
    assert count_rows(draft) == (2, 2)


def test_a_double_submitted_save_with_tags_is_not_taken_for_someone_elses(draft, reporter):
    content = {"headline": "반도체 수출 넉 달째 증가 ", "tags": ["#반도체", "수출"]}

    workflow.save(draft, actor=reporter, base_version=1, content=content)
    workflow.save(draft, actor=reporter, base_version=1, content=content)

    draft.refresh_from_db()
    assert draft.version == 2
    assert count_rows(draft) == (2, 2)


def test_autosave_keeps_one_copy_per_user_and_never_touches_the_story(draft, reporter, editor):
    before = (draft.headline, draft.version, count_rows(draft))

    workflow.autosave(draft, actor=reporter, base_version=1, content={"headline": "첫 임시"})
    workflow.autosave(draft, actor=reporter, base_version=1, content={"headline": "둘째 임시"})
    workflow.autosave(draft, actor=editor, base_version=1, content={"body": "<p>편집</p>"})

    copies = {a.user_id: a.content for a in AutosaveDraft.objects.filter(article=draft)}
    assert copies == {reporter.pk: {"headline": "둘째 임시"}, editor.pk: {"body": "<p>편집</p>"}}
    draft.refresh_from_db()
    assert (draft.headline, draft.version, count_rows(draft)) == before


def test_saving_a_published_story_is_an_update_that_sets_revised_at_and_keeps_published_at(
    clock, submitted, editor
):
    workflow.publish(submitted, actor=editor)
    submitted.refresh_from_db()
    clock.shift(timedelta(hours=3))

    edit(submitted, actor=editor, body="<p>오후 수치를 더했다.</p>")

    submitted.refresh_from_db()
    assert submitted.published_at == MONDAY_9AM  # 입력
    assert submitted.revised_at == MONDAY_9AM + timedelta(hours=3)  # 수정
    assert events_of(submitted)[-1].action == "updated"
    assert revisions_of(submitted)[-1].reason == "updated"


def test_a_correction_adds_a_dated_public_note_and_a_corrected_event(clock, submitted, editor):
    workflow.publish(submitted, actor=editor)
    submitted.refresh_from_db()
    clock.shift(timedelta(days=1))

    workflow.correct(
        submitted,
        actor=editor,
        base_version=submitted.version,
        note="수출액을 100억 달러로 바로잡았습니다.",
        content={"body": "<p>수출액은 100억 달러였다.</p>"},
    )

    shown = selectors.story_with_content(submitted.pk)
    assert [(c.note, c.created_at) for c in shown.corrections.all()] == [
        ("수출액을 100억 달러로 바로잡았습니다.", MONDAY_9AM + timedelta(days=1))
    ]
    assert shown.body == "<p>수출액은 100억 달러였다.</p>"
    assert shown.revised_at == MONDAY_9AM + timedelta(days=1)
    event = events_of(submitted)[-1]
    assert (event.action, event.note) == ("corrected", "수출액을 100억 달러로 바로잡았습니다.")


def test_a_correction_of_a_story_taken_down_meanwhile_is_refused(clock, submitted, editor):
    workflow.publish(submitted, actor=editor)
    on_screen = Article.objects.get(pk=submitted.pk)  # the editor's open correction form
    workflow.unpublish(Article.objects.get(pk=submitted.pk), actor=editor, reason="소송")
    before = count_rows(submitted)

    with pytest.raises(Exception):  # noqa: B017, PT011 - any refusal will do
        workflow.correct(on_screen, actor=editor, base_version=on_screen.version, note="수치 정정")

    assert count_rows(submitted) == before
    assert not Correction.objects.filter(article=submitted).exists()


# --- revisions ------------------------------------------------------------------------------


def test_restoring_a_revision_brings_it_back_as_a_new_revision(draft, reporter):
    edit(draft, actor=reporter, headline="고친 제목", body="<p>완전히 새 본문</p>")
    edit(draft, actor=reporter, body="<p>또 고친 본문</p>")
    first = Revision.objects.get(article=draft, number=1)
    draft.refresh_from_db()

    workflow.restore_revision(draft, first, actor=reporter, base_version=draft.version)

    draft.refresh_from_db()
    assert draft.headline == "반도체 수출 석 달째 증가"
    assert draft.body == FIRST_BODY
    newest = revisions_of(draft)[-1]
    assert (newest.number, newest.reason) == (4, "restored #1")
    assert draft.version == 4


def test_a_revision_of_another_story_cannot_be_restored(draft, reporter, section):
    other = workflow.create(actor=reporter, section=section, headline="다른 기사")

    with pytest.raises(ValueError, match="another story"):
        workflow.restore_revision(
            draft, other.revisions.get(), actor=reporter, base_version=draft.version
        )


def test_comparing_two_revisions_shows_the_removed_and_added_paragraph_and_the_new_headline(
    draft, reporter
):
    edit(
        draft,
        actor=reporter,
        headline="반도체 수출 넉 달째 증가",
        body="<p>반도체 수출이 석 달째 늘었다.</p><p>환율이 내렸다.</p>",
    )
    old, new = (revision.content for revision in revisions_of(draft))

    changes = {change.field: change.lines for change in diffs.compare(old, new)}

    assert list(changes) == ["headline", "body"]
    assert changes["headline"] == ["- 반도체 수출 석 달째 증가", "+ 반도체 수출 넉 달째 증가"]
    # Editors compare the words readers see, not the markup.
    assert changes["body"] == [
        "  반도체 수출이 석 달째 늘었다.",
        "- 메모리 가격이 올랐다.",
        "+ 환율이 내렸다.",
    ]


# --- photos ---------------------------------------------------------------------------------


@pytest.fixture
def photos(db):
    return [
        PhotoFactory(caption="평택 공장 전경", credit="연합뉴스", alt_text="반도체 공장 항공 사진"),
        PhotoFactory(caption="수출 선적 부두", credit="한지민 기자", alt_text="컨테이너 부두"),
    ]


def uses_of(article: Article) -> list[PhotoUse]:
    return list(PhotoUse.objects.filter(article=article).order_by("order"))


def test_photos_in_a_story_take_their_caption_credit_and_alt_text_from_the_library(
    draft, reporter, photos
):
    first, second = photos

    edit(
        draft,
        actor=reporter,
        photo_uses=[{"photo": first.pk, "is_lead": True}, {"photo": second.pk}],
    )

    assert [(u.photo, u.caption, u.credit, u.alt_text, u.is_lead) for u in uses_of(draft)] == [
        (first, "평택 공장 전경", "연합뉴스", "반도체 공장 항공 사진", True),
        (second, "수출 선적 부두", "한지민 기자", "컨테이너 부두", False),
    ]
    assert events_of(draft)[-1].data["changed"] == ["photo_uses"]


def test_a_story_has_one_lead_photo_and_the_lead_can_be_switched(draft, reporter, photos):
    first, second = photos
    edit(
        draft,
        actor=reporter,
        photo_uses=[{"photo": first.pk, "is_lead": True}, {"photo": second.pk}],
    )
    old_lead, other = uses_of(draft)

    edit(
        draft,
        actor=reporter,
        photo_uses=[
            {"id": old_lead.pk, "photo": first.pk},
            {"id": other.pk, "photo": second.pk, "is_lead": True, "caption": "부산항 선적"},
        ],
    )

    assert [(u.pk, u.is_lead, u.caption) for u in uses_of(draft)] == [
        (old_lead.pk, False, "평택 공장 전경"),
        (other.pk, True, "부산항 선적"),
    ]


def test_a_photo_left_out_of_the_list_leaves_the_story(draft, reporter, photos):
    first, second = photos
    edit(draft, actor=reporter, photo_uses=[{"photo": first.pk}, {"photo": second.pk}])
    kept = uses_of(draft)[1]

    edit(draft, actor=reporter, photo_uses=[{"id": kept.pk, "photo": second.pk}])

    assert uses_of(draft) == [kept]


def test_the_body_keeps_placeholders_of_its_own_photos_only(draft, reporter, section, photos):
    first, second = photos
    other_story = workflow.create(actor=reporter, section=section, headline="다른 기사")
    edit(other_story, actor=reporter, photo_uses=[{"photo": second.pk}])
    edit(draft, actor=reporter, photo_uses=[{"photo": first.pk, "is_lead": True}])
    [own] = uses_of(draft)
    [foreign] = uses_of(other_story)

    edit(
        draft,
        actor=reporter,
        body=(
            f'<p>첫 문단</p><figure data-photo-use="{own.pk}"></figure><p>둘째 문단</p>'
            f'<figure data-photo-use="{foreign.pk}"></figure>'
        ),
    )

    draft.refresh_from_db()
    assert draft.body == (
        f'<p>첫 문단</p><figure data-photo-use="{own.pk}"></figure><p>둘째 문단</p>'
    )
    assert sanitize.photo_use_ids(draft.body) == [own.pk]


# --- tags and series ------------------------------------------------------------------------


def test_a_tag_is_one_tag_however_its_hangul_is_spelled(draft, reporter, section):
    decomposed = unicodedata.normalize("NFD", "반도체")
    assert decomposed != "반도체"
    other = workflow.create(actor=reporter, section=section, headline="다른 기사")

    edit(draft, actor=reporter, tags=["#반도체"])
    edit(other, actor=reporter, tags=[decomposed])

    [tag] = Tag.objects.all()
    assert tag.name == "반도체"
    assert list(draft.tags.all()) == list(other.tags.all()) == [tag]


def test_series_labels_use_circled_numbers_up_to_twenty():
    series = Series(name="반도체 공급망")

    assert series.label(1) == "[반도체 공급망①]"
    assert series.label(20).endswith("⑳]")
    assert series.label(21).endswith("21]")
    assert series.label(None) == "[반도체 공급망]"


def test_a_story_in_a_series_shows_its_part(draft, reporter):
    series = SeriesFactory(name="반도체 공급망")

    edit(draft, actor=reporter, series=series.pk, series_ordinal=3)

    draft.refresh_from_db()
    assert draft.series_label == "[반도체 공급망③]"


def test_a_story_in_a_series_without_a_part_number_is_refused_by_the_database(draft, reporter):
    series = SeriesFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        edit(draft, actor=reporter, series=series.pk)

    draft.refresh_from_db()
    assert draft.series is None
    assert draft.version == 1


def test_two_stories_cannot_be_the_same_part_of_a_series(draft, reporter, section):
    series = SeriesFactory()
    other = workflow.create(actor=reporter, section=section, headline="다른 기사")
    edit(draft, actor=reporter, series=series.pk, series_ordinal=1)

    with pytest.raises(IntegrityError), transaction.atomic():
        edit(other, actor=reporter, series=series.pk, series_ordinal=1)


# --- the edit lock --------------------------------------------------------------------------


def test_the_edit_lock_warns_a_second_editor_without_keeping_them_out(
    clock, submitted, editor, second_editor
):
    first = workflow.open_for_editing(submitted, actor=editor)
    clock.shift(timedelta(minutes=3))
    second = workflow.open_for_editing(submitted, actor=second_editor)

    assert first == workflow.EditLock(holder=None, since=None)
    assert second == workflow.EditLock(holder=editor, since=MONDAY_9AM)
    edit(submitted, actor=second_editor, headline="김하늘도 고칠 수 있다")
    submitted.refresh_from_db()
    assert submitted.headline == "김하늘도 고칠 수 있다"


def test_the_edit_lock_expires_after_fifteen_minutes(clock, submitted, editor, second_editor):
    workflow.open_for_editing(submitted, actor=editor)
    clock.shift(timedelta(minutes=16))

    warning = workflow.open_for_editing(submitted, actor=second_editor)

    assert warning == workflow.EditLock(holder=None, since=None)
    submitted.refresh_from_db()
    assert submitted.editing_by == second_editor
    assert submitted.editing_since == MONDAY_9AM + timedelta(minutes=16)


def test_closing_the_story_releases_the_lock(submitted, editor, second_editor):
    workflow.open_for_editing(submitted, actor=editor)

    workflow.close_for_editing(submitted, actor=second_editor)  # not theirs to release
    submitted.refresh_from_db()
    assert submitted.editing_by == editor

    workflow.close_for_editing(submitted, actor=editor)
    submitted.refresh_from_db()
    assert (submitted.editing_by, submitted.editing_since) == (None, None)
    assert workflow.open_for_editing(submitted, actor=second_editor).holder is None
