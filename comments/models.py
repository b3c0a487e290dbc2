from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from articles.models import Article, Section
from newsroom.models import HistoryEntry


class Reason(models.TextChoices):
    """Why a comment is reported or rejected: the rules posted under the comment box."""

    COPYRIGHT = "copyright", _("Copyright infringement")
    DEFAMATION = "defamation", _("Defamation")
    PROFANITY = "profanity", _("Profanity or demeaning words")
    PERSONAL_ATTACK = "attack", _("Personal attack")
    SPAM = "spam", _("Spam or advertising")
    OTHER = "other", pgettext_lazy("report reason", "Other")


class Comment(models.Model):
    """A reader's comment on a story, or a reply to one (one level only). Its status
    changes only in comments.moderation; rows are never deleted, so replies and history
    keep their place."""

    class Status(models.TextChoices):
        PUBLISHED = "published", pgettext_lazy("comment status", "Published")
        PENDING = "pending", pgettext_lazy("comment status", "Awaiting review")
        REJECTED = "rejected", pgettext_lazy("comment status", "Not published")
        DELETED = "deleted", pgettext_lazy("comment status", "Deleted")
        # 임시조치: hidden on a rights-infringement claim for up to 30 days (see Blind).
        BLINDED = "blinded", pgettext_lazy("comment status", "Temporarily hidden")

    class Hold(models.TextChoices):
        """Why a comment waits for a moderator."""

        PREMODERATED = "premoderated", _("The story's comments are premoderated")
        NEW_READER = "new_reader", _("A new reader's first comments")
        MOSTLY_REJECTED = "mostly_rejected", _("Most of the reader's recent comments were rejected")
        SUSPECT_WORD = "suspect_word", _("A word on the suspect list")
        LINK = "link", _("A link")
        REPORTS = "reports", _("Hidden after reports from several readers")
        BLIND_ENDED = "blind_ended", _("A temporary blind ended")

    story = models.ForeignKey(
        Article, verbose_name=_("story"), on_delete=models.CASCADE, related_name="comments"
    )
    # A deleted account's comments stay, shown as written by "탈퇴한 회원".
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="comments",
    )
    # A reply's parent is always a top-level comment (checked in comments.moderation).
    parent = models.ForeignKey(
        "self",
        verbose_name=_("reply to"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replies",
    )
    body = models.TextField(_("text"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PUBLISHED
    )
    # Counted in the same transaction as the votes and reports they sum up.
    like_count = models.PositiveIntegerField(_("likes"), default=0)
    dislike_count = models.PositiveIntegerField(_("dislikes"), default=0)
    report_count = models.PositiveIntegerField(_("reports"), default=0)
    # Reports since a moderator last looked at the comment: the Reported queue, and what
    # hides it (COMMENTS_REPORTS_TO_HIDE).
    open_reports = models.PositiveIntegerField(_("open reports"), default=0)
    # The poster's IP address, only ever as a keyed hash (comments.throttles.ip_hash): enough
    # to count posts per address, never to tell the address.
    ip_hash = models.CharField(_("IP hash"), max_length=64, blank=True)
    hold_reason = models.CharField(
        _("held because"), max_length=20, choices=Hold.choices, blank=True
    )
    rejection_reason = models.CharField(
        _("reason"), max_length=12, choices=Reason.choices, blank=True
    )
    # What the author is told with the reason (e-mail, my page).
    moderator_note = models.CharField(_("note to the author"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("written"), default=timezone.now)
    status_changed_at = models.DateTimeField(_("status changed"), default=timezone.now)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The comment block: a page of a story's top-level comments, newest first, in the
            # block's full order whatever their status (it lists published ones, deleted ones
            # with replies and the viewer's held ones), and the count of them. The status is
            # in the index: the comments skipped to reach a deep page, and those counted,
            # are read from the index alone.
            models.Index(
                fields=["story", "-created_at", "-id"],
                include=["status"],
                condition=Q(parent__isnull=True),
                name="comment_story_newest_idx",
            ),
            # The same sorted by 추천: most liked first.
            models.Index(
                fields=["story", "-like_count", "-created_at", "-id"],
                include=["status"],
                condition=Q(parent__isnull=True),
                name="comment_story_liked_idx",
            ),
            # 댓글 (N) on the block and the lists' comment counts: a story's comments by
            # status with their parent, counted from the index alone...
            models.Index(
                fields=["story", "status"], include=["parent"], name="comment_story_counts_idx"
            ),
            # ...and each reply's parent's status (a reply counts under a shown or deleted
            # parent), read from the index alone too.
            models.Index(fields=["id"], include=["status"], name="comment_status_idx"),
            # The block's rows: a page's top-level comments and their replies, by thread
            # (comments.selectors._page_rows).
            models.Index(Coalesce("parent", "id"), name="comment_thread_idx"),
            # The replies under the comments of one page, oldest first.
            models.Index(fields=["parent", "created_at"], name="comment_replies_idx"),
            # "My comments" on the reader's page, newest first; the double-submit check and
            # the throttles (gap, per story per day, the same text again) per reader.
            models.Index(fields=["author", "-created_at"], name="comment_author_idx"),
            # The moderator's queues by status (Pending oldest first, Rejected, Blinded newest
            # first) in their full order, and their counts, from the index alone.
            models.Index(fields=["status", "-created_at", "-id"], name="comment_queue_idx"),
            # The All queue, newest first.
            models.Index(fields=["-created_at", "-id"], name="comment_newest_idx"),
            # The Reported queue: most open reports first.
            models.Index(
                fields=["-open_reports", "-created_at"],
                condition=Q(open_reports__gt=0),
                name="comment_reported_idx",
            ),
            # The per-address throttle: posts from one (hashed) address in the last hour.
            models.Index(
                fields=["ip_hash", "created_at"], condition=~Q(ip_hash=""), name="comment_ip_idx"
            ),
        ]
        permissions = [("moderate_comment", _("Can moderate reader comments"))]
        constraints = [
            models.CheckConstraint(condition=~Q(parent=F("pk")), name="comment_not_its_own_parent"),
        ]

    def __str__(self) -> str:
        return self.body[:40]

    def get_absolute_url(self) -> str:
        return f"{self.story.get_absolute_url()}#comment-{self.pk}"

    @property
    def is_reply(self) -> bool:
        return self.parent_id is not None


class StoryComments(models.Model):
    """A story's comment counts as readers see them, kept (comments.totals.recount, in the
    transaction that changes a comment's visibility) rather than counted on every page
    view: a story with 20,000 comments would count them all for each reader."""

    story = models.OneToOneField(
        Article, primary_key=True, on_delete=models.CASCADE, related_name="comment_totals"
    )
    # 댓글 (N): the comments and replies everyone sees (comments.selectors.visible).
    visible = models.PositiveIntegerField(default=0)
    # The block's top-level comments everyone is listed (comments.selectors.public_threads):
    # its pages.
    threads = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("story's comment counts")
        verbose_name_plural = _("stories' comment counts")

    def __str__(self) -> str:
        return f"{self.story_id}: {self.visible}"


class CommentVote(models.Model):
    """추천 or 비추천: one per reader per comment; a reader may change it or take it back."""

    class Value(models.TextChoices):
        LIKE = "like", pgettext_lazy("comment vote", "Like")
        DISLIKE = "dislike", pgettext_lazy("comment vote", "Dislike")

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="votes")
    # A deleted account's votes stay, so that the counts on the comment stay true.
    voter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    value = models.CharField(_("vote"), max_length=8, choices=Value.choices)
    created_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("comment vote")
        verbose_name_plural = _("comment votes")
        constraints = [
            # Also the index of the page's "my vote" lookup, per comment and reader.
            models.UniqueConstraint(fields=["comment", "voter"], name="commentvote_once"),
        ]

    def __str__(self) -> str:
        return f"{self.value} #{self.comment_id}"


class CommentReport(models.Model):
    """신고: a reader flags a comment for the moderators, once, with a reason."""

    Reason = Reason

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=12, choices=Reason.choices)
    note = models.CharField(_("details"), max_length=200, blank=True)
    # The reporter's address as a keyed hash (comments.throttles.ip_hash), as on comments.
    ip_hash = models.CharField(_("IP hash"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("comment report")
        verbose_name_plural = _("comment reports")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # Also the index of the "already reported" check.
            models.UniqueConstraint(fields=["comment", "reporter"], name="commentreport_once"),
        ]
        indexes = [
            # Reports from one address in the last hour (comments.throttles.check_report).
            models.Index(
                fields=["ip_hash", "created_at"],
                condition=~Q(ip_hash=""),
                name="commentreport_ip_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reason} #{self.comment_id}"


class ModerationAction(HistoryEntry):
    """The comments' history: every post, vote, report and deletion, who did it and when.
    Kept when the comment's author or the actor is gone."""

    comment = models.ForeignKey(
        Comment, on_delete=models.SET_NULL, null=True, related_name="actions"
    )
    story = models.ForeignKey(Article, on_delete=models.SET_NULL, null=True, related_name="+")
    # The reader the action is about (the comment's author, or the reader suspended), so
    # the log filters by reader; their nickname is kept for when the account is gone.
    reader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reader"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reader_name = models.CharField(_("reader's nickname"), max_length=254, blank=True)

    class Meta(HistoryEntry.Meta):
        verbose_name = _("comment history entry")
        verbose_name_plural = _("comment history")
        indexes = [
            # A comment's history, newest first.
            models.Index(fields=["comment", "-created_at"], name="modaction_comment_idx"),
            # The daily caps on likes and reports: one actor's actions of a kind since midnight.
            models.Index(fields=["actor", "action", "created_at"], name="modaction_actor_idx"),
            # The log filtered by reader, by story, by action; and unfiltered, newest first.
            models.Index(fields=["reader", "-created_at"], name="modaction_reader_idx"),
            models.Index(fields=["story", "-created_at"], name="modaction_story_idx"),
            models.Index(fields=["action", "-created_at"], name="modaction_action_idx"),
            models.Index(fields=["-created_at"], name="modaction_newest_idx"),
        ]


class WordRule(models.Model):
    """One entry of the moderators' word list (matched by comments.wordrules): banned words
    refuse a comment, suspect words hold it for review, exceptions are innocent words that
    contain a banned or suspect one (시발점)."""

    class Kind(models.TextChoices):
        BANNED = "banned", pgettext_lazy("word rule", "Banned")
        SUSPECT = "suspect", pgettext_lazy("word rule", "Suspect")
        EXCEPTION = "exception", pgettext_lazy("word rule", "Exception")

    word = models.CharField(_("word"), max_length=40)
    kind = models.CharField(_("list"), max_length=10, choices=Kind.choices)
    whole_word = models.BooleanField(
        _("whole word only"),
        default=False,
        help_text=_("Match only where the word stands on its own, not inside a longer word."),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("added"), default=timezone.now)

    class Meta:
        verbose_name = _("word rule")
        verbose_name_plural = _("word rules")
        ordering = ["kind", "word"]
        constraints = [
            models.UniqueConstraint(fields=["word", "kind"], name="wordrule_once_per_list"),
        ]

    def __str__(self) -> str:
        return f"{self.word} ({self.kind})"


class RefusedComment(models.Model):
    """A comment the word rules refused, kept COMMENTS_REFUSED_KEEP_DAYS for the moderators:
    to see what readers meant, and to mark the innocent ones, whose word then becomes an
    exception. Written only by comments.moderation, outside the refused post's rolled-back
    transaction. No IP address: the attempt is about the words, not about tracing anyone."""

    story = models.ForeignKey(
        Article, verbose_name=_("story"), on_delete=models.CASCADE, related_name="+"
    )
    # A deleted account takes its attempts along: they were never published.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.CASCADE,
        related_name="refused_comments",
    )
    parent = models.ForeignKey(
        Comment,
        verbose_name=_("reply to"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # As it would have been stored (comments.rules.stored_text): the span counts in it.
    body = models.TextField(_("text"))
    # The rule as it read then: the list may have changed or lost it since.
    rule_word = models.CharField(_("rule"), max_length=40)
    rule_kind = models.CharField(
        _("list"), max_length=10, choices=WordRule.Kind.choices, default=WordRule.Kind.BANNED
    )
    # The characters of `body` the rule matched, [start, end); unknown when both are null.
    span_start = models.PositiveIntegerField(_("match starts at"), null=True, blank=True)
    span_end = models.PositiveIntegerField(_("match ends at"), null=True, blank=True)
    created_at = models.DateTimeField(_("written"), default=timezone.now)
    # A moderator found it innocent (its word became an exception); the list shows by whom.
    marked_innocent_at = models.DateTimeField(_("marked innocent"), null=True, blank=True)
    marked_innocent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    marked_innocent_by_name = models.CharField(_("marked innocent by"), max_length=254, blank=True)

    class Meta:
        verbose_name = _("refused comment")
        verbose_name_plural = _("refused comments")
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The desk's list, newest first; the daily clean-up of the old ones.
            models.Index(fields=["-created_at"], name="refused_newest_idx"),
            # How many of one reader's attempts are kept today, and the repeated click.
            models.Index(fields=["author", "-created_at"], name="refused_author_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(span_start__isnull=True, span_end__isnull=True)
                | Q(span_start__lt=F("span_end")),
                name="refused_span_in_order",
            ),
        ]

    def __str__(self) -> str:
        return self.body[:40]


class ReaderStanding(models.Model):
    """A reader's record with the moderators: decisions on their comments (trust) and any
    suspension or ban. Made on first need; changed only in comments.moderation."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="comment_standing"
    )
    approved_count = models.PositiveIntegerField(_("approved by a moderator"), default=0)
    rejected_count = models.PositiveIntegerField(_("rejected"), default=0)
    # Suspended until then; banned: for good. Either stops comments, likes and reports.
    suspended_until = models.DateTimeField(_("suspended until"), null=True, blank=True)
    banned = models.BooleanField(_("banned"), default=False)
    suspension_reason = models.CharField(_("reason for the suspension"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("reader's standing")
        verbose_name_plural = _("readers' standing")

    def __str__(self) -> str:
        return str(self.user_id)

    def suspended_at(self, now) -> bool:
        return self.banned or (self.suspended_until is not None and self.suspended_until > now)


class ReaderNote(models.Model):
    """A moderator's note about a reader, for the other moderators."""

    reader = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="moderator_notes"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    author_name = models.CharField(_("by"), max_length=254)
    text = models.CharField(_("note"), max_length=500)
    created_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("note about a reader")
        verbose_name_plural = _("notes about readers")
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The notes shown beside a reader's comments in the queues, newest first.
            models.Index(fields=["reader", "-created_at"], name="readernote_reader_idx"),
        ]

    def __str__(self) -> str:
        return self.text[:40]


class Blind(models.Model):
    """임시조치: a comment hidden on a claim that it infringes someone's rights, for at most
    30 days; it then returns to the review queue (the periodic job comments.end_blinds)."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="blinds")
    claimant = models.CharField(_("claimant"), max_length=200)
    claim = models.TextField(_("claim"))
    starts_at = models.DateTimeField(_("from"), default=timezone.now)
    ends_at = models.DateTimeField(_("until"))
    # Set when the blind ends: by the periodic job, or a moderator lifting it early.
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_by_name = models.CharField(_("by"), max_length=254)

    class Meta:
        verbose_name = _("temporary blind")
        verbose_name_plural = _("temporary blinds")
        ordering = ["-starts_at", "-pk"]
        indexes = [
            # The periodic job: running blinds whose time is up.
            models.Index(
                fields=["ends_at"], condition=Q(ended_at__isnull=True), name="blind_running_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.comment_id} {self.claimant}"


class ModeratorScope(models.Model):
    """The sections a moderator works on. Without a scope, or with no section in it, a
    moderator works on every section; a top section includes its subsections."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("moderator"),
        on_delete=models.CASCADE,
        related_name="moderator_scope",
    )
    sections = models.ManyToManyField(Section, verbose_name=_("sections"), blank=True)

    class Meta:
        verbose_name = _("moderator's sections")
        verbose_name_plural = _("moderators' sections")

    def __str__(self) -> str:
        return str(self.user)
