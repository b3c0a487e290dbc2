"""Telling the desk's staff what happened: the inbox (알림), e-mails and the daily digest.

The one entry point for every event of the desk is `notify()`, called in the event's own
transaction (the workflow's, the planning board's, the desk notes'):

    notifications.notify(
        NotificationKind.SUBMITTED,
        recipients=notifications.editors_for(article),
        article=article,
        actor=actor,
        key=f"article-event:{event.pk}",
        data={...},
    )

It writes one Notification per recipient (never the actor, never twice for the same key:
a retried event shows once) and, for those who chose e-mail, schedules the e-mails through
the outbox, sent after commit by articles.email_notifications. Those who chose the digest
hear of it in one e-mail a day (send_digests, a periodic job). The messages' words are in
MESSAGES, one per kind.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import BooleanField, ExpressionWrapper, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.names import display_name
from accounts.roles import ROLE_PERMISSIONS
from articles.models import (
    Article,
    ArticleEvent,
    Delivery,
    DeskSection,
    Notification,
    NotificationDigest,
    NotificationKind,
    NotificationPreference,
    Section,
)
from newsroom.outbox import enqueue

Kind = NotificationKind

# What the inbox and the e-mail say, per kind: {actor} is who did it, {title} the story's
# headline (or the item's title), {at} a time from `data["at"]`, {due} a day from
# `data["due"]`.
MESSAGES = {
    Kind.ASSIGNED: _("{actor} assigned you (due {at}): {title}"),
    Kind.DECLINED: _("{actor} declined the assignment: {title}"),
    Kind.MENTIONED: _("{actor} mentioned you: {title}"),
    Kind.SUBMITTED: _("{actor} submitted a story for review: {title}"),
    Kind.RETURNED: _("{actor} returned your story with a note: {title}"),
    Kind.APPROVED: _("{actor} approved your story: {title}"),
    Kind.SCHEDULED: _("Your story is scheduled to publish ({at}): {title}"),
    Kind.PUBLISHED: _("Your story was published: {title}"),
    Kind.CORRECTED: _("A correction was added to your story: {title}"),
    Kind.UNPUBLISHED: _("Your story was taken down: {title}"),
    Kind.EMBARGO_LIFTING: _("The embargo lifts in an hour ({at}): {title}"),
    Kind.DUE_MISSED: _("The due time has passed ({at}): {title}"),
    Kind.CLAIM_RECEIVED: _("A press-arbitration claim was received against the story: {title}"),
    Kind.CLAIM_ANSWER_DUE: _("The answer to a press-arbitration claim is due by {due}: {title}"),
    Kind.CLAIM_NOTICE_DUE: _(
        "The notice of an accepted press-arbitration claim is due by {due}: {title}"
    ),
}

# The delivery of a kind for someone who never chose one: every kind is e-mailed too, as
# the return e-mail always was.
DEFAULT_DELIVERY = dict.fromkeys(Kind.values, Delivery.EMAIL)

# The digest goes out once a day from this hour on (the site's time).
DIGEST_HOUR = 8


# --- the entry point ------------------------------------------------------------------------


@dataclass(frozen=True)
class Telling:
    """One event of `notify_many`: its key, who hears of it, its story and details."""

    key: str
    recipients: list[User]
    article: Article | None = None
    data: dict | None = None


def notify(
    kind: str,
    *,
    recipients: Iterable[User],
    article: Article | None = None,
    actor: User | None = None,
    key: str,
    data: dict | None = None,
) -> list[Notification]:
    """Tell each recipient (but the actor) of an event, in the caller's transaction.

    `key` names the event (e.g. "article-event:<id>"): a second call with the same key
    writes nothing for those already told. `data` holds JSON details the message shows:
    "at" (an ISO time), "due" (an ISO date), "note", and for an item without a story
    "title" and "url". Returns the notifications written now. Tasks:
    articles.email_notifications with the ids of those to e-mail at once (after commit)."""
    return notify_many(kind, [Telling(key, list(recipients), article, data)], actor=actor)


def notify_many(
    kind: str, tellings: Iterable[Telling], *, actor: User | None = None
) -> list[Notification]:
    """`notify` for several events of one kind at once (a periodic reminder's), in the
    same few queries however many: each (key, recipient) told once. Tasks: one
    articles.email_notifications for all of those to e-mail at once (after commit)."""
    if kind not in MESSAGES:
        raise ValueError(f"Unknown notification kind {kind!r}")
    wanted: dict[tuple[str, int], Telling] = {}
    for telling in tellings:
        for user in telling.recipients:
            if user is None or not user.is_active or (actor is not None and user.pk == actor.pk):
                continue
            wanted.setdefault((telling.key, user.pk), telling)
    if not wanted:
        return []
    keys = {key for key, _user_id in wanted}
    people = {user_id for _key, user_id in wanted}
    already = set(
        Notification.objects.filter(key__in=keys, recipient_id__in=people).values_list(
            "key", "recipient_id"
        )
    )
    chosen = dict(
        NotificationPreference.objects.filter(user_id__in=people, kind=kind).values_list(
            "user_id", "delivery"
        )
    )
    now = timezone.now()
    new = []
    for (key, user_id), telling in sorted(wanted.items(), key=lambda pair: pair[0]):
        if (key, user_id) in already:
            continue
        data = telling.data or {}
        article = telling.article
        title = article.headline if article is not None else str(data.get("title", ""))
        new.append(
            Notification(
                recipient_id=user_id,
                kind=kind,
                key=key,
                article=article,
                actor=actor,
                actor_name=display_name(actor) if actor is not None else "",
                title=title[:200],
                data=data,
                delivery=chosen.get(user_id, DEFAULT_DELIVERY[kind]),
                created_at=now,
            )
        )
    # Two retries racing past the check above: the unique key lets one of them in.
    Notification.objects.bulk_create(new, ignore_conflicts=True)
    written = list(
        Notification.objects.filter(
            key__in={n.key for n in new},
            recipient_id__in={n.recipient_id for n in new},
            kind=kind,
            created_at=now,
        )
    )
    to_email = [n.pk for n in written if n.delivery == Delivery.EMAIL]
    if to_email:
        enqueue("articles.email_notifications", sorted(to_email))
    return written


# --- who is told -----------------------------------------------------------------------------


def bylined_staff(article: Article) -> list[User]:
    """The staff named on the story's bylines."""
    return list(
        User.objects.filter(staff_profile__bylines__article=article, is_active=True).distinct()
    )


def story_staff(article: Article) -> list[User]:
    """The bylined staff and whoever created the story."""
    people = {user.pk: user for user in bylined_staff(article)}
    if article.created_by_id and article.created_by_id not in people:
        creator = User.objects.filter(pk=article.created_by_id, is_active=True).first()
        if creator is not None:
            people[creator.pk] = creator
    return list(people.values())


def editors() -> list[User]:
    """Everyone whose role reviews and publishes stories."""
    roles = [role for role, held in ROLE_PERMISSIONS.items() if "articles.publish_article" in held]
    return list(User.objects.filter(is_active=True, groups__name__in=roles).distinct())


def editors_for(article: Article) -> list[User]:
    """The editors a submitted story goes to: those whose desk sections include its
    section (a desk section covers its subsections), and those with no desk sections."""
    return editors_for_sections([article.section_id])[article.section_id]


def editors_for_sections(
    section_ids: Iterable[int], *, among: list[User] | None = None
) -> dict[int, list[User]]:
    """`editors_for` of each section at once, in three queries however many sections
    (two when the caller has `editors()` already, as `among`)."""
    section_ids = set(section_ids)
    covering = {
        section.pk: set(section.tree_path)
        for section in Section.objects.with_tree_fields().filter(pk__in=section_ids)
    }
    desks: dict[int, set[int]] = {}
    for user_id, section_id in DeskSection.objects.values_list("user_id", "section_id"):
        desks.setdefault(user_id, set()).add(section_id)
    everyone = editors() if among is None else among
    return {
        section_id: [
            user
            for user in everyone
            if user.pk not in desks or desks[user.pk] & covering.get(section_id, set())
        ]
        for section_id in section_ids
    }


# --- the workflow's events --------------------------------------------------------------------


def story_event(event: ArticleEvent, article: Article, actor: User | None) -> list[Notification]:
    """The notifications of one of a story's history rows (articles.workflow calls this
    right after writing it). The key is the event's, so a redelivery tells no one twice."""
    key = f"article-event:{event.pk}"
    action = event.action
    if action == "submit":
        return notify(
            Kind.SUBMITTED, recipients=editors_for(article), article=article, actor=actor, key=key
        )
    if action == "return":
        return notify(
            Kind.RETURNED,
            recipients=story_staff(article),
            article=article,
            actor=actor,
            key=key,
            data={"note": event.note},
        )
    if action in ("schedule", "reschedule"):
        return notify(
            Kind.SCHEDULED,
            recipients=bylined_staff(article),
            article=article,
            actor=actor,
            key=key,
            data={"at": article.scheduled_publish_at.isoformat()},
        )
    kind = {
        "publish": Kind.PUBLISHED,
        "corrected": Kind.CORRECTED,
        "unpublish": Kind.UNPUBLISHED,
    }[action]
    return notify(
        kind,
        recipients=bylined_staff(article),
        article=article,
        actor=actor,
        key=key,
        data={"note": event.note} if event.note else {},
    )


# --- reminders (a periodic job) -------------------------------------------------------------

# How long before an embargo lifts its story's staff and editors are told.
EMBARGO_WARNING = timedelta(hours=1)


def tell_embargoes_lifting(now: datetime | None = None) -> int:
    """The periodic reminder of an embargo lifting within EMBARGO_WARNING, told to the
    story's staff and its section's editors. Keyed by the lift time, so a periodic run
    tells nobody twice and a moved embargo is told again. The number of notifications."""
    now = now or timezone.now()
    told = 0
    lifting = Article.objects.filter(
        embargo_until__gt=now, embargo_until__lte=now + EMBARGO_WARNING
    ).exclude(status__in=[Article.Status.PUBLISHED, Article.Status.SPIKED])
    for article in lifting.select_related("section"):
        with transaction.atomic():
            told += len(
                notify(
                    Kind.EMBARGO_LIFTING,
                    recipients=[*story_staff(article), *editors_for(article)],
                    article=article,
                    key=f"embargo:{article.pk}:{article.embargo_until.isoformat()}",
                    data={"at": article.embargo_until.isoformat()},
                )
            )
    return told


# --- what a notification says -----------------------------------------------------------------


def message(notification: Notification) -> str:
    """The notification in words, in the active language."""
    at = notification.data.get("at")
    when = ""
    if at:
        when = timezone.localtime(datetime.fromisoformat(at)).strftime("%Y-%m-%d %H:%M")
    return str(MESSAGES[notification.kind]).format(
        actor=notification.actor_name or _("The system"),
        title=notification.title,
        at=when,
        due=notification.data.get("due", ""),
    )


def link(notification: Notification) -> str:
    """Where the notification leads on the desk: its story, or the item's own address."""
    if notification.article_id:
        return reverse("story_desk:edit", args=[notification.article_id])
    url = str(notification.data.get("url", ""))
    # Only a path of this site: a notification never sends anyone elsewhere.
    return url if url.startswith("/") and not url.startswith("//") else ""


# --- the inbox --------------------------------------------------------------------------------


def unread_count(user) -> int:
    """The desk header's count (one query, on the unread index)."""
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def inbox(user: User):
    """The person's notifications, unread first, each part newest first."""
    return (
        Notification.objects.filter(recipient=user)
        .alias(is_read=ExpressionWrapper(Q(read_at__isnull=False), output_field=BooleanField()))
        .order_by("is_read", "-created_at", "-pk")
    )


def mark_read(user: User, notification_id: int) -> str | None:
    """Mark one of the person's notifications read and say where it leads ("" for
    nowhere); None when it is not theirs (or gone)."""
    found = Notification.objects.filter(pk=notification_id, recipient=user).first()
    if found is None:
        return None
    if found.read_at is None:
        found.read_at = timezone.now()
        found.save(update_fields=["read_at"])
    return link(found)


def mark_all_read(user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


# --- preferences ------------------------------------------------------------------------------


def preferences(user: User) -> dict[str, str]:
    """The person's delivery for every kind, their choice or the default."""
    chosen = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "delivery"))
    return {kind: chosen.get(kind, DEFAULT_DELIVERY[kind]) for kind in Kind.values}


@transaction.atomic
def set_preferences(user: User, choices: dict[str, str]) -> None:
    """Keep the person's delivery per kind (only the kinds given; each must be valid)."""
    for kind, delivery in choices.items():
        if kind not in Kind.values or delivery not in Delivery.values:
            raise ValueError(f"Unknown kind or delivery: {kind!r}, {delivery!r}")
        NotificationPreference.objects.update_or_create(
            user=user, kind=kind, defaults={"delivery": delivery}
        )


@transaction.atomic
def set_desk_sections(user: User, sections: Iterable[Section]) -> None:
    """The sections whose submitted stories an editor is told of (none: all of them)."""
    wanted = {section.pk for section in sections}
    DeskSection.objects.filter(user=user).exclude(section_id__in=wanted).delete()
    have = set(DeskSection.objects.filter(user=user).values_list("section_id", flat=True))
    DeskSection.objects.bulk_create(
        DeskSection(user=user, section_id=section_id) for section_id in sorted(wanted - have)
    )


# --- e-mails ----------------------------------------------------------------------------------


def email_notifications(notification_ids: list[int]) -> int:
    """E-mail each notification, once: the row is locked and its `emailed_at` checked and
    set in one transaction, so a task run twice (or two at once) sends it once. Returns
    how many were sent."""
    sent = 0
    for notification_id in notification_ids:
        with transaction.atomic():
            notification = (
                Notification.objects.select_for_update()
                .select_related("recipient")
                .filter(pk=notification_id, emailed_at__isnull=True, delivery=Delivery.EMAIL)
                .first()
            )
            if notification is None:
                continue
            _send_one(notification)
            notification.emailed_at = timezone.now()
            notification.save(update_fields=["emailed_at"])
            sent += 1
    return sent


def _send_one(notification: Notification) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        context = _email_context(notification)
        subject = render_to_string("articles/email/notification_subject.txt", context).strip()
        body = render_to_string("articles/email/notification_body.txt", context)
    send_mail(subject, body, None, [notification.recipient.email])


def _email_context(notification: Notification) -> dict:
    path = link(notification)
    return {
        "notification": notification,
        "message": message(notification),
        "kind": notification.get_kind_display(),
        "note": notification.data.get("note", ""),
        "url": settings.SITE_URL + (path or reverse("story_desk:notifications")),
        "inbox_url": settings.SITE_URL + reverse("story_desk:notifications"),
        "settings_url": settings.SITE_URL + reverse("story_desk:notification-settings"),
        "site_name": settings.SITE_NAME,
    }


def digest_day(now: datetime | None = None) -> date | None:
    """The day whose digest is due now (the site's date), or None before DIGEST_HOUR."""
    local = timezone.localtime(now or timezone.now())
    return local.date() if local.time() >= time(DIGEST_HOUR) else None


def send_digests(now: datetime | None = None) -> int:
    """Send each person who chose the digest for some kind one e-mail of what they were
    told and not yet e-mailed, once a day: a NotificationDigest row per person and day,
    written with the e-mail's notifications marked in one transaction, makes a second run
    send nothing. Returns how many digests were sent."""
    now = now or timezone.now()
    day = digest_day(now)
    if day is None:
        return 0
    waiting = (
        Notification.objects.filter(
            delivery=Delivery.DIGEST, emailed_at__isnull=True, created_at__lte=now
        )
        .exclude(recipient__in=NotificationDigest.objects.filter(day=day).values("recipient"))
        .values_list("recipient_id", flat=True)
        .distinct()
    )
    sent = 0
    for recipient_id in sorted(set(waiting)):
        if _send_digest(recipient_id, day, now):
            sent += 1
    return sent


def _send_digest(recipient_id: int, day: date, now: datetime) -> bool:
    with transaction.atomic():
        recipient = User.objects.select_for_update().filter(pk=recipient_id).first()
        if (
            recipient is None
            or NotificationDigest.objects.filter(recipient=recipient, day=day).exists()
        ):
            return False
        items = list(
            Notification.objects.filter(
                recipient=recipient,
                delivery=Delivery.DIGEST,
                emailed_at__isnull=True,
                created_at__lte=now,
            ).order_by("created_at", "pk")
        )
        if not items:
            return False
        with translation.override(settings.LANGUAGE_CODE):
            context = {
                "day": day,
                "entries": [
                    {
                        "message": message(item),
                        "kind": item.get_kind_display(),
                        "note": item.data.get("note", ""),
                        "url": settings.SITE_URL
                        + (link(item) or reverse("story_desk:notifications")),
                        "created_at": item.created_at,
                    }
                    for item in items
                ],
                "inbox_url": settings.SITE_URL + reverse("story_desk:notifications"),
                "settings_url": settings.SITE_URL + reverse("story_desk:notification-settings"),
                "site_name": settings.SITE_NAME,
            }
            subject = render_to_string("articles/email/digest_subject.txt", context).strip()
            body = render_to_string("articles/email/digest_body.txt", context)
        NotificationDigest.objects.create(
            recipient=recipient, day=day, count=len(items), sent_at=now
        )
        Notification.objects.filter(pk__in=[item.pk for item in items]).update(emailed_at=now)
        # Last: should the mail server refuse, the rows above roll back and the next run
        # tries again.
        send_mail(subject, body, None, [recipient.email])
    return True
