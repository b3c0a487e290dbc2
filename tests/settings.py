"""The settings of the test run: the project's own, with a folder of its own for files.

Set before newsroom.settings is read, so uploads, renditions and the file cache of the tests
never land in the developer's var/. Processes the tests start (a Celery worker) inherit
the same folder; tests/conftest.py removes it at the end of the run.
"""

import os
import tempfile

os.environ.setdefault("NEWSROOM_TEST_VAR_DIR", tempfile.mkdtemp(prefix="newsroom-tests-"))
os.environ["NEWSROOM_VAR_DIR"] = os.environ["NEWSROOM_TEST_VAR_DIR"]
os.environ["NEWSROOM_READ_DOTENV"] = "false"

from newsroom.settings import *  # noqa: F403

# allauth's test provider: a log-in form standing in for Kakao, Naver or Google, so the
# tests can walk a social sign-up whose provider returns no e-mail address.
INSTALLED_APPS = [*INSTALLED_APPS, "allauth.socialaccount.providers.dummy"]  # noqa: F405

# Most tests change rows and read the pages again inside one transaction, whose commit
# (and so the cache's invalidation after it) never comes. The page and fragment caches
# are on only in the tests about them: the fixture `page_cache` (tests/conftest.py), whose
# database commits for real. Reader pages are built as for anyone either way.
PAGE_CACHE_ENABLED = False
FRAGMENT_CACHE_ENABLED = False
# Webhooks may reach private addresses only when listed here; the tests' own receivers on
# 127.0.0.1 list it themselves (the `settings` fixture), and the killed-worker test hands
# its workers the list through this variable, read by no other settings module.
WEBHOOKS_TEST_ALLOWED_ADDRESSES = [
    address
    for address in os.environ.get("NEWSROOM_TEST_WEBHOOK_ADDRESSES", "").split(",")
    if address.strip()
]
