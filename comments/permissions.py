"""Who may do what with comments, as predicates and scoped querysets; the block and the
desk use them to hide buttons, comments.moderation to refuse.

Readers take part once verified, with a nickname, and not suspended. Moderators (the role's
"comments.moderate_comment") work the desk, on every section or, with a ModeratorScope, on
theirs only (a top section includes its subsections)."""

from allauth.account.models import EmailAddress
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.roles import role_can
from articles.models import Section
from comments.models import Comment, ModeratorScope, ReaderStanding

Status = Comment.Status
DELETABLE = {Status.PUBLISHED, Status.PENDING}
MODERATE = "comments.moderate_comment"
_SCOPE_CACHE = "_comment_sections"


def suspension(user, now=None) -> str | None:
    """Why a suspended or banned reader may not take part, or None."""
    return _suspension_in(ReaderStanding.objects.filter(user=user).first(), now)


def _suspension_in(standing: ReaderStanding | None, now=None) -> str | None:
    now = now or timezone.now()
    if standing is None or not standing.suspended_at(now):
        return None
    if standing.banned:
        return _("You can no longer take part in the comments on this site.")
    until = formats.date_format(timezone.localtime(standing.suspended_until), "Y-m-d H:i")
    return _("You cannot take part in the comments until %(until)s.") % {"until": until}


def refusal(user):
    """Why `user` may not comment, vote or report (a message to show), or None if they may.
    Comments go out under the nickname, so an account needs one, and a verified e-mail.
    One query: the verified address and the reader's standing together."""
    if not user.is_authenticated:
        return _("Log in to take part in the comments.")
    if not user.is_active:
        return _("This account is switched off.")
    verified = EmailAddress.objects.filter(user=OuterRef("pk"), verified=True)
    row = (
        User.objects.filter(pk=user.pk)
        .annotate(verified=Exists(verified))
        .select_related("comment_standing")
        .first()
    )
    if row is None or not row.verified:
        return _("Verify your e-mail address to take part in the comments.")
    if not user.nickname:
        return _("Choose a nickname on My page to take part in the comments.")
    try:
        standing = row.comment_standing
    except ReaderStanding.DoesNotExist:
        standing = None
    return _suspension_in(standing)


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


# --- moderators -----------------------------------------------------------------------------


def is_moderator(user) -> bool:
    return user is not None and role_can(user, MODERATE)


def moderated_sections(user) -> frozenset[int] | None:
    """The ids of the sections `user` moderates (with their subsections), or None for all.
    Read once per user object."""
    if hasattr(user, _SCOPE_CACHE):
        return getattr(user, _SCOPE_CACHE)
    chosen = set(
        ModeratorScope.sections.through.objects.filter(moderatorscope__user=user).values_list(
            "section_id", flat=True
        )
    )
    found = None
    if chosen:
        tree = dict(Section.objects.values_list("pk", "parent_id"))
        found = frozenset(pk for pk in tree if _within(pk, tree, chosen))
    setattr(user, _SCOPE_CACHE, found)
    return found


def _within(pk: int, tree: dict, chosen: set) -> bool:
    seen = set()
    while pk is not None and pk not in seen:
        if pk in chosen:
            return True
        seen.add(pk)
        pk = tree.get(pk)
    return False


def is_limited(user) -> bool:
    return moderated_sections(user) is not None


def can_moderate(user, comment: Comment) -> bool:
    """A moderator acting on one comment: theirs if its story is in their sections."""
    if not is_moderator(user):
        return False
    sections = moderated_sections(user)
    return sections is None or comment.story.section_id in sections


def moderatable(user, comments: QuerySet[Comment] | None = None) -> QuerySet[Comment]:
    """The comments `user` may see and act on at the desk (none for a non-moderator)."""
    comments = Comment.objects.all() if comments is None else comments
    if not is_moderator(user):
        return comments.none()
    sections = moderated_sections(user)
    if sections is None:
        return comments
    return comments.filter(story__section_id__in=sections)


def can_moderate_reader(user, reader) -> bool:
    """Suspending or banning: every moderator for readers who wrote in their sections; a
    reader with no comment there is not theirs."""
    if not is_moderator(user):
        return False
    if not is_limited(user):
        return True
    return moderatable(user, Comment.objects.filter(author=reader)).exists()


def can_edit_word_rules(user) -> bool:
    """The word list applies everywhere: moderators without a section limit keep it."""
    return is_moderator(user) and not is_limited(user)


def section_filter(user) -> Q:
    sections = moderated_sections(user)
    return Q() if sections is None else Q(story__section_id__in=sections)
