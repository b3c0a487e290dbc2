"""Refusals of a comment action, with the message the reader sees. ValidationErrors, so a
form takes them as they are (`form.add_error(None, error)`)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from comments import rules


class CommentRefused(ValidationError):
    """The action was refused; nothing was saved."""

    def __init__(self, message, code: str, params: dict | None = None):
        super().__init__(message, code=code, params=params)


class BlankComment(CommentRefused):
    def __init__(self):
        super().__init__(_("Write something before posting."), "blank")


class CommentTooLong(CommentRefused):
    def __init__(self, size: int):
        self.size = size
        super().__init__(
            _(
                "Comments are limited to %(max)s bytes (%(hangul)s Hangul characters); "
                "yours has %(size)s. Shorten it and post again."
            ),
            "too_long",
            {"max": rules.MAX_BYTES, "hangul": rules.MAX_HANGUL, "size": size},
        )


class CommentsClosed(CommentRefused):
    def __init__(self):
        super().__init__(_("Comments on this story are closed."), "closed")


class NullCharacter(CommentRefused):
    """Text holding a NUL, which no one types (a paste from a file, or a script)."""

    def __init__(self):
        super().__init__(
            _("The comment holds a NUL character, which cannot be kept. Type or paste it again."),
            "null_character",
        )


class CannotReply(CommentRefused):
    def __init__(self):
        super().__init__(_("This comment cannot be replied to."), "cannot_reply")


class NotVisible(CommentRefused):
    """Someone else's comment that is held, refused or deleted: as if it were not there."""

    def __init__(self):
        super().__init__(_("This comment is no longer shown."), "not_visible")


class OwnComment(CommentRefused):
    def __init__(self, message):
        super().__init__(message, "own_comment")


class AlreadyReported(CommentRefused):
    def __init__(self):
        super().__init__(_("You have already reported this comment."), "already_reported")


class Throttled(CommentRefused):
    """Too much, too fast: the message says when the reader may try again (`retry_at`)."""

    def __init__(self, message, retry_at):
        self.retry_at = retry_at
        super().__init__(message, "throttled")


class DuplicateComment(CommentRefused):
    def __init__(self):
        super().__init__(
            _("You have already posted the same text. Write something new."), "duplicate"
        )


class BannedWord(CommentRefused):
    """The text holds a word of the banned list (`word`), however it was written: the
    message names the reader's own characters that matched (`text`), so that they see what
    to change ("씨1발", not the list's 씨발)."""

    # A drawn-out match (씨이이이…발) is shown by its ends.
    SHOWN_UP_TO = 30

    def __init__(self, word: str, text: str):
        self.word, self.text = word, text
        shown = " ".join(text.split())
        if len(shown) > self.SHOWN_UP_TO:
            half = self.SHOWN_UP_TO // 2
            shown = f"{shown[:half]}…{shown[-half:]}"
        super().__init__(
            _(
                "Your comment contains a word that is not allowed here (“%(text)s”). "
                "Change it and post again."
            ),
            "banned_word",
            {"text": shown},
        )


class NotModeratable(CommentRefused):
    """A moderator's action that does not apply to the comment in its present state."""

    def __init__(self, message=None):
        super().__init__(message or _("This action does not apply to this comment now."), "state")
