from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _


class NotAllowed(PermissionDenied):
    """The actor may not do this. Views turn it into the friendly 403 page."""

    def __init__(self, message=None):
        super().__init__(message or _("You do not have permission to do this."))


def require(allowed: bool, message=None) -> None:
    if not allowed:
        raise NotAllowed(message)
