"""A story's history: the one recorder of ArticleEvent rows, used by the workflow and the
share fan-out alike, and the name an actor is shown under in them."""

from accounts.models import StaffProfile, User
from articles.models import Article, ArticleEvent


def actor_name(user: User | None) -> str:
    """The name history keeps for who did something (a snapshot: it outlives the account)."""
    if user is None:
        return "system"
    profile = StaffProfile.objects.filter(user=user).first()
    return profile.byline_name if profile else user.email


def record(
    article: Article,
    action: str,
    actor: User | None,
    from_status: str,
    to_status: str,
    note: str = "",
    data: dict | None = None,
) -> ArticleEvent:
    """One history row about the story, in the caller's transaction."""
    return ArticleEvent.objects.create(
        article=article,
        headline=article.headline,
        action=action,
        from_status=from_status,
        to_status=to_status,
        actor=actor,
        actor_name=actor_name(actor),
        note=note,
        data=data or {},
    )
