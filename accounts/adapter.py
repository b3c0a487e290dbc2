from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context
from django.conf import settings
from django.shortcuts import resolve_url

from accounts import limits
from accounts.forms import SignupForm
from accounts.permissions import can_use_desk
from accounts.roles import roles_of
from newsroom.links import absolute_url

# The addresses allauth builds from the request for its e-mails (confirmation, password
# reset, "an account already exists").
MAIL_LINKS = {"activate_url", "password_reset_url", "signup_url"}


def on_site(url: str) -> str:
    """The same address on SITE_URL: its path, query and fragment kept."""
    parts = urlsplit(url)
    return absolute_url(parts._replace(scheme="", netloc="").geturl())


class AccountAdapter(DefaultAccountAdapter):
    # Log-in limits (accounts.limits) replace allauth's cache counters entirely, so
    # pre_authenticate does not call allauth's. The refusal is a ValidationError: the
    # log-in form shows its message.
    def pre_authenticate(self, request, **credentials):
        limits.check_log_in(credentials.get("email", ""), ip=limits.client_ip(request))

    def authenticate(self, request, **credentials):
        user = super().authenticate(request, **credentials)
        if user is not None:
            limits.log_in_succeeded(credentials.get("email", ""), ip=limits.client_ip(request))
        return user

    def authentication_failed(self, request, **credentials):
        limits.log_in_failed(credentials.get("email", ""), ip=limits.client_ip(request))

    def get_login_redirect_url(self, request):
        # Staff start their day where their work is (LOGIN_REDIRECT_BY_ROLE); readers go
        # back to the news.
        if can_use_desk(request.user):
            held = roles_of(request.user)
            for role, page in settings.LOGIN_REDIRECT_BY_ROLE.items():
                if role in held:
                    return resolve_url(page)
        return super().get_login_redirect_url(request)

    def save_user(self, request, user, form, commit=True):
        # A reader's account, nickname and consents are written in one transaction by
        # membership.sign_up, which the sign-up form's signup() calls right after this:
        # saved here already, a failure there would leave an account without consents.
        if isinstance(form, SignupForm):
            commit = False
            limits.signed_up(ip=limits.client_ip(request))
        return super().save_user(request, user, form, commit=commit)

    def send_account_already_exists_mail(self, email):
        # A sign-up with a taken address looks accepted to the caller, and counts as one.
        limits.signed_up(ip=limits.client_ip(context.request))
        if limits.may_mail(email, ip=limits.client_ip(context.request)):
            super().send_account_already_exists_mail(email)

    def send_confirmation_mail(self, request, emailconfirmation, signup):
        email = emailconfirmation.email_address.email
        if limits.may_mail(email, ip=limits.client_ip(request)):
            super().send_confirmation_mail(request, emailconfirmation, signup)

    def send_password_reset_mail(self, user, email, context):
        # Anyone can ask for a reset mail to any address: it counts with the verification
        # mails, in the database, so the cap holds while allauth's cache limits cannot.
        if limits.may_mail(email, ip=limits.client_ip(context.get("request"))):
            super().send_password_reset_mail(user, email, context)

    def add_message(self, request, level, message_template=None, *args, **kwargs):
        # Logging out lands on a page that says so (accounts:logged-out), the same for
        # every reader: a message would set a cookie for nothing.
        if message_template == "account/messages/logged_out.txt":
            return
        super().add_message(request, level, message_template, *args, **kwargs)

    def render_mail(self, template_prefix, email, context, headers=None):
        # Mails are signed with the paper's name and address, and their links lead there,
        # not to the host the request came in on (a proxy's, or 0.0.0.0).
        context = {**context, "SITE_NAME": settings.SITE_NAME, "SITE_URL": settings.SITE_URL}
        for link in MAIL_LINKS.intersection(context):
            context[link] = on_site(context[link])
        return super().render_mail(template_prefix, email, context, headers=headers)
