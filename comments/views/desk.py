"""The moderator's desk (/desk/comments/): the queues, the comments the word rules refused,
one comment, one reader, the word list and the moderation log. Every decision is one call
into comments.moderation; a section-limited moderator gets 404 for anything outside their
sections, as for something missing; staff without the Moderator role get 403."""

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.cache import never_cache

from accounts.errors import NotAllowed
from accounts.models import User
from accounts.names import display_name
from accounts.permissions import desk_view
from accounts.roles import Role
from articles.models import Article, Section
from comments import errors, moderation, permissions, selectors
from comments.models import Comment, ModerationAction, Reason, RefusedComment, WordRule
from newsroom import inputs
from newsroom.paging import CappedPaginator

PAGE_SIZE = 25
LOG_PAGE_SIZE = 50
MODERATE = permissions.MODERATE
TABS = [
    ("pending", pgettext_lazy("moderation queue", "Pending")),
    ("reported", pgettext_lazy("moderation queue", "Reported")),
    ("rejected", pgettext_lazy("moderation queue", "Rejected")),
    ("blinded", pgettext_lazy("moderation queue", "Blinded")),
    ("all", pgettext_lazy("moderation queue", "All")),
]
# The log's action filter: what moderators and rules do (readers' votes are left out of
# the choices, not of the log).
LOG_ACTIONS = [
    ("posted", pgettext_lazy("moderation log", "Posted")),
    ("approved", pgettext_lazy("moderation log", "Approved")),
    ("rejected", pgettext_lazy("moderation log", "Rejected")),
    ("reports_dismissed", pgettext_lazy("moderation log", "Reports dismissed")),
    ("reported", pgettext_lazy("moderation log", "Reported")),
    ("hidden_by_reports", pgettext_lazy("moderation log", "Hidden by reports")),
    ("blinded", pgettext_lazy("moderation log", "Temporary blind")),
    ("blind_ended", pgettext_lazy("moderation log", "Blind ended")),
    ("suspended", pgettext_lazy("moderation log", "Suspended")),
    ("banned", pgettext_lazy("moderation log", "Banned")),
    ("unsuspended", pgettext_lazy("moderation log", "Suspension lifted")),
    ("noted", pgettext_lazy("moderation log", "Note")),
    ("word_added", pgettext_lazy("moderation log", "Word added")),
    ("word_removed", pgettext_lazy("moderation log", "Word removed")),
    ("deleted", pgettext_lazy("moderation log", "Deleted by the author")),
]
SUSPENSIONS = [
    ("1", gettext_lazy("1 day")),
    ("3", gettext_lazy("3 days")),
    ("7", gettext_lazy("7 days")),
    ("30", gettext_lazy("30 days")),
    ("ban", gettext_lazy("Ban for good")),
]


VOTES = {
    "voted": pgettext_lazy("moderation log", "Voted"),
    "vote_changed": pgettext_lazy("moderation log", "Vote changed"),
    "vote_withdrawn": pgettext_lazy("moderation log", "Vote withdrawn"),
}


def _labelled(entries):
    """Each entry's action and reason in words, for the log and a comment's history."""
    labels, reasons = {**dict(LOG_ACTIONS), **VOTES}, dict(Reason.choices)
    statuses = dict(Comment.Status.choices)
    entries = list(entries)
    for entry in entries:
        entry.label = labels.get(entry.action, entry.action)
        entry.reason_label = reasons.get(entry.data.get("reason", ""), "")
        entry.from_label = statuses.get(entry.from_status, entry.from_status)
        entry.to_label = statuses.get(entry.to_status, entry.to_status)
    return entries


def _story_in_reach(user, story_id: int) -> Article | None:
    """A published story with comments this moderator may act on, for a filter's title;
    any other story (a draft, another desk's section) is not named."""
    in_reach = permissions.moderatable(user).filter(story_id=OuterRef("pk"))
    return (
        Article.objects.filter(pk=story_id, status=Article.Status.PUBLISHED)
        .filter(Exists(in_reach))
        .only("headline")
        .first()
    )


def _back(request, default: str) -> str:
    back = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = ""
    return back or default


def _sections(user) -> list[Section]:
    scope = permissions.moderated_sections(user)
    sections = Section.objects.active_tree()
    if scope is not None:
        sections = sections.filter(pk__in=scope)
    return list(sections)  # depth first, as the editor's pickers


def _refusal(error) -> str:
    return " ".join(error.messages) if hasattr(error, "messages") else str(error)


@never_cache
@desk_view(MODERATE)
def queue(request):
    """A queue (Pending, Reported, Rejected, Blinded or All) of the moderator's sections,
    filtered by section and story, paged; the same number of queries whatever its length.
    A POST is a decision, from the bulk bar or from one row's buttons: a refusal is shown
    where it was made (the bar, or that row) and the page answers 400."""
    user = request.user
    refusal, refused_row = "", None
    if request.method == "POST":
        try:
            message = _decide(request)
        except errors.CommentRefused as refused:
            refusal = _refusal(refused)
            if not request.POST.get("bulk"):
                refused_row = inputs.number(request.POST.get("comment"))
        else:
            messages.success(request, message)
            return redirect(request.get_full_path())
    tab = request.GET.get("tab", "pending")
    if tab not in selectors.QUEUES:
        tab = "pending"
    sections = _sections(user)
    section = next((s for s in sections if str(s.pk) == request.GET.get("section")), None)
    scoped = permissions.moderatable(user)
    if section is not None:
        below = Section.objects.descendants(section, include_self=True).values("pk")
        scoped = scoped.filter(story__section__in=below)
    story = None
    story_id = inputs.number(request.GET.get("story"))
    if story_id is not None:
        story = _story_in_reach(user, story_id)
        scoped = scoped.filter(story_id=story_id)
    counts = selectors.queue_counts(scoped)
    page = CappedPaginator(selectors.desk_queue(scoped, tab), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    for comment in page:
        comment.report_reasons = selectors.report_summary(comment)
        comment.hold_rule, comment.hold_marked = selectors.held_match(comment)
        comment.refusal = refusal if comment.pk == refused_row else ""
    # A refused bulk decision keeps the moderator's ticks, decision, reason and note.
    bulk = request.POST if refusal and refused_row is None else {}
    return render(
        request,
        "comments/desk/queue.html",
        {
            "page": page,
            "tab": tab,
            "tabs": [(key, label, counts.get(key)) for key, label in TABS],
            "sections": sections,
            "section": section,
            "story": story,
            "reasons": Reason.choices,
            "limited": permissions.is_limited(user),
            "now": timezone.now(),
            "bulk": bulk,
            "bulk_refusal": refusal if bulk else "",
            "ticked": {inputs.number(pk) for pk in bulk.getlist("comment")} if bulk else set(),
        },
        status=400 if refusal else 200,
    )


def _decide(request) -> str:
    """Approve or reject the posted comments (the ticked ones, or the one row's), with one
    reason and note for all of them."""
    decision = request.POST.get("decision", "")
    ids = [inputs.number(pk) for pk in request.POST.getlist("comment")]
    ids = [pk for pk in ids if pk is not None]
    if decision not in ("approve", "reject") or not ids:
        raise errors.NotModeratable(_("Tick at least one comment and choose what to do."))
    found = list(
        permissions.moderatable(request.user, Comment.objects.filter(pk__in=ids)).select_related(
            "story"
        )
    )
    if len(found) != len(set(ids)):
        raise Http404
    reason, note = request.POST.get("reason", ""), request.POST.get("note", "")
    if decision == "reject" and reason not in Reason.values:
        if len(found) > 1:
            raise errors.NotModeratable(_("Choose the rule the comments broke."))
        raise errors.NotModeratable(_("Choose the rule the comment broke."))
    if decision == "approve":
        done, skipped = moderation.approve_many(found, actor=request.user, note=note)
        message = _("Approved: %(done)s.") % {"done": done}
    else:
        done, skipped = moderation.reject_many(found, actor=request.user, reason=reason, note=note)
        message = _("Rejected: %(done)s.") % {"done": done}
    if skipped:
        message += " " + _("Skipped, as their state had changed: %(skipped)s.") % {
            "skipped": skipped
        }
    return message


def _comment_for(user, comment_id: int) -> Comment:
    return get_object_or_404(
        selectors.with_desk_details(permissions.moderatable(user)), pk=comment_id
    )


@never_cache
@desk_view(MODERATE)
def refused(request):
    """The comments the word rules refused in the moderator's sections, newest first, as
    the readers wrote them with the match marked (kept COMMENTS_REFUSED_KEEP_DAYS).
    Moderators who keep the word list mark one innocent: its word becomes an exception. A
    refused marking is shown on its row and the page answers 400."""
    user = request.user
    can_edit = permissions.can_edit_word_rules(user)
    attempts = RefusedComment.objects.filter(permissions.section_filter(user))
    refusal, refused_row = "", None
    if request.method == "POST":
        if not can_edit:
            raise NotAllowed
        attempt = get_object_or_404(attempts, pk=inputs.number(request.POST.get("refused")) or 0)
        try:
            done = moderation.mark_innocent(attempt, actor=user)
        except errors.CommentRefused as refused_marking:
            refusal, refused_row = _refusal(refused_marking), attempt.pk
        else:
            messages.success(request, _innocence_message(done))
            return redirect(request.get_full_path())
    page = Paginator(selectors.refused_list(attempts), PAGE_SIZE).get_page(request.GET.get("page"))
    for attempt in page:
        attempt.marked = selectors.marked(attempt.body, attempt.span_start, attempt.span_end)
        word = moderation.innocent_word(attempt) if attempt.marked else ""
        # The rule itself written another way (씨1발) cannot be an exception: no button.
        attempt.rule_itself = bool(word) and moderation.excuses_the_rule(attempt, word)
        attempt.innocent_word = "" if attempt.rule_itself else word
        attempt.refusal = refusal if attempt.pk == refused_row else ""
    return render(
        request,
        "comments/desk/refused.html",
        {"page": page, "can_edit": can_edit, "keep_days": settings.COMMENTS_REFUSED_KEEP_DAYS},
        status=400 if refusal else 200,
    )


def _innocence_message(done: moderation.Innocence) -> str:
    if done.earlier:
        return _("This comment was already marked innocent.")
    if done.added:
        return _("“%(word)s” is on the exception list: the same text now passes.") % {
            "word": done.word
        }
    return _("“%(word)s” was already on the exception list; the comment is marked innocent.") % {
        "word": done.word
    }


@never_cache
@desk_view(MODERATE)
def comment_detail(request, comment_id: int):
    """One comment: its text, story, author and their record, reports, blinds and
    history, with every action that applies to it."""
    comment = _comment_for(request.user, comment_id)
    comment.report_reasons = selectors.report_summary(comment)
    comment.hold_rule, comment.hold_marked = selectors.held_match(comment)
    error = ""
    if request.method == "POST":
        try:
            message = _act_on_comment(request, comment)
        except (errors.CommentRefused, NotAllowed) as refusal:
            error = _refusal(refusal)
        else:
            messages.success(request, message)
            return redirect(_back(request, reverse("comment_desk:comment", args=[comment.pk])))
    history = _labelled(
        ModerationAction.objects.filter(comment=comment).order_by("-created_at", "-pk")[:50]
    )
    return render(
        request,
        "comments/desk/comment.html",
        {
            "comment": comment,
            "history": history,
            "blinds": comment.blinds.order_by("-starts_at"),
            "reasons": Reason.choices,
            "error": error,
            "posted": request.POST,
            "blind_days": moderation.BLIND_MAX_DAYS,
            "now": timezone.now(),
        },
        status=400 if error else 200,
    )


def _act_on_comment(request, comment: Comment) -> str:
    data, user = request.POST, request.user
    action = data.get("action")
    if action == "approve":
        kept_in_place = comment.status == Comment.Status.PUBLISHED
        moderation.approve(comment, actor=user, note=data.get("note", ""))
        if kept_in_place:
            return _("The reports are dismissed; the comment stays as it is.")
        return _("The comment is approved.")
    if action == "reject":
        if data.get("reason") not in Reason.values:
            raise errors.NotModeratable(_("Choose the rule the comment broke."))
        moderation.reject(comment, actor=user, reason=data["reason"], note=data.get("note", ""))
        return _("The comment is rejected; its author is told why.")
    if action == "blind":
        days = inputs.number(data.get("days")) or 0
        moderation.blind(
            comment,
            actor=user,
            claimant=data.get("claimant", ""),
            claim=data.get("claim", ""),
            days=days,
        )
        return _("The comment is hidden for %(days)s days.") % {"days": days}
    if action == "lift_blind":
        moderation.lift_blind(comment, actor=user)
        return _("The blind is lifted; the comment waits for review.")
    raise errors.NotModeratable()


@never_cache
@desk_view(MODERATE)
def reader_detail(request, user_id: int):
    """One reader: their record, suspension, the moderators' notes and their comments (in
    the moderator's sections)."""
    reader = get_object_or_404(User.objects.select_related("comment_standing"), pk=user_id)
    if not permissions.can_moderate_reader(request.user, reader):
        raise Http404
    error = ""
    if request.method == "POST":
        try:
            message = _act_on_reader(request, reader)
        except (errors.CommentRefused, NotAllowed) as refusal:
            error = _refusal(refusal)
        else:
            messages.success(request, message)
            return redirect(reverse("comment_desk:reader", args=[reader.pk]))
    comments = selectors.with_desk_details(
        permissions.moderatable(request.user, Comment.objects.filter(author=reader))
    ).order_by("-created_at", "-pk")
    page = Paginator(comments, PAGE_SIZE).get_page(request.GET.get("page"))
    for comment in page:
        comment.report_reasons = selectors.report_summary(comment)
        comment.hold_rule, comment.hold_marked = selectors.held_match(comment)
    standing = getattr(reader, "comment_standing", None)
    return render(
        request,
        "comments/desk/reader.html",
        {
            "reader": reader,
            "standing": standing,
            "suspended": standing is not None and standing.suspended_at(timezone.now()),
            "notes": reader.moderator_notes.all()[:50],
            "page": page,
            "reasons": Reason.choices,
            "suspensions": SUSPENSIONS,
            "error": error,
            "posted": request.POST,
        },
        status=400 if error else 200,
    )


def _act_on_reader(request, reader: User) -> str:
    data, user = request.POST, request.user
    action = data.get("action")
    if action == "suspend":
        length = data.get("length", "")
        if length not in dict(SUSPENSIONS):
            raise errors.NotModeratable(_("Choose how long."))
        if data.get("reason") not in Reason.values:
            raise errors.NotModeratable(_("Choose the rule the reader broke."))
        moderation.suspend(
            reader,
            actor=user,
            days=None if length == "ban" else inputs.number(length),
            reason=data["reason"],
            note=data.get("note", ""),
            reject_all=data.get("reject_all") == "1",
        )
        return _("The reader is banned.") if length == "ban" else _("The reader is suspended.")
    if action == "lift":
        moderation.lift_suspension(reader, actor=user, note=data.get("note", ""))
        return _("The suspension is lifted.")
    if action == "note":
        moderation.add_note(reader, actor=user, text=data.get("text", ""))
        return _("The note is saved.")
    raise errors.NotModeratable()


@never_cache
@desk_view(MODERATE)
def words(request):
    """The word list: banned, suspect and exception entries; moderators without a section
    limit add and remove them."""
    can_edit = permissions.can_edit_word_rules(request.user)
    error = ""
    if request.method == "POST":
        if not can_edit:
            raise NotAllowed
        try:
            if request.POST.get("remove"):
                rule = get_object_or_404(WordRule, pk=inputs.number(request.POST["remove"]) or 0)
                moderation.remove_word_rule(rule, actor=request.user)
                messages.success(request, _("“%(word)s” is off the list.") % {"word": rule.word})
            else:
                rule = moderation.add_word_rule(
                    request.POST.get("word", ""),
                    actor=request.user,
                    kind=request.POST.get("kind", ""),
                    whole_word=request.POST.get("whole_word") == "1",
                    note=request.POST.get("note", ""),
                )
                messages.success(
                    request,
                    _("“%(word)s” is on the %(list)s list.")
                    % {"word": rule.word, "list": rule.get_kind_display()},
                )
        except errors.CommentRefused as refusal:
            error = _refusal(refusal)
        else:
            return redirect("comment_desk:words")
    rules = list(WordRule.objects.order_by("word"))
    lists = [
        (kind, label, [rule for rule in rules if rule.kind == kind])
        for kind, label in WordRule.Kind.choices
    ]
    return render(
        request,
        "comments/desk/words.html",
        {
            "lists": lists,
            "kinds": WordRule.Kind.choices,
            "can_edit": can_edit,
            "error": error,
            "posted": request.POST,
        },
        status=400 if error else 200,
    )


@never_cache
@desk_view(MODERATE)
def log(request):
    """Every action on comments, readers and the word list, newest first; filtered by
    moderator, reader, story and action. A section-limited moderator sees the actions on
    their sections' comments."""
    user = request.user
    filters = Q()
    sections = permissions.moderated_sections(user)
    if sections is not None:
        filters &= Q(story__section_id__in=sections)
    # Listed under the names they sign the log with, never their addresses.
    moderator_choices = sorted(
        (
            (user, display_name(user))
            for user in User.objects.filter(groups__name=Role.MODERATOR)
            .select_related("staff_profile")
            .distinct()
        ),
        key=lambda choice: (choice[1], choice[0].pk),
    )
    moderators = [user for user, _name in moderator_choices]
    moderator = next((m for m in moderators if str(m.pk) == request.GET.get("moderator")), None)
    if moderator is not None:
        filters &= Q(actor=moderator)
    reader = None
    reader_id = inputs.number(request.GET.get("reader"))
    if reader_id is not None:
        reader = User.objects.filter(pk=reader_id).select_related("staff_profile").first()
        filters &= Q(reader_id=reader_id)
    story = None
    story_id = inputs.number(request.GET.get("story"))
    if story_id is not None:
        story = _story_in_reach(request.user, story_id)
        filters &= Q(story_id=story_id)
    action = request.GET.get("action", "")
    if action in dict(LOG_ACTIONS):
        filters &= Q(action=action)
    else:
        action = ""
    page = Paginator(selectors.moderation_log(filters), LOG_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    moderator_ids = {m.pk for m in moderators}
    for entry in _labelled(page):
        entry.by_moderator = entry.actor_id in moderator_ids
    return render(
        request,
        "comments/desk/log.html",
        {
            "page": page,
            "moderators": moderators,
            "moderator_choices": moderator_choices,
            "moderator": moderator,
            "reader": reader,
            "reader_name": display_name(reader) if reader else "",
            "story": story,
            "actions": LOG_ACTIONS,
            "action": action,
        },
    )
