from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from comments import moderation
from comments.models import Comment, ModerationAction
from newsroom.tasks import task


@task("comments.end_blinds", autoretry_for=())
def end_blinds() -> int:
    """Temporary blinds whose time is up return their comments to review."""
    return moderation.end_blinds()


@task("comments.forget_refused", autoretry_for=())
def forget_refused() -> int:
    """Refused comments older than COMMENTS_REFUSED_KEEP_DAYS are deleted."""
    return moderation.forget_refused()


@task("comments.notify_rejected")
def notify_rejected(comment_id: int, action_id: int) -> int:
    """E-mail a comment's author that a moderator removed it, with the reason. Sent once
    (the history row remembers it), and only while the comment is still rejected."""
    action = ModerationAction.objects.filter(pk=action_id, comment_id=comment_id).first()
    if action is None or action.data.get("notified"):
        return 0
    comment = Comment.objects.select_related("story", "author").get(pk=comment_id)
    if comment.status != Comment.Status.REJECTED or comment.author is None:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "comment": comment,
            "reason": comment.get_rejection_reason_display(),
            "my_page": settings.SITE_URL + reverse("accounts:me") + "#my-comments",
            "site_name": settings.SITE_NAME,
        }
        subject = render_to_string("comments/email/rejected_subject.txt", context).strip()
        body = render_to_string("comments/email/rejected_body.txt", context)
    send_mail(subject, body, None, [comment.author.email])
    action.data["notified"] = True
    action.save(update_fields=["data"])
    return 1
