"""Each recipient's own addresses in an issue: the one-click unsubscribe link (RFC 8058) and
its headers. The token is signed, not stored, and never expires: an old issue's link must
still work."""

from django.core import signing

from newsroom.links import absolute_url

UNSUBSCRIBE_SALT = "articles.newsletters.unsubscribe"


def unsubscribe_token(subscription_id: int) -> str:
    return signing.dumps(subscription_id, salt=UNSUBSCRIBE_SALT)


def unsubscribe_url(subscription_id: int) -> str:
    return absolute_url(f"/newsletters/unsubscribe/{unsubscribe_token(subscription_id)}/")


def list_unsubscribe_headers(subscription_id: int) -> dict[str, str]:
    return {
        "List-Unsubscribe": f"<{unsubscribe_url(subscription_id)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
