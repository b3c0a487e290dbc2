"""Retakes the screenshots in this folder from a running demo (`make run`), with headless
Chromium at desktop (1280 px) and phone (390 px) widths:

    .venv/bin/python docs/screenshots/take.py [http://127.0.0.1:8000]

Each role logs in through the log-in form with the demo password, as a person would.
CHROMIUM names the browser (Debian's /usr/bin/chromium by default)."""

import os
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

HERE = Path(__file__).resolve().parent
PASSWORD = "newsroom-demo"
VIEWPORTS = {
    "desktop": {"width": 1280, "height": 900},
    "phone": {"width": 390, "height": 844},
}
SEARCH_WORD = "반도체"


def log_in(page, base: str, email: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_load_state()


def shoot(page, name: str, width: str, *, full_page: bool = True) -> None:
    page.wait_for_load_state("networkidle")
    path = HERE / f"{name}-{width}.png"
    page.screenshot(path=path, full_page=full_page)
    print(f"{path.relative_to(HERE.parent.parent)}")


def reader_pages(browser, base: str, width: str) -> None:
    page = browser.new_page(viewport=VIEWPORTS[width])
    page.goto(f"{base}/")
    shoot(page, "home", width)
    article = page.locator("main a[href^='/articles/']").first.get_attribute("href")
    page.goto(f"{base}{article}")
    shoot(page, "article", width)
    page.goto(f"{base}/search/?q={SEARCH_WORD}")
    shoot(page, "search", width)
    page.close()


def desk_pages(browser, base: str, width: str) -> None:
    for email, pages in (
        ("reporter@example.com", [("desk-dashboard", "/desk/")]),
        ("editor@example.com", [("review-queue", "/desk/queue/")]),
        (
            "moderator@example.com",
            [
                ("moderation-queue", "/desk/comments/"),
                ("moderation-refused", "/desk/comments/refused/"),
            ],
        ),
    ):
        context = browser.new_context(viewport=VIEWPORTS[width])
        page = context.new_page()
        log_in(page, base, email)
        for name, path in pages:
            page.goto(f"{base}{path}")
            shoot(page, name, width)
        if email.startswith("reporter"):
            page.goto(f"{base}/desk/")
            page.locator("a.desk-headline").first.click()
            page.locator(".ProseMirror").last.wait_for()
            shoot(page, "story-editor", width, full_page=False)
            # Leave the story unlocked for whoever opens it next.
            page.goto(f"{base}/desk/")
        context.close()


def main() -> None:
    base = (sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000").rstrip("/")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=os.environ.get("CHROMIUM", "/usr/bin/chromium"), args=["--no-sandbox"]
        )
        for width in VIEWPORTS:
            reader_pages(browser, base, width)
            desk_pages(browser, base, width)
        browser.close()


if __name__ == "__main__":
    main()
