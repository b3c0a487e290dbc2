"""Settings for every environment, read from the environment.

NEWSROOM_ENV picks the mode: "local" (the default; `make run` and the tests) or "production".
`.env.example` lists every variable. Integrations switch on when their settings are present.
"""

import logging
import re
from pathlib import Path
from urllib.parse import urlsplit

import environ
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from newsroom import env

BASE_DIR = Path(__file__).resolve().parent.parent
# A .env file beside manage.py fills in variables the environment does not set (not in the
# test run, whose settings must not depend on a developer's file).
if (BASE_DIR / ".env").is_file() and env.boolean("NEWSROOM_READ_DOTENV", True):
    environ.Env.read_env(BASE_DIR / ".env")
VAR_DIR = Path(env.string("NEWSROOM_VAR_DIR", str(BASE_DIR / "var")))

NEWSROOM_ENV = env.choice("NEWSROOM_ENV", ("local", "production"), "local")
PRODUCTION = NEWSROOM_ENV == "production"
# Every absolute address the site gives out (share links, canonical and og: URLs, feeds,
# sitemaps, e-mails, preview links) is built from SITE_URL, never from the request's host.
# `make run` sets it from its HOST and PORT.
SITE_URL = env.string("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

if PRODUCTION:
    SECRET_KEY = env.string("SECRET_KEY")
    ALLOWED_HOSTS = env.string_list("ALLOWED_HOSTS")
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("ALLOWED_HOSTS must name at least one host.")
    # Production runs on its real services: no silent SQLite, console mail or local URL.
    for required in ("DATABASE_URL", "EMAIL_URL", "SITE_URL"):
        env.string(required)
    DEBUG = env.boolean("DEBUG", False)
    if DEBUG:
        raise ImproperlyConfigured("DEBUG must be false when NEWSROOM_ENV=production.")
else:
    # Only ever used on a developer's machine: production refuses to start without its own.
    SECRET_KEY = env.string("SECRET_KEY", "local-only-key-never-used-in-production-0123456789abc")
    # The host SITE_URL names is served too, whatever ALLOWED_HOSTS says: `make run
    # HOST=0.0.0.0 SITE_URL=http://<ip>:8000` answers on the address it gives out.
    ALLOWED_HOSTS = list(
        dict.fromkeys(
            [
                *env.string_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"]),
                urlsplit(SITE_URL).hostname,
            ]
        )
    )
    DEBUG = env.boolean("DEBUG", True)

SITE_NAME = env.string("SITE_NAME", "솔빛경제")
SITE_CONTACT_EMAIL = env.string("SITE_CONTACT_EMAIL", "newsroom@example.com")
# The home page's description for search results and share cards (a section's page says its
# own description, or its name with this).
SITE_DESCRIPTION = env.string("SITE_DESCRIPTION", "산업·금융·증권·부동산의 오늘을 전하는 경제 뉴스")
# The portals' and search engines' proofs that the site is the newsroom's, given by each
# webmaster tool: Naver Search Advisor's and Google Search Console's <meta> tags on the home
# page, and Daum's line for robots.txt. Empty: not shown.
NAVER_SITE_VERIFICATION = env.string("NAVER_SITE_VERIFICATION", "")
GOOGLE_SITE_VERIFICATION = env.string("GOOGLE_SITE_VERIFICATION", "")
DAUM_WEBMASTER_ROBOTS_LINE = env.string("DAUM_WEBMASTER_ROBOTS_LINE", "")
if DAUM_WEBMASTER_ROBOTS_LINE and not re.fullmatch(
    r"#DaumWebMasterTool:[A-Za-z0-9:+/=_-]+", DAUM_WEBMASTER_ROBOTS_LINE
):
    raise ImproperlyConfigured(
        "DAUM_WEBMASTER_ROBOTS_LINE must be the one line Daum's webmaster tool gives, "
        "starting with #DaumWebMasterTool:"
    )
# The colour of the masthead, links and buttons (a CSS colour).
SITE_BRAND_COLOR = env.string("SITE_BRAND_COLOR", "#0b3d91")
if not re.fullmatch(r"#[0-9a-fA-F]{3}|#[0-9a-fA-F]{6}", SITE_BRAND_COLOR):
    raise ImproperlyConfigured(
        f"SITE_BRAND_COLOR={SITE_BRAND_COLOR!r} is not a #rgb or #rrggbb colour."
    )
# What a Korean internet newspaper must show in its footer. The defaults are demo values.
SITE_LEGAL = {
    "registration": env.string("SITE_REGISTRATION_NUMBER", "서울 아00000 (데모)"),
    "registered_on": env.string("SITE_REGISTRATION_DATE", "2026-01-01"),
    "publisher": env.string("SITE_PUBLISHER", "홍길동 (데모)"),
    "editor": env.string("SITE_EDITOR", "오세훈 (데모)"),
    "youth_officer": env.string("SITE_YOUTH_OFFICER", "윤서연 (데모)"),
    "address": env.string("SITE_ADDRESS", "서울특별시 중구 세종대로 00 (데모 주소)"),
    "phone": env.string("SITE_PHONE", "02-000-0000"),
}
SITE_YOUTUBE_URL = env.string("SITE_YOUTUBE_URL", "https://www.youtube.com/@example-newsroom")
# Kakao's JavaScript SDK key: with it the share bar offers KakaoTalk (and the CSP allows
# Kakao's SDK); without it the browser's own share sheet stands in where there is one.
KAKAO_JS_KEY = env.string("KAKAO_JS_KEY", "")
KAKAO_SDK_URL = "https://t1.kakaocdn.net/kakao_js_sdk/2.7.4/kakao.min.js"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "csp",
    "tree_queries",
    "django_prose_editor",
    # Ours, in import order: each app may use only the ones above it.
    "newsroom",
    "accounts",
    "media",
    "articles",
    "comments",
]

MIDDLEWARE = [
    "newsroom.requestlog.RequestLogMiddleware",
    "newsroom.methods.RefusedMethodsMiddleware",
    # Before anything reads request.GET (the page cache does, before any view).
    "newsroom.querystrings.QueryStringMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before the session: a cached reader page needs none of what follows.
    "newsroom.cached_pages.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]

ROOT_URLCONF = "newsroom.urls"
WSGI_APPLICATION = "newsroom.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "newsroom" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "newsroom.context_processors.site",
                "accounts.context_processors.staff",
                "media.context_processors.library",
                "articles.context_processors.navigation",
                "articles.context_processors.desk",
                "comments.context_processors.desk",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------------------
# SQLite serves the zero-setup site: WAL lets readers work beside the one writer, IMMEDIATE
# takes the write lock up front (no "database is locked" when a read turns into a write) and
# the timeout lets the dev server, the periodic runner and after-commit work wait their turn.
_SQLITE = {
    "ENGINE": "django.db.backends.sqlite3",
    "NAME": VAR_DIR / "db.sqlite3",
    "OPTIONS": {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    },
}
DATABASES = {"default": env.database("DATABASE_URL", _SQLITE)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["CONN_MAX_AGE"] = env.integer("DATABASE_CONN_MAX_AGE", 60, minimum=0)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # The site's queries are short and read through indexes: PostgreSQL's JIT, which the
    # planner switches on for a costly-looking count, spent half of a comment block's time
    # compiling it at scale (docs/benchmarks.md, Archive at scale).
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ------------------------------------------------------------------------------
# django-redis fails open (IGNORE_EXCEPTIONS, short timeouts; newsroom.cache for `add`):
# with Redis down pages are served uncached instead of failing. Without Redis a file cache
# under var/ is shared by every local process (the dev server and the periodic runner).
REDIS_URL = env.redis_url("REDIS_URL")
CELERY_BROKER_URL = env.redis_url("CELERY_BROKER_URL") or ""
if REDIS_URL and REDIS_URL == CELERY_BROKER_URL:
    raise ImproperlyConfigured(
        "REDIS_URL and CELERY_BROKER_URL must use different Redis databases "
        "(the cache evicts keys; the broker must never lose one)."
    )
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "newsroom.cache.FailOpenRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "newsroom",
            "OPTIONS": {
                "CLIENT_CLASS": "django_redis.client.DefaultClient",
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 0.25,
                "SOCKET_TIMEOUT": 0.25,
            },
        }
    }
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": VAR_DIR / "cache",
            "KEY_PREFIX": "newsroom",
        }
    }

# The reader pages' cache (newsroom.pagecache): whole pages, and the fragments many pages
# share. PAGE_CACHE=off renders every page (a page is still built as for anyone);
# PAGE_CACHE_LOCAL_ENTRIES is each process's own tier in front of the shared cache (0: none).
PAGE_CACHE_ENABLED = env.boolean("PAGE_CACHE", True)
PAGE_CACHE_LOCAL_ENTRIES = env.integer("PAGE_CACHE_LOCAL_ENTRIES", 500, minimum=0)
FRAGMENT_CACHE_ENABLED = env.boolean("FRAGMENT_CACHE", True)
# Set at log-in (see newsroom.cached_pages): for staff, whose requests skip the page cache,
# and for everyone, telling the page's script to fetch the reader's own parts.
PAGE_CACHE_BYPASS_COOKIE = "newsroom_desk"
PAGE_CACHE_MEMBER_COOKIE = "newsroom_member"
# The personal request's parts beside the header and messages: {name: view function}, each
# giving the HTML that replaces the page's element marked data-personal="name".
PERSONAL_PARTS = {
    "comments": "comments.personal.comment_block",
    "newsletters": "articles.newsletters.personal.newsletter_box",
}
# The edge caches in front of the app servers (newsroom.edge, deploy/varnish/): each
# address is sent a PURGE naming the keys of every change. Empty: no edge, nothing is sent.
EDGE_PURGE_URLS = env.string_list("EDGE_PURGE_URLS", [])
for _edge in EDGE_PURGE_URLS:
    if not _edge.startswith(("http://", "https://")):
        raise ImproperlyConfigured(f"EDGE_PURGE_URLS: {_edge!r} is not an http:// address.")

# Sessions stay in the database: allauth's rate limits live in the cache, and a cache outage
# must not log everybody out as well.
SESSION_ENGINE = "django.contrib.sessions.backends.db"

# --- Background work --------------------------------------------------------------------
# Without CELERY_BROKER_URL the outbox runs tasks in-process after commit and
# `manage.py run_periodic` runs the beat schedule, so the zero-setup site behaves the same.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Seconds a task may run: it is interrupted (SoftTimeLimitExceeded) at four fifths, killed at
# the limit.
CELERY_TASK_TIME_LIMIT = env.integer("CELERY_TASK_TIME_LIMIT", 300, minimum=2)
CELERY_TASK_SOFT_TIME_LIMIT = CELERY_TASK_TIME_LIMIT * 4 // 5
# Redelivery of an unacknowledged task happens after this many seconds: every retry delay
# and time limit stays well below it so that no task runs twice by accident (checked below;
# the fault tests set a few seconds to see a killed worker's tasks redelivered).
CELERY_BROKER_VISIBILITY_TIMEOUT = env.integer("CELERY_BROKER_VISIBILITY_TIMEOUT", 3600, minimum=1)
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": CELERY_BROKER_VISIBILITY_TIMEOUT}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = "Asia/Seoul"
# Workers log through LOGGING above, request ids included.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# A request hands its tasks to the broker with this connect timeout and no retries.
OUTBOX_SEND_TIMEOUT = 0.5
OUTBOX_MAX_ATTEMPTS = env.integer("OUTBOX_MAX_ATTEMPTS", 8, minimum=1)
OUTBOX_KEEP_DAYS = env.integer("OUTBOX_KEEP_DAYS", 7, minimum=1)

# --- Sharing fan-out -------------------------------------------------------------------
# Every publish, update, correction and unpublish fans the story's card out to the networks
# (articles.sharing.fanout). Only Facebook has a refresh API; it is called when a token is set.
FACEBOOK_GRAPH_URL = env.string("FACEBOOK_GRAPH_URL", "https://graph.facebook.com").rstrip("/")
FACEBOOK_ACCESS_TOKEN = env.string("FACEBOOK_ACCESS_TOKEN", "")
# Seconds a refresh call may take (connect and read).
SHARE_HTTP_TIMEOUT = env.integer("SHARE_HTTP_TIMEOUT", 10, minimum=1)
# Attempts of one delivery before it is recorded as failed (an editor can re-run it).
SHARE_MAX_ATTEMPTS = env.integer("SHARE_MAX_ATTEMPTS", 5, minimum=1)
# Exponential backoff between attempts: base, doubling, capped, with jitter.
SHARE_RETRY_BASE_SECONDS = env.integer("SHARE_RETRY_BASE_SECONDS", 10, minimum=1)
SHARE_RETRY_MAX_SECONDS = env.integer("SHARE_RETRY_MAX_SECONDS", 600, minimum=1)
# Calls per minute to Facebook's Graph API, shared by every worker (a bucket in Redis).
SHARE_FACEBOOK_RATE_PER_MINUTE = env.integer("SHARE_FACEBOOK_RATE_PER_MINUTE", 60, minimum=1)

# --- Partner webhooks -------------------------------------------------------------------
# Story events POSTed, signed, to the partners' endpoints registered in the admin
# (articles.webhooks). Only https, and only public addresses, checked after resolving the
# name at registration and at every delivery. Plain http is for tests and a developer's
# receiver only: production refuses to start with it.
WEBHOOKS_ALLOW_HTTP = env.boolean("WEBHOOKS_ALLOW_HTTP", False)
if PRODUCTION and WEBHOOKS_ALLOW_HTTP:
    raise ImproperlyConfigured("WEBHOOKS_ALLOW_HTTP must be false when NEWSROOM_ENV=production.")
# IP addresses a webhook may reach although they are not public: only the test settings
# fill it (a receiver on 127.0.0.1); it is deliberately not read from the environment.
WEBHOOKS_TEST_ALLOWED_ADDRESSES: list[str] = []
# Seconds a delivery's connection and each read may take.
WEBHOOKS_HTTP_TIMEOUT = env.integer("WEBHOOKS_HTTP_TIMEOUT", 10, minimum=1)
# Attempts of one delivery before it is recorded as failed (an editor can send it again).
WEBHOOKS_MAX_ATTEMPTS = env.integer("WEBHOOKS_MAX_ATTEMPTS", 8, minimum=1)
# Exponential backoff between attempts: base, doubling, capped, with jitter.
WEBHOOKS_RETRY_BASE_SECONDS = env.integer("WEBHOOKS_RETRY_BASE_SECONDS", 10, minimum=1)
WEBHOOKS_RETRY_MAX_SECONDS = env.integer("WEBHOOKS_RETRY_MAX_SECONDS", 600, minimum=1)

# The cap of every other task's automatic retry backoff (newsroom.tasks.NewsroomTask).
TASK_RETRY_MAX_SECONDS = env.integer("TASK_RETRY_MAX_SECONDS", 600, minimum=1)
# A task waiting for its retry is an unacknowledged message: past the visibility timeout the
# broker would hand it to a second worker. The longest wait plus the longest run must fit.
for _cap_name, _cap in (
    ("SHARE_RETRY_MAX_SECONDS", SHARE_RETRY_MAX_SECONDS),
    ("TASK_RETRY_MAX_SECONDS", TASK_RETRY_MAX_SECONDS),
    ("WEBHOOKS_RETRY_MAX_SECONDS", WEBHOOKS_RETRY_MAX_SECONDS),
):
    if _cap + CELERY_TASK_TIME_LIMIT >= CELERY_BROKER_VISIBILITY_TIMEOUT:
        raise ImproperlyConfigured(
            f"CELERY_BROKER_VISIBILITY_TIMEOUT={CELERY_BROKER_VISIBILITY_TIMEOUT} must be "
            f"longer than {_cap_name} ({_cap}) plus the task time limit "
            f"({CELERY_TASK_TIME_LIMIT} s)."
        )

# --- Accounts ---------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
# Where each staff role lands after logging in: the first role of this order that the
# person holds wins; readers (no role) go to LOGIN_REDIRECT_URL or where they came from.
# URL names or paths. Accounts reads them from here, so it never names a higher app's page.
# An editor starts on the review queue, a moderator on the comment queue, a reporter on
# their own stories; someone with two roles lands where the first of these sends them.
LOGIN_REDIRECT_BY_ROLE = {
    "editor": "story_desk:queue",
    "moderator": "comment_desk:queue",
    "reporter": "story_desk:dashboard",
}
# The staff member's own profile page (the wiring's), where the portrait picker returns.
STAFF_PROFILE_URL = "desk-profile"
# Sections that higher apps add to the reader's own page (accounts/me.html), in order:
# templates included there, so accounts names none of them.
MEMBER_PAGE_SECTIONS = [
    "articles/newsletters/member_section.html",
    "comments/member_section.html",
]
# Checks a nickname must pass beyond accounts' own rules, at sign-up and at every change:
# dotted paths to callables `(nickname) -> error message or None`, run in order. The
# comment word list refuses in a name what it refuses in a comment. [] is valid.
ACCOUNTS_NICKNAME_CHECKS = ["comments.nicknames.check_nickname"]
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
# Adds the nickname and the required consents (accounts.membership records them).
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.SignupForm"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGOUT_REDIRECT_URL = "accounts:logged-out"
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{SITE_NAME}] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if PRODUCTION else "http"
# allauth's rate limits and accounts.limits count per client IP, so behind a proxy the
# number of trusted proxies decides which X-Forwarded-For entry is the client.
TRUSTED_PROXY_COUNT = env.integer("TRUSTED_PROXY_COUNT", 0, minimum=0)
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
# Log-in failures and sign-ups are limited by accounts.limits, counted in the database so
# they keep limiting with the cache down; allauth's own cache counters for them are off
# (its failure limit per e-mail locked the owner out along with the attacker, and with
# Redis down its counters refuse every try). Its other limits (password reset, resends)
# stay at its defaults.
ACCOUNT_RATE_LIMITS = {"login": None, "login_failed": None, "signup": None}
# Within ACCOUNTS_LOG_IN_WINDOW_MINUTES, an address is refused log-ins to one account after
# ACCOUNTS_LOG_IN_FAILURES_PER_ACCOUNT failures at it, and to any account after
# ACCOUNTS_LOG_IN_FAILURES_PER_IP. An account failed ACCOUNTS_LOG_IN_FLOOD times from all
# addresses together gives each address a single try. 0 switches a limit off.
ACCOUNTS_LOG_IN_WINDOW_MINUTES = env.integer("ACCOUNTS_LOG_IN_WINDOW_MINUTES", 15, minimum=1)
ACCOUNTS_LOG_IN_FAILURES_PER_ACCOUNT = env.integer(
    "ACCOUNTS_LOG_IN_FAILURES_PER_ACCOUNT", 5, minimum=0
)
ACCOUNTS_LOG_IN_FAILURES_PER_IP = env.integer("ACCOUNTS_LOG_IN_FAILURES_PER_IP", 30, minimum=0)
ACCOUNTS_LOG_IN_FLOOD = env.integer("ACCOUNTS_LOG_IN_FLOOD", 20, minimum=0)
# Sign-ups accepted from one address in an hour, and verification (or "you already have an
# account") mails sent to one address in 24 hours.
ACCOUNTS_SIGN_UPS_PER_IP_PER_HOUR = env.integer("ACCOUNTS_SIGN_UPS_PER_IP_PER_HOUR", 10, minimum=0)
ACCOUNTS_VERIFICATION_MAILS_PER_DAY = env.integer(
    "ACCOUNTS_VERIFICATION_MAILS_PER_DAY", 5, minimum=0
)
# Requests to subscribe to newsletters taken from one address in an hour, and their
# confirmation mails sent to one address in 24 hours. Those mails are counted apart from
# the verification mails above: anyone may ask for them from the public form, and they
# must not use up the recipient's account-recovery mails.
ACCOUNTS_SUBSCRIBES_PER_IP_PER_HOUR = env.integer(
    "ACCOUNTS_SUBSCRIBES_PER_IP_PER_HOUR", 10, minimum=0
)
ACCOUNTS_NEWSLETTER_MAILS_PER_DAY = env.integer("ACCOUNTS_NEWSLETTER_MAILS_PER_DAY", 3, minimum=0)

# Kakao, Naver and Google log-in switch on when their keys are set; a provider without keys
# is not installed at all, so no dead button is ever shown.
SOCIAL_PROVIDERS = {
    "kakao": ("KAKAO_CLIENT_ID", "KAKAO_CLIENT_SECRET"),
    "naver": ("NAVER_CLIENT_ID", "NAVER_CLIENT_SECRET"),
    "google": ("GOOGLE_CLIENT_ID", "GOOGLE_CLIENT_SECRET"),
}
SOCIALACCOUNT_PROVIDERS = {}
for _provider, (_id_name, _secret_name) in SOCIAL_PROVIDERS.items():
    _client_id = env.string(_id_name, "")
    if _client_id:
        INSTALLED_APPS.append(f"allauth.socialaccount.providers.{_provider}")
        SOCIALACCOUNT_PROVIDERS[_provider] = {
            "APPS": [{"client_id": _client_id, "secret": env.string(_secret_name), "key": ""}],
        }
# Everyone signing up through a provider sees the sign-up form (nickname and consents);
# one that returns no e-mail (Kakao may not) is asked for an address, which is verified.
SOCIALACCOUNT_AUTO_SIGNUP = False
SOCIALACCOUNT_FORMS = {"signup": "accounts.social_forms.SocialSignupForm"}
SOCIALACCOUNT_EMAIL_REQUIRED = True
SOCIALACCOUNT_EMAIL_VERIFICATION = "mandatory"
SOCIALACCOUNT_QUERY_EMAIL = True

_email = env.email("EMAIL_URL")
if _email:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = _email["EMAIL_HOST"]
    EMAIL_PORT = _email["EMAIL_PORT"]
    EMAIL_HOST_USER = _email["EMAIL_HOST_USER"]
    EMAIL_HOST_PASSWORD = _email["EMAIL_HOST_PASSWORD"]
    EMAIL_USE_TLS = _email.get("EMAIL_USE_TLS", False)
    EMAIL_USE_SSL = _email.get("EMAIL_USE_SSL", False)
    EMAIL_TIMEOUT = 10
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env.string("DEFAULT_FROM_EMAIL", f"{SITE_NAME} <noreply@example.com>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Newsletters (articles.newsletters): their sender, and how fast an issue goes out. Sending
# is batched through the outbox; the rate is the mail relay's (or provider's) limit.
NEWSLETTER_FROM_EMAIL = env.string("NEWSLETTER_FROM_EMAIL", DEFAULT_FROM_EMAIL)
NEWSLETTER_SENDS_PER_MINUTE = env.integer("NEWSLETTER_SENDS_PER_MINUTE", 12000, minimum=1)
NEWSLETTER_BATCH_SIZE = env.integer("NEWSLETTER_BATCH_SIZE", 500, minimum=1)
# A 1x1 image per recipient telling when an issue was opened: off unless switched on (the
# privacy text says which it is).
NEWSLETTER_OPEN_TRACKING = env.boolean("NEWSLETTER_OPEN_TRACKING", False)
# The mail provider's bounce and complaint reports (django-anymail's tracking webhooks at
# /newsletters/provider/<provider>/tracking/) carry this "user:password" as HTTP basic
# auth, given to the provider with the webhook's address. Without it every report is
# refused (articles/views/newsletter_tracking.py).
_webhook_secret = env.string("ANYMAIL_WEBHOOK_SECRET", "")
if _webhook_secret and ":" not in _webhook_secret:
    raise ImproperlyConfigured("ANYMAIL_WEBHOOK_SECRET must be user:password (HTTP basic auth).")
ANYMAIL = {"WEBHOOK_SECRET": _webhook_secret} if _webhook_secret else {}

# --- Language and time ------------------------------------------------------------------
LANGUAGE_CODE = "ko"
LANGUAGES = [("ko", _("Korean")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Seoul"
USE_TZ = True

# --- Desk -------------------------------------------------------------------------------
# How often the story editor keeps unsaved work aside (the writer's own autosaved copy).
DESK_AUTOSAVE_SECONDS = env.integer("DESK_AUTOSAVE_SECONDS", 30, minimum=1)

# --- Comment moderation -------------------------------------------------------------------
# Throttles (0 switches one off). Counted in the database, so they keep limiting when the
# cache is down. A reader waits this long between two comments:
COMMENTS_MIN_GAP_SECONDS = env.integer("COMMENTS_MIN_GAP_SECONDS", 15, minimum=0)
# Comments (replies included) one reader may write under one story in a day (Korean time).
COMMENTS_PER_STORY_PER_DAY = env.integer("COMMENTS_PER_STORY_PER_DAY", 10, minimum=0)
# Comments from one IP address in an hour: generous, for a household or an office behind one.
COMMENTS_PER_IP_PER_HOUR = env.integer("COMMENTS_PER_IP_PER_HOUR", 60, minimum=0)
# Likes and dislikes, and reports, one reader may give in a day.
COMMENTS_VOTES_PER_DAY = env.integer("COMMENTS_VOTES_PER_DAY", 100, minimum=0)
COMMENTS_REPORTS_PER_DAY = env.integer("COMMENTS_REPORTS_PER_DAY", 20, minimum=0)
# Reports from one IP address in an hour, whoever files them: one person with many
# accounts cannot hide a comment on their own.
COMMENTS_REPORTS_PER_IP_PER_HOUR = env.integer("COMMENTS_REPORTS_PER_IP_PER_HOUR", 30, minimum=0)
# The same text from the same reader again within this many hours is refused.
COMMENTS_DUPLICATE_HOURS = env.integer("COMMENTS_DUPLICATE_HOURS", 24, minimum=0)
# Trust: a reader's comments are held until a moderator has approved this many of them.
COMMENTS_TRUSTED_AFTER = env.integer("COMMENTS_TRUSTED_AFTER", 2, minimum=0)
# A reader goes back to review when more than this share (percent) of their last
# COMMENTS_TRUST_RECENT decided comments was rejected.
COMMENTS_TRUST_RECENT = env.integer("COMMENTS_TRUST_RECENT", 10, minimum=1)
COMMENTS_REJECTED_SHARE = env.integer("COMMENTS_REJECTED_SHARE", 50, minimum=0)
# Reports from this many different readers hide a comment until a moderator looks at it.
COMMENTS_REPORTS_TO_HIDE = env.integer("COMMENTS_REPORTS_TO_HIDE", 5, minimum=1)
# Comments the word rules refused are kept this many days for the moderators' list, then
# deleted by the daily job comments.forget_refused.
COMMENTS_REFUSED_KEEP_DAYS = env.integer("COMMENTS_REFUSED_KEEP_DAYS", 30, minimum=1)
if COMMENTS_MIN_GAP_SECONDS > 60:
    raise ImproperlyConfigured("COMMENTS_MIN_GAP_SECONDS must be at most 60.")
if 0 < COMMENTS_PER_IP_PER_HOUR < 30:
    raise ImproperlyConfigured(
        "COMMENTS_PER_IP_PER_HOUR must be 0 (off) or at least 30: many readers share one address."
    )
if 0 < COMMENTS_REPORTS_PER_IP_PER_HOUR < 10:
    raise ImproperlyConfigured(
        "COMMENTS_REPORTS_PER_IP_PER_HOUR must be 0 (off) or at least 10: many readers share "
        "one address."
    )

# --- Files ------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
if not PRODUCTION:
    # A fresh clone has no var/: SQLite and WhiteNoise both expect their folders to exist.
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "newsroom" / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"
# Photos: public renditions and private originals live in different storages. With S3 set
# up, both go to the object store (the public bucket serves renditions to readers); else
# under var/, where only var/media is ever served.
PHOTO_MAX_BYTES = env.integer("PHOTO_MAX_BYTES", 30 * 1024 * 1024, minimum=1024)
PHOTO_MAX_PIXELS = env.integer("PHOTO_MAX_PIXELS", 60_000_000, minimum=10_000)
# `make run` serves var/media itself; in production the web server or the object store does.
SERVE_MEDIA = env.boolean("SERVE_MEDIA", not PRODUCTION)
S3_PUBLIC_BUCKET = env.string("S3_PUBLIC_BUCKET", "")
if S3_PUBLIC_BUCKET:
    _s3 = {
        "endpoint_url": env.string("S3_ENDPOINT_URL", "") or None,
        "region_name": env.string("S3_REGION", "") or None,
        "access_key": env.string("S3_ACCESS_KEY_ID"),
        "secret_key": env.string("S3_SECRET_ACCESS_KEY"),
        # Names are content hashes: writing a name again writes the same bytes, and
        # skipping the existence check saves a request per file.
        "file_overwrite": True,
    }
    _photos_public = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            **_s3,
            "bucket_name": S3_PUBLIC_BUCKET,
            "custom_domain": env.string("S3_PUBLIC_DOMAIN", "") or None,
            "querystring_auth": False,
            # Rendition names contain a hash of their content: they never change.
            "object_parameters": {"CacheControl": "public, max-age=31536000, immutable"},
        },
    }
    _photos_private = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            **_s3,
            "bucket_name": env.string("S3_PRIVATE_BUCKET"),
            "querystring_auth": True,
            "default_acl": "private",
        },
    }
else:
    _photos_public = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": MEDIA_ROOT, "base_url": MEDIA_URL, "allow_overwrite": True},
    }
    _photos_private = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": VAR_DIR / "private", "base_url": None, "allow_overwrite": True},
    }
STORAGES = {
    # Nothing uploaded becomes public by accident: only photos_public is ever served.
    "default": _photos_private,
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
    "photos_public": _photos_public,
    "photos_private": _photos_private,
}
# Locally static files come straight from the apps' folders through WhiteNoise, with DEBUG
# off too (the demo server): no collectstatic step. Production serves the collected,
# hashed files.
WHITENOISE_USE_FINDERS = not PRODUCTION

# --- Security ---------------------------------------------------------------------------
# Public pages are cached, so they load external scripts only: a nonce would go stale.
# The nonce reaches the header only on pages that use it (the desk's story editor, whose
# rich-text editor needs an inline import map); django-csp adds it lazily.
# No page sets a <base> (an injected one would redirect every relative script), embeds a
# plugin, or is meant to be framed by another site: base-uri, object-src and frame-ancestors
# are all 'none' (newsroom.checks keeps them so).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
if KAKAO_JS_KEY:
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["script-src"].append("https://t1.kakaocdn.net")
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["connect-src"].append("https://kapi.kakao.com")
X_FRAME_OPTIONS = "DENY"
# For a finding checked by other means, such as newsroom.media.W001 when the web server in
# front sends nosniff for /media/; `check --deploy` names each silenced one in its count.
SILENCED_SYSTEM_CHECKS = env.string_list("SILENCED_SYSTEM_CHECKS", [])
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
if TRUSTED_PROXY_COUNT:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
if PRODUCTION:
    # Local `make run` serves plain http, where Secure and __Host- cookies would be dropped.
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    SECURE_SSL_REDIRECT = env.boolean("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env.integer("SECURE_HSTS_SECONDS", 31536000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env.boolean("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env.boolean("SECURE_HSTS_PRELOAD", True)
    CSRF_TRUSTED_ORIGINS = [SITE_URL]
    # Load balancers probe over plain http: the health check answers there too.
    SECURE_REDIRECT_EXEMPT = [r"^healthz(/live|/ready)?$"]

# --- Logging ----------------------------------------------------------------------------
# Everything to stdout, each line with the request id it belongs to (see newsroom.requestlog).
# Every request writes a line (newsroom.requestlog), a cached page's too, where it is a
# sixth of the time: the format names no caller or thread, so they are not collected (the
# "Optimization" section of Python's logging HOWTO). The process id is: gunicorn's own lines,
# logged through the same module, name it (and fail to format without it).
logging._srcfile = None
logging.logThreads = False
logging.logMultiprocessing = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "newsroom.requestlog.RequestIdFilter"}},
    "formatters": {
        "plain": {
            "()": "newsroom.requestlog.LineFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s",
        }
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "plain",
            "filters": ["request_id"],
        }
    },
    "root": {
        "handlers": ["console"],
        "level": env.choice("LOG_LEVEL", ("DEBUG", "INFO", "WARNING", "ERROR"), "INFO"),
    },
    "loggers": {"django.db.backends": {"level": "INFO"}},
}
