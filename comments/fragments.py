"""The comment block as every anonymous reader sees it, kept as a fragment
(newsroom.pagecache.fragment) per story, sort, page and language, so that the article page
rebuilt after a page-cache miss does not read the comments again.

Retired when a comment of the story changes (every change goes through comments.moderation,
which bumps articles.dependencies.comments), when the story changes (its comment mode) or
any section is saved (the sections' comment mode and closing days), and after two minutes
at most: a nickname changed, or the comments closing by themselves on their day. Only the
anonymous rendering is kept: a signed-in reader's block carries their own form and votes,
and the comment views' answers and a refused form are drawn for their request.
"""

from django.conf import settings
from django.utils import translation

from articles import dependencies
from articles.models import Article
from comments import block, selectors
from newsroom import pagecache

BLOCK_LIFETIME = 120


def anonymous_block(request, story: Article) -> str:
    """The block for a reader who is not signed in (block.render), from the fragment."""
    sort, page = block.position(request)
    sort = sort if sort in selectors.SORTS else selectors.DEFAULT_SORT
    language = translation.get_language() or settings.LANGUAGE_CODE
    return pagecache.fragment(
        f"comment-block:{language}:{story.pk}:{sort}:{page}",
        {dependencies.comments(story.pk), dependencies.story(story.pk), dependencies.SECTIONS},
        BLOCK_LIFETIME,
        lambda: block.render(request, story),
    )
