"""The demo's pictures (media.demo.scenes): each caption drawn by the scene of its topic,
every scene its own picture, every seed a different one."""

from io import BytesIO
from itertools import combinations

import pytest
from PIL import Image, ImageStat

from articles.demo import content as articles_demo
from media.demo import LIBRARY, scenes
from tests.pictures import difference, thumbnail

DEMO_PHOTOS = [
    (story[kind]["caption"], story[kind]["alt"])
    for story in articles_demo.STORIES
    for kind in ("photo", "inline_photo")
] + [(caption, alt) for caption, _credit, alt, _tags in LIBRARY]


@pytest.mark.parametrize(
    ("caption", "scene"),
    [
        (
            "경기 평택의 한결전자 반도체 사업장에서 작업자들이 HBM 생산 라인을 점검하고 있다.",
            "cleanroom",
        ),
        ("전남 여수항의 화학제품 전용 부두에 탱커선이 정박해 있다.", "tanker"),
        ("경남 거제의 조선소 안벽에 건조를 마무리 중인 LNG 운반선이 정박해 있다.", "lng_carrier"),
        ("부산항 신항에서 수출 화물을 실은 컨테이너선이 출항을 준비하고 있다.", "port"),
        ("경남 거제 조선소 도크에서 건조 중인 선박 블록 옆 작업 구역이 비어 있다.", "shipyard"),
        ("대표가 이날 평택 사업장에서 열린 기자간담회에서 증설 계획을 설명하고 있다.", "press"),
        (
            "경제 관계 장관들이 이날 정부서울청사에서 열린 회의에서 내수 대책을 논의하고 있다.",
            "meeting",
        ),
        ("서울 여의도 새솔증권 본사 트레이딩룸에서 직원들이 시세 화면을 살펴보고 있다.", "trading"),
        ("최근 1년간 월별 수출액과 증가율 추이.", "line_chart"),
        ("주요 금융지주 5곳의 3분기 순이익.", "bar_chart"),
        ("경기 남부의 한 반도체 클러스터 공사 현장 옆으로 송전탑이 늘어서 있다.", "pylons"),
        ("대륜자동차 울산 공장 생산라인에서 작업자들이 차량을 조립하고 있다.", "assembly"),
        ("전남 여수 국가산업단지의 석유화학 공장들이 밤에 불을 밝히고 있다.", "factory"),
        ("서울 영등포구 여의도 증권가 빌딩 사이로 직장인들이 오가고 있다.", "city"),
        ("서울 송파구 일대에 아파트 단지가 빼곡히 들어서 있다.", "apartments"),
        ("서울의 한 시중은행 영업점 대출 창구에서 고객이 상담을 받고 있다.", "bank"),
        ("강원 평창의 고랭지 배추밭에서 농민들이 배추를 수확하고 있다.", "farm"),
    ],
)
def test_a_caption_is_drawn_by_the_scene_of_its_topic(caption, scene):
    assert scenes.scene_for(caption) == scene


def test_a_charts_alt_text_decides_between_bars_and_a_line():
    caption = "최근 5년간 국내 반도체용 포토레지스트 자급률 추이."
    assert scenes.scene_for(caption, "15%에서 30%대에 이르는 막대") == "bar_chart"
    assert scenes.scene_for(caption, "오르내리는 꺾은선") == "line_chart"
    # Outside charts, the alt text changes nothing: the caption names the topic.
    assert scenes.scene_for("부산항 컨테이너 부두.", "막대 모양의 크레인") == "port"


def test_night_and_dusk_are_drawn_as_the_caption_says():
    assert scenes.light_for("데이터센터 건물에 밤늦게까지 불이 밝혀져 있다.") == "night"
    assert scenes.light_for("경기 용인의 물류센터 앞에서 새벽배송 차량들이") == "night"
    assert scenes.light_for("서울 도심의 아파트 단지 사이로 해가 지고 있다.") == "dusk"
    assert scenes.light_for("부산항 컨테이너 부두에 컨테이너가 쌓여 있다.") == "day"


def test_every_demo_photo_names_a_topic_and_the_demo_shows_many_kinds():
    named = {word for _scene, words in scenes.TOPICS for word in words}
    for caption, _alt in DEMO_PHOTOS:
        assert any(word in caption for word in named), f"no topic in {caption!r}"
    drawn = {scenes.scene_for(caption, alt) for caption, alt in DEMO_PHOTOS}
    assert len(drawn) >= 15
    assert set(scenes.SCENES) >= drawn


def test_every_scene_draws_its_own_picture():
    pictures = {name: scenes.draw(name, seed=1) for name in scenes.SCENES}
    for name, data in pictures.items():
        image = Image.open(BytesIO(data))
        assert (image.format, image.size) == ("JPEG", (1600, 1067)), name
    thumbnails = {name: thumbnail(data) for name, data in pictures.items()}
    for (a, first), (b, second) in combinations(thumbnails.items(), 2):
        assert difference(first, second) > 15, f"{a} and {b} look alike"


def test_each_seed_gives_another_picture_and_the_same_seed_the_same_bytes():
    for name in scenes.SCENES:
        first, again = scenes.draw(name, seed=7), scenes.draw(name, seed=7)
        assert first == again, name  # a second demo load finds its photos in the library
        assert difference(thumbnail(first), thumbnail(scenes.draw(name, seed=8))) > 4, name


def test_a_night_picture_is_darker_than_the_same_picture_by_day():
    day, night = (
        ImageStat.Stat(thumbnail(scenes.draw("city", seed=3, light=light)).convert("L")).mean[0]
        for light in ("day", "night")
    )
    assert night < day - 40
