"""Headless Chromium (Debian's package) driven by Playwright, against the live test server."""

import os
import shutil

import pytest
from django.conf import settings

from accounts.permissions import can_use_desk
from tests.conftest import skip_or_fail

# Playwright's sync API runs an event loop in this thread; the test's own database calls
# are still plain synchronous Django.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

MEMBER, DESK = settings.PAGE_CACHE_MEMBER_COOKIE, settings.PAGE_CACHE_BYPASS_COOKIE
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Reports every CSP violation as a console error. Playwright injects it outside the page's
# own scripts, so the policy (script-src 'self') does not apply to it.
REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(`CSP violation: ${event.violatedDirective} ${event.blockedURI}`);
});
"""


def watch(page):
    """Writes down in `page.problems` every console error, page error, CSP violation, failed
    request and answer of 400 or more that `page` meets from now on."""
    problems = []
    page.add_init_script(REPORT_CSP_VIOLATIONS)
    page.on("console", lambda message: message.type == "error" and problems.append(message.text))
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.on(
        "response",
        lambda response: (
            response.status >= 400 and problems.append(f"{response.status} {response.url}")
        ),
    )
    page.on(
        "requestfailed",
        lambda request: _failed(request) and problems.append(f"failed {request.url}"),
    )
    page.problems = problems
    return page


def _failed(request) -> bool:
    # A request cut short by the next navigation (the favicon, fetched after the load event
    # of a page the test leaves at once) is the test's doing, not the site's: a missing
    # or broken file is an answer of 400 or more, caught above.
    return request.failure != "net::ERR_ABORTED"


@pytest.fixture(scope="session")
def browser():
    if not shutil.which("chromium"):
        skip_or_fail("Debian's chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def signed_in_page(browser, live_server, client):
    """A page signed in as the given user: `signed_in_page(user)`; other keywords go to
    the browser context (`java_script_enabled=False`)."""
    contexts = []

    def open_as(user, viewport=None, **options):
        client.force_login(user)
        context = browser.new_context(
            viewport=viewport or {"width": 1280, "height": 900}, **options
        )
        # The session, and the markers a real log-in sets (accounts.markers): the
        # reader's, which makes the page ask for its personal parts, and staff's.
        cookies = {"sessionid": client.cookies["sessionid"].value, MEMBER: "1"}
        if can_use_desk(user):
            cookies[DESK] = "1"
        context.add_cookies(
            [
                {"name": name, "value": value, "url": live_server.url}
                for name, value in cookies.items()
            ]
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        return page

    yield open_as
    for context in contexts:
        context.close()
