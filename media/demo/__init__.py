"""Demo photos for `make run`: pictures drawn here with Pillow, Korean captions written for
this project, and portraits for the demo staff."""

import random
from io import BytesIO
from pathlib import Path

from django.core.files.base import ContentFile
from PIL import Image, ImageDraw, ImageFont

from accounts.models import StaffProfile, User
from media import library

FONT = Path(__file__).parent / "fonts" / "NanumGothicBold.ttf"

# Sky, ground and light colours of each kind of scene the demo draws.
PALETTES = {
    "fab": ((24, 38, 72), (52, 70, 110), (120, 200, 255)),
    "port": ((250, 196, 140), (40, 72, 104), (230, 80, 50)),
    "market": ((18, 22, 30), (30, 36, 48), (235, 64, 52)),
    "city": ((150, 190, 230), (90, 96, 110), (255, 255, 255)),
    "office": ((214, 222, 232), (120, 130, 146), (250, 230, 160)),
    "chart": ((245, 245, 240), (200, 206, 214), (11, 61, 145)),
    "factory": ((180, 180, 170), (84, 80, 76), (255, 170, 60)),
    "bank": ((200, 214, 228), (60, 72, 96), (230, 200, 120)),
    "night": ((10, 14, 36), (24, 28, 52), (255, 214, 120)),
    "farm": ((170, 210, 240), (96, 140, 70), (240, 220, 120)),
    "ship": ((140, 180, 220), (30, 60, 100), (220, 60, 40)),
    "car": ((210, 210, 214), (70, 70, 78), (200, 20, 40)),
    "energy": ((120, 180, 230), (60, 110, 80), (255, 255, 255)),
    "meeting": ((236, 230, 220), (150, 120, 96), (40, 60, 110)),
}

# scene, caption, credit, alt text, tags
SCENES = [
    (
        "fab",
        "경기 평택의 한 반도체 공장 클린룸에서 작업자들이 웨이퍼 운반 장비를 점검하고 있다.",
        "솔빛경제 사진부",
        "방진복을 입은 작업자들이 푸른 조명 아래 장비를 살피는 모습",
        ["반도체", "공장"],
    ),
    (
        "port",
        "부산 신항 컨테이너 부두에서 대형 크레인이 수출 화물을 선적하고 있다.",
        "솔빛경제 사진부",
        "해 질 무렵 항구에 줄지어 선 붉은 크레인과 컨테이너",
        ["수출", "항만"],
    ),
    (
        "market",
        "서울 여의도 한 증권사 객장 전광판에 코스피 지수가 표시되어 있다.",
        "솔빛경제 사진부",
        "어두운 객장 전광판에 붉은 숫자와 그래프가 떠 있는 모습",
        ["증시", "코스피"],
    ),
    (
        "city",
        "서울 도심 업무지구의 고층 빌딩들. 사무실 공실률이 석 달째 낮아졌다.",
        "자료사진",
        "맑은 하늘 아래 늘어선 회색 고층 빌딩들",
        ["부동산", "서울"],
    ),
]

PORTRAIT_COLOURS = [(11, 61, 145), (200, 16, 46), (28, 124, 60)]


def load(stdout) -> None:
    reporter = User.objects.get(email="reporter@example.com")
    # The desk's editor may set anyone's portrait, the moderator's included.
    editor = User.objects.get(email="editor@example.com")
    created = 0
    for index, (scene, caption, credit, alt_text, tags) in enumerate(SCENES):
        result = library.upload(
            ContentFile(draw_scene(scene, index), name=f"{scene}.jpg"),
            actor=reporter,
            caption=caption,
            credit=credit,
            alt_text=alt_text,
            tags=tags,
        )
        created += result.created
    for colour, profile in zip(PORTRAIT_COLOURS, StaffProfile.objects.order_by("pk"), strict=False):
        result = library.upload(
            ContentFile(_portrait(profile.byline_name, colour), name="portrait.jpg"),
            actor=editor,
            caption=f"{profile.byline_name} {profile.title}",
            credit="솔빛경제",
            alt_text=f"{profile.byline_name} {profile.title}의 프로필 사진",
            tags=["프로필"],
        )
        created += result.created
        if not hasattr(profile, "portrait"):
            library.set_portrait(profile, result.photo, actor=editor)
    stdout.write(f"Photo library: {created} new photos (renditions are made in the background).")


def draw_scene(scene: str, seed: int) -> bytes:
    """A landscape of sky, skyline and lights in the scene's colours: plausible at
    thumbnail size, drawn here. The same scene and seed give the same bytes."""
    sky, ground, accent = PALETTES[scene]
    width, height = 1600, 1067
    rng = random.Random(seed)
    image = Image.new("RGB", (width, height), sky)
    draw = ImageDraw.Draw(image)
    for y in range(height):
        mix = y / height
        draw.line(
            [(0, y), (width, y)],
            fill=tuple(round(s * (1 - mix) + g * mix) for s, g in zip(sky, ground, strict=True)),
        )
    x = 0
    while x < width:
        block_width = rng.randint(60, 180)
        top = rng.randint(height // 4, height // 2)
        shade = tuple(max(0, c - rng.randint(20, 60)) for c in ground)
        draw.rectangle([x, top, x + block_width, height], fill=shade)
        for wy in range(top + 16, height - 40, 28):
            for wx in range(x + 10, x + block_width - 14, 22):
                if rng.random() < 0.35:
                    draw.rectangle([wx, wy, wx + 9, wy + 13], fill=accent)
        x += block_width + rng.randint(4, 20)
    buffer = BytesIO()
    image.save(buffer, "JPEG", quality=88)
    return buffer.getvalue()


def _portrait(name: str, colour) -> bytes:
    size = 800
    image = Image.new("RGB", (size, size), colour)
    draw = ImageDraw.Draw(image)
    draw.ellipse([200, 120, 600, 520], fill=(245, 222, 200))
    draw.rectangle([150, 560, 650, 800], fill=(40, 40, 48))
    draw.ellipse([150, 470, 650, 700], fill=(40, 40, 48))
    font = ImageFont.truetype(str(FONT), 120)
    draw.text((size / 2, 330), name[:1], font=font, fill=colour, anchor="mm")
    buffer = BytesIO()
    image.save(buffer, "JPEG", quality=90)
    return buffer.getvalue()
