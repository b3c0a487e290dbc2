"""The comment forms. They only parse what was posted: the rules (blank, 400 bytes, the
comment window) are checked by comments.moderation, whose refusals the views add here."""

from django import forms
from django.utils.translation import gettext_lazy as _

from comments import rules
from comments.models import CommentReport, CommentVote


class CommentForm(forms.Form):
    # Not stripped or length-checked here: the one definition of the limit is
    # comments.rules, applied by moderation.post_comment.
    body = forms.CharField(label=_("Comment"), required=False, strip=False)
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)

    @property
    def text(self) -> str:
        """What the reader wrote, to give back in the box after a refusal."""
        return self.data.get("body", "") if self.is_bound else ""

    @property
    def bytes(self) -> int:
        return rules.byte_count(self.text)

    @property
    def parent_id(self) -> int | None:
        """The comment replied to. Still known after a refusal added its error."""
        if not self.is_bound:
            return None
        if not hasattr(self, "cleaned_data"):
            self.full_clean()
        return self.cleaned_data.get("parent")


class VoteForm(forms.Form):
    value = forms.ChoiceField(choices=[("", ""), *CommentVote.Value.choices], required=False)


class ReportForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=CommentReport.Reason.choices)
    note = forms.CharField(label=_("Details (optional)"), max_length=200, required=False)
