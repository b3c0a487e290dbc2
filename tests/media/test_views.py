"""The photo library on the desk: list, upload, edit, original, public files and the picker."""

import re
import unicodedata
from datetime import timedelta
from html import unescape
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _

from media import imaging, library
from media.errors import StaleEdit
from media.models import Photo, PhotoEvent, PhotoTag, StaffPortrait
from tests.factories import PhotoFactory, RenditionFactory
from tests.media.conftest import as_upload, korean
from tests.pages import parse

pytestmark = pytest.mark.django_db

LIST = "/desk/photos/"
UPLOAD = "/desk/photos/upload/"
PICKER = "/desk/photos/picker/"
PORTRAIT = "/desk/photos/portrait/"
PROFILE = "/desk/profile/"
JSON = {"Accept": "application/json"}
SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b"<script>alert(1)</script></svg>"
)
HANGUL = re.compile("[가-힣]")

# Session, user, the user's roles, the page count, the photos, their renditions, the desk
# header's unread notifications.
LIST_QUERIES = 7
# Session, user, roles, the photo, its renditions, its tags, its history, the header's count.
EDIT_QUERIES = 8


def edit_url(photo: Photo) -> str:
    return f"/desk/photos/{photo.pk}/"


def original_url(photo: Photo) -> str:
    return f"/desk/photos/{photo.pk}/original/"


def rejection_of(data: bytes) -> str:
    """The Korean message the uploader gets for this file."""
    with pytest.raises(imaging.ImageRejected) as rejected:
        imaging.inspect(data, max_bytes=settings.PHOTO_MAX_BYTES, max_pixels=10**8)
    return korean(rejected.value.message)


def form_data(photo: Photo, **changes) -> dict:
    photo.refresh_from_db()
    return {
        "version": photo.version,
        "caption": photo.caption,
        "credit": photo.credit,
        "alt_text": photo.alt_text,
        "tags": ", ".join(tag.name for tag in photo.tags.all()),
        "focal_x": "" if photo.focal_x is None else photo.focal_x,
        "focal_y": "" if photo.focal_y is None else photo.focal_y,
        **changes,
    }


def shown_captions(response) -> list[str]:
    return re.findall(r'<p class="photo-caption">([^<]*)</p>', response.content.decode())


# --- The library page --------------------------------------------------------------------------


def test_anonymous_visitor_is_sent_to_log_in(anonymous):
    response = anonymous.get(LIST)

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/desk/photos/"


@pytest.mark.parametrize("persona", ["reader", "moderator"])
def test_reader_and_moderator_are_refused_the_library(client, request, persona):
    client.force_login(request.getfixturevalue(persona))

    assert client.get(LIST).status_code == 403


@pytest.mark.parametrize("persona", ["reporter", "editor"])
def test_staff_with_the_library_see_the_newest_photos_first(client, request, persona, reporter):
    now = timezone.now()
    for days, caption in [(3, "사흘 전 사진"), (0, "오늘 사진"), (1, "어제 사진")]:
        PhotoFactory(caption=caption, uploaded_by=reporter, uploaded_at=now - timedelta(days=days))
    client.force_login(request.getfixturevalue(persona))

    response = client.get(LIST)

    assert response.status_code == 200
    assert shown_captions(response) == ["오늘 사진", "어제 사진", "사흘 전 사진"]


@pytest.fixture
def three_photos(reporter):
    fireworks = PhotoFactory(caption="한강 불꽃축제", credit="한지민 기자")
    agency = PhotoFactory(caption="국회 본회의", credit="연합뉴스")
    baseball = PhotoFactory(caption="잠실 경기", credit="박도윤 기자")
    baseball.tags.set([PhotoTag.objects.create(name="프로야구")])
    return fireworks, agency, baseball


@pytest.mark.parametrize(
    ("query", "found"),
    [("불꽃", "한강 불꽃축제"), ("연합", "국회 본회의"), ("야구", "잠실 경기")],
    ids=["caption", "credit", "tag"],
)
def test_search_finds_photos_by_caption_credit_or_tag(client, reporter, three_photos, query, found):
    client.force_login(reporter)

    response = client.get(LIST, {"q": query})

    assert shown_captions(response) == [found]


@pytest.mark.parametrize(
    ("query", "takes_new_uploads"),
    [({}, True), ({"q": "불꽃"}, False)],
    ids=["first-page", "search"],
)
def test_new_uploads_join_only_the_unfiltered_first_page(
    client, reporter, three_photos, query, takes_new_uploads
):
    client.force_login(reporter)

    grid = parse(client.get(LIST, query)).one("ul", cls="photo-grid")

    assert ("data-photo-grid" in grid.attrs) is takes_new_uploads


def test_search_typed_with_decomposed_jamo_finds_the_composed_tag(client, reporter, three_photos):
    client.force_login(reporter)

    response = client.get(LIST, {"q": unicodedata.normalize("NFD", "야구")})

    assert shown_captions(response) == ["잠실 경기"]


@pytest.mark.parametrize("count", [1, 30])
@pytest.mark.parametrize("query", ["", "사진"])
def test_library_page_runs_the_same_queries_for_one_or_thirty_photos(
    client, reporter, django_assert_num_queries, count, query
):
    for _number in range(count):
        photo = PhotoFactory(uploaded_by=reporter, caption="행사 사진")
        RenditionFactory(photo=photo, format="WEBP")
        RenditionFactory(photo=photo, format="JPEG")
        RenditionFactory(photo=photo, spec="share", format="JPEG", width=1200, height=630)
    client.force_login(reporter)

    with django_assert_num_queries(LIST_QUERIES):
        response = client.get(LIST, {"q": query} if query else {})

    assert response.status_code == 200
    assert len(shown_captions(response)) == min(count, 24)


# --- Upload ----------------------------------------------------------------------------------


def test_the_upload_form_shows_the_caption_credit_and_alt_text_open(client, reporter):
    client.force_login(reporter)

    form = parse(client.get(LIST)).one("form", action=UPLOAD)

    assert not form.select("details")
    caption = form.one("textarea", name="caption")
    assert "required" not in caption.attrs  # the library's default: a story writes its own
    label = form.one("label", **{"for": caption.attrs["id"]})
    assert label.text.startswith("기본 사진 설명")
    assert "기사마다 따로 쓸 수 있습니다" in form.one(id=caption.attrs["aria-describedby"]).text
    for name in ("credit", "alt_text"):
        assert form.one("input", name=name).attrs["type"] == "text"
    assert "선택" not in form.one("legend").text


def test_upload_without_script_reports_each_file_and_keeps_the_good_ones(
    client, reporter, jpeg_bytes, django_capture_on_commit_callbacks
):
    client.force_login(reporter)
    files = [
        as_upload(jpeg_bytes(), "첫째.jpg"),
        as_upload(SVG, "bad.svg", "image/svg+xml"),
        as_upload(jpeg_bytes(), "둘째.jpg"),
    ]

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(UPLOAD, {"files": files, "credit": "사진부", "tags": "서울, 시청"})

    assert response.status_code == 302
    assert response["Location"] == LIST
    page = client.get(LIST).content.decode()
    refused = rejection_of(SVG)
    assert HANGUL.search(refused)
    assert escape(f"bad.svg: {refused}") in page
    uploaded = korean(_("Uploaded."))
    assert escape(f"첫째.jpg: {uploaded}") in page
    assert escape(f"둘째.jpg: {uploaded}") in page
    assert Photo.objects.count() == 2
    assert len(parse(page).select("li", cls="photo-card")) == 2
    for photo in Photo.objects.all():
        assert photo.credit == "사진부"
        assert sorted(tag.name for tag in photo.tags.all()) == ["서울", "시청"]
        assert Path(photo.original.path).exists()
        assert photo.renditions.count() == 3  # w320 in WebP and JPEG, the share crop


def test_an_empty_file_among_good_ones_is_reported_and_the_others_are_uploaded(
    client, reporter, jpeg_bytes, django_capture_on_commit_callbacks
):
    client.force_login(reporter)
    files = [as_upload(jpeg_bytes(), "good.jpg"), as_upload(b"", "empty.jpg")]

    with django_capture_on_commit_callbacks(execute=True):
        client.post(UPLOAD, {"files": files})

    assert Photo.objects.count() == 1
    page = client.get(LIST).content.decode()
    assert escape(f"empty.jpg: {rejection_of(b'')}") in page


def test_upload_with_script_gets_json_for_a_new_picture(
    client, reporter, jpeg_bytes, django_capture_on_commit_callbacks
):
    client.force_login(reporter)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            UPLOAD,
            {"files": as_upload(jpeg_bytes(), "new.jpg"), "caption": "부산항 신항 야경"},
            headers=JSON,
        )

    photo = Photo.objects.get()
    assert response.status_code == 200
    [result] = response.json()["results"]
    card = parse(result["photo"].pop("card"))
    assert result == {
        "name": "new.jpg",
        "status": "created",
        "message": korean(_("Uploaded.")),
        "photo": {"id": photo.pk, "url": edit_url(photo)},
    }
    assert photo.renditions.count() == 3
    # The list's card, for the script to put at the top of the list.
    assert card.one("li", cls="photo-card").one("a").attrs["href"] == edit_url(photo)
    assert card.one("p", cls="photo-caption").text == "부산항 신항 야경"


def test_a_double_submit_of_the_same_file_keeps_one_photo_and_says_duplicate(
    client, reporter, jpeg_bytes, django_capture_on_commit_callbacks
):
    client.force_login(reporter)
    data = jpeg_bytes()

    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(UPLOAD, {"files": as_upload(data, "a.jpg")}, headers=JSON)
        second = client.post(UPLOAD, {"files": as_upload(data, "a.jpg")}, headers=JSON)

    photo = Photo.objects.get()
    assert first.json()["results"][0]["status"] == "created"
    [duplicate] = second.json()["results"]
    assert second.status_code == 200
    assert duplicate["status"] == "duplicate"
    assert duplicate["photo"]["id"] == photo.pk
    assert HANGUL.search(duplicate["message"])
    assert PhotoEvent.objects.filter(action="uploaded").count() == 1


def test_a_rejected_file_gets_status_400_and_a_korean_reason(
    client, reporter, django_capture_on_commit_callbacks
):
    client.force_login(reporter)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(
            UPLOAD, {"files": as_upload(SVG, "drawing.svg", "image/svg+xml")}, headers=JSON
        )

    assert response.status_code == 400
    [result] = response.json()["results"]
    assert result["name"] == "drawing.svg"
    assert result["status"] == "rejected"
    assert result["message"] == rejection_of(SVG)
    assert HANGUL.search(result["message"])
    assert "photo" not in result
    assert callbacks == []
    assert not Photo.objects.exists()


def test_upload_address_answers_only_post(client, reporter):
    client.force_login(reporter)

    assert client.get(UPLOAD).status_code == 405


@pytest.mark.parametrize("persona", ["reader", "moderator"])
def test_reader_and_moderator_cannot_upload(client, request, persona, jpeg_bytes):
    client.force_login(request.getfixturevalue(persona))

    response = client.post(UPLOAD, {"files": as_upload(jpeg_bytes())}, headers=JSON)

    assert response.status_code == 403
    assert not Photo.objects.exists()


# --- Editing details ---------------------------------------------------------------------------


def test_reporter_saves_the_details_of_their_own_photo(client, reporter, photo):
    client.force_login(reporter)

    response = client.post(
        edit_url(photo),
        form_data(
            photo,
            caption="광장에서 열린 시민 축제",
            tags="축제, 서울",
            focal_x="0.25",
            focal_y="0.4",
        ),
    )

    assert response.status_code == 302
    assert response["Location"] == edit_url(photo)
    photo.refresh_from_db()
    assert photo.caption == "광장에서 열린 시민 축제"
    assert photo.focal_point == (0.25, 0.4)
    assert sorted(tag.name for tag in photo.tags.all()) == ["서울", "축제"]
    page = client.get(edit_url(photo)).content.decode()
    assert "광장에서 열린 시민 축제</textarea>" in page
    assert escape(korean(_("The photo's details were saved."))) in page
    assert f"{korean(PhotoEvent.Action.EDITED.label)} · {reporter.email}" in page


def test_reporter_gets_a_read_only_page_for_another_reporters_photo(client, other_reporter, photo):
    client.force_login(other_reporter)

    response = client.get(edit_url(photo))

    page = response.content.decode()
    assert response.status_code == 200
    assert 'name="caption"' not in page
    assert 'name="version"' not in page
    assert f"<dd>{photo.caption}</dd>" in page


def test_reporter_cannot_post_changes_to_another_reporters_photo(client, other_reporter, photo):
    client.force_login(other_reporter)

    response = client.post(edit_url(photo), form_data(photo, caption="남의 사진 고치기"))

    assert response.status_code == 403
    photo.refresh_from_db()
    assert (photo.caption, photo.version) == ("서울시청 앞 광장", 1)
    assert not PhotoEvent.objects.filter(action="edited").exists()


def test_editor_saves_the_details_of_anyones_photo(client, editor, photo):
    client.force_login(editor)

    response = client.post(edit_url(photo), form_data(photo, credit="사진부 제공"))

    assert response.status_code == 302
    photo.refresh_from_db()
    assert (photo.credit, photo.version) == ("사진부 제공", 2)
    assert PhotoEvent.objects.get(action="edited").actor == editor


def test_a_form_saved_from_an_older_version_shows_the_stale_message_and_keeps_the_typing(
    client, reporter, editor, photo
):
    client.force_login(reporter)
    seen = form_data(photo)
    library.update_details(
        photo,
        actor=editor,
        version=1,
        caption="편집자가 고친 설명",
        credit=photo.credit,
        alt_text=photo.alt_text,
        tags=["서울"],
        focal_point=None,
    )

    response = client.post(edit_url(photo), {**seen, "caption": "기자가 새로 쓴 설명"})

    page = response.content.decode()
    assert response.status_code == 200
    stale = korean(StaleEdit().args[0])
    assert HANGUL.search(stale)
    assert escape(stale) in page
    # What they typed is kept; the saved version is shown beside it; saving again is possible.
    assert "기자가 새로 쓴 설명</textarea>" in page
    assert "편집자가 고친 설명" in page
    assert 'name="version" value="2"' in page
    photo.refresh_from_db()
    assert (photo.caption, photo.version) == ("편집자가 고친 설명", 2)
    assert PhotoEvent.objects.filter(action="edited").count() == 1


@pytest.mark.parametrize(
    ("focal_x", "focal_y"), [("0.3", ""), ("", "0.3"), ("1.5", "0.5"), ("0.5", "-0.1")]
)
def test_an_incomplete_or_outside_focal_point_is_a_form_error(
    client, reporter, photo, focal_x, focal_y
):
    client.force_login(reporter)

    response = client.post(
        edit_url(photo), form_data(photo, caption="바뀌면 안 됨", focal_x=focal_x, focal_y=focal_y)
    )

    assert response.status_code == 200
    assert response.context["form"].errors
    assert 'class="errorlist' in response.content.decode()
    photo.refresh_from_db()
    assert (photo.caption, photo.version, photo.focal_x) == ("서울시청 앞 광장", 1, None)


def test_edit_page_shows_the_share_image(client, reporter, photo):
    client.force_login(reporter)

    page = client.get(edit_url(photo)).content.decode()

    share = photo.renditions.get(spec="share")
    assert f'<img class="share-preview" src="{share.file.url}"' in page


def test_edit_page_runs_the_same_queries_however_long_the_history(
    client, reporter, photo, django_assert_num_queries
):
    client.force_login(reporter)
    with django_assert_num_queries(EDIT_QUERIES):
        assert client.get(edit_url(photo)).status_code == 200

    for number in range(25):
        library.update_details(
            photo,
            actor=reporter,
            version=number + 1,
            caption=f"설명 {number}",
            credit="",
            alt_text="",
            tags=[f"태그{number}"],
            focal_point=None,
        )

    with django_assert_num_queries(EDIT_QUERIES):
        assert client.get(edit_url(photo)).status_code == 200


def test_a_missing_photo_is_not_found(client, reporter):
    client.force_login(reporter)

    assert client.get("/desk/photos/987654/").status_code == 404


# --- The original, kept privately ----------------------------------------------------------


@pytest.mark.parametrize("persona", ["reporter", "other_reporter", "editor"])
def test_staff_download_the_original_exactly_as_uploaded(client, request, persona, photo):
    client.force_login(request.getfixturevalue(persona))

    response = client.get(original_url(photo))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == Path(photo.original.path).read_bytes()
    assert response["Content-Type"] == "image/jpeg"
    assert "sandbox" in response["Content-Security-Policy"]
    assert "private" in response["Cache-Control"]


@pytest.mark.parametrize("persona", ["reader", "moderator"])
def test_reader_and_moderator_cannot_download_the_original(client, request, persona, photo):
    client.force_login(request.getfixturevalue(persona))

    assert client.get(original_url(photo)).status_code == 403


def test_anonymous_visitor_cannot_download_the_original(anonymous, photo):
    response = anonymous.get(original_url(photo))

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize(
    "path",
    ["{name}", "../private/{name}", "..%2Fprivate%2F{name}"],
    ids=["same-name", "dot-dot", "encoded-dot-dot"],
)
def test_the_original_is_not_reachable_under_media_url(anonymous, photo, path):
    original = Path(photo.original.path).read_bytes()

    response = anonymous.get(settings.MEDIA_URL + path.format(name=photo.original.name))

    assert response.status_code in (400, 404)
    assert original not in response.content


def test_renditions_are_public_and_cached_for_good(anonymous, photo):
    for rendition in photo.renditions.all():
        response = anonymous.get(rendition.file.url)

        assert rendition.file.url.startswith(settings.MEDIA_URL)
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == Path(rendition.file.path).read_bytes()
        assert response["Content-Type"] == imaging.CONTENT_TYPES[rendition.format]
        assert "immutable" in response["Cache-Control"]
        assert "public" in response["Cache-Control"]


# --- The picker and the portrait ------------------------------------------------------------


def test_picker_offers_each_photo_as_a_form_posting_to_the_target(client, reporter):
    photos = [PhotoFactory(uploaded_by=reporter) for _number in range(3)]
    client.force_login(reporter)

    response = client.get(PICKER, {"target": PORTRAIT})

    page = response.content.decode()
    assert response.status_code == 200
    assert "<html" in page
    assert page.count(f'<form method="post" action="{PORTRAIT}" data-photo-choice>') == 3
    for photo in photos:
        assert f'name="photo" value="{photo.pk}"' in page


@pytest.mark.parametrize(
    "target", ["", "https://evil.example/desk/", "//evil.example/desk/", "/admin/", "desk/"]
)
def test_picker_refuses_a_target_outside_the_desk(client, reporter, target):
    PhotoFactory()
    client.force_login(reporter)

    assert client.get(PICKER, {"target": target}).status_code == 404


def test_picker_sends_only_the_results_to_its_script(client, reporter):
    photo = PhotoFactory(caption="골라 볼 사진")
    client.force_login(reporter)

    response = client.get(
        PICKER, {"target": PORTRAIT, "q": "골라"}, headers={"X-Requested-With": "fetch"}
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in page
    assert "data-picker-results" in page
    assert f'name="photo" value="{photo.pk}"' in page


@pytest.mark.parametrize("desk", [PROFILE, "/en/desk/profile/"], ids=["korean", "english"])
def test_the_portrait_block_on_the_profile_page_opens_the_picker(client, reporter, desk):
    PhotoFactory()
    client.force_login(reporter)
    page = client.get(desk).content.decode()

    link = unescape(re.search(r'href="([^"]*/photos/picker/[^"]*)"', page).group(1))

    assert client.get(link).status_code == 200


@pytest.mark.parametrize("count", [1, 30])
def test_picker_runs_the_same_queries_for_one_or_thirty_photos(
    client, reporter, django_assert_num_queries, count
):
    for _number in range(count):
        RenditionFactory(photo=PhotoFactory(uploaded_by=reporter))
    client.force_login(reporter)

    with django_assert_num_queries(LIST_QUERIES):
        client.get(PICKER, {"target": PORTRAIT})


def test_choosing_a_portrait_shows_it_on_the_profile_page(client, reporter, photo):
    client.force_login(reporter)

    response = client.post(PORTRAIT, {"photo": photo.pk})

    assert response.status_code == 302
    assert response["Location"] == PROFILE
    assert StaffPortrait.objects.get(profile=reporter.staff_profile).photo == photo
    page = client.get(PROFILE).content.decode()
    assert korean(_("Your portrait was changed.")) in page
    w320 = photo.renditions.get(spec="w320", format="JPEG")
    assert f"{w320.file.url} 320w" in page
    assert f'alt="{photo.alt_text}"' in page


@pytest.mark.parametrize("persona", ["reader", "moderator"])
def test_reader_and_moderator_cannot_choose_a_portrait(client, request, persona, photo):
    client.force_login(request.getfixturevalue(persona))

    assert client.post(PORTRAIT, {"photo": photo.pk}).status_code == 403
    assert not StaffPortrait.objects.exists()


def test_choosing_a_photo_that_is_gone_is_not_found(client, reporter):
    client.force_login(reporter)

    assert client.post(PORTRAIT, {"photo": 987_654}).status_code == 404
    assert not StaffPortrait.objects.exists()


def test_choosing_a_photo_with_a_garbled_id_is_not_found(client, reporter):
    client.raise_request_exception = False
    client.force_login(reporter)

    assert client.post(PORTRAIT, {"photo": "abc"}).status_code == 404
