"""Desk notes: the internal thread on each story, for the staff who may open it.

The state changes (post_note, resolve_note, reopen_note) check the actor's right, lock,
write their row and (for resolving and reopening) one ArticleEvent. The thread's read
paths (thread, colleagues, paragraph_choices) live here too: they are this sub-domain's
only reads, and the editor page and the autocomplete call them.

Decisions, for whoever changes this:
- Posting a note writes no ArticleEvent: a note is not a change to the story, the note row
  is itself dated, signed (with a name snapshot) and never edited, and the history page
  would otherwise repeat every note. Resolving and reopening do write one
  ("note_resolved", "note_reopened", with the note's id): who closed a question, and when,
  is the audit the desk asks for, and the note row only keeps the latest.
- The editor's return note and the public corrections stay where the workflow writes them
  (the story's "return" and "corrected" ArticleEvents, with their note) and are merged into
  the thread when it is read: one source of truth, no copy that could disagree with the
  history (or be resolved away), and articles.workflow is untouched.
- Mentions name accounts, never text: byline names repeat and have spaces. Only colleagues
  who may open the story can be mentioned (articles.permissions.can_view): a mention of
  anyone else would lead them to a 404, and would tell them about a story they may not see.
- Notes are never in a revision (they are not the story's content), never on a reader's
  page, and never purge or fill the page cache: nothing here touches articles.dependencies.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from accounts.errors import require
from accounts.models import User
from accounts.names import display_name
from accounts.roles import ROLE_PERMISSIONS
from articles import notifications, paragraphs, permissions
from articles.errors import NoteBlank, NoteTooLong, NotMentionable, UnknownParagraph
from articles.events import record
from articles.models import Article, ArticleEvent, DeskNote
from articles.workflow import DOUBLE_SUBMIT_WINDOW

# Characters (code points, after a textarea's CRLF became LF) in one note.
NOTE_MAX_LENGTH = 2000
# How many colleagues the autocomplete offers for what was typed after "@".
COLLEAGUES_SHOWN = 10
# The workflow's steps whose note belongs in the thread, as their history rows keep it.
THREAD_EVENTS = ("return", "corrected")

# The roles that open every story (editors), and those that open their own (writers):
# what articles.permissions.can_view asks, as group names a query can match.
_OPEN_ANY = sorted(
    role for role, codenames in ROLE_PERMISSIONS.items() if "articles.publish_article" in codenames
)
_OPEN_OWN = sorted(
    role for role, codenames in ROLE_PERMISSIONS.items() if "articles.view_article" in codenames
)


# --- state changes ---------------------------------------------------------------------------


@transaction.atomic
def post_note(
    article: Article,
    *,
    actor: User,
    body: str,
    paragraph: int | None = None,
    mentions: list[int] | tuple[int, ...] = (),
) -> DeskNote:
    """A note in the story's thread, by anyone who may open the story, optionally on a
    paragraph of the saved body (by its index in articles.paragraphs) and mentioning
    colleagues by account id.

    Refuses a blank note (NoteBlank), one over NOTE_MAX_LENGTH (NoteTooLong), a paragraph
    the body does not have (UnknownParagraph) and a mention of anyone who cannot open the
    story (NotMentionable). The same note (text, paragraph, mentions) by the same person
    within the workflow's double-submit window is the note already written.
    History: none (see the module's docstring). Notifications: "mentioned", to each
    colleague mentioned."""
    article = Article.objects.select_for_update().get(pk=article.pk)
    require(permissions.can_view(actor, article))
    text = clean_body(body)
    anchor_text = ""
    if paragraph is not None:
        found = paragraphs.paragraphs(article.body)
        if not 0 <= paragraph < len(found):
            raise UnknownParagraph()
        anchor_text = found[paragraph]
    wanted = set(mentions) - {actor.pk}
    mentioned = list(colleagues(article).filter(pk__in=wanted)) if wanted else []
    if len(mentioned) != len(wanted):
        raise NotMentionable()
    # The story's row is locked: a second identical post waits here and then finds the first.
    repeat = _just_posted(article, actor, text, paragraph, wanted)
    if repeat is not None:
        return repeat
    note = DeskNote.objects.create(
        article=article,
        author=actor,
        author_name=display_name(actor),
        body=text,
        paragraph_index=paragraph,
        paragraph_text=anchor_text,
    )
    _mention(note, mentioned)
    return note


def _mention(note: DeskNote, users: list[User]) -> None:
    """Keep who the note mentions and tell them. The one place a mention happens: once
    per note, never for a repeated post."""
    note.mentions.set(users)
    if users:
        notifications.notify(
            notifications.Kind.MENTIONED,
            recipients=users,
            article=note.article,
            actor=note.author,
            key=f"note:{note.pk}:mention",
            data={"note": note.body[:300]},
        )


@transaction.atomic
def resolve_note(note: DeskNote, *, actor: User) -> DeskNote:
    """Mark a note as dealt with, by anyone who may open its story. Resolving a resolved
    note changes nothing (a repeated click). History: "note_resolved" with the note's id."""
    note = DeskNote.objects.select_for_update().select_related("article").get(pk=note.pk)
    require(permissions.can_view(actor, note.article))
    if note.resolved_at is not None:
        return note
    note.resolved_at, note.resolved_by = timezone.now(), actor
    note.resolved_by_name = display_name(actor)
    note.save(update_fields=["resolved_at", "resolved_by", "resolved_by_name"])
    _record(note, "note_resolved", actor)
    return note


@transaction.atomic
def reopen_note(note: DeskNote, *, actor: User) -> DeskNote:
    """Open a resolved note again. Reopening an open note changes nothing.
    History: "note_reopened" with the note's id."""
    note = DeskNote.objects.select_for_update().select_related("article").get(pk=note.pk)
    require(permissions.can_view(actor, note.article))
    if note.resolved_at is None:
        return note
    note.resolved_at, note.resolved_by, note.resolved_by_name = None, None, ""
    note.save(update_fields=["resolved_at", "resolved_by", "resolved_by_name"])
    _record(note, "note_reopened", actor)
    return note


def clean_body(body: str) -> str:
    """The note's text as kept: LF line ends, no blank edges; refused blank or too long."""
    text = (body or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        raise NoteBlank()
    if len(text) > NOTE_MAX_LENGTH:
        raise NoteTooLong(NOTE_MAX_LENGTH, len(text))
    return text


def _just_posted(
    article: Article, actor: User, text: str, paragraph: int | None, mentions: set[int]
) -> DeskNote | None:
    since = timezone.now() - DOUBLE_SUBMIT_WINDOW
    last = (
        DeskNote.objects.filter(article=article, author=actor, created_at__gte=since)
        .order_by("-created_at", "-pk")
        .first()
    )
    if (
        last is not None
        and last.body == text
        and last.paragraph_index == paragraph
        and set(last.mentions.values_list("pk", flat=True)) == mentions
    ):
        return last
    return None


def _record(note: DeskNote, action: str, actor: User) -> ArticleEvent:
    article = note.article
    return record(article, action, actor, article.status, article.status, data={"note": note.pk})


# --- reads -----------------------------------------------------------------------------------


def colleagues(article: Article, *, query: str = "", exclude: User | None = None) -> QuerySet:
    """The active staff who may open the story (editors; its writers and bylined staff with
    a writing role), by byline name: whom its notes may mention. One query."""
    authors = Q(pk=article.created_by_id) | Q(staff_profile__bylines__article=article)
    found = (
        User.objects.filter(is_active=True)
        .filter(Q(groups__name__in=_OPEN_ANY) | (Q(groups__name__in=_OPEN_OWN) & authors))
        .select_related("staff_profile")
        .order_by("staff_profile__byline_name", "pk")
        .distinct()
    )
    query = paragraphs.normalise(query)
    if query:
        found = found.filter(
            Q(staff_profile__byline_name__icontains=query) | Q(nickname__icontains=query)
        )
    if exclude is not None:
        found = found.exclude(pk=exclude.pk)
    return found


def colleague_label(user: User) -> dict:
    """What the autocomplete and the plain picker show of a colleague: the name the note's
    text gets, and what tells two of the same name apart."""
    profile = getattr(user, "staff_profile", None)
    detail = " · ".join(part for part in (profile.title if profile else "", user.email) if part)
    return {"id": user.pk, "name": display_name(user), "detail": detail}


def paragraph_choices(article: Article) -> list[tuple[int, str]]:
    """The saved body's paragraphs a note may point at: (index, the start of its text)."""
    return [
        (index, paragraphs.preview(text))
        for index, text in enumerate(paragraphs.paragraphs(article.body))
    ]


@dataclass
class ThreadItem:
    """One entry of the thread: a desk note, or a workflow step's note (the return to the
    reporter, a public correction) read from the story's history."""

    kind: str  # "note", "return" or "corrected"
    at: datetime
    by: str
    body: str
    note: DeskNote | None = None
    anchor: paragraphs.Anchor | None = None
    mentioned: list[dict] | None = None


def thread(article: Article) -> list[ThreadItem]:
    """The story's thread, oldest first: its notes (each paragraph note with where its
    paragraph is in the body now) merged with the return and correction notes of its
    history. Three queries whatever its length: the notes, their mentions, the events."""
    now = paragraphs.paragraphs(article.body)
    notes = DeskNote.objects.filter(article=article).prefetch_related(
        Prefetch("mentions", queryset=User.objects.select_related("staff_profile"))
    )
    items = [
        ThreadItem(
            kind="note",
            at=note.created_at,
            by=note.author_name,
            body=note.body,
            note=note,
            anchor=(
                paragraphs.anchor_state(note.paragraph_index, note.paragraph_text, now)
                if note.paragraph_index is not None
                else None
            ),
            mentioned=[colleague_label(user) for user in note.mentions.all()],
        )
        for note in notes
    ]
    events = (
        ArticleEvent.objects.filter(article=article, action__in=THREAD_EVENTS)
        .exclude(note="")
        .only("action", "actor_name", "note", "created_at")
    )
    items += [
        ThreadItem(kind=event.action, at=event.created_at, by=event.actor_name, body=event.note)
        for event in events
    ]
    items.sort(key=lambda item: item.at)
    return items
