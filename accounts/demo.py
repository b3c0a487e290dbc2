"""Demo log-ins for `make run`. Never loaded in production (see load_demo)."""

from functools import cache

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import get_hasher, make_password

from accounts import legal, membership, roles
from accounts.models import User

DEMO_PASSWORD = "newsroom-demo"

# e-mail, role, byline name, title, short bio (original text written for this project)
DEMO_STAFF = [
    (
        "reporter@example.com",
        roles.Role.REPORTER,
        "한지민",
        "기자",
        "반도체와 전자 산업을 취재합니다. 공장 현장과 숫자 뒤의 사람을 함께 봅니다.",
    ),
    (
        "editor@example.com",
        roles.Role.EDITOR,
        "오세훈",
        "부장",
        "산업부 데스크. 기사 검토와 편집을 맡고 있습니다.",
    ),
    (
        "moderator@example.com",
        roles.Role.MODERATOR,
        "윤서연",
        "독자소통팀",
        "독자 댓글 관리를 맡고 있습니다.",
    ),
]
# The rest of the reporting desk, for 기자 소개 and the review queue: log-ins like the others,
# named in the summary only as a range (their beats and stories: articles/demo/content.py).
DEMO_REPORTERS = [
    (
        "reporter2@example.com",
        roles.Role.REPORTER,
        "박준호",
        "선임기자",
        "자동차와 조선을 15년째 취재하고 있습니다. 도크와 생산라인에서 일하는 사람들의 "
        "이야기도 함께 씁니다.",
    ),
    (
        "reporter3@example.com",
        roles.Role.REPORTER,
        "이수빈",
        "기자",
        "증권 담당. 공시와 수급 숫자 뒤에 숨은 이야기를 찾고, 공모주와 펀드 시장을 살핍니다.",
    ),
    (
        "reporter4@example.com",
        roles.Role.REPORTER,
        "정다은",
        "차장",
        "부동산팀을 이끌고 있습니다. 청약 현장과 공사 현장을 돌며 집값과 건설 경기를 전합니다.",
    ),
    (
        "reporter5@example.com",
        roles.Role.REPORTER,
        "최민재",
        "기자",
        "국제부에서 세계 경제와 통상을 맡고 있습니다. 관세와 공급망이 우리 수출에 주는 "
        "의미를 짚습니다.",
    ),
    (
        "reporter6@example.com",
        roles.Role.REPORTER,
        "강예린",
        "기자",
        "유통과 소비 현장을 취재합니다. 마트 계산대와 카드 명세서에서 경기의 온도를 읽습니다.",
    ),
]
DEMO_READER = "reader@example.com"
DEMO_READER_NICKNAME = "독자1"
DEMO_ADMIN = "admin@example.com"


def load(stdout) -> None:
    before = User.objects.count()
    for email, role, byline, title, bio in DEMO_STAFF + DEMO_REPORTERS:
        user = _user(email)
        profile = roles.ensure_staff_profile(user, byline_name=byline)
        if not profile.bio:
            profile.title, profile.bio = title, bio
            profile.save(update_fields=["title", "bio"])
        roles.grant_role(user, role, actor=None, note="demo data")
    reader = _user(DEMO_READER)
    if not reader.nickname:
        # Joined like any reader: the nickname and the three consents, with their history.
        membership.sign_up(reader, nickname=DEMO_READER_NICKNAME, agreed=legal.REQUIRED_AT_SIGNUP)
    _user(DEMO_ADMIN, superuser=True)
    stdout.write(
        f"Log-ins: {User.objects.count() - before} new, for "
        f"{len(DEMO_STAFF) + len(DEMO_REPORTERS)} staff, a reader and the admin."
    )


def summary(stdout) -> None:
    stdout.write("Demo log-ins (password: newsroom-demo):")
    for email, role, *_profile in DEMO_STAFF:
        stdout.write(f"  {email:<24} {role.value}")
    stdout.write(
        f"  More reporters: {DEMO_REPORTERS[0][0]} to {DEMO_REPORTERS[-1][0]} (see /reporters/)"
    )
    stdout.write(f"  {DEMO_READER:<24} reader ({DEMO_READER_NICKNAME})")
    stdout.write(f"  {DEMO_ADMIN:<24} Django admin (superuser, no desk role)")


def new_user(email: str, *, superuser: bool = False) -> User:
    """A demo account with the demo password."""
    create = User.objects.create_superuser if superuser else User.objects.create_user
    user = create(email)
    user.password = _password_hash(get_hasher().algorithm)
    user.save(update_fields=["password"])
    return user


@cache
def _password_hash(algorithm: str) -> str:
    # Every demo account shares one public password, so one hash (full strength, salted
    # once) serves them all: hashing it for each account took a quarter second apiece.
    return make_password(DEMO_PASSWORD, hasher=algorithm)


def _user(email: str, *, superuser: bool = False) -> User:
    user = User.objects.filter(email=email).first() or new_user(email, superuser=superuser)
    EmailAddress.objects.get_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user
