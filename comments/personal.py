"""The comments' part of a cached page's personal request (settings.PERSONAL_PARTS)."""

from articles.models import Article
from comments import block
from newsroom import inputs


def comment_block(request) -> str | None:
    """The comment block of the story named by ?story= as this reader sees it (their
    form, their comments awaiting review, their votes), at the sort and page of the
    page's own address; None for a story readers cannot see."""
    story_id = inputs.number(request.GET.get("story", ""), 0)
    story = (
        Article.objects.filter(pk=story_id, status=Article.Status.PUBLISHED)
        .select_related("section")
        .first()
    )
    return None if story is None else block.render(request, story)
