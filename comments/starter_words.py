"""The word list a new site starts with (loaded by migration 0003 and the demo; moderators
edit it at /desk/comments/words/). Every entry is matched through comments.wordrules, so
each evasion of a banned word (씨 발, ㅆㅂ, tlqkf...) is refused like the word itself.

Kept short on purpose: a word on the banned list must never be innocent in a business
paper's comments. Words that are often, but not always, abusive go on the suspect list and
wait for a moderator. Exceptions are innocent words that contain a listed one."""

BANNED = [
    # 씨발 and its kin
    "씨발",
    "시발",
    "씨바",
    "씨빨",
    "씨팔",
    "시팔",
    "쒸발",
    "씌발",
    "씨발놈",
    "씨발년",
    "sibal",
    "ssibal",
    "shibal",
    # other common profanity
    "좆",
    "좆같",
    "존나",
    "병신",
    "븅신",
    "개새끼",
    "개새기",
    "개색기",
    "지랄",
    "염병",
    "엠창",
    "니미럴",
    "느금마",
    "fuck",
]

SUSPECT = [
    # Abusive or demeaning in most uses, but not always: a moderator decides.
    "시바",
    "졸라",  # also 목을 졸라 (strangle)
    "미친놈",
    "미친년",
    "등신",
    "쓰레기같은",
    "또라이",
    "한남충",
    "김치녀",
    "틀딱",
    "급식충",
]

# Innocent words that hold a listed one.
EXCEPTIONS = [
    "시발점",  # 始發點, starting point
    "시발역",  # the first station of a line
    "시발택시",  # the 1950s taxi
    "시발자동차",  # its maker
    "시바견",  # the dog
    "시바이누",
    "병신년",  # 丙申年 (2016)
    "수박씨발라",  # 수박씨 발라 (먹다)
    "아저씨발",  # 아저씨 발
    "아가씨발",
    "졸라맨",  # the cartoon stick man
    "졸라매",  # 허리띠를 졸라매다
    "목을졸라",  # strangling, in crime reports
    "목졸라",
    "등신대",  # a life-size standee
    "등신불",  # a gilded Buddha statue
]

# Suspect words that only hold as words of their own: 시바 opens Japanese names (시바타,
# 시바우라) and is the Hindu god (시바는, 시바의).
WHOLE_WORDS = {"시바"}

# (word, kind, whole_word)
STARTER = [
    *((word, "banned", False) for word in BANNED),
    *((word, "suspect", word in WHOLE_WORDS) for word in SUSPECT),
    *((word, "exception", False) for word in EXCEPTIONS),
]
