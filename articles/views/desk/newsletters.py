"""The newsletters desk (뉴스레터): every newsletter with its subscribers and last issue, a
newsletter's issues, an issue's composing form (subject, intro, the story picker, "fill
automatically"), its preview as the e-mail shows it, the test send, sending now (after a
confirmation naming the recipients), scheduling and cancelling, and its progress while it
goes out. Editors only (articles.send_newsletter). Every change is one call into
articles.newsletters.issues; the page works without JavaScript, which only refreshes the
progress bar."""

from csp.decorators import csp_replace
from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts.permissions import desk_view
from articles.errors import IssueNotInState, StaleIssue, StoryRefused
from articles.models import Newsletter, NewsletterIssue
from articles.newsletters import issues, rendering, sending
from articles.newsletters import selectors as desk
from articles.views.desk import attempt
from newsroom import inputs
from newsroom.links import absolute_url

SEND = "articles.send_newsletter"  # editors (issues.can_send_newsletters)
Status = NewsletterIssue.Status
# The e-mail as its own page: its inline styles and its <style> block (the phone's media
# query) allowed, no script at all, and in a sandbox (an opaque origin: nothing in it
# reaches the desk's cookies or forms). Framing stays forbidden, as on every page
# (frame-ancestors 'none'): the preview opens in its own tab.
EMAIL_POLICY = {
    "default-src": ["'none'"],
    "style-src": ["'unsafe-inline'"],
    "img-src": ["'self'", "data:", "https:"],
    "script-src": ["'none'"],
    "form-action": ["'none'"],
    "sandbox": True,
}


class IssueForm(forms.Form):
    subject = forms.CharField(label=_("subject"), max_length=150)
    intro = forms.CharField(
        label=_("intro"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=2000,
        required=False,
        help_text=_("A few lines above the stories. Blank lines start a new paragraph."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


@never_cache
@desk_view(SEND)
def newsletter_list(request):
    """Every newsletter, offered or not: its subscribers (confirmed, waiting for their
    confirmation) and its newest issue."""
    found = desk.newsletters_for_desk()
    for newsletter in found:
        status = newsletter.last_issue_status
        newsletter.last_issue_label = Status(status).label if status else ""
    return render(request, "articles/desk/newsletters/list.html", {"newsletters": found})


@never_cache
@desk_view(SEND)
def newsletter_page(request, slug: str):
    """A newsletter's issues, newest first, each with its state and progress."""
    newsletter = _newsletter(slug)
    found = desk.issues_of(newsletter)
    for issue in found:
        issue.percent = _percent(issue.done, issue.recipient_count)
    return render(
        request,
        "articles/desk/newsletters/newsletter.html",
        {"newsletter": newsletter, "issues": found},
    )


@never_cache
@desk_view(SEND)
def issue_new(request, slug: str):
    """The composing form of a new issue; "fill automatically" (a submit button, so it
    works without JavaScript) gives the form back with the suggested stories picked."""
    newsletter = _newsletter(slug)
    picks: list[int] = []
    if request.method == "POST":
        picks = _posted_picks(request.POST)
        form = IssueForm(request.POST)
        if "fill" in request.POST:
            picks = _fill(request, newsletter)
            form = IssueForm(
                initial=_posted_text(request.POST)
                | {"subject": _subject_or_default(request.POST, newsletter)}
            )
        elif form.is_valid():
            try:
                issue = issues.create_issue(
                    newsletter,
                    actor=request.user,
                    subject=form.cleaned_data["subject"],
                    intro=form.cleaned_data["intro"],
                    article_ids=picks,
                )
            except StoryRefused as refusal:
                form.add_error(None, str(refusal))
            else:
                messages.success(request, _("The issue was saved as a draft."))
                return redirect("story_desk:newsletter-issue", issue_id=issue.pk)
    else:
        form = IssueForm(initial={"subject": _default_subject(newsletter)})
    return _compose(request, newsletter, None, form, picks)


def _default_subject(newsletter: Newsletter) -> str:
    """A new issue's subject until the editor writes one: the newsletter and the day
    ("아침 브리핑 12월 8일")."""
    return f"{newsletter.name} {formats.date_format(timezone.localdate(), 'MONTH_DAY_FORMAT')}"


def _subject_or_default(post, newsletter: Newsletter) -> str:
    return post.get("subject", "").strip() or _default_subject(newsletter)


@never_cache
@desk_view(SEND)
def issue_page(request, issue_id: int):
    """An issue: while a draft or scheduled, its composing form (saved from the version it
    was drawn from), the preview and every step; once sending, its progress; once sent,
    what became of it."""
    issue = _issue(issue_id)
    if request.method == "POST" and issue.status not in issues.EDITABLE:
        # Sent (or cancelled) since the form was drawn: said, and nothing saved.
        messages.error(request, str(IssueNotInState(issue.get_status_display())))
        return redirect("story_desk:newsletter-issue", issue_id=issue.pk)
    if request.method == "POST":
        picks = _posted_picks(request.POST)
        form = IssueForm(request.POST)
        if "fill" in request.POST:
            picks = _fill(request, issue.newsletter)
            form = IssueForm(initial=_posted_text(request.POST))
        elif form.is_valid():
            try:
                issues.edit_issue(
                    issue,
                    actor=request.user,
                    version=form.cleaned_data["version"] or 0,
                    subject=form.cleaned_data["subject"],
                    intro=form.cleaned_data["intro"],
                    article_ids=picks,
                )
            except StaleIssue as stale:
                # Given back as it was sent, to be saved again over the newer version.
                issue = _issue(issue_id)
                given_back = request.POST.copy()
                given_back["version"] = str(issue.version)
                form = IssueForm(given_back)
                form.is_valid()
                form.add_error(None, str(stale))
            except StoryRefused as refusal:
                form.add_error(None, str(refusal))
            else:
                messages.success(request, _("Saved."))
                return redirect("story_desk:newsletter-issue", issue_id=issue.pk)
        return _compose(request, issue.newsletter, issue, form, picks)
    if issue.status in issues.EDITABLE:
        form = IssueForm(
            initial={"subject": issue.subject, "intro": issue.intro, "version": issue.version}
        )
        picks = [pick.article_id for pick in issue.picks.order_by("position", "pk")]
        return _compose(request, issue.newsletter, issue, form, picks, status=200)
    progress = _progress(issue)
    return render(
        request,
        "articles/desk/newsletters/issue.html",
        {
            "issue": issue,
            "newsletter": issue.newsletter,
            "progress": progress,
            # Taken by the relay: bounced and complained rows were sent too.
            "sent_count": progress.done - progress.failed - progress.skipped if progress else 0,
            "events": desk.issue_events(issue),
            "open_tracking": settings.NEWSLETTER_OPEN_TRACKING,
            "sends_per_minute": f"{settings.NEWSLETTER_SENDS_PER_MINUTE:,}",
        },
    )


@never_cache
@csp_replace(EMAIL_POLICY)
@desk_view(SEND)
def issue_preview(request, issue_id: int):
    """The issue's HTML part as subscribers' mail shows it, on its own page; the
    unsubscribe link points at the newsletter's desk page."""
    issue = _issue(issue_id)
    html = (
        rendering.message(
            rendering.render_issue(issue),
            to=request.user.email,
            unsubscribe_url=_stand_in(issue),
        )
        .alternatives[0]
        .content
    )
    return HttpResponse(html)


@desk_view(SEND)
@require_POST
def issue_test(request, issue_id: int):
    return _step(
        request,
        issue_id,
        lambda issue: issues.send_test(issue, actor=request.user),
        _("A test was sent to %(address)s.") % {"address": request.user.email},
    )


@never_cache
@desk_view(SEND)
def issue_send(request, issue_id: int):
    """Send now: a confirmation page naming how many will get it, then the POST."""
    issue = _issue(issue_id)
    if request.method == "POST":
        try:
            issues.send_now(issue, actor=request.user)
        except StoryRefused as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(request, _("Sending has started."))
        return redirect("story_desk:newsletter-issue", issue_id=issue.pk)
    if issue.status not in issues.EDITABLE:
        return redirect("story_desk:newsletter-issue", issue_id=issue.pk)
    recipients = desk.recipients_now(issue.newsletter)
    return render(
        request,
        "articles/desk/newsletters/send.html",
        {
            "issue": issue,
            "newsletter": issue.newsletter,
            "recipients": recipients,
            "last_test": desk.last_test(issue),
            "recipients_text": ngettext(
                "Send this issue to %(count)s subscriber now?",
                "Send this issue to %(count)s subscribers now?",
                recipients,
            )
            % {"count": f"{recipients:,}"},
        },
    )


@desk_view(SEND)
@require_POST
def issue_schedule(request, issue_id: int):
    at = inputs.local_datetime(request.POST.get("send_at", ""))
    return _step(
        request,
        issue_id,
        lambda issue: issues.schedule(issue, actor=request.user, at=at),
        _("Scheduled."),
    )


@desk_view(SEND)
@require_POST
def issue_unschedule(request, issue_id: int):
    return _step(
        request,
        issue_id,
        lambda issue: issues.unschedule(issue, actor=request.user),
        _("The schedule was cancelled; the issue is a draft again."),
    )


@desk_view(SEND)
@require_POST
def issue_cancel(request, issue_id: int):
    note = request.POST.get("note", "")
    return _step(
        request,
        issue_id,
        lambda issue: issues.cancel(issue, actor=request.user, note=note),
        _("The issue was cancelled. It will not be sent."),
        to_newsletter=True,
    )


@desk_view(SEND)
@require_POST
def issue_stop(request, issue_id: int):
    return _step(
        request,
        issue_id,
        lambda issue: issues.stop_sending(issue, actor=request.user),
        _("The sending was stopped: nobody else will get this issue."),
    )


@never_cache
@desk_view(SEND)
def issue_progress(request, issue_id: int):
    """The issue page's progress bar, polled while it sends."""
    issue = _issue(issue_id)
    progress = _progress(issue)
    return JsonResponse(
        {
            "status": issue.status,
            "total": progress.total if progress else issue.recipient_count,
            "sent": progress.done if progress else 0,
            "percent": progress.percent if progress else 0,
        }
    )


# --- helpers ----------------------------------------------------------------------------------


def _step(request, issue_id: int, change, done: str, *, to_newsletter: bool = False):
    """One of the issue page's buttons: the change (articles.newsletters.issues) tried and
    said how it went, then back to the issue's page (or its newsletter's)."""
    issue = _issue(issue_id)
    attempt(request, lambda: change(issue), done)
    if to_newsletter:
        return redirect("story_desk:newsletter", slug=issue.newsletter.slug)
    return redirect("story_desk:newsletter-issue", issue_id=issue.pk)


def _newsletter(slug: str) -> Newsletter:
    found = desk.newsletter(slug)
    if found is None:
        raise Http404
    return found


def _issue(issue_id: int) -> NewsletterIssue:
    found = desk.issue(issue_id)
    if found is None:
        raise Http404
    return found


def _progress(issue: NewsletterIssue):
    if issue.started_at is None:
        return None
    return sending.progress(issue)


def _percent(done: int, total: int) -> int:
    return min(100, done * 100 // total) if total else 0


def _stand_in(issue: NewsletterIssue) -> str:
    return absolute_url(reverse("story_desk:newsletter", args=[issue.newsletter.slug]))


def _posted_text(post) -> dict:
    return {
        "subject": post.get("subject", ""),
        "intro": post.get("intro", ""),
        "version": inputs.number(post.get("version", ""), 0),
    }


def _posted_picks(post) -> list[int]:
    """The ticked stories, in the order numbers typed beside them (those without a number
    after the numbered ones, in the list's order)."""
    chosen = []
    for index, raw in enumerate(post.getlist("pick")):
        pk = inputs.number(raw)
        if pk is None:
            continue
        order = inputs.number(post.get(f"order-{pk}", "").strip(), inputs.LARGEST)
        chosen.append((order, index, pk))
    return list(dict.fromkeys(pk for _order, _index, pk in sorted(chosen)))


def _fill(request, newsletter: Newsletter) -> list[int]:
    picks = issues.fill_automatically(newsletter)
    if picks:
        messages.info(
            request,
            ngettext(
                "%(count)s story was picked for you: check the order and save.",
                "%(count)s stories were picked for you: check the order and save.",
                len(picks),
            )
            % {"count": len(picks)},
        )
    else:
        messages.warning(request, _("No published story fits this newsletter yet."))
    return picks


def _compose(request, newsletter, issue, form, picks: list[int], *, status: int | None = None):
    rows = desk.picker_stories(picks)
    order = {pk: position for position, pk in enumerate(picks)}
    for story in rows:
        story.picked = story.pk in order
        story.order = order[story.pk] + 1 if story.picked else ""
    rows.sort(key=lambda story: (not story.picked, order.get(story.pk, 0)))
    if status is None:
        status = 400 if request.method == "POST" and form.errors else 200
    context = {
        "newsletter": newsletter,
        "issue": issue,
        "form": form,
        "stories": rows,
        "picked_count": len(order),
    }
    if issue is not None:
        context["events"] = desk.issue_events(issue)
        context["send_at_value"] = (
            timezone.localtime(issue.send_at).strftime("%Y-%m-%dT%H:%M") if issue.send_at else ""
        )
    return render(request, "articles/desk/newsletters/compose.html", context, status=status)
