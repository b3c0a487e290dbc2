from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.translation import gettext_lazy as _


class HistoryEntry(models.Model):
    """The shape of an app's history row (a story's events, the comments' moderation log,
    role changes, account events, the photo library's history): what was done, by whom,
    from which state to which, why, and when. The actor's name is a snapshot, so the row
    outlives the account.

    A history whose actions have labels names them in an inner `Action` (TextChoices):
    `get_action_display()` reads it. The column itself stays free text, so adding an action
    never needs a migration."""

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
        abstract = True
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} ({self.actor_name})"

    def get_action_display(self) -> str:
        """The action in words, from the model's `Action` choices; the code itself for a
        history without them (or an action no longer in them)."""
        actions = getattr(type(self), "Action", None)
        labels = dict(actions.choices) if actions is not None else {}
        return force_str(labels.get(self.action, self.action), strings_only=True)


class OutboxMessage(models.Model):
    """A task to run, written in the same transaction as the change that asked for it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        SENT = "sent", _("Handed to a worker")
        DONE = "done", _("Done")
        FAILED = "failed", _("Given up")

    task_name = models.CharField(_("task"), max_length=200)
    args = models.JSONField(_("arguments"), default=list, blank=True)
    kwargs = models.JSONField(_("keyword arguments"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"))
    last_error = models.TextField(_("last error"), blank=True)
    request_id = models.CharField(_("request id"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox messages")
        ordering = ["-created_at"]
        indexes = [
            # The sweep: pending rows whose next attempt is due, oldest first.
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(status="pending"),
                name="outbox_pending_due_idx",
            ),
            # Pruning delivered rows by age.
            models.Index(fields=["status", "created_at"], name="outbox_status_created_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.task_name} #{self.pk} ({self.get_status_display()})"
