"""The share image: 1200x630, the headline over the lead photo, with the site's logo.

Pure Pillow work, no ORM and no storage (articles.fanout stores the bytes). The headline is
set in NanumGothic Bold (OFL, committed in media/fonts with its licence, so no system font
is needed), wrapped at spaces to at most three lines inside the safe area and, when it
still does not fit at the smallest size, shortened with an ellipsis. A character the font
has no glyph for (an emoji, say) is left out rather than drawn as the missing-glyph box.
The same inputs give the same bytes, so the file's name can be a hash of its content.
"""

import hashlib
import unicodedata
from dataclasses import dataclass
from functools import cache
from io import BytesIO
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont, ImageOps

from media.imaging import ACCEPTED_FORMATS, focal_crop_box

WIDTH, HEIGHT = 1200, 630
MARGIN = 60
# Everything drawn stays inside this box: the networks crop the edges of large cards
# (Kakao and X draw rounded corners, some apps crop to nearly square thumbnails).
SAFE_AREA = (MARGIN, MARGIN, WIDTH - MARGIN, HEIGHT - MARGIN)
MAX_LINES = 3
# Tried from the largest down: the first that holds the headline in three lines wins.
FONT_SIZES = (64, 58, 52, 46)
LINE_SPACING = 1.28
LOGO_SIZE = 56
ELLIPSIS = "…"
FONT_PATH = Path(__file__).resolve().parents[2] / "media" / "fonts" / "NanumGothicBold.ttf"
JPEG_QUALITY = 84


@dataclass(frozen=True)
class ShareImage:
    data: bytes  # JPEG
    width: int
    height: int
    lines: tuple[str, ...]
    font_size: int
    text_box: tuple[int, int, int, int]  # the headline's ink, left/top/right/bottom
    content_hash: str


@cache
def font(size: int) -> ImageFont.FreeTypeFont:
    # The basic layout: Hangul needs no shaping, and it keeps the output the same on
    # machines with and without libraqm.
    return ImageFont.truetype(str(FONT_PATH), size, layout_engine=ImageFont.Layout.BASIC)


@cache
def _missing_glyph(size: int) -> tuple:
    mask = font(size).getmask("\U0010ffff")  # a code point no font maps
    return (mask.size, bytes(mask))


def has_glyph(character: str, size: int = FONT_SIZES[-1]) -> bool:
    if character.isspace():
        return True
    mask = font(size).getmask(character)
    return (mask.size, bytes(mask)) != _missing_glyph(size)


def drawable(text: str) -> str:
    """The text as the font can draw it: composed Hangul, single spaces, no characters
    without a glyph."""
    text = unicodedata.normalize("NFC", text)
    kept = "".join(ch for ch in text if unicodedata.category(ch)[0] != "C" and has_glyph(ch))
    return " ".join(kept.split())


def wrap(text: str, measure, width: float, max_lines: int) -> tuple[list[str], bool]:
    """Greedy wrapping at spaces (Korean separates words with spaces too); a word wider
    than a whole line is broken between characters. Returns the lines, at most
    `max_lines`, and whether the text was cut (the last line then ends with an ellipsis
    that fits)."""
    lines: list[str] = []
    line = ""
    for word in text.split(" "):
        candidate = f"{line} {word}" if line else word
        if measure(candidate) <= width:
            line = candidate
            continue
        if line:
            lines.append(line)
        line = ""
        for character in word:  # only a word too wide for any line gets here
            if measure(line + character) <= width:
                line += character
            else:
                lines.append(line)
                line = character
        if measure(line) > width:  # pragma: no cover - one glyph wider than the box
            line = ""
    if line:
        lines.append(line)
    if len(lines) <= max_lines:
        return lines, False
    kept = lines[:max_lines]
    kept[-1] = _with_ellipsis(kept[-1], measure, width)
    return kept, True


def _with_ellipsis(line: str, measure, width: float) -> str:
    """Shorten the line until it and the ellipsis fit, by whole words where it can."""
    candidate = line
    while candidate and measure(candidate.rstrip(" ,.·") + ELLIPSIS) > width:
        cut = candidate.rindex(" ") if " " in candidate else len(candidate) - 1
        candidate = candidate[:cut]
    return candidate.rstrip(" ,.·") + ELLIPSIS


def layout(headline: str) -> tuple[list[str], int]:
    """The lines and the font size: the largest size that holds the whole headline in
    three lines, else the smallest with the last line shortened."""
    text = drawable(headline)
    width = SAFE_AREA[2] - SAFE_AREA[0]
    for size in FONT_SIZES:
        lines, cut = wrap(text, font(size).getlength, width, MAX_LINES)
        if not cut:
            return lines, size
    return lines, FONT_SIZES[-1]


def open_photo(data: bytes) -> Image.Image:
    """The photo upright, in RGB, decoded no larger than the card needs (JPEG draft)."""
    with Image.open(BytesIO(data), formats=ACCEPTED_FORMATS) as source:
        if source.format in ("JPEG", "MPO"):
            source.draft("RGB", (WIDTH, HEIGHT))
        upright = ImageOps.exif_transpose(source)
        if upright.mode in ("RGBA", "LA", "PA", "P"):
            background = Image.new("RGB", upright.size, (255, 255, 255))
            rgba = upright.convert("RGBA")
            background.paste(rgba, mask=rgba.getchannel("A"))
            return background
        return upright.convert("RGB")


def compose(
    headline: str,
    *,
    photo: Image.Image | None,
    focal: tuple[float, float] = (0.5, 0.5),
    site_name: str,
    brand_color: str,
) -> ShareImage:
    """The card: the photo cropped around its focal point and darkened towards the
    bottom (or a plain branded background), the logo top left, the headline bottom left."""
    brand = _rgb(brand_color)
    if photo is not None:
        box = focal_crop_box(photo.width, photo.height, WIDTH / HEIGHT, focal)
        canvas = photo.resize((WIDTH, HEIGHT), Image.Resampling.LANCZOS, box=box).convert("RGB")
        canvas = Image.alpha_composite(canvas.convert("RGBA"), _shade()).convert("RGB")
    else:
        canvas = _branded_background(brand)
    draw = ImageDraw.Draw(canvas)
    _logo(canvas, draw, brand, site_name, on_photo=photo is not None)

    lines, size = layout(headline)
    face = font(size)
    step = round(size * LINE_SPACING)
    ascent, descent = face.getmetrics()
    # Bottom-aligned: the last line's descent sits on the safe area's bottom edge.
    top = SAFE_AREA[3] - (len(lines) - 1) * step - (ascent + descent)
    boxes = []
    for number, line in enumerate(lines):
        position = (SAFE_AREA[0], top + number * step)
        boxes.append(draw.textbbox(position, line, font=face))
        draw.text(position, line, font=face, fill=(255, 255, 255))
    text_box = (
        (
            min(b[0] for b in boxes),
            min(b[1] for b in boxes),
            max(b[2] for b in boxes),
            max(b[3] for b in boxes),
        )
        if boxes
        else (SAFE_AREA[0], SAFE_AREA[3], SAFE_AREA[0], SAFE_AREA[3])
    )
    buffer = BytesIO()
    canvas.save(buffer, "JPEG", quality=JPEG_QUALITY, optimize=True)
    data = buffer.getvalue()
    return ShareImage(
        data=data,
        width=WIDTH,
        height=HEIGHT,
        lines=tuple(lines),
        font_size=size,
        text_box=tuple(int(v) for v in text_box),
        content_hash=hashlib.sha256(data).hexdigest(),
    )


def _rgb(colour: str) -> tuple[int, int, int]:
    value = colour.lstrip("#")
    if len(value) == 3:
        value = "".join(ch * 2 for ch in value)
    return (int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16))


@cache
def _shade() -> Image.Image:
    """Transparent at the top, dark at the bottom: white text stays readable on any photo."""
    ramp = Image.linear_gradient("L").resize((WIDTH, HEIGHT))  # 0 at the top, 255 below
    alpha = ramp.point(lambda value: int(max(0, value - 60) * 0.95))
    shade = Image.new("RGBA", (WIDTH, HEIGHT), (0, 0, 0, 0))
    shade.putalpha(alpha)
    return shade


def _branded_background(brand: tuple[int, int, int]) -> Image.Image:
    """The brand colour, darker towards the bottom, with the logo's diamond large and faint
    on the right: a card of its own when the story has no photo."""
    canvas = Image.new("RGB", (WIDTH, HEIGHT), brand)
    dark = tuple(int(channel * 0.55) for channel in brand)
    ramp = Image.linear_gradient("L").resize((WIDTH, HEIGHT))
    canvas = Image.composite(Image.new("RGB", (WIDTH, HEIGHT), dark), canvas, ramp)
    overlay = Image.new("RGBA", (WIDTH, HEIGHT), (0, 0, 0, 0))
    ImageDraw.Draw(overlay).polygon(
        [(960, -40), (1290, 290), (960, 620), (630, 290)], fill=(255, 255, 255, 28)
    )
    return Image.alpha_composite(canvas.convert("RGBA"), overlay).convert("RGB")


def _logo(canvas, draw, brand, site_name: str, *, on_photo: bool) -> None:
    """The site's logo (newsroom/static/newsroom/logo.svg, drawn: a brand square, a red
    diamond, a white dot) and the site's name beside it."""
    left, top = SAFE_AREA[0], SAFE_AREA[1]
    size = LOGO_SIZE
    unit = size / 44
    name = drawable(site_name)
    face = font(34)
    if on_photo:
        # A dark pill behind the logo and name: readable on a bright sky.
        name_width = face.getlength(name)
        pill = Image.new("RGBA", canvas.size, (0, 0, 0, 0))
        ImageDraw.Draw(pill).rounded_rectangle(
            (left - 10, top - 10, left + size + 22 + name_width + 16, top + size + 10),
            radius=14,
            fill=(0, 0, 0, 110),
        )
        canvas.paste(Image.alpha_composite(canvas.convert("RGBA"), pill).convert("RGB"))
    draw.rounded_rectangle((left, top, left + size, top + size), radius=8 * unit, fill=brand)
    if not on_photo:
        draw.rounded_rectangle(
            (left, top, left + size, top + size), radius=8 * unit, outline=(255, 255, 255)
        )

    def point(x, y):
        return (left + x * unit, top + y * unit)

    draw.polygon([point(22, 7), point(37, 22), point(22, 37), point(7, 22)], fill=(200, 16, 46))
    draw.ellipse((*point(16, 16), *point(28, 28)), fill=(255, 255, 255))
    ascent, descent = face.getmetrics()
    draw.text(
        (left + size + 18, top + (size - ascent - descent) / 2),
        name,
        font=face,
        fill=(255, 255, 255),
    )
