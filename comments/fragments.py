"""The comment block as every anonymous reader sees it, kept as a fragment
(newsroom.pagecache.fragment) per story, sort, page and language, so that the article page
rebuilt after a page-cache miss does not read the comments again.

Retired when a comment of the story changes (every change goes through comments.moderation,
which bumps articles.dependencies.comments), when the story changes (its comment mode) or
any section is saved (the sections' comment mode and closing days), and after two minutes
at most: a nickname changed, or the comments closing by themselves on their day.

A signed-in reader's block (the page's personal request) is kept too, once for every reader
who has nothing of their own on that page of comments (no comment, vote or report, and no
refusal): their form differs only by its CSRF token, put in as the block is handed out.
Everyone else's is drawn for them; the comment views' answers and a refused form are too.
Whether a reader may take part is kept per reader, retired when their account, e-mail
addresses or standing change, and after a minute at most (a suspension running out).
"""

from allauth.account.models import EmailAddress
from django.conf import settings
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.middleware.csrf import get_token
from django.utils import translation

from accounts.models import User
from articles import dependencies
from articles.models import Article
from comments import block, permissions, selectors
from comments.models import ReaderStanding
from newsroom import pagecache

BLOCK_LIFETIME = 120
REFUSAL_LIFETIME = 60
# Where a kept member block has its reader's token: no token looks like it (they are
# letters and digits only).
TOKEN_STAND_IN = "{reader-csrf-token}"


def _language() -> str:
    return translation.get_language() or settings.LANGUAGE_CODE


def _position(request) -> str:
    """The sort and page of comments the reader asks for, as part of a fragment's name."""
    sort, page = block.position(request)
    return f"{sort if sort in selectors.SORTS else selectors.DEFAULT_SORT}:{page}"


def _block_dependencies(story_id: int) -> set[str]:
    return {dependencies.comments(story_id), dependencies.story(story_id), dependencies.SECTIONS}


def anonymous_block(request, story: Article) -> str:
    """The block for a reader who is not signed in (block.render), from the fragment."""
    return pagecache.fragment(
        f"comment-block:{_language()}:{story.pk}:{_position(request)}",
        _block_dependencies(story.pk),
        BLOCK_LIFETIME,
        lambda: block.render(request, story),
    )


def story(story_id: int) -> Article:
    """selectors.story_for_comments, kept until the story or a section changes."""
    return pagecache.fragment(
        f"comment-story:{story_id}",
        {dependencies.story(story_id), dependencies.SECTIONS},
        BLOCK_LIFETIME,
        lambda: selectors.story_for_comments(story_id),
    )


def refusal(user) -> str | None:
    """permissions.refusal for this reader, kept (see the module's note)."""

    def look_up():
        found = permissions.refusal(user)
        return None if found is None else str(found)

    return pagecache.fragment(
        f"comment-refusal:{_language()}:{user.pk}", {_reader(user.pk)}, REFUSAL_LIFETIME, look_up
    )


def member_block(request, story: Article) -> str:
    """The block for the signed-in reader of `request` (see the module's note)."""
    viewer = request.user
    refused = refusal(viewer)
    if refused is not None or _has_own_on(story.pk, viewer):
        return block.render(request, story, refusal=refused)
    kept = pagecache.fragment(
        f"member-block:{_language()}:{story.pk}:{_position(request)}",
        _block_dependencies(story.pk),
        BLOCK_LIFETIME,
        lambda: block.render(request, story, refusal=None, csrf_token=TOKEN_STAND_IN),
    )
    return kept.replace(TOKEN_STAND_IN, get_token(request))


def _has_own_on(story_id: int, viewer) -> bool:
    """selectors.has_own_on, kept until a comment of the story changes (a vote or report
    of theirs is such a change)."""
    return pagecache.fragment(
        f"comment-own:{story_id}:{viewer.pk}",
        {dependencies.comments(story_id)},
        BLOCK_LIFETIME,
        lambda: selectors.has_own_on(story_id, viewer),
    )


def _reader(user_id: int) -> str:
    return f"comment-reader:{user_id}"


@receiver([post_save, post_delete], sender=User)
def _account_saved(sender, instance, **kwargs):
    pagecache.touch({_reader(instance.pk)}, pages=False)


@receiver([post_save, post_delete], sender=EmailAddress)
def _address_saved(sender, instance, **kwargs):
    pagecache.touch({_reader(instance.user_id)}, pages=False)


@receiver([post_save, post_delete], sender=ReaderStanding)
def _standing_saved(sender, instance, update_fields=None, **kwargs):
    # Its counts change with every approval; only a suspension changes a refusal.
    if update_fields is None or {"banned", "suspended_until"} & set(update_fields):
        pagecache.touch({_reader(instance.user_id)}, pages=False)
