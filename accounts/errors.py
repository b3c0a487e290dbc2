from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _


class NotAllowed(PermissionDenied):
    """The actor may not do this. Views turn it into the friendly 403 page."""

    def __init__(self, message=None):
        super().__init__(message or _("You do not have permission to do this."))


def require(allowed: bool, message=None) -> None:
    if not allowed:
        raise NotAllowed(message)


# Refusals a form shows next to a field: ValidationErrors, so `form.add_error(field, error)`
# takes them as they are.


class NicknameTaken(ValidationError):
    def __init__(self):
        super().__init__(_("This nickname is already taken."), code="nickname_taken")


class ConsentMissing(ValidationError):
    def __init__(self, kinds):
        self.kinds = list(kinds)
        super().__init__(
            _("Signing up needs every required consent: missing %(kinds)s."),
            code="consent_missing",
            params={"kinds": ", ".join(self.kinds)},
        )


class WrongPassword(ValidationError):
    def __init__(self):
        super().__init__(
            _("That is not your current password. Nothing was changed."), code="wrong_password"
        )


class LimitReached(ValidationError):
    """Too many tries (accounts.limits): the message says when to try again (`retry_at`)."""

    def __init__(self, message, retry_at):
        self.retry_at = retry_at
        super().__init__(message, code="limit_reached")
