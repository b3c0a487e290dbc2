"""Read paths of accounts: what views and forms ask of the database about readers."""

from django.contrib.auth.models import Group
from django.db.models import Case, Exists, F, OuterRef, Prefetch, Q, QuerySet, Value, When
from django.db.models.functions import Lower

from accounts import legal, nicknames
from accounts.models import Consent, RoleChange, User
from accounts.roles import Role


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


def staff_members(query: str = "") -> QuerySet[User]:
    """The staff roles page: accounts holding any role, active or not; with a query, any
    account whose e-mail or byline name contains it (readers too, to be made staff).
    Byline order, accounts without one last. Three queries for any page: the rows with
    their profiles, their roles (`role_groups`) and their latest role change
    (`latest_changes`, at most one, with its actor's profile)."""
    if query:
        users = User.objects.filter(
            Q(email__icontains=query) | Q(staff_profile__byline_name__icontains=query)
        )
    else:
        holds_a_role = User.groups.through.objects.filter(
            user=OuterRef("pk"), group__name__in=Role.values
        )
        users = User.objects.filter(Exists(holds_a_role))
    return (
        users.select_related("staff_profile")
        .prefetch_related(
            Prefetch(
                "groups",
                queryset=Group.objects.filter(name__in=Role.values),
                to_attr="role_groups",
            ),
            Prefetch(
                "role_changes",
                # Sliced per user (a window function): only the newest row of each.
                queryset=RoleChange.objects.select_related("actor__staff_profile").order_by(
                    "-created_at", "-pk"
                )[:1],
                to_attr="latest_changes",
            ),
        )
        .order_by(F("staff_profile__byline_name").asc(nulls_last=True), "email", "pk")
    )


def role_history() -> QuerySet[RoleChange]:
    """Every role change, newest first (the model's ordering), with both accounts'
    profiles for their names. The staff roles page shows one page of it."""
    return RoleChange.objects.select_related("user__staff_profile", "actor__staff_profile")
