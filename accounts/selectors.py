"""Read paths of accounts: what views and forms ask of the database about readers."""

from django.db.models import Case, QuerySet, Value, When
from django.db.models.functions import Lower

from accounts import legal, nicknames
from accounts.models import Consent, User


def nickname_in_use(nickname: str, *, exclude_user_id: int | None = None) -> bool:
    """Whether another account already goes by this name, in any case."""
    # Spelled like the unique index (LOWER(nickname), nickname <> '') so that it is used.
    matches = (
        User.objects.exclude(nickname="")
        .alias(nickname_key=Lower("nickname"))
        .filter(nickname_key=nicknames.comparison_key(nickname))
    )
    if exclude_user_id is not None:
        matches = matches.exclude(pk=exclude_user_id)
    return matches.exists()


def consents_of(user: User) -> QuerySet[Consent]:
    """The reader's consents, oldest first; those given together in the sign-up form's
    order (my page)."""
    form_order = Case(
        *(When(kind=kind, then=Value(i)) for i, kind in enumerate(legal.REQUIRED_AT_SIGNUP)),
        default=Value(len(legal.REQUIRED_AT_SIGNUP)),
    )
    return Consent.objects.filter(user=user).order_by("given_at", form_order, "pk")
