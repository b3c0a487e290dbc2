"""Demo log-ins for `make run`. Never loaded in production (see load_demo)."""

from allauth.account.models import EmailAddress

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
DEMO_READER = "reader@example.com"
DEMO_READER_NICKNAME = "독자1"
DEMO_ADMIN = "admin@example.com"


def load(stdout) -> None:
    for email, role, byline, title, bio in DEMO_STAFF:
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


def summary(stdout) -> None:
    stdout.write("Demo log-ins (password: newsroom-demo):")
    for email, role, *_profile in DEMO_STAFF:
        stdout.write(f"  {email:<24} {role.value}")
    stdout.write(f"  {DEMO_READER:<24} reader ({DEMO_READER_NICKNAME})")
    stdout.write(f"  {DEMO_ADMIN:<24} Django admin (superuser, no desk role)")


def _user(email: str, *, superuser: bool = False) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        create = User.objects.create_superuser if superuser else User.objects.create_user
        user = create(email, DEMO_PASSWORD)
    EmailAddress.objects.get_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user
