"""Every door of the site, from the URL conf: each route the project serves, opened by each
persona, against the answer a newsroom expects (issue 22, section 1).

The table below (DOORS) is written from the product's rules, not from what the code answers
today: readers see the public site and their own page; reporters work the desk but do not
publish, and see only their own stories there; editors publish; moderators work the comment
desk, a moderator limited to a section only that section. A route without an entry fails
`test_every_route_has_a_door`.

Besides the answers: every POST without a CSRF token is refused, except the routes of
CSRF_EXEMPT (each with the authentication that replaces the token), and no GET changes a
row, except in the columns and tables of CHANGED_BY_A_GET (each with why).

The world (stories, comments, photos, signed-in sessions) is made once for the module in a
transaction rolled back at its end; each test runs in a savepoint inside it.
"""

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from types import SimpleNamespace

import pytest
from allauth.socialaccount.models import SocialAccount, SocialApp, SocialToken
from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import connection, transaction
from django.http import HttpResponseForbidden
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.utils import timezone, translation

from accounts import membership, roles
from articles import claims, notes, notifications, partners, planning, preview_links, workflow
from articles.models import (
    Article,
    Beat,
    DeskSection,
    IssueDelivery,
    NewsletterIssue,
    NotificationKind,
    Tag,
    WebhookDelivery,
    WebhookEndpoint,
)
from articles.newsletters import issues as newsletter_issues
from articles.newsletters import subscriptions
from articles.newsletters.tracking_urls import PROVIDERS
from comments.models import ModeratorScope, ReaderStanding
from media import library
from tests.factories import (
    CommentFactory,
    NewsletterFactory,
    SectionFactory,
    SeriesFactory,
    SubscriptionFactory,
    UserFactory,
)
from tests.media.conftest import as_upload, encode, picture
from tests.stories import Desk

# --- the answers ------------------------------------------------------------------------------

OK, MOVED, REDIRECT, BAD, UNAUTHORIZED, FORBIDDEN = 200, 301, 302, 400, 401, 403
MISSING, NO_METHOD, GONE = 404, 405, 410
LOGIN = "302 to log-in"

PERSONAS = (
    "anonymous",
    "reader",
    "suspended_reader",  # suspended from the comments: still a reader everywhere else
    "reporter",
    "other_reporter",
    "editor",
    "moderator",
    "section_moderator",  # limited to 기업과산업 (and its subsection)
)
READERS = ("reader", "suspended_reader")
STAFF = ("reporter", "other_reporter", "editor", "moderator", "section_moderator")
WRITERS = ("reporter", "other_reporter", "editor")
MODERATORS = ("moderator", "section_moderator")


def everyone(answer) -> dict:
    return dict.fromkeys(PERSONAS, answer)


def signed_in(answer) -> dict:
    return {**everyone(answer), "anonymous": LOGIN}


def desk(default=FORBIDDEN, *, writers=None, moderators=None, **personas) -> dict:
    """A desk page: log-in for visitors, 403 for readers and for staff whose role lacks it."""
    answers = {"anonymous": LOGIN, **dict.fromkeys(READERS, FORBIDDEN)}
    answers |= dict.fromkeys(STAFF, default)
    if writers is not None:
        answers |= dict.fromkeys(WRITERS, writers)
    if moderators is not None:
        answers |= dict.fromkeys(MODERATORS, moderators)
    return answers | personas


def admin(default=FORBIDDEN, **personas) -> dict:
    """An admin page: everyone without staff status is sent to log in (the admin's log-in
    page hands over to allauth's); staff without the model's permission get 403. Every role
    makes its holder staff (accounts.roles.grant_role), so each may open the admin."""
    answers = {"anonymous": LOGIN, **dict.fromkeys(READERS, LOGIN)}
    return answers | dict.fromkeys(STAFF, default) | personas


@dataclass(frozen=True)
class Door:
    route: str  # the URL name, or the pattern of an unnamed route
    answers: dict
    url: Callable[[SimpleNamespace], str]
    case: str = ""

    @property
    def id(self) -> str:
        return f"{self.route}[{self.case}]" if self.case else self.route


def named(route: str, answers: dict, kwargs=None, *, case: str = "", query: str = "") -> Door:
    def url(world):
        found = reverse(route, kwargs=kwargs(world) if kwargs else None)
        return f"{found}?{query}" if query else found

    return Door(route, answers, url, case)


def unnamed(route: str, answers: dict, path: str, *, case: str = "") -> Door:
    return Door(route, answers, lambda world: path, case)


# --- the table --------------------------------------------------------------------------------

PUBLIC = [
    named("articles:home", everyone(OK)),
    named("articles:detail", everyone(OK), lambda w: w.published_kwargs, case="published"),
    named(
        "articles:detail",
        everyone(MISSING),  # the public address shows no draft, not even to its writer
        lambda w: {"article_id": w.draft.pk, "slug": w.draft.slug},
        case="reporter's draft",
    ),
    named(
        "articles:detail",
        everyone(GONE),
        lambda w: {"article_id": w.unpublished.pk, "slug": w.unpublished.slug},
        case="taken down",
    ),
    named(
        "articles:detail",
        everyone(MOVED),
        lambda w: {"article_id": w.published.pk, "slug": "old-slug"},
        case="old slug",
    ),
    named("articles:detail-short", everyone(MOVED), lambda w: {"article_id": w.published.pk}),
    # The read beacon counts by POST only (its CSRF exemption is below).
    named("articles:read", everyone(NO_METHOD), lambda w: {"article_id": w.published.pk}),
    named("articles:reporters", everyone(OK)),
    named("articles:reporter", everyone(OK), lambda w: {"slug": w.reporter_slug}),
    named("articles:section", everyone(OK), lambda w: {"slug": "industry"}),
    named(
        "articles:subsection",
        everyone(OK),
        lambda w: {"parent": "industry", "slug": "electronics"},
    ),
    named("articles:series", everyone(OK), lambda w: {"slug": "chip-supply"}),
    named("articles:tag", everyone(OK), lambda w: {"slug": w.tag.slug}),
    named("articles:corrections", everyone(OK)),
    named("articles:search", everyone(OK), query="q=반도체"),
    # A preview link opens the story to anyone holding it, signed in or not.
    named("articles:shared-preview", everyone(OK), lambda w: {"token": w.preview_token}),
    named(
        "articles:shared-preview",
        everyone(MISSING),
        lambda w: {"token": "forged"},
        case="forged token",
    ),
    # Newsletters: the list and its form for anyone; subscribing is a POST (its CSRF
    # exemption is below); the mailed links answer whoever holds them, and a forged one
    # is refused. The my page's buttons are POSTs for signed-in readers.
    named("newsletters:index", everyone(OK)),
    named("newsletters:subscribe", everyone(NO_METHOD)),
    named("newsletters:confirm", everyone(OK), lambda w: {"token": w.confirm_token}),
    named("newsletters:confirm", everyone(BAD), lambda w: {"token": "forged"}, case="forged token"),
    named("newsletters:unsubscribe", everyone(OK), lambda w: {"token": w.unsubscribe_token}),
    named(
        "newsletters:unsubscribe",
        everyone(BAD),
        lambda w: {"token": "forged"},
        case="forged token",
    ),
    named("newsletters:mine", signed_in(NO_METHOD)),
    named("comments:block", everyone(OK), lambda w: {"article_id": w.published.pk}),
    named(
        "comments:block",
        everyone(MISSING),
        lambda w: {"article_id": w.draft.pk},
        case="reporter's draft",
    ),
    # Taking part is by POST, for signed-in readers (the suspended one is refused at POST).
    named("comments:post", signed_in(NO_METHOD), lambda w: {"article_id": w.published.pk}),
    named("comments:vote", signed_in(NO_METHOD), lambda w: {"comment_id": w.comment_in.pk}),
    named("comments:report", signed_in(NO_METHOD), lambda w: {"comment_id": w.comment_in.pk}),
    named("comments:delete", signed_in(NO_METHOD), lambda w: {"comment_id": w.comment_in.pk}),
    named("syndication:feed", everyone(OK)),
    named("syndication:section-feed", everyone(OK), lambda w: {"slug": "industry"}),
    named("syndication:sitemap", everyone(OK)),
    named("syndication:sitemap-month", everyone(OK), lambda w: w.sitemap_month),
    named("syndication:news-sitemap", everyone(OK)),
    named("syndication:robots", everyone(OK)),
    # The partner content API answers a partner's key, never a session: with no key
    # every persona, staff too, gets the API's 401 (tests/articles/test_partner_api.py
    # opens it with one). Its schema is public. GET only: a POST meets the CSRF check.
    named("api:stories", everyone(UNAUTHORIZED)),
    named("api:story", everyone(UNAUTHORIZED), lambda w: {"story_id": w.published.pk}),
    # The content partnership's full-text RSS: a key too (tests/articles/test_partner_feed.py).
    named("api:full-text-feed", everyone(UNAUTHORIZED)),
    named("api:openapi-json", everyone(OK)),
    # The API's root only anchors its addresses (django-ninja reverses it): nothing there.
    named("api:api-root", everyone(MISSING)),
    # A newsletter's open-tracking image: a 404 image with open tracking off (as here) or a
    # token naming no delivery (tests/articles/test_newsletter_opens.py opens a real one).
    named("newsletter-tracking:opened", everyone(MISSING), lambda w: {"token": "forged"}),
    # The mail providers' reports: refused while ANYMAIL_WEBHOOK_SECRET is unset (as
    # here), POST only and checked by the secret once set (test_newsletter_bounces.py).
    *(
        named(f"newsletter-tracking:{provider}-tracking", everyone(FORBIDDEN))
        for provider in PROVIDERS
    ),
    named("theme-css", everyone(OK)),
    named("healthz", everyone(OK)),
    named("healthz-ready", everyone(OK)),
    named("healthz-live", everyone(OK)),
    unnamed(r"^media/(?P<path>.+)$", everyone(OK), "/media/doors/rendition.txt"),
]

MEMBERS = [
    named("accounts:me", signed_in(OK)),
    # A cached page's personal parts: "not signed in" is an answer too.
    named("accounts:personal", everyone(OK)),
    # Staff see why they cannot close their account here: the page still answers.
    named("accounts:delete", signed_in(OK)),
    named("accounts:goodbye", everyone(OK)),
    named("accounts:logged-out", everyone(OK)),
    named("accounts:terms", everyone(OK)),
    named("accounts:privacy", everyone(OK)),
    # allauth's pages. Signed-in people are sent on from the log-in and sign-up pages.
    named("account_login", {**everyone(REDIRECT), "anonymous": OK}),
    named("account_signup", {**everyone(REDIRECT), "anonymous": OK}),
    named("account_logout", {**everyone(OK), "anonymous": REDIRECT}),
    named("account_change_password", signed_in(OK)),
    # Everyone here has a password: the "set a password" page sends them to "change".
    named("account_set_password", signed_in(REDIRECT)),
    named("account_email", signed_in(OK)),
    named("account_email_verification_sent", everyone(OK)),
    named("account_inactive", everyone(OK)),
    named("account_confirm_email", everyone(OK), lambda w: {"key": "forged"}),
    named("account_reset_password", everyone(OK)),
    named("account_reset_password_done", everyone(OK)),
    named(
        "account_reset_password_from_key",
        everyone(OK),  # the "this link is invalid" page
        lambda w: {"uidb36": "1", "key": "forged"},
    ),
    named("account_reset_password_from_key_done", everyone(OK)),
    # Log-in by a mailed code is off: without one under way, back to log-in (or on).
    named("account_confirm_login_code", {**everyone(REDIRECT), "anonymous": LOGIN}),
    named("account_reauthenticate", signed_in(OK)),
    # Asking for a code to confirm it is you: your own account only, nothing is sent by GET.
    named("account_request_reauthentication_code", signed_in(OK)),
    named("account_confirm_reauthentication_code", signed_in(REDIRECT)),
    named("socialaccount_connections", signed_in(OK)),
    named("socialaccount_login_cancelled", everyone(OK)),
    # allauth answers its "the social log-in failed" page with 401.
    named("socialaccount_login_error", everyone(UNAUTHORIZED)),
    # Without a social log-in under way there is nothing to finish: back to log-in.
    named("socialaccount_signup", everyone(LOGIN)),
    # allauth's test provider, installed by tests/settings.py only (it stands in for Kakao).
    named("dummy_login", everyone(OK)),
    named("dummy_authenticate", everyone(FORBIDDEN)),  # without a log-in under way
    # allauth's old social addresses, moved for good under accounts/3rdparty/.
    unnamed("accounts/social/connections/", everyone(MOVED), "/accounts/social/connections/"),
    unnamed(
        "accounts/social/login/cancelled/", everyone(MOVED), "/accounts/social/login/cancelled/"
    ),
    unnamed("accounts/social/login/error/", everyone(MOVED), "/accounts/social/login/error/"),
    unnamed("accounts/social/signup/", everyone(MOVED), "/accounts/social/signup/"),
]


def draft(world) -> dict:
    return {"article_id": world.draft.pk}


def published(world) -> dict:
    return {"article_id": world.published.pk}


def draft_note(world) -> dict:
    return {"article_id": world.draft.pk, "note_id": world.note.pk}


# Reporter A wrote the draft; reporter B is "another reporter", to whom it does not exist.
OWN_DRAFT = desk(reporter=OK, other_reporter=MISSING, editor=OK)

DESK = [
    named("story_desk:dashboard", desk(OK)),
    named("desk-profile", desk(OK)),
    named("desk-staff", desk(editor=OK)),
    named("story_desk:new", desk(writers=OK)),
    named("story_desk:edit", OWN_DRAFT, draft, case="reporter's draft"),
    # Published: read-only for its writer, still nobody else's.
    named("story_desk:edit", OWN_DRAFT, published, case="reporter's published story"),
    named("story_desk:preview", OWN_DRAFT, draft),
    named("story_desk:history", OWN_DRAFT, draft),
    # POST only; the role is checked first, then the method, then the story.
    named("story_desk:autosave", desk(writers=NO_METHOD), draft),
    named("story_desk:release", desk(writers=NO_METHOD), draft),
    named(
        "story_desk:decide",
        desk(editor=OK),
        lambda w: {"article_id": w.submitted.pk, "decision": "publish"},
    ),
    named(
        "story_desk:decide",
        desk(editor=MISSING),
        lambda w: {"article_id": w.submitted.pk, "decision": "nonsense"},
        case="unknown decision",
    ),
    # Desk notes: posted, resolved and reopened by POST (role, then method, then story); the
    # "@" autocomplete answers those who may open the story, as the editor page does.
    named("story_desk:note-post", desk(writers=NO_METHOD), draft),
    named("story_desk:note-resolve", desk(writers=NO_METHOD), draft_note),
    named("story_desk:note-reopen", desk(writers=NO_METHOD), draft_note),
    named("story_desk:note-colleagues", OWN_DRAFT, draft, query="q=오세"),
    named("story_desk:share-link-create", desk(editor=NO_METHOD), draft),
    named("story_desk:share-link-revoke", desk(editor=NO_METHOD), lambda w: {"link_id": w.link.pk}),
    named(
        "story_desk:share-rerun",
        desk(editor=NO_METHOD),
        lambda w: {"article_id": w.published.pk, "delivery_id": 1},
    ),
    named("story_desk:front", desk(editor=OK)),
    named("story_desk:queue", desk(editor=OK)),
    named("story_desk:schedule", desk(editor=OK)),
    # The trash: writers see theirs (editors everyone's); the spike page only asks to confirm.
    named("story_desk:trash", desk(writers=OK)),
    named("story_desk:spike", OWN_DRAFT, draft),
    named("story_desk:restore", desk(writers=NO_METHOD), draft),
    # Every staff member has an inbox (알림) and their own notification settings; marking
    # read is by POST (someone else's notification is refused at POST).
    named("story_desk:notifications", desk(OK)),
    named("story_desk:notification-settings", desk(OK)),
    named(
        "story_desk:notification-read",
        desk(NO_METHOD),
        lambda w: {"notification_id": w.notification.pk},
    ),
    named("story_desk:notifications-read-all", desk(NO_METHOD)),
    # The planning board: every desk role reads it, editors manage it, and only the
    # assigned writer answers an assignment: to another reporter it is missing, to an
    # editor (who sees it) not theirs to answer.
    named("story_desk:planning", desk(OK)),
    named("story_desk:planning-new", desk(editor=OK)),
    named("story_desk:planning-item", desk(OK), lambda w: {"item_id": w.planned.pk}),
    named("story_desk:planning-move", desk(editor=NO_METHOD), lambda w: {"item_id": w.planned.pk}),
    named(
        "story_desk:planning-cancel", desk(editor=NO_METHOD), lambda w: {"item_id": w.planned.pk}
    ),
    named(
        "story_desk:planning-assign", desk(editor=NO_METHOD), lambda w: {"item_id": w.planned.pk}
    ),
    named("story_desk:assignment-accept", desk(writers=NO_METHOD), lambda w: w.assignment_kwargs),
    named(
        "story_desk:assignment-decline",
        desk(reporter=OK, other_reporter=MISSING, editor=FORBIDDEN),
        lambda w: w.assignment_kwargs,
    ),
    named("story_desk:assignment-start", desk(writers=NO_METHOD), lambda w: w.assignment_kwargs),
    # Press-arbitration claims (언론중재법): editors only, reading and handling alike (the
    # claimant's personal data; articles.claims says why). Every step is a POST.
    named("story_desk:claims", desk(editor=OK)),
    named("story_desk:claim", desk(editor=OK), lambda w: {"claim_id": w.claim.pk}),
    named("story_desk:claim-new", desk(editor=OK), lambda w: {"article_id": w.published.pk}),
    named("story_desk:claim-answer", desk(editor=NO_METHOD), lambda w: {"claim_id": w.claim.pk}),
    named("story_desk:claim-publish", desk(editor=NO_METHOD), lambda w: {"claim_id": w.claim.pk}),
    named("story_desk:claim-close", desk(editor=NO_METHOD), lambda w: {"claim_id": w.claim.pk}),
    named("story_desk:claim-notice", desk(editor=NO_METHOD), lambda w: {"claim_id": w.claim.pk}),
    # Newsletters (뉴스레터): editors compose and send them (articles.send_newsletter). Every
    # change is a POST; the send page's GET is its confirmation.
    named("story_desk:newsletters", desk(editor=OK)),
    named("story_desk:newsletter", desk(editor=OK), lambda w: {"slug": w.newsletter.slug}),
    named("story_desk:newsletter-new", desk(editor=OK), lambda w: {"slug": w.newsletter.slug}),
    named("story_desk:newsletter-issue", desk(editor=OK), lambda w: {"issue_id": w.issue.pk}),
    named("story_desk:newsletter-preview", desk(editor=OK), lambda w: {"issue_id": w.issue.pk}),
    named("story_desk:newsletter-send", desk(editor=OK), lambda w: {"issue_id": w.issue.pk}),
    named("story_desk:newsletter-progress", desk(editor=OK), lambda w: {"issue_id": w.issue.pk}),
    *(
        named(
            f"story_desk:newsletter-{step}",
            desk(editor=NO_METHOD),
            lambda w: {"issue_id": w.issue.pk},
        )
        for step in ("test", "schedule", "unschedule", "cancel", "stop")
    ),
    # The photo library is the newsroom's: every writer browses it; moderators have no use.
    named("media:list", desk(writers=OK)),
    named("media:upload", desk(writers=NO_METHOD)),
    named("media:picker", desk(writers=OK), query="target=/desk/profile/"),
    named("media:portrait", desk(writers=NO_METHOD)),
    # Another reporter's photo opens read-only (the details are the uploader's to change).
    named("media:edit", desk(writers=OK), lambda w: {"photo_id": w.photo.pk}),
    named("media:original", desk(writers=OK), lambda w: {"photo_id": w.photo.pk}),
    named("comment_desk:queue", desk(moderators=OK)),
    named("comment_desk:refused", desk(moderators=OK)),
    named("comment_desk:words", desk(moderators=OK)),
    named("comment_desk:log", desk(moderators=OK)),
    named(
        "comment_desk:comment",
        desk(moderators=OK),
        lambda w: {"comment_id": w.comment_in.pk},
        case="in the section",
    ),
    named(
        "comment_desk:comment",
        desk(moderator=OK, section_moderator=MISSING),
        lambda w: {"comment_id": w.comment_out.pk},
        case="outside the section",
    ),
    named(
        "comment_desk:reader",
        desk(moderators=OK),
        lambda w: {"user_id": w.reader.pk},
        case="commented in the section",
    ),
    named(
        "comment_desk:reader",
        desk(moderator=OK, section_moderator=MISSING),
        lambda w: {"user_id": w.outsider.pk},
        case="commented only outside the section",
    ),
]


@dataclass(frozen=True)
class ModelRights:
    """Who may do what with one model in the admin, by role (reviewed from
    accounts.roles.ROLE_PERMISSIONS and each ModelAdmin's has_*_permission)."""

    view: tuple = ()
    add: tuple = ()
    change: tuple = ()
    delete: tuple = ()
    instance: Callable | None = None  # the row whose pages are opened (default: the first)
    # Whose admin list leaves the row out: to them it is missing (the admin's history page
    # says so before asking for rights; its change page, to those with the view right).
    hidden_from: tuple = field(default=())


EDITOR = ("editor",)
ADMIN_MODELS = {
    # E-mail addresses, accounts and social log-ins are the superuser's, not a role's.
    "account_emailaddress": ModelRights(instance=lambda w: w.reader.emailaddress_set.first()),
    # Roles change only through accounts.roles, so account history is read-only for all.
    "accounts_accountevent": ModelRights(),
    "accounts_rolechange": ModelRights(),
    # Editors manage roles on the desk (/desk/staff/); the admin's user pages are not theirs.
    "accounts_user": ModelRights(instance=lambda w: w.reader),
    "accounts_staffprofile": ModelRights(
        view=EDITOR, instance=lambda w: w.users["reporter"].staff_profile
    ),
    # Reporters read their own stories here, editors all; every change goes through the desk.
    "articles_article": ModelRights(
        view=WRITERS,
        instance=lambda w: w.draft,
        hidden_from=("other_reporter", *MODERATORS),
    ),
    "articles_beat": ModelRights(),
    # Editors offer the newsletters (accounts.roles) and send their issues from the desk;
    # subscribers are never edited here.
    "articles_newsletter": ModelRights(
        view=EDITOR, add=EDITOR, change=EDITOR, instance=lambda w: w.newsletter
    ),
    # Each recipient of each issue: their addresses are the superuser's (the desk counts).
    "articles_issuedelivery": ModelRights(instance=lambda w: w.delivery),
    # Content API partners and their keys are the superuser's (no role carries them).
    "articles_partner": ModelRights(instance=lambda w: w.partner),
    # Editors choose their own desk sections on the desk; the admin's list is the superuser's.
    "articles_desksection": ModelRights(),
    # Claims are read here for audits only; the desk's claims pages make every change.
    "articles_pressclaim": ModelRights(),
    # Newsletter issues too: the newsletters desk makes every change.
    "articles_newsletterissue": ModelRights(),
    # The planning board is read here for audits only; the desk's board makes every change.
    "articles_planningevent": ModelRights(),
    "articles_planningitem": ModelRights(),
    "articles_section": ModelRights(
        view=EDITOR, add=EDITOR, change=EDITOR, instance=lambda w: w.section
    ),
    "articles_series": ModelRights(
        view=EDITOR, add=EDITOR, change=EDITOR, instance=lambda w: w.series
    ),
    "articles_tag": ModelRights(view=EDITOR, add=EDITOR, change=EDITOR, instance=lambda w: w.tag),
    # Partners' webhooks, their secrets and what was sent are the administrators', no role's.
    "articles_webhookdelivery": ModelRights(),
    "articles_webhookendpoint": ModelRights(),
    "auth_group": ModelRights(),
    "comments_moderatorscope": ModelRights(
        view=EDITOR, add=EDITOR, change=EDITOR, delete=EDITOR, instance=lambda w: w.scope
    ),
    "media_photo": ModelRights(view=WRITERS, instance=lambda w: w.photo),
    "media_photoevent": ModelRights(),
    "media_staffportrait": ModelRights(),
    "newsroom_outboxmessage": ModelRights(),
    "socialaccount_socialaccount": ModelRights(),
    "socialaccount_socialapp": ModelRights(),
    "socialaccount_socialtoken": ModelRights(),
}


def _admin_object(model: str, rights: ModelRights, world) -> str:
    if rights.instance:
        return str(rights.instance(world).pk)
    return str(apps.get_model(*model.split("_", 1)).objects.order_by("pk").first().pk)


def _model_doors(model: str, rights: ModelRights) -> list[Door]:
    def for_(personas, allowed=OK):
        return admin(**dict.fromkeys(personas, allowed))

    def object_kwargs(world):
        return {"object_id": _admin_object(model, rights, world)}

    viewers = for_(rights.view)
    # A row outside the viewer's list is "missing": the admin sends them to its index.
    hidden_viewers = [persona for persona in rights.hidden_from if persona in rights.view]
    on_row = viewers | dict.fromkeys(hidden_viewers, REDIRECT)
    return [
        named(f"admin:{model}_changelist", viewers),
        named(f"admin:{model}_add", for_(rights.add)),
        # View-only or not, the row's page opens to whoever may view the model.
        named(f"admin:{model}_change", on_row, object_kwargs),
        named(
            f"admin:{model}_history",
            viewers | dict.fromkeys(rights.hidden_from, REDIRECT),
            object_kwargs,
        ),
        named(
            f"admin:{model}_delete",
            for_(rights.delete),
            object_kwargs,
        ),
        # The old address of a row's page sends staff on to its change page.
        Door(
            f"admin/{model.replace('_', '/', 1)}/<path:object_id>/",
            admin(REDIRECT),
            lambda world: (
                f"/admin/{model.replace('_', '/', 1)}/{_admin_object(model, rights, world)}/"
            ),
        ),
    ]


def _admin_pages():
    article_type = lambda w: ContentType.objects.get_for_model(Article).pk  # noqa: E731
    return [
        door for model, rights in ADMIN_MODELS.items() for door in _model_doors(model, rights)
    ] + [
        named("admin:index", admin(OK)),
        named(
            "admin:app_list",
            admin(**dict.fromkeys(WRITERS, OK), moderator=MISSING, section_moderator=MISSING),
            lambda w: {"app_label": "articles"},
            case="articles",
        ),
        # No role may see a model of auth: its page is missing to all staff.
        named("admin:app_list", admin(MISSING), lambda w: {"app_label": "auth"}, case="auth"),
        named("admin:jsi18n", admin(OK)),
        # Logging out is by POST; visitors without staff status are sent to the admin's index.
        named("admin:logout", admin(NO_METHOD, **dict.fromkeys(("anonymous", *READERS), REDIRECT))),
        named("admin:password_change", admin(OK)),
        named("admin:password_change_done", admin(OK)),
        named("admin:autocomplete", admin(FORBIDDEN)),  # without a field to complete
        named(
            "admin:view_on_site",
            admin(REDIRECT),
            lambda w: {"content_type_id": article_type(w), "object_id": w.published.pk},
        ),
        # Changing a password is changing the account: a superuser's work.
        named("admin:auth_user_password_change", admin(FORBIDDEN), lambda w: {"id": w.reader.pk}),
        named(
            "admin:articles_article_revisions",
            admin(
                reporter=OK,
                other_reporter=MISSING,  # as on the desk
                editor=OK,
            ),
            lambda w: {"article_id": w.draft.pk},
        ),
        unnamed(r"admin/(?P<url>.*)$", admin(MISSING), "/admin/nothing-here/"),
        # The admin's log-in hands over to allauth's (rate-limited) page; a signed-in
        # person refused by the admin would loop, so they get 403.
        unnamed("admin/login/", {**everyone(FORBIDDEN), "anonymous": LOGIN}, "/admin/login/"),
    ]


DOORS = PUBLIC + MEMBERS + DESK + _admin_pages()

# Routes no request reaches, with why.
UNREACHABLE = {
    "admin:login": "/admin/login/ is answered by newsroom.views.admin_login, listed before "
    "the admin's own URLs",
}

# POSTs that need no CSRF token, each with what stands in for it.
CSRF_EXEMPT = {
    "articles:read": "none needed: the read beacon only adds to a story's read count, with no "
    "session and nothing of the reader's changed; it answers 204 to anyone",
    "newsletters:subscribe": "the double opt-in and the limits: the form sits in cached pages "
    "without a token, a forged post only asks for a mail to an address (nothing changes "
    "until its owner opens the link), and the session is never read",
    "newsletters:confirm": "the signed token in the address, its only authority",
    "newsletters:unsubscribe": "the signed token in the address; RFC 8058's one-click POST "
    "comes from mail clients without any cookie",
    **{
        f"newsletter-tracking:{provider}-tracking": "the mail provider's HTTP basic auth "
        "(ANYMAIL_WEBHOOK_SECRET), checked by django-anymail; refused while it is unset"
        for provider in PROVIDERS
    },
}

# Rows a GET may change, with why. {table: None} leaves out the whole table,
# {table: (columns,)} only those columns.
CHANGED_BY_A_GET = {
    "django_session": None,  # a GET may refresh or extend the signed-in session
    # Opening the editor marks the story as being edited (a warning to others, not a state).
    "articles_article": ("editing_by_id", "editing_since"),
    # Opening a preview link counts the opening.
    "articles_previewlink": ("opened_count", "last_opened_at"),
    # A partner's API request counts towards its rate (none here: no door sends a key).
    "articles_partnerusage": None,
    # A newsletter's open-tracking image marks its delivery opened (the first fetch only):
    # a mail app fetches images by GET, there is no other way to learn of an opening.
    "articles_issuedelivery": ("opened_at",),
}


# --- the world --------------------------------------------------------------------------------


def _build_world() -> SimpleNamespace:
    industry = SectionFactory(name="기업과산업", slug="industry")
    SectionFactory(name="전자·전기·정보통신", slug="electronics", parent=industry)
    finance = SectionFactory(name="금융", slug="finance", order=1)
    series = SeriesFactory(name="반도체 공급망", slug="chip-supply")

    def staff(email, role, byline):
        user = UserFactory(email=email)
        roles.ensure_staff_profile(user, byline_name=byline)
        roles.grant_role(user, role, actor=None)
        return user

    users = {
        "reader": UserFactory(email="reader@example.com"),
        "suspended_reader": UserFactory(email="suspended@example.com"),
        "reporter": staff("reporter@example.com", roles.Role.REPORTER, "한지민"),
        "other_reporter": staff("reporter2@example.com", roles.Role.REPORTER, "박도윤"),
        "editor": staff("editor@example.com", roles.Role.EDITOR, "오세훈"),
        "moderator": staff("moderator@example.com", roles.Role.MODERATOR, "윤서연"),
        "section_moderator": staff("moderator2@example.com", roles.Role.MODERATOR, "김하늘"),
    }
    membership.change_nickname(users["reader"], "솔빛독자")
    membership.change_nickname(users["suspended_reader"], "정지독자")
    ReaderStanding.objects.create(
        user=users["suspended_reader"], suspended_until=timezone.now() + timedelta(days=7)
    )
    scope = ModeratorScope.objects.create(user=users["section_moderator"])
    scope.sections.set([industry])

    story_desk = Desk(users["reporter"], users["editor"], industry)
    published = story_desk.story("한결전자 HBM 증설", series=series.pk, series_ordinal=1)
    tag = Tag.objects.create(name="반도체", slug="chips")
    published.tags.add(tag)
    elsewhere = story_desk.story("금리 동결", section=finance)
    unpublished = story_desk.story("내려진 기사", state=Article.Status.UNPUBLISHED)
    submitted = story_desk.story("검토를 기다리는 기사", state=Article.Status.SUBMITTED)
    draft_story = story_desk.story("쓰는 중인 기사", state=Article.Status.DRAFT)
    link = workflow.create_preview_link(submitted, actor=users["editor"], hours=24)
    note = notes.post_note(
        draft_story, actor=users["reporter"], body="출처 확인", mentions=[users["editor"].pk]
    )
    planned = planning.create_item(
        actor=users["editor"],
        slugline="반도체 수출 기획",
        section=industry,
        target_at=timezone.now() + timedelta(hours=6),
    )
    assignment = planning.assign(
        planned,
        actor=users["editor"],
        reporter=users["reporter"],
        due_at=timezone.now() + timedelta(hours=4),
    )

    claim = claims.record_claim(
        published,
        actor=users["editor"],
        kind="correction",
        claimant="한결전자 주식회사",
        received_on=timezone.localdate(),
        learned_on=timezone.localdate(),
        notice_shown=True,
    )

    newsletter = NewsletterFactory(name="아침 브리핑", slug="morning")
    issue = newsletter_issues.create_issue(
        newsletter,
        actor=users["editor"],
        subject="오늘의 브리핑",
        intro="",
        article_ids=[published.pk],
    )

    outsider = UserFactory(email="outsider@example.com")
    comment_in = CommentFactory(story=published, author=users["reader"])
    comment_out = CommentFactory(story=elsewhere, author=outsider)

    photo = library.upload(
        as_upload(encode(picture(48, 36), "JPEG", quality=70)), actor=users["reporter"]
    ).photo
    library.set_portrait(users["reporter"].staff_profile, photo, actor=users["reporter"])
    Beat.objects.create(profile=users["reporter"].staff_profile, section=industry)
    DeskSection.objects.create(user=users["editor"], section=industry)
    [notification] = notifications.notify(
        NotificationKind.MENTIONED,
        recipients=[users["reporter"]],
        actor=users["editor"],
        key="doors:mention",
        data={"title": "데스크 메모"},
    )
    hook = WebhookEndpoint.objects.create(
        name="파트너", url="https://partner.example/hooks", events=["published"]
    )
    WebhookDelivery.objects.create(
        endpoint=hook, event="published", event_id=published.events.first().pk, article=published
    )
    app = SocialApp.objects.create(provider="dummy", name="Dummy", client_id="doors")
    account = SocialAccount.objects.create(user=users["reader"], provider="dummy", uid="doors")
    SocialToken.objects.create(app=app, account=account, token="doors")
    storages["photos_public"].save("doors/rendition.txt", ContentFile(b"a public rendition"))
    partner, _key = partners.create_partner("제휴 포털", actor=None)
    subscription = SubscriptionFactory(
        newsletter=newsletter,
        subscriber__email="subscriber@example.com",
        status="pending",
        confirmed_at=None,
    )

    sessions = {}
    for persona, user in users.items():
        client = Client()
        client.force_login(user)
        sessions[persona] = client.cookies[settings.SESSION_COOKIE_NAME].value
    published_at = timezone.localtime(published.published_at)
    return SimpleNamespace(
        users=users,
        sessions=sessions,
        reader=users["reader"],
        outsider=outsider,
        section=industry,
        series=series,
        tag=tag,
        scope=scope,
        published=published,
        published_kwargs={"article_id": published.pk, "slug": published.slug},
        unpublished=unpublished,
        submitted=submitted,
        draft=draft_story,
        link=link,
        note=note,
        notification=notification,
        planned=planned,
        claim=claim,
        newsletter=newsletter,
        issue=issue,
        assignment_kwargs={"assignment_id": assignment.pk},
        preview_token=preview_links.token_for(link),
        comment_in=comment_in,
        comment_out=comment_out,
        photo=photo,
        partner=partner,
        confirm_token=subscriptions.confirm_token(subscription.subscriber),
        unsubscribe_token=subscriptions.unsubscribe_token(subscription),
        delivery=IssueDelivery.objects.create(
            issue=NewsletterIssue.objects.create(newsletter=newsletter, subject="오늘의 경제"),
            subscription=SubscriptionFactory(newsletter=newsletter),
        ),
        reporter_slug=users["reporter"].staff_profile.slug,
        sitemap_month={"year": f"{published_at.year:04d}", "month": f"{published_at.month:02d}"},
    )


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            with override_settings(
                PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
                CELERY_BROKER_URL="",
            ):
                built = _build_world()
            built.checksum = checksum()
            yield built
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            storages["photos_public"].delete("doors/rendition.txt")


def client_for(world, persona: str, **options) -> Client:
    client = Client(**options)
    if persona != "anonymous":
        client.cookies[settings.SESSION_COOKIE_NAME] = world.sessions[persona]
    return client


def checksum() -> dict[str, str]:
    """A digest of every table's rows (in a fixed order), leaving out CHANGED_BY_A_GET."""
    digests = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            skipped = CHANGED_BY_A_GET.get(table, ())
            if skipped is None:
                continue
            cursor.execute(f'SELECT * FROM "{table}"')  # the names come from introspection
            columns = [column[0] for column in cursor.description]
            kept = [index for index, name in enumerate(columns) if name not in skipped]
            rows = sorted(repr(tuple(row[index] for index in kept)) for row in cursor.fetchall())
            digests[table] = hashlib.sha256("\n".join(rows).encode()).hexdigest()
    return digests


def rows_written() -> int | None:
    """On SQLite, the rows this connection has written so far (a GET that writes nothing
    needs no checksum); None elsewhere."""
    if connection.vendor != "sqlite":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT total_changes()")
        return cursor.fetchone()[0]


# --- the routes -------------------------------------------------------------------------------


def _route_ids(resolver: URLResolver, prefix: str = "", namespace: str = ""):
    for entry in resolver.url_patterns:
        pattern = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _route_ids(entry, pattern, inner)
        elif isinstance(entry, URLPattern):
            yield f"{namespace}{entry.name}" if entry.name else pattern


def _route_of(path: str) -> str:
    match = resolve(path.split("?")[0])
    return match.view_name if match.url_name else match.route


def test_every_route_has_a_door():
    served = set(_route_ids(get_resolver()))
    listed = {door.route for door in DOORS} | UNREACHABLE.keys()
    assert sorted(served - listed) == [], "routes without an expected answer in DOORS"
    assert sorted(listed - served) == [], "DOORS lists routes the URL conf no longer has"


def _answer(response, world) -> object:
    if response.status_code == 302:
        target = response["Location"].split("?")[0]
        if target in (reverse(settings.LOGIN_URL), "/admin/login/"):
            return LOGIN
    return response.status_code


def _cases():
    for door in DOORS:
        for persona in PERSONAS:
            yield pytest.param(door, persona, door.answers[persona], id=f"{door.id}-{persona}")


@pytest.mark.parametrize(("door", "persona", "expected"), list(_cases()))
def test_door(world, db, door, persona, expected):
    url = door.url(world)
    assert _route_of(url) == door.route, f"{url} is not served by {door.route}"
    writes = rows_written()
    response = client_for(world, persona).get(url)
    assert _answer(response, world) == expected, f"GET {url} as {persona}"
    if writes is None or rows_written() != writes:
        after = checksum()
        changed = sorted(table for table in after if after[table] != world.checksum.get(table))
        assert changed == [], f"GET {url} as {persona} changed rows"


# The English site serves the same routes under /en/: the same door, the same answer. Two
# personas cover the language prefix (who may open what is the same code either way).
@pytest.mark.parametrize("persona", ["anonymous", "editor"])
def test_every_english_door_answers_as_its_korean_one(world, db, persona):
    client, wrong, checked = client_for(world, persona), [], 0
    for door in DOORS:
        with translation.override("en"):
            url = door.url(world)
            if not url.startswith("/en/"):
                continue  # the admin, the feeds and the health checks have one address
            assert _route_of(url) == door.route, f"{url} is not served by {door.route}"
        response = client.get(url)
        answer = response.status_code
        if answer == 302 and response["Location"].split("?")[0] in (
            "/en/accounts/login/",
            "/admin/login/",
        ):
            answer = LOGIN
        checked += 1
        if answer != door.answers[persona]:
            wrong.append(f"GET {url}: {answer}, expected {door.answers[persona]}")
    assert wrong == []
    assert checked > 50


def csrf_refused(request, reason=""):
    response = HttpResponseForbidden("CSRF")
    response["X-Refused"] = "csrf"
    return response


def _one_door_per_route():
    seen = {}
    for door in DOORS:
        seen.setdefault(door.route, door)
    return [pytest.param(door, id=door.route) for door in seen.values()]


@pytest.mark.parametrize("door", _one_door_per_route())
def test_post_without_csrf_token(world, db, settings, door):
    """As a signed-in editor, the victim a forged form would aim at (the middleware checks
    before any view, so one persona covers the rest)."""
    settings.CSRF_FAILURE_VIEW = f"{__name__}.csrf_refused"
    persona = "editor"
    url = door.url(world)
    response = client_for(world, persona, enforce_csrf_checks=True).post(url, {"action": "save"})
    refused = response.get("X-Refused") == "csrf"
    if door.route in CSRF_EXEMPT:
        assert not refused, f"{door.route} is listed as needing no token"
    else:
        assert refused, f"POST {url} as {persona} without a CSRF token was not refused"
