"""The demo newsletters: the morning briefing, the daily of the section with the most
published stories, and the main demo reporter's; the demo reader subscribed from their my
page (a verified account: confirmed at once) and a few e-mail-only readers who confirmed
their links, all through articles.newsletters.subscriptions so their history is real."""

from django.db.models import Count, Q

from accounts.models import StaffProfile, User
from articles.models import Newsletter, Section, Subscriber, Subscription
from articles.newsletters import subscriptions

READER = "reader@example.com"
REPORTER = "reporter@example.com"
# E-mail-only subscribers (no account), and which of the three each confirmed.
SUBSCRIBERS = [
    ("subscriber1@example.com", ("briefing", "section")),
    ("subscriber2@example.com", ("briefing",)),
    ("subscriber3@example.com", ("section", "reporter")),
]


def load(stdout) -> None:
    newsletters = _newsletters()
    reader = User.objects.get(email=READER)
    asked = 0
    if not Subscription.objects.filter(subscriber__user=reader).exists():
        subscriptions.subscribe(
            reader.email, [newsletters["briefing"], newsletters["section"]], user=reader
        )
        asked += 1
    for email, kinds in SUBSCRIBERS:
        if Subscriber.objects.filter(email=email).exists():
            continue
        asked += 1
        subscriber = subscriptions.subscribe(
            email, [newsletters[kind] for kind in kinds]
        ).subscriber
        # The link the mail carried, opened: the task then finds nothing left to confirm
        # and sends nothing.
        subscriptions.confirm(subscriptions.confirm_token(subscriber))
    confirmed = Subscription.objects.filter(status="confirmed").count()
    stdout.write(
        f"Newsletters: {len(newsletters)} offered, {asked} new readers subscribed, "
        f"{confirmed} confirmed subscriptions ({READER} among them)."
    )


def _newsletters() -> dict[str, Newsletter]:
    biggest = (
        Section.objects.annotate(
            published=Count("articles", filter=Q(articles__status="published"))
        )
        .order_by("-published", "order", "pk")
        .first()
    )
    profile = StaffProfile.objects.get(user__email=REPORTER)
    wanted = {
        "briefing": (
            "morning-briefing",
            {
                "name": "아침 브리핑",
                "description": "매일 아침 7시, 밤사이 꼭 알아야 할 기사를 골라 보내 드립니다.",
                "kind": Newsletter.Kind.BRIEFING,
                "position": 0,
            },
        ),
        "section": (
            f"{biggest.slug}-daily",
            {
                "name": f"{biggest.name} 데일리",
                "description": f"{biggest.name} 섹션의 하루 기사를 저녁에 모아 보내 드립니다.",
                "kind": Newsletter.Kind.SECTION,
                "section": biggest,
                "position": 1,
            },
        ),
        "reporter": (
            f"reporter-{profile.slug}",
            {
                "name": f"{profile.byline_name} 기자의 기사",
                "description": f"{profile.byline_name} 기자가 새 기사를 쓰면 바로 알려 드립니다.",
                "kind": Newsletter.Kind.REPORTER,
                "reporter": profile,
                "position": 2,
            },
        ),
    }
    found = {}
    for key, (slug, fields) in wanted.items():
        existing = Newsletter.objects.filter(kind=fields["kind"]).order_by("pk").first()
        found[key] = existing or Newsletter.objects.create(slug=slug, **fields)
    return found
