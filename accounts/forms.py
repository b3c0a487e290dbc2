from allauth.core import context
from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from accounts import legal, limits, membership
from accounts.errors import LimitReached, NicknameTaken
from accounts.models import StaffProfile
from accounts.selectors import nickname_in_use
from accounts.validators import validate_nickname

# The sign-up form's consent boxes and the text each one agrees to.
CONSENT_FIELDS = {
    "agree_terms": legal.TERMS,
    "agree_privacy": legal.PRIVACY,
    "agree_age14": legal.AGE14,
}


class NicknameField(forms.CharField):
    """Checked by accounts.validators: the nickname rules, then the checks other apps
    register. No max_length here: the length counts after NFC, and a decomposed name is
    longer before it."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Nickname"))
        kwargs.setdefault(
            "help_text",
            _(
                "Shown to other readers instead of your e-mail address. 2–12 characters: "
                "Korean syllables, Latin letters and digits."
            ),
        )
        kwargs.setdefault(
            "widget",
            forms.TextInput(attrs={"autocomplete": "nickname", "spellcheck": "false"}),
        )
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        if value in self.empty_values:
            return value
        return validate_nickname(value)


def _consent_box(label, refusal):
    return forms.BooleanField(label=label, required=True, error_messages={"required": refusal})


class SignupForm(forms.Form):
    """The base of allauth's sign-up form (ACCOUNT_SIGNUP_FORM_CLASS): the nickname and the
    three required consents. allauth adds e-mail and passwords, then calls signup()."""

    # allauth draws its forms with as_p: this template keeps allauth's fields as they are
    # and sets the consents apart, each with a link to its text.
    template_name_p = "accounts/forms/signup.html"
    field_order = ["email", "nickname", "password1", "password2", *CONSENT_FIELDS]

    nickname = NicknameField()
    agree_terms = _consent_box(
        _("I agree to the terms of use."),
        _("Signing up needs your agreement to the terms of use."),
    )
    agree_privacy = _consent_box(
        _("I agree to the collection and use of my personal information."),
        _("Signing up needs your agreement to the collection and use of personal information."),
    )
    agree_age14 = _consent_box(
        _("I am 14 years old or older."),
        _("Only people aged 14 or older can sign up: please confirm your age."),
    )

    DOCUMENT_LINKS = {
        legal.TERMS: (reverse_lazy("accounts:terms"), _("Read the terms of use")),
        legal.PRIVACY: (reverse_lazy("accounts:privacy"), _("Read the privacy notice")),
    }

    def clean_nickname(self):
        nickname = self.cleaned_data["nickname"]
        if nickname and nickname_in_use(nickname):
            raise NicknameTaken()
        return nickname

    def clean(self):
        cleaned_data = super().clean()
        email = cleaned_data.get("email")
        if email:
            try:
                limits.check_sign_up(email, ip=limits.client_ip(context.request))
            except LimitReached as refusal:
                self.add_error(None, refusal)
        return cleaned_data

    def consent_rows(self):
        """(bound field, link to its text or None) for the template."""
        return [
            (self[name], self.DOCUMENT_LINKS.get(kind))
            for name, kind in CONSENT_FIELDS.items()
            if name in self.fields
        ]

    def other_fields(self):
        return [field for field in self.visible_fields() if field.name not in CONSENT_FIELDS]

    def agreed(self) -> list[str]:
        return [kind for name, kind in CONSENT_FIELDS.items() if self.cleaned_data.get(name)]

    def signup(self, request, user):
        membership.sign_up(user, nickname=self.cleaned_data["nickname"], agreed=self.agreed())


class NicknameForm(forms.Form):
    nickname = NicknameField(label=_("New nickname"))

    def __init__(self, *args, user, **kwargs):
        self.user = user
        kwargs.setdefault("initial", {"nickname": user.nickname})
        super().__init__(*args, **kwargs)

    def clean_nickname(self):
        nickname = self.cleaned_data["nickname"]
        if nickname_in_use(nickname, exclude_user_id=self.user.pk):
            raise NicknameTaken()
        return nickname


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label=_("Current password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    understood = forms.BooleanField(
        label=_("I understand: my account is deleted at once and cannot be restored."),
        error_messages={"required": _("Tick the box to confirm that you have read this.")},
    )


class StaffProfileForm(forms.ModelForm):
    """A staff member's byline as readers see it. Saved by membership.update_staff_profile."""

    class Meta:
        model = StaffProfile
        fields = ["byline_name", "title", "public_email", "bio"]
        widgets = {"bio": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "byline_name": _("Printed over your stories and on your reporter page."),
            "title": _("Printed after your name, e.g. 기자 or 선임기자."),
            "public_email": _("Printed in your byline for readers to write to. May be empty."),
        }
