"""The desk's pages for stories, split by who works there: stories.py (the reporter's
dashboard, the story editor, the preview), review.py (the editor's queue, schedule and
decisions), front.py (front-page curation), preview_links.py, sharing.py (the editor page's
view of articles/sharing/) and history.py. What they share is here."""

from django.contrib import messages
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from articles import permissions
from articles.errors import StoryRefused
from articles.models import Article

# What each button of the editor does after the content is saved, and what it says.
DONE_MESSAGES = {
    "save": _("Saved."),
    "submit": _("Submitted for review. An editor will look at it."),
    "publish": _("Published."),
    "schedule": _("Scheduled."),
    "cancel_schedule": _("The schedule was cancelled; the story waits for review again."),
    "return": _("Returned to the reporter with your note."),
    "correct": _("The correction was published under the story."),
    "unpublish": _("The story was taken down."),
    "republish": _("The story is public again."),
}


def story_for(user, article_id: int) -> Article:
    """A story the staff member may see; anyone else's is missing, as for readers."""
    # With the planning board's assignment it was started from (the editor page shows it).
    article = (
        Article.objects.select_related("section", "editing_by", "assignment__item")
        .filter(pk=article_id)
        .first()
    )
    if article is None or not permissions.can_view(user, article):
        raise Http404
    return article


def attempt(request, change, done_message) -> None:
    """Make the change, saying how it went; a refusal (nothing changed) is said as is. A
    missing right is not caught: it is the 403 page."""
    try:
        change()
    except StoryRefused as error:
        messages.error(request, str(error))
    else:
        messages.success(request, done_message)
