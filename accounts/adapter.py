from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.urls import reverse

from accounts.permissions import can_use_desk


class AccountAdapter(DefaultAccountAdapter):
    def get_login_redirect_url(self, request):
        # Staff start their day at the desk; readers go back to the news.
        if can_use_desk(request.user):
            return reverse("desk")
        return super().get_login_redirect_url(request)

    def render_mail(self, template_prefix, email, context, headers=None):
        # Mails are signed with the paper's name and address, not the request's host.
        context = {**context, "SITE_NAME": settings.SITE_NAME, "SITE_URL": settings.SITE_URL}
        return super().render_mail(template_prefix, email, context, headers=headers)
