"""The nickname as the site accepts it: accounts.nicknames' own rules, then the checks
higher apps register in the ACCOUNTS_NICKNAME_CHECKS setting (such as the comment word
list), so that accounts applies their rules without naming them.

Every path that sets a nickname goes through validate_nickname: the sign-up and my-page
forms (accounts.forms.NicknameField) and accounts.membership, which the demo loader and any
command call.
"""

from collections.abc import Callable
from functools import cache

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.module_loading import import_string

from accounts import nicknames

NicknameCheck = Callable[[str], str | None]


def validate_nickname(value: str) -> str:
    """The nickname as stored, or ValidationError naming the first rule it breaks.

    accounts.nicknames runs first: it is pure and cheap, and the registered checks then
    read a well-formed name (NFC, stripped), the one that is stored and shown, so what
    they quote of it is what the reader sees. Uniqueness, a database question, is left to
    the callers (accounts.selectors.nickname_in_use), after these.
    """
    nickname = nicknames.clean_nickname(value)
    for check in nickname_checks():
        message = check(nickname)
        if message:
            raise ValidationError(message, code="not_allowed")
    return nickname


def nickname_checks() -> tuple[NicknameCheck, ...]:
    """The callables named in ACCOUNTS_NICKNAME_CHECKS, each `(nickname) -> error message or
    None`, in order. An empty list is a valid configuration: accounts' own rules only."""
    return _imported(tuple(settings.ACCOUNTS_NICKNAME_CHECKS))


# Keyed by the list itself: each path is imported once per process, and a test that
# overrides the setting gets its own list without anyone clearing a cache.
@cache
def _imported(paths: tuple[str, ...]) -> tuple[NicknameCheck, ...]:
    return tuple(import_string(path) for path in paths)
