from django.utils.translation import gettext_lazy as _


class StaleEdit(Exception):
    """The form was filled in from an older version of the photo's details."""

    def __init__(self):
        super().__init__(
            _(
                "Someone else saved this photo's details while you were editing. "
                "Check their changes below and save again."
            )
        )
