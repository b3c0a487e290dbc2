"""Demo photos for `make run`: pictures drawn here with Pillow, Korean captions written for
this project, and portraits for the demo staff."""

from django.core.files.base import ContentFile

from accounts.models import StaffProfile, User
from media import library
from media.demo import scenes
from media.models import Photo, Rendition

# caption, credit, alt text, tags; the picture is drawn from what they say (scenes.py).
LIBRARY = [
    (
        "경기 평택의 한 반도체 공장 클린룸에서 작업자들이 웨이퍼 운반 장비를 점검하고 있다.",
        "솔빛경제 사진부",
        "방진복을 입은 작업자들이 푸른 조명 아래 장비를 살피는 모습",
        ["반도체", "공장"],
    ),
    (
        "부산 신항 컨테이너 부두에서 대형 크레인이 수출 화물을 선적하고 있다.",
        "솔빛경제 사진부",
        "해 질 무렵 항구에 줄지어 선 크레인과 컨테이너",
        ["수출", "항만"],
    ),
    (
        "서울 여의도 한 증권사 객장 전광판에 코스피 지수가 표시되어 있다.",
        "솔빛경제 사진부",
        "어두운 객장 전광판에 붉은 숫자와 그래프가 떠 있는 모습",
        ["증시", "코스피"],
    ),
    (
        "서울 도심 업무지구의 고층 빌딩들. 사무실 공실률이 석 달째 낮아졌다.",
        "자료사진",
        "맑은 하늘 아래 늘어선 회색 고층 빌딩들",
        ["부동산", "서울"],
    ),
]

# Whose portrait is drawn, over which colour, with which hair. Two reporters have none, so
# 기자 소개 shows the initial the site draws in its place.
PORTRAITS = {
    "reporter@example.com": ((11, 61, 145), "long"),
    "editor@example.com": ((200, 16, 46), "short"),
    "moderator@example.com": ((28, 124, 60), "long"),
    "reporter2@example.com": ((88, 74, 140), "short"),
    "reporter4@example.com": ((176, 112, 48), "long"),
    "reporter5@example.com": ((36, 112, 128), "short"),
}


def load(stdout) -> None:
    reporter = User.objects.get(email="reporter@example.com")
    # The desk's editor may set anyone's portrait, the moderator's included.
    editor = User.objects.get(email="editor@example.com")
    created = 0
    for index, (caption, credit, alt_text, tags) in enumerate(LIBRARY):
        result = library.upload(
            ContentFile(
                scenes.picture_for(caption, alt_text, seed=index), name=f"library-{index}.jpg"
            ),
            actor=reporter,
            caption=caption,
            credit=credit,
            alt_text=alt_text,
            tags=tags,
        )
        created += result.created
    profiles = StaffProfile.objects.filter(user__email__in=PORTRAITS).select_related("user")
    for profile in profiles:
        colour, hair = PORTRAITS[profile.user.email]
        result = library.upload(
            ContentFile(
                scenes.portrait(colour, hair=hair, seed=profile.user.email), name="portrait.jpg"
            ),
            actor=editor,
            caption=f"{profile.byline_name} {profile.title}",
            credit="솔빛경제",
            alt_text=f"{profile.byline_name} {profile.title}의 프로필 사진",
            tags=["프로필"],
        )
        created += result.created
        if not hasattr(profile, "portrait"):
            library.set_portrait(profile, result.photo, actor=editor)
    stdout.write(f"Photo library: {created} new photos, {len(LIBRARY)} pictures and the portraits.")


def committed(stdout) -> None:
    """After the commit, which made the renditions (unless a worker makes them)."""
    photos = Photo.objects.count()
    ready = Photo.objects.filter(renditions__isnull=False).distinct().count()
    stdout.write(
        f"Renditions: {Rendition.objects.count()} files, {ready} of {photos} photos ready."
    )
