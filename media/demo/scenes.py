"""The demo's pictures, drawn here with Pillow: a flat illustration of what each caption
shows (a chip plant, a tanker, a press conference...), so a photo never contradicts its
caption. Pure drawing, no ORM: the same caption and seed always give the same bytes, which
is how a second load finds its photos already in the library.

A caption's topic is the first entry of TOPICS whose keywords it names (most specific
first). The alt text, which describes the picture itself, may name a chart's form; the
time of day either names (LIGHTS) darkens the sky and lights the windows.
"""

import math
import random
from collections.abc import Callable
from functools import cache
from io import BytesIO
from itertools import pairwise
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

WIDTH, HEIGHT = 1600, 1067
FONT = Path(__file__).resolve().parent.parent / "fonts" / "NanumGothicBold.ttf"

Colour = tuple[int, int, int]

# (scene, keywords): the first scene whose keyword the caption contains draws it. The order
# settles overlaps: "반도체 클러스터 공사 현장 옆으로 송전탑" is about the pylons, "조선소 안
# 광장에서 파업 출정식" about the rally, "도크에서 건조 중인 선박" about the shipyard.
TOPICS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("line_chart", ("추이", "흐름", "그래프")),
    ("bar_chart", ("비교", "조사 결과", "순이익", "규모", "감축 계획")),
    ("trading", ("트레이딩룸", "시세 화면", "전광판", "객장")),
    ("press", ("간담회", "설명회", "발표하고", "출정식", "기자회견")),
    ("meeting", ("회의", "토론회", "위원")),
    ("pylons", ("송전탑",)),
    ("substation", ("변전소", "고압 설비", "에너지저장장치")),
    ("lng_carrier", ("LNG", "운반선")),
    ("tanker", ("탱커", "유조선", "예인선", "시운전")),
    ("shipyard", ("조선소", "도크", "선박 블록")),
    ("port", ("컨테이너", "부두", "항만", "화물선", "신항")),
    ("construction", ("건설 현장", "공사 현장", "타워크레인", "재건축")),
    ("vehicles", ("출고", "전시장", "충전소", "배송 차량", "전기차")),
    ("cleanroom", ("반도체", "클린룸", "웨이퍼", "포토레지스트", "식각")),
    ("assembly", ("생산라인", "생산 라인", "조립", "로봇", "배터리 셀", "생산 설비")),
    ("factory", ("공장", "산업단지", "설비", "제철소", "석유화학")),
    ("farm", ("밭", "수확", "농민")),
    ("city", ("건물", "거리", "빌딩", "금융가", "청사", "업무지구")),
    ("street_market", ("시장", "상점가")),
    ("store", ("마트", "매장", "면세점", "채소")),
    ("bank", ("은행", "영업점", "창구", "현금자동입출금기", "상담", "금융지주")),
    ("apartments", ("아파트", "빌라", "다세대", "원룸", "주택", "단지")),
)
FALLBACK = "city"
CHART_FORMS = (("bar_chart", "막대"), ("line_chart", "꺾은선"))

# Checked in this order: "새벽배송" is night, "해 질 무렵" dusk.
LIGHTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("night", ("밤", "새벽", "불빛", "불을 밝히", "불이 켜져", "불이 밝혀져")),
    ("dusk", ("해 질", "해가 지", "저녁", "노을")),
)

SKIES: dict[str, tuple[Colour, Colour]] = {
    "day": ((92, 152, 218), (206, 226, 244)),
    "dusk": ((60, 62, 122), (246, 168, 112)),
    "night": ((8, 12, 34), (36, 46, 88)),
}
WINDOW_LIT = (255, 212, 122)
SKIN = ((241, 206, 176), (228, 186, 150), (206, 162, 126))
HAIR = ((28, 24, 22), (48, 38, 30), (66, 56, 50), (122, 118, 114))
JACKETS = ((34, 46, 76), (58, 62, 70), (28, 30, 36), (84, 92, 108), (110, 84, 64), (46, 70, 110))
CLOTHES = (
    (36, 52, 84),
    (196, 64, 60),
    (48, 110, 160),
    (226, 226, 220),
    (88, 118, 76),
    (232, 150, 62),
    (120, 92, 150),
    (70, 72, 80),
)
CARS = ((240, 240, 238), (178, 182, 188), (34, 36, 42), (28, 58, 112), (176, 28, 36), (96, 98, 104))
CONTAINERS = (
    (176, 58, 44),
    (36, 88, 160),
    (52, 122, 84),
    (210, 120, 40),
    (128, 132, 138),
    (230, 190, 60),
    (226, 226, 222),
    (120, 40, 60),
)
RED_UP, BLUE_DOWN = (226, 60, 52), (48, 110, 224)
CHART_COLOURS = ((11, 61, 145), (214, 64, 52), (28, 140, 110), (230, 150, 40))


def scene_for(caption: str, alt: str = "") -> str:
    scene = next(
        (scene for scene, keywords in TOPICS if any(word in caption for word in keywords)),
        FALLBACK,
    )
    if scene in dict(CHART_FORMS):
        return next((form for form, word in CHART_FORMS if word in alt), scene)
    return scene


def light_for(text: str) -> str:
    for light, keywords in LIGHTS:
        if any(keyword in text for keyword in keywords):
            return light
    return "day"


def picture_for(caption: str, alt: str, *, seed: int) -> bytes:
    """The JPEG a photo's caption and alt text describe: its scene, at its time of day,
    varied by `seed`."""
    return draw(scene_for(caption, alt), seed=seed, light=light_for(f"{caption} {alt}"))


def draw(scene: str, *, seed: int, light: str = "day") -> bytes:
    canvas = Canvas(random.Random(f"{scene}:{seed}"), light)
    SCENES[scene](canvas)
    return _jpeg(canvas.image)


def portrait(background: Colour, *, hair: str, seed: str) -> bytes:
    """A staff portrait: a faceless head and shoulders in a jacket, with `hair` "short" or
    "long", over a gradient of `background`; `seed` picks the skin, hair and jacket."""
    rng = random.Random(f"portrait:{seed}")
    skin, hair_colour, jacket = rng.choice(SKIN), rng.choice(HAIR[:3]), rng.choice(JACKETS)
    # Drawn at twice the size and scaled down: Pillow's shapes have no anti-aliasing.
    scale, size = 2, 800

    def box(*points: float) -> list[float]:
        return [point * scale for point in points]

    image = gradient(
        (size * scale, size * scale), mix(background, (255, 255, 255), 0.35), shade(background, 0.8)
    )
    pen = ImageDraw.Draw(image)
    if hair == "long":
        pen.rounded_rectangle(box(236, 150, 564, 650), radius=150 * scale, fill=hair_colour)
    pen.rounded_rectangle(box(80, 590, 720, 1200), radius=230 * scale, fill=jacket)
    neck = shade(skin, 0.88)
    pen.rectangle(box(345, 440, 455, 640), fill=neck)
    pen.polygon(box(318, 596, 482, 596, 400, 800), fill=(246, 246, 242))
    pen.polygon(box(345, 596, 455, 596, 400, 690), fill=neck)
    lapel = shade(jacket, 0.82)
    pen.polygon(box(300, 600, 360, 630, 400, 800, 330, 800), fill=lapel)
    pen.polygon(box(500, 600, 440, 630, 400, 800, 470, 800), fill=lapel)
    for left in (238, 516):
        pen.ellipse(box(left, 300, left + 46, 390), fill=shade(skin, 0.95))
    pen.ellipse(box(256, 150, 544, 500), fill=skin)
    if hair == "short":
        pen.chord(box(246, 122, 554, 420), 180, 360, fill=hair_colour)
        pen.polygon(box(250, 271, 554, 271, 554, 300, 400, 262, 250, 320), fill=hair_colour)
        for left in (254, 530):
            pen.rectangle(box(left, 260, left + 16, 328), fill=hair_colour)
    else:
        pen.chord(box(240, 126, 560, 430), 180, 360, fill=hair_colour)
        pen.polygon(box(244, 278, 430, 278, 250, 400), fill=hair_colour)
        pen.polygon(box(400, 278, 556, 278, 556, 420), fill=hair_colour)
    return _jpeg(image.resize((size, size), Image.Resampling.LANCZOS), quality=90)


class Canvas:
    def __init__(self, rng: random.Random, light: str):
        self.rng = rng
        self.light = light
        self.image = Image.new("RGB", (WIDTH, HEIGHT))
        # RGBA drawing blends translucent fills (glass, haze) onto the RGB picture.
        self.pen = ImageDraw.Draw(self.image, "RGBA")

    def gradient(self, box, top: Colour, bottom: Colour) -> None:
        left, upper, right, lower = (round(v) for v in box)
        size = (max(1, right - left), max(1, lower - upper))
        self.image.paste(gradient(size, top, bottom), (left, upper))

    def lit(self, colour: Colour) -> Colour:
        """The colour of a surface under the scene's light."""
        if self.light == "night":
            return mix(shade(colour, 0.32), (12, 16, 42), 0.3)
        if self.light == "dusk":
            return mix(shade(colour, 0.78), (150, 80, 90), 0.18)
        return colour

    def vary(self, colour: Colour, spread: int = 14) -> Colour:
        return vary(self.rng, colour, spread)


# --- colours -----------------------------------------------------------------------------


def gradient(size: tuple[int, int], top: Colour, bottom: Colour) -> Image.Image:
    """A picture of `size` shading from `top` down to `bottom`."""
    mask = Image.linear_gradient("L").resize(size)
    return Image.composite(Image.new("RGB", size, bottom), Image.new("RGB", size, top), mask)


def _clamp(value: float) -> int:
    return max(0, min(255, round(value)))


def shade(colour: Colour, factor: float) -> Colour:
    return tuple(_clamp(c * factor) for c in colour)


def mix(a: Colour, b: Colour, amount: float) -> Colour:
    return tuple(_clamp(x + (y - x) * amount) for x, y in zip(a, b, strict=True))


def vary(rng: random.Random, colour: Colour, spread: int = 14) -> Colour:
    return tuple(_clamp(c + rng.randint(-spread, spread)) for c in colour)


# --- shared pieces -----------------------------------------------------------------------


@cache
def _font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(FONT), size)


def _jpeg(image: Image.Image, quality: int = 88) -> bytes:
    buffer = BytesIO()
    image.save(buffer, "JPEG", quality=quality)
    return buffer.getvalue()


def sky(c: Canvas, horizon: float) -> None:
    top, bottom = SKIES[c.light]
    c.gradient((0, 0, WIDTH, horizon), c.vary(top, 8), c.vary(bottom, 8))
    rng, pen = c.rng, c.pen
    if c.light == "night":
        for _ in range(70):
            x, y, r = rng.uniform(0, WIDTH), rng.uniform(0, horizon * 0.7), rng.uniform(1, 2.2)
            pen.ellipse([x - r, y - r, x + r, y + r], fill=(250, 248, 226, rng.randint(120, 255)))
        x, y = rng.uniform(0.1, 0.9) * WIDTH, rng.uniform(0.08, 0.25) * horizon
        pen.ellipse([x - 28, y - 28, x + 28, y + 28], fill=(242, 238, 214))
        return
    if c.light == "dusk":
        x, y = rng.uniform(0.15, 0.85) * WIDTH, horizon - rng.uniform(20, 90)
        pen.ellipse([x - 70, y - 70, x + 70, y + 70], fill=(255, 204, 136))
    cloud = mix(bottom, (255, 255, 255), 0.7 if c.light == "day" else 0.25)
    for _ in range(rng.randint(2, 5)):
        cx, cy = rng.uniform(-50, WIDTH + 50), rng.uniform(0.08, 0.5) * horizon
        width = rng.uniform(160, 360)
        base = width * 0.16
        pen.rounded_rectangle(
            [cx - width / 2, cy - base / 2, cx + width / 2, cy + base / 2],
            radius=base / 2,
            fill=cloud,
        )
        for _ in range(rng.randint(2, 4)):
            r = rng.uniform(0.14, 0.24) * width
            ox = rng.uniform(-width / 2 + r, width / 2 - r)
            pen.ellipse([cx + ox - r, cy - r * 1.4, cx + ox + r, cy + r * 0.4], fill=cloud)


def hills(c: Canvas, base: float, height: float, colour: Colour) -> None:
    """A ridge of soft peaks along `base`, up to `height` above it."""
    peaks = []
    x = -c.rng.uniform(60, 260)
    while x < WIDTH + 260:
        peaks.append((x, base - c.rng.uniform(0.35, 1.0) * height))
        x += c.rng.uniform(120, 260)
    ridge = [
        (x0 + (x1 - x0) * step / 8, y0 + (y1 - y0) * (1 - math.cos(step / 8 * math.pi)) / 2)
        for (x0, y0), (x1, y1) in pairwise(peaks)
        for step in range(8)
    ]
    c.pen.polygon([(ridge[0][0], base), *ridge, (ridge[-1][0], base)], fill=c.lit(colour))


def person(
    c: Canvas,
    x: float,
    feet: float,
    height: float,
    clothes: Colour,
    *,
    legs: Colour | None = None,
    hat: Colour | None = None,
    head: Colour | None = None,
) -> None:
    """A standing figure seen from the front, `height` tall, feet at `feet`."""
    pen = c.pen
    top, hip = feet - height, feet - height * 0.47
    leg, shoulder, arm = height * 0.085, height * 0.27, height * 0.065
    legs = c.lit(legs or shade(clothes, 0.55))
    pen.rectangle([x - leg * 1.1, hip, x - leg * 0.1, feet], fill=legs)
    pen.rectangle([x + leg * 0.1, hip, x + leg * 1.1, feet], fill=legs)
    body = c.lit(clothes)
    sleeve = shade(body, 0.88)
    for side in (-1, 1):
        edge = x + side * shoulder / 2
        pen.rounded_rectangle(
            [min(edge, edge + side * arm), top + height * 0.16, max(edge, edge + side * arm), hip],
            radius=arm / 2,
            fill=sleeve,
        )
    pen.rounded_rectangle(
        [x - shoulder / 2, top + height * 0.14, x + shoulder / 2, hip + height * 0.05],
        radius=height * 0.05,
        fill=body,
    )
    size = height * 0.13
    face = c.lit(head or c.rng.choice(SKIN))
    pen.ellipse([x - size / 2, top, x + size / 2, top + size * 1.1], fill=face)
    if head is None and hat is None:
        pen.chord(
            [x - size / 2, top - size * 0.05, x + size / 2, top + size * 0.9],
            180,
            360,
            fill=c.lit(c.rng.choice(HAIR)),
        )
    if hat is not None:
        pen.chord(
            [x - size * 0.6, top - size * 0.25, x + size * 0.6, top + size * 0.75],
            180,
            360,
            fill=c.lit(hat),
        )
        pen.rectangle(
            [x - size * 0.7, top + size * 0.2, x + size * 0.7, top + size * 0.3], fill=c.lit(hat)
        )


def bust_back(c: Canvas, x: float, base: float, size: float, jacket: Colour) -> None:
    """Head and shoulders seen from behind: someone in the audience."""
    _shoulders(c, x, base, size, jacket)
    c.pen.ellipse(
        [x - size * 0.3, base - size * 1.25, x + size * 0.3, base - size * 0.48],
        fill=c.lit(c.rng.choice(HAIR)),
    )


def bust_front(c: Canvas, x: float, base: float, size: float, jacket: Colour) -> None:
    """Head and shoulders facing us, in a jacket with a white collar."""
    pen = c.pen
    _shoulders(c, x, base, size, jacket)
    pen.polygon(
        [(x - size * 0.2, base - size * 0.58), (x + size * 0.2, base - size * 0.58), (x, base)],
        fill=c.lit((240, 240, 236)),
    )
    if c.rng.random() < 0.7:
        pen.polygon(
            [(x - size * 0.05, base - size * 0.5), (x + size * 0.05, base - size * 0.5), (x, base)],
            fill=c.lit(c.rng.choice(((150, 30, 40), (30, 50, 110), (90, 90, 96)))),
        )
    pen.ellipse(
        [x - size * 0.28, base - size * 1.28, x + size * 0.28, base - size * 0.52],
        fill=c.lit(c.rng.choice(SKIN)),
    )
    pen.chord(
        [x - size * 0.3, base - size * 1.33, x + size * 0.3, base - size * 0.8],
        180,
        360,
        fill=c.lit(c.rng.choice(HAIR)),
    )


def _shoulders(c: Canvas, x: float, base: float, size: float, jacket: Colour) -> None:
    c.pen.rounded_rectangle(
        [x - size * 0.63, base - size * 0.59, x + size * 0.63, base + size],
        radius=size * 0.33,
        fill=c.lit(jacket),
    )


def tree(c: Canvas, x: float, ground: float, height: float) -> None:
    pen = c.pen
    pen.rectangle(
        [x - height * 0.04, ground - height * 0.45, x + height * 0.04, ground],
        fill=c.lit((96, 70, 50)),
    )
    green = c.vary((70, 132, 72), 16)
    r = height * 0.3
    pen.ellipse([x - r, ground - height, x + r, ground - height + 2.1 * r], fill=c.lit(green))
    pen.ellipse(
        [x - r * 0.9, ground - height * 0.82, x + r * 0.2, ground - height * 0.82 + 1.4 * r],
        fill=c.lit(shade(green, 0.85)),
    )


def windows(
    c: Canvas, box, *, colour: Colour, floor: float, column: float, fill: float = 0.6
) -> None:
    """A grid of windows in `box`: glass by day, a few lit at night."""
    left, top, right, bottom = box
    glass = mix(colour, (200, 226, 246), 0.55) if c.light == "day" else shade(c.lit(colour), 0.7)
    y = top
    while y + floor * 0.6 < bottom:
        x = left
        while x + column * fill < right:
            lit = c.light != "day" and c.rng.random() < 0.45
            pen_colour = WINDOW_LIT if lit else glass
            c.pen.rectangle([x, y, x + column * fill, y + floor * 0.6], fill=pen_colour)
            x += column
        y += floor


def tower(c: Canvas, x: float, top: float, width: float, base: float, colour: Colour) -> None:
    """An office tower: a shaded side, a crown and a pattern of windows."""
    rng, pen = c.rng, c.pen
    body = c.lit(colour)
    crown = rng.choice(("flat", "step", "antenna", "slant"))
    if crown == "step":
        pen.rectangle([x + width * 0.2, top - 40, x + width * 0.8, top], fill=body)
    elif crown == "antenna":
        pen.rectangle([x + width * 0.47, top - 90, x + width * 0.53, top], fill=shade(body, 0.8))
    elif crown == "slant":
        pen.polygon([(x, top), (x + width, top - 50), (x + width, top)], fill=body)
    pen.rectangle([x, top, x + width, base], fill=body)
    pen.rectangle([x + width * 0.8, top, x + width, base], fill=shade(body, 0.84))
    pattern = rng.choice(("grid", "bands", "columns"))
    floor = rng.uniform(20, 30)
    if pattern == "bands":
        windows(
            c,
            (x + 8, top + 14, x + width - 8, base - 8),
            colour=colour,
            floor=floor,
            column=width,
            fill=0.98,
        )
    elif pattern == "columns":
        windows(
            c,
            (x + 10, top + 10, x + width - 8, base - 8),
            colour=colour,
            floor=floor * 0.6,
            column=width / 6,
            fill=0.55,
        )
    else:
        windows(
            c,
            (x + 10, top + 14, x + width - 10, base - 8),
            colour=colour,
            floor=floor,
            column=rng.uniform(20, 28),
        )


def street(c: Canvas, level: float, *, people: int) -> None:
    """A pavement with trees and passers-by along `level`, the road below it."""
    rng, pen = c.rng, c.pen
    pen.rectangle([0, level, WIDTH, level + 70], fill=c.lit((196, 190, 180)))
    pen.rectangle([0, level + 70, WIDTH, level + 80], fill=c.lit((150, 146, 140)))
    pen.rectangle([0, level + 80, WIDTH, HEIGHT], fill=c.lit((70, 72, 78)))
    for x in range(-40, WIDTH, 160):
        pen.rectangle([x, level + 170, x + 90, level + 180], fill=c.lit((236, 236, 230)))
    for x in range(rng.randint(40, 160), WIDTH, rng.randint(260, 380)):
        tree(c, x, level + 30, rng.uniform(150, 200))
        if c.light != "day":
            pen.ellipse([x + 60, level - 210, x + 90, level - 180], fill=(255, 226, 160, 230))
    for _ in range(people):
        height = rng.uniform(120, 160)
        person(
            c, rng.uniform(20, WIDTH - 20), level + rng.uniform(40, 66), height, rng.choice(CLOTHES)
        )


def grid_lines(c: Canvas, box, spacing: float, colour) -> None:
    left, top, right, bottom = box
    x = left
    while x <= right:
        c.pen.line([(x, top), (x, bottom)], fill=colour, width=2)
        x += spacing
    y = top
    while y <= bottom:
        c.pen.line([(left, y), (right, y)], fill=colour, width=2)
        y += spacing


def lattice(c: Canvas, start, end, depth: float, colour: Colour, width: int = 4) -> None:
    """A steel truss from `start` to `end`, `depth` thick, with its zigzag bracing."""
    (x0, y0), (x1, y1) = start, end
    length = math.hypot(x1 - x0, y1 - y0) or 1
    nx, ny = -(y1 - y0) / length * depth, (x1 - x0) / length * depth
    pen = c.pen
    pen.line([(x0, y0), (x1, y1)], fill=colour, width=width)
    pen.line([(x0 + nx, y0 + ny), (x1 + nx, y1 + ny)], fill=colour, width=width)
    steps = max(2, round(length / max(depth, 1)))
    for i in range(steps):
        a, b = i / steps, (i + 1) / steps
        pen.line(
            [
                (x0 + (x1 - x0) * a, y0 + (y1 - y0) * a),
                (x0 + (x1 - x0) * b + nx, y0 + (y1 - y0) * b + ny),
            ],
            fill=colour,
            width=max(1, width - 1),
        )


def water(c: Canvas, top: float, bottom: float = HEIGHT) -> None:
    deep = {"day": (40, 96, 150), "dusk": (70, 64, 110), "night": (10, 18, 44)}[c.light]
    near = shade(deep, 0.7)
    c.gradient((0, top, WIDTH, bottom), mix(deep, SKIES[c.light][1], 0.3), near)
    for _ in range(60):
        x, y = c.rng.uniform(0, WIDTH), c.rng.uniform(top + 6, bottom)
        length = 20 + (y - top) * 0.12
        c.pen.line(
            [(x, y), (x + length, y)], fill=(*mix(deep, (255, 255, 255), 0.35), 150), width=2
        )


def ship(c: Canvas, left: float, right: float, waterline: float, kind: str) -> None:
    """A ship in profile, bow to the right: "container", "tanker" or "lng"."""
    rng, pen = c.rng, c.pen
    length = right - left
    freeboard = length * 0.075
    deck = waterline - freeboard
    hull = c.lit(rng.choice(((30, 40, 60), (34, 34, 38), (40, 70, 56), (150, 40, 36))))
    pen.polygon(
        [
            (left, deck),
            (right + length * 0.04, deck - freeboard * 0.3),
            (right - length * 0.03, waterline),
            (left + length * 0.01, waterline),
        ],
        fill=hull,
    )
    pen.rectangle(
        [left + length * 0.01, waterline - 12, right - length * 0.03, waterline],
        fill=c.lit((168, 44, 40)),
    )
    if kind == "container":
        bay, tier = length * 0.026, length * 0.013
        x = left + length * 0.2
        while x + bay < right - length * 0.06:
            stack = rng.randint(3, 7)
            for level in range(stack):
                y = deck - (level + 1) * tier
                colour = c.lit(rng.choice(CONTAINERS))
                pen.rectangle([x, y, x + bay - 2, y + tier - 2], fill=colour)
                pen.line(
                    [(x + bay / 2, y + 2), (x + bay / 2, y + tier - 4)],
                    fill=shade(colour, 0.8),
                    width=1,
                )
            x += bay
    elif kind == "tanker":
        pen.rectangle(
            [left + length * 0.18, deck - 10, right - length * 0.02, deck - 6],
            fill=c.lit((196, 196, 190)),
        )
        for i in range(3):
            px = left + length * (0.35 + 0.18 * i)
            pen.line(
                [(px, deck - 8), (px, deck - freeboard * 1.3)], fill=c.lit((220, 200, 60)), width=5
            )
            pen.line(
                [(px, deck - freeboard * 1.3), (px + length * 0.05, deck - freeboard * 0.6)],
                fill=c.lit((220, 200, 60)),
                width=4,
            )
    else:
        domes = 4
        span = (right - left - length * 0.24) / domes
        for i in range(domes):
            cx = left + length * 0.2 + span * (i + 0.5)
            r = span * 0.44
            pen.pieslice(
                [cx - r, deck - r * 1.25, cx + r, deck + r * 0.75],
                180,
                360,
                fill=c.lit((236, 236, 232)),
            )
            pen.rectangle([cx - r, deck - r * 0.3, cx + r, deck], fill=c.lit((224, 224, 218)))
            pen.arc(
                [cx - r, deck - r * 1.25, cx + r, deck + r * 0.75],
                200,
                340,
                fill=c.lit((200, 60, 50)),
                width=5,
            )
    # The accommodation block at the stern, with the bridge on top and the funnel behind.
    block_left, block_right = left + length * 0.04, left + length * 0.15
    block_top = deck - freeboard * 2.4
    pen.rectangle([block_left, block_top, block_right, deck], fill=c.lit((238, 238, 232)))
    for level in range(4):
        y = block_top + 10 + level * freeboard * 0.55
        pen.rectangle(
            [block_left + 8, y, block_right - 8, y + freeboard * 0.2], fill=c.lit((60, 80, 110))
        )
    pen.rectangle(
        [block_left - 10, block_top - 6, block_right + 16, block_top + 6],
        fill=c.lit((238, 238, 232)),
    )
    pen.rectangle(
        [left + length * 0.015, block_top - freeboard * 0.6, left + length * 0.05, deck],
        fill=c.lit(rng.choice(((200, 40, 40), (30, 60, 120), (230, 150, 40)))),
    )


def container_stack(
    c: Canvas, left: float, bottom: float, columns: int, levels: int, unit: float
) -> None:
    for column in range(columns):
        height = c.rng.randint(max(1, levels - 2), levels)
        for level in range(height):
            x, y = left + column * unit * 2.1, bottom - (level + 1) * unit
            colour = c.lit(c.rng.choice(CONTAINERS))
            c.pen.rectangle([x, y, x + unit * 2, y + unit - 3], fill=colour)
            for rib in range(1, 8):
                rx = x + rib * unit * 2 / 8
                c.pen.line([(rx, y + 4), (rx, y + unit - 7)], fill=shade(colour, 0.82), width=2)


# --- the scenes --------------------------------------------------------------------------


def city(c: Canvas) -> None:
    rng = c.rng
    level = HEIGHT * rng.uniform(0.7, 0.76)
    sky(c, level)
    haze = mix(SKIES[c.light][1], (108, 118, 140), 0.4)
    x = -rng.uniform(0, 60)
    while x < WIDTH:
        width = rng.uniform(60, 150)
        c.pen.rectangle(
            [x, level - rng.uniform(0.25, 0.55) * HEIGHT, x + width, level], fill=c.vary(haze, 6)
        )
        x += width + rng.uniform(-10, 14)
    x = -rng.uniform(0, 80)
    palette = (
        (120, 132, 150),
        (150, 156, 166),
        (96, 112, 136),
        (178, 168, 150),
        (84, 98, 120),
        (200, 196, 188),
    )
    while x < WIDTH:
        width = rng.uniform(110, 240)
        tower(c, x, level - rng.uniform(0.18, 0.6) * HEIGHT, width, level, rng.choice(palette))
        x += width + rng.uniform(6, 30)
    street(c, level, people=rng.randint(4, 9))


def apartments(c: Canvas) -> None:
    rng, pen = c.rng, c.pen
    ground = HEIGHT * 0.84
    sky(c, ground)
    hills(c, ground - 260, 160, (120, 150, 150))
    accent = rng.choice(((40, 100, 170), (200, 90, 60), (60, 140, 110), (130, 90, 160)))
    for scale, base in ((0.55, ground - 70), (0.8, ground - 20), (1.0, ground + 30)):
        x = -rng.uniform(0, 160) * scale
        while x < WIDTH:
            width, height = rng.uniform(240, 340) * scale, rng.uniform(460, 640) * scale
            _apartment_block(c, x, base - height, width, base, accent, scale)
            x += width + rng.uniform(50, 130) * scale
    pen.rectangle([0, ground + 20, WIDTH, HEIGHT], fill=c.lit((108, 140, 86)))
    for x in range(-20, WIDTH, 70):
        tree(c, x + rng.uniform(-10, 10), HEIGHT - rng.uniform(10, 40), rng.uniform(130, 180))


def _apartment_block(c, x, top, width, base, accent, scale) -> None:
    pen = c.pen
    wall = c.lit(c.vary((238, 234, 224), 6))
    pen.rectangle([x, top, x + width, base], fill=wall)
    pen.rectangle([x + width * 0.88, top, x + width, base], fill=shade(wall, 0.86))
    pen.rectangle([x, top - 26 * scale, x + width, top], fill=c.lit(accent))
    number = f"{c.rng.randint(1, 2)}{c.rng.randint(0, 1)}{c.rng.randint(1, 9)}"
    pen.text(
        (x + width * 0.44, top - 13 * scale),
        number,
        font=_font(max(10, round(20 * scale))),
        fill=wall,
        anchor="mm",
    )
    floor, units = 22 * scale, 4
    unit = width * 0.88 / units
    y = top + 10 * scale
    while y + floor < base - 10:
        for i in range(units):
            ux = x + i * unit + unit * 0.1
            lit = c.light != "day" and c.rng.random() < 0.55
            glass = WINDOW_LIT if lit else c.lit((150, 176, 196))
            pen.rectangle([ux, y, ux + unit * 0.8, y + floor * 0.55], fill=glass)
            pen.line(
                [(ux, y + floor * 0.62), (ux + unit * 0.8, y + floor * 0.62)],
                fill=shade(wall, 0.7),
                width=max(1, round(3 * scale)),
            )
        y += floor


def construction(c: Canvas) -> None:
    rng, pen = c.rng, c.pen
    ground = HEIGHT * 0.82
    sky(c, ground)
    hills(c, ground - 140, 120, (130, 150, 160))
    concrete = c.lit((176, 174, 168))
    left, width = rng.uniform(180, 500), rng.uniform(520, 760)
    floors = rng.randint(9, 14)
    storey = 42
    built = rng.randint(floors - 4, floors - 1)
    for level in range(floors):
        y = ground - (level + 1) * storey
        if level < built:
            pen.rectangle([left, y, left + width, y + storey], fill=c.lit((92, 90, 88)))
            if level < built - 3 and rng.random() < 0.8:
                pen.rectangle([left, y, left + width, y + storey], fill=(40, 130, 80, 150))
        for column in range(9):
            cx = left + column * width / 8
            pen.rectangle([cx - 6, y, cx + 6, y + storey], fill=concrete)
        pen.rectangle([left - 6, y, left + width + 6, y + 8], fill=concrete)
    for crane in range(rng.randint(1, 2)):
        _tower_crane(
            c,
            left + width * (0.3 + 0.5 * crane) + rng.uniform(-40, 40),
            ground,
            ground - floors * storey - rng.uniform(120, 220),
        )
    pen.rectangle([0, ground, WIDTH, HEIGHT], fill=c.lit((150, 128, 100)))
    stripe = rng.choice(((40, 90, 170), (40, 140, 90)))
    for x in range(0, WIDTH, 120):
        pen.rectangle([x, ground - 30, x + 116, ground + 70], fill=c.lit((236, 236, 232)))
        pen.rectangle([x, ground + 30, x + 116, ground + 50], fill=c.lit(stripe))
    for _ in range(rng.randint(2, 4)):
        person(
            c,
            rng.uniform(60, WIDTH - 60),
            HEIGHT - rng.uniform(40, 110),
            rng.uniform(130, 170),
            (36, 52, 84),
            hat=(246, 200, 40),
        )


def _tower_crane(c: Canvas, x: float, ground: float, top: float) -> None:
    rng, pen = c.rng, c.pen
    steel = c.lit(rng.choice(((236, 186, 40), (210, 60, 40), (236, 236, 230))))
    lattice(c, (x - 14, ground), (x - 14, top), -28, steel)
    side = rng.choice((-1, 1))
    reach = rng.uniform(420, 640) * side
    back = -reach * 0.35
    lattice(c, (x, top), (x + reach, top), 22, steel)
    pen.rectangle([min(x, x + back), top - 4, max(x, x + back), top + 16], fill=steel)
    weight = x + back
    pen.rectangle(
        [min(weight, weight + side * 70), top + 10, max(weight, weight + side * 70), top + 52],
        fill=c.lit((150, 150, 146)),
    )
    pen.polygon([(x - 16, top), (x + 16, top), (x, top - 90)], fill=steel)
    pen.line([(x, top - 90), (x + reach, top)], fill=steel, width=3)
    pen.line([(x, top - 90), (x + back, top)], fill=steel, width=3)
    pen.rectangle([x - 30, top + 10, x - 2, top + 40], fill=c.lit((236, 236, 230)))
    hook_x = x + reach * rng.uniform(0.4, 0.9)
    hook_y = rng.uniform(top + 180, ground - 220)
    pen.line([(hook_x, top + 20), (hook_x, hook_y)], fill=(40, 40, 40), width=3)
    load = c.lit(rng.choice(((120, 120, 126), (160, 100, 60))))
    pen.rectangle([hook_x - 60, hook_y, hook_x + 60, hook_y + 26], fill=load)


def port(c: Canvas) -> None:
    rng, pen = c.rng, c.pen
    horizon, quay = HEIGHT * 0.46, HEIGHT * 0.7
    sky(c, horizon)
    hills(c, horizon, 70, (110, 130, 150))
    water(c, horizon, quay)
    ship(c, -80, WIDTH * rng.uniform(0.8, 1.0), quay - 6, "container")
    pen.rectangle([0, quay, WIDTH, HEIGHT], fill=c.lit((188, 186, 180)))
    pen.rectangle([0, quay, WIDTH, quay + 10], fill=c.lit((120, 118, 112)))
    crane = c.lit(rng.choice(((200, 44, 40), (36, 90, 170), (232, 232, 228))))
    for i in range(rng.randint(3, 4)):
        _gantry_crane(c, 120 + i * rng.uniform(330, 420), quay, crane)
    container_stack(c, rng.uniform(-60, 0), HEIGHT - 30, 10, 4, 46)
    container_stack(c, WIDTH * 0.6, HEIGHT - 20, 8, 3, 46)


def _gantry_crane(c: Canvas, x: float, quay: float, colour: Colour) -> None:
    pen = c.pen
    span = 170
    ground = quay + 90
    top, boom = HEIGHT * 0.16, HEIGHT * 0.3
    for leg in (x, x + span):
        pen.rectangle([leg - 11, boom, leg + 11, ground], fill=colour)
    pen.rectangle([x - 20, ground - 16, x + span + 20, ground], fill=shade(colour, 0.7))
    pen.rectangle([x - 40, boom - 24, x + span + 40, boom + 10], fill=colour)
    pen.rectangle([x - 10, HEIGHT * 0.52, x + span + 10, HEIGHT * 0.52 + 18], fill=colour)
    pen.line([(x, HEIGHT * 0.52), (x + span, boom + 10)], fill=colour, width=8)
    pen.line([(x + span, HEIGHT * 0.52), (x, boom + 10)], fill=colour, width=8)
    pen.polygon(
        [(x + 10, boom - 24), (x + span - 10, boom - 24), (x + span / 2, top)],
        outline=colour,
        width=10,
    )
    pen.rectangle(
        [x + span * 0.2, boom - 70, x + span * 0.8, boom - 24], fill=c.lit((236, 236, 230))
    )
    pen.line([(x + span / 2, boom + 10), (x + span / 2, quay - 40)], fill=(40, 40, 44), width=3)


def tanker(c: Canvas) -> None:
    rng, pen = c.rng, c.pen
    horizon = HEIGHT * 0.5
    sky(c, horizon)
    hills(c, horizon, 90, (100, 124, 130))
    for _ in range(rng.randint(4, 7)):
        tx, r = rng.uniform(0, WIDTH), rng.uniform(40, 70)
        pen.rectangle([tx - r, horizon - r * 0.9, tx + r, horizon], fill=c.lit((226, 226, 220)))
        pen.chord(
            [tx - r, horizon - r * 1.1, tx + r, horizon - r * 0.7],
            180,
            360,
            fill=c.lit((206, 206, 200)),
        )
    water(c, horizon)
    waterline = HEIGHT * rng.uniform(0.72, 0.78)
    left = rng.uniform(-60, 120)
    ship(c, left, left + WIDTH * rng.uniform(0.8, 0.95), waterline, "tanker")
    if rng.random() < 0.6:
        tug = rng.uniform(0.55, 0.85) * WIDTH
        tug_line = waterline + 90
        pen.polygon(
            [
                (tug - 90, tug_line - 36),
                (tug + 110, tug_line - 40),
                (tug + 80, tug_line),
                (tug - 80, tug_line),
            ],
            fill=c.lit((200, 50, 40)),
        )
        pen.rectangle(
            [tug - 40, tug_line - 80, tug + 30, tug_line - 36], fill=c.lit((240, 240, 236))
        )
        pen.rectangle([tug - 20, tug_line - 110, tug, tug_line - 80], fill=c.lit((30, 30, 34)))
        pen.ellipse([tug + 70, tug_line - 16, tug + 170, tug_line + 6], fill=(236, 244, 250, 160))
    else:
        pen.rectangle([0, HEIGHT * 0.88, WIDTH, HEIGHT], fill=c.lit((150, 148, 142)))
        for i in range(4):
            px = 200 + i * 360
            pen.rectangle(
                [px - 8, HEIGHT * 0.7, px + 8, HEIGHT * 0.88], fill=c.lit((200, 200, 196))
            )
            pen.line(
                [(px, HEIGHT * 0.7), (px + 80, HEIGHT * 0.66), (px + 120, waterline - 40)],
                fill=c.lit((226, 190, 50)),
                width=7,
            )


def lng_carrier(c: Canvas) -> None:
    rng, pen = c.rng, c.pen
    horizon = HEIGHT * 0.5
    sky(c, horizon)
    hills(c, horizon, 110, (110, 130, 140))
    goliath = c.lit(rng.choice(((36, 90, 170), (200, 50, 40))))
    gx = rng.uniform(0.1, 0.5) * WIDTH
    pen.rectangle([gx, HEIGHT * 0.12, gx + 700, HEIGHT * 0.17], fill=goliath)
    for leg in (gx + 30, gx + 670):
        pen.rectangle([leg - 14, HEIGHT * 0.17, leg + 14, horizon], fill=goliath)
    water(c, horizon)
    waterline = HEIGHT * rng.uniform(0.76, 0.8)
    left = rng.uniform(-40, 100)
    ship(c, left, left + WIDTH * rng.uniform(0.82, 0.95), waterline, "lng")
    pen.rectangle([0, HEIGHT * 0.9, WIDTH, HEIGHT], fill=c.lit((170, 168, 160)))


def shipyard(c: Canvas) -> None:
    rng, pen = c.rng, c.pen
    horizon = HEIGHT * 0.55
    sky(c, horizon)
    water(c, horizon, HEIGHT * 0.62)
    pen.rectangle([0, HEIGHT * 0.62, WIDTH, HEIGHT], fill=c.lit((160, 156, 150)))
    dock_top = HEIGHT * 0.68
    pen.rectangle([80, dock_top, WIDTH - 80, HEIGHT], fill=c.lit((110, 108, 104)))
    primer = c.lit((170, 64, 48))
    grey = c.lit((130, 136, 140))
    hull_left, hull_right = 180, WIDTH - rng.uniform(160, 420)
    bottom = HEIGHT * 0.95
    pen.polygon(
        [
            (hull_left, dock_top - 40),
            (hull_right + 80, dock_top - 60),
            (hull_right, bottom),
            (hull_left + 20, bottom),
        ],
        fill=primer,
    )
    block = (hull_right - hull_left) / 7
    for i in range(7):
        if rng.random() < 0.7:
            bx = hull_left + i * block
            pen.rectangle(
                [bx + 6, dock_top - 120, bx + block - 6, dock_top - 40],
                fill=grey if i % 2 else primer,
            )
    for i in range(8):
        y = dock_top - 30 + i * 36
        pen.line([(hull_left, y), (hull_right + 40, y - 6)], fill=shade(primer, 0.8), width=2)
    goliath = c.lit(rng.choice(((36, 90, 170), (200, 50, 40), (240, 200, 40))))
    pen.rectangle([40, HEIGHT * 0.1, WIDTH - 40, HEIGHT * 0.18], fill=goliath)
    pen.rectangle(
        [WIDTH * 0.4, HEIGHT * 0.18, WIDTH * 0.48, HEIGHT * 0.24], fill=c.lit((236, 236, 232))
    )
    for leg in (90, WIDTH - 90):
        pen.polygon(
            [
                (leg - 20, HEIGHT * 0.18),
                (leg + 20, HEIGHT * 0.18),
                (leg + 50, HEIGHT),
                (leg - 50, HEIGHT),
            ],
            fill=goliath,
        )
    hook = WIDTH * 0.44
    pen.line([(hook, HEIGHT * 0.24), (hook, dock_top - 200)], fill=(40, 40, 44), width=4)
    pen.rectangle([hook - 110, dock_top - 200, hook + 110, dock_top - 130], fill=grey)
    for _ in range(rng.randint(3, 6)):
        person(
            c,
            rng.uniform(200, WIDTH - 200),
            HEIGHT - rng.uniform(10, 60),
            70,
            (40, 60, 100),
            hat=(240, 240, 236),
        )


def pylons(c: Canvas) -> None:
    rng = c.rng
    horizon = HEIGHT * rng.uniform(0.58, 0.66)
    sky(c, horizon)
    hills(c, horizon, 120, (96, 130, 120))
    c.gradient((0, horizon, WIDTH, HEIGHT), c.lit((120, 160, 80)), c.lit((84, 128, 60)))
    for i in range(10):
        y = horizon + (HEIGHT - horizon) * (i / 10) ** 1.6
        c.pen.line([(0, y), (WIDTH, y)], fill=(*c.lit((150, 184, 96)), 120), width=2)
    _pylon_row(c, horizon, rng.uniform(0.65, 0.9) * HEIGHT)


def _pylon_row(c: Canvas, horizon: float, first_height: float) -> None:
    """Pylons striding toward the horizon, cables sagging between them."""
    rng = c.rng
    vanish = rng.uniform(0.6, 0.9) * WIDTH if rng.random() < 0.5 else rng.uniform(0.1, 0.4) * WIDTH
    start = WIDTH - vanish * 0.6 if vanish < WIDTH / 2 else vanish * 0.4 - 200
    base = horizon + (HEIGHT - horizon) * 0.8
    steel = c.lit((90, 96, 104)) if c.light == "day" else c.lit((40, 44, 50))
    tips = []
    for step in range(5):
        t = 1 - 0.52**step
        x = start + (vanish - start) * t
        foot = base + (horizon - base) * t
        height = first_height * (1 - t) + 10
        tips.append(_pylon(c, x, foot, height, steel))
    for a, b in pairwise(tips):
        for (x0, y0), (x1, y1) in zip(a, b, strict=True):
            sag = abs(x1 - x0) * 0.08
            points = [
                (
                    x0 + (x1 - x0) * t / 12,
                    y0 + (y1 - y0) * t / 12 + sag * math.sin(math.pi * t / 12),
                )
                for t in range(13)
            ]
            c.pen.line(points, fill=steel, width=2)


def _pylon(c: Canvas, x: float, foot: float, height: float, steel) -> list[tuple[float, float]]:
    pen = c.pen
    width = max(2, round(height / 90))
    top = foot - height
    base_half, top_half = height * 0.16, height * 0.03
    left = [(x - base_half, foot), (x - top_half, top)]
    right = [(x + base_half, foot), (x + top_half, top)]
    pen.line(left, fill=steel, width=width + 1)
    pen.line(right, fill=steel, width=width + 1)
    for i in range(9):
        a, b = i / 9, (i + 1) / 9
        ya, yb = foot - height * a, foot - height * b
        ha = base_half + (top_half - base_half) * a
        hb = base_half + (top_half - base_half) * b
        pen.line([(x - ha, ya), (x + hb, yb)], fill=steel, width=width)
        pen.line([(x + ha, ya), (x - hb, yb)], fill=steel, width=width)
    tips = []
    for level, arm in ((0.62, 0.22), (0.76, 0.27), (0.9, 0.2)):
        y = foot - height * level
        reach = height * arm
        pen.line([(x - reach, y), (x + reach, y)], fill=steel, width=width + 1)
        pen.line([(x - reach, y), (x, y - height * 0.05)], fill=steel, width=width)
        pen.line([(x + reach, y), (x, y - height * 0.05)], fill=steel, width=width)
        tips += [(x - reach, y + height * 0.03), (x + reach, y + height * 0.03)]
    return tips


def substation(c: Canvas) -> None:
    rng, pen = c.rng, c.pen
    horizon = HEIGHT * 0.56
    sky(c, horizon)
    hills(c, horizon, 100, (100, 130, 120))
    pen.rectangle([0, horizon, WIDTH, HEIGHT], fill=c.lit((170, 166, 152)))
    _pylon_row(c, horizon, HEIGHT * 0.5)
    steel = c.lit((150, 156, 160))
    for row, y in enumerate((HEIGHT * 0.72, HEIGHT * 0.92)):
        scale = 0.75 + 0.25 * row
        x = rng.uniform(-40, 40)
        while x < WIDTH:
            if rng.random() < 0.5:
                width, height = 150 * scale, 110 * scale
                pen.rectangle([x, y - height, x + width, y], fill=c.lit((120, 128, 120)))
                for fin in range(8):
                    fx = x + 10 + fin * (width - 20) / 7
                    pen.line(
                        [(fx, y - height + 8), (fx, y - 8)], fill=c.lit((96, 104, 98)), width=3
                    )
                for bushing in range(3):
                    bx = x + width * (0.25 + 0.25 * bushing)
                    pen.rectangle(
                        [bx - 5, y - height - 50 * scale, bx + 5, y - height],
                        fill=c.lit((180, 110, 70)),
                    )
            else:
                width, height = 240 * scale, 100 * scale
                pen.rectangle([x, y - height, x + width, y], fill=c.lit((232, 232, 228)))
                for vent in range(5):
                    vx = x + 16 + vent * (width - 32) / 4.5
                    pen.rectangle(
                        [vx, y - height + 16, vx + 22 * scale, y - 16], fill=c.lit((190, 194, 196))
                    )
            x += width + 30 * scale
        pen.line([(0, y - 150 * scale), (WIDTH, y - 150 * scale)], fill=steel, width=3)
    pen.rectangle([0, HEIGHT * 0.955, WIDTH, HEIGHT], fill=c.lit((120, 124, 120)))
    for x in range(0, WIDTH, 24):
        pen.line([(x, HEIGHT * 0.955), (x, HEIGHT)], fill=c.lit((90, 94, 92)), width=2)


def vehicles(c: Canvas) -> None:
    rng, pen = c.rng, c.pen
    ground = HEIGHT * 0.5
    sky(c, ground)
    hall = c.lit(rng.choice(((216, 220, 226), (180, 188, 196), (228, 222, 210))))
    pen.rectangle([-10, HEIGHT * 0.2, WIDTH * rng.uniform(0.7, 1.0), ground], fill=hall)
    windows(
        c,
        (20, HEIGHT * 0.26, WIDTH * 0.68, ground - 20),
        colour=hall,
        floor=90,
        column=130,
        fill=0.9,
    )
    c.gradient((0, ground, WIDTH, HEIGHT), c.lit((120, 122, 128)), c.lit((84, 86, 92)))
    chargers = rng.random() < 0.4
    for row, (y, scale) in enumerate(
        ((HEIGHT * 0.64, 0.62), (HEIGHT * 0.8, 0.8), (HEIGHT * 0.99, 1.0))
    ):
        length = 300 * scale
        x = rng.uniform(-length * 0.6, 0)
        for line_x in range(round(x), WIDTH, round(length * 1.12)):
            pen.line(
                [(line_x, y - 12), (line_x + 40 * scale, y + 6)],
                fill=c.lit((230, 230, 224)),
                width=3,
            )
        while x < WIDTH:
            if chargers and row == 0:
                pen.rectangle(
                    [x - 40 * scale, y - 170 * scale, x - 8 * scale, y], fill=c.lit((236, 236, 232))
                )
                pen.rectangle(
                    [x - 34 * scale, y - 156 * scale, x - 14 * scale, y - 126 * scale],
                    fill=c.lit((60, 180, 120)),
                )
            _car(c, x, y, length, c.rng.choice(CARS), van=rng.random() < 0.2)
            x += length * rng.uniform(1.08, 1.2)


def _car(
    c: Canvas, x: float, ground: float, length: float, colour: Colour, *, van: bool = False
) -> None:
    pen = c.pen
    body = c.lit(colour)
    height = length * (0.42 if van else 0.3)
    roof = (0.06, 0.9) if van else (0.24, 0.74)
    wheel = length * 0.1
    bottom = ground - wheel * 0.5
    pen.rounded_rectangle(
        [x, bottom - height * 0.55, x + length, bottom], radius=length * 0.06, fill=body
    )
    pen.polygon(
        [
            (x + length * (roof[0] - 0.04), bottom - height * 0.5),
            (x + length * (roof[0] + 0.06), bottom - height),
            (x + length * roof[1], bottom - height),
            (x + length * (roof[1] + 0.1), bottom - height * 0.5),
        ],
        fill=body,
    )
    glass = c.lit((70, 96, 124)) if c.light == "day" else (30, 36, 56)
    mid = x + length * (roof[0] + roof[1]) / 2
    pen.polygon(
        [
            (x + length * roof[0], bottom - height * 0.55),
            (x + length * (roof[0] + 0.07), bottom - height * 0.92),
            (mid - 5, bottom - height * 0.92),
            (mid - 5, bottom - height * 0.55),
        ],
        fill=glass,
    )
    pen.polygon(
        [
            (mid + 5, bottom - height * 0.55),
            (mid + 5, bottom - height * 0.92),
            (x + length * (roof[1] - 0.01), bottom - height * 0.92),
            (x + length * (roof[1] + 0.07), bottom - height * 0.55),
        ],
        fill=glass,
    )
    pen.rectangle(
        [x + length * 0.95, bottom - height * 0.45, x + length, bottom - height * 0.35],
        fill=(255, 236, 190),
    )
    for wx in (x + length * 0.2, x + length * 0.8):
        pen.ellipse([wx - wheel, ground - wheel * 2, wx + wheel, ground], fill=(26, 26, 30))
        pen.ellipse(
            [wx - wheel * 0.5, ground - wheel * 1.5, wx + wheel * 0.5, ground - wheel * 0.5],
            fill=c.lit((170, 172, 178)),
        )


def cleanroom(c: Canvas) -> None:
    rng, pen = c.rng, c.pen
    amber = rng.random() < 0.5
    wall = (236, 226, 196) if amber else (222, 230, 240)
    c.gradient((0, 0, WIDTH, HEIGHT * 0.72), wall, shade(wall, 0.92))
    grid_lines(c, (0, 0, WIDTH, HEIGHT * 0.16), 80, shade(wall, 0.85))
    pen.rectangle([0, HEIGHT * 0.16, WIDTH, HEIGHT * 0.17], fill=shade(wall, 0.8))
    rail = HEIGHT * 0.22
    pen.rectangle([0, rail, WIDTH, rail + 10], fill=(150, 156, 164))
    for _ in range(rng.randint(2, 4)):
        fx = rng.uniform(60, WIDTH - 60)
        drop = rng.uniform(10, 120)
        pen.line([(fx, rail + 10), (fx, rail + 10 + drop)], fill=(120, 124, 130), width=2)
        pen.rounded_rectangle(
            [fx - 34, rail + 10 + drop, fx + 34, rail + 66 + drop], radius=8, fill=(248, 248, 246)
        )
        pen.rectangle([fx - 26, rail + 22 + drop, fx + 26, rail + 34 + drop], fill=(120, 140, 170))
    floor = HEIGHT * 0.72
    x = rng.uniform(-80, 0)
    while x < WIDTH:
        width = rng.uniform(180, 280)
        top = floor - rng.uniform(250, 360)
        face = vary(rng, (244, 244, 240), 6)
        pen.rounded_rectangle([x, top, x + width, floor], radius=10, fill=face)
        pen.rectangle([x + width * 0.86, top + 6, x + width, floor], fill=shade(face, 0.9))
        pen.rectangle([x + 20, top + 30, x + 20 + width * 0.35, top + 90], fill=(40, 60, 90))
        pen.rectangle([x + 26, top + 36, x + 14 + width * 0.35, top + 84], fill=(80, 180, 220))
        pen.rectangle(
            [x + width * 0.5, top + 140, x + width * 0.8, top + 220], fill=(200, 206, 212)
        )
        for i, light in enumerate(((220, 60, 50), (240, 200, 50), (60, 180, 90))):
            pen.rectangle(
                [x + width * 0.7, top - 60 + i * 18, x + width * 0.7 + 18, top - 44 + i * 18],
                fill=light,
            )
        pen.rectangle(
            [x + width * 0.7 + 7, top - 10, x + width * 0.7 + 11, top], fill=(130, 130, 130)
        )
        x += width + rng.uniform(20, 60)
    c.gradient((0, floor, WIDTH, HEIGHT), shade(wall, 0.9), shade(wall, 0.78))
    for i in range(-8, 9):
        pen.line(
            [(WIDTH / 2 + i * 60, floor), (WIDTH / 2 + i * 220, HEIGHT)],
            fill=shade(wall, 0.72),
            width=2,
        )
    for i in range(5):
        y = floor + (HEIGHT - floor) * (i / 5) ** 1.3
        pen.line([(0, y), (WIDTH, y)], fill=shade(wall, 0.72), width=2)
    for _ in range(rng.randint(2, 4)):
        _bunny_suit(
            c,
            rng.uniform(120, WIDTH - 120),
            rng.uniform(HEIGHT * 0.86, HEIGHT * 0.97),
            rng.uniform(330, 420),
        )
    if amber:
        pen.rectangle([0, 0, WIDTH, HEIGHT], fill=(255, 196, 80, 46))


def _bunny_suit(c: Canvas, x: float, feet: float, height: float) -> None:
    """A cleanroom worker: white suit and hood, a dark visor."""
    pen = c.pen
    person(c, x, feet, height, (248, 248, 250), legs=(238, 240, 244), head=(244, 246, 250))
    size = height * 0.13
    top = feet - height
    pen.rounded_rectangle(
        [x - size * 0.36, top + size * 0.3, x + size * 0.36, top + size * 0.7],
        radius=size * 0.15,
        fill=(50, 70, 110),
    )
    pen.rectangle(
        [x - height * 0.2, feet - height * 0.5, x - height * 0.13, feet - height * 0.46],
        fill=(140, 150, 220),
    )
    pen.rectangle(
        [x + height * 0.13, feet - height * 0.5, x + height * 0.2, feet - height * 0.46],
        fill=(140, 150, 220),
    )


def assembly(c: Canvas) -> None:
    rng, pen = c.rng, c.pen
    wall = vary(rng, (190, 198, 206), 8)
    c.gradient((0, 0, WIDTH, HEIGHT * 0.62), shade(wall, 0.8), wall)
    for x in range(40, WIDTH, 260):
        pen.rectangle([x, HEIGHT * 0.18, x + 180, HEIGHT * 0.3], fill=(226, 236, 244))
    lattice(c, (0, HEIGHT * 0.1), (WIDTH, HEIGHT * 0.1), 40, (90, 96, 110), width=5)
    for x in range(120, WIDTH, 300):
        pen.line([(x, HEIGHT * 0.14), (x, HEIGHT * 0.36)], fill=(70, 70, 76), width=2)
        pen.chord([x - 40, HEIGHT * 0.34, x + 40, HEIGHT * 0.4], 180, 360, fill=(70, 76, 86))
        pen.ellipse([x - 16, HEIGHT * 0.36, x + 16, HEIGHT * 0.39], fill=(255, 244, 200))
    floor = HEIGHT * 0.62
    epoxy = rng.choice(((76, 130, 110), (150, 154, 160), (110, 120, 140)))
    c.gradient((0, floor, WIDTH, HEIGHT), epoxy, shade(epoxy, 0.8))
    for y in (floor + 20, HEIGHT * 0.94):
        pen.rectangle([0, y, WIDTH, y + 10], fill=(236, 196, 50))
    belt = HEIGHT * 0.74
    pen.rectangle([0, belt - 22, WIDTH, belt], fill=(50, 52, 58))
    pen.rectangle([0, belt, WIDTH, belt + 12], fill=(130, 134, 140))
    for x in range(20, WIDTH, 140):
        pen.rectangle([x, belt + 12, x + 12, belt + 100], fill=(100, 104, 110))
    goods = rng.choice(("boxes", "cars", "cells"))
    x = rng.uniform(0, 120)
    while x < WIDTH:
        if goods == "cars":
            _car(c, x, belt - 22, 320, (190, 194, 198))
            x += 420
        elif goods == "cells":
            for i in range(5):
                pen.rectangle(
                    [x + i * 26, belt - 100, x + i * 26 + 22, belt - 22], fill=(60, 100, 170)
                )
                pen.rectangle(
                    [x + i * 26, belt - 100, x + i * 26 + 22, belt - 90], fill=(200, 204, 210)
                )
            x += 220
        else:
            pen.rectangle([x, belt - 90, x + 110, belt - 22], fill=(196, 150, 100))
            pen.rectangle([x + 44, belt - 90, x + 66, belt - 22], fill=(220, 200, 170))
            x += 200
    for _ in range(rng.randint(2, 3)):
        _robot(c, rng.uniform(100, WIDTH - 100), belt - 30)
    for _ in range(rng.randint(2, 4)):
        person(
            c,
            rng.uniform(60, WIDTH - 60),
            HEIGHT - rng.uniform(20, 70),
            rng.uniform(280, 340),
            rng.choice(((36, 52, 84), (70, 80, 96))),
            hat=rng.choice(((240, 240, 236), (246, 200, 40))),
        )


def _robot(c: Canvas, x: float, reach_y: float) -> None:
    """An industrial arm standing behind the line, bent over it."""
    rng, pen = c.rng, c.pen
    orange = rng.choice(((236, 120, 30), (240, 190, 30), (220, 220, 216)))
    base_y = HEIGHT * 0.64
    pen.rectangle([x - 50, base_y - 40, x + 50, base_y], fill=(60, 62, 68))
    shoulder = (x, base_y - 70)
    elbow = (x + rng.uniform(-120, 120), base_y - rng.uniform(260, 330))
    wrist = (x + rng.uniform(-200, 200), reach_y - rng.uniform(120, 180))
    pen.ellipse([x - 46, base_y - 116, x + 46, base_y - 24], fill=orange)
    pen.line([shoulder, elbow], fill=orange, width=48)
    pen.line([elbow, wrist], fill=orange, width=34)
    for (jx, jy), r in ((elbow, 30), (wrist, 22)):
        pen.ellipse([jx - r, jy - r, jx + r, jy + r], fill=shade(orange, 0.8))
    pen.rectangle([wrist[0] - 8, wrist[1], wrist[0] + 8, wrist[1] + 60], fill=(80, 80, 86))
    pen.rectangle([wrist[0] - 26, wrist[1] + 56, wrist[0] + 26, wrist[1] + 66], fill=(80, 80, 86))


def factory(c: Canvas) -> None:
    rng, pen = c.rng, c.pen
    ground = HEIGHT * 0.8
    sky(c, ground)
    hills(c, ground - 40, 120, (110, 130, 140))
    steel = c.lit((196, 198, 196))
    dark = c.lit((120, 124, 130))
    lights = []
    for _ in range(rng.randint(3, 5)):
        x, width = rng.uniform(40, WIDTH - 120), rng.uniform(40, 80)
        top = rng.uniform(0.16, 0.4) * HEIGHT
        pen.rectangle([x, top, x + width, ground], fill=steel)
        pen.chord([x, top - width / 2, x + width, top + width / 2], 180, 360, fill=steel)
        for y in range(round(top + 40), round(ground), 90):
            pen.rectangle([x - 14, y, x + width + 14, y + 8], fill=dark)
            lights += [(x - 10, y - 6), (x + width + 8, y - 6)]
    for _ in range(rng.randint(2, 3)):
        x, r = rng.uniform(0, WIDTH), rng.uniform(70, 110)
        pen.ellipse([x - r, ground - 60 - 2 * r, x + r, ground - 60], fill=c.lit((232, 232, 226)))
        for leg in (-0.7, -0.25, 0.25, 0.7):
            pen.rectangle([x + leg * r - 5, ground - 60 - r, x + leg * r + 5, ground], fill=dark)
    for _ in range(rng.randint(1, 3)):
        x, width = rng.uniform(0, WIDTH), rng.uniform(160, 260)
        pen.rectangle([x, ground - 110, x + width, ground], fill=c.lit((218, 218, 212)))
        pen.chord([x, ground - 130, x + width, ground - 90], 180, 360, fill=c.lit((200, 200, 194)))
    for _ in range(rng.randint(1, 2)):
        x = rng.uniform(100, WIDTH - 100)
        top = rng.uniform(0.08, 0.2) * HEIGHT
        pen.polygon(
            [(x - 26, ground), (x - 14, top), (x + 14, top), (x + 26, ground)],
            fill=c.lit((226, 224, 220)),
        )
        for band in range(3):
            y = top + band * 70
            pen.rectangle([x - 16, y, x + 16, y + 28], fill=c.lit((200, 50, 44)))
        _plume(c, x, top - 10)
    for y in (ground - 150, ground - 120):
        pen.line([(0, y), (WIDTH, y)], fill=dark, width=6)
    for x in range(0, WIDTH, 120):
        pen.rectangle([x, ground - 150, x + 8, ground], fill=dark)
    pen.rectangle([0, ground, WIDTH, HEIGHT], fill=c.lit((120, 118, 112)))
    if c.light != "day":
        for lx, ly in lights:
            pen.ellipse([lx - 18, ly - 18, lx + 18, ly + 18], fill=(255, 200, 110, 70))
            pen.ellipse([lx - 4, ly - 4, lx + 4, ly + 4], fill=WINDOW_LIT)


def _plume(c: Canvas, x: float, y: float) -> None:
    drift = c.rng.choice((-1, 1))
    steam = (246, 246, 244, 220) if c.light == "day" else (150, 150, 160, 160)
    for i in range(9):
        r = 30 + i * 12
        cx, cy = x + drift * i * 38, y - i * 30
        c.pen.ellipse([cx - r, cy - r * 0.8, cx + r, cy + r * 0.8], fill=steam)


def farm(c: Canvas) -> None:
    rng, pen = c.rng, c.pen
    horizon = HEIGHT * 0.38
    sky(c, horizon)
    hills(c, horizon, 160, (106, 140, 150))
    hills(c, horizon + 40, 110, (80, 126, 90))
    c.gradient((0, horizon + 40, WIDTH, HEIGHT), (160, 120, 80), (120, 84, 54))
    vanish = rng.uniform(0.3, 0.7) * WIDTH
    rows = 14
    for row in range(rows):
        t = (row + 1) / rows
        y = horizon + 40 + (HEIGHT - horizon - 40) * t**1.7
        size = 6 + 58 * t**1.7
        for i in range(-14, 15):
            x = vanish + i * (size * 2.3)
            if -size < x < WIDTH + size:
                green = vary(rng, (96, 168, 74), 12)
                pen.ellipse([x - size, y - size * 0.8, x + size, y + size * 0.6], fill=green)
                pen.ellipse(
                    [x - size * 0.5, y - size * 0.5, x + size * 0.5, y + size * 0.2],
                    fill=mix(green, (220, 240, 190), 0.5),
                )
    for _ in range(rng.randint(3, 5)):
        x = rng.uniform(100, WIDTH - 100)
        feet = rng.uniform(HEIGHT * 0.72, HEIGHT * 0.96)
        person(c, x, feet, (feet - horizon) * 0.6, rng.choice(CLOTHES), hat=(232, 206, 140))
    for _ in range(rng.randint(2, 4)):
        x, y = rng.uniform(0, WIDTH), rng.uniform(HEIGHT * 0.78, HEIGHT * 0.95)
        crate = rng.choice(((40, 140, 80), (200, 60, 50), (40, 90, 170)))
        for level in range(rng.randint(1, 3)):
            pen.rectangle([x, y - (level + 1) * 56, x + 110, y - level * 56 - 4], fill=crate)
            pen.rectangle(
                [x + 10, y - (level + 1) * 56 + 12, x + 100, y - level * 56 - 30],
                fill=shade(crate, 0.7),
            )


def store(c: Canvas) -> None:
    rng, pen = c.rng, c.pen
    c.gradient((0, 0, WIDTH, HEIGHT * 0.74), (236, 236, 232), (214, 214, 208))
    for x in range(60, WIDTH, 300):
        pen.rectangle([x, 20, x + 200, 36], fill=(255, 255, 250))
    floor = HEIGHT * 0.74
    for shelf_index in range(5):
        y = HEIGHT * 0.16 + shelf_index * (floor - HEIGHT * 0.16) / 5
        step = (floor - HEIGHT * 0.16) / 5
        pen.rectangle([0, y + step - 14, WIDTH, y + step], fill=(200, 204, 210))
        x = rng.uniform(0, 10)
        while x < WIDTH:
            colour = rng.choice(
                (
                    (220, 60, 50),
                    (40, 110, 190),
                    (240, 190, 40),
                    (60, 150, 90),
                    (240, 240, 236),
                    (230, 120, 40),
                    (150, 60, 140),
                )
            )
            count = rng.randint(3, 7)
            bottle = rng.random() < 0.35
            width = rng.uniform(24, 34) if bottle else rng.uniform(40, 70)
            height = step * rng.uniform(0.6, 0.82)
            for _ in range(count):
                if bottle:
                    pen.rounded_rectangle(
                        [x, y + step - 14 - height, x + width - 4, y + step - 14],
                        radius=8,
                        fill=colour,
                    )
                    pen.rectangle(
                        [
                            x + width * 0.3,
                            y + step - 20 - height,
                            x + width * 0.6,
                            y + step - 10 - height,
                        ],
                        fill=(236, 236, 236),
                    )
                else:
                    pen.rectangle(
                        [x, y + step - 14 - height, x + width - 4, y + step - 14], fill=colour
                    )
                    pen.rectangle(
                        [
                            x + 6,
                            y + step - 14 - height * 0.7,
                            x + width - 10,
                            y + step - 14 - height * 0.45,
                        ],
                        fill=mix(colour, (255, 255, 255), 0.6),
                    )
                x += width
            pen.rectangle(
                [x - width, y + step - 12, x - width + 30, y + step - 2], fill=(250, 220, 60)
            )
            x += rng.uniform(4, 16)
    pen.rectangle([0, floor, WIDTH, HEIGHT], fill=(196, 192, 184))
    for i in range(-6, 7):
        pen.line(
            [(WIDTH / 2 + i * 140, floor), (WIDTH / 2 + i * 380, HEIGHT)],
            fill=(180, 176, 168),
            width=2,
        )
    if rng.random() < 0.5:
        crate = (150, 110, 70)
        for x in range(100, WIDTH - 200, 380):
            pen.rectangle([x, HEIGHT * 0.82, x + 320, HEIGHT], fill=crate)
            produce = rng.choice(((110, 170, 80), (230, 120, 40), (200, 40, 40)))
            for i in range(10):
                px, py = x + 30 + (i % 5) * 64, HEIGHT * 0.82 - 10 + (i // 5) * 30
                pen.ellipse([px - 34, py - 30, px + 34, py + 26], fill=vary(rng, produce, 12))
    for _ in range(rng.randint(2, 3)):
        x = rng.uniform(120, WIDTH - 200)
        feet = HEIGHT - rng.uniform(10, 60)
        person(c, x, feet, rng.uniform(420, 520), rng.choice(CLOTHES))
        _cart(c, x + 60, feet)


def _cart(c: Canvas, x: float, floor: float) -> None:
    pen = c.pen
    steel = (150, 156, 164)
    top = floor - 190
    pen.polygon(
        [(x, top), (x + 200, top), (x + 180, top + 120), (x + 20, top + 120)],
        outline=steel,
        width=5,
    )
    for i in range(1, 6):
        pen.line([(x + i * 33, top), (x + 14 + i * 28, top + 120)], fill=steel, width=2)
    pen.line([(x + 20, top + 120), (x + 20, floor - 14)], fill=steel, width=5)
    pen.line([(x + 180, top + 120), (x + 180, floor - 14)], fill=steel, width=5)
    for wx in (x + 20, x + 180):
        pen.ellipse([wx - 12, floor - 24, wx + 12, floor], fill=(40, 40, 44))
    pen.line([(x - 20, top - 20), (x, top)], fill=(200, 40, 40), width=8)


def street_market(c: Canvas) -> None:
    rng, pen = c.rng, c.pen
    c.gradient((0, 0, WIDTH, HEIGHT * 0.64), (200, 206, 214), (120, 110, 100))
    pen.rectangle([0, 0, WIDTH, 40], fill=(120, 130, 140))
    for x in range(0, WIDTH, 90):
        pen.line([(x, 40), (x + 45, 0)], fill=(150, 158, 166), width=4)
    ground = HEIGHT * 0.64
    x = rng.uniform(-120, 0)
    while x < WIDTH:
        width = rng.uniform(260, 360)
        awning = rng.choice(((200, 50, 44), (40, 100, 170), (60, 140, 90), (236, 170, 40)))
        pen.rectangle([x, HEIGHT * 0.3, x + width, ground], fill=vary(rng, (120, 100, 80), 10))
        stripes = 6
        for i in range(stripes):
            colour = awning if i % 2 == 0 else (246, 244, 236)
            sx = x + i * width / stripes
            pen.polygon(
                [
                    (sx, HEIGHT * 0.3),
                    (sx + width / stripes, HEIGHT * 0.3),
                    (sx + width / stripes + 10, HEIGHT * 0.4),
                    (sx + 10, HEIGHT * 0.4),
                ],
                fill=colour,
            )
        pen.ellipse(
            [x + width / 2 - 14, HEIGHT * 0.42, x + width / 2 + 14, HEIGHT * 0.46],
            fill=(255, 230, 150),
        )
        pen.rectangle([x + 10, ground - 80, x + width - 10, ground], fill=(170, 130, 90))
        produce = rng.choice(
            ((110, 170, 80), (230, 120, 40), (200, 40, 40), (240, 210, 80), (130, 60, 120))
        )
        for row in range(3):
            for i in range(round((width - 40) / 40)):
                px = x + 30 + i * 40 + (row % 2) * 20
                py = ground - 90 - row * 28
                pen.ellipse([px - 22, py - 20, px + 22, py + 20], fill=vary(rng, produce, 14))
        x += width + 20
    c.gradient((0, ground, WIDTH, HEIGHT), (180, 176, 168), (150, 146, 138))
    for _ in range(rng.randint(5, 9)):
        depth = rng.random()
        person(
            c,
            rng.uniform(40, WIDTH - 40),
            ground + 40 + depth * (HEIGHT - ground - 50),
            260 + depth * 260,
            rng.choice(CLOTHES),
        )


def bank(c: Canvas) -> None:
    rng, pen = c.rng, c.pen
    brand = rng.choice(((20, 70, 150), (0, 120, 110), (180, 40, 60), (230, 140, 30)))
    wall = (238, 234, 226)
    c.gradient((0, 0, WIDTH, HEIGHT * 0.62), wall, shade(wall, 0.94))
    pen.rectangle([0, 0, WIDTH, HEIGHT * 0.08], fill=brand)
    for x in range(80, WIDTH, 260):
        pen.rectangle([x, HEIGHT * 0.1, x + 170, HEIGHT * 0.12], fill=(255, 255, 250))
    pen.rounded_rectangle(
        [WIDTH * 0.06, HEIGHT * 0.16, WIDTH * 0.28, HEIGHT * 0.3], radius=10, fill=(30, 30, 34)
    )
    pen.text(
        (WIDTH * 0.17, HEIGHT * 0.23),
        f"{rng.randint(100, 999)}",
        font=_font(86),
        fill=(240, 60, 50),
        anchor="mm",
    )
    pen.ellipse([WIDTH * 0.7, HEIGHT * 0.15, WIDTH * 0.7 + 80, HEIGHT * 0.15 + 80], fill=brand)
    pen.rectangle(
        [WIDTH * 0.7 + 100, HEIGHT * 0.17, WIDTH * 0.9, HEIGHT * 0.2], fill=shade(brand, 0.8)
    )
    pen.rectangle(
        [WIDTH * 0.7 + 100, HEIGHT * 0.22, WIDTH * 0.85, HEIGHT * 0.24], fill=(170, 170, 170)
    )
    counter = HEIGHT * 0.6
    desks = rng.randint(4, 5)
    span = WIDTH / desks
    for i in range(desks):
        cx = span * (i + 0.5)
        bust_front(c, cx, counter - 40, 90, rng.choice((brand, (60, 60, 70), (236, 236, 236))))
        pen.rectangle(
            [cx - span * 0.4, HEIGHT * 0.34, cx + span * 0.4, counter], fill=(210, 232, 246, 90)
        )
        pen.rectangle([cx - 60, HEIGHT * 0.34, cx + 60, HEIGHT * 0.38], fill=(30, 30, 34))
        pen.text(
            (cx, HEIGHT * 0.36), f"{i + 1:02d}", font=_font(28), fill=(240, 60, 50), anchor="mm"
        )
        pen.rectangle([cx - 90, counter - 110, cx - 10, counter - 50], fill=(40, 44, 52))
    pen.rectangle([0, counter, WIDTH, counter + 24], fill=(248, 246, 240))
    pen.rectangle(
        [0, counter + 24, WIDTH, HEIGHT * 0.8], fill=rng.choice(((170, 130, 90), (210, 206, 198)))
    )
    pen.rectangle([0, HEIGHT * 0.8, WIDTH, HEIGHT], fill=(196, 190, 180))
    seated = rng.sample(range(desks), k=rng.randint(2, desks))
    for i in seated:
        bust_back(
            c, span * (i + 0.5) + rng.uniform(-30, 30), counter + 150, 110, rng.choice(CLOTHES)
        )
    if rng.random() < 0.5:
        for i in range(3):
            x = 40 + i * 180
            pen.rectangle([x, HEIGHT * 0.78, x + 150, HEIGHT], fill=(200, 204, 210))
            pen.rectangle([x + 20, HEIGHT * 0.82, x + 130, HEIGHT * 0.88], fill=(60, 120, 180))
    else:
        for x in range(60, WIDTH, 130):
            pen.rounded_rectangle([x, HEIGHT * 0.88, x + 110, HEIGHT * 0.94], radius=12, fill=brand)


def press(c: Canvas) -> None:
    rng, pen = c.rng, c.pen
    backdrop = rng.choice(((20, 60, 130), (230, 232, 236), (16, 100, 120), (120, 30, 50)))
    c.gradient((0, 0, WIDTH, HEIGHT * 0.7), backdrop, shade(backdrop, 0.8))
    for x in range(0, WIDTH, 320):
        pen.rectangle(
            [x + 40, HEIGHT * 0.1, x + 260, HEIGHT * 0.14],
            fill=(*mix(backdrop, (255, 255, 255), 0.5), 160),
        )
    screen = rng.random() < 0.5
    if screen:
        pen.rectangle(
            [WIDTH * 0.56, HEIGHT * 0.18, WIDTH * 0.94, HEIGHT * 0.5], fill=(248, 248, 246)
        )
        _bars(
            c,
            (WIDTH * 0.6, HEIGHT * 0.22, WIDTH * 0.9, HEIGHT * 0.46),
            rng.randint(4, 6),
            small=True,
        )
    speaker = WIDTH * (0.3 if screen else rng.uniform(0.4, 0.6))
    bust_front(c, speaker, HEIGHT * 0.5, 170, rng.choice(JACKETS))
    podium = rng.choice(((150, 100, 60), (240, 240, 236), (40, 50, 70)))
    pen.polygon(
        [
            (speaker - 150, HEIGHT * 0.5),
            (speaker + 150, HEIGHT * 0.5),
            (speaker + 120, HEIGHT * 0.86),
            (speaker - 120, HEIGHT * 0.86),
        ],
        fill=podium,
    )
    pen.ellipse(
        [speaker - 40, HEIGHT * 0.58, speaker + 40, HEIGHT * 0.66], fill=mix(podium, backdrop, 0.6)
    )
    for angle in (-0.5, -0.2, 0.15, 0.45):
        end = (speaker + angle * 110, HEIGHT * 0.44)
        pen.line([(speaker + angle * 40, HEIGHT * 0.5), end], fill=(30, 30, 34), width=4)
        pen.ellipse([end[0] - 10, end[1] - 14, end[0] + 10, end[1] + 6], fill=(30, 30, 34))
    pen.rectangle([0, HEIGHT * 0.7, WIDTH, HEIGHT], fill=(80, 70, 70))
    for row, (y, size) in enumerate(((HEIGHT * 0.84, 80), (HEIGHT * 0.98, 110))):
        x = rng.uniform(-40, 40) + row * 60
        while x < WIDTH + 60:
            bust_back(c, x, y, size, rng.choice((*JACKETS, *CLOTHES)))
            if rng.random() < 0.25:
                pen.rectangle([x - 30, y - size * 1.9, x + 30, y - size * 1.4], fill=(30, 30, 34))
                pen.ellipse([x - 14, y - size * 1.8, x + 14, y - size * 1.5], fill=(80, 90, 110))
            x += size * rng.uniform(1.3, 1.6)


def meeting(c: Canvas) -> None:
    rng, pen = c.rng, c.pen
    wall = rng.choice(((200, 170, 130), (226, 228, 230), (180, 190, 200)))
    c.gradient((0, 0, WIDTH, HEIGHT * 0.64), wall, shade(wall, 0.86))
    for x in range(0, WIDTH, 200):
        pen.line([(x, 0), (x, HEIGHT * 0.62)], fill=shade(wall, 0.9), width=4)
    banner = rng.choice(((20, 60, 130), (40, 100, 90)))
    pen.rectangle([WIDTH * 0.25, HEIGHT * 0.04, WIDTH * 0.75, HEIGHT * 0.13], fill=banner)
    pen.rectangle([WIDTH * 0.3, HEIGHT * 0.075, WIDTH * 0.7, HEIGHT * 0.095], fill=(240, 240, 236))
    table = HEIGHT * 0.64
    seats = rng.randint(4, 6)
    span = WIDTH / seats
    centres = [span * (i + 0.5) + rng.uniform(-20, 20) for i in range(seats)]
    for cx in centres:
        pen.rounded_rectangle(
            [cx - 120, table - 380, cx + 120, table], radius=30, fill=(50, 40, 40)
        )
        bust_front(c, cx, table - 110, 160, rng.choice(JACKETS))
    top = rng.choice(((240, 240, 236), (150, 104, 66)))
    pen.polygon(
        [(-60, table), (WIDTH + 60, table), (WIDTH + 160, HEIGHT * 0.78), (-160, HEIGHT * 0.78)],
        fill=top,
    )
    pen.rectangle([0, HEIGHT * 0.78, WIDTH, HEIGHT], fill=shade(top, 0.72))
    for cx in centres:
        pen.rectangle([cx - 90, table + 14, cx + 90, table + 62], fill=(250, 250, 246))
        pen.rectangle([cx - 60, table + 32, cx + 60, table + 44], fill=(60, 60, 66))
        pen.line([(cx + 100, table + 40), (cx + 60, table - 90)], fill=(30, 30, 34), width=5)
        pen.ellipse([cx + 50, table - 104, cx + 70, table - 82], fill=(30, 30, 34))
        pen.polygon(
            [
                (cx - 150, table + 76),
                (cx - 40, table + 76),
                (cx - 26, table + 104),
                (cx - 164, table + 104),
            ],
            fill=(252, 252, 250),
        )
        if rng.random() < 0.6:
            pen.rounded_rectangle(
                [cx + 110, table - 50, cx + 136, table + 40], radius=8, fill=(190, 220, 240)
            )


def trading(c: Canvas) -> None:
    rng, pen = c.rng, c.pen
    pen.rectangle([0, 0, WIDTH, HEIGHT], fill=(16, 20, 28))
    pen.rectangle([0, 0, WIDTH, HEIGHT * 0.3], fill=(8, 10, 14))
    for row in range(4):
        y = 20 + row * 70
        x = 20.0
        while x < WIDTH - 120:
            up = rng.random() < 0.55
            pen.rectangle([x, y, x + 70, y + 24], fill=(200, 200, 196))
            pen.rectangle([x + 80, y, x + 150, y + 24], fill=RED_UP if up else BLUE_DOWN)
            pen.rectangle([x, y + 34, x + 150, y + 44], fill=(70, 74, 84))
            x += 190
    pen.rectangle([0, HEIGHT * 0.27, WIDTH, HEIGHT * 0.3], fill=(240, 60, 50))
    y = HEIGHT * 0.42
    for row, scale in enumerate((0.8, 1.0)):
        width, height = 300 * scale, 190 * scale
        x = rng.uniform(-80, 0) + row * 70
        while x < WIDTH:
            for stack in range(2):
                top = y + row * 260 - stack * (height + 12)
                pen.rectangle([x, top, x + width, top + height], fill=(36, 38, 44))
                _screen(c, (x + 8, top + 8, x + width - 8, top + height - 8))
            x += width + 12
    pen.rectangle([0, HEIGHT * 0.86, WIDTH, HEIGHT], fill=(26, 28, 34))
    for _ in range(rng.randint(3, 5)):
        bust_back(c, rng.uniform(80, WIDTH - 80), HEIGHT * 0.96, 130, (24, 26, 32))


def _screen(c: Canvas, box) -> None:
    """A market screen: candles, a line or a table of prices."""
    rng, pen = c.rng, c.pen
    left, top, right, bottom = box
    pen.rectangle(box, fill=(10, 14, 22))
    kind = rng.choice(("candles", "candles", "line", "table"))
    if kind == "table":
        y = top + 10
        while y + 10 < bottom:
            pen.rectangle([left + 10, y, left + (right - left) * 0.4, y + 8], fill=(160, 164, 170))
            pen.rectangle(
                [right - 80, y, right - 12, y + 8], fill=RED_UP if rng.random() < 0.5 else BLUE_DOWN
            )
            y += 18
        return
    price = (top + bottom) / 2
    count = round((right - left) / 14)
    points = []
    for i in range(count):
        step = rng.uniform(-1, 1) * (bottom - top) * 0.08
        opened, price = price, min(bottom - 12, max(top + 12, price + step))
        x = left + 8 + i * 14
        if kind == "candles":
            colour = RED_UP if price < opened else BLUE_DOWN
            high, low = (
                min(opened, price) - rng.uniform(2, 10),
                max(opened, price) + rng.uniform(2, 10),
            )
            pen.line([(x + 4, high), (x + 4, low)], fill=colour, width=1)
            pen.rectangle([x, min(opened, price), x + 8, max(opened, price) + 1], fill=colour)
        points.append((x, price))
    if kind == "line":
        pen.line(points, fill=(250, 210, 80), width=3)


def line_chart(c: Canvas) -> None:
    rng, pen = c.rng, c.pen
    left, top, right, bottom = _chart_frame(c)
    count = rng.choice((6, 8, 12))
    colours = rng.sample(CHART_COLOURS, rng.randint(1, 2))
    xs = [left + i * (right - left) / (count - 1) for i in range(count)]
    for index, colour in enumerate(colours):
        value, trend = rng.uniform(0.3, 0.7), rng.uniform(-0.05, 0.05)
        points = []
        for x in xs:
            value = min(0.95, max(0.05, value + trend + rng.uniform(-0.09, 0.09)))
            points.append((x, bottom - value * (bottom - top)))
        if index == 0:
            pen.polygon([(left, bottom), *points, (right, bottom)], fill=(*colour, 40))
        pen.line(points, fill=colour, width=7, joint="curve")
        for x, y in points:
            pen.ellipse([x - 9, y - 9, x + 9, y + 9], fill=(255, 255, 255), outline=colour, width=4)
        x, y = points[-1]
        pen.rounded_rectangle([x - 120, y - 80, x - 10, y - 30], radius=10, fill=colour)
        pen.text(
            (x - 65, y - 55),
            f"{rng.uniform(1, 99):.1f}",
            font=_font(30),
            fill=(255, 255, 255),
            anchor="mm",
        )
    _x_labels(c, xs, bottom)


def bar_chart(c: Canvas) -> None:
    box = _chart_frame(c)
    _x_labels(c, _bars(c, box, c.rng.randint(3, 7)), box[3])


def _bars(c: Canvas, box, count: int, *, small: bool = False) -> list[float]:
    """Bars in one or two series; returns the middle of each group."""
    rng, pen = c.rng, c.pen
    left, top, right, bottom = box
    colours = rng.sample(CHART_COLOURS, rng.randint(1, 2))
    slot = (right - left) / count
    bar = slot * 0.62 / len(colours)
    for i in range(count):
        for g, colour in enumerate(colours):
            value = rng.uniform(0.2, 0.92)
            x = left + i * slot + slot * 0.19 + g * bar
            y = bottom - value * (bottom - top)
            pen.rectangle([x, y, x + bar - 4, bottom], fill=colour)
            if not small:
                pen.text(
                    (x + bar / 2, y - 22),
                    f"{round(value * 100)}",
                    font=_font(28),
                    fill=(60, 60, 66),
                    anchor="mm",
                )
    return [left + (i + 0.5) * slot for i in range(count)]


def _chart_frame(c: Canvas) -> tuple[float, float, float, float]:
    """The card, title bars and grid of an infographic; returns the plot area."""
    rng, pen = c.rng, c.pen
    paper = rng.choice(((246, 246, 242), (240, 244, 248), (250, 246, 238)))
    pen.rectangle([0, 0, WIDTH, HEIGHT], fill=shade(paper, 0.92))
    pen.rounded_rectangle([60, 50, WIDTH - 60, HEIGHT - 50], radius=24, fill=paper)
    pen.rectangle([110, 110, 130, 170], fill=rng.choice(CHART_COLOURS))
    pen.rounded_rectangle([150, 112, 150 + rng.uniform(420, 760), 146], radius=8, fill=(50, 52, 60))
    pen.rounded_rectangle(
        [150, 160, 150 + rng.uniform(260, 420), 176], radius=6, fill=(170, 172, 178)
    )
    left, top, right, bottom = 220, 260, WIDTH - 140, HEIGHT - 170
    high = rng.choice((20, 40, 100, 200, 400, 1000, 2000))
    for i in range(5):
        y = bottom - i * (bottom - top) / 4
        pen.line([(left, y), (right, y)], fill=(218, 218, 214), width=2)
        pen.text(
            (left - 20, y), f"{high * i // 4:,}", font=_font(26), fill=(120, 120, 126), anchor="rm"
        )
    pen.line([(left, bottom), (right, bottom)], fill=(80, 80, 86), width=3)
    return left, top, right, bottom


def _x_labels(c: Canvas, xs: list[float], bottom: float) -> None:
    """Months, quarters or years under the plot."""
    kind = c.rng.choice(("month", "quarter", "year"))
    start = c.rng.randint(1, 12) if kind == "month" else c.rng.randint(2019, 2022)
    for i, x in enumerate(xs):
        if kind == "month":
            label = f"{(start + i - 1) % 12 + 1}월"
        elif kind == "quarter":
            label = f"{i % 4 + 1}분기"
        else:
            label = f"{start + i}"
        c.pen.text((x, bottom + 36), label, font=_font(26), fill=(100, 100, 106), anchor="mm")


SCENES: dict[str, Callable[[Canvas], None]] = {
    "line_chart": line_chart,
    "bar_chart": bar_chart,
    "trading": trading,
    "press": press,
    "meeting": meeting,
    "pylons": pylons,
    "substation": substation,
    "lng_carrier": lng_carrier,
    "tanker": tanker,
    "shipyard": shipyard,
    "port": port,
    "construction": construction,
    "vehicles": vehicles,
    "cleanroom": cleanroom,
    "assembly": assembly,
    "factory": factory,
    "farm": farm,
    "city": city,
    "street_market": street_market,
    "store": store,
    "bank": bank,
    "apartments": apartments,
}
