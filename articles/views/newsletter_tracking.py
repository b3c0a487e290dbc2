"""What comes back from an issue once it is sent: the open-tracking image its recipients'
mail apps fetch (articles.newsletters.tracking) and the mail provider's reports through
django-anymail's webhooks (articles.newsletters.bounces). Neither is a page: nothing here
reads the session or is ever kept by the page cache or the edge."""

import base64
import logging

from django.conf import settings
from django.http import HttpResponse, HttpResponseForbidden
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe

from articles.newsletters import tracking

logger = logging.getLogger(__name__)

# The smallest transparent GIF (1x1, one transparent colour).
PIXEL = base64.b64decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7")


@require_safe
def opened(request, token: str):
    """The 1x1 image of an issue: marks the recipient's delivery opened. Always an image
    (a broken one would show in the message), 404 when open tracking is off or the token
    names no delivery; never kept by a cache, or the second opening would not come."""
    found = settings.NEWSLETTER_OPEN_TRACKING and tracking.record_open(token)
    response = HttpResponse(PIXEL, content_type="image/gif", status=200 if found else 404)
    response["Cache-Control"] = "no-store, max-age=0"
    return response


def provider_webhook(view):
    """One of django-anymail's tracking webhooks, refusing everything while no
    ANYMAIL_WEBHOOK_SECRET is set: anymail itself would then take anyone's posts (with a
    warning). With one, anymail checks it (HTTP basic auth) and refuses a wrong one."""

    @csrf_exempt  # the provider posts with the shared secret, never with a session
    def webhook(request, *args, **kwargs):
        if not settings.ANYMAIL.get("WEBHOOK_SECRET"):
            logger.warning("a mail provider's webhook refused: ANYMAIL_WEBHOOK_SECRET is not set")
            return HttpResponseForbidden("Webhooks are off: ANYMAIL_WEBHOOK_SECRET is not set.")
        return view(request, *args, **kwargs)

    return webhook
