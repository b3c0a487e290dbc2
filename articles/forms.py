"""Forms of the reader pages."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from articles import search_text
from articles.models import Section
from articles.search_text import Problem

QUERY_PROBLEMS = {
    Problem.EMPTY: _("Type a word to search for."),
    Problem.TOO_LONG: _("The search words are too long: use at most %(limit)d characters."),
    Problem.TOO_MANY_WORDS: _("Too many words: search with at most %(limit)d words."),
}


class QueryField(forms.Field):
    """The search words as typed, cleaned by search_text.parse_query: control characters
    (NUL too) are dropped rather than refused, and the cleaned value is a Query."""

    def to_python(self, value) -> search_text.Query:
        return search_text.parse_query(value if isinstance(value, str) else "")

    def validate(self, value: search_text.Query) -> None:
        if value.problem is not None:
            limit = (
                search_text.MAX_TERMS
                if value.problem == Problem.TOO_MANY_WORDS
                else search_text.MAX_QUERY_LENGTH
            )
            raise forms.ValidationError(
                QUERY_PROBLEMS[value.problem], code=value.problem, params={"limit": limit}
            )


class SectionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, section: Section) -> str:
        # Subsections under their section: "기업과산업 › 전자·전기·정보통신".
        return f"{section.parent.name} › {section.name}" if section.parent_id else section.name


class SearchForm(forms.Form):
    """The search page's query and filters. Anything a reader can put in the address ends
    in a clear message, never an error page."""

    q = QueryField(label=_("Search words"), required=False)
    section = SectionChoiceField(
        label=_("Section"),
        # Depth first, each section followed by its subsections (django-tree-queries).
        queryset=Section.objects.with_tree_fields().filter(is_active=True).select_related("parent"),
        to_field_name="slug",
        required=False,
        empty_label=_("All sections"),
    )
    since = forms.DateField(
        label=pgettext_lazy("search dates", "From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    until = forms.DateField(
        label=pgettext_lazy("search dates", "To"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and since > until:
            self.add_error("until", _("The end date is before the start date."))
        return cleaned
