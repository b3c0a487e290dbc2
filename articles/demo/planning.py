"""The demo planning board: a week of items around the time of loading, assigned by the demo
editor to the demo reporters and answered by them through articles.planning, so their
history is real. Only the times are then moved to sit relative to the time of loading,
and they are moved again on every load; one reporter is overloaded on the second day."""

from datetime import datetime, timedelta

from django.utils import timezone

from accounts.models import User
from articles import planning
from articles.models import Assignment, PlanningItem, Section

EDITOR = "editor@example.com"

# (slug-line, angle, section slug, day from today, hour, priority, expected length,
#  photo needed, the reporter, what they did: "" (no answer yet), "accepted", "declined"
#  or "started")
PLAN = [
    (
        "한결전자 HBM 증설 후속",
        "증설 라인 가동 시점과 협력사 수주 효과",
        "electronics-ict",
        0,
        15,
        "top",
        2400,
        True,
        "reporter@example.com",
        "started",
    ),
    (
        "조선 3사 수주 잔고 점검",
        "LNG선 비중이 높아진 까닭과 인력 부족",
        "auto-shipbuilding",
        0,
        17,
        "high",
        1800,
        True,
        "reporter2@example.com",
        "accepted",
    ),
    (
        "기준금리 동결 뒤 대출 금리",
        "시중은행 가산금리는 왜 내려가지 않나",
        "banking",
        0,
        18,
        "normal",
        1600,
        False,
        "reporter3@example.com",
        "",
    ),
    (
        "석유화학 구조조정 현장",
        "여수 산단 공장 가동률과 지역 상권",
        "energy-chemical",
        1,
        10,
        "top",
        3000,
        True,
        "reporter@example.com",
        "accepted",
    ),
    (
        "반도체 장비 수출 통계",
        "대중 수출 규제 뒤 품목별 변화",
        "electronics-ict",
        1,
        11,
        "normal",
        1200,
        False,
        "reporter@example.com",
        "",
    ),
    (
        "편의점 심야 영업 실태",
        "인건비와 매출 사이, 점주들의 선택",
        "retail-service",
        1,
        14,
        "normal",
        1500,
        True,
        "reporter@example.com",
        "",
    ),
    (
        "증권사 1분기 실적 미리보기",
        "거래대금 증가가 수수료 수익으로 이어졌나",
        "securities",
        1,
        16,
        "low",
        1000,
        False,
        "reporter@example.com",
        "accepted",
    ),
    (
        "실손보험 개편안 쟁점",
        "비급여 항목 조정이 가입자에게 뜻하는 것",
        "insurance-card",
        2,
        10,
        "high",
        2000,
        False,
        "reporter4@example.com",
        "declined",
    ),
    (
        "내년 세법 개정안 분석",
        "중산층 세 부담은 늘어나나",
        "fiscal-tax",
        3,
        9,
        "top",
        2800,
        False,
        "reporter5@example.com",
        "",
    ),
    (
        "수출 물가 지수 발표",
        "환율 효과를 뺀 실제 가격 변화",
        "macro",
        4,
        8,
        "normal",
        900,
        False,
        "reporter6@example.com",
        "accepted",
    ),
]
DECLINE_REASON = "같은 날 다른 기획 기사 마감이 겹칩니다."


def load(stdout, now: datetime) -> None:
    users = {user.email: user for user in User.objects.filter(staff_profile__isnull=False)}
    editor = users[EDITOR]
    sections = {section.slug: section for section in Section.objects.all()}
    midnight = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    created = 0
    for slugline, angle, section, day, hour, priority, length, photo, email, answer in PLAN:
        target = midnight + timedelta(days=day, hours=hour)
        due = target - timedelta(hours=2)
        item = PlanningItem.objects.filter(slugline=slugline).first()
        if item is None:
            created += 1
            item = planning.create_item(
                actor=editor,
                slugline=slugline,
                section=sections[section],
                target_at=target,
                angle=angle,
                priority=priority,
                expected_length=length,
                photo_needed=photo,
            )
            reporter = users[email]
            offer = planning.assign(item, actor=editor, reporter=reporter, due_at=due)
            if answer in ("accepted", "started"):
                planning.accept(offer, actor=reporter)
            if answer == "started":
                planning.start_story(offer, actor=reporter)
            if answer == "declined":
                planning.decline(offer, actor=reporter, reason=DECLINE_REASON)
        # Demo data only: the times follow the time of loading, on every load.
        PlanningItem.objects.filter(pk=item.pk).update(target_at=target)
        Assignment.objects.filter(item=item).update(due_at=due)
    stdout.write(
        f"Planning: {created} new, {len(PLAN)} items in all on the board for this week, "
        f"with their assignments."
    )
