"""The comment actions. Each is a plain form post that redirects back to the story (PRG)
or, refused, shows the page again with the reader's text kept. The block's script sends
the same posts with `X-Requested-With: fetch` and gets the block's HTML back to swap in."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from accounts.errors import NotAllowed
from accounts.limits import client_ip
from articles import selectors as story_selectors
from articles.models import Article
from articles.views.public import story_page
from comments import block, errors, moderation, selectors
from comments.forms import CommentForm, ReportForm, VoteForm
from comments.models import Comment

# Tells the script that a response is the block, not some other page (a log-in form).
FRAGMENT_HEADER = "X-Comments-Block"


def _is_script(request) -> bool:
    return request.headers.get("X-Requested-With") == "fetch"


def _fragment(request, story: Article, *, status: int = 200, **options) -> HttpResponse:
    response = HttpResponse(block.render(request, story, **options), status=status)
    response[FRAGMENT_HEADER] = "1"
    if request.user.is_authenticated:
        # The reader's own form, token and votes: never for a shared cache.
        patch_cache_control(response, private=True)
    return response


def _story(article_id: int) -> Article:
    try:
        return selectors.story_for_comments(article_id)
    except Article.DoesNotExist:
        raise Http404 from None


def _comment(comment_id: int) -> Comment:
    # A comment on a story readers cannot see is as missing as the story.
    return get_object_or_404(
        Comment.objects.select_related("story__section"),
        pk=comment_id,
        story__status=Article.Status.PUBLISHED,
    )


def _done(request, story: Article, message: str, anchor: str = "comments") -> HttpResponse:
    if _is_script(request):
        return _fragment(request, story, notice=message)
    messages.success(request, message)
    sort, page = block.position(request)
    return HttpResponseRedirect(block.own_page(story, sort=sort, page=page, anchor=anchor))


def _refused(request, story: Article, error) -> HttpResponse:
    """A vote, report or deletion that was refused: the reason, nothing changed."""
    message = " ".join(error.messages) if hasattr(error, "messages") else str(error)
    status = 403 if isinstance(error, PermissionDenied) else 400
    if _is_script(request):
        return _fragment(request, story, status=status, notice=message)
    messages.error(request, message)
    sort, page = block.position(request)
    return HttpResponseRedirect(block.own_page(story, sort=sort, page=page))


@never_cache
@require_GET
def comment_block(request, article_id: int):
    """The block alone for the script's sort and page links; without script, a page of
    the story's comments drawn for the reader (block.own_page)."""
    story = _story(article_id)
    if _is_script(request):
        return _fragment(request, story)
    return render(
        request,
        "comments/page.html",
        {"story": story, "block_html": block.render(request, story)},
    )


@never_cache
@login_required
@require_POST
def post(request, article_id: int):
    story = _story(article_id)
    form = CommentForm(request.POST)
    try:
        if not form.is_valid():
            # The body's only check is Django's refusal of NUL; the rest is moderation's.
            raise errors.NullCharacter() if "body" in form.errors else errors.CannotReply()
        parent = None
        if form.parent_id:
            parent = Comment.objects.filter(pk=form.parent_id, story=story).first()
            if parent is None:
                raise errors.CannotReply()
        comment = moderation.post_comment(
            story,
            author=request.user,
            body=form.cleaned_data["body"],
            parent=parent,
            ip=client_ip(request),
        )
    except (errors.CommentRefused, NotAllowed) as error:
        form.add_error(None, error.messages if hasattr(error, "messages") else str(error))
        return _again(request, story, form)
    if comment.status == Comment.Status.PENDING:
        message = _("Your comment will be shown once a moderator has approved it.")
    else:
        message = _("Your comment is posted.")
    return _done(request, story, message, anchor=f"comment-{comment.pk}")


def _again(request, story: Article, form: CommentForm) -> HttpResponse:
    """The refused comment's form again, with its text and the reason; nothing was saved."""
    if _is_script(request):
        return _fragment(request, story, status=400, form=form)
    full = story_selectors.story_for_reader(story.pk)
    return story_page(request, full, extra={"comment_form": form}, status=400)


@never_cache
@login_required
@require_POST
def vote(request, comment_id: int):
    comment = _comment(comment_id)
    form = VoteForm(request.POST)
    if not form.is_valid():
        return _refused(request, comment.story, errors.NotVisible())
    value = form.cleaned_data["value"]
    try:
        moderation.vote(comment, voter=request.user, value=value)
    except (errors.CommentRefused, NotAllowed) as error:
        return _refused(request, comment.story, error)
    message = {
        "like": _("You liked this comment."),
        "dislike": _("You disliked this comment."),
    }.get(value, _("Your vote is withdrawn."))
    return _done(request, comment.story, message, anchor=f"comment-{comment.pk}")


@never_cache
@login_required
@require_POST
def report(request, comment_id: int):
    comment = _comment(comment_id)
    form = ReportForm(request.POST)
    if not form.is_valid():
        return _refused(
            request, comment.story, errors.CommentRefused(_("Choose a reason."), "no_reason")
        )
    try:
        moderation.report(
            comment,
            reporter=request.user,
            reason=form.cleaned_data["reason"],
            note=form.cleaned_data["note"],
            ip=client_ip(request),
        )
    except (errors.CommentRefused, NotAllowed) as error:
        return _refused(request, comment.story, error)
    return _done(
        request,
        comment.story,
        _("Thank you. A moderator will look at this comment."),
        anchor=f"comment-{comment.pk}",
    )


@never_cache
@login_required
@require_POST
def delete(request, comment_id: int):
    comment = _comment(comment_id)
    try:
        moderation.delete_own(comment, actor=request.user)
    except NotAllowed as error:
        return _refused(request, comment.story, error)
    return _done(request, comment.story, _("Your comment is deleted."))
