"""The comments' part of a cached page's personal request (settings.PERSONAL_PARTS)."""

from articles.models import Article
from comments import fragments
from newsroom import inputs


def comment_block(request) -> str | None:
    """The comment block of the story named by ?story= as this reader sees it (their
    form, their comments awaiting review, their votes), at the sort and page of the
    page's own address; None for a story readers cannot see. Three queries in all, with
    the session and the user: the rest is kept (comments.fragments)."""
    try:
        story = fragments.story(inputs.number(request.GET.get("story", ""), 0))
    except Article.DoesNotExist:
        return None
    return fragments.member_block(request, story)
