"""Who may do what with a story."""

from accounts.roles import role_can
from articles.models import Article

Status = Article.Status
REPORTER_EDITABLE = {Status.DRAFT, Status.RETURNED}
# Not yet published: a story that may carry an embargo.
EMBARGOABLE = {Status.DRAFT, Status.SUBMITTED, Status.RETURNED, Status.SCHEDULED}
# Reporters spike their own stories in these states; editors also a scheduled one (its
# schedule was an editor's decision).
REPORTER_SPIKEABLE = {Status.DRAFT, Status.RETURNED, Status.SUBMITTED}
EDITOR_SPIKEABLE = REPORTER_SPIKEABLE | {Status.SCHEDULED}


def can_manage_webhooks(user) -> bool:
    """Partners' webhooks are the site's administrators' (no role carries them): superusers
    and whoever was given the model's change permission in the admin."""
    return bool(
        user.is_active and (user.is_superuser or user.has_perm("articles.change_webhookendpoint"))
    )


def is_editor(user) -> bool:
    return role_can(user, "articles.publish_article")


def is_author(user, article: Article) -> bool:
    if not user.is_authenticated:
        return False
    if article.created_by_id == user.pk:
        return True
    return any(
        byline.profile and byline.profile.user_id == user.pk for byline in article.bylines.all()
    )


def can_create(user) -> bool:
    return role_can(user, "articles.add_article")


def can_edit(user, article: Article) -> bool:
    """Reporters edit their own drafts and returned stories; editors edit any story but
    one in the trash (it is restored first)."""
    if article.status == Status.SPIKED:
        return False
    if role_can(user, "articles.change_any_article"):
        return True
    return (
        role_can(user, "articles.change_article")
        and article.status in REPORTER_EDITABLE
        and is_author(user, article)
    )


def can_view(user, article: Article) -> bool:
    return is_editor(user) or (role_can(user, "articles.view_article") and is_author(user, article))


def can_submit(user, article: Article) -> bool:
    return can_edit(user, article) and (is_author(user, article) or is_editor(user))


def can_publish_directly(user, article: Article) -> bool:
    """Editors publish what was submitted; their own drafts they may publish at once."""
    return is_editor(user) and (article.status != Status.DRAFT or is_author(user, article))


def can_share_preview(user, article: Article) -> bool:
    """Editors hand out preview links to people without an account."""
    return is_editor(user)


def can_set_embargo(user, article: Article) -> bool:
    """A first embargo: the story's reporter while they may edit it, or an editor, on a
    story not yet published."""
    if article.status not in EMBARGOABLE:
        return False
    return is_editor(user) or (can_edit(user, article) and is_author(user, article))


def can_change_embargo(user, article: Article) -> bool:
    """Moving or lifting an embargo once set is an editor's decision."""
    return is_editor(user) and article.status in EMBARGOABLE


def can_spike(user, article: Article) -> bool:
    if is_editor(user):
        return article.status in EDITOR_SPIKEABLE
    return (
        role_can(user, "articles.change_article")
        and article.status in REPORTER_SPIKEABLE
        and is_author(user, article)
    )


def can_restore(user, article: Article) -> bool:
    if article.status != Status.SPIKED:
        return False
    return is_editor(user) or (
        role_can(user, "articles.change_article") and is_author(user, article)
    )


# --- the planning board (articles.planning) -------------------------------------------------


def can_read_planning(user) -> bool:
    """Every desk role reads the board: reporters, editors and moderators."""
    return role_can(user, "accounts.access_desk")


def can_plan(user) -> bool:
    """Editors create, move and cancel items and hand out assignments."""
    return is_editor(user)


def can_answer_assignment(user, assignment) -> bool:
    """Only the assigned writer accepts, declines or starts the story of an assignment."""
    return user.is_authenticated and assignment.reporter_id == user.pk and can_create(user)


def can_see_assignment(user, assignment) -> bool:
    """An assignment's pages exist for its writer and for editors; to other reporters
    they are missing, like their stories."""
    return is_editor(user) or (user.is_authenticated and assignment.reporter_id == user.pk)


def can_send_newsletters(user) -> bool:
    """Compose, test and send newsletter issues (editors)."""
    return role_can(user, "articles.send_newsletter")
