from django import forms
from django.utils.translation import gettext_lazy as _

from media import imaging
from media.models import Photo

ACCEPT = ",".join(imaging.CONTENT_TYPES.values())


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files; an empty one passes here so that media.library refuses it by name
    while the others are still uploaded."""

    widget = MultipleFileInput

    def __init__(self, **kwargs):
        super().__init__(allow_empty_file=True, **kwargs)

    def clean(self, data, initial=None):
        files = [file for file in (data if isinstance(data, list | tuple) else [data]) if file]
        if not files and self.required:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        return [super(MultipleFileField, self).clean(file, initial) for file in files]


class TagsField(forms.CharField):
    """Comma-separated tags in the form; a list in cleaned_data."""

    def to_python(self, value):
        return [
            part.strip() for part in (super().to_python(value) or "").split(",") if part.strip()
        ]

    def prepare_value(self, value):
        return ", ".join(value) if isinstance(value, list | tuple) else value


_caption = Photo._meta.get_field("caption")
_credit = Photo._meta.get_field("credit")
_alt_text = Photo._meta.get_field("alt_text")


class DetailsForm(forms.Form):
    """The details a photo carries in the library, given at upload or edited later."""

    caption = forms.CharField(
        label=_caption.verbose_name,
        max_length=_caption.max_length,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_caption.help_text,
    )
    credit = forms.CharField(
        label=_credit.verbose_name, max_length=_credit.max_length, required=False
    )
    alt_text = forms.CharField(
        label=_alt_text.verbose_name,
        max_length=_alt_text.max_length,
        required=False,
        help_text=_alt_text.help_text,
    )
    tags = TagsField(label=_("tags"), required=False, help_text=_("Separate tags with commas."))


class UploadForm(DetailsForm):
    field_order = ["files"]

    files = MultipleFileField(
        label=_("Pictures"),
        widget=MultipleFileInput(attrs={"accept": ACCEPT}),
        error_messages={"required": _("Choose at least one picture to upload.")},
    )


class PhotoDetailsForm(DetailsForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    focal_x = forms.FloatField(label=_("focal point x"), required=False, min_value=0, max_value=1)
    focal_y = forms.FloatField(label=_("focal point y"), required=False, min_value=0, max_value=1)

    @classmethod
    def for_photo(cls, photo: Photo) -> "PhotoDetailsForm":
        return cls(
            initial={
                "version": photo.version,
                "caption": photo.caption,
                "credit": photo.credit,
                "alt_text": photo.alt_text,
                "tags": [tag.name for tag in photo.tags.all()],
                "focal_x": photo.focal_x,
                "focal_y": photo.focal_y,
            }
        )

    def clean(self):
        data = super().clean()
        if (data.get("focal_x") is None) != (data.get("focal_y") is None):
            raise forms.ValidationError(_("Give both focal point values, or neither."))
        return data

    def details(self) -> dict:
        data = self.cleaned_data
        focal = None if data["focal_x"] is None else (data["focal_x"], data["focal_y"])
        return {
            "version": data["version"],
            "caption": data["caption"],
            "credit": data["credit"],
            "alt_text": data["alt_text"],
            "tags": data["tags"],
            "focal_point": focal,
        }
