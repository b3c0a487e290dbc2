"""Labels as the newsroom reads them: series labels as Korean papers print them
("[반도체 공급망①]"), and the names of a story's fields, revision reasons and history
actions shown by the admin and the desk."""

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# ① (U+2460) to ⑳ (U+2473); past twenty, plain numbers.
CIRCLED_FIRST = 0x2460
CIRCLED_LAST = 20


def ordinal_mark(number: int) -> str:
    if 1 <= number <= CIRCLED_LAST:
        return chr(CIRCLED_FIRST + number - 1)
    return str(number)


def series_label(name: str, ordinal: int | None) -> str:
    return f"[{name}{ordinal_mark(ordinal) if ordinal else ''}]"


# Revision contents name some parts that are not fields of the story itself.
CONTENT_LABELS = {
    "photo_uses": _("photos in stories"),
    "bylines": _("bylines"),
    "extra_sections": _("also in sections"),
}

REVISION_REASONS = {
    "created": pgettext_lazy("revision reason", "written"),
    "saved": pgettext_lazy("revision reason", "saved"),
    "updated": pgettext_lazy("revision reason", "updated after publication"),
    "corrected": pgettext_lazy("revision reason", "corrected"),
}

# ArticleEvent.action codes, as the story's history shows them.
EVENT_ACTIONS = {
    "created": pgettext_lazy("story event", "written"),
    "saved": pgettext_lazy("story event", "saved"),
    "updated": pgettext_lazy("story event", "updated after publication"),
    "corrected": pgettext_lazy("story event", "corrected"),
    "submit": pgettext_lazy("story event", "submitted for review"),
    "return": pgettext_lazy("story event", "returned to the reporter"),
    "publish": pgettext_lazy("story event", "published"),
    "schedule": pgettext_lazy("story event", "scheduled"),
    "reschedule": pgettext_lazy("story event", "rescheduled"),
    "cancel_schedule": pgettext_lazy("story event", "schedule cancelled"),
    "unpublish": pgettext_lazy("story event", "taken down"),
    "republish": pgettext_lazy("story event", "published again"),
    "unpublish_scheduled": pgettext_lazy("story event", "take-down scheduled"),
    "share_link_created": pgettext_lazy("story event", "preview link made"),
    "share_link_revoked": pgettext_lazy("story event", "preview link revoked"),
    "share_rerun": pgettext_lazy("story event", "sharing delivery re-run"),
    "embargo_set": pgettext_lazy("story event", "embargo set"),
    "embargo_moved": pgettext_lazy("story event", "embargo moved"),
    "embargo_lifted": pgettext_lazy("story event", "embargo lifted"),
    "withdraw": pgettext_lazy("story event", "taken back to draft"),
    "spike": pgettext_lazy("story event", "moved to the trash"),
    "restore": pgettext_lazy("story event", "restored from the trash"),
    "purged": pgettext_lazy("story event", "deleted for good from the trash"),
    "note_resolved": pgettext_lazy("story event", "desk note resolved"),
    "note_reopened": pgettext_lazy("story event", "desk note reopened"),
    "planned": pgettext_lazy("story event", "started from the planning board"),
    "claim_recorded": pgettext_lazy("story event", "press-arbitration claim received"),
    "claim_accepted": pgettext_lazy("story event", "press-arbitration claim accepted"),
    "claim_rejected": pgettext_lazy("story event", "press-arbitration claim rejected"),
    "claim_published": pgettext_lazy("story event", "press-arbitration notice published"),
    "claim_closed": pgettext_lazy("story event", "press-arbitration claim closed"),
    "claim_notice_shown": pgettext_lazy("story event", "claim notice shown on the story"),
    "claim_notice_hidden": pgettext_lazy("story event", "claim notice taken off the story"),
}


def reason_label(reason: str) -> str:
    """A revision's reason as the editor reads it ("restored #3" keeps its number)."""
    if reason.startswith("restored #"):
        return str(_("restored from #%(number)s") % {"number": reason.removeprefix("restored #")})
    return str(REVISION_REASONS.get(reason, reason))


def field_label(name: str) -> str:
    """The name of a story's field, or of another part a revision keeps."""
    if name in CONTENT_LABELS:
        return str(CONTENT_LABELS[name])
    # Looked up when called: the models module imports this one.
    article = apps.get_model("articles", "Article")
    try:
        return str(article._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return name


def action_label(action: str) -> str:
    """A history row's action code as the desk reads it; an unknown code as it is."""
    return str(EVENT_ACTIONS.get(action, action))
