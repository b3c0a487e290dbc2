import unicodedata

from django.conf import settings
from django.core.files.storage import storages
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import StaffProfile
from newsroom.models import HistoryEntry


def public_storage():
    return storages["photos_public"]


def private_storage():
    return storages["photos_private"]


class PhotoTag(models.Model):
    name = models.CharField(_("name"), max_length=50, unique=True)

    class Meta:
        verbose_name = _("photo tag")
        verbose_name_plural = _("photo tags")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @staticmethod
    def normalise(name: str) -> str:
        # One spelling per tag: composed Hangul (NFC) and single spaces.
        return " ".join(unicodedata.normalize("NFC", name).split())[:50]


class Photo(models.Model):
    """A picture in the library. Stories use it through their own photo-use rows."""

    class Format(models.TextChoices):
        JPEG = "JPEG", "JPEG"
        PNG = "PNG", "PNG"
        WEBP = "WEBP", "WebP"
        GIF = "GIF", "GIF"

    original = models.FileField(_("original"), storage=private_storage, max_length=200)
    content_hash = models.CharField(_("content hash (SHA-256)"), max_length=64, unique=True)
    format = models.CharField(_("format"), max_length=4, choices=Format.choices)
    width = models.PositiveIntegerField(_("width"))
    height = models.PositiveIntegerField(_("height"))
    byte_size = models.PositiveIntegerField(_("size in bytes"))
    alt_text = models.CharField(
        _("alt text"),
        max_length=250,
        blank=True,
        help_text=_("What the picture shows, for readers who cannot see it."),
    )
    caption = models.TextField(
        _("default caption"),
        max_length=500,
        blank=True,
        help_text=_("Who, what, when. Shown after ▲; a story may write its own."),
    )
    credit = models.CharField(_("credit / copyright holder"), max_length=120, blank=True)
    focal_x = models.FloatField(
        _("focal point x"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
    )
    focal_y = models.FloatField(
        _("focal point y"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
    )
    tags = models.ManyToManyField(PhotoTag, verbose_name=_("tags"), blank=True, related_name="+")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # Raised by every edit: a form saved from an older version is refused, not merged.
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["-uploaded_at", "-id"]
        permissions = [("change_any_photo", _("Can edit any photo's details"))]
        indexes = [
            # The library, newest first.
            models.Index(fields=["-uploaded_at", "-id"], name="photo_newest_idx"),
        ]

    def __str__(self) -> str:
        return self.caption[:40] or f"{self.format} {self.width}x{self.height}"

    @property
    def focal_point(self) -> tuple[float, float]:
        if self.focal_x is None or self.focal_y is None:
            return (0.5, 0.5)
        return (self.focal_x, self.focal_y)


class Rendition(models.Model):
    """A re-encoded, metadata-free copy that readers are served. Made once, never changed:
    its file name holds a hash of its bytes."""

    photo = models.ForeignKey(Photo, on_delete=models.CASCADE, related_name="renditions")
    spec = models.CharField(_("spec"), max_length=10)
    format = models.CharField(_("format"), max_length=4)
    width = models.PositiveIntegerField(_("width"))
    height = models.PositiveIntegerField(_("height"))
    file = models.FileField(_("file"), storage=public_storage, max_length=200)

    class Meta:
        verbose_name = _("rendition")
        verbose_name_plural = _("renditions")
        constraints = [
            models.UniqueConstraint(
                fields=["photo", "spec", "format"], name="rendition_one_per_spec_format"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.spec} {self.format} {self.width}x{self.height}"


class StaffPortrait(models.Model):
    """The photo on a staff member's byline and reporter page."""

    profile = models.OneToOneField(StaffProfile, on_delete=models.CASCADE, related_name="portrait")
    photo = models.ForeignKey(Photo, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("staff portrait")
        verbose_name_plural = _("staff portraits")

    def __str__(self) -> str:
        return str(self.profile)


class PhotoEvent(HistoryEntry):
    """History of the library: uploads, edits, renditions, portraits. Kept when the photo
    or the actor is gone. `data` holds what changed (old and new values, files made)."""

    class Action(models.TextChoices):
        UPLOADED = "uploaded", _("Uploaded")
        EDITED = "edited", _("Details edited")
        RENDERED = "rendered", _("Renditions made")
        PORTRAIT = "portrait", _("Set as portrait")

    photo = models.ForeignKey(Photo, on_delete=models.SET_NULL, null=True, related_name="events")
    photo_hash = models.CharField(_("photo hash"), max_length=64)

    class Meta(HistoryEntry.Meta):
        verbose_name = _("photo event")
        verbose_name_plural = _("photo events")
        indexes = [
            # A photo's history on its edit page, newest first.
            models.Index(fields=["photo", "-created_at"], name="photoevent_photo_idx"),
        ]

    @property
    def changes(self) -> dict:
        """The name this history used for `data` before it took the shared shape."""
        return self.data
