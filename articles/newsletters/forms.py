"""The subscribe form: the same fields on the article page, home and the newsletters' page
(drawn there from a kept fragment, articles.fragments.newsletter_box), checked here."""

from django import forms
from django.utils.translation import gettext_lazy as _

from articles.errors import SubscriptionRefused
from articles.newsletters import subscriptions
from articles.newsletters.models import Newsletter


class SubscribeForm(forms.Form):
    # A plain text field: Django's EmailField would answer HTML typed into it with its own
    # message before subscriptions.check_email, the one rule for every door, gave ours.
    email = forms.CharField(
        label=_("E-mail address"),
        max_length=254,
        strip=True,
        error_messages={"required": _("Write your e-mail address.")},
    )
    newsletters = forms.ModelMultipleChoiceField(
        label=_("Newsletters"),
        queryset=Newsletter.objects.filter(is_active=True),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Choose at least one newsletter."),
            "invalid_choice": _("Choose at least one newsletter."),
            "invalid_pk_value": _("Choose at least one newsletter."),
        },
    )
    consent = forms.BooleanField(
        label=subscriptions.CONSENT_TEXT,
        error_messages={"required": _("Tick the box to agree: we keep nothing without it.")},
    )

    def clean_email(self) -> str:
        try:
            return subscriptions.check_email(self.cleaned_data["email"])
        except SubscriptionRefused as refused:
            raise forms.ValidationError(str(refused), code="invalid") from None
