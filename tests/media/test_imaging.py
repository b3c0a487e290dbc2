"""Upload checks and renditions (media.imaging): every picture is made here with Pillow."""

import hashlib
import math
import struct
import zlib
from io import BytesIO

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image, ImageCms, ImageFile, JpegImagePlugin

from media import imaging

RED = (220, 20, 20)
BLUE = (20, 20, 220)
LIMITS = {"max_bytes": 20 * 1024 * 1024, "max_pixels": 50_000_000}
GPS_MARKER = "SEOUL-CITY-HALL-GPS"


def encode(image: Image.Image, image_format: str, **options) -> bytes:
    buffer = BytesIO()
    image.save(buffer, image_format, **options)
    return buffer.getvalue()


def two_halves(width: int, height: int, left=RED, right=BLUE) -> Image.Image:
    image = Image.new("RGB", (width, height), right)
    image.paste(left, (0, 0, width // 2, height))
    return image


def noise(width: int = 64, height: int = 64) -> Image.Image:
    return Image.effect_noise((width, height), 80).convert("RGB")


def png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def handmade_png(width: int, height: int, idat: bytes, *, bit_depth=8, colour_type=0) -> bytes:
    header = struct.pack(">IIBBBBB", width, height, bit_depth, colour_type, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", idat)
        + png_chunk(b"IEND", b"")
    )


def reopen(data: bytes) -> Image.Image:
    image = Image.open(BytesIO(data))
    image.load()
    return image


def is_red(pixel) -> bool:
    red, green, blue = pixel[:3]
    return red > 150 and green < 90 and blue < 90


def is_blue(pixel) -> bool:
    red, green, blue = pixel[:3]
    return blue > 150 and red < 90 and green < 90


def refusal(data: bytes, **limits) -> imaging.ImageRejected:
    with pytest.raises(imaging.ImageRejected) as caught:
        imaging.inspect(data, **{**LIMITS, **limits})
    assert str(caught.value.message).strip(), "the uploader is told why"
    return caught.value


def by_spec_and_format(files: list[imaging.RenderedFile]) -> dict:
    return {(file.spec, file.format): file for file in files}


# --- What inspect() accepts -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("image_format", "expected"),
    [("JPEG", "JPEG"), ("PNG", "PNG"), ("WEBP", "WEBP"), ("GIF", "GIF")],
)
def test_each_accepted_format_is_reported_with_its_size_and_content_hash(image_format, expected):
    data = encode(two_halves(120, 80), image_format)

    inspected = imaging.inspect(data, **LIMITS)

    assert inspected.format == expected
    assert (inspected.width, inspected.height) == (120, 80)
    assert inspected.content_hash == hashlib.sha256(data).hexdigest()
    assert imaging.content_hash(data) == inspected.content_hash


def test_a_gif_with_a_transparent_colour_is_accepted():
    picture = Image.new("P", (40, 30), 0)
    picture.putpalette([255, 255, 255, *RED])
    picture.paste(1, (10, 10, 30, 20))
    data = encode(picture, "GIF", transparency=0)
    assert "transparency" in Image.open(BytesIO(data)).info

    inspected = imaging.inspect(data, **LIMITS)

    assert (inspected.format, inspected.width, inspected.height) == ("GIF", 40, 30)


def test_an_animated_gif_is_accepted_and_renders_its_first_frame():
    frames = [Image.new("RGB", (60, 40), colour) for colour in (RED, BLUE, RED)]
    data = encode(frames[0], "GIF", save_all=True, append_images=frames[1:], duration=100)
    assert Image.open(BytesIO(data)).n_frames == 3

    inspected = imaging.inspect(data, **LIMITS)
    files = imaging.render(data, imaging.wanted_specs(inspected.width))

    assert (inspected.format, inspected.width, inspected.height) == ("GIF", 60, 40)
    for file in files:
        assert is_red(reopen(file.data).convert("RGB").getpixel((file.width // 2, 0)))


def test_the_same_picture_always_gets_the_same_hash_and_a_changed_one_another():
    data = encode(noise(), "PNG")
    changed = encode(noise(), "PNG")

    first = imaging.inspect(data, **LIMITS)
    again = imaging.inspect(bytes(data), **LIMITS)

    assert first.content_hash == again.content_hash
    assert imaging.inspect(changed, **LIMITS).content_hash != first.content_hash


def test_a_file_exactly_at_the_size_limit_is_accepted():
    data = encode(noise(), "PNG")

    assert imaging.inspect(data, max_bytes=len(data), max_pixels=64 * 64).width == 64


# --- What inspect() refuses -----------------------------------------------------------------


def test_an_empty_file_is_refused_as_empty():
    assert refusal(b"").code == "empty"


def test_a_file_over_the_byte_limit_is_refused_as_too_large():
    data = encode(noise(), "PNG")

    assert refusal(data, max_bytes=len(data) - 1).code == "too_large"


def test_a_header_claiming_too_many_pixels_is_refused_before_any_pixel_is_decoded(monkeypatch):
    # 5000x5000 is below Pillow's own bomb limit, so only our header check can catch it.
    data = handmade_png(5000, 5000, zlib.compress(b"\x00" * 5001))

    def no_decoding(self):
        raise AssertionError("pixels were decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", no_decoding)

    assert refusal(data, max_pixels=1_000_000).code == "too_many_pixels"


def test_a_tiny_png_claiming_30000_by_30000_pixels_is_refused_without_decoding(monkeypatch):
    data = handmade_png(30000, 30000, zlib.compress(b"\x00" * 100))
    assert len(data) < 200

    def no_decoding(self):
        raise AssertionError("pixels were decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", no_decoding)

    assert refusal(data, max_pixels=10**10).code == "too_many_pixels"


def test_a_real_decompression_bomb_beyond_pillows_own_limit_is_refused():
    # A one-bit PNG of real (all white) rows: a few kilobytes that would unpack to more
    # than twice Pillow's MAX_IMAGE_PIXELS, with our own limit set far above it.
    side = math.isqrt(2 * Image.MAX_IMAGE_PIXELS) + 1000
    row = b"\x00" + b"\xff" * math.ceil(side / 8)
    packer = zlib.compressobj(9)
    idat = b"".join(packer.compress(row) for _ in range(side)) + packer.flush()
    data = handmade_png(side, side, idat, bit_depth=1)
    assert len(data) < 100_000

    assert refusal(data, max_pixels=10**12).code == "too_many_pixels"


def test_a_picture_between_one_and_two_times_pillows_limit_is_refused_too():
    # Pillow only warns here; the warning must not let the picture through.
    side = math.isqrt(Image.MAX_IMAGE_PIXELS) + 500
    data = handmade_png(side, side, zlib.compress(b"\x00" * 100))

    assert refusal(data, max_pixels=10**12).code == "too_many_pixels"


def test_svg_text_is_refused_as_markup():
    svg = (
        b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" '
        b'height="10"><script>alert(1)</script><rect width="10" height="10"/></svg>'
    )

    assert refusal(svg).code == "markup"


def test_an_html_page_is_refused():
    page = b"<!DOCTYPE html><html><body><p>\xec\x95\x88\xeb\x85\x95</p></body></html>"

    assert refusal(page).code in {"markup", "not_image"}


def test_plain_text_is_refused_as_not_an_image():
    assert refusal("기사 초안입니다.".encode()).code == "not_image"


@pytest.mark.parametrize("image_format", ["TIFF", "BMP"])
def test_a_real_picture_in_another_format_is_refused_as_not_an_image(image_format):
    data = encode(two_halves(40, 30), image_format)
    assert Image.open(BytesIO(data)).format == image_format

    assert refusal(data).code == "not_image"


@pytest.mark.parametrize("image_format", ["JPEG", "PNG", "WEBP"])
def test_a_picture_cut_off_halfway_is_refused_as_broken(image_format):
    data = encode(noise(), image_format)

    assert refusal(data[: len(data) // 2]).code == "broken"


def test_a_progressive_jpeg_cut_off_is_refused_as_broken():
    data = encode(noise(256, 256), "JPEG", progressive=True)

    assert refusal(data[: len(data) * 2 // 3]).code == "broken"


def test_a_png_with_a_web_page_appended_is_refused_as_markup():
    data = encode(noise(), "PNG") + b"<html><script>fetch('/desk/')</script></html>"

    assert refusal(data).code == "markup"


def test_a_png_with_harmless_bytes_after_its_end_is_refused_as_trailing_data():
    data = encode(noise(), "PNG") + b"PK\x03\x04 just some archive bytes"

    assert refusal(data).code == "trailing_data"


def test_a_gif_with_bytes_after_its_trailer_is_refused_as_trailing_data():
    data = encode(two_halves(40, 30), "GIF") + b"PK\x03\x04 zip"

    assert refusal(data).code == "trailing_data"


def test_a_webp_with_bytes_after_its_riff_size_is_refused_as_trailing_data():
    data = encode(noise(), "WEBP")
    assert int.from_bytes(data[4:8], "little") + 8 == len(data)

    assert refusal(data + b"PK\x03\x04 zip").code == "trailing_data"


def test_a_jpeg_with_a_phone_trailer_after_its_end_is_accepted():
    # Samsung phones append their own trailer after the end-of-image marker.
    data = encode(two_halves(80, 60), "JPEG") + b"SEFH\x00\x00\x00\x01 camera trailer SEFT"
    assert data.rfind(b"\xff\xd9") < len(data) - 2

    inspected = imaging.inspect(data, **LIMITS)

    assert (inspected.format, inspected.width, inspected.height) == ("JPEG", 80, 60)
    assert inspected.content_hash == hashlib.sha256(data).hexdigest()


def test_a_jpeg_with_a_script_after_its_end_is_refused_as_markup():
    data = encode(two_halves(80, 60), "JPEG") + b"<script>alert(document.cookie)</script>"

    assert refusal(data).code == "markup"


def test_a_gif_with_a_script_ending_in_a_semicolon_appended_is_refused():
    data = encode(two_halves(40, 30), "GIF") + b"\nalert(document.domain);"

    assert refusal(data).code == "trailing_data"


def test_a_png_with_a_second_png_appended_is_refused():
    data = encode(noise(), "PNG") + encode(two_halves(40, 30), "PNG")

    assert refusal(data).code == "trailing_data"


def test_a_plain_grey_png_whose_pixel_bytes_spell_svg_is_accepted():
    # Four grey pixels (60, 115, 118, 103), stored without compression as zlib allows.
    data = handmade_png(4, 1, zlib.compress(b"\x00<svg", 0))
    assert [reopen(data).getpixel((x, 0)) for x in range(4)] == [60, 115, 118, 103]

    assert imaging.inspect(data, **LIMITS).format == "PNG"


def test_a_jpeg_with_a_second_picture_embedded_is_reported_as_jpeg():
    first, second = two_halves(64, 48), two_halves(64, 48, BLUE, RED)
    data = encode(first, "MPO", save_all=True, append_images=[second])
    assert data.startswith(b"\xff\xd8")

    assert imaging.inspect(data, **LIMITS).format == "JPEG"


# --- Orientation and metadata ---------------------------------------------------------------


def rotated_jpeg() -> bytes:
    """Stored 800x400 with a red left half; EXIF orientation 6 turns it a quarter clockwise,
    so the upright picture is 400x800 with red on top and blue below."""
    exif = Image.Exif()
    exif[imaging.ORIENTATION_TAG] = 6
    return encode(two_halves(800, 400), "JPEG", exif=exif, quality=95)


def test_an_exif_rotated_photo_is_reported_with_its_upright_size():
    inspected = imaging.inspect(rotated_jpeg(), **LIMITS)

    assert (inspected.width, inspected.height) == (400, 800)


def test_an_exif_rotated_photo_renders_upright_with_the_colours_where_they_belong():
    data = rotated_jpeg()
    inspected = imaging.inspect(data, **LIMITS)
    width_specs = [spec for spec in imaging.wanted_specs(inspected.width) if spec.height is None]
    assert width_specs

    for file in imaging.render(data, width_specs):
        picture = reopen(file.data).convert("RGB")
        assert picture.height > picture.width, (file.spec, file.format)
        assert is_red(picture.getpixel((picture.width // 2, picture.height // 4))), (
            file.spec,
            file.format,
        )
        assert is_blue(picture.getpixel((picture.width // 2, picture.height * 3 // 4))), (
            file.spec,
            file.format,
        )


@pytest.mark.parametrize(("focal_y", "top_colour"), [(0.1, is_red), (0.9, is_blue)])
def test_an_exif_rotated_photo_gets_its_share_crop_from_the_upright_picture(focal_y, top_colour):
    (share,) = imaging.render(rotated_jpeg(), [imaging.SHARE_SPEC], focal=(0.5, focal_y))
    picture = reopen(share.data).convert("RGB")

    assert picture.size == (1200, 630)
    assert top_colour(picture.getpixel((600, 315)))


def test_no_exif_gps_icc_or_comment_survives_in_any_rendered_file():
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0110] = "PhoneModel-X"  # Model
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (37.0, 33.0, 59.0)  # GPSLatitudeRef, GPSLatitude
    gps[3], gps[4] = "E", (126.0, 58.0, 40.0)  # GPSLongitudeRef, GPSLongitude
    gps[0x12] = GPS_MARKER  # GPSMapDatum
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF>XMP-SOURCE-MARK</rdf:RDF></x:xmpmeta>'
    data = encode(
        two_halves(700, 400),
        "JPEG",
        exif=exif,
        icc_profile=icc,
        comment=b"COMMENT-SOURCE-MARK",
        xmp=xmp,
    )
    source = Image.open(BytesIO(data))
    assert source.getexif().get_ifd(0x8825)[0x12] == GPS_MARKER
    assert {"exif", "icc_profile", "comment"} <= set(source.info)
    assert GPS_MARKER.encode() in data

    files = imaging.render(data, imaging.wanted_specs(imaging.inspect(data, **LIMITS).width))

    assert len(files) == 5
    for file in files:
        picture = reopen(file.data)
        assert not picture.getexif(), (file.spec, file.format)
        assert not {"exif", "icc_profile", "comment", "xmp", "XML:com.adobe.xmp"} & set(
            picture.info
        ), (file.spec, file.format)
        for leak in (GPS_MARKER.encode(), b"PhoneMaker", b"Exif\x00\x00", b"acsp"):
            assert leak not in file.data, (file.spec, file.format, leak)
        assert b"COMMENT-SOURCE-MARK" not in file.data
        assert b"XMP-SOURCE-MARK" not in file.data


# --- wanted_specs() -------------------------------------------------------------------------


def names(specs) -> list[str]:
    return [spec.name for spec in specs]


def test_a_700_pixel_photo_gets_the_two_smaller_widths_and_the_share_crop():
    assert names(imaging.wanted_specs(700)) == ["w320", "w640", "share"]


def test_a_large_photo_gets_every_width_and_the_share_crop():
    assert names(imaging.wanted_specs(4000)) == ["w320", "w640", "w960", "w1600", "share"]


def test_a_tiny_photo_still_gets_one_width_rendition_and_the_share_crop():
    assert names(imaging.wanted_specs(100)) == ["w320", "share"]


def test_no_photo_width_gets_an_enlarged_width_rendition_and_all_get_the_share_crop():
    for width in range(1, 2500, 7):
        specs = imaging.wanted_specs(width)
        width_specs = [spec for spec in specs if spec.height is None]
        assert names(specs)[-1] == "share"
        assert len(width_specs) >= 1
        assert all(spec.width <= width for spec in width_specs) or names(width_specs) == ["w320"]


def test_a_tiny_photo_is_not_enlarged_in_its_width_rendition():
    data = encode(two_halves(100, 60), "PNG")

    files = by_spec_and_format(imaging.render(data, imaging.wanted_specs(100)))

    for image_format in ("WEBP", "JPEG"):
        file = files[("w320", image_format)]
        assert (file.width, file.height) == (100, 60)
        assert reopen(file.data).size == (100, 60)
    assert reopen(files[("share", "JPEG")].data).size == (1200, 630)


# --- render() -------------------------------------------------------------------------------


def test_width_renditions_come_in_webp_and_jpeg_and_the_share_crop_in_jpeg_only():
    data = encode(two_halves(700, 400), "JPEG")

    files = by_spec_and_format(imaging.render(data, imaging.wanted_specs(700)))

    assert set(files) == {
        ("w320", "WEBP"),
        ("w320", "JPEG"),
        ("w640", "WEBP"),
        ("w640", "JPEG"),
        ("share", "JPEG"),
    }
    expected_sizes = {"w320": (320, 183), "w640": (640, 366), "share": (1200, 630)}
    for (spec, image_format), file in files.items():
        picture = reopen(file.data)
        assert picture.format == image_format
        assert picture.size == (file.width, file.height) == expected_sizes[spec]
        assert is_red(picture.convert("RGB").getpixel((file.width // 4, file.height // 2)))
        assert is_blue(picture.convert("RGB").getpixel((file.width * 3 // 4, file.height // 2)))


@pytest.mark.parametrize("image_format", ["JPEG", "PNG", "WEBP", "GIF"])
def test_every_accepted_format_renders_files_that_decode(image_format):
    data = encode(two_halves(700, 400), image_format)

    files = imaging.render(data, imaging.wanted_specs(700))

    assert len(files) == 5
    for file in files:
        picture = reopen(file.data)
        assert picture.format == file.format
        assert picture.size == (file.width, file.height)
        assert picture.mode in {"RGB", "RGBA"}


def transparent_png() -> bytes:
    """Left half fully transparent, right half opaque red."""
    picture = Image.new("RGBA", (400, 200), (0, 0, 0, 0))
    picture.paste((*RED, 255), (200, 0, 400, 200))
    return encode(picture, "PNG")


def test_a_transparent_png_renders_to_jpeg_on_white():
    data = transparent_png()

    for file in imaging.render(data, [imaging.SPECS["w320"], imaging.SHARE_SPEC]):
        if file.format != "JPEG":
            continue
        picture = reopen(file.data)
        assert picture.mode == "RGB"
        assert min(picture.getpixel((file.width // 8, file.height // 2))) >= 245, (
            file.spec,
            file.format,
        )
        assert is_red(picture.getpixel((file.width * 7 // 8, file.height // 2))), (
            file.spec,
            file.format,
        )


def test_a_transparent_png_renders_to_a_webp_that_keeps_its_transparency():
    data = transparent_png()

    (webp,) = [f for f in imaging.render(data, [imaging.SPECS["w320"]]) if f.format == "WEBP"]
    picture = reopen(webp.data)

    assert picture.mode == "RGBA"
    assert picture.getpixel((40, 80))[3] == 0
    assert picture.getpixel((280, 80))[3] == 255
    assert is_red(picture.getpixel((280, 80)))


def test_a_transparent_gif_renders_to_jpeg_on_white_and_webp_with_transparency():
    picture = Image.new("P", (400, 200), 0)
    picture.putpalette([0, 0, 0, *RED])
    picture.paste(1, (200, 0, 400, 200))
    data = encode(picture, "GIF", transparency=0)

    files = by_spec_and_format(imaging.render(data, [imaging.SPECS["w320"]]))

    jpeg, webp = reopen(files["w320", "JPEG"].data), reopen(files["w320", "WEBP"].data)
    assert min(jpeg.getpixel((40, 80))) >= 245
    assert webp.mode == "RGBA"
    assert webp.getpixel((40, 80))[3] == 0
    assert is_red(webp.getpixel((280, 80)))


def test_a_16_bit_greyscale_png_keeps_its_grey_in_renditions():
    # 46% grey, little-endian 16-bit samples (paste() would fill the bytes, not the values).
    picture = Image.frombytes("I;16", (64, 64), (30000).to_bytes(2, "little") * 64 * 64)
    data = encode(picture, "PNG")
    assert imaging.inspect(data, **LIMITS).format == "PNG"

    for file in imaging.render(data, [imaging.SPECS["w320"]]):
        grey = reopen(file.data).convert("RGB").getpixel((32, 32))
        assert all(100 <= channel <= 140 for channel in grey), (file.format, grey)


# --- focal_crop_box() -----------------------------------------------------------------------


@settings(max_examples=300, database=None)
@given(
    width=st.integers(1, 10000),
    height=st.integers(1, 10000),
    aspect=st.floats(0.2, 5),
    focal_x=st.floats(0, 1),
    focal_y=st.floats(0, 1),
)
def test_the_focal_crop_is_the_largest_box_of_that_shape_inside_the_picture(
    width, height, aspect, focal_x, focal_y
):
    left, top, right, bottom = imaging.focal_crop_box(width, height, aspect, (focal_x, focal_y))

    # Inside the picture.
    assert 0 <= left <= right <= width
    assert 0 <= top <= bottom <= height
    # The requested shape, within the rounding of each edge to a whole pixel.
    box_width, box_height = right - left, bottom - top
    assert abs(box_width - aspect * box_height) <= 1 + aspect
    # As large as possible: it spans the picture's full width or full height.
    assert (left, right) == (0, width) or (top, bottom) == (0, height)
    # The focal point is always inside.
    x, y = focal_x * width, focal_y * height
    assert left - 0.5 <= x <= right + 0.5
    assert top - 0.5 <= y <= bottom + 0.5
    # Centred on it whenever the picture leaves room to.
    crop_width = min(width, height * aspect)
    crop_height = crop_width / aspect
    if crop_width / 2 <= x <= width - crop_width / 2:
        assert abs((left + right) / 2 - x) <= 0.5
    if crop_height / 2 <= y <= height - crop_height / 2:
        assert abs((top + bottom) / 2 - y) <= 0.5


def test_a_focal_point_near_the_right_edge_moves_the_share_crop_to_the_right():
    # A wide picture: the share crop (about 381x200) can slide across it.
    data = encode(two_halves(800, 200), "PNG")

    (right_crop,) = imaging.render(data, [imaging.SHARE_SPEC], focal=(0.9, 0.5))
    (left_crop,) = imaging.render(data, [imaging.SHARE_SPEC], focal=(0.1, 0.5))

    right_picture, left_picture = reopen(right_crop.data), reopen(left_crop.data)
    assert right_picture.size == left_picture.size == (1200, 630)
    for x in (100, 600, 1100):
        assert is_blue(right_picture.getpixel((x, 315))), x
        assert is_red(left_picture.getpixel((x, 315))), x


# --- Large photos ---------------------------------------------------------------------------


def test_a_big_jpeg_is_decoded_at_a_reduced_scale_for_small_renditions(monkeypatch):
    data = encode(two_halves(6000, 4000), "JPEG", quality=70)
    decoded_sizes = []
    original_draft = JpegImagePlugin.JpegImageFile.draft
    original_load = ImageFile.ImageFile.load

    def recording_draft(self, mode, size):
        result = original_draft(self, mode, size)
        decoded_sizes.append(("draft", self.size))
        return result

    def recording_load(self):
        if self.tile:
            decoded_sizes.append(("load", self.size))
        return original_load(self)

    monkeypatch.setattr(JpegImagePlugin.JpegImageFile, "draft", recording_draft)
    monkeypatch.setattr(ImageFile.ImageFile, "load", recording_load)

    files = by_spec_and_format(imaging.render(data, [imaging.SHARE_SPEC, imaging.SPECS["w320"]]))

    loads = [size for step, size in decoded_sizes if step == "load"]
    assert loads, "the photo was decoded"
    for width, height in loads:
        assert width * height * 3 < 6000 * 4000 * 3 / 4
        assert width >= 1200, "still enough pixels for the share crop"
    assert (files["share", "JPEG"].width, files["share", "JPEG"].height) == (1200, 630)
    assert reopen(files["share", "JPEG"].data).size == (1200, 630)
    assert reopen(files["w320", "JPEG"].data).size == (320, 213)
    share = reopen(files["share", "JPEG"].data).convert("RGB")
    assert is_red(share.getpixel((100, 315)))
    assert is_blue(share.getpixel((1100, 315)))


def test_a_big_jpeg_is_checked_without_decoding_it_at_full_size(monkeypatch):
    data = encode(two_halves(6000, 4000), "JPEG", quality=70)
    loaded = []
    original_load = ImageFile.ImageFile.load

    def recording_load(self):
        if self.tile:
            loaded.append(self.size)
        return original_load(self)

    monkeypatch.setattr(ImageFile.ImageFile, "load", recording_load)

    inspected = imaging.inspect(data, **LIMITS)

    assert (inspected.width, inspected.height) == (6000, 4000)
    assert loaded == [(750, 500)]
