"""Hostile files through the photo library's upload (media.library.upload): decompression
bombs, huge headers, cut-off and polyglot files are refused within a second each and
without the process's peak memory growing by 100 MB; a JPEG carrying a ZIP is kept only as
the private original, and no rendition holds its bytes. Every file is made here."""

import math
import struct
import time
import zlib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from PIL import Image

from media import imaging, library
from media.models import Photo
from tests.media.conftest import as_upload, encode, picture

MEGABYTE = 1024 * 1024
CLEAR_REFS = Path("/proc/self/clear_refs")


def _status(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) * 1024
    raise LookupError(field)


def measured(action) -> tuple[float, int]:
    """Seconds `action` took and how far it raised the process's peak resident memory.
    Linux forgets the peak when told to (clear_refs 5), so the growth is this action's."""
    if not CLEAR_REFS.exists():
        pytest.skip("needs Linux's /proc/self/clear_refs to measure peak memory")
    CLEAR_REFS.write_text("5")
    before = _status("VmHWM")
    started = time.perf_counter()
    action()
    return time.perf_counter() - started, _status("VmHWM") - before


def png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def blank_png(width: int, height: int, *, colour_type: int = 6, bits: int = 32) -> bytes:
    """A PNG of blank rows (`bits` a pixel: 32 RGBA, 1 black and white): a small file that
    decodes to width x height pixels."""
    packer = zlib.compressobj(1)
    row = b"\x00" * (1 + math.ceil(width * bits / 8))
    idat = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()
    depth = 1 if bits == 1 else 8
    header = struct.pack(">IIBBBBB", width, height, depth, colour_type, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", idat)
        + png_chunk(b"IEND", b"")
    )


def zip_archive(name: str, content: bytes) -> bytes:
    """A ZIP holding one deflated file, as `zip` writes it."""
    packed = zlib.compress(content)[2:-4]
    crc = zlib.crc32(content)
    local = struct.pack(
        "<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0, crc, len(packed), len(content), len(name), 0
    )
    central = struct.pack(
        "<IHHHHHHIIIHHHHHII",
        *(0x02014B50, 20, 20, 0, 8, 0, 0, crc, len(packed), len(content), len(name)),
        *(0, 0, 0, 0, 0, 0),
    )
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 1, 1, len(central) + len(name), 0, 0)
    offset_of_central = len(local) + len(name) + len(packed)
    end = end[:16] + struct.pack("<I", offset_of_central) + end[20:]
    return local + name.encode() + packed + central + name.encode() + end


def noisy_jpeg(width: int = 640, height: int = 480) -> bytes:
    return encode(Image.effect_noise((width, height), 60).convert("RGB"), "JPEG", quality=90)


HOSTILE = {
    # Within the 60-megapixel limit, but 229 MB of pixels once decoded (a PNG has no draft).
    "png-bomb-within-the-pixel-limit": lambda: blank_png(7745, 7745),
    # Past Pillow's own limit: refused on its header.
    "png-bomb-past-pillows-limit": lambda: blank_png(
        *(math.isqrt(2 * Image.MAX_IMAGE_PIXELS) + 1000,) * 2, colour_type=0, bits=1
    ),
    "header-claiming-30000-by-30000": lambda: (
        blank_png(1, 1)[:16] + struct.pack(">II", 30000, 30000) + blank_png(1, 1)[24:]
    ),
    "truncated-jpeg": lambda: noisy_jpeg()[: len(noisy_jpeg()) // 2],
    "truncated-progressive-jpeg": lambda: encode(
        picture(2000, 1500), "JPEG", progressive=True, quality=95
    )[:60_000],
    "jpeg-with-a-web-page-after-it": lambda: (
        noisy_jpeg() + b"<html><script>fetch('/desk/')</script></html>"
    ),
    "jpeg-with-a-zip-of-a-web-page-stored-after-it": lambda: (
        noisy_jpeg() + b"PK\x03\x04" + b"<!doctype html><script>alert(1)</script>"
    ),
}


@pytest.mark.parametrize("kind", list(HOSTILE))
def test_a_hostile_file_is_refused_within_a_second_and_100_mb(reporter, kind):
    data = HOSTILE[kind]()
    refusals = []

    def upload():
        try:
            library.upload(as_upload(data), actor=reporter)
        except imaging.ImageRejected as refusal:
            refusals.append(refusal.code)

    seconds, growth = measured(upload)

    assert refusals, "refused"
    assert seconds < 1, f"{seconds:.2f} s"
    assert growth < 100 * MEGABYTE, f"{growth / MEGABYTE:.0f} MB"
    assert not Photo.objects.exists()


def test_a_large_real_photo_is_still_accepted_within_the_bounds(reporter):
    # A 24-megapixel camera JPEG: decoded at 1/8 scale to be checked.
    data = encode(picture(6000, 4000), "JPEG", quality=85)

    seconds, growth = measured(lambda: library.upload(as_upload(data), actor=reporter))

    assert Photo.objects.count() == 1
    assert seconds < 1, f"{seconds:.2f} s"
    assert growth < 100 * MEGABYTE, f"{growth / MEGABYTE:.0f} MB"


def test_a_jpeg_carrying_a_zip_is_kept_only_as_the_private_original(
    reporter, django_capture_on_commit_callbacks
):
    archive = zip_archive("secret.txt", b"not for readers " * 100)
    data = noisy_jpeg(800, 600) + archive

    with django_capture_on_commit_callbacks(execute=True):
        photo = library.upload(as_upload(data), actor=reporter).photo

    renditions = list(photo.renditions.all())
    assert renditions
    for rendition in renditions:
        with rendition.file.open("rb") as file:
            served = file.read()
        assert b"PK\x03\x04" not in served
        assert b"not for readers" not in served


def test_a_png_within_the_memory_budget_is_accepted(reporter):
    data = blank_png(2000, 1500)

    library.upload(as_upload(data, "chart.png", "image/png"), actor=reporter)

    assert Photo.objects.get().width == 2000


SOURCES = {
    "JPEG": noisy_jpeg(160, 120),
    "PNG": encode(Image.effect_noise((160, 120), 60).convert("RGB"), "PNG"),
    "WEBP": encode(Image.effect_noise((160, 120), 60).convert("RGB"), "WEBP"),
    "GIF": encode(Image.effect_noise((160, 120), 60).convert("P"), "GIF"),
}


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@example(image_format="PNG", cut=33, tail=b"")
@example(image_format="JPEG", cut=2, tail=b"<svg onload=alert(1)>")
@given(
    image_format=st.sampled_from(sorted(SOURCES)),
    cut=st.integers(min_value=0, max_value=20_000),
    tail=st.one_of(st.binary(max_size=64), st.sampled_from([b"", b"<html>", b"PK\x03\x04"])),
)
def test_a_file_cut_anywhere_or_with_anything_after_it_is_checked_without_error(
    image_format, cut, tail
):
    source = SOURCES[image_format]
    data = source[: min(cut, len(source))] + tail
    started = time.perf_counter()
    try:
        found = imaging.inspect(data, max_bytes=30 * MEGABYTE, max_pixels=60_000_000)
    except imaging.ImageRejected as refusal:
        found, message = None, str(refusal.message)
    if found is None:
        assert message.strip(), "the uploader is told why"
    else:
        # Only the whole picture passes, with nothing but a JPEG's harmless trailer after it.
        assert found.format == image_format
        assert data.startswith(source)
    assert time.perf_counter() - started < 1
