"""The partner content API: published stories as NINJS 2.0 JSON, read-only, for partner
sites and apps holding a key (articles.partners), and the same stories as a full-text RSS
2.0 feed for portal content partnerships (/api/v1/feeds/full-text.xml, built by
articles.views.syndication.PartnerStories). Served at /api/v1/ outside the language
prefixes (newsroom/urls.py), with its OpenAPI schema at /api/v1/openapi.json.

Every request is checked in this order, before anything else is read: a key in the query
string is refused (400: addresses end up in logs, proxies and browser histories), the
X-API-Key header must name an active partner (401), and the partner must be within its
requests per minute (429 with Retry-After, counted in the database). Only then the
stories are read, and an If-None-Match matching the answer's ETag gets a 304.

Answers are personal to the key: `Cache-Control: private` and `Vary: X-API-Key`, never
kept by the page cache (newsroom/cached_pages.py skips /api/) nor the edge (the VCL passes
/api/). The API answers GET only: its views are not CSRF-exempt, so a POST is refused by
the CSRF middleware like any other form post without a token.
"""

import hashlib
import json
import re
from datetime import UTC, datetime
from functools import wraps
from typing import Annotated
from urllib.parse import urlencode

from django.conf import settings
from django.core import signing
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import parse_etags, quote_etag
from ninja import Field, NinjaAPI, Path, Query, Schema
from ninja.errors import AuthenticationError, ValidationError
from ninja.security import APIKeyHeader
from pydantic import BeforeValidator

from articles import partner_content as content
from articles import partners, selectors
from articles.models import Article, Section
from articles.views import syndication
from newsroom.links import absolute_url

HEADER = "X-API-Key"
CURSOR_SALT = "articles.api.cursor"
PAGE_SIZE = 20
MAX_PAGE_SIZE = 50
# Query parameters that look like a key: refused, whatever their value.
KEY_PARAMETERS = frozenset({"api_key", "apikey", "key", "x-api-key", "x_api_key", "token"})
NINJS_SCHEMA = "https://www.iptc.org/std/ninjs/ninjs-schema_2.0.json"


class KeyInQuery(Exception):
    pass


class Refused(Exception):
    """A request answered with an error; `message` is for the partner's developers."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class BadRequest(Refused):
    pass


class NotFound(Refused):
    pass


class PartnerKey(APIKeyHeader):
    """The partner's key from the X-API-Key header; the partner's request counted."""

    param_name = HEADER

    def __call__(self, request):
        # Before the key is even looked at: a key in the address is a leaked key.
        for name, values in request.GET.lists():
            if name.lower() in KEY_PARAMETERS or any(
                value.startswith(partners.KEY_PREFIX) for value in values
            ):
                raise KeyInQuery
        return super().__call__(request)

    def authenticate(self, request, key):
        partner = partners.partner_for_key(key)
        if partner is None:
            return None
        partners.count_request(partner)  # raises RateLimited
        return partner


api = NinjaAPI(
    title=f"{settings.SITE_NAME} content API",
    version="1",
    description="Published stories as NINJS 2.0 for partners. Send your key in the "
    "X-API-Key header; never in the address.",
    auth=PartnerKey(),
    urls_namespace="api",
    openapi_url="/openapi.json",
    docs_url=None,
)


# --- errors -----------------------------------------------------------------------------------


class Error(Schema):
    code: str
    detail: str


def _error(request, status: int, code: str, detail: str) -> HttpResponse:
    return api.create_response(request, {"code": code, "detail": detail}, status=status)


@api.exception_handler(KeyInQuery)
def _key_in_query(request, exc):
    return _error(
        request,
        400,
        "key_in_query",
        f"Send the API key in the {HEADER} header, never in the address. "
        "A key that was in an address may have leaked: ask for a new one.",
    )


@api.exception_handler(AuthenticationError)
def _unauthorized(request, exc):
    response = _error(
        request, 401, "unauthorized", f"A valid API key is needed in the {HEADER} header."
    )
    response["WWW-Authenticate"] = f'ApiKey header="{HEADER}"'
    return response


@api.exception_handler(partners.RateLimited)
def _rate_limited(request, exc):
    response = _error(
        request,
        429,
        "rate_limited",
        f"Too many requests this minute. Try again in {exc.retry_after} seconds.",
    )
    response["Retry-After"] = str(exc.retry_after)
    return response


@api.exception_handler(ValidationError)
def _invalid(request, exc):
    fields = sorted({".".join(str(part) for part in error["loc"][1:]) for error in exc.errors})
    return _error(request, 400, "invalid", "Invalid parameters: " + ", ".join(fields))


@api.exception_handler(BadRequest)
def _bad_request(request, exc):
    return _error(request, 400, "invalid", exc.message)


@api.exception_handler(NotFound)
def _not_found(request, exc):
    return _error(request, 404, "not_found", exc.message)


# --- NINJS ------------------------------------------------------------------------------------


class Text(Schema):
    role: str
    contenttype: str
    value: str


class Description(Text):
    created: datetime | None = None


class Byline(Schema):
    name: str
    byline: str
    role: str
    uri: str | None = None


class Subject(Schema):
    name: str
    rel: str
    uri: str | None = None
    code: str | None = None


class Rendition(Schema):
    name: str
    href: str
    contenttype: str
    width: int
    height: int


class Association(Schema):
    name: str
    type: str
    uri: str
    copyrightholder: str | None = None
    descriptions: list[Text]
    renditions: list[Rendition]


class Story(Schema):
    uri: str
    standard: dict[str, str] = Field(description="ninjs, its version and its schema.")
    type: str
    version: str
    firstcreated: datetime
    versioncreated: datetime
    pubstatus: str
    language: str
    headlines: list[Text]
    bodies: list[Text]
    descriptions: list[Description]
    bylines: list[Byline]
    subjects: list[Subject]
    keywords: list[str]
    associations: list[Association]
    altids: list[dict[str, str]]


class StoryList(Schema):
    items: list[Story]
    next: str | None = Field(description="The next page's address; null on the last page.")


def ninjs(story: Article) -> dict:
    names = content.photo_names(story)
    section = story.section
    subjects = [
        {
            "name": section.name,
            "rel": "section",
            "code": section.slug,
            "uri": absolute_url(content.section_path(section)),
        }
    ]
    if section.parent_id:
        parent = section.parent
        subjects.append(
            {
                "name": parent.name,
                "rel": "parentsection",
                "code": parent.slug,
                "uri": absolute_url(reverse("articles:section", args=[parent.slug])),
            }
        )
    tags = list(story.tags.all())
    subjects += [
        {
            "name": tag.name,
            "rel": "tag",
            "code": tag.slug,
            "uri": absolute_url(reverse("articles:tag", args=[tag.slug])),
        }
        for tag in tags
    ]
    descriptions = []
    if story.summary:
        descriptions.append(
            {"role": "summary", "contenttype": "text/plain", "value": story.summary}
        )
    descriptions += [
        {
            "role": "correction",
            "contenttype": "text/plain",
            "value": correction.note,
            "created": correction.created_at,
        }
        for correction in story.corrections.all()
    ]
    headlines = [{"role": "main", "contenttype": "text/plain", "value": story.headline}]
    if story.subheadline:
        headlines.append({"role": "sub", "contenttype": "text/plain", "value": story.subheadline})
    return {
        "uri": absolute_url(story.get_absolute_url()),
        "standard": {"name": "ninjs", "version": "2.0", "schema": NINJS_SCHEMA},
        "type": "text",
        "version": str(story.version),
        "firstcreated": story.published_at,
        "versioncreated": story.revised_at or story.published_at,
        "pubstatus": "usable",
        "language": "ko",
        "headlines": headlines,
        "bodies": [
            {"role": "main", "contenttype": "text/html", "value": content.body_html(story, names)}
        ],
        "descriptions": descriptions,
        "bylines": [content.byline(byline) for byline in story.bylines.all()],
        "subjects": subjects,
        "keywords": [tag.name for tag in tags],
        "associations": [content.association(names[use.pk], use) for use in story.photo_uses.all()],
        "altids": [{"role": "internal", "value": str(story.pk)}],
    }


# --- answers ------------------------------------------------------------------------------------


def _answer(request, data) -> HttpResponse:
    """The JSON answer with its ETag, or 304 when the partner already holds it."""
    body = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).encode()
    return _tagged(request, body, "application/json; charset=utf-8")


def _tagged(request, body: bytes, content_type: str) -> HttpResponse:
    """The answer with its ETag, or 304 when the partner already holds it."""
    etag = quote_etag(hashlib.sha256(body).hexdigest()[:32])
    # If-None-Match compares weakly (RFC 9110): W/"x" is "x".
    held = {tag.removeprefix("W/") for tag in parse_etags(request.headers.get("If-None-Match", ""))}
    if etag in held or "*" in held:
        response = HttpResponse(status=304)
    else:
        response = HttpResponse(body, content_type=content_type)
    response["ETag"] = etag
    return response


def _moment(value: datetime | None) -> datetime | None:
    """In UTC. A moment with no offset is the site's time; one beyond the calendar's ends
    once in UTC (year 1 east of Greenwich) is the end itself."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = timezone.make_aware(value)
    try:
        return value.astimezone(UTC)
    except OverflowError:
        first, last = datetime.min.replace(tzinfo=UTC), datetime.max.replace(tzinfo=UTC)
        return first if value.year == first.year else last


def _cursor(story: Article) -> str:
    return signing.dumps([story.published_at.isoformat(), story.pk], salt=CURSOR_SALT)


def _read_cursor(cursor: str) -> tuple[datetime, int]:
    try:
        at, pk = signing.loads(cursor, salt=CURSOR_SALT)
        return datetime.fromisoformat(at), int(pk)
    except (signing.BadSignature, ValueError, TypeError):
        raise BadRequest("The cursor is not one this API gave.") from None


RFC_3339 = re.compile(r"\d{4}-\d\d-\d\d[Tt ]\d\d:\d\d(:\d\d(\.\d+)?)?([Zz]|[+-]\d\d:\d\d)?")


def _written_out(value):
    """A moment as RFC 3339 text only: pydantic would take "0.5" for a Unix time."""
    if not isinstance(value, str) or not RFC_3339.fullmatch(value):
        raise ValueError("an RFC 3339 date and time, such as 2026-12-08T09:00:00+09:00")
    return value


Moment = Annotated[datetime, BeforeValidator(_written_out)]


class StoryFilters(Schema):
    section: str | None = Field(
        None, max_length=80, description="A section's slug: its stories and its subsections'."
    )
    since: Moment | None = Field(None, description="Published at or after this moment.")
    until: Moment | None = Field(None, description="Published before this moment.")
    cursor: str | None = Field(None, max_length=300, description="From a page's `next` link.")
    limit: int = Field(PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)


ERRORS = {400: Error, 401: Error, 404: Error, 429: Error}


@api.get(
    "/stories/",
    response={200: StoryList, 304: None, **ERRORS},
    url_name="stories",
    summary="Published stories, newest first",
)
def stories(request, filters: Query[StoryFilters]):
    section_ids = None
    if filters.section is not None:
        section = Section.objects.filter(slug=filters.section, is_active=True).first()
        if section is None:
            raise NotFound("There is no such section.")
        # Its subtree as a subquery of the stories' own query.
        section_ids = Section.objects.descendants(section, include_self=True).values("pk")
    found = selectors.partner_stories(
        section_ids=section_ids,
        since=_moment(filters.since),
        until=_moment(filters.until),
        before=_read_cursor(filters.cursor) if filters.cursor else None,
        count=filters.limit + 1,
    )
    page, more = found[: filters.limit], len(found) > filters.limit
    next_link = None
    if more:
        query = {
            name: value
            for name, value in (
                ("section", filters.section),
                ("since", request.GET.get("since")),
                ("until", request.GET.get("until")),
                ("limit", filters.limit if filters.limit != PAGE_SIZE else None),
            )
            if value is not None
        }
        query["cursor"] = _cursor(page[-1])
        next_link = absolute_url(reverse("api:stories") + "?" + urlencode(query))
    return _answer(request, {"items": [ninjs(story) for story in page], "next": next_link})


@api.get(
    "/stories/{story_id}",
    response={200: Story, 304: None, **ERRORS},
    url_name="story",
    summary="One published story",
)
def story(request, story_id: int = Path(..., ge=1, le=2**31 - 1)):
    found = selectors.partner_story(story_id)
    if found is None:
        raise NotFound("There is no such story.")
    return _answer(request, ninjs(found))


@api.get(
    "/feeds/full-text.xml",
    response={200: None, 304: None, 400: Error, 401: Error, 429: Error},
    url_name="full-text-feed",
    summary="The newest published stories in full, as RSS 2.0",
    description="For content partnerships: RSS 2.0 with the full body in content:encoded, "
    "bylines as dc:creator, the lead photo as the enclosure, every photo as media:content "
    "with its caption and credit, and correction notes at the end of the body.",
    openapi_extra={
        "responses": {
            200: {"description": "The feed", "content": {"application/rss+xml": {}}},
        }
    },
)
def full_text_feed(request):
    feed = syndication.PartnerStories().get_feed(None, request)
    return _tagged(request, feed.writeString("utf-8").encode(), feed.content_type)


# --- the address book -------------------------------------------------------------------------


def _private(view):
    """Every answer is the key holder's own: never kept by a shared cache. And the API is
    not CSRF-exempt (ninja marks its views so): it takes no POST."""

    @wraps(view)
    def answered(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        patch_cache_control(response, private=True, max_age=0, must_revalidate=True)
        patch_vary_headers(response, [HEADER])
        return response

    answered.csrf_exempt = False
    return answered


def urls():
    patterns, app_name, namespace = api.urls
    for pattern in patterns:
        pattern.callback = _private(pattern.callback)
    return patterns, app_name, namespace
