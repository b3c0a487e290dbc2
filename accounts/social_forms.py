"""The sign-up form after a Kakao, Naver or Google log-in.

Its own module: allauth's social forms import the account sign-up form class named in the
settings (accounts.forms.SignupForm), so importing them from accounts.forms would loop.
"""

from allauth.socialaccount.forms import SignupForm
from django.db import transaction


class SocialSignupForm(SignupForm):
    @transaction.atomic
    def save(self, request):
        # allauth saves the user and the social account before our signup() records the
        # nickname and consents: all of it stands or falls together, so nobody is left
        # signed in through a provider without having consented.
        return super().save(request)
