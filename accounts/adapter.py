from allauth.account.adapter import DefaultAccountAdapter
from django.urls import reverse

from accounts.permissions import can_use_desk


class AccountAdapter(DefaultAccountAdapter):
    def get_login_redirect_url(self, request):
        # Staff start their day at the desk; readers go back to the news.
        if can_use_desk(request.user):
            return reverse("desk")
        return super().get_login_redirect_url(request)
