"""Where an image file's metadata lies and where the image really ends.

Pillow decodes pixels; it does not say what else a file carries. A polyglot hides web-page
code in metadata (PNG text chunks, JPEG comments, GIF comment blocks) or after the end of
the image. Walking each format's own structure finds both, and leaves the compressed pixel
data out of the search: random compressed bytes spell "<svg" once in a few hundred
megabytes, which would refuse a genuine photo now and then.
"""

import struct
from dataclasses import dataclass, field


class MalformedContainer(ValueError):
    pass


@dataclass
class Layout:
    end: int  # offset just past the image's own end marker
    metadata: list[bytes] = field(default_factory=list)


def layout(data: bytes, image_format: str) -> Layout:
    walkers = {"JPEG": _jpeg, "PNG": _png, "GIF": _gif, "WEBP": _webp}
    try:
        return walkers[image_format](data)
    except (IndexError, struct.error) as error:
        raise MalformedContainer(str(error)) from None


def _jpeg(data: bytes) -> Layout:
    found = Layout(end=0)
    position = 2  # after SOI
    while True:
        if data[position] != 0xFF:
            raise MalformedContainer("JPEG marker expected")
        while data[position] == 0xFF:  # fill bytes
            position += 1
        marker = data[position]
        position += 1
        if marker == 0xD9:  # EOI
            found.end = position
            return found
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:  # markers without a length
            continue
        (length,) = struct.unpack(">H", data[position : position + 2])
        segment_end = position + length
        if segment_end > len(data):
            raise MalformedContainer("JPEG segment runs past the end")
        if marker != 0xDA:
            found.metadata.append(data[position + 2 : segment_end])
            position = segment_end
            continue
        # After a scan header comes entropy-coded data: skip to the next real marker
        # (0xFF followed by neither a stuffed 0x00 nor a restart marker).
        position = segment_end
        while True:
            position = data.index(b"\xff", position)
            following = data[position + 1]
            if following == 0x00 or 0xD0 <= following <= 0xD7 or following == 0xFF:
                position += 1
                continue
            break


def _png(data: bytes) -> Layout:
    found = Layout(end=0)
    position = 8  # after the signature
    while True:
        length, kind = struct.unpack(">I4s", data[position : position + 8])
        chunk_end = position + 12 + length
        if chunk_end > len(data):
            raise MalformedContainer("PNG chunk runs past the end")
        if kind not in (b"IDAT", b"fdAT"):
            found.metadata.append(data[position + 8 : position + 8 + length])
        position = chunk_end
        if kind == b"IEND":
            found.end = position
            return found


def _gif(data: bytes) -> Layout:
    found = Layout(end=0)
    flags = data[10]
    position = 13 + (3 * 2 ** ((flags & 0x07) + 1) if flags & 0x80 else 0)
    while True:
        block = data[position]
        if block == 0x3B:  # trailer
            found.end = position + 1
            return found
        if block == 0x21:  # extension: comments, application and text blocks are metadata
            label = data[position + 1]
            position, payload = _gif_sub_blocks(data, position + 2)
            if label != 0xF9:
                found.metadata.append(payload)
        elif block == 0x2C:  # image: descriptor, optional colour table, LZW pixel data
            local_flags = data[position + 9]
            position += 10
            if local_flags & 0x80:
                position += 3 * 2 ** ((local_flags & 0x07) + 1)
            position, _pixels = _gif_sub_blocks(data, position + 1)
        else:
            raise MalformedContainer("unknown GIF block")


def _gif_sub_blocks(data: bytes, position: int) -> tuple[int, bytes]:
    parts = []
    while True:
        size = data[position]
        if size == 0:
            return position + 1, b"".join(parts)
        if position + 1 + size > len(data):
            raise MalformedContainer("GIF block runs past the end")
        parts.append(data[position + 1 : position + 1 + size])
        position += 1 + size


def _webp(data: bytes) -> Layout:
    (riff_size,) = struct.unpack("<I", data[4:8])
    end = 8 + riff_size
    if end > len(data):
        raise MalformedContainer("WebP shorter than its RIFF size")
    found = Layout(end=end)
    position = 12
    while position < end:
        kind, size = struct.unpack("<4sI", data[position : position + 8])
        if kind not in (b"VP8 ", b"VP8L", b"ANMF", b"ALPH"):
            found.metadata.append(data[position + 8 : position + 8 + size])
        position += 8 + size + (size % 2)
    return found
