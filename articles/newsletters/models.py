"""The newsletters' rows. Changed only through articles.newsletters.subscriptions (readers'
subscriptions), articles.newsletters.issues (the desk's issues),
articles.newsletters.sending (deliveries as they are sent), articles.newsletters.bounces
(what the mail provider reports back, suspensions) and articles.newsletters.tracking
(openings)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from newsroom.models import HistoryEntry


class Newsletter(models.Model):
    """One newsletter readers subscribe to: the morning briefing (the front page's latest),
    a section's daily, or a reporter's stories."""

    class Kind(models.TextChoices):
        BRIEFING = "briefing", _("Briefing of the front page")
        SECTION = "section", _("Section's daily")
        REPORTER = "reporter", _("Reporter's stories")

    slug = models.SlugField(_("address"), max_length=60, unique=True, allow_unicode=True)
    name = models.CharField(_("name"), max_length=100)
    description = models.CharField(_("description"), max_length=300, blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    section = models.ForeignKey(
        "articles.Section",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="newsletters",
        verbose_name=_("section"),
    )
    reporter = models.ForeignKey(
        "accounts.StaffProfile",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="newsletters",
        verbose_name=_("reporter"),
    )
    # Offered to readers (the subscribe forms); an inactive one keeps its subscribers and
    # its issues but takes no new subscriptions and sends nothing.
    is_active = models.BooleanField(_("offered to readers"), default=True)
    position = models.PositiveSmallIntegerField(_("order on the forms"), default=0)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("newsletter")
        verbose_name_plural = _("newsletters")
        ordering = ["position", "pk"]
        permissions = [("send_newsletter", _("Can compose and send newsletters"))]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind="briefing", section__isnull=True, reporter__isnull=True)
                    | Q(kind="section", section__isnull=False, reporter__isnull=True)
                    | Q(kind="reporter", section__isnull=True, reporter__isnull=False)
                ),
                name="newsletter_source_matches_kind",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Subscriber(models.Model):
    """One e-mail address that subscribes to newsletters, with or without an account. An
    address is one subscriber: signing up with it later links the account here instead of
    making a second. Personal data: deleted with the account it is linked to."""

    email = models.EmailField(_("e-mail"), unique=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="newsletter_subscriber",
        verbose_name=_("account"),
    )
    # A hard bounce or a complaint stops every newsletter to the address until it
    # subscribes again and confirms (which proves the mailbox works and wants them).
    suspended_at = models.DateTimeField(_("suspended"), null=True, blank=True)
    suspended_reason = models.CharField(_("why suspended"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("newsletter subscriber")
        verbose_name_plural = _("newsletter subscribers")
        ordering = ["email"]

    def __str__(self) -> str:
        return self.email


class Subscription(models.Model):
    """A subscriber's wish for one newsletter: pending until the confirmation link is
    opened (double opt-in), then confirmed until unsubscribed. The consent is recorded as
    for sign-up: the version of the text agreed to and when."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for confirmation")
        CONFIRMED = "confirmed", _("Subscribed")
        UNSUBSCRIBED = "unsubscribed", _("Unsubscribed")

    subscriber = models.ForeignKey(
        Subscriber, on_delete=models.CASCADE, related_name="subscriptions"
    )
    newsletter = models.ForeignKey(
        Newsletter, on_delete=models.CASCADE, related_name="subscriptions"
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    consent_version = models.CharField(_("consent text version"), max_length=20)
    requested_at = models.DateTimeField(_("asked for"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("unsubscribed"), null=True, blank=True)

    class Meta:
        verbose_name = _("newsletter subscription")
        verbose_name_plural = _("newsletter subscriptions")
        ordering = ["newsletter", "subscriber"]
        constraints = [
            # Led by subscriber: also a reader's subscriptions (my page, the forms).
            models.UniqueConstraint(
                fields=["subscriber", "newsletter"], name="subscription_once_per_newsletter"
            )
        ]
        indexes = [
            # An issue's recipients: a newsletter's confirmed subscriptions, and the desk's
            # counts per status.
            models.Index(fields=["newsletter", "status"], name="subscription_list_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.subscriber_id} → {self.newsletter_id}: {self.status}"


class SubscriptionEvent(HistoryEntry):
    """History of a subscriber: asked, confirmed, unsubscribed (and how), suspended after a
    bounce or a complaint, linked to an account. Kept without the address once the
    subscriber is deleted."""

    class Action(models.TextChoices):
        REQUESTED = "requested", _("Asked to subscribe")
        CONFIRMED = "confirmed", _("Confirmed")
        UNSUBSCRIBED = "unsubscribed", _("Unsubscribed")
        SUSPENDED = "suspended", _("Suspended")
        LINKED = "linked", _("Linked to an account")

    subscriber = models.ForeignKey(
        Subscriber, on_delete=models.SET_NULL, null=True, related_name="events"
    )
    newsletter = models.ForeignKey(
        Newsletter, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta(HistoryEntry.Meta):
        verbose_name = _("subscription event")
        verbose_name_plural = _("subscription events")
        indexes = [
            # A subscriber's history, newest first (admin).
            models.Index(fields=["subscriber", "-created_at"], name="subscriptionevent_sub_idx"),
        ]


class NewsletterIssue(models.Model):
    """One issue (호) of a newsletter: a subject, an intro and the stories picked, sent once
    to every confirmed subscriber at the moment sending starts."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SCHEDULED = "scheduled", _("Scheduled")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        CANCELLED = "cancelled", _("Cancelled")

    newsletter = models.ForeignKey(Newsletter, on_delete=models.PROTECT, related_name="issues")
    subject = models.CharField(_("subject"), max_length=150)
    intro = models.TextField(_("intro"), max_length=2000, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    send_at = models.DateTimeField(_("send at"), null=True, blank=True)
    started_at = models.DateTimeField(_("sending started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("sending finished"), null=True, blank=True)
    # Fixed when sending starts: the confirmed subscriptions then, one delivery each.
    recipient_count = models.PositiveIntegerField(_("recipients"), default=0)
    # Bumped by every edit: a form carries the one it was drawn from (a stale edit).
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        verbose_name = _("newsletter issue")
        verbose_name_plural = _("newsletter issues")
        ordering = ["-created_at", "-pk"]
        indexes = [
            # A newsletter's issues on its desk page, newest first.
            models.Index(fields=["newsletter", "-created_at"], name="issue_newsletter_idx"),
            # The scheduler: scheduled issues whose time has come, and issues still sending.
            models.Index(fields=["status", "send_at"], name="issue_due_idx"),
        ]

    def __str__(self) -> str:
        return self.subject


class IssueStory(models.Model):
    """A story in an issue, in the order the editor gave."""

    issue = models.ForeignKey(NewsletterIssue, on_delete=models.CASCADE, related_name="picks")
    article = models.ForeignKey("articles.Article", on_delete=models.CASCADE, related_name="+")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("story in an issue")
        verbose_name_plural = _("stories in an issue")
        ordering = ["issue", "position", "pk"]
        constraints = [models.UniqueConstraint(fields=["issue", "article"], name="issuestory_once")]

    def __str__(self) -> str:
        return f"{self.issue_id}: {self.article_id} #{self.position}"


class IssueEvent(HistoryEntry):
    """History of an issue: made, edited, test sent, scheduled, sending started, sent,
    cancelled."""

    class Action(models.TextChoices):
        CREATED = "created", _("Created")
        EDITED = "edited", _("Edited")
        TEST_SENT = "test_sent", _("Test sent")
        SCHEDULED = "scheduled", _("Scheduled")
        UNSCHEDULED = "unscheduled", _("Schedule cancelled")
        SENDING = "sending", _("Sending started")
        SENT = "sent", _("Sent")
        CANCELLED = "cancelled", _("Cancelled")
        STOPPED = "stopped", _("Sending stopped")

    issue = models.ForeignKey(
        NewsletterIssue, on_delete=models.SET_NULL, null=True, related_name="events"
    )
    issue_subject = models.CharField(_("issue at the time"), max_length=150)

    class Meta(HistoryEntry.Meta):
        verbose_name = _("newsletter issue event")
        verbose_name_plural = _("newsletter issue events")
        indexes = [
            models.Index(fields=["issue", "-created_at"], name="issueevent_issue_idx"),
        ]


class IssueDelivery(models.Model):
    """One recipient of one issue. Made for every confirmed subscription when sending
    starts, so no recipient is skipped whatever happens to the workers; a row is claimed
    (SENDING) before its message goes and marked SENT right after, so a worker killed
    mid-send leaves at most the one message then in flight to go twice (its attempts
    count says so)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Being sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        BOUNCED = "bounced", _("Bounced")
        COMPLAINED = "complained", _("Marked as spam")
        # Left unsent: unsubscribed or suspended after sending started, or the sending was
        # stopped (the reason is in `error`).
        SKIPPED = "skipped", _("Not sent")

    issue = models.ForeignKey(NewsletterIssue, on_delete=models.CASCADE, related_name="deliveries")
    subscription = models.ForeignKey(
        Subscription, on_delete=models.CASCADE, related_name="deliveries"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    # The one message a killed worker had in flight: it may have gone before the kill, so
    # sending it again may be a second copy (counted on the desk).
    possible_duplicate = models.BooleanField(_("may have gone twice"), default=False)
    claimed_at = models.DateTimeField(_("claimed"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    # The provider's id of the message (or its Message-ID header): bounces name it.
    message_id = models.CharField(_("message id"), max_length=200, blank=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)
    opened_at = models.DateTimeField(_("opened"), null=True, blank=True)
    error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("newsletter delivery")
        verbose_name_plural = _("newsletter deliveries")
        ordering = ["issue", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["issue", "subscription"], name="issuedelivery_once_per_recipient"
            )
        ]
        indexes = [
            # The sender's next batch (queued rows, and claims gone stale) and the desk's
            # progress counts per status.
            models.Index(fields=["issue", "status", "claimed_at"], name="issuedelivery_next_idx"),
            # A provider's bounce or complaint names the message.
            models.Index(fields=["message_id"], name="issuedelivery_message_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.issue_id} → {self.subscription_id}: {self.status}"
