"""Image checks and renditions: pure Pillow work, no ORM, no storage.

Every file a reader gets is re-encoded here from decoded pixels, upright and without any
metadata. Originals are only ever checked, never served to readers.
"""

import hashlib
import math
import re
import warnings
from dataclasses import dataclass
from io import BytesIO

from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP", "GIF")
EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}
CONTENT_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp", "GIF": "image/gif"}
ORIENTATION_TAG = 0x0112
# Orientations 5 to 8 turn the picture a quarter: width and height swap once upright.
QUARTER_TURNS = {5, 6, 7, 8}
# Web-page code inside an "image" means a polyglot meant to be served as HTML or SVG.
MARKUP = re.compile(rb"<(?:script|html|svg|body|iframe|object|embed|!doctype|\?php)", re.IGNORECASE)
PNG_END = b"IEND\xaeB`\x82"

JPEG_QUALITY = 82
WEBP_QUALITY = 80


class ImageRejected(ValueError):
    """An upload that is not a photo we can safely serve. `message` is for the uploader."""

    def __init__(self, code: str, message):
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Inspected:
    format: str
    width: int  # upright, after the EXIF orientation
    height: int
    content_hash: str


@dataclass(frozen=True)
class RenditionSpec:
    name: str
    width: int
    height: int | None = None  # set: an exact crop around the focal point
    formats: tuple[str, ...] = ("WEBP", "JPEG")


@dataclass(frozen=True)
class RenderedFile:
    spec: str
    format: str
    width: int
    height: int
    data: bytes


WIDTH_SPECS = (
    RenditionSpec("w320", 320),
    RenditionSpec("w640", 640),
    RenditionSpec("w960", 960),
    RenditionSpec("w1600", 1600),
)
SHARE_SPEC = RenditionSpec("share", 1200, 630, ("JPEG",))
SPECS = {spec.name: spec for spec in (*WIDTH_SPECS, SHARE_SPEC)}


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def inspect(data: bytes, *, max_bytes: int, max_pixels: int) -> Inspected:
    """Decode the whole file to prove it is a complete JPEG, PNG, WebP or GIF within limits.

    The pixel limit is checked on the header, before any pixel is decoded.
    """
    if not data:
        raise ImageRejected("empty", _("The file is empty."))
    if len(data) > max_bytes:
        raise ImageRejected(
            "too_large",
            _("The file is larger than %(limit)s MB.") % {"limit": max_bytes // (1024 * 1024)},
        )
    if MARKUP.search(data):
        raise ImageRejected("markup", _("The file contains web page code, not only a picture."))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(BytesIO(data), formats=ACCEPTED_FORMATS) as image:
                width, height = image.size
                if width * height > max_pixels:
                    raise _too_many_pixels(max_pixels)
                image_format = image.format
                orientation = image.getexif().get(ORIENTATION_TAG, 1)
                if image_format == "JPEG":
                    # Decoding at 1/8 scale still reads every byte (a cut file fails)
                    # with 1/64 of the memory.
                    image.draft("RGB", (max(1, width // 8), max(1, height // 8)))
                image.load()
    except ImageRejected:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _too_many_pixels(max_pixels) from None
    except UnidentifiedImageError:
        raise ImageRejected(
            "not_image", _("Only JPEG, PNG, WebP and GIF pictures can be uploaded.")
        ) from None
    except (OSError, SyntaxError, ValueError, EOFError):
        raise ImageRejected(
            "broken", _("The picture is damaged or cut off. Save it again and retry.")
        ) from None
    if _has_trailing_data(data, image_format):
        raise ImageRejected(
            "trailing_data",
            _("Something is attached after the end of the picture. Save it again and retry."),
        )
    if orientation in QUARTER_TURNS:
        width, height = height, width
    return Inspected(image_format, width, height, content_hash(data))


def wanted_specs(width: int) -> list[RenditionSpec]:
    """The renditions a photo of this upright width gets: never enlarged, except the share
    crop (the networks ask for 1200x630) and one rendition for a photo smaller than all."""
    smaller = [spec for spec in WIDTH_SPECS if spec.width < width]
    return [*(smaller or WIDTH_SPECS[:1]), SHARE_SPEC]


def focal_crop_box(
    width: int, height: int, aspect: float, focal: tuple[float, float]
) -> tuple[int, int, int, int]:
    """The largest box of this aspect ratio centred on the focal point, kept inside."""
    crop_width = min(width, height * aspect)
    crop_height = crop_width / aspect
    left = min(max(focal[0] * width - crop_width / 2, 0), width - crop_width)
    top = min(max(focal[1] * height - crop_height / 2, 0), height - crop_height)
    return (round(left), round(top), round(left + crop_width), round(top + crop_height))


def render(
    data: bytes, specs: list[RenditionSpec], *, focal: tuple[float, float] = (0.5, 0.5)
) -> list[RenderedFile]:
    """Re-encode the photo for each spec and format, upright and without metadata."""
    with Image.open(BytesIO(data), formats=ACCEPTED_FORMATS) as source:
        if source.format == "JPEG":
            _draft_for(source, specs, focal)
        upright = ImageOps.exif_transpose(source)
        upright.load()
    files = []
    for spec in specs:
        picture = _fit(upright, spec, focal)
        for image_format in spec.formats:
            files.append(_encode(picture, spec.name, image_format))
    return files


def _too_many_pixels(max_pixels: int) -> ImageRejected:
    return ImageRejected(
        "too_many_pixels",
        _("The picture has more than %(limit)s megapixels.") % {"limit": max_pixels // 1_000_000},
    )


def _has_trailing_data(data: bytes, image_format: str) -> bool:
    # JPEG is left out on purpose: many phones (Samsung's among them) append their own
    # trailer after the image. It is never served: readers only get re-encoded files.
    body = data.rstrip(b"\x00")
    if image_format == "PNG":
        end = body.rfind(PNG_END)
        return end == -1 or end + len(PNG_END) != len(body)
    if image_format == "GIF":
        return not body.endswith(b";")
    if image_format == "WEBP":
        declared = int.from_bytes(data[4:8], "little") + 8
        return len(data) > declared + (declared % 2)
    return False


def _draft_for(source: Image.Image, specs, focal) -> None:
    """Let libjpeg decode at the smallest 1/2, 1/4 or 1/8 scale that still covers every
    rendition: a 50-megapixel photo then never sits in memory at full size."""
    width, height = source.size
    orientation = source.getexif().get(ORIENTATION_TAG, 1)
    upright_width, upright_height = (
        (height, width) if orientation in QUARTER_TURNS else (width, height)
    )
    scale = 0.0
    for spec in specs:
        if spec.height is None:
            scale = max(scale, spec.width / upright_width)
        else:
            box = focal_crop_box(upright_width, upright_height, spec.width / spec.height, focal)
            scale = max(scale, spec.width / (box[2] - box[0]))
    scale = min(scale, 1.0)
    source.draft("RGB", (math.ceil(width * scale), math.ceil(height * scale)))


def _fit(upright: Image.Image, spec: RenditionSpec, focal) -> Image.Image:
    width, height = upright.size
    if spec.height is not None:
        box = focal_crop_box(width, height, spec.width / spec.height, focal)
        return upright.resize((spec.width, spec.height), Image.Resampling.LANCZOS, box=box)
    target_width = min(spec.width, width)
    target_height = max(1, round(height * target_width / width))
    if target_width == width:
        return upright.copy()
    return upright.resize((target_width, target_height), Image.Resampling.LANCZOS, reducing_gap=3.0)


def _encode(picture: Image.Image, spec_name: str, image_format: str) -> RenderedFile:
    has_alpha = picture.mode in ("RGBA", "LA") or "transparency" in picture.info
    if image_format == "JPEG" or not has_alpha:
        picture = _on_white(picture) if has_alpha else picture.convert("RGB")
    else:
        picture = picture.convert("RGBA")
    # Nothing of the source's metadata (EXIF, GPS, ICC, XMP, comments) is carried over.
    picture.info = {}
    buffer = BytesIO()
    if image_format == "JPEG":
        picture.save(buffer, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    else:
        picture.save(buffer, "WEBP", quality=WEBP_QUALITY, method=4)
    return RenderedFile(spec_name, image_format, picture.width, picture.height, buffer.getvalue())


def _on_white(picture: Image.Image) -> Image.Image:
    rgba = picture.convert("RGBA")
    background = Image.new("RGB", rgba.size, (255, 255, 255))
    background.paste(rgba, mask=rgba.getchannel("A"))
    return background
