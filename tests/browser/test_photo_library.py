"""The photo library's script-driven parts, in a real browser."""

from io import BytesIO

import pytest
from PIL import Image
from playwright.sync_api import expect

from media.models import Photo, StaffPortrait

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def jpeg(path, colour, size=(640, 420)):
    buffer = BytesIO()
    Image.new("RGB", size, colour).save(buffer, "JPEG")
    path.write_bytes(buffer.getvalue())
    return path


def test_several_uploads_show_their_own_progress_and_errors_and_join_the_list_at_once(
    signed_in_page, live_server, reporter, tmp_path
):
    good = [
        jpeg(tmp_path / "반도체.jpg", (200, 30, 30)),
        jpeg(tmp_path / "항만.jpg", (30, 30, 200)),
    ]
    bad = tmp_path / "drawing.svg"
    bad.write_text('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')
    page = signed_in_page(reporter)
    page.goto(f"{live_server.url}/desk/photos/")
    expect(page.locator(".photo-grid .empty-state")).to_be_visible()
    # Gone if the page were loaded again: the photos must come without a reload.
    page.evaluate("window.sameVisit = true")

    page.get_by_label("기본 사진 설명").fill("반도체 공장 전경")
    page.set_input_files('input[name="files"]', [*good, bad])
    page.get_by_role("button", name="올리기").click()

    items = page.locator(".upload-item")
    expect(items).to_have_count(3)
    expect(page.locator(".upload-item.is-done")).to_have_count(2)
    failed = page.locator(".upload-item.is-error")
    expect(failed).to_have_count(1)
    assert "drawing.svg" in failed.inner_text()
    assert "SVG" in failed.locator(".upload-status").inner_text()
    for index in range(3):
        assert items.nth(index).locator("progress").get_attribute("value") == "100"
    assert Photo.objects.count() == 2

    cards = page.locator(".photo-grid .photo-card")
    expect(cards).to_have_count(2)
    expect(page.locator(".photo-grid .empty-state")).to_have_count(0)
    assert page.evaluate("window.sameVisit") is True
    newest = Photo.objects.order_by("-uploaded_at", "-id").first()
    expect(cards.first.locator("a")).to_have_attribute("href", f"/desk/photos/{newest.pk}/")
    expect(cards.first.locator(".photo-caption")).to_have_text("반도체 공장 전경")
    thumbnail = page.locator(".photo-grid img").first
    thumbnail.scroll_into_view_if_needed()  # thumbnails load lazily
    expect(thumbnail).to_have_js_property("complete", True)
    assert thumbnail.evaluate("img => img.naturalWidth") > 0


def test_the_picker_dialog_searches_and_sets_the_portrait(
    signed_in_page, live_server, reporter, tmp_path
):
    from media import library

    for name, caption in [("a.jpg", "여의도 증권가 전경"), ("b.jpg", "부산 신항 크레인")]:
        with (tmp_path / name).open("wb") as handle:
            handle.write(
                jpeg(
                    tmp_path / f"src-{name}", (90, 90, 90) if "a" in name else (10, 120, 10)
                ).read_bytes()
            )
        with (tmp_path / name).open("rb") as handle:
            library.upload(handle, actor=reporter, caption=caption)
    page = signed_in_page(reporter)
    page.goto(f"{live_server.url}/desk/profile/")

    page.get_by_role("link", name="사진 보관함에서 고르기").click()
    dialog = page.locator("dialog.picker-dialog")
    assert dialog.is_visible()
    page.wait_for_selector("dialog .photo-card")
    assert dialog.locator(".photo-card").count() == 2

    dialog.get_by_role("searchbox").fill("크레인")
    expect(dialog.locator(".photo-card")).to_have_count(1)
    assert "부산 신항 크레인" in dialog.inner_text()
    dialog.get_by_role("button", name="선택").click()

    page.wait_for_url(f"{live_server.url}/desk/profile/")
    portrait = StaffPortrait.objects.get(profile__user=reporter)
    assert portrait.photo.caption == "부산 신항 크레인"
    assert page.locator(".portrait-block picture img").count() == 1


def test_clicking_the_picture_sets_the_focal_point(signed_in_page, live_server, reporter, tmp_path):
    from media import library

    with jpeg(tmp_path / "wide.jpg", (120, 120, 120), size=(1000, 500)).open("rb") as handle:
        photo = library.upload(handle, actor=reporter).photo
    page = signed_in_page(reporter)
    page.goto(f"{live_server.url}/desk/photos/{photo.pk}/")
    image = page.locator(".focal-picker img")
    box = image.bounding_box()

    image.click(position={"x": box["width"] * 0.75, "y": box["height"] * 0.25})

    assert float(page.locator('input[name="focal_x"]').input_value()) == pytest.approx(
        0.75, abs=0.02
    )
    assert float(page.locator('input[name="focal_y"]').input_value()) == pytest.approx(
        0.25, abs=0.02
    )
    assert page.locator(".focal-marker").is_visible()
    page.get_by_role("button", name="저장").click()
    photo.refresh_from_db()
    assert photo.focal_x == pytest.approx(0.75, abs=0.02)
