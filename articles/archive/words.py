"""The words of the generated archive: vocabulary and sentence patterns written for this
project, and the functions that draw a story's text from them. No Django: plain data and a
`random.Random`, so the same seed gives the same archive.

Every company, person and figure is invented (as in articles/demo/content.py); places,
ministries and countries are real words any business paper uses. Each top section of the
demo's tree has its own vocabulary (a section of another tree falls back to GENERAL), so a
section's stories, tags and search terms look like that desk's: 반도체 is mostly found in
기업과산업, 금리 in 금융 and 경제정책. The text never holds "&", "<" or ">": a paragraph goes
into the body's HTML as it is.
"""

import random
import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Domain:
    companies: tuple[str, ...]
    topics: tuple[str, ...]
    # Words for what moves: "수주", "영업이익"; used as {metric}.
    metrics: tuple[str, ...]
    people: tuple[str, ...]  # who is quoted, without a name
    photo_scenes: tuple[str, ...]  # what a photo shows, for its caption and alt text


INDUSTRY = Domain(
    companies=(
        "한결전자",
        "다온소재",
        "미리내텔레콤",
        "대륜자동차",
        "해솔중공업",
        "누리반도체",
        "가온배터리",
        "새별화학",
        "청람에너지",
        "온누리유통",
        "하늬물산",
        "라온모빌리티",
        "벼리디스플레이",
        "소담식품",
        "은빛조선",
        "도담정밀",
        "나래항공",
        "푸른솔제약",
        "아람로보틱스",
        "모아리테일",
    ),
    topics=(
        "반도체",
        "HBM",
        "디스플레이",
        "배터리",
        "전기차",
        "하이브리드",
        "수소",
        "LNG 운반선",
        "석유화학",
        "데이터센터",
        "로봇",
        "AI 서버",
        "스마트폰",
        "가전",
        "면세점",
        "온라인 쇼핑",
        "설비투자",
        "공급망",
        "소재 국산화",
        "전력기기",
    ),
    metrics=("영업이익", "매출", "수주", "출하량", "가동률", "점유율", "수출", "재고"),
    people=(
        "회사 관계자",
        "업계 관계자",
        "한 증권사 연구원",
        "생산라인 책임자",
        "협력업체 대표",
        "노조 관계자",
    ),
    photo_scenes=(
        "생산라인에서 직원들이 장비를 점검하고 있다",
        "공장 전경",
        "신제품 공개 행사에서 관람객이 제품을 살펴보고 있다",
        "부두에 선박이 정박해 있다",
        "물류센터에서 상품이 분류되고 있다",
        "연구소에서 연구원이 시제품을 시험하고 있다",
    ),
)

FINANCE = Domain(
    companies=(
        "솔터은행",
        "가람증권",
        "누리생명",
        "다솜카드",
        "마루저축은행",
        "새터캐피탈",
        "온새미자산운용",
        "여울증권",
        "한아름금융지주",
        "바른손해보험",
        "물빛은행",
        "하람투자증권",
    ),
    topics=(
        "기준금리",
        "예금 금리",
        "주택담보대출",
        "가계대출",
        "코스피",
        "코스닥",
        "공모주",
        "상장지수펀드",
        "채권",
        "환율",
        "연체율",
        "카드론",
        "실손보험",
        "배당",
        "자사주",
        "퇴직연금",
    ),
    metrics=("순이익", "대출 잔액", "연체율", "수수료 수익", "순이자마진", "거래대금", "수익률"),
    people=(
        "은행권 관계자",
        "한 증권사 연구원",
        "금융당국 관계자",
        "자산운용사 대표",
        "보험업계 관계자",
    ),
    photo_scenes=(
        "은행 창구에서 고객이 상담을 받고 있다",
        "증권사 딜링룸에서 직원들이 시세를 살피고 있다",
        "거래소 전광판에 지수가 표시되고 있다",
        "현금인출기 앞에 시민들이 줄을 서 있다",
    ),
)

POLICY = Domain(
    companies=(
        "기획재정부",
        "한국은행",
        "고용노동부",
        "산업통상자원부",
        "국회 기획재정위원회",
        "통계청",
        "공정거래위원회",
    ),
    topics=(
        "물가",
        "성장률",
        "기준금리",
        "세수",
        "추가경정예산",
        "법인세",
        "최저임금",
        "고용률",
        "청년 고용",
        "주 52시간",
        "재정준칙",
        "소비",
        "경상수지",
        "국가채무",
    ),
    metrics=("소비자물가", "취업자 수", "세수", "국내총생산", "실업률", "경상수지", "재정적자"),
    people=(
        "정부 관계자",
        "한 민간 연구소 연구위원",
        "경제학과 교수",
        "노동계 관계자",
        "경영계 관계자",
    ),
    photo_scenes=(
        "정부세종청사 전경",
        "브리핑룸에서 관계자가 자료를 설명하고 있다",
        "전통시장에서 시민들이 장을 보고 있다",
        "고용센터에서 구직자들이 상담을 기다리고 있다",
    ),
)

REAL_ESTATE = Domain(
    companies=(
        "늘봄건설",
        "해오름건설",
        "다래주택",
        "한울개발",
        "산들건설",
        "초록빛디앤씨",
        "단비종합건설",
        "미르부동산신탁",
    ),
    topics=(
        "아파트값",
        "전셋값",
        "청약",
        "분양가",
        "재건축",
        "재개발",
        "공사비",
        "프로젝트파이낸싱",
        "미분양",
        "월세",
        "공공임대",
        "신도시",
    ),
    metrics=("거래량", "매매가격", "청약 경쟁률", "미분양 물량", "착공 물량", "전세가율"),
    people=(
        "공인중개사",
        "건설업계 관계자",
        "부동산 연구원",
        "조합 관계자",
        "국토교통부 관계자",
    ),
    photo_scenes=(
        "아파트 단지 전경",
        "공사 현장에서 타워크레인이 움직이고 있다",
        "견본주택에 방문객들이 몰려 있다",
        "공인중개사무소 앞에 매물 안내문이 붙어 있다",
    ),
)

WORLD = Domain(
    companies=(
        "미국",
        "중국",
        "일본",
        "유럽연합",
        "인도",
        "베트남",
        "멕시코",
        "독일",
        "대만",
        "사우디아라비아",
    ),
    topics=(
        "관세",
        "수출 통제",
        "공급망",
        "유가",
        "달러",
        "통화정책",
        "경기 둔화",
        "무역협정",
        "원자재",
        "해운 운임",
        "반도체 보조금",
        "탄소국경세",
    ),
    metrics=("수출", "수입", "무역수지", "성장률", "물가상승률", "운임"),
    people=("통상 전문가", "현지 진출 기업 관계자", "국제금융센터 연구원", "외교 소식통"),
    photo_scenes=(
        "항만에 컨테이너가 쌓여 있다",
        "정상회의장에서 각국 대표단이 회의를 하고 있다",
        "해외 공장에서 현지 직원들이 작업하고 있다",
        "유조선이 항구에 들어오고 있다",
    ),
)

OPINION = Domain(
    companies=("정부", "국회", "기업", "금융당국", "지방자치단체", "노사"),
    topics=(
        "규제 개혁",
        "저출생",
        "연금 개혁",
        "가계부채",
        "산업 경쟁력",
        "지역 균형",
        "청년 일자리",
        "에너지 전환",
        "인공지능",
        "상생",
    ),
    metrics=("부담", "신뢰", "경쟁력", "격차", "비용"),
    people=("필자", "전문가", "현장의 목소리"),
    photo_scenes=("국회 본회의장 전경", "출근길 시민들이 횡단보도를 건너고 있다"),
)

GENERAL = Domain(
    companies=INDUSTRY.companies[:8] + FINANCE.companies[:4],
    topics=("경기", "수출", "물가", "금리", "투자", "고용", "소비", "환율"),
    metrics=("매출", "수출", "물가", "투자"),
    people=("업계 관계자", "전문가", "정부 관계자"),
    photo_scenes=("도심 전경", "시민들이 거리를 걷고 있다"),
)

# By the slug of a top section of the demo's tree (articles/demo/content.py).
DOMAINS = {
    "industry": INDUSTRY,
    "finance": FINANCE,
    "policy": POLICY,
    "real-estate": REAL_ESTATE,
    "world": WORLD,
    "opinion": OPINION,
}

PLACES = (
    "서울 강남",
    "경기 평택",
    "충남 아산",
    "울산",
    "부산",
    "세종",
    "인천 송도",
    "경북 구미",
    "전남 여수",
    "경남 거제",
    "대구",
    "광주",
    "경기 화성",
    "충북 청주",
    "강원 원주",
)

CHANGES_UP = ("늘었다", "증가했다", "올랐다", "뛰었다", "개선됐다")
CHANGES_DOWN = ("줄었다", "감소했다", "내렸다", "떨어졌다", "뒷걸음질했다")

HEADLINES = (
    "{company}, {topic} 투자 {amount}조 원 늘린다",
    "{topic} {metric} {quarter}분기 {percent}% {change}",
    '{company} 대표 "{topic} 경쟁력, 내년이 고비"',
    "{place} {topic} 현장 가보니…{observation}",
    "{topic} 시장 흔들리자 {company} '비상 경영'",
    "{company} {metric} 사상 최대…{topic}[이/가] 끌어올렸다",
    "{topic} 규제 풀리나…{company} 등 업계 '기대 반 우려 반'",
    "{topic}·{topic2} 동반 부진에 {metric} {percent}% {change}",
    "[분석] {topic}, 왜 지금 다시 주목받나",
    "{company}, {place}에 {topic} 거점 짓는다",
    "{topic} 둘러싼 신경전…{company} 속내는",
    "'{topic} 한파' {quarter}분기째…{metric} 회복 더딘 이유",
)
OBSERVATIONS = (
    "밤에도 불 꺼지지 않는 공장",
    "빈 상가만 늘었다",
    "사람을 못 구해 라인이 멈췄다",
    "주문은 밀리는데 전기가 모자란다",
    "기대와 불안이 교차했다",
)
SUBHEADLINES = (
    "{topic2} 부담 커지며 {metric} 전망 엇갈려",
    "{quarter}분기 {metric} {percent}% {change}…시장 예상 웃돌아",
    '업계 "{topic} 지원 없인 격차 더 벌어질 것"',
    "{place} 일대 {topic} 수요 꾸준…하반기 변수는 {topic2}",
    '전문가들 "{topic2} 흐름 더 지켜봐야"',
)
SENTENCES = (
    "{company}[이/가] {topic} 분야 투자를 {amount}조 원 규모로 늘리기로 했다.",
    "{company}의 {quarter}분기 {metric}[은/는] 지난해 같은 기간보다 {percent}% {change}.",
    "{topic} 시장은 {quarter}분기에도 회복세를 이어갔지만 속도는 더뎠다.",
    '{person}[은/는] "{topic} 흐름이 바뀌는 시점을 눈여겨보고 있다"고 말했다.',
    "업계는 {topic2} 부담이 하반기 실적에 반영될 것으로 내다봤다.",
    "{place} 현장에서는 {topic} 관련 일감이 크게 늘었다는 말이 나온다.",
    "정부는 다음 달 {topic} 지원 방안을 내놓을 계획이다.",
    "시장에서는 {topic} 전망을 두고 의견이 엇갈린다.",
    '{company} 관계자는 "{topic2} 변수까지 고려해 계획을 다시 짜고 있다"고 설명했다.',
    "{metric}[이/가] {percent}% {change}는 통계가 나오자 관련 업종 주가도 움직였다.",
    "{topic}[과/와] {topic2}[을/를] 함께 챙겨야 하는 기업들의 고민도 깊어지고 있다.",
    "전문가들은 {topic} 경쟁이 앞으로 더 치열해질 것으로 본다.",
    '{person}[은/는] "숫자보다 현장의 체감이 더 나쁘다"고 전했다.',
    "올해 들어 {place} 지역의 {topic} 관련 문의는 눈에 띄게 늘었다.",
    "{company}[은/는] {topic} 인력을 {amount}00명가량 더 뽑을 예정이다.",
    "다만 {topic2} 가격이 다시 오르면 계획이 늦춰질 수 있다는 관측도 있다.",
    "{company}[과/와] 협력사들은 {place}에 공동 연구 거점을 마련하기로 했다.",
    "지난해 {metric}[은/는] {amount}조 원으로 집계됐다.",
    "{topic} 관련 규정이 바뀌면서 중소기업의 부담도 커졌다.",
    '{person}[은/는] "{quarter}분기가 방향을 가를 것"이라고 말했다.',
)
SUBHEADINGS = (
    "{topic2}[이/가] 변수",
    "현장의 목소리",
    "{company}의 다음 수",
    "남은 과제는",
    "숫자로 본 {topic}",
)
CAPTIONS = (
    "{place}의 {company} 사업장. {scene}.",
    "{scene}. {company} 제공",
    "{scene}. {place}",
)
CREDITS = ("솔빛경제 사진부", "솔빛경제 DB", "회사 제공", "연합취재단")

TAG_EXTRAS = ("실적", "투자", "현장", "규제", "전망", "인터뷰")

FAMILY_NAMES = "김이박최정강조윤장임한오서신권황안송류홍"
GIVEN_NAMES = (
    "민준",
    "서연",
    "도윤",
    "하은",
    "지호",
    "수아",
    "예준",
    "지유",
    "시우",
    "채원",
    "주원",
    "다인",
    "현우",
    "소율",
    "준서",
    "나연",
    "건우",
    "윤서",
    "우진",
    "하린",
    "태윤",
    "가은",
    "재민",
    "세아",
)
TITLES = ("기자", "기자", "기자", "선임기자", "차장", "전문기자")

SERIES_NAMES = (
    "{topic}의 내일",
    "다시 쓰는 {topic} 지도",
    "{topic} 현장을 가다",
    "숫자로 읽는 {topic}",
    "{topic}, 길을 묻다",
)


# "[이/가]" after a word: the first form after a final consonant, the second after a vowel
# (으로/로: 로 after ㄹ too). A word ending in a letter or a digit takes the first form.
_PARTICLE = re.compile(r"(.)\[(\w+)/(\w+)\]")


def _particle(match: re.Match) -> str:
    last, after_consonant, after_vowel = match.groups()
    if "가" <= last <= "힣":
        final = (ord(last) - ord("가")) % 28
        consonant = final != 0 and not (after_consonant == "으로" and final == 8)
    else:
        consonant = True
    return last + (after_consonant if consonant else after_vowel)


def with_particles(text: str) -> str:
    return _PARTICLE.sub(_particle, text)


def domain_for(top_slug: str) -> Domain:
    return DOMAINS.get(top_slug, GENERAL)


class _Draws(dict):
    """A pattern's values: the story's own (company, topics), and the rest drawn only
    when the pattern names them."""

    def __init__(self, rng: random.Random, domain: Domain, picks: dict):
        super().__init__(picks)
        self.rng, self.domain = rng, domain

    def __missing__(self, name: str):
        rng, domain = self.rng, self.domain
        draws = {
            "quarter": lambda: rng.randint(1, 4),
            "percent": lambda: round(rng.uniform(0.5, 40), 1),
            "amount": lambda: rng.randint(1, 30),
            "place": lambda: rng.choice(PLACES),
            "person": lambda: rng.choice(domain.people),
            "metric": lambda: rng.choice(domain.metrics),
            "change": lambda: rng.choice(CHANGES_UP if rng.random() < 0.55 else CHANGES_DOWN),
            "observation": lambda: rng.choice(OBSERVATIONS),
        }
        return draws[name]()


def _fill(pattern: str, rng: random.Random, domain: Domain, picks: dict) -> str:
    return with_particles(pattern.format_map(_Draws(rng, domain, picks)))


@dataclass
class StoryText:
    headline: str
    subheadline: str
    summary: str
    paragraphs: list[str]
    subheading: str  # an h3 after the third paragraph, or ""
    tags: list[str]
    company: str
    topic: str


def story(rng: random.Random, domain: Domain) -> StoryText:
    """One story's text: about a company (or a country, a ministry) and two topics of the
    desk, in 5 to 8 paragraphs of two or three sentences."""
    company = rng.choice(domain.companies)
    topic, topic2 = rng.sample(domain.topics, 2)
    picks = {"company": company, "topic": topic, "topic2": topic2}
    paragraphs = [
        " ".join(_fill(rng.choice(SENTENCES), rng, domain, picks) for _ in range(rng.randint(2, 3)))
        for _ in range(rng.randint(5, 8))
    ]
    tags = [company, topic]
    if rng.random() < 0.6:
        tags.append(topic2)
    if rng.random() < 0.3:
        tags.append(rng.choice(TAG_EXTRAS))
    return StoryText(
        headline=_fill(rng.choice(HEADLINES), rng, domain, picks),
        subheadline=_fill(rng.choice(SUBHEADLINES), rng, domain, picks)
        if rng.random() < 0.8
        else "",
        summary=" ".join(
            _fill(pattern, rng, domain, picks) for pattern in rng.sample(SENTENCES, 2)
        ),
        paragraphs=paragraphs,
        subheading=_fill(rng.choice(SUBHEADINGS), rng, domain, picks) if rng.random() < 0.3 else "",
        tags=tags,
        company=company,
        topic=topic,
    )


def caption(rng: random.Random, domain: Domain, company: str) -> tuple[str, str]:
    """A photo's caption and alt text (without the leading ▲, which the page adds)."""
    scene = rng.choice(domain.photo_scenes)
    picks = {"company": company, "scene": scene, "topic": "", "topic2": ""}
    return _fill(rng.choice(CAPTIONS), rng, domain, picks), scene


def series_name(rng: random.Random, domain: Domain) -> str:
    return rng.choice(SERIES_NAMES).format(topic=rng.choice(domain.topics))


def staff_names(count: int, rng: random.Random) -> list[str]:
    """`count` different Korean names (family name and given name)."""
    names = [family + given for family in FAMILY_NAMES for given in GIVEN_NAMES]
    rng.shuffle(names)
    if count > len(names):
        raise ValueError(f"at most {len(names)} staff names")
    return names[:count]
