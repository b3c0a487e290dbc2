"""Pictures made in memory with Pillow, and a photo uploaded the way the desk does it."""

import itertools
import shutil
from io import BytesIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image

from media import library
from media.models import Photo, Rendition

RED = (220, 20, 20)
BLUE = (20, 20, 220)
# Every picture a test makes is different, so a test never finds another test's file
# (originals are named by their content hash) unless it uploads the same bytes on purpose.
_serial = itertools.count(1)


def encode(image: Image.Image, image_format: str = "JPEG", **options) -> bytes:
    buffer = BytesIO()
    image.save(buffer, image_format, **options)
    return buffer.getvalue()


def picture(width: int = 400, height: int = 300) -> Image.Image:
    """A smooth picture with a block of its own colour in the corner."""
    serial = next(_serial)
    image = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    colour = (serial * 37 % 256, serial * 91 % 256, serial * 53 % 256)
    image.paste(colour, (0, 0, max(8, width // 10), max(8, height // 10)))
    return image


def two_halves(width: int, height: int, left=RED, right=BLUE) -> Image.Image:
    image = Image.new("RGB", (width, height), right)
    image.paste(left, (0, 0, width // 2, height))
    return image


def as_upload(data: bytes, name: str = "photo.jpg", content_type: str = "image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def storage_folders() -> list[Path]:
    """Where originals (private) and renditions (public) are written in this test run."""
    return [
        Path(Photo._meta.get_field("original").storage.location),
        Path(Rendition._meta.get_field("file").storage.location),
    ]


def stored_files() -> set[Path]:
    return {
        path
        for folder in storage_folders()
        if folder.exists()
        for path in folder.rglob("*")
        if path.is_file()
    }


def korean(text) -> str:
    """What a Korean page shows for this (lazy) message."""
    with translation.override("ko"):
        return str(text)


@pytest.fixture(autouse=True)
def _empty_photo_folders():
    # The run's photo folders (under the test NEWSROOM_VAR_DIR) start each test empty, so
    # a test can tell exactly which files it left behind.
    for folder in storage_folders():
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def jpeg_bytes():
    """Make a JPEG: `jpeg_bytes(width, height)` or `jpeg_bytes(image=..., exif=...)`."""

    def make(width: int = 400, height: int = 300, *, image: Image.Image | None = None, **options):
        return encode(image or picture(width, height), "JPEG", quality=90, **options)

    return make


@pytest.fixture
def upload(django_capture_on_commit_callbacks):
    """Upload through media.library and run what it schedules, as after a real commit."""

    def run(data: bytes, *, actor, name: str = "photo.jpg", **details):
        with django_capture_on_commit_callbacks(execute=True):
            result = library.upload(as_upload(data, name), actor=actor, **details)
        return result

    return run


@pytest.fixture
def photo(reporter, upload, jpeg_bytes):
    """A 800x600 JPEG uploaded by `reporter`, its renditions made."""
    result = upload(
        jpeg_bytes(800, 600),
        actor=reporter,
        caption="서울시청 앞 광장",
        credit="한지민 기자",
        alt_text="시청 앞 광장에 모인 시민들",
        tags=["서울", "시청"],
    )
    return result.photo
