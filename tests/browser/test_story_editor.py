"""The reporter's story editor in a real browser: the rich-text editor, photos from the
library, autosave, preview, submitting, and a stale-save conflict that keeps the text."""

from io import BytesIO

import pytest
from PIL import Image
from playwright.sync_api import expect

from articles import workflow
from articles.models import Article, AutosaveDraft, PhotoUse
from media import library

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


@pytest.fixture
def harbour_photo(reporter, tmp_path):
    buffer = BytesIO()
    Image.new("RGB", (800, 500), (20, 90, 160)).save(buffer, "JPEG")
    path = tmp_path / "harbour.jpg"
    path.write_bytes(buffer.getvalue())
    with path.open("rb") as handle:
        return library.upload(
            handle, actor=reporter, caption="부산 신항 컨테이너 부두", credit="솔빛경제 DB"
        ).photo


def test_a_reporter_writes_a_story_with_a_photo_previews_and_submits(
    signed_in_page, live_server, reporter, section, harbour_photo, settings
):
    settings.DESK_AUTOSAVE_SECONDS = 1
    page = signed_in_page(reporter)
    page.goto(f"{live_server.url}/desk/articles/new/")
    page.locator("#id_headline").fill("부산항 물동량 석 달째 늘어")
    page.locator("#id_section").select_option(str(section.pk))
    body = page.locator(".ProseMirror[contenteditable]")
    body.click()
    page.keyboard.type("부산항의 컨테이너 물동량이 석 달 연속 늘었다.")
    page.get_by_role("button", name="저장", exact=True).click()

    page.wait_for_url("**/edit/")
    story = Article.objects.get()
    assert story.status == Article.Status.DRAFT
    assert "석 달 연속" in story.body
    expect(page.locator(".messages")).to_contain_text("저장했습니다")

    page.locator(".ProseMirror[contenteditable] p").last.click()
    page.keyboard.press("End")
    page.get_by_role("link", name="본문에 사진 넣기").click()
    dialog = page.locator("dialog.picker-dialog")
    dialog.locator(".photo-card").first.wait_for()
    dialog.get_by_role("button", name="선택").click()
    figure = page.locator(".ProseMirror[contenteditable] figure.editor-photo")
    expect(figure).to_have_count(1)
    expect(figure.locator("figcaption")).to_have_text("▲ 부산 신항 컨테이너 부두 [솔빛경제 DB]")
    row = page.locator("[data-photo-row]")
    row.locator("textarea").fill("부산 신항에서 컨테이너를 싣는 모습")
    expect(figure.locator("figcaption")).to_contain_text("컨테이너를 싣는 모습")

    expect(page.locator("[data-autosave-status]")).to_contain_text("자동 저장됨", timeout=10_000)
    autosave = AutosaveDraft.objects.get(article=story, user=reporter)
    assert autosave.content["fields"]["headline"] == ["부산항 물동량 석 달째 늘어"]
    story.refresh_from_db()
    assert story.version == 1  # an autosave never touches the story

    page.get_by_role("button", name="저장", exact=True).click()
    page.wait_for_url("**/edit/")
    use = PhotoUse.objects.get(article=story)
    assert use.caption == "부산 신항에서 컨테이너를 싣는 모습"
    story.refresh_from_db()
    assert f'<figure data-photo-use="{use.pk}"></figure>' in story.body
    assert not AutosaveDraft.objects.filter(article=story).exists()

    preview = page.context.new_page()
    preview.goto(f"{live_server.url}/desk/articles/{story.pk}/preview/")
    expect(preview.locator(".preview-banner")).to_contain_text("미리보기")
    expect(preview.locator("h1.headline")).to_have_text("부산항 물동량 석 달째 늘어")
    expect(preview.locator(".story-body figcaption")).to_contain_text(
        "▲ 부산 신항에서 컨테이너를 싣는 모습"
    )
    preview.close()

    page.get_by_role("button", name="저장하고 출고 요청").click()
    page.wait_for_url(f"{live_server.url}/desk/")
    story.refresh_from_db()
    assert story.status == Article.Status.SUBMITTED
    expect(page.locator("#submitted")).to_contain_text("부산항 물동량 석 달째 늘어")


def test_the_writers_text_survives_a_stale_save_conflict(
    signed_in_page, live_server, reporter, editor, section
):
    story = workflow.create(
        actor=reporter, section=section, headline="금리 동결", body="<p>처음 문단.</p>"
    )
    page = signed_in_page(reporter)
    page.goto(f"{live_server.url}/desk/articles/{story.pk}/edit/")
    page.locator(".ProseMirror[contenteditable]").click()
    page.keyboard.press("Control+End")
    page.keyboard.type(" 기자가 덧붙인 문장.")

    # Meanwhile an editor saves the story.
    workflow.save(story, actor=editor, base_version=1, content={"headline": "기준금리 동결"})

    page.get_by_role("button", name="저장", exact=True).click()
    expect(page.locator(".notice.conflict")).to_be_visible()
    expect(page.locator(".ProseMirror[contenteditable]")).to_contain_text("기자가 덧붙인 문장.")
    expect(page.locator("#id_headline")).to_have_value("금리 동결")
    story.refresh_from_db()
    assert story.headline == "기준금리 동결"
    assert "덧붙인" not in story.body

    page.get_by_role("button", name="저장", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("저장했습니다")
    story.refresh_from_db()
    assert "기자가 덧붙인 문장." in story.body
    assert story.version == 3


def test_the_same_photo_as_lead_and_in_the_text_is_listed_once_with_a_caption_per_use(
    signed_in_page, live_server, reporter, section, harbour_photo
):
    story = workflow.create(
        actor=reporter, section=section, headline="부산항 물동량", body="<p>첫 문단.</p>"
    )
    page = signed_in_page(reporter)
    page.goto(f"{live_server.url}/desk/articles/{story.pk}/edit/")
    page.locator(".ProseMirror[contenteditable] p").last.click()
    page.keyboard.press("End")

    for link in ("본문에 사진 넣기", "대표 사진 고르기"):
        page.get_by_role("link", name=link).click()
        dialog = page.locator("dialog.picker-dialog")
        dialog.locator(".photo-card").first.wait_for()
        dialog.get_by_role("button", name="선택").click()
        expect(dialog).to_have_count(0)

    group = page.locator("[data-photo-rows] [data-photo-group]")
    expect(group).to_have_count(1)
    expect(group.locator("[data-photo-thumb] img")).to_have_count(1)
    uses = group.locator("[data-photo-row]")
    expect(uses.locator("[data-photo-use-label]")).to_have_text(["본문 사진", "대표 사진"])
    uses.nth(0).locator("textarea").fill("부산 신항에 들어오는 컨테이너선")
    uses.nth(1).locator("textarea").fill("부산 신항 전경")
    figure = page.locator(".ProseMirror[contenteditable] figure.editor-photo")
    expect(figure.locator("figcaption")).to_contain_text("컨테이너선")
    expect(figure.locator("img")).to_have_count(1)

    page.get_by_role("button", name="저장", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("저장했습니다")
    captions = dict(PhotoUse.objects.filter(article=story).values_list("is_lead", "caption"))
    assert captions == {False: "부산 신항에 들어오는 컨테이너선", True: "부산 신항 전경"}
    uses = page.locator("[data-photo-rows] [data-photo-group] [data-photo-row]")
    expect(uses.locator("[data-photo-use-label]")).to_have_text(["본문 사진", "대표 사진"])

    # Moved off the lead, that use is in the story no more, and says so at once.
    page.get_by_label("대표 사진 없음").check()
    expect(uses.locator("[data-photo-use-label]")).to_have_text(["본문 사진", "기사에 나오지 않음"])
