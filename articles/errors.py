from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _


class IllegalTransition(Exception):
    """The story is not in a state that allows this action."""

    def __init__(self, action: str, status: str):
        self.action, self.status = action, status
        super().__init__(
            _("This cannot be done to a story that is %(status)s.") % {"status": status}
        )


class NoteRequired(ValueError):
    def __init__(self, message):
        super().__init__(message)


class StaleVersion(Exception):
    """Someone saved the story after the version this save started from. Carries the
    submitted content so a form can give it back to the writer."""

    def __init__(self, *, saved_by: str, saved_at, submitted: dict):
        self.saved_by, self.saved_at, self.submitted = saved_by, saved_at, submitted
        when = formats.date_format(timezone.localtime(saved_at), "Y-m-d H:i")
        super().__init__(
            _(
                "%(who)s saved this story at %(when)s, after you opened it. Your text is "
                "kept below: compare it with theirs and save again."
            )
            % {"who": saved_by, "when": when}
        )


class DeliveryNotFailed(ValueError):
    """Only a failed delivery of the story's latest fan-out can be run again."""

    def __init__(self):
        super().__init__(
            _("Only a failed delivery of the story's latest fan-out can be run again.")
        )
