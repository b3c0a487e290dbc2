"""Comparing pictures in tests as a reader glancing at them would: small thumbnails, where
only the composition and colours show."""

from io import BytesIO

from PIL import Image, ImageChops, ImageStat


def thumbnail(data: bytes) -> Image.Image:
    return Image.open(BytesIO(data)).convert("RGB").resize((32, 21), Image.Resampling.BOX)


def difference(a: Image.Image, b: Image.Image) -> float:
    """How far apart two thumbnails look: their mean difference (0-255)."""
    return sum(ImageStat.Stat(ImageChops.difference(a, b)).mean) / 3
