"""Every change to a story: its content, its state and its schedule.

Each function checks the actor's right, locks and re-reads the row, checks the state
against TRANSITIONS, changes the rows, writes one ArticleEvent and schedules background work
through the outbox (sent after commit). `actor=None` is the system (the scheduler).
Views, the admin, commands and tasks call these; none of them sets a status itself.
"""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F, ProtectedError, Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from accounts.errors import require
from accounts.models import StaffProfile, User
from accounts.names import display_name
from articles import dependencies, notifications, permissions, sanitize, webhooks
from articles.errors import (
    EmbargoAlreadySet,
    EmbargoInForce,
    EmbargoSourceRequired,
    ForeignRevision,
    FrontPageChanged,
    FrontPageFull,
    IllegalTransition,
    NoEmbargo,
    NotCurated,
    NoteRequired,
    NotPlaceable,
    NotSpikeable,
    PreviewLinkLifetime,
    StaleVersion,
    TimeInThePast,
    TimeRequired,
    UnknownSeries,
)
from articles.events import record
from articles.models import (
    Article,
    ArticleEvent,
    AutosaveDraft,
    Byline,
    Correction,
    FrontChange,
    FrontSlot,
    PhotoUse,
    PreviewLink,
    Revision,
    Section,
    Series,
    Tag,
)
from articles.search import index as search
from articles.sharing import fanout
from media.models import Photo

Status = Article.Status
logger = logging.getLogger(__name__)
# A second identical click within this window is the same request, not a new one.
DOUBLE_SUBMIT_WINDOW = timedelta(seconds=30)
# The soft edit lock warns others for this long after the editor's last sign of life.
EDIT_LOCK_TTL = timedelta(minutes=15)
# A spiked story stays in the trash this long, then the periodic purge deletes it.
TRASH_DAYS = 30


@dataclass(frozen=True)
class Transition:
    sources: frozenset[str]
    target: str


TRANSITIONS: dict[str, Transition] = {
    "submit": Transition(frozenset({Status.DRAFT, Status.RETURNED}), Status.SUBMITTED),
    "return": Transition(frozenset({Status.SUBMITTED, Status.SCHEDULED}), Status.RETURNED),
    "publish": Transition(
        frozenset({Status.DRAFT, Status.SUBMITTED, Status.SCHEDULED}), Status.PUBLISHED
    ),
    "schedule": Transition(frozenset({Status.DRAFT, Status.SUBMITTED}), Status.SCHEDULED),
    "reschedule": Transition(frozenset({Status.SCHEDULED}), Status.SCHEDULED),
    "cancel_schedule": Transition(frozenset({Status.SCHEDULED}), Status.SUBMITTED),
    "unpublish": Transition(frozenset({Status.PUBLISHED}), Status.UNPUBLISHED),
    "republish": Transition(frozenset({Status.UNPUBLISHED}), Status.PUBLISHED),
    # Spiking a submitted or scheduled story takes it back to draft first (two rows).
    "withdraw": Transition(frozenset({Status.SUBMITTED, Status.SCHEDULED}), Status.DRAFT),
    "spike": Transition(frozenset({Status.DRAFT, Status.RETURNED}), Status.SPIKED),
    "restore": Transition(frozenset({Status.SPIKED}), Status.DRAFT),
}

# The fields of a story that a revision keeps and a restore brings back.
TEXT_FIELDS = (
    "headline",
    "subheadline",
    "summary",
    "body",
    "comment_mode",
    "share_title",
    "share_description",
)


# --- content -------------------------------------------------------------------------------


@transaction.atomic
def create(*, actor: User, section: Section, headline: str, **content) -> Article:
    """A new draft with the actor's byline. History: "created"; revision 1."""
    require(permissions.can_create(actor))
    article = Article.objects.create(
        section=section,
        headline=headline.strip(),
        created_by=actor,
        last_saved_by=actor,
    )
    profile = StaffProfile.objects.filter(user=actor).first()
    content.setdefault(
        "bylines", [{"profile": profile.pk}] if profile else [{"guest": actor.email}]
    )
    _apply(article, {"headline": headline, "section": section.pk, **content})
    article.save()
    _revise(article, actor, reason="created")
    record(article, "created", actor, "", Status.DRAFT)
    return article


def save(
    article: Article, *, actor: User, base_version: int, content: dict, reason: str = ""
) -> Article:
    """Save new content, from the version the editor started with.

    Refuses (StaleVersion, carrying the submitted content) a save started from an older
    version, unless it is the same content again (a double submit: nothing is written).
    A published story's save is an update ("수정") and rewrites its search entry.
    History: "saved" or "updated"; one new revision. Tasks: articles.fan_out_share when a
    shared field of a published story changed; articles.deliver_webhook ("updated") per
    partner endpoint asking for it.
    """
    return _save(article, actor=actor, base_version=base_version, content=content, reason=reason)


def correct(
    article: Article,
    *,
    actor: User,
    base_version: int,
    note: str,
    content: dict | None = None,
    kind: str = Correction.Kind.CORRECTION,
) -> Article:
    """A public, dated correction of a published story (editors only; the note is what
    readers see under the story), saved with any content changes made with it. `kind`: a
    press-arbitration notice published through articles.claims (정정보도, 반론보도, 추후보도).
    History: "corrected"; one new revision. Tasks: as for save. Notifications:
    "corrected", with the note, to the bylined staff."""
    require(permissions.is_editor(actor))
    if not note.strip():
        raise NoteRequired(_("Write the correction readers will see."))
    return _save(
        article,
        actor=actor,
        base_version=base_version,
        content=content or {},
        correction_note=note,
        correction_kind=kind,
    )


@transaction.atomic
def _save(
    article: Article,
    *,
    actor: User,
    base_version: int,
    content: dict,
    correction_note: str = "",
    correction_kind: str = Correction.Kind.CORRECTION,
    reason: str = "",
) -> Article:
    article = _lock(article)
    require(permissions.can_edit(actor, article))
    correction_note = correction_note.strip()
    if correction_note and article.status != Status.PUBLISHED:
        # Checked on the locked row: the story may have been taken down meanwhile.
        raise IllegalTransition("correct", article.get_status_display())
    if article.version != base_version:
        if _same_content(article, content):
            return article
        raise StaleVersion(
            saved_by=display_name(article.last_saved_by),
            saved_at=article.last_saved_at,
            submitted=content,
        )
    shown_before = dependencies.of_story(article) if article.status == Status.PUBLISHED else set()
    changed = _apply(article, content)
    if not changed and not correction_note:
        return article
    now = timezone.now()
    action = "saved"
    if article.status == Status.PUBLISHED:
        article.revised_at = now
        action = "corrected" if correction_note else "updated"
        if correction_note:
            Correction.objects.create(
                article=article, note=correction_note, kind=correction_kind, created_by=actor
            )
    article.version += 1
    article.last_saved_by, article.last_saved_at = actor, now
    article.save()
    if article.status == Status.PUBLISHED:
        search.index_story(article)  # readers search what they read: in this transaction
        dependencies.story_changed(article, before=shown_before)
    # The networks' card, when a shared field (headline, share title or description,
    # summary, lead photo) changed.
    fanout.trigger(article, reason=action)
    _revise(article, actor, reason=reason or action)
    AutosaveDraft.objects.filter(article=article, user=actor).delete()
    event = record(
        article,
        action,
        actor,
        article.status,
        article.status,
        correction_note,
        {"version": article.version, "changed": changed},
    )
    if action == "corrected":
        notifications.story_event(event, article, actor)
    if action != "saved":  # a published story's update or correction: the partners hear
        webhooks.announce(article, action, event.pk)
    return article


def restore_revision(
    article: Article, revision: Revision, *, actor: User, base_version: int
) -> Article:
    """Bring back an earlier revision's content, as a new revision."""
    if revision.article_id != article.pk:
        raise ForeignRevision()
    return save(
        article,
        actor=actor,
        base_version=base_version,
        content=revision.content,
        reason=f"restored #{revision.number}",
    )


@transaction.atomic
def autosave(article: Article, *, actor: User, base_version: int, content: dict) -> AutosaveDraft:
    """Keep the editor's unsaved work aside. The story and its version are untouched."""
    require(permissions.can_edit(actor, article))
    draft, _created = AutosaveDraft.objects.update_or_create(
        article=article,
        user=actor,
        defaults={"content": content, "base_version": base_version, "saved_at": timezone.now()},
    )
    return draft


def discard_autosave(article: Article, *, actor: User) -> None:
    """Throw away the actor's autosaved copy of the story (they chose the saved one)."""
    AutosaveDraft.objects.filter(article=article, user=actor).delete()


@dataclass(frozen=True)
class EditLock:
    holder: User | None  # someone else editing the story now, or None
    since: datetime | None


@transaction.atomic
def open_for_editing(article: Article, *, actor: User) -> EditLock:
    """Mark the story as being edited by the actor, unless someone else is: then tell who,
    and since when. It only warns; nobody is kept out."""
    require(permissions.can_edit(actor, article))
    article = _lock(article)
    now = timezone.now()
    fresh = article.editing_since and now - article.editing_since < EDIT_LOCK_TTL
    if article.editing_by_id not in (None, actor.pk) and fresh:
        return EditLock(article.editing_by, article.editing_since)
    article.editing_by, article.editing_since = actor, now
    article.save(update_fields=["editing_by", "editing_since"])
    return EditLock(None, None)


def close_for_editing(article: Article, *, actor: User) -> None:
    Article.objects.filter(pk=article.pk, editing_by=actor).update(
        editing_by=None, editing_since=None
    )


# --- state ---------------------------------------------------------------------------------


@transaction.atomic
def submit(article: Article, *, actor: User) -> Article:
    """Draft or returned → submitted, for review. The editor's return note is cleared.
    Notifications: "submitted", to the editors whose desk covers the story's section."""
    article, event = _move(
        article,
        "submit",
        actor=actor,
        allowed=lambda story: permissions.can_submit(actor, story),
        return_note="",
    )
    if event is not None:
        notifications.story_event(event, article, actor)
    return article


@transaction.atomic
def return_for_changes(article: Article, *, actor: User, note: str) -> Article:
    """Submitted (or scheduled) → returned, with a note the reporter sees until they
    resubmit. Notifications: "returned", with the note, to the bylined staff and the
    story's creator (their e-mails: articles.email_notifications)."""
    if not note.strip():
        raise NoteRequired(_("Tell the reporter what to change."))
    article, event = _move(
        article,
        "return",
        actor=actor,
        allowed=lambda story: permissions.is_editor(actor),
        note=note.strip(),
        return_note=note.strip(),
        scheduled_publish_at=None,
    )
    if event is not None:
        notifications.story_event(event, article, actor)
    return article


@transaction.atomic
def publish(article: Article, *, actor: User | None) -> Article:
    """Submitted, scheduled, or an editor's own draft → published now. The first
    publication sets "입력"; a later one (after unpublishing) keeps it. The story enters
    search. Refused (EmbargoInForce) before a story's embargo is lifted: every way to
    publish (the desk, the admin, the scheduler) comes through here.
    Tasks: articles.fan_out_share (the networks' card), articles.deliver_webhook
    ("published") per partner endpoint asking for it. Notifications: "published", to the
    bylined staff (also when the scheduler publishes: actor None)."""
    article, event = _move(
        article,
        "publish",
        actor=actor,
        allowed=lambda story: actor is None or permissions.can_publish_directly(actor, story),
        check=lambda story: _not_embargoed(story, timezone.now()),
        published_at=article.published_at or timezone.now(),
        scheduled_publish_at=None,
    )
    search.index_story(article)
    dependencies.story_changed(article)
    fanout.trigger(article, reason="published" if actor else "scheduled")
    webhooks.announce(article, "published", event.pk if event else None)
    if event is not None:
        notifications.story_event(event, article, actor)
    return article


@transaction.atomic
def schedule(article: Article, *, actor: User, at: datetime) -> Article:
    """Publish later: the periodic sweep publishes it within a minute of `at`. A scheduled
    story is rescheduled the same way. Refused (EmbargoInForce) for a time before the
    story's embargo. Nothing public is prepared here: the share card, its image, the
    fan-out, search, the sitemaps and feeds and the page-cache purge all wait for publish().
    Notifications: "scheduled", to the bylined staff."""
    if at <= timezone.now():
        raise TimeInThePast()
    current = (
        Article.objects.filter(pk=article.pk).values_list("status", "scheduled_publish_at").first()
    )
    if current == (Status.SCHEDULED, at):
        return _lock(article)  # already set for that time: a repeated click changes nothing
    action = "reschedule" if current[0] == Status.SCHEDULED else "schedule"
    article, event = _move(
        article,
        action,
        actor=actor,
        allowed=lambda story: permissions.can_publish_directly(actor, story),
        check=lambda story: _not_embargoed(story, at),
        scheduled_publish_at=at,
        data={"at": at.isoformat()},
    )
    if event is not None:
        notifications.story_event(event, article, actor)
    return article


def schedule_at_embargo(article: Article, *, actor: User) -> Article:
    """Schedule the story for the moment its embargo lifts (the decide page's one step)."""
    current = Article.objects.filter(pk=article.pk).values_list("embargo_until", flat=True).first()
    if current is None:
        raise NoEmbargo()
    return schedule(article, actor=actor, at=current)


# --- embargoes -----------------------------------------------------------------------------


@transaction.atomic
def set_embargo(
    article: Article, *, actor: User, until: datetime, source: str, note: str = ""
) -> Article:
    """Put an embargo on a story not yet published: it cannot be published or scheduled
    before `until`. The story's reporter (while they may edit it) or an editor; once set,
    only an editor moves or lifts it (move_embargo, lift_embargo). A scheduled story whose
    time comes before the lift is rescheduled to the lift. History: "embargo_set"."""
    article = _lock(article)
    require(permissions.can_set_embargo(actor, article))
    source = source.strip()[:120]
    if article.embargo_until is not None:
        if (article.embargo_until, article.embargo_source) == (until, source):
            return article  # a repeated click
        raise EmbargoAlreadySet()
    if not source:
        raise EmbargoSourceRequired()
    return _put_embargo(article, "embargo_set", actor, until=until, source=source, note=note)


@transaction.atomic
def move_embargo(
    article: Article,
    *,
    actor: User,
    until: datetime,
    note: str,
    source: str | None = None,
) -> Article:
    """An editor moves a story's embargo (earlier or later; the source may change too),
    saying why. A scheduled story whose time would come before the new lift is
    rescheduled to it. History: "embargo_moved" with the old and new times."""
    if not note.strip():
        raise NoteRequired(_("Say why the embargo moves."))
    article = _lock(article)
    require(permissions.can_change_embargo(actor, article))
    if article.embargo_until is None:
        raise NoEmbargo()
    source = article.embargo_source if source is None else source.strip()[:120]
    if not source:
        raise EmbargoSourceRequired()
    if (article.embargo_until, article.embargo_source) == (until, source):
        return article
    before = {"from": article.embargo_until.isoformat()}
    return _put_embargo(
        article, "embargo_moved", actor, until=until, source=source, note=note, data=before
    )


@transaction.atomic
def lift_embargo(article: Article, *, actor: User, note: str) -> Article:
    """An editor lifts a story's embargo at once, saying why: it may be published now.
    History: "embargo_lifted" with the time and source it had."""
    if not note.strip():
        raise NoteRequired(_("Say why the embargo is lifted."))
    article = _lock(article)
    require(permissions.can_change_embargo(actor, article))
    if article.embargo_until is None:
        raise NoEmbargo()
    before, source = article.embargo_until, article.embargo_source
    article.embargo_until, article.embargo_source = None, ""
    article.save(update_fields=["embargo_until", "embargo_source"])
    record(
        article,
        "embargo_lifted",
        actor,
        article.status,
        article.status,
        note.strip(),
        {"was": before.isoformat(), "source": source},
    )
    return article


def change_embargo(
    article: Article, *, actor: User, until: datetime | None, source: str, note: str = ""
) -> Article:
    """The story editor's embargo fields, as sent: a first embargo is set, a changed one
    moved, an emptied one lifted (those two an editor's, with the note); the same again
    changes nothing."""
    current = Article.objects.values_list("embargo_until", "embargo_source").get(pk=article.pk)
    source = source.strip()
    if current[0] is None:
        if until is None:
            return article
        return set_embargo(article, actor=actor, until=until, source=source, note=note)
    if until is None:
        return lift_embargo(article, actor=actor, note=note)
    if (until, source or current[1]) == current:
        return article
    return move_embargo(article, actor=actor, until=until, source=source or None, note=note)


def _put_embargo(
    article: Article,
    action: str,
    actor: User,
    *,
    until: datetime,
    source: str,
    note: str,
    data: dict | None = None,
) -> Article:
    """The locked story's embargo set to `until` (in the future) by `source`, a scheduled
    time kept after it, and the history row."""
    if until <= timezone.now():
        raise TimeInThePast()
    article.embargo_until, article.embargo_source = until, source
    moved = _schedule_after_embargo(article)
    article.save(update_fields=["embargo_until", "embargo_source", "scheduled_publish_at"])
    details = {**(data or {}), "until": until.isoformat(), "source": source, **moved}
    record(article, action, actor, article.status, article.status, note.strip(), details)
    return article


def _not_embargoed(article: Article, at: datetime) -> None:
    if article.embargo_until is not None and at < article.embargo_until:
        raise EmbargoInForce(until=article.embargo_until, source=article.embargo_source)


def _schedule_after_embargo(article: Article) -> dict:
    """Keep a scheduled story's time at or after its embargo (the caller saves)."""
    if (
        article.status == Status.SCHEDULED
        and article.embargo_until is not None
        and article.scheduled_publish_at < article.embargo_until
    ):
        article.scheduled_publish_at = article.embargo_until
        return {"rescheduled_to": article.embargo_until.isoformat()}
    return {}


# --- the trash -----------------------------------------------------------------------------


@transaction.atomic
def spike(article: Article, *, actor: User, note: str = "") -> Article:
    """Put a story in the trash (휴지통): off every desk and reader list, restorable for
    TRASH_DAYS, then purged. Reporters spike their own draft, returned or submitted story;
    editors any of those and a scheduled one. A submitted or scheduled story goes back to
    draft first, as its own recorded step in the same transaction ("withdraw", its schedule
    cleared), so the history reads as what happened and the scheduler, blocked by the
    lock, can never publish it in between. Published and taken-down stories are refused
    (NotSpikeable): they are only ever taken down.
    History: "withdraw" (when needed), then "spike". Tasks: none (it was never public)."""
    current = _lock(article)
    if current.status in (Status.PUBLISHED, Status.UNPUBLISHED):
        raise NotSpikeable(current.get_status_display())
    if current.status in TRANSITIONS["withdraw"].sources:
        require(permissions.can_spike(actor, current))
        article, _event = _move(
            current,
            "withdraw",
            actor=actor,
            allowed=lambda story: permissions.can_spike(actor, story),
            note=note.strip(),
            scheduled_publish_at=None,
        )
    article, _event = _move(
        article,
        "spike",
        actor=actor,
        allowed=lambda story: permissions.can_spike(actor, story),
        note=note.strip(),
        spiked_at=timezone.now(),
        editing_by=None,
        editing_since=None,
    )
    return article


@transaction.atomic
def restore(article: Article, *, actor: User) -> Article:
    """Out of the trash, back to draft, with its history and revisions as they were. The
    story's reporter or an editor. History: "restore"."""
    article, _event = _move(
        article,
        "restore",
        actor=actor,
        allowed=lambda story: permissions.can_restore(actor, story),
        spiked_at=None,
    )
    return article


def purge_trash(now: datetime | None = None) -> int:
    """Delete the stories spiked TRASH_DAYS ago or more, each in its own transaction,
    re-checked under its lock (restored meanwhile: kept). Each purge leaves a "purged"
    history row (kept, with the headline, when the story is gone) and a log line. Safe to
    run twice at once. Returns how many were purged."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=TRASH_DAYS)
    due = Article.objects.filter(status=Status.SPIKED, spiked_at__lte=cutoff).values_list(
        "pk", flat=True
    )
    purged = 0
    for article_id in list(due):
        try:
            purged += _purge_one(article_id, cutoff)
        except ProtectedError:
            # Another app's row holds on to the story: it stays in the trash, said loudly.
            logger.warning("Story %s stays in the trash: other rows protect it", article_id)
    return purged


@transaction.atomic
def _purge_one(article_id: int, cutoff: datetime) -> int:
    article = Article.objects.select_for_update().filter(pk=article_id).first()
    if article is None or article.status != Status.SPIKED or article.spiked_at > cutoff:
        return 0  # purged by another run, or restored meanwhile
    record(
        article,
        "purged",
        None,
        Status.SPIKED,
        "",
        data={"article": article.pk, "spiked_at": article.spiked_at.isoformat()},
    )
    story_id, headline, spiked_at = article.pk, article.headline, article.spiked_at
    article.delete()  # its revisions, bylines, photo uses and links with it
    logger.info("Purged story %s (%r), spiked at %s", story_id, headline, spiked_at.isoformat())
    return 1


@transaction.atomic
def cancel_schedule(article: Article, *, actor: User) -> Article:
    article, _event = _move(
        article,
        "cancel_schedule",
        actor=actor,
        allowed=lambda story: permissions.is_editor(actor),
        scheduled_publish_at=None,
    )
    return article


@transaction.atomic
def unpublish(
    article: Article, *, actor: User | None, reason: str, public_note: str = ""
) -> Article:
    """Take a story down. The reason stays internal; the public note is what its 410 page
    says. The story leaves search (feeds and sitemaps list only published stories).
    Tasks: articles.fan_out_share (the networks drop the card), articles.deliver_webhook
    ("unpublished"). Notifications:
    "unpublished", to the bylined staff."""
    if not reason.strip():
        raise NoteRequired(_("Give the internal reason for taking the story down."))
    article, event = _move(
        article,
        "unpublish",
        actor=actor,
        allowed=lambda story: actor is None or permissions.is_editor(actor),
        note=reason.strip(),
        unpublish_reason=reason.strip(),
        unpublished_note=public_note.strip(),
        scheduled_unpublish_at=None,
    )
    search.drop_story(article)
    dependencies.story_changed(article)
    fanout.trigger(article, reason="unpublished")  # the networks should drop the card
    webhooks.announce(article, "unpublished", event.pk if event else None)
    if event is not None:
        notifications.story_event(event, article, actor)
    return article


@transaction.atomic
def republish(article: Article, *, actor: User) -> Article:
    article, event = _move(
        article,
        "republish",
        actor=actor,
        allowed=lambda story: permissions.is_editor(actor),
        unpublish_reason="",
        unpublished_note="",
    )
    search.index_story(article)  # back in search, with the text it has now
    dependencies.story_changed(article)
    fanout.trigger(article, reason="republished")
    webhooks.announce(article, "published", event.pk if event else None)  # back up
    return article


@transaction.atomic
def schedule_unpublish(article: Article, *, actor: User, at: datetime | None) -> Article:
    """Take a published story down at `at` (None cancels). History: "unpublish_scheduled"."""
    require(permissions.is_editor(actor))
    article = _lock(article)
    if article.status != Status.PUBLISHED:
        raise IllegalTransition("schedule_unpublish", article.get_status_display())
    if at is not None and at <= timezone.now():
        raise TimeInThePast()
    if article.scheduled_unpublish_at == at:
        return article  # already so: a repeated click changes nothing
    article.scheduled_unpublish_at = at
    article.save(update_fields=["scheduled_unpublish_at"])
    record(
        article,
        "unpublish_scheduled",
        actor,
        article.status,
        article.status,
        data={"at": at.isoformat() if at else None},
    )
    return article


# The steps a desk page may take on a story, after saving its content or on their own.
STEPS = (
    "save",
    "submit",
    "publish",
    "schedule",
    "cancel_schedule",
    "return",
    "correct",
    "unpublish",
    "republish",
    "schedule_unpublish",
    "cancel_unpublish",
)


@transaction.atomic
def take_step(
    article: Article,
    step: str,
    *,
    actor: User,
    content: dict | None = None,
    base_version: int | None = None,
    note: str = "",
    public_note: str = "",
    at: datetime | None = None,
    embargo: dict | None = None,
) -> Article:
    """The one door of the desk: save `content` (when given, from `base_version`), then take
    `step`, all or nothing. The story editor sends content and a step, the editor's decision
    pages a step alone. `note` is the return note, the correction or the internal reason
    for a take-down; `public_note` what a taken-down story's page says; `at` the time of a
    schedule (None when the form gave none: refused with TimeRequired); `embargo` the
    editor's embargo fields when the form had them ({"until", "source", "note"}: see
    change_embargo), applied after the content and before the step.
    History and tasks: those of save, change_embargo and of the step's own function."""
    if step not in STEPS:
        raise ValueError(f"Unknown step {step!r}")
    if step == "correct":
        return correct(article, actor=actor, base_version=base_version, note=note, content=content)
    if content is not None:
        article = save(article, actor=actor, base_version=base_version, content=content)
    if embargo is not None:
        article = change_embargo(article, actor=actor, **embargo)
    if step == "save":
        return article
    if step in ("schedule", "schedule_unpublish") and at is None:
        raise TimeRequired()
    if step == "submit":
        return submit(article, actor=actor)
    if step == "publish":
        return publish(article, actor=actor)
    if step == "schedule":
        return schedule(article, actor=actor, at=at)
    if step == "cancel_schedule":
        return cancel_schedule(article, actor=actor)
    if step == "return":
        return return_for_changes(article, actor=actor, note=note)
    if step == "unpublish":
        return unpublish(article, actor=actor, reason=note, public_note=public_note)
    if step == "republish":
        return republish(article, actor=actor)
    return schedule_unpublish(article, actor=actor, at=at if step == "schedule_unpublish" else None)


def run_schedule(now: datetime | None = None) -> dict[str, int]:
    """Publish the scheduled stories whose time has come, and take down those due to come
    down, however late (a missed sweep is caught by the next). Each story in its own
    transaction: one failure does not hold back the others. Safe to run twice at once."""
    now = now or timezone.now()
    done = {"published": 0, "unpublished": 0}
    # A story still under embargo waits for its lift, however its time was set.
    due_publish = (
        Article.objects.filter(status=Status.SCHEDULED, scheduled_publish_at__lte=now)
        .exclude(embargo_until__gt=now)
        .values_list("pk", flat=True)
    )
    for article_id in list(due_publish):
        with transaction.atomic():
            article = Article.objects.select_for_update().get(pk=article_id)
            embargo = article.embargo_until
            if (
                article.status == Status.SCHEDULED
                and article.scheduled_publish_at <= now
                and (embargo is None or embargo <= timezone.now())
            ):
                publish(article, actor=None)
                done["published"] += 1
    due_unpublish = Article.objects.filter(
        status=Status.PUBLISHED, scheduled_unpublish_at__lte=now
    ).values_list("pk", flat=True)
    for article_id in list(due_unpublish):
        with transaction.atomic():
            article = Article.objects.select_for_update().get(pk=article_id)
            due = article.scheduled_unpublish_at
            if article.status == Status.PUBLISHED and due and due <= now:
                unpublish(article, actor=None, reason=str(_("Scheduled unpublication")))
                done["unpublished"] += 1
    return done


# --- the front page ----------------------------------------------------------------------

# The lead and six top stories on the home page; the lead and four on a section's page.
FRONT_SLOTS = {"home": 7, "section": 5}


@transaction.atomic
def curate(
    section: Section | None,
    *,
    actor: User,
    story_ids: list[int],
    shown: list[int] | None = None,
) -> bool:
    """Set the curated stories of the home page (section None) or of a top section's page,
    in order: the first is the lead. Only published stories (of the section, on a
    section's page) may be placed; a page shows the newest stories where a slot is
    empty. `shown` is the order the editor's page was drawn from: when another editor
    changed the page since, nothing is written (their change would be lost).
    Returns False, writing nothing, when the order is unchanged.
    History: one FrontChange with the order before and after."""
    require(permissions.is_editor(actor))
    if section is not None and (section.parent_id or not section.is_active):
        raise NotCurated()
    wanted = list(dict.fromkeys(story_ids))
    limit = FRONT_SLOTS["home" if section is None else "section"]
    if len(wanted) > limit:
        raise FrontPageFull(limit)
    # Locking the page's slots serialises two editors curating the same page at once.
    slots = list(FrontSlot.objects.select_for_update().filter(section=section).order_by("position"))
    before = [slot.article_id for slot in slots]
    if shown is not None and list(shown) != before:
        raise FrontPageChanged()
    # Only stories placed now are checked: one placed earlier and taken down since stays
    # in the order (the pages skip it) rather than blocking every other change.
    added = set(wanted) - set(before)
    eligible = Article.objects.filter(pk__in=added, status=Status.PUBLISHED)
    if section is not None:
        below = Section.objects.descendants(section, include_self=True).values("pk")
        eligible = eligible.filter(Q(section__in=below) | Q(extra_sections=section))
    if added - set(eligible.values_list("pk", flat=True)):
        raise NotPlaceable(on_section=section is not None)
    if before == wanted:
        return False
    FrontSlot.objects.filter(section=section).delete()
    FrontSlot.objects.bulk_create(
        FrontSlot(section=section, position=position, article_id=story_id)
        for position, story_id in enumerate(wanted)
    )
    FrontChange.objects.create(
        section=section,
        page_name=section.name if section else str(_("Home page")),
        action=FrontChange.Action.CURATED,
        actor=actor,
        actor_name=display_name(actor),
        data={"before": before, "after": wanted},
    )
    dependencies.front_changed(section)
    return True


# --- preview links --------------------------------------------------------------------------

PREVIEW_LINK_MAX_HOURS = 24 * 14


@transaction.atomic
def create_preview_link(
    article: Article, *, actor: User, hours: int, note: str = ""
) -> PreviewLink:
    """An address that shows the story to someone without an account for `hours` hours.
    History: "share_link_created" on the story."""
    require(permissions.can_share_preview(actor, article))
    if not 1 <= hours <= PREVIEW_LINK_MAX_HOURS:
        raise PreviewLinkLifetime(PREVIEW_LINK_MAX_HOURS)
    now = timezone.now()
    link = PreviewLink.objects.create(
        article=article,
        note=note.strip()[:120],
        created_by=actor,
        created_by_name=display_name(actor),
        created_at=now,
        expires_at=now + timedelta(hours=hours),
    )
    record(
        article,
        "share_link_created",
        actor,
        article.status,
        article.status,
        link.note,
        {"link": link.pk, "hours": hours},
    )
    return link


@transaction.atomic
def revoke_preview_link(link: PreviewLink, *, actor: User) -> PreviewLink:
    """Close a preview link at once. Revoking twice changes nothing.
    History: "share_link_revoked" on the story."""
    link = PreviewLink.objects.select_for_update().select_related("article").get(pk=link.pk)
    require(permissions.can_share_preview(actor, link.article))
    if link.revoked_at is not None:
        return link
    link.revoked_at = timezone.now()
    link.save(update_fields=["revoked_at"])
    article = link.article
    record(
        article,
        "share_link_revoked",
        actor,
        article.status,
        article.status,
        link.note,
        {"link": link.pk},
    )
    return link


def preview_link_opened(link: PreviewLink) -> None:
    """Count an opening of a preview link (one UPDATE, no lock: a count, not a state)."""
    PreviewLink.objects.filter(pk=link.pk).update(
        opened_count=F("opened_count") + 1, last_opened_at=timezone.now()
    )


# --- inside --------------------------------------------------------------------------------


def _lock(article: Article) -> Article:
    return Article.objects.select_for_update().get(pk=article.pk)


def _move(
    article: Article,
    action: str,
    *,
    actor: User | None,
    allowed,
    note: str = "",
    data=None,
    check=None,
    **fields,
) -> tuple[Article, ArticleEvent | None]:
    """Lock and re-read the story, then check (in this order) for a repeated click, the
    actor's right on the story as it is now, the transition table and `check` (a guard of
    the step's own, e.g. the embargo, raising a refusal). Returns the story and the event
    written (None for a repeated click, which changes nothing)."""
    transition = TRANSITIONS[action]
    article = _lock(article)
    if article.status == transition.target and _just_done(article, action, actor, data or {}):
        return article, None  # the same click twice
    require(allowed(article))
    if article.status not in transition.sources:
        raise IllegalTransition(action, article.get_status_display())
    if check is not None:
        check(article)
    old_status = article.status
    for name, value in fields.items():
        setattr(article, name, value)
    article.status = transition.target
    article.save(update_fields=["status", *fields])
    event = record(article, action, actor, old_status, transition.target, note, data or {})
    return article, event


def _just_done(article: Article, action: str, actor: User | None, data: dict) -> bool:
    """The same action with the same details by the same person a moment ago."""
    last = article.events.first()
    return (
        last is not None
        and last.action == action
        and all(last.data.get(key) == value for key, value in data.items())
        and last.actor_id == (actor.pk if actor else None)
        and timezone.now() - last.created_at < DOUBLE_SUBMIT_WINDOW
    )


def _apply(article: Article, content: dict) -> list[str]:
    """Write the given content onto the story (saving its related rows); returns the names
    of the parts that changed. The caller saves the story's own row."""
    changed = []
    for name in TEXT_FIELDS:
        if name in content and name != "body":
            value = (content[name] or "").strip()
            if getattr(article, name) != value:
                setattr(article, name, value)
                changed.append(name)
    if "headline" in changed or not article.slug:
        article.slug = slugify(article.headline, allow_unicode=True)[:200] or "story"
    if "section" in content and article.section_id != content["section"]:
        article.section_id = content["section"]
        changed.append("section")
    if "series" in content:
        series, ordinal = content["series"], content.get("series_ordinal")
        if series and not Series.objects.filter(pk=series).exists():
            raise UnknownSeries()
        if (article.series_id, article.series_ordinal) != (series, ordinal if series else None):
            article.series_id, article.series_ordinal = series, (ordinal if series else None)
            changed.append("series")
    if "share_photo" in content and article.share_photo_id != content["share_photo"]:
        article.share_photo_id = content["share_photo"]
        changed.append("share_photo")
    new_uses: dict[str, int] = {}
    if "photo_uses" in content:
        uses_changed, new_uses = _sync_photo_uses(article, content["photo_uses"])
        if uses_changed:
            changed.append("photo_uses")
    if "body" in content:
        keep = set(article.photo_uses.values_list("pk", flat=True))
        body = sanitize.bind_new_photos(content["body"] or "", new_uses)
        body = sanitize.without_placeholders(sanitize.clean(body), keep)
        if article.body != body:
            article.body = body
            changed.append("body")
    if "extra_sections" in content:
        wanted = set(content["extra_sections"]) - {article.section_id}
        if set(article.extra_sections.values_list("pk", flat=True)) != wanted:
            article.extra_sections.set(wanted)
            changed.append("extra_sections")
    if "tags" in content:
        names = sorted({Tag.normalise(name) for name in content["tags"]} - {""})
        if sorted(article.tags.values_list("name", flat=True)) != names:
            article.tags.set([_tag(name) for name in names])
            changed.append("tags")
    if "bylines" in content and _bylines_of(article) != content["bylines"]:
        article.bylines.all().delete()
        Byline.objects.bulk_create(
            Byline(
                article=article,
                profile_id=entry.get("profile"),
                guest_name="" if entry.get("profile") else entry["guest"].strip(),
                order=position,
            )
            for position, entry in enumerate(content["bylines"])
        )
        changed.append("bylines")
    return changed


def _sync_photo_uses(article: Article, wanted: list[dict]) -> tuple[bool, dict[str, int]]:
    """Make the story's photo uses those listed: an entry with an id updates that use, one
    without adds a photo (its caption, credit and alt text default from the library).
    Returns whether anything changed, and the new uses' ids by the `ref` the editor gave
    them (its body names a photo inserted before saving by that ref)."""
    current = {use.pk: use for use in article.photo_uses.select_related("photo")}
    keep, changed, new_ids = set(), False, {}
    for position, entry in enumerate(wanted):
        use = current.get(entry.get("id"))
        if use is None:
            photo = Photo.objects.get(pk=entry["photo"])
            use = PhotoUse(article=article, photo=photo)
            for name, default in (
                ("caption", photo.caption),
                ("credit", photo.credit),
                ("alt_text", photo.alt_text),
            ):
                setattr(use, name, entry.get(name) or default)
            changed = True
        values = {
            "caption": (entry.get("caption", use.caption) or "").strip(),
            "credit": (entry.get("credit", use.credit) or "").strip(),
            "alt_text": (entry.get("alt_text", use.alt_text) or "").strip(),
            "order": position,
            "is_lead": bool(entry.get("is_lead")),
        }
        if use.pk is None or any(getattr(use, k) != v for k, v in values.items()):
            changed = True
            for name, value in values.items():
                setattr(use, name, value)
            if use.is_lead:
                # One lead at a time: the old lead steps down first (a unique constraint).
                article.photo_uses.filter(is_lead=True).exclude(pk=use.pk).update(is_lead=False)
            use.save()
        keep.add(use.pk)
        if entry.get("ref"):
            new_ids[entry["ref"]] = use.pk
    gone = set(current) - keep
    if gone:
        PhotoUse.objects.filter(pk__in=gone).delete()
        changed = True
    return changed, new_ids


def snapshot(article: Article) -> dict:
    """The story's content as a revision keeps it (JSON)."""
    return {
        **{name: getattr(article, name) for name in TEXT_FIELDS},
        "section": article.section_id,
        "extra_sections": sorted(article.extra_sections.values_list("pk", flat=True)),
        "tags": sorted(article.tags.values_list("name", flat=True)),
        "series": article.series_id,
        "series_ordinal": article.series_ordinal,
        "share_photo": article.share_photo_id,
        "bylines": _bylines_of(article),
        "photo_uses": [
            {
                "id": use.pk,
                "photo": use.photo_id,
                "caption": use.caption,
                "credit": use.credit,
                "alt_text": use.alt_text,
                "is_lead": use.is_lead,
            }
            for use in article.photo_uses.all()
        ],
    }


def _same_content(article: Article, content: dict) -> bool:
    """Would saving `content` change nothing? Compared the way _apply stores it. A photo
    without an id (picked before that save) is the same as the saved use in its place
    when it shows the same photo with the same details: the second of two identical
    posts, after the first created it."""
    current = snapshot(article)
    wanted = dict(content)
    for name in TEXT_FIELDS:
        if name in wanted:
            wanted[name] = (wanted[name] or "").strip()
    new_uses: dict[str, int] = {}
    if "photo_uses" in wanted:
        uses = wanted["photo_uses"]
        if len(uses) != len(current["photo_uses"]):
            return False
        compared = []
        for have, use in zip(current["photo_uses"], uses, strict=True):
            if "id" not in use:
                if use.get("photo") != have["photo"]:
                    return False
                new_uses[use.get("ref", "")] = have["id"]
                use = {**{k: v for k, v in use.items() if k != "ref"}, "id": have["id"]}
            compared.append(use)
        wanted["photo_uses"] = compared
        current["photo_uses"] = [
            {key: have[key] for key in use}
            for have, use in zip(current["photo_uses"], compared, strict=True)
        ]
    if "body" in wanted:
        wanted["body"] = sanitize.clean(sanitize.bind_new_photos(wanted["body"], new_uses))
    if "tags" in wanted:
        wanted["tags"] = sorted({Tag.normalise(name) for name in wanted["tags"]} - {""})
    if "extra_sections" in wanted:
        section = wanted.get("section", article.section_id)
        wanted["extra_sections"] = sorted(set(wanted["extra_sections"]) - {section})
    return all(current.get(key) == value for key, value in wanted.items())


def _bylines_of(article: Article) -> list[dict]:
    return [
        {"profile": byline.profile_id} if byline.profile_id else {"guest": byline.guest_name}
        for byline in article.bylines.all()
    ]


def _tag(name: str) -> Tag:
    tag = Tag.objects.filter(name=name).first()
    if tag is not None:
        return tag
    base = slugify(name, allow_unicode=True) or "tag"
    slug, number = base, 1
    while Tag.objects.filter(slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    return Tag.objects.create(name=name, slug=slug)


def _revise(article: Article, actor: User | None, *, reason: str) -> Revision:
    return Revision.objects.create(
        article=article,
        number=article.version,
        content=snapshot(article),
        created_by=actor,
        created_by_name=display_name(actor),
        reason=reason,
    )
