"""Image checks and renditions: pure Pillow work, no ORM, no storage.

Every file a reader gets is re-encoded here from decoded pixels, upright and without any
metadata. Originals are only ever checked, never served to readers.
"""

import hashlib
import math
import os
import re
from concurrent.futures import ThreadPoolExecutor
from contextlib import suppress
from dataclasses import dataclass
from io import BytesIO

from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

from media import containers

ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP", "GIF")
EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}
CONTENT_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp", "GIF": "image/gif"}
ORIENTATION_TAG = 0x0112
# Orientations 5 to 8 turn the picture a quarter: width and height swap once upright.
QUARTER_TURNS = {5, 6, 7, 8}
# Web-page code inside an "image" means a polyglot meant to be served as HTML or SVG.
MARKUP = re.compile(rb"<(?:script|html|svg|body|iframe|object|embed|!doctype|\?php)", re.IGNORECASE)

SIXTEEN_BIT_GREYS = {"I", "I;16", "I;16B", "I;16L", "I;16N", "F"}
SRGB = ImageCms.createProfile("sRGB")

# PNG, WebP and GIF have no reduced decoding (JPEG's draft): checking one decodes it at
# full size, and so do its renditions. Their pixels must fit in this many bytes: a 230 KB
# PNG of 60 million blank RGBA pixels, within the pixel limit, took 229 MB and a second.
LOSSLESS_DECODED_BYTES = 64 * 1024 * 1024

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


def check_size(size: int, *, max_bytes: int) -> None:
    if size == 0:
        raise ImageRejected("empty", _("The file is empty."))
    if size > max_bytes:
        raise ImageRejected(
            "too_large",
            _("The file is larger than %(limit)s.") % {"limit": filesizeformat(max_bytes)},
        )


def inspect(data: bytes, *, max_bytes: int, max_pixels: int) -> Inspected:
    """Decode the whole file to prove it is a complete JPEG, PNG, WebP or GIF within limits,
    with no web-page code in its metadata and nothing hidden after its end.

    The pixel limit is checked on the header, before any pixel is decoded.
    """
    check_size(len(data), max_bytes=max_bytes)
    # Pillow's own bomb check only warns below twice its limit: ours must bite first.
    pixel_limit = min(max_pixels, Image.MAX_IMAGE_PIXELS)
    try:
        with Image.open(BytesIO(data), formats=ACCEPTED_FORMATS) as image:
            width, height = image.size
            if width * height > pixel_limit:
                raise _too_many_pixels(pixel_limit)
            # A phone's multi-picture JPEG (MPO) is a JPEG with a second image after it.
            image_format = "JPEG" if image.format == "MPO" else image.format
            if image_format != "JPEG":
                decodable = LOSSLESS_DECODED_BYTES // _bytes_per_pixel(image.mode)
                if width * height > decodable:
                    raise _too_many_pixels(decodable)
            orientation = image.getexif().get(ORIENTATION_TAG, 1)
            if image_format == "JPEG":
                # Decoding at 1/8 scale still reads every byte (a cut file fails)
                # with 1/64 of the memory.
                image.draft("RGB", (max(1, width // 8), max(1, height // 8)))
            image.load()
    except ImageRejected:
        raise
    except Image.DecompressionBombError:
        raise _too_many_pixels(pixel_limit) from None
    except UnidentifiedImageError:
        if MARKUP.search(data[:4096]):
            raise ImageRejected(
                "markup", _("The file is a web page or drawing (SVG/HTML), not a photo.")
            ) from None
        raise ImageRejected(
            "not_image", _("Only JPEG, PNG, WebP and GIF pictures can be uploaded.")
        ) from None
    except Exception:  # any decoder failure means a damaged file, never a server error
        raise _broken() from None
    try:
        found = containers.layout(data, image_format)
    except containers.MalformedContainer:
        raise _broken() from None
    trailer = data[found.end :]
    if any(MARKUP.search(part) for part in (*found.metadata, trailer)):
        raise ImageRejected("markup", _("The file contains web page code, not only a picture."))
    # JPEG may keep a trailer: many phones (Samsung's among them) append one after the
    # image. It is never served (readers only get re-encoded files), and was searched above.
    if trailer.strip(b"\x00") and image_format != "JPEG":
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
    smaller = [spec for spec in WIDTH_SPECS if spec.width <= width]
    return [*(smaller or WIDTH_SPECS[:1]), SHARE_SPEC]


def focal_crop_box(
    width: int, height: int, aspect: float, focal: tuple[float, float]
) -> tuple[int, int, int, int]:
    """The largest box of this aspect ratio centred on the focal point, kept inside."""
    # At least one pixel each way, however extreme the shape.
    crop_width = min(width, max(1.0, height * aspect))
    crop_height = min(height, max(1.0, crop_width / aspect))
    left = min(max(focal[0] * width - crop_width / 2, 0), width - crop_width)
    top = min(max(focal[1] * height - crop_height / 2, 0), height - crop_height)
    return (round(left), round(top), round(left + crop_width), round(top + crop_height))


def render(
    data: bytes, specs: list[RenditionSpec], *, focal: tuple[float, float] = (0.5, 0.5)
) -> list[RenderedFile]:
    """Re-encode the photo for each spec and format: upright, in sRGB, without metadata."""
    if not specs:
        return []
    with Image.open(BytesIO(data), formats=ACCEPTED_FORMATS) as source:
        if source.format in ("JPEG", "MPO"):
            _draft_for(source, specs, focal)
        upright = _normalise(ImageOps.exif_transpose(source))
    # Encoding is most of the work, and Pillow's encoders and resizes let go of the GIL:
    # each size is encoded in its own thread while the next one is resized. One thread per
    # picture (its formats one after the other): Image.save keeps its options on the image.
    with ThreadPoolExecutor(max_workers=min(len(specs), os.cpu_count() or 1)) as encoders:
        encoded = {}
        # Each width is resized from the next larger one, not from the original: a resize
        # costs in proportion to the pixels it reads, and the steps between widths (2x at
        # most) give the same picture as one step from the original.
        larger = upright
        for spec in sorted(specs, key=lambda spec: -spec.width):
            if spec.height is None:
                picture = larger = _fit(larger, spec, focal)
            else:
                picture = _fit(upright, spec, focal)  # a crop: from the original
            encoded[spec.name] = encoders.submit(_encode_formats, picture, spec)
        return [file for spec in specs for file in encoded[spec.name].result()]


def _encode_formats(picture: Image.Image, spec: RenditionSpec) -> list[RenderedFile]:
    return [_encode(picture, spec.name, image_format) for image_format in spec.formats]


def _bytes_per_pixel(mode: str) -> int:
    """What Pillow keeps for one decoded pixel: a byte for one 8-bit band, two for 16-bit
    grey, four for anything else (RGB too is kept in four)."""
    if mode in ("1", "L", "P"):
        return 1
    return 2 if mode.startswith("I;16") else 4


def _too_many_pixels(max_pixels: int) -> ImageRejected:
    return ImageRejected(
        "too_many_pixels",
        _("The picture has more than %(limit)s megapixels.") % {"limit": max_pixels // 1_000_000},
    )


def _broken() -> ImageRejected:
    return ImageRejected("broken", _("The picture is damaged or cut off. Save it again and retry."))


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


def _normalise(image: Image.Image) -> Image.Image:
    """RGB or RGBA in sRGB, before any resizing: a palette image would be resized by nearest
    colour, 16-bit greys would clip to white, and a wide-gamut or CMYK profile would be
    dropped unread, leaving the colours dull or wrong."""
    if image.mode in SIXTEEN_BIT_GREYS:
        image = image.convert("I").point(lambda value: value / 256).convert("L")
    has_alpha = image.mode in ("RGBA", "LA", "PA") or (
        image.mode == "P" and "transparency" in image.info
    )
    target = "RGBA" if has_alpha else "RGB"
    profile = image.info.get("icc_profile")
    if image.mode not in (target, "CMYK"):
        image = image.convert(target)
    if profile:
        # An unreadable profile leaves the pixels as they are.
        with suppress(ImageCms.PyCMSError, OSError, ValueError, TypeError):
            image = ImageCms.profileToProfile(
                image, ImageCms.ImageCmsProfile(BytesIO(profile)), SRGB, outputMode=target
            )
    return image if image.mode == target else image.convert(target)


def _encode(picture: Image.Image, spec_name: str, image_format: str) -> RenderedFile:
    if image_format == "JPEG" and picture.mode == "RGBA":
        picture = _on_white(picture)
    # Nothing of the source's metadata (EXIF, GPS, ICC, XMP, comments) is carried over.
    picture.info = {}
    buffer = BytesIO()
    if image_format == "JPEG":
        picture.save(buffer, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    else:
        picture.save(buffer, "WEBP", quality=WEBP_QUALITY, method=4)
    return RenderedFile(spec_name, image_format, picture.width, picture.height, buffer.getvalue())


def _on_white(picture: Image.Image) -> Image.Image:
    background = Image.new("RGB", picture.size, (255, 255, 255))
    background.paste(picture, mask=picture.getchannel("A"))
    return background
