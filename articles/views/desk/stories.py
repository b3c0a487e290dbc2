"""The reporter's desk: the dashboard of one's stories, the story editor and the preview.
Every change goes through articles.workflow; these views only read forms and show results."""

import uuid
from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist
from django.db import transaction
from django.http import HttpResponse, JsonResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts.errors import NotAllowed
from accounts.models import StaffProfile
from accounts.names import display_name
from accounts.permissions import desk_view
from accounts.roles import Role, roles_of
from articles import permissions, planning, selectors, workflow
from articles.errors import NoteRequired, StaleVersion, StoryRefused
from articles.forms import USE_LABELS, StoryForm, initial_from, photo_groups
from articles.models import Article, AutosaveDraft, CommentMode
from articles.views.desk import DONE_MESSAGES, story_for
from articles.views.desk import notes as note_views
from articles.views.desk import preview_links as preview_link_views
from articles.views.desk import sharing as sharing_views
from articles.views.public import story_page
from media.models import Photo
from newsroom import inputs

Status = Article.Status
PANEL_SIZE = 10
# The lifetimes an editor may give a preview link, in hours.
LINK_HOURS = (1, 6, 24, 72, 168)
PANEL_TITLES = {
    "returned": _("Returned to me"),
    "drafts": _("My drafts"),
    "submitted": _("Waiting for review"),
    "scheduled": _("Scheduled"),
    "published": _("Published"),
}


# django-prose-editor's toolbar names its buttons in English, and its dialogs ask
# window.gettext: the editor page gives both these translations.
EDITOR_LABELS = {
    "paragraph": _("Paragraph"),
    "Paragraph": _("Paragraph"),
    "Heading 2": _("Subheading"),
    "Heading 3": _("Small subheading"),
    "bold": _("Bold"),
    "italic": _("Italic"),
    "unordered list": _("Bulleted list"),
    "ordered list": _("Numbered list"),
    "blockquote": _("Quotation"),
    "insert link": _("Insert a link"),
    "remove link": _("Remove the link"),
    "undo": _("Undo"),
    "redo": _("Redo"),
    "URL": _("Address (URL)"),
    "Title": _("Link title"),
    "Edit Link": _("Edit the link"),
    "Update": _("Apply"),
    "Insert": _("Insert"),
    "Cancel": _("Cancel"),
    "List properties": _("List settings"),
}


@dataclass
class Panel:
    key: str
    title: str
    count: int
    stories: list
    page: int
    pages: int
    previous_url: str = ""
    next_url: str = ""


@never_cache
@desk_view()
def dashboard(request):
    """The signed-in staff member's stories, panel by panel, newest first. Each panel pages
    on its own (?drafts=2) and costs two queries whatever its length."""
    panels, assignments = [], []
    if permissions.can_create(request.user):
        now = timezone.now()
        assignments = planning.assignments_of(request.user)
        for assignment in assignments:
            assignment.late = planning.assignment_overdue(assignment, now)
        counts = selectors.desk_panel_counts(request.user)
        for key, _statuses, _order in selectors.DESK_PANELS:
            panels.append(_panel(request, key, counts[key]))
    roles = roles_of(request.user)
    return render(
        request,
        "articles/desk/dashboard.html",
        {
            "panels": panels,
            "assignments": assignments,
            "returned_count": next((p.count for p in panels if p.key == "returned"), 0),
            "role_labels": [label for value, label in Role.choices if value in roles],
        },
    )


def _panel(request, key: str, count: int) -> Panel:
    pages = max(1, -(-count // PANEL_SIZE))
    number = request.GET.get(key, "1")
    number = min(max(inputs.number(number, 1), 1), pages)
    start = (number - 1) * PANEL_SIZE
    stories = (
        list(selectors.desk_panel(request.user, key)[start : start + PANEL_SIZE]) if count else []
    )

    def page_url(target: int) -> str:
        query = request.GET.copy()
        query[key] = str(target)
        return f"?{query.urlencode()}#{key}"

    return Panel(
        key=key,
        title=PANEL_TITLES[key],
        count=count,
        stories=stories,
        page=number,
        pages=pages,
        previous_url=page_url(number - 1) if number > 1 else "",
        next_url=page_url(number + 1) if number < pages else "",
    )


@never_cache
@desk_view("articles.add_article")
def story_new(request):
    """A new story in the full editor; the first save creates the draft."""
    if request.method == "POST":
        form = StoryForm(request.POST)
        action = request.POST.get("action", "save")
        made = _draft_made_by(request, request.POST.get("draft_key", ""))
        if made is not None:
            return redirect("story_desk:edit", made.pk)
        if form.is_valid():
            content = form.content()
            section = form.cleaned_data["section"]
            try:
                with transaction.atomic():
                    article = workflow.create(
                        actor=request.user,
                        section=section,
                        headline=content.pop("headline"),
                        **{k: v for k, v in content.items() if k != "section"},
                    )
                    if action == "submit":
                        workflow.take_step(article, "submit", actor=request.user)
            except (NotAllowed, StoryRefused) as error:
                messages.error(request, str(error))
            else:
                _remember_draft(request, form.cleaned_data["draft_key"], article)
                messages.success(request, DONE_MESSAGES.get(action, DONE_MESSAGES["save"]))
                if action == "submit":
                    return redirect("story_desk:dashboard")
                return redirect("story_desk:edit", article.pk)
    else:
        profile = StaffProfile.objects.filter(user=request.user).first()
        form = StoryForm(
            initial={
                "base_version": 1,
                "comment_mode": CommentMode.INHERIT,
                "byline_1": profile.pk if profile else None,
                "draft_key": uuid.uuid4().hex,
            }
        )
    return _editor(
        request, form, article=None, rows=form.photo_rows, status=400 if form.is_bound else 200
    )


NEW_DRAFTS = "desk_new_drafts"


def _remember_draft(request, key: str, article: Article) -> None:
    if key:
        made = request.session.get(NEW_DRAFTS, {})
        made[key] = article.pk
        request.session[NEW_DRAFTS] = dict(list(made.items())[-20:])


def _draft_made_by(request, key: str) -> Article | None:
    """The draft an earlier post of this new-story page made, if the writer may still
    open it."""
    article_id = request.session.get(NEW_DRAFTS, {}).get(key) if key else None
    if article_id is None:
        return None
    article = Article.objects.filter(pk=article_id).first()
    return article if article and permissions.can_view(request.user, article) else None


@never_cache
@desk_view("articles.view_article")
def story_edit(request, article_id: int):
    article = story_for(request.user, article_id)
    editable = permissions.can_edit(request.user, article)
    if request.method == "POST":
        if not editable:
            if request.POST.get("action") == "submit":
                # A second click on "submit": the workflow knows a repeat and does nothing.
                workflow.take_step(article, "submit", actor=request.user)
                return redirect("story_desk:dashboard")
            raise NotAllowed(_("This story cannot be changed in its present state."))
        if request.POST.get("action") == "discard_autosave":
            workflow.discard_autosave(article, actor=request.user)
            messages.info(request, _("The autosaved copy was discarded."))
            return redirect("story_desk:edit", article.pk)
        return _save(request, article)
    return editor_page(
        request, article, editable=editable, restore=request.GET.get("restore") == "autosave"
    )


def editor_page(
    request,
    article: Article,
    *,
    editable: bool | None = None,
    restore: bool = False,
    note_draft: dict | None = None,
    status: int = 200,
):
    """The editor page of a saved story as it opens: marked as being edited (for whoever may
    edit it), with an offer of a newer autosaved copy (or that copy, when `restore`).
    A refused desk note comes back in `note_draft`, with the story as it is saved."""
    if editable is None:
        editable = permissions.can_edit(request.user, article)
    lock = workflow.open_for_editing(article, actor=request.user) if editable else None
    autosave = _newer_autosave(article, request.user) if editable else None
    if autosave and restore:
        form = StoryForm(QueryDict(urlencode(autosave.content["fields"], doseq=True)))
        form.is_valid()  # shows what the restored copy still lacks, like any posted form
        messages.info(request, _("The autosaved copy is back in the editor. Save to keep it."))
        return _editor(
            request, form, article=article, rows=form.photo_rows, lock=lock, note_draft=note_draft
        )
    initial, rows = initial_from(article)
    form = StoryForm(initial=initial)
    return _editor(
        request,
        form,
        article=article,
        rows=rows,
        lock=lock,
        autosave=autosave,
        note_draft=note_draft,
        status=status,
    )


def _save(request, article: Article):
    """Save the posted content, then take the step the button asked for, all or nothing.
    Any refusal shows the editor again with the writer's text as they sent it."""
    form = StoryForm(request.POST)
    action = request.POST.get("action", "save")
    if action not in DONE_MESSAGES:
        action = "save"
    if not form.is_valid():
        return _editor(request, form, article=article, rows=form.photo_rows, status=400)
    embargo = _posted_embargo(request)
    if embargo and embargo["until"] is None and request.POST.get("embargo_until", "").strip():
        messages.error(request, _("Choose the embargo's date and time."))
        return _editor(request, form, article=article, rows=form.photo_rows, status=400)
    try:
        article = workflow.take_step(
            article,
            action,
            actor=request.user,
            content=form.content(),
            base_version=form.cleaned_data["base_version"],
            note=request.POST.get(f"{action}_note", "").strip(),
            public_note=request.POST.get("public_note", ""),
            at=inputs.local_datetime(request.POST.get("publish_at", "")),
            embargo=embargo,
        )
    except StaleVersion as conflict:
        # The writer has now seen the other version: their next save may replace it.
        data = request.POST.copy()
        data["base_version"] = str(
            Article.objects.values_list("version", flat=True).get(pk=article.pk)
        )
        form = StoryForm(data)
        form.is_valid()
        messages.error(request, str(conflict))
        return _editor(
            request, form, article=article, rows=form.photo_rows, conflict=True, status=409
        )
    except NoteRequired as error:
        if action not in ("return", "correct", "unpublish"):
            # The embargo's note (a step without a note of its own): said at the top.
            messages.error(request, str(error))
            return _editor(request, form, article=article, rows=form.photo_rows, status=400)
        # Said under the step's own note, which the editor opens again.
        step_error = {"action": action, "message": str(error)}
        return _editor(
            request, form, article=article, rows=form.photo_rows, step_error=step_error, status=400
        )
    except (NotAllowed, StoryRefused) as error:
        messages.error(request, str(error))
        return _editor(request, form, article=article, rows=form.photo_rows, status=400)
    # Whatever comes next, the writer is done with this page: the editor page they land on
    # (if they may still edit) marks them as editing again.
    workflow.close_for_editing(article, actor=request.user)
    messages.success(request, DONE_MESSAGES[action])
    if action == "submit" or not permissions.can_view(request.user, article):
        return redirect("story_desk:dashboard")  # the writer's part is done
    return redirect("story_desk:edit", article.pk)


@desk_view("articles.view_article")
@require_POST
def story_autosave(request, article_id: int):
    """Keep the editor's unsaved text aside (never the story), and keep the edit lock fresh.
    Answers JSON for the editor's script."""
    article = story_for(request.user, article_id)
    if not permissions.can_edit(request.user, article):
        raise NotAllowed
    base_version = request.POST.get("base_version", "")
    fields = {
        name: request.POST.getlist(name)
        for name in request.POST
        if name not in ("csrfmiddlewaretoken", "action")
    }
    draft = workflow.autosave(
        article,
        actor=request.user,
        base_version=inputs.number(base_version, article.version),
        content={"fields": fields},
    )
    lock = workflow.open_for_editing(article, actor=request.user)
    saved_at = formats.time_format(timezone.localtime(draft.saved_at), "H:i:s")
    return JsonResponse(
        {
            "saved_at": saved_at,
            "message": str(_("Autosaved at %(time)s") % {"time": saved_at}),
            "lock": _lock_message(lock),
        }
    )


@desk_view("articles.view_article")
@require_POST
def story_release(request, article_id: int):
    """The editor page was left: others need no longer be warned."""
    article = story_for(request.user, article_id)
    workflow.close_for_editing(article, actor=request.user)
    return HttpResponse(status=204)


@never_cache
@desk_view("articles.view_article")
def story_preview(request, article_id: int):
    """The story exactly as readers would see it, in any state; never cached or indexed."""
    story_for(request.user, article_id)
    response = story_page(
        request, selectors.story_for_reader(article_id), preview=True, from_desk=True
    )
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _posted_embargo(request) -> dict | None:
    """The editor's embargo fields, when the page had them (only for those who may set or
    change the embargo): None leaves the embargo as it is."""
    if "embargo_until" not in request.POST:
        return None
    return {
        "until": inputs.local_datetime(request.POST.get("embargo_until", "")),
        "source": request.POST.get("embargo_source", ""),
        "note": request.POST.get("embargo_note", ""),
    }


def _newer_autosave(article: Article, user) -> AutosaveDraft | None:
    draft = AutosaveDraft.objects.filter(article=article, user=user).first()
    if draft and draft.saved_at > article.last_saved_at and "fields" in draft.content:
        return draft
    return None


def _lock_message(lock) -> str:
    if lock is None or lock.holder is None:
        return ""
    return str(
        _(
            "%(who)s has been editing this story since %(when)s. You may go on, but save "
            "with care: the later save will be refused until you compare."
        )
        % {
            "who": display_name(lock.holder),
            "when": formats.time_format(timezone.localtime(lock.since), "H:i"),
        }
    )


def _assignment_of(article: Article | None):
    """The planning board's assignment the story was started from, if any (story_for
    reads it with the story)."""
    if article is None:
        return None
    try:
        return article.assignment
    except ObjectDoesNotExist:
        return None


def _actions(user, article: Article | None) -> list[str]:
    """The buttons this person may press on this story in its present state."""
    if article is None:
        return ["save", "submit"]
    if not permissions.can_edit(user, article):
        return []
    status, table = article.status, workflow.TRANSITIONS
    editor = permissions.is_editor(user)
    direct = permissions.can_publish_directly(user, article)
    allowed = {
        "save": True,
        "submit": permissions.can_submit(user, article) and status in table["submit"].sources,
        "publish": direct and status in table["publish"].sources,
        "schedule": direct and status in table["schedule"].sources | table["reschedule"].sources,
        "cancel_schedule": editor and status in table["cancel_schedule"].sources,
        "return": editor and status in table["return"].sources,
        "correct": editor and status == Status.PUBLISHED,
        "unpublish": editor and status in table["unpublish"].sources,
        "republish": editor and status in table["republish"].sources,
    }
    return [name for name, ok in allowed.items() if ok]


def _editor(
    request,
    form: StoryForm,
    *,
    article: Article | None,
    rows: list[dict],
    lock=None,
    autosave: AutosaveDraft | None = None,
    conflict: bool = False,
    step_error: dict | None = None,
    note_draft: dict | None = None,
    status: int = 200,
):
    photos = Photo.objects.prefetch_related("renditions").in_bulk([row["photo_id"] for row in rows])
    rows = [{**row, "photo": photos[row["photo_id"]]} for row in rows if row["photo_id"] in photos]
    lead = next((row["key"] for row in rows if row["entry"].get("is_lead")), "")
    sharing = article is not None and permissions.can_share_preview(request.user, article)
    embargo_editable = article is not None and (
        permissions.can_change_embargo(request.user, article)
        if article.embargo_until
        else permissions.can_set_embargo(request.user, article)
    )
    posted_embargo = (
        {
            "until": request.POST.get("embargo_until", ""),
            "source": request.POST.get("embargo_source", ""),
            "note": request.POST.get("embargo_note", ""),
        }
        if request.method == "POST" and "embargo_until" in request.POST
        else None
    )
    response = render(
        request,
        "articles/desk/editor.html",
        {
            "form": form,
            "article": article,
            "photo_groups": photo_groups(rows, lead_key=lead, body=form["body"].value() or ""),
            "use_labels": USE_LABELS,
            "lead_key": lead,
            "actions": _actions(request.user, article),
            "editable": article is None or permissions.can_edit(request.user, article),
            "lock_message": _lock_message(lock),
            "autosave": autosave,
            "conflict": conflict,
            "step_error": step_error,
            "autosave_seconds": settings.DESK_AUTOSAVE_SECONDS,
            "picker_url": f"{reverse('media:picker')}?{urlencode({'target': request.path})}",
            "can_share_preview": sharing,
            "embargo_editable": embargo_editable,
            "posted_embargo": posted_embargo,
            "can_spike": article is not None and permissions.can_spike(request.user, article),
            "can_restore": article is not None and permissions.can_restore(request.user, article),
            "preview_links": preview_link_views.links_for(article) if sharing else [],
            "link_hours": LINK_HOURS,
            "editor_labels": {english: str(label) for english, label in EDITOR_LABELS.items()},
            "fanout": sharing_views.fanout_status(request.user, article) if article else None,
            "desk_notes": (
                note_views.panel(request.user, article, note_draft) if article else None
            ),
            "assignment": _assignment_of(article),
        },
        status=status,
    )
    return response
