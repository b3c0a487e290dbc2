"""Who may do what with comments, as predicates; the block uses them to hide buttons.

Staff roles give no special power here yet: a moderator comments like any reader, and the
moderators' own actions come with their desk."""

from allauth.account.models import EmailAddress
from django.utils.translation import gettext_lazy as _

from comments.models import Comment

Status = Comment.Status
DELETABLE = {Status.PUBLISHED, Status.PENDING}


def refusal(user):
    """Why `user` may not comment, vote or report (a message to show), or None if they may.
    Comments go out under the nickname, so an account needs one, and a verified e-mail."""
    if not user.is_authenticated:
        return _("Log in to take part in the comments.")
    if not user.is_active:
        return _("This account is switched off.")
    if not EmailAddress.objects.filter(user=user, verified=True).exists():
        return _("Verify your e-mail address to take part in the comments.")
    if not user.nickname:
        return _("Choose a nickname on My page to take part in the comments.")
    return None


def can_take_part(user) -> bool:
    return refusal(user) is None


def can_delete(user, comment: Comment) -> bool:
    """Only the author deletes a comment, while it is shown or awaiting review."""
    return (
        user.is_authenticated
        and user.is_active
        and comment.author_id == user.pk
        and comment.status in DELETABLE
    )
