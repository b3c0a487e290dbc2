"""Press-arbitration claims (언론중재법) on the desk: the list with the legal deadlines, a
claim's page with the editor's steps, and the form that records one from a story. Editors
only (articles.claims says why). Every change is one call into articles.claims."""

from datetime import date

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts.permissions import desk_view
from articles import claims, labels, selectors
from articles.errors import StoryRefused
from articles.models import Article, PressClaim
from articles.views.desk import attempt

HANDLE = "articles.publish_article"  # editors (claims.can_handle)
FILTERS = {"open": pgettext_lazy("press claim", "Open"), "all": _("All")}
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ClaimForm(forms.Form):
    kind = forms.ChoiceField(label=_("type"), choices=PressClaim.Kind.choices)
    claimant = forms.CharField(label=pgettext_lazy("press claim", "claimant"), max_length=200)
    received_on = forms.DateField(
        label=_("date received"), input_formats=["%Y-%m-%d"], widget=DATE_INPUT
    )
    learned_on = forms.DateField(
        label=_("date the claimant learned of it"),
        input_formats=["%Y-%m-%d"],
        widget=DATE_INPUT,
        help_text=_("Of the report; for a follow-up report, of the acquittal or dismissal."),
    )
    demand = forms.CharField(
        label=_("what the claimant asks"), widget=forms.Textarea, required=False, max_length=5000
    )
    notice_shown = forms.BooleanField(
        label=_("Show the notice at the top of the story while the claim is open"),
        required=False,
    )


@never_cache
@desk_view(HANDLE)
def claim_list(request):
    """Every claim (or the open ones, ?show=open, the default), newest received first,
    each with its deadlines: days left, missed ones in red."""
    show = request.GET.get("show", "open")
    show = show if show in FILTERS else "open"
    today = timezone.localdate()
    found = list(selectors.press_claims(open_only=show == "open"))
    for claim in found:
        _describe(claim, today)
    return render(
        request,
        "articles/desk/claims/list.html",
        {"claims": found, "show": show, "filters": FILTERS, "today": today},
    )


@never_cache
@desk_view(HANDLE)
def claim_detail(request, claim_id: int):
    claim = selectors.press_claim(claim_id)
    if claim is None:
        raise Http404
    _describe(claim, timezone.localdate())
    events = selectors.claim_events(claim)
    for event in events:
        event.action_label = labels.action_label(event.action)
    return render(
        request,
        "articles/desk/claims/detail.html",
        {
            "claim": claim,
            "events": events,
            "story_published": claim.article.status == Article.Status.PUBLISHED,
        },
    )


@never_cache
@desk_view(HANDLE)
def claim_new(request, article_id: int):
    """The form that records a claim against this story; a claim received outside its
    window is recorded with the warning shown on its page."""
    article = Article.objects.filter(pk=article_id).exclude(status=Article.Status.SPIKED).first()
    if article is None:
        raise Http404
    form = ClaimForm(request.POST or None, initial={"received_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            claim = claims.record_claim(article, actor=request.user, **form.cleaned_data)
        except StoryRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            warnings = claims.window_warnings(claim)
            if warnings:
                messages.warning(
                    request,
                    _("Recorded, but outside its window: %(why)s") % {"why": " ".join(warnings)},
                )
            else:
                messages.success(request, _("The claim was recorded."))
            return redirect(claim.get_absolute_url())
    return render(
        request,
        "articles/desk/claims/new.html",
        {"article": article, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@desk_view(HANDLE)
@require_POST
def claim_answer(request, claim_id: int):
    claim = _claim_for_change(claim_id)
    decision = request.POST.get("decision", "")
    if decision not in ("accept", "reject"):
        messages.error(request, _("Choose to accept or to reject the claim."))
    else:
        attempt(
            request,
            lambda: claims.answer_claim(
                claim,
                actor=request.user,
                accept=decision == "accept",
                note=request.POST.get("note", ""),
            ),
            _("Accepted.") if decision == "accept" else _("Rejected."),
        )
    return redirect(claim.get_absolute_url())


@desk_view(HANDLE)
@require_POST
def claim_publish(request, claim_id: int):
    claim = _claim_for_change(claim_id)
    attempt(
        request,
        lambda: claims.publish_claim_notice(
            claim, actor=request.user, text=request.POST.get("text", "")
        ),
        _("The notice is published on the story and on the corrections page."),
    )
    return redirect(claim.get_absolute_url())


@desk_view(HANDLE)
@require_POST
def claim_close(request, claim_id: int):
    claim = _claim_for_change(claim_id)
    attempt(
        request,
        lambda: claims.close_claim(claim, actor=request.user, note=request.POST.get("note", "")),
        _("The claim is closed."),
    )
    return redirect(claim.get_absolute_url())


@desk_view(HANDLE)
@require_POST
def claim_notice(request, claim_id: int):
    claim = _claim_for_change(claim_id)
    shown = request.POST.get("shown") == "1"
    attempt(
        request,
        lambda: claims.set_notice_shown(claim, actor=request.user, shown=shown),
        _("The notice is shown on the story.") if shown else _("The notice is off the story."),
    )
    return redirect(claim.get_absolute_url())


# --- helpers --------------------------------------------------------------------------------


def _describe(claim: PressClaim, today: date) -> None:
    claim.deadlines = claims.deadlines(claim, today=today)
    claim.warnings = claims.window_warnings(claim) if claim.out_of_window else []


def _claim_for_change(claim_id: int) -> PressClaim:
    found = PressClaim.objects.filter(pk=claim_id).first()
    if found is None:
        raise Http404
    return found
