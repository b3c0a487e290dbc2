"""The story's history on the desk: every transition and save with who and when, its
revisions, the words that changed between any two, and restoring one as a new revision.
Restoring goes through articles.workflow; this view only reads and shows."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

from accounts.errors import NotAllowed
from accounts.models import StaffProfile
from accounts.permissions import desk_view
from articles import diffs, labels, permissions, selectors, workflow
from articles.errors import StoryRefused
from articles.models import Article, CommentMode, Revision, Section, Series
from articles.views.desk import story_for
from newsroom import inputs

EVENTS_PER_PAGE = 50
STATUS_LABELS = dict(Article.Status.choices)


@never_cache
@desk_view("articles.view_article")
def history(request, article_id: int):
    """The story's events (newest first, paged), its revisions, an inline diff of two of
    them (?from=3&to=5; the newest two unless chosen) and a restore button for each.
    A fixed number of queries whatever the number of events and revisions: the events'
    page, the revisions without their content, then the two compared contents (and the
    names of the sections, series or bylines that changed, one query each)."""
    article = story_for(request.user, article_id)
    if request.method == "POST":
        return _restore(request, article)
    events = Paginator(selectors.history(article), EVENTS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    for event in events:
        event.action_label = labels.action_label(event.action)
        event.from_label = STATUS_LABELS.get(event.from_status, event.from_status)
        event.to_label = STATUS_LABELS.get(event.to_status, event.to_status)
        event.at = parse_datetime(event.data.get("at") or "") if event.data else None
    revisions = list(selectors.revisions(article).defer("content"))
    for revision in revisions:
        revision.reason_label = labels.reason_label(revision.reason)
    older, newer = _chosen(request, revisions)
    changes = []
    if older and newer and older != newer:
        contents = dict(
            selectors.revisions(article)
            .filter(number__in=[older.number, newer.number])
            .values_list("number", "content")
        )
        old, new = contents[older.number], contents[newer.number]
        changes = [
            (labels.field_label(change.field), change)
            for change in diffs.inline(old, new, _names(diffs.changed_fields(old, new), old, new))
        ]
    return render(
        request,
        "articles/desk/history.html",
        {
            "article": article,
            "events": events,
            "revisions": revisions,
            "older": older,
            "newer": newer,
            "changes": changes,
            "can_restore": permissions.can_edit(request.user, article),
        },
    )


def _chosen(request, revisions: list[Revision]) -> tuple[Revision | None, Revision | None]:
    """The two revisions to compare: those asked for, else the newest two (newest first)."""
    by_number = {str(revision.number): revision for revision in revisions}
    newest = revisions[0] if revisions else None
    before_newest = revisions[1] if len(revisions) > 1 else None
    return (
        by_number.get(request.GET.get("from", "")) or before_newest,
        by_number.get(request.GET.get("to", "")) or newest,
    )


def _names(fields: list[str], old: dict, new: dict) -> dict[str, dict]:
    """Readable names for the ids kept by the parts that changed: one query per kind."""
    names: dict[str, dict] = {"comment_mode": dict(CommentMode.choices)}

    def ids(field: str) -> set:
        values = []
        for content in (old, new):
            value = content.get(field)
            values.extend(value if isinstance(value, list) else [value])
        if field == "bylines":
            values = [entry.get("profile") for entry in values if isinstance(entry, dict)]
        return {value for value in values if isinstance(value, int)}

    wanted_sections = (ids("section") if "section" in fields else set()) | (
        ids("extra_sections") if "extra_sections" in fields else set()
    )
    if wanted_sections:
        sections = dict(Section.objects.filter(pk__in=wanted_sections).values_list("pk", "name"))
        names["section"] = names["extra_sections"] = sections
    if "series" in fields and ids("series"):
        names["series"] = dict(
            Series.objects.filter(pk__in=ids("series")).values_list("pk", "name")
        )
    if "bylines" in fields and ids("bylines"):
        names["bylines"] = dict(
            StaffProfile.objects.filter(pk__in=ids("bylines")).values_list("pk", "byline_name")
        )
    return names


def _restore(request, article: Article):
    """Bring back a revision's content as a new revision, for whoever may edit the story
    now. A page opened before someone else's save is refused with their name."""
    if not permissions.can_edit(request.user, article):
        raise NotAllowed(_("This story cannot be changed in its present state."))
    number = inputs.number(request.POST.get("restore", ""))
    revision = (
        selectors.revisions(article).filter(number=number).first() if number is not None else None
    )
    if revision is None:
        raise Http404
    base = request.POST.get("base_version", "")
    try:
        restored = workflow.restore_revision(
            article,
            revision,
            actor=request.user,
            base_version=inputs.number(base, 0),
        )
    except StoryRefused as error:
        messages.error(request, str(error))
    else:
        if restored.version == article.version:
            messages.info(
                request,
                _("Revision #%(number)s is what the story says now: nothing to restore.")
                % {"number": revision.number},
            )
        else:
            messages.success(
                request, _("Revision #%(number)s restored.") % {"number": revision.number}
            )
    return redirect("story_desk:history", article.pk)
