"""The demo readers' comments: original text written for this project, in the voices of
readers of a business paper. Keyed by the headline of the demo story they sit under
(articles/demo/content.py); "reader" is the demo log-in reader@example.com (독자1)."""

# (e-mail, nickname): demo readers who comment. They can log in with the demo password.
READERS = [
    ("commenter1@example.com", "여의도개미"),
    ("commenter2@example.com", "판교출근러"),
    ("commenter3@example.com", "부산항사람"),
    ("commenter4@example.com", "월급쟁이김씨"),
    ("commenter5@example.com", "세종시민"),
    ("commenter6@example.com", "반도체덕후"),
    ("commenter7@example.com", "동네마트사장"),
    ("commenter8@example.com", "은퇴준비중"),
]

# Comments close by themselves this many days after publication in these sections.
CLOSING_DAYS = {"global-economy": 7, "trade": 14}


def comment(author, text, likes=0, dislikes=0, replies=(), minutes=30, delete=False):
    """A top-level comment `minutes` after the story's publication, with `likes` and
    `dislikes` from other demo readers; `delete`: its author deletes it after the replies."""
    return {
        "author": author,
        "text": text,
        "likes": likes,
        "dislikes": dislikes,
        "replies": list(replies),
        "minutes": minutes,
        "delete": delete,
    }


def reply(author, text, likes=0, dislikes=0, minutes=10, delete=False):
    return {
        "author": author,
        "text": text,
        "likes": likes,
        "dislikes": dislikes,
        "minutes": minutes,
        "delete": delete,
    }


THREADS = {
    '한결전자 대표 "HBM 증설, 내년 물량까지 이미 찼다"': [
        comment(
            "반도체덕후",
            "내년 물량까지 찼다는 건 결국 가격 협상력이 생겼다는 얘기죠. 수율만 받쳐주면 "
            "실적은 따라올 듯합니다.",
            likes=6,
            minutes=8,
            replies=[
                reply("판교출근러", "수율이 제일 큰 변수 아닌가요. 작년에도 말만 무성했잖아요."),
                reply("반도체덕후", "맞아요, 그래서 다음 분기 실적 발표를 봐야 할 것 같습니다."),
            ],
        ),
        comment(
            "여의도개미",
            "주가엔 이미 다 반영된 얘기 같은데… 증설 비용이 얼마인지도 같이 나왔으면 좋겠네요.",
            likes=2,
            dislikes=1,
            minutes=14,
        ),
        comment(
            "reader", "공장 짓는 지역 일자리 얘기도 후속으로 다뤄 주세요.", likes=3, minutes=20
        ),
    ],
    "공장은 올라가는데 전기·물은 제자리…반도체 클러스터의 병목": [
        comment(
            "세종시민",
            "송전선 문제는 10년 전부터 나온 얘기인데 아직도 제자리라니 답답합니다. "
            "주민 보상 기준부터 정리해야죠.",
            likes=7,
            minutes=45,
            replies=[
                reply("부산항사람", "보상만으로 해결될까요? 경로 자체를 다시 짜야 한다고 봅니다."),
                reply("세종시민", "둘 다 필요하겠죠. 결국 속도가 관건이고요.", likes=1),
            ],
        ),
        comment(
            "반도체덕후",
            "용수도 문제예요. 하루 수십만 톤이 필요한데 재이용수 비율을 얼마나 올릴 수 "
            "있을지가 궁금합니다.",
            likes=4,
            minutes=90,
        ),
        comment(
            "은퇴준비중",
            "현장 사진과 지도가 있어서 이해가 쉬웠습니다. 좋은 기사 감사합니다.",
            likes=2,
            minutes=180,
        ),
    ],
    '다온소재 대표 "소재 국산화, 이제는 품질 싸움"': [
        comment(
            "판교출근러",
            "국산화 초기엔 '써 주는 것'만으로도 의미가 있었는데 이제는 정말 품질로 "
            "평가받는 단계네요.",
            likes=3,
            minutes=60,
        ),
        comment(
            "여의도개미",
            "고객사 한 곳 의존도가 높은 게 리스크 아닌가요? 거래처 다변화 계획도 궁금합니다.",
            likes=1,
            minutes=75,
            replies=[reply("판교출근러", "기사 중간에 해외 고객사 인증 얘기가 나와요.", likes=2)],
        ),
    ],
    "수출 통제의 시대, 장비 한 대 들이는 데도 넉 달을 기다렸다": [
        comment(
            "부산항사람",
            "통관 서류 한 장 때문에 장비가 항구에 몇 주씩 묶이는 걸 직접 봤습니다. "
            "현장 얘기를 잘 짚었네요.",
            likes=5,
            minutes=120,
        ),
        comment(
            "월급쟁이김씨",
            "중소 협력사는 이런 절차를 감당할 인력이 없어요. 정부 지원 창구가 하나로 "
            "모였으면 합니다.",
            likes=4,
            minutes=200,
        ),
    ],
    "반도체 공장은 느는데…설비 엔지니어 구하기 '하늘의 별 따기'": [
        comment(
            "판교출근러",
            "설비 엔지니어 3교대 근무 환경부터 바뀌어야 사람이 옵니다. 연봉만의 문제가 아니에요.",
            likes=9,
            minutes=30,
            replies=[
                reply("월급쟁이김씨", "공감합니다. 지방 근무 조건도 크고요.", likes=3),
                reply("은퇴준비중", "은퇴한 숙련 인력을 교육 강사로 쓰는 방법도 있을 텐데요."),
            ],
        ),
        comment(
            "reader",
            "특성화고 졸업생 채용 연계 얘기도 나오던데 실제로 얼마나 뽑는지 궁금합니다.",
            likes=2,
            minutes=95,
        ),
        comment(
            "여의도개미", "결국 인건비 올라서 마진 줄어드는 거 아닌가요.", dislikes=3, minutes=140
        ),
    ],
    '대륜자동차 "하이브리드가 전기차 공백 메운다"': [
        comment(
            "월급쟁이김씨",
            "충전소 걱정 없는 하이브리드가 현실적인 선택이긴 하죠. 대기 기간만 좀 줄었으면.",
            likes=3,
            minutes=12,
        ),
        comment(
            "세종시민",
            "전기차 투자를 늦추면 나중에 더 큰 비용을 치를 수도 있습니다. 균형이 중요해 보여요.",
            likes=2,
            dislikes=1,
            minutes=25,
            replies=[reply("월급쟁이김씨", "기사에 전기차 라인은 그대로 간다고 나와 있네요.")],
        ),
    ],
    '해솔중공업 "LNG 운반선 3년치 일감 확보"': [
        comment(
            "부산항사람",
            "거제 쪽 식당 사장님들 표정부터 달라졌습니다. 일감 있을 때 하청 처우도 같이 "
            "챙겼으면 합니다.",
            likes=8,
            minutes=40,
            replies=[
                reply(
                    "여의도개미", "선가가 올라서 이번엔 남는 장사라는 분석도 있더라고요.", likes=1
                ),
            ],
        ),
        comment(
            "은퇴준비중",
            "예전 수주 절벽 때를 생각하면 격세지감입니다. 인력 양성을 미리 해 둬야 "
            "또 같은 일이 없겠죠.",
            likes=5,
            minutes=70,
        ),
        comment(
            "여의도개미", "이 정도면 배당도 좀 늘려 주려나요 ㅎㅎ", likes=1, dislikes=2, minutes=90
        ),
    ],
    "청람케미칼, 여수 나프타분해설비 1기 가동 멈춘다": [
        comment(
            "세종시민",
            "중국 증설 물량이 이렇게 빨리 들어올 줄은 몰랐네요. 지역 협력업체 대책도 궁금합니다.",
            likes=4,
            minutes=50,
        ),
        comment(
            "부산항사람",
            "여수산단 야간 불빛이 줄었다는 얘기가 실감 나네요.",
            likes=2,
            minutes=110,
            delete=True,
            replies=[reply("동네마트사장", "산단 앞 상권도 조용해졌다고 합니다.", likes=1)],
        ),
    ],
    '라온에너지솔루션 "전기차 부진, 에너지저장장치로 메운다"': [
        comment(
            "반도체덕후",
            "ESS는 화재 이슈가 늘 따라다니는데 안전 기준 얘기가 빠져서 아쉽습니다.",
            likes=3,
            minutes=35,
            replies=[reply("판교출근러", "LFP 쓰면 그 부분은 좀 낫다고 들었어요.")],
        ),
        comment("여의도개미", "미국 보조금 계속 받을 수 있는지가 핵심이죠.", likes=2, minutes=60),
    ],
    '다솜마트 "새벽배송 접고 매장 픽업에 집중"': [
        comment(
            "동네마트사장",
            "새벽배송은 물류비가 감당이 안 됩니다. 작은 가게 입장에선 픽업 쪽이 훨씬 현실적이에요.",
            likes=6,
            minutes=20,
            replies=[
                reply("월급쟁이김씨", "퇴근길 픽업은 저도 자주 씁니다. 대기만 짧으면 좋아요."),
            ],
        ),
        comment(
            "reader",
            "새벽배송 없어지면 맞벌이 집은 좀 아쉽겠네요. 지역별로 남겨 두면 좋겠습니다.",
            likes=2,
            dislikes=1,
            minutes=45,
        ),
    ],
    "주요 금융지주 3분기 순이익 4조8000억원…이자이익이 끌어올렸다": [
        comment(
            "월급쟁이김씨",
            "대출 이자로 번 돈이 대부분이라니… 예금 금리는 내리면서 대출 금리는 천천히 "
            "내리는 것 같습니다.",
            likes=11,
            dislikes=1,
            minutes=10,
            replies=[
                reply(
                    "여의도개미",
                    "그래서 은행주 배당이 좋은 거죠. 주주 입장에선 반갑고요.",
                    dislikes=2,
                ),
                reply("월급쟁이김씨", "주주도 좋지만 차주 부담도 같이 봐야죠.", likes=4),
            ],
        ),
        comment(
            "은퇴준비중",
            "비이자이익 비중이 얼마나 늘었는지도 표로 보여 주시면 좋겠습니다.",
            likes=3,
            minutes=40,
        ),
    ],
    "가람은행 정기예금 금리 0.2%포인트 내려…2%대 예금 다시 늘어": [
        comment(
            "은퇴준비중",
            "이자로 생활비 보태는 입장에선 0.2%포인트도 큽니다. 만기 짧게 나눠 두는 게 나을까요?",
            likes=5,
            minutes=30,
            replies=[
                reply(
                    "여의도개미",
                    "금리 더 내릴 것 같으면 지금 긴 만기로 묶는 게 낫다는 말도 있어요.",
                ),
                reply(
                    "세종시민",
                    "저축은행 특판도 한번 비교해 보세요. 예금자보호 한도는 꼭 확인하시고요.",
                    likes=2,
                ),
            ],
        ),
    ],
    '새솔증권 "2차전지 업황, 하반기 바닥 통과"': [
        comment(
            "여의도개미",
            "바닥이라는 말만 세 번째 듣는 것 같습니다…",
            likes=7,
            dislikes=1,
            minutes=5,
        ),
        comment(
            "반도체덕후",
            "재고 조정이 끝났다는 근거가 기사에 잘 정리돼 있네요. 리튬 가격 추이도 같이 "
            "봐야겠습니다.",
            likes=2,
            minutes=15,
        ),
    ],
    '외국인 6주째 "팔자"…증권가 "매도 강도는 정점 지났다"': [
        comment(
            "여의도개미",
            "환율이 안정돼야 외국인이 돌아오죠. 결국 달러 흐름 보면서 가야 할 듯.",
            likes=4,
            minutes=25,
        ),
        comment(
            "월급쟁이김씨",
            "개인이 다 받아 내고 있는 게 불안하네요. 신용잔고도 늘었다던데.",
            likes=3,
            minutes=55,
        ),
    ],
    "카드론으로 카드론 막는다…벼랑 끝에 선 다중채무 청년들": [
        comment(
            "세종시민",
            "채무조정 제도가 있다는 걸 모르는 청년이 많습니다. 상담 창구 안내를 기사 "
            "끝에 붙여 주셨으면 해요.",
            minutes=60,
        ),
        comment("reader", "주변에도 이런 친구가 있어서 마음이 무겁습니다.", minutes=90),
    ],
    '정부 "연말까지 내수 회복에 6조원 투입"': [
        comment(
            "동네마트사장",
            "온누리상품권 환급은 골목 가게에 실제로 도움이 됩니다. 대상 업종을 넓혀 줬으면 해요.",
            likes=5,
            minutes=20,
        ),
        comment(
            "세종시민",
            "재원이 어디서 나오는지부터 설명이 필요합니다. 세수도 부족하다면서요.",
            likes=6,
            dislikes=2,
            minutes=35,
        ),
    ],
    '한국은행 "집값·가계빚 더 지켜봐야"…기준금리 연 3.25% 동결': [
        comment(
            "월급쟁이김씨",
            "변동금리 대출자는 한 번만 내려 줘도 숨통이 트이는데 아쉽네요.",
            likes=6,
            dislikes=2,
            minutes=15,
            replies=[
                reply(
                    "은퇴준비중", "집값이 다시 뛰면 더 큰일이라 신중한 게 맞다고 봅니다.", likes=4
                ),
                reply("월급쟁이김씨", "그 말씀도 맞네요. 다음 달엔 기대해 봐야죠."),
            ],
        ),
        comment(
            "여의도개미",
            "소수의견 두 명이면 다음 회의에선 인하 가능성 높다는 거죠?",
            likes=3,
            minutes=30,
        ),
    ],
    "소비자물가 석 달째 2%대 초반…채소·외식값은 여전히 고공행진": [
        comment(
            "reader",
            "품목별 상승률 표가 잘 안 보였는데 지금은 괜찮네요.",
            minutes=20,
            delete=True,
        ),
        comment(
            "동네마트사장",
            "배추값은 도매가보다 소매가가 늦게 내려갑니다. 체감이 다를 수밖에요.",
            likes=4,
            minutes=60,
        ),
        comment(
            "은퇴준비중",
            "외식 한 번 하기가 무섭습니다. 통계와 장바구니는 딴 세상이에요.",
            likes=7,
            minutes=90,
        ),
    ],
    '해솔중공업 노조 "하청 처우 개선하라"…4시간 부분파업': [
        comment(
            "부산항사람",
            "같은 배를 만드는데 임금 차이가 이 정도라니. 원청이 책임 있게 나서야 합니다.",
            minutes=50,
        ),
        comment(
            "여의도개미", "수주 좋을 때 파업하면 납기 맞추기 어려울 텐데 걱정이네요.", minutes=80
        ),
    ],
    "서울 아파트 거래 두 달째 줄어…'대출 조이자 매수세 주춤'": [
        comment(
            "월급쟁이김씨",
            "거래가 줄어도 호가는 그대로예요. 실수요자만 애가 탑니다.",
            likes=3,
            minutes=3,
        ),
    ],
    '늘품건설 "PF 우발채무 내년 상반기까지 절반 줄인다"': [
        comment(
            "여의도개미",
            "계획은 좋은데 분양이 안 되면 말짱 도루묵이죠. 미분양 현황도 같이 봐야 합니다.",
            likes=4,
            minutes=40,
        ),
        comment(
            "세종시민",
            "협력업체 공사대금은 제때 나가고 있는지 궁금합니다.",
            likes=3,
            minutes=70,
            delete=True,
        ),
    ],
    '월가 "미국 중앙은행, 연말까지 두 차례 더 내린다"': [
        comment(
            "여의도개미",
            "미국이 내리면 한국도 따라가겠죠? 환율이 어떻게 움직일지 궁금합니다.",
            likes=2,
            minutes=30,
        ),
    ],
    "중국 내수 부진 길어진다…한국 중간재 수출 '직격탄'": [
        comment(
            "부산항사람",
            "부산항 물동량에서도 중국행이 확실히 줄었습니다. 동남아 쪽이 그나마 버텨 주네요.",
            likes=5,
            minutes=120,
        ),
        comment(
            "반도체덕후",
            "중간재 구조를 바꾸지 않으면 이런 기사가 매년 나올 겁니다.",
            likes=3,
            minutes=240,
        ),
    ],
    "수출 넉 달 연속 증가…반도체가 끌고 자동차·선박이 밀었다": [
        comment(
            "세종시민",
            "반도체 빼면 수출이 어떤지도 같이 보여 주셨으면 합니다.",
            likes=6,
            minutes=45,
        ),
        comment(
            "부산항사람",
            "선박은 인도 시점에 한꺼번에 잡혀서 착시도 있어요. 그래도 좋은 흐름입니다.",
            likes=3,
            minutes=80,
            replies=[reply("세종시민", "그런 구조인 줄 몰랐네요. 설명 감사합니다.", likes=1)],
        ),
    ],
    "AI 호황에도 반도체 '사이클'은 사라지지 않았다": [
        comment(
            "반도체덕후",
            "공감합니다. 서버 수요가 꺾이는 순간 재고가 또 쌓일 거예요. 이번엔 다르다는 "
            "말이 제일 위험하죠.",
            likes=8,
            dislikes=2,
            minutes=100,
            replies=[
                reply("판교출근러", "HBM은 주문 생산이라 예전과는 좀 다르지 않을까요?", likes=3)
            ],
        ),
    ],
    "석유화학, 버티기보다 재편이 먼저다": [
        comment(
            "세종시민",
            "재편은 결국 누가 설비를 닫느냐의 문제인데, 그걸 시장에만 맡길 수 있을지요.",
            likes=4,
            minutes=300,
        ),
    ],
}

# (the start of a demo comment's text, the reporter's nickname, reason, note)
REPORTS = [
    ("결국 인건비 올라서", "판교출근러", "other", "기사 내용과 다른 추측입니다."),
    ("결국 인건비 올라서", "반도체덕후", "spam", ""),
    ("이 정도면 배당도", "부산항사람", "other", ""),
    ("그래서 은행주 배당이", "월급쟁이김씨", "attack", "다른 독자를 비꼬는 말투"),
]

# --- moderation -----------------------------------------------------------------------------

# A reader who crossed the line: their comments, one rejected, and a seven-day suspension.
# (reader@example.com stays in good standing.)
TROLL = ("commenter9@example.com", "도배왕")
TROLL_COMMENTS = [
    "이런 기사 쓰는 기자는 그냥 그만둬라. 매번 똑같은 소리.",
    "주식 리딩방 무료 입장, 수익 보장합니다. 프로필 확인하세요.",
    "위에 댓글 단 사람들 다 알바지? 뻔하다 뻔해.",
]
TROLL_NOTE = "같은 주장을 여러 기사에 반복. 광고성 댓글 전력."
# Held for review by the rules: a link and a suspect word.
HELD = [
    ("여의도개미", "관련 자료는 hxxp://example.com/report 에 정리해 두었습니다."),
    ("부산항사람", "이런 정책을 내놓는 사람은 또라이 아닌가 싶네요."),
]
# Refused by the rules, kept for the moderators: the troll's abuse, and a reader's innocent
# sentence the rules take for the spaced 씨팔 (김 씨, 팔 골절), for the "innocent" button.
REFUSED = [
    ("도배왕", "기자 씨1발 똑바로 써라. 이게 기사냐"),
    ("월급쟁이김씨", "사고 난 공장 직원 김 씨 팔 골절이라던데 산재 처리는 제대로 되나요?"),
]
# 임시조치: a claim of defamation against one comment, for 30 days.
BLIND = {
    "start": "결국 인건비 올라서",
    "claimant": "㈜해솔정밀 법무팀",
    "claim": "기사 속 회사의 인건비 구조를 사실과 다르게 단정해 회사의 명예를 훼손한다는 주장.",
}
# Extra reports for the Reported queue: (comment start, reporter, reason).
MORE_REPORTS = [
    ("위에 댓글 단 사람들", "판교출근러", "attack"),
    ("위에 댓글 단 사람들", "세종시민", "attack"),
    ("그래서 은행주 배당이", "반도체덕후", "attack"),
]
