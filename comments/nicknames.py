"""The comment word list applied to readers' nicknames, at sign-up and at every change.

Registered in the ACCOUNTS_NICKNAME_CHECKS setting: accounts runs it without importing
comments. A nickname is signed on every comment its reader writes, so what the list
refuses in a comment it refuses in a name, however it is written (씨1발, look-alikes...).
"""

from django.utils.translation import gettext as _

from comments.moderation import word_rules


def check_nickname(nickname: str) -> str | None:
    """The reason `nickname` is refused, or None.

    A banned word refuses it, the message quoting the part of the nickname that matched, as
    the reader typed it. A link
    refuses it too: a name shown under every comment would advertise it everywhere.

    Suspect words pass. In a comment they hold it for a moderator; a nickname has no review
    queue to wait in, and refusing it outright would refuse names that are innocent more
    often than not (which is why those words are suspect, not banned).
    """
    verdict = word_rules().check(nickname)
    if verdict.banned is not None:
        start, end = verdict.banned_span
        part = nickname[start:end]
        return _(
            "“%(part)s” in this nickname is a word that is not allowed here. "
            "Choose another nickname."
        ) % {"part": part}
    if verdict.link:
        return _(
            "A nickname cannot contain a web address, not even one spelled out (such as 닷컴)."
        )
    return None
