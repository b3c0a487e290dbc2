"""Every refusal a user can cause on a story. Each is a StoryRefused with a translated message
the desk shows as it is; nothing was changed. Views catch StoryRefused (and NotAllowed) only,
so a programming error stays a server error in the logs, never a flash message."""

from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _


class StoryRefused(ValueError):
    """The action was refused; nothing was changed. The message is for the user."""


class IllegalTransition(StoryRefused):
    """The story is not in a state that allows this action."""

    def __init__(self, action: str, status: str):
        self.action, self.status = action, status
        super().__init__(
            _("This cannot be done to a story that is %(status)s.") % {"status": status}
        )


class NoteRequired(StoryRefused):
    """A step that needs a note (a return, a correction, a take-down) came without one."""


class StaleVersion(StoryRefused):
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


class DeliveryNotFailed(StoryRefused):
    """Only a failed delivery of the story's latest fan-out can be run again."""

    def __init__(self):
        super().__init__(
            _("Only a failed delivery of the story's latest fan-out can be run again.")
        )


class WebhookDelivered(StoryRefused):
    """A webhook delivery that got through is never sent again (its receiver has it)."""

    def __init__(self):
        super().__init__(_("This webhook was delivered: it is not sent again."))


class TimeRequired(StoryRefused):
    """A scheduling step came without a usable date and time."""

    def __init__(self):
        super().__init__(_("Choose the date and time to publish."))


class TimeInThePast(StoryRefused):
    def __init__(self):
        super().__init__(_("Choose a time in the future."))


class NotCurated(StoryRefused):
    def __init__(self):
        super().__init__(_("Only the home page and top sections' pages are curated."))


class FrontPageFull(StoryRefused):
    def __init__(self, limit: int):
        super().__init__(_("At most %(count)s stories fit on this page.") % {"count": limit})


class FrontPageChanged(StoryRefused):
    """Another editor changed the page after this one was drawn: their change would be lost."""

    def __init__(self):
        super().__init__(
            _(
                "Another editor changed this page after you opened it. Here it is as it "
                "is now: make your change again."
            )
        )


class NotPlaceable(StoryRefused):
    def __init__(self, *, on_section: bool):
        super().__init__(
            _("Only published stories of this page's section can be placed on it.")
            if on_section
            else _("Only published stories can be placed on a front page.")
        )


class PreviewLinkLifetime(StoryRefused):
    def __init__(self, max_hours: int):
        super().__init__(
            _("A preview link lasts from 1 to %(hours)s hours.") % {"hours": max_hours}
        )


class ForeignRevision(StoryRefused):
    """A restore named a revision of another story (a forged or stale form)."""

    def __init__(self):
        super().__init__("The revision belongs to another story.")


class UnknownSeries(StoryRefused):
    def __init__(self):
        super().__init__("Unknown series.")


def _when(moment) -> str:
    return formats.date_format(timezone.localtime(moment), "Y-m-d H:i")


class EmbargoInForce(StoryRefused):
    """The story is under embargo: it is not published, nor scheduled, before the lift."""

    def __init__(self, *, until, source: str):
        self.until, self.source = until, source
        super().__init__(
            _(
                "Embargo until %(when)s (source: %(source)s): this story cannot be "
                "published or scheduled before then."
            )
            % {"when": _when(until), "source": source}
        )


class EmbargoAlreadySet(StoryRefused):
    """A second embargo over one already set: moving or lifting it is an editor's call."""

    def __init__(self):
        super().__init__(
            _("This story already has an embargo. Only an editor can move or lift it.")
        )


class NoEmbargo(StoryRefused):
    def __init__(self):
        super().__init__(_("This story has no embargo."))


class EmbargoSourceRequired(StoryRefused):
    def __init__(self):
        super().__init__(_("Say who set the embargo (the source)."))


class NotSpikeable(StoryRefused):
    """Published and taken-down stories are never spiked: they can only be taken down."""

    def __init__(self, status: str):
        super().__init__(
            _(
                "A story that is %(status)s cannot go to the trash: a story readers have "
                "seen is only ever taken down."
            )
            % {"status": status}
        )


class NoteBlank(StoryRefused):
    """A desk note came without any text."""

    def __init__(self):
        super().__init__(_("Write the note first."))


class NoteTooLong(StoryRefused):
    def __init__(self, limit: int, length: int):
        self.limit, self.length = limit, length
        super().__init__(
            _("A note is at most %(limit)s characters; this one has %(length)s.")
            % {"limit": limit, "length": length}
        )


class UnknownParagraph(StoryRefused):
    """The note points at a paragraph the story's saved body does not have (a stale form)."""

    def __init__(self):
        super().__init__(
            _("That paragraph is not in the saved story any more. Choose another one.")
        )


class NotMentionable(StoryRefused):
    """A mention named someone who cannot open the story (or no colleague at all)."""

    def __init__(self):
        super().__init__(
            _("Only colleagues who can open this story can be mentioned in its notes.")
        )


class PlanRefused(StoryRefused):
    """A refusal on the planning board (articles.planning); nothing was changed."""


class ItemCancelled(PlanRefused):
    def __init__(self):
        super().__init__(_("This item was cancelled."))


class StalePlan(PlanRefused):
    """The item was changed after the version the form started from."""

    def __init__(self):
        super().__init__(
            _(
                "Someone changed this item after you opened it. Here it is as it is now: "
                "make your change again."
            )
        )


class AlreadyAssigned(PlanRefused):
    def __init__(self, name: str):
        super().__init__(_("%(name)s already has this item.") % {"name": name})


class NotAWriter(PlanRefused):
    def __init__(self):
        super().__init__(_("Only reporters and editors can be assigned a story."))


class AssignmentAnswered(PlanRefused):
    """The assignment is not waiting for this answer (already declined, or accepted)."""

    def __init__(self, status: str):
        super().__init__(
            _("This cannot be done to an assignment that is %(status)s.") % {"status": status}
        )


class ClaimRefused(StoryRefused):
    """A step on a press-arbitration claim (articles.claims) was refused."""


class ClaimClosed(ClaimRefused):
    def __init__(self):
        super().__init__(_("This claim is closed: nothing more can be done to it."))


class ClaimNotInState(ClaimRefused):
    def __init__(self, status: str):
        super().__init__(
            _("This cannot be done to a claim that is %(status)s.") % {"status": status}
        )


class IssueRefused(StoryRefused):
    """A step on a newsletter issue (articles.newsletters.issues) was refused."""


class IssueNotInState(IssueRefused):
    def __init__(self, status: str):
        self.status = status
        super().__init__(
            _("This cannot be done to an issue that is %(status)s.") % {"status": status}
        )


class StaleIssue(IssueRefused):
    """Someone changed the issue after the version the form was drawn from. Carries what
    was submitted, so the form can give it back."""

    def __init__(self, *, saved_by: str, saved_at, submitted: dict):
        self.saved_by, self.saved_at, self.submitted = saved_by, saved_at, submitted
        super().__init__(
            _(
                "%(who)s changed this issue at %(when)s, after you opened it. Your version "
                "is kept below: compare it with the preview of theirs and save again."
            )
            % {"who": saved_by, "when": _when(saved_at)}
        )


class SubscriptionRefused(StoryRefused):
    """A request about a reader's newsletters (articles.newsletters.subscriptions) was
    refused; nothing was changed."""


class LinkInvalid(SubscriptionRefused):
    """A confirmation or unsubscribe link that this site did not make (or one cut short)."""

    def __init__(self):
        super().__init__(
            _(
                "This link is not one of ours, or it was cut short: copy the whole link "
                "from the mail."
            )
        )


class LinkExpired(SubscriptionRefused):
    """A confirmation link older than its lifetime. Carries the subscriber it was for, so
    the page can offer to send a new one."""

    def __init__(self, subscriber):
        self.subscriber = subscriber
        super().__init__(
            _("This confirmation link has expired: links work for 7 days. Ask for a new one below.")
        )
