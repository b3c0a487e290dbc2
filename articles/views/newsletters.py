"""The reader's newsletter pages: the list with its subscribe form, the answer to a
subscribe, the confirmation and unsubscribe links' pages, and the my page's buttons.
Every change goes through articles.newsletters.subscriptions.

The public subscribe form and the two link pages post without a CSRF token, on purpose:
- the subscribe form sits in cached pages that are the same for everyone and hold no
  token (newsroom.cached_pages). A forged post can only ask for a mail to an address,
  which changes nothing until the mailbox's owner opens the link (double opt-in); the
  limits per address and per recipient (accounts.limits) keep that from becoming a flood,
  and the endpoint never reads the session, so no one can be subscribed in a signed-in
  reader's name;
- the confirmation and unsubscribe pages act on the signed token in their address, their
  only authority: a forged post would need the token, and whoever has it can post it
  themselves. RFC 8058's one-click unsubscribe is a mail client's POST with no cookie at all.
The my page's buttons act on the signed-in reader's own subscriptions: CSRF-protected.
"""

from urllib.parse import urlsplit

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts import limits
from accounts.errors import LimitReached
from articles import dependencies
from articles.errors import LinkExpired, LinkInvalid, SubscriptionRefused
from articles.newsletters import bounces, selectors, subscriptions
from articles.newsletters.forms import SubscribeForm
from articles.newsletters.models import Newsletter, Subscription
from newsroom import inputs
from newsroom.cached_pages import cacheable, depends_on

ONE_CLICK = "List-Unsubscribe=One-Click"


def _form_page(request, form: SubscribeForm | None, *, status: int = 200, message: str = ""):
    newsletters = selectors.offered()
    chosen = set()
    if form is not None and form.is_bound:
        chosen = {value for value in form.data.getlist("newsletters") if value.isdigit()}
        chosen = {int(value) for value in chosen}
    return render(
        request,
        "articles/newsletters/index.html",
        {
            "newsletters": newsletters,
            "form": form,
            "chosen": chosen,
            "consent_text": subscriptions.CONSENT_TEXT,
            "message": message,
        },
        status=status,
    )


@cacheable(timeout=300)
@require_safe
def index(request):
    """뉴스레터: the newsletters offered, each described, with the subscribe form."""
    return depends_on(_form_page(request, None), dependencies.newsletters_page())


@never_cache
@csrf_exempt  # see the module's note: cached pages, double opt-in and limits
@require_POST
def subscribe(request):
    """The public subscribe form's POST (the article page, home, the list): refused
    fields come back on the list page (400); over the address's limit, the list page with
    the message (429); otherwise the same answer whatever the address's subscriptions."""
    form = SubscribeForm(request.POST)
    if not form.is_valid():
        return _form_page(request, form, status=400)
    ip = limits.client_ip(request)
    try:
        limits.check_subscribe(ip=ip)
    except LimitReached as refused:
        return _form_page(request, form, status=429, message=refused.message)
    limits.subscribe_requested(ip=ip)
    try:
        # Never the session's user: this form carries no CSRF token (the module's note).
        subscriptions.subscribe(
            form.cleaned_data["email"],
            list(form.cleaned_data["newsletters"]),
            ip=ip,
            language=translation.get_language(),
        )
    except SubscriptionRefused as refused:
        return _form_page(request, form, status=400, message=str(refused))
    return render(
        request,
        "articles/newsletters/asked.html",
        {"email": form.cleaned_data["email"], "days": subscriptions.CONFIRM_MAX_AGE.days},
    )


@never_cache
@csrf_exempt  # the signed token in the address is the only authority (module's note)
@require_http_methods(["GET", "POST"])
def confirm(request, token: str):
    """The confirmation link: a button to press (GET changes nothing: mail scanners open
    links), which confirms (POST). An expired link offers the form again, filled in."""
    try:
        subscriber = subscriptions.subscriber_of_confirm_token(token)
    except LinkInvalid as refused:
        return render(
            request, "articles/newsletters/link_refused.html", {"message": refused}, status=400
        )
    except LinkExpired as expired:
        return _expired(request, expired)
    if request.method == "GET":
        # After a complaint the link confirms nothing (subscriptions.confirm): no button.
        complained = bounces.suspended_for_complaint(subscriber)
        waiting = subscriber.subscriptions.filter(status=Subscription.Status.PENDING)
        return render(
            request,
            "articles/newsletters/confirm.html",
            {
                "waiting": [] if complained else list(waiting.select_related("newsletter")),
                "suspended": None if complained else subscriber.suspended_at,
            },
        )
    done = subscriptions.confirm(token)
    return render(
        request,
        "articles/newsletters/confirmed.html",
        {"done": done, "linked": done.subscriber.user_id is not None},
    )


def _expired(request, expired: LinkExpired):
    waiting = set(
        expired.subscriber.subscriptions.filter(status=Subscription.Status.PENDING).values_list(
            "newsletter_id", flat=True
        )
    )
    return render(
        request,
        "articles/newsletters/index.html",
        {
            "newsletters": selectors.offered(),
            "form": SubscribeForm(initial={"email": expired.subscriber.email}),
            "chosen": waiting,
            "consent_text": subscriptions.CONSENT_TEXT,
            "message": str(expired),
            "expired": True,
        },
        status=410,
    )


@never_cache
@csrf_exempt  # RFC 8058: a mail client's POST carries no cookie (module's note)
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    """The unsubscribe link of every issue. GET: a button (no change: mail scanners
    prefetch links); POST, the button or a mail client's one-click
    (body List-Unsubscribe=One-Click): unsubscribed, without logging in."""
    try:
        subscription = subscriptions.subscription_of_unsubscribe_token(token)
    except LinkInvalid as refused:
        return render(
            request, "articles/newsletters/link_refused.html", {"message": refused}, status=400
        )
    if request.method == "POST":
        one_click = request.POST.get("List-Unsubscribe") == "One-Click"
        subscription = subscriptions.unsubscribe(
            subscription, how="one_click" if one_click else "link"
        )
        return render(
            request, "articles/newsletters/unsubscribed.html", {"subscription": subscription}
        )
    return render(request, "articles/newsletters/unsubscribe.html", {"subscription": subscription})


@never_cache
@login_required
@require_POST
def mine(request):
    """The my page's buttons, and those of a signed-in reader's subscribe box
    (CSRF-protected): subscribe the account's address to one newsletter (confirmed at once
    when the address is verified), or unsubscribe it. Back to the page it came from."""
    newsletter = get_object_or_404(
        Newsletter, pk=inputs.number(request.POST.get("newsletter", ""), 0), is_active=True
    )
    action = request.POST.get("action")
    if action == "subscribe":
        try:
            asked = subscriptions.subscribe(
                request.user.email,
                [newsletter],
                user=request.user,
                ip=limits.client_ip(request),
                language=translation.get_language(),
            )
        except (SubscriptionRefused, ValidationError) as refused:
            messages.error(request, str(refused))
        else:
            if asked.pending:
                messages.success(
                    request,
                    _("Check your inbox: open the link in the mail to confirm %(name)s.")
                    % {"name": newsletter.name},
                )
            else:
                messages.success(
                    request, _("You are subscribed to %(name)s.") % {"name": newsletter.name}
                )
    elif action == "unsubscribe":
        subscription = Subscription.objects.filter(
            subscriber__user=request.user, newsletter=newsletter
        ).first()
        if subscription is None:
            raise Http404
        subscriptions.unsubscribe(subscription, how="my_page", actor=request.user)
        messages.success(
            request, _("You are unsubscribed from %(name)s.") % {"name": newsletter.name}
        )
    else:
        raise Http404
    return redirect(_back(request))


def _back(request) -> str:
    """Where the button was pressed: the page whose subscribe box drew it (the Referer, of
    this site only), or the my page."""
    referer = request.headers.get("Referer", "")
    my_page = reverse("accounts:me")
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        # Back on the my page, at its newsletters (not at the top, out of sight).
        if urlsplit(referer).path == my_page and "#" not in referer:
            return referer + "#newsletters"
        return referer
    return my_page + "#newsletters"
