"""What each network gets, and the one refresh API there is (Facebook's Graph API).

No ORM here. The facts behind the table are in shared/product/sharing.md: one title of 70
characters and one description of 200 satisfy every network; only Facebook lets us ask
for its cached card to be read again; X, Kakao and LinkedIn cache a card per image URL,
which is why the share image's URL carries a hash of its content.
"""

import json
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote, urlencode, urlsplit

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from articles.sharing.card import shorten, tagged


@dataclass(frozen=True)
class NetworkSpec:
    key: str
    title_limit: int
    description_limit: int
    # The network's own tool for reading a card again by hand, if it has one.
    manual_tool: Callable[[str], str] | None
    manual_tool_name: str
    can_refresh: bool = False
    # Credentials the network's part needs; None: it needs none.
    configured: Callable[[], bool] | None = None

    def is_configured(self) -> bool:
        return self.configured is None or self.configured()


def facebook_configured() -> bool:
    return bool(settings.FACEBOOK_ACCESS_TOKEN)


def kakao_configured() -> bool:
    return bool(settings.KAKAO_JS_KEY)


NETWORKS: dict[str, NetworkSpec] = {
    spec.key: spec
    for spec in (
        NetworkSpec(
            "facebook",
            70,
            200,
            lambda url: "https://developers.facebook.com/tools/debug/?" + urlencode({"q": url}),
            _("Facebook Sharing Debugger"),
            can_refresh=True,
            configured=facebook_configured,
        ),
        # X has no refresh API and no public card validator any more: a new image URL is
        # the only way to a new card.
        NetworkSpec("x", 70, 200, None, ""),
        NetworkSpec(
            "kakaotalk",
            70,
            200,
            lambda url: "https://developers.kakao.com/tool/debugger/sharing",
            _("Kakao Share Debugger"),
            configured=kakao_configured,
        ),
        NetworkSpec(
            "naver",
            70,
            200,
            lambda url: "https://searchadvisor.naver.com/",
            _("Naver Search Advisor"),
        ),
        NetworkSpec(
            "linkedin",
            70,
            200,
            lambda url: "https://www.linkedin.com/post-inspector/inspect/" + quote(url, safe=""),
            _("LinkedIn Post Inspector"),
        ),
        NetworkSpec("band", 70, 200, None, ""),
    )
}


# Kakao's own default label for a feed message's button.
KAKAO_BUTTON = pgettext_lazy("kakao button", "View details")


def metadata(network: str, *, fields: dict, card: dict) -> dict:
    """The network's metadata for a card (`card` from articles.fanout, `fields` the
    story's shared fields as hashed): title and description cut at a word boundary to the
    network's limits, the image, the bare canonical URL and the share link with campaign
    parameters; for KakaoTalk the feed template's fields too."""
    spec = NETWORKS[network]
    url = card["url"]
    if not card.get("public"):
        return {"public": False, "canonical_url": url}
    title = shorten(fields.get("share_title") or fields["headline"], spec.title_limit)
    description = shorten(
        fields.get("share_description") or fields.get("summary") or "", spec.description_limit
    )
    share_url = tagged(url, network)
    data = {
        "public": True,
        "title": title,
        "description": description,
        "image_url": card["image_url"],
        "image_width": card["image_width"],
        "image_height": card["image_height"],
        "image_alt": card["image_alt"],
        "canonical_url": url,
        "share_url": share_url,
    }
    intent = share_intent(network, title=title, share_url=share_url)
    if intent:
        data["intent_url"] = intent
    if network == "kakaotalk":
        link = {"web_url": share_url, "mobile_web_url": share_url}
        data["feed"] = {
            "object_type": "feed",
            "content": {
                "title": title,
                "description": description,
                "image_url": card["image_url"],
                "image_width": card["image_width"],
                "image_height": card["image_height"],
                "link": link,
            },
            "buttons": [{"title": str(KAKAO_BUTTON), "link": link}],
        }
    return data


def share_intent(network: str, *, title: str, share_url: str) -> str:
    """The share bar's link for the network (KakaoTalk shares through its SDK instead)."""
    if network == "facebook":
        return "https://www.facebook.com/sharer/sharer.php?" + urlencode({"u": share_url})
    if network == "x":
        return "https://twitter.com/intent/tweet?" + urlencode({"text": title, "url": share_url})
    if network == "naver":
        return "https://share.naver.com/web/shareView?" + urlencode(
            {"url": share_url, "title": title}
        )
    if network == "linkedin":
        return "https://www.linkedin.com/sharing/share-offsite/?" + urlencode({"url": share_url})
    if network == "band":
        return "https://band.us/plugin/share?" + urlencode(
            {"body": f"{title}\n{share_url}", "route": urlsplit(settings.SITE_URL).netloc}
        )
    return ""


# --- Facebook's Graph API ---------------------------------------------------------------


class RefreshFailed(Exception):
    """The refresh call failed. `retry`: worth trying again later (a timeout, a 5xx, 429)."""

    def __init__(self, message: str, *, retry: bool):
        super().__init__(message)
        self.retry = retry


def refresh_facebook(url: str) -> dict:
    """Ask Facebook to read the page again (`POST /?id=<url>&scrape=true`). Idempotent:
    calling it twice only makes Facebook read the page twice. The token never appears in
    an error message."""
    query = urlencode({"id": url, "scrape": "true", "access_token": settings.FACEBOOK_ACCESS_TOKEN})
    request = urllib.request.Request(
        f"{settings.FACEBOOK_GRAPH_URL.rstrip('/')}/?{query}",
        data=b"",
        method="POST",
        headers={"User-Agent": f"newsroom-share-fanout (+{settings.SITE_URL})"},
    )
    try:
        with urllib.request.urlopen(request, timeout=settings.SHARE_HTTP_TIMEOUT) as response:
            body = response.read(65536)
    except urllib.error.HTTPError as error:
        detail = _graph_error(error.read(4096) if error.fp else b"")
        retry = error.code == 429 or error.code >= 500
        raise RefreshFailed(f"HTTP {error.code}: {detail}", retry=retry) from None
    except (urllib.error.URLError, TimeoutError, ConnectionError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise RefreshFailed(f"{type(reason).__name__}: {reason}", retry=True) from None
    try:
        return json.loads(body or b"{}")
    except ValueError:
        return {}


def _graph_error(body: bytes) -> str:
    try:
        return str(json.loads(body)["error"]["message"])[:300]
    except (ValueError, KeyError, TypeError):
        return body[:200].decode("utf-8", "replace")
