from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from articles.models import Article


class Comment(models.Model):
    """A reader's comment on a story, or a reply to one (one level only). Its status
    changes only in comments.moderation; rows are never deleted, so replies and history
    keep their place."""

    class Status(models.TextChoices):
        PUBLISHED = "published", pgettext_lazy("comment status", "Published")
        PENDING = "pending", pgettext_lazy("comment status", "Awaiting review")
        REJECTED = "rejected", pgettext_lazy("comment status", "Not published")
        DELETED = "deleted", pgettext_lazy("comment status", "Deleted")

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
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    created_at = models.DateTimeField(_("written"), default=timezone.now)
    status_changed_at = models.DateTimeField(_("status changed"), default=timezone.now)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The article page: a story's top-level comments, newest first, and its count.
            models.Index(
                fields=["story", "status", "-created_at"],
                condition=Q(parent__isnull=True),
                name="comment_story_newest_idx",
            ),
            # The article page sorted by 추천: most liked first.
            models.Index(
                fields=["story", "status", "-like_count", "-created_at"],
                condition=Q(parent__isnull=True),
                name="comment_story_liked_idx",
            ),
            # The replies under the comments of one page, oldest first.
            models.Index(fields=["parent", "created_at"], name="comment_replies_idx"),
            # "My comments" on the reader's page, newest first; and the double-submit check.
            models.Index(fields=["author", "-created_at"], name="comment_author_idx"),
        ]
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

    class Reason(models.TextChoices):
        COPYRIGHT = "copyright", _("Copyright infringement")
        DEFAMATION = "defamation", _("Defamation")
        PROFANITY = "profanity", _("Profanity or demeaning words")
        PERSONAL_ATTACK = "attack", _("Personal attack")
        SPAM = "spam", _("Spam or advertising")
        OTHER = "other", pgettext_lazy("report reason", "Other")

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=12, choices=Reason.choices)
    note = models.CharField(_("details"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("comment report")
        verbose_name_plural = _("comment reports")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # Also the index of the "already reported" check.
            models.UniqueConstraint(fields=["comment", "reporter"], name="commentreport_once"),
        ]

    def __str__(self) -> str:
        return f"{self.reason} #{self.comment_id}"


class ModerationAction(models.Model):
    """The comments' history: every post, vote, report and deletion, who did it and when.
    Kept when the comment's author or the actor is gone."""

    comment = models.ForeignKey(
        Comment, on_delete=models.SET_NULL, null=True, related_name="actions"
    )
    story = models.ForeignKey(Article, on_delete=models.SET_NULL, null=True, related_name="+")
    action = models.CharField(_("action"), max_length=20)
    from_status = models.CharField(_("from"), max_length=12, blank=True)
    to_status = models.CharField(_("to"), max_length=12, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    actor_name = models.CharField(_("by"), max_length=254)
    note = models.TextField(_("note"), blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("comment history entry")
        verbose_name_plural = _("comment history")
        ordering = ["-created_at", "-pk"]
        indexes = [
            # A comment's history, newest first.
            models.Index(fields=["comment", "-created_at"], name="modaction_comment_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.action} ({self.actor_name})"
