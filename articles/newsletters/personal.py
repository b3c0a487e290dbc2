"""The newsletters' part of a cached page's personal request (settings.PERSONAL_PARTS)."""

from django.template.loader import render_to_string

from articles.newsletters import selectors, subscriptions


def newsletter_box(request) -> str | None:
    """The subscribe box as the signed-in reader sees it: their newsletters, each with its
    state and a CSRF-protected button, asked for by pages that hold the box
    (?newsletters=1); None for the others, and when none is offered. One query."""
    if request.GET.get("newsletters") != "1":
        return None
    newsletters = selectors.for_reader(request.user)
    if not newsletters:
        return None
    return render_to_string(
        "articles/newsletters/personal_box.html",
        {
            "newsletters": newsletters,
            "suspended": any(newsletter.my_suspended_at for newsletter in newsletters),
            "consent_text": subscriptions.CONSENT_TEXT,
        },
        request=request,
    )
