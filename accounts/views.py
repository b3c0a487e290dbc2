from django.shortcuts import render

from accounts.models import StaffProfile
from accounts.permissions import desk_view
from accounts.roles import Role, roles_of


@desk_view()
def desk(request):
    roles = roles_of(request.user)
    return render(
        request,
        "accounts/desk.html",
        {
            "profile": StaffProfile.objects.filter(user=request.user).first(),
            "role_labels": [label for value, label in Role.choices if value in roles],
        },
    )
