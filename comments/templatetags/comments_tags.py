"""The comments app's template tags: how other apps' pages show comments without importing
this app (articles and accounts only load this library in their templates).

- `{% comment_block article %}`: the article page's comment area.
- `{% comment_counts stories as counts %}` then `{{ counts|count_for:story.pk }}`: visible
  comments per story, for a list (the reporter's dashboard), in one query.
- `{% my_comments %}`: the signed-in reader's own comments, with their state (my page).
"""

from datetime import timedelta

from django import template
from django.utils import timezone

from comments import block, fragments, selectors
from newsroom import inputs

register = template.Library()

MY_COMMENTS_PAGE_SIZE = 20
# The notice above "my comments" lists the removals of this many last days.
REMOVALS_NOTICE_DAYS = 30


@register.simple_tag(takes_context=True)
def comment_block(context, story):
    """The block, or a form refused by the comment views and passed in the page's
    context as `comment_form`, shown again with its text. An anonymous reader's comes
    from the fragment all of them share (comments.fragments)."""
    request, form = context["request"], context.get("comment_form")
    if form is None and not request.user.is_authenticated:
        return fragments.anonymous_block(request, story)
    return block.render(request, story, form=form)


@register.simple_tag
def comment_counts(stories) -> dict[int, int]:
    """{story id: visible comments} for a list of stories (or ids), in one query."""
    return selectors.visible_counts(
        story if isinstance(story, int) else story.pk for story in stories
    )


@register.filter
def count_for(counts: dict, story_id) -> int:
    """A story's number from `comment_counts`: 0 when it has no visible comment."""
    return counts.get(story_id, 0)


@register.inclusion_tag("comments/my_comments.html", takes_context=True)
def my_comments(context):
    """One page of the reader's comments in one query (a row past the page tells whether
    there is a next one, so no count is needed), and a notice of the comments moderators
    removed lately, with the reasons (one more)."""
    request = context["request"]
    number = request.GET.get("comments_page", "")
    number = max(inputs.number(number, 1), 1)
    start = (number - 1) * MY_COMMENTS_PAGE_SIZE
    rows = list(selectors.comments_of(request.user)[start : start + MY_COMMENTS_PAGE_SIZE + 1])
    return {
        "removals": selectors.recent_removals(
            request.user, timezone.now() - timedelta(days=REMOVALS_NOTICE_DAYS)
        ),
        "comments": rows[:MY_COMMENTS_PAGE_SIZE],
        "number": number,
        "previous": number - 1 if number > 1 else None,
        "next": number + 1 if len(rows) > MY_COMMENTS_PAGE_SIZE else None,
    }
