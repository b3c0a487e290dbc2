"""A story's history: the one recorder of ArticleEvent rows, used by the workflow and the
share fan-out alike. The actor's name is accounts.names.display_name's."""

from accounts.models import User
from accounts.names import display_name
from articles.models import Article, ArticleEvent


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
        actor_name=display_name(actor),
        note=note,
        data=data or {},
    )
