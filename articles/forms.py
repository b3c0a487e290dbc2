"""Forms of the stories: the reader's search, and the desk's story editor (what the writer
typed, turned into the content dict that articles.workflow saves or keeps aside)."""

import re
from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import StaffProfile
from articles import workflow
from articles.models import Article, CommentMode, PhotoUse, PlanningItem, Section, Series
from articles.search import text as search_text
from articles.search.text import Problem
from media.models import Photo
from newsroom import inputs

# The editor names each photo in the story's photo list: a saved use by its id, a photo
# picked since the last save by "new-" and a number of the page's choosing.
PHOTO_KEY = re.compile(r"(?:[0-9]{1,12}|new-[0-9A-Za-z]{1,20})")
PHOTO_IN_TEXT = re.compile(rf'<figure data-photo-use="({PHOTO_KEY.pattern})"')
MAX_PHOTOS = 60
BYLINE_SLOTS = 3


class SectionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, section: Section) -> str:
        # Subsections under their section: "기업과산업 › 전자·전기·정보통신".
        return f"{section.parent.name} › {section.name}" if section.parent_id else section.name


class SectionsChoiceField(forms.ModelMultipleChoiceField):
    label_from_instance = SectionChoiceField.label_from_instance


SEARCH_DATES = (date(1900, 1, 1), date(9998, 12, 31))
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
        for name, day in (("since", since), ("until", until)):
            # The date picker offers year 9999 and year 1: no story is that old or new,
            # and the day after 9999-12-31 does not exist.
            if day and not SEARCH_DATES[0] <= day <= SEARCH_DATES[1]:
                self.add_error(name, _("Choose a date between 1900 and 9998."))
                cleaned[name] = None
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and since > until:
            self.add_error("until", _("The end date is before the start date."))
        return cleaned


def _sections():
    return Section.objects.active_tree()


class StoryForm(forms.Form):
    headline = forms.CharField(label=_("headline"), max_length=200)
    subheadline = forms.CharField(label=_("subheadline"), max_length=300, required=False)
    summary = forms.CharField(
        label=_("summary"), max_length=600, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    body = forms.CharField(
        label=_("body"),
        required=False,
        # The desk's script puts django-prose-editor over it, offering exactly what
        # articles.sanitize keeps; without the script it takes the body's HTML as it is.
        widget=forms.Textarea(attrs={"data-story-body": "", "rows": 16}),
    )
    section = SectionChoiceField(label=_("section"), queryset=_sections())
    extra_sections = SectionsChoiceField(
        label=_("also in sections"),
        queryset=_sections(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    series = forms.ModelChoiceField(
        label=_("series"), queryset=Series.objects.filter(is_active=True), required=False
    )
    series_ordinal = forms.IntegerField(label=_("part"), min_value=1, max_value=999, required=False)
    tags = forms.CharField(
        label=_("tags"),
        required=False,
        max_length=500,
        help_text=_("Separate tags with commas."),
    )
    guest_bylines = forms.CharField(
        label=_("guest bylines"),
        required=False,
        max_length=300,
        help_text=_("Names of writers from outside, separated by commas."),
    )
    share_title = forms.CharField(label=_("share title"), max_length=70, required=False)
    share_description = forms.CharField(
        label=_("share description"),
        max_length=200,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    comment_mode = forms.ChoiceField(label=_("comments"), choices=CommentMode.choices)
    base_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    # A new story's page names itself, so that its second "save" (a double click, a
    # reload) finds the draft the first one made instead of making another.
    draft_key = forms.RegexField(regex=r"^[0-9a-f]{32}$", required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        profiles = StaffProfile.objects.order_by("byline_name")
        for slot in range(1, BYLINE_SLOTS + 1):
            self.fields[f"byline_{slot}"] = forms.ModelChoiceField(
                label=_("reporter %(number)s") % {"number": slot},
                queryset=profiles,
                required=False,
            )
        self.photo_errors: list[str] = []
        self.photo_rows = self._photo_rows() if self.is_bound else []

    @property
    def byline_fields(self):
        return [self[f"byline_{slot}"] for slot in range(1, BYLINE_SLOTS + 1)]

    def clean(self):
        data = super().clean()
        series, ordinal = data.get("series"), data.get("series_ordinal")
        if series and not ordinal:
            self.add_error("series_ordinal", _("Give the part number within the series."))
        if ordinal and not series:
            data["series_ordinal"] = None
        profiles = [data.get(f"byline_{slot}") for slot in range(1, BYLINE_SLOTS + 1)]
        guests = _split(data.get("guest_bylines", ""))
        if not any(profiles) and not guests:
            self.add_error("byline_1", _("A story needs at least one byline."))
        if self.photo_errors:
            raise forms.ValidationError(self.photo_errors)
        return data

    def content(self) -> dict:
        """The cleaned form as the workflow's content dict."""
        data = self.cleaned_data
        section = data["section"]
        bylines, seen = [], set()
        for slot in range(1, BYLINE_SLOTS + 1):
            profile = data.get(f"byline_{slot}")
            if profile and profile.pk not in seen:
                seen.add(profile.pk)
                bylines.append({"profile": profile.pk})
        bylines += [{"guest": name} for name in _split(data["guest_bylines"])]
        return {
            "headline": data["headline"],
            "subheadline": data["subheadline"],
            "summary": data["summary"],
            "body": data["body"],
            "section": section.pk,
            "extra_sections": sorted(s.pk for s in data["extra_sections"] if s.pk != section.pk),
            "series": data["series"].pk if data["series"] else None,
            "series_ordinal": data["series_ordinal"] if data["series"] else None,
            "tags": _split(data["tags"]),
            "bylines": bylines,
            "share_title": data["share_title"],
            "share_description": data["share_description"],
            "comment_mode": data["comment_mode"],
            "photo_uses": [row["entry"] for row in self.photo_rows],
        }

    def _photo_rows(self) -> list[dict]:
        """The photo list as posted, one row per photo (kept in the posted order): what the
        workflow needs, and what the page needs to draw the row again after an error."""
        keys = [key for key in self.data.getlist("photo") if PHOTO_KEY.fullmatch(key)]
        keys = list(dict.fromkeys(keys))[:MAX_PHOTOS]
        lead = self.data.get("lead_photo", "")
        saved_ids = [inputs.number(key) for key in keys if key.isdigit()]
        new_photo_ids = {
            key: self.data.get(f"photo-{key}-photo", "") for key in keys if not key.isdigit()
        }
        saved = PhotoUse.objects.in_bulk(saved_ids)
        photos = Photo.objects.in_bulk(
            [inputs.number(value) for value in new_photo_ids.values() if inputs.number(value)]
        )
        rows = []
        for key in keys:
            fields = {
                "caption": self.data.get(f"photo-{key}-caption", "").strip()[:500],
                "credit": self.data.get(f"photo-{key}-credit", "").strip()[:120],
                "alt_text": self.data.get(f"photo-{key}-alt", "").strip()[:250],
                "is_lead": key == lead,
            }
            if key.isdigit():
                use = saved.get(inputs.number(key))
                if use is None:
                    continue  # removed meanwhile by someone else: the save will tell them
                entry = {"id": use.pk, "photo": use.photo_id, **fields}
                photo = use.photo_id
            else:
                value = new_photo_ids[key]
                photo = photos.get(inputs.number(value))
                if photo is None:
                    self.photo_errors.append(_("A chosen photo is no longer in the library."))
                    continue
                # Details left empty take the library's (the page's script fills them in).
                given = {name: value for name, value in fields.items() if value}
                entry = {"ref": key.removeprefix("new-"), "photo": photo.pk, **given}
                photo = photo.pk
            rows.append({"key": key, "photo_id": photo, "entry": entry})
        return rows


def initial_from(article: Article, content: dict | None = None) -> tuple[dict, list[dict]]:
    """The form's initial values and photo rows for a story, or for a content dict kept
    aside (an autosave) on top of it."""
    if content is None:
        content = workflow.snapshot(article)
    profiles = [entry["profile"] for entry in content.get("bylines", []) if "profile" in entry]
    guests = [entry["guest"] for entry in content.get("bylines", []) if "guest" in entry]
    initial = {
        name: content.get(name, "")
        for name in (
            "headline",
            "subheadline",
            "summary",
            "body",
            "share_title",
            "share_description",
            "comment_mode",
            "section",
            "extra_sections",
            "series",
            "series_ordinal",
        )
    }
    initial["tags"] = ", ".join(content.get("tags", []))
    initial["guest_bylines"] = ", ".join(guests)
    initial["base_version"] = article.version
    for slot, profile in enumerate(profiles[:BYLINE_SLOTS], start=1):
        initial[f"byline_{slot}"] = profile
    rows = [
        {
            "key": str(entry["id"]) if entry.get("id") else f"new-{entry['ref']}",
            "photo_id": entry["photo"],
            "entry": entry,
        }
        for entry in content.get("photo_uses", [])
        if entry.get("id") or entry.get("ref")
    ]
    return initial, rows


# Where a photo of the story appears, as its row in the editor's photo list says.
USE_LABELS = {
    "lead": _("Lead photo"),
    "in_text": _("Photo in the text"),
    "unused": _("Not shown in the story"),
}


def photo_groups(rows: list[dict], *, lead_key: str, body: str) -> list[dict]:
    """The photo list as the editor shows it: each photo once, in the order it first comes,
    with its uses in the story (the same picture may be the lead and in the text, each use
    with its own caption), each labelled by where it appears. The page's script keeps the
    labels as the writer changes the lead and the text (articles/desk-editor.js)."""
    in_text = set(PHOTO_IN_TEXT.findall(body))
    groups: dict[int, dict] = {}
    for row in rows:
        places = [
            label
            for label, here in (
                (USE_LABELS["lead"], row["key"] == lead_key),
                (USE_LABELS["in_text"], row["key"] in in_text),
            )
            if here
        ]
        group = groups.setdefault(row["photo_id"], {"photo": row["photo"], "uses": []})
        group["uses"].append({**row, "label": " · ".join(map(str, places)) or USE_LABELS["unused"]})
    return list(groups.values())


def _split(text: str) -> list[str]:
    return [part.strip() for part in (text or "").split(",") if part.strip()]


# --- the planning board ------------------------------------------------------------------


class LocalDateTimeField(forms.CharField):
    """A datetime-local input read as Korean time (newsroom.inputs), never a server error."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if hasattr(value, "tzinfo"):
            return value
        moment = inputs.local_datetime(value)
        if moment is None:
            raise forms.ValidationError(_("Enter a date and time."), code="invalid")
        return moment

    def prepare_value(self, value):
        if hasattr(value, "tzinfo"):
            return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M")
        return value


class PlanningItemForm(forms.Form):
    """A new item on the board; articles.planning.create_item takes its cleaned data."""

    slugline = forms.CharField(label=_("slug-line"), max_length=80)
    angle = forms.CharField(
        label=_("angle"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    section = SectionChoiceField(label=_("section"), queryset=_sections())
    target_at = LocalDateTimeField(label=_("target time (Korean time)"))
    priority = forms.ChoiceField(
        label=_("priority"),
        choices=PlanningItem.Priority.choices,
        initial=PlanningItem.Priority.NORMAL,
    )
    expected_length = forms.IntegerField(
        label=_("expected length (characters)"), min_value=0, max_value=100_000, initial=0
    )
    photo_needed = forms.BooleanField(label=_("photo needed"), required=False)
