"""The story's desk notes on the editor page: posting one, resolving and reopening it,
and the colleagues' autocomplete behind "@". Every change goes through articles.notes;
the thread itself is drawn by the editor page (stories._editor)."""

from django.contrib import messages
from django.http import Http404, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from accounts.permissions import desk_view
from articles import notes, paragraphs
from articles.errors import StoryRefused
from articles.models import DeskNote
from articles.views.desk import story_for
from newsroom import inputs


@desk_view("articles.view_article")
@require_POST
def note_post(request, article_id: int):
    """Post a note; a refused one (blank, too long, a stale paragraph or mention) shows the
    editor page again with the text as it was sent."""
    article = story_for(request.user, article_id)
    paragraph = request.POST.get("paragraph", "")
    # A value that is no paragraph or no account (a forged or mangled form) is refused as
    # one the story does not have, not quietly dropped.
    mentions = [inputs.number(value, -1) for value in request.POST.getlist("mentions")]
    try:
        notes.post_note(
            article,
            actor=request.user,
            body=request.POST.get("body", ""),
            paragraph=inputs.number(paragraph, -1) if paragraph else None,
            mentions=mentions,
        )
    except StoryRefused as error:
        # Imported here: the story editor's module imports this one (for panel()).
        from articles.views.desk.stories import editor_page

        draft = {
            "body": request.POST.get("body", ""),
            "paragraph": paragraph,
            "mentions": {str(value) for value in mentions},
            "error": str(error),
        }
        return editor_page(request, article, note_draft=draft, status=400)
    messages.success(request, _("Your note is in the thread."))
    return redirect(f"{reverse('story_desk:edit', args=[article.pk])}#desk-notes")


@desk_view("articles.view_article")
@require_POST
def note_resolve(request, article_id: int, note_id: int):
    return _change(request, article_id, note_id, notes.resolve_note, _("The note is resolved."))


@desk_view("articles.view_article")
@require_POST
def note_reopen(request, article_id: int, note_id: int):
    return _change(request, article_id, note_id, notes.reopen_note, _("The note is open again."))


def _change(request, article_id: int, note_id: int, change, done):
    article = story_for(request.user, article_id)
    note = DeskNote.objects.filter(pk=note_id, article=article).first()
    if note is None:
        raise Http404
    change(note, actor=request.user)
    messages.success(request, done)
    return redirect(f"{reverse('story_desk:edit', args=[article.pk])}#note-{note.pk}")


@never_cache
@desk_view("articles.view_article")
@require_GET
def colleagues(request, article_id: int):
    """The colleagues who may open the story whose name holds ?q= (what follows "@"),
    as JSON for desk-notes.js: at most COLLEAGUES_SHOWN, the asker left out."""
    article = story_for(request.user, article_id)
    found = notes.colleagues(article, query=request.GET.get("q", "")[:60], exclude=request.user)
    return JsonResponse(
        {"colleagues": [notes.colleague_label(user) for user in found[: notes.COLLEAGUES_SHOWN]]}
    )


def panel(user, article, draft: dict | None = None) -> dict:
    """What the editor page shows of the thread: the notes on paragraphs beside the
    paragraph they are on now (in the body's order; those whose paragraph went, after),
    the rest of the thread in time order, and the new note's form (the paragraphs and the
    colleagues it may name; a refused note's text back in it). Four queries: the thread's
    three and the colleagues."""
    items = notes.thread(article)
    now = paragraphs.paragraphs(article.body)
    beside: dict[int, list] = {}
    gone, general = [], []
    for item in items:
        if item.anchor is None:
            general.append(item)
        elif item.anchor.index is None:
            gone.append(item)
        else:
            beside.setdefault(item.anchor.index, []).append(item)
    return {
        "on_text": [
            {"number": index + 1, "text": now[index], "items": beside[index]}
            for index in sorted(beside)
        ],
        "gone": gone,
        "general": general,
        "open_count": sum(1 for item in items if item.note and not item.note.is_resolved),
        "paragraphs": [
            {"index": index, "number": index + 1, "text": text}
            for index, text in notes.paragraph_choices(article)
        ],
        "colleagues": [
            notes.colleague_label(colleague)
            for colleague in notes.colleagues(article, exclude=user)
        ],
        "draft": draft or {},
        "max_length": notes.NOTE_MAX_LENGTH,
    }
