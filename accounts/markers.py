"""The marker cookies of a signed-in browser (newsroom.cached_pages): set at log-in, for
staff also the one that skips the page cache, and cleared at log-out."""

from accounts.permissions import can_use_desk
from newsroom import cached_pages


def logged_in(sender, request, user, **kwargs):
    if request is not None:  # a log-in outside a request (the test client's force_login)
        cached_pages.signed_in(request, staff=can_use_desk(user))


def logged_out(sender, request, user, **kwargs):
    if request is not None:
        cached_pages.signed_out(request)
