"""The stories' kept comment counts (comments.models.StoryComments), counted again from the
comments themselves whenever one changes visibility, so they cannot drift."""

from django.db import transaction
from django.db.models import Count, QuerySet

from comments.models import Comment, StoryComments
from comments.selectors import public_threads, visible


def lock(story_id: int) -> None:
    """Take the story's counts row (made when missing) for the rest of the transaction.
    Whoever changes a comment's visibility takes it before locking the comment itself, so
    that two moderators' changes on one story take turns and never deadlock."""
    StoryComments.objects.select_for_update().get_or_create(story_id=story_id)


def recount(story_id: int) -> None:
    """Count the story's comments again and keep the result (under lock(), held from the
    start of the change: the count then sees every change committed before it)."""
    # Its own transaction when called outside one (a fixture, a shell): the lock must last
    # until the counts are written.
    with transaction.atomic():
        lock(story_id)
        found = Comment.objects.filter(story_id=story_id).aggregate(**_counts(Comment))
        StoryComments.objects.filter(story_id=story_id).update(**found)


def recount_all(comments: QuerySet | None = None, counts: QuerySet | None = None) -> int:
    """Every story's counts from scratch, in one grouped query (the archive generator; the
    migration that brought the counts passes its own models). The number of stories."""
    comments = Comment.objects.all() if comments is None else comments
    counts = StoryComments.objects.all() if counts is None else counts
    per_story = comments.order_by().values("story_id").annotate(**_counts(comments.model))
    rows = [counts.model(**row) for row in per_story]
    counts.delete()
    counts.model.objects.bulk_create(rows, batch_size=5000)
    return len(rows)


def _counts(model) -> dict[str, Count]:
    return {
        "visible": Count("pk", filter=visible()),
        "threads": Count("pk", filter=public_threads(model)),
    }
