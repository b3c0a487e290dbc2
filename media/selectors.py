"""Read paths of the photo library, with their joins and prefetches."""

import unicodedata

from django.db.models import Q, QuerySet

from media.models import Photo, Rendition, StaffPortrait
from newsroom import jsonrows


def library(query: str = "") -> QuerySet[Photo]:
    """Newest first, searched by caption, credit, alt text or tag."""
    photos = Photo.objects.select_related("uploaded_by").prefetch_related("renditions")
    # Tags and most text are stored composed; macOS pastes Hangul decomposed.
    query = unicodedata.normalize("NFC", query.strip())
    if query:
        photos = photos.filter(
            Q(caption__icontains=query)
            | Q(credit__icontains=query)
            | Q(alt_text__icontains=query)
            | Q(tags__name__icontains=query)
        ).distinct()
    return photos


def photo_for_editing(photo_id: int) -> Photo:
    return (
        Photo.objects.select_related("uploaded_by")
        .prefetch_related("renditions", "tags")
        .get(pk=photo_id)
    )


# --- renditions in their photo's query (newsroom.jsonrows) ----------------------------------


def renditions_json(photo: str = "photo_id"):
    """For each row, the renditions of the photo its `photo` field names, as JSON: the
    picture tag's rows read in the query that reads the photo."""
    return jsonrows.rows(Rendition.objects.all(), "photo", jsonrows.fields(Rendition), outer=photo)


def attach_renditions(photo: Photo, data) -> None:
    """Make `renditions_json`'s rows what `photo.renditions.all()` returns, without a query."""
    jsonrows.attach(photo, "renditions", jsonrows.instances(Rendition, data))


def with_renditions(uses: QuerySet) -> list:
    """Rows that select_related their `photo` (a story's photo uses), read with each photo's
    renditions in the same query: for `{% picture use.photo %}`."""
    found = list(uses.annotate(photo_renditions=renditions_json()))
    for use in found:
        attach_renditions(use.photo, use.photo_renditions)
    return found


def profile_with_portrait(profiles: QuerySet, **lookup):
    """One staff profile (`profiles.get(**lookup)`) with its portrait, the portrait's photo
    and its renditions, in one query: what `{% staff_portrait %}` draws."""
    return _attach_portrait_renditions(_with_portrait(profiles).get(**lookup))


def profiles_with_portraits(profiles: QuerySet) -> list:
    """Every staff profile of `profiles` as profile_with_portrait reads one: one query,
    whatever their number."""
    return [_attach_portrait_renditions(profile) for profile in _with_portrait(profiles)]


def _with_portrait(profiles: QuerySet) -> QuerySet:
    return profiles.select_related("portrait__photo").annotate(
        portrait_renditions=renditions_json("portrait__photo_id")
    )


def _attach_portrait_renditions(profile):
    portrait = loaded_portrait(profile)
    if portrait is not None:
        attach_renditions(portrait.photo, profile.portrait_renditions)
    return profile


def loaded_portrait(profile) -> StaffPortrait | None:
    """The portrait read with the profile (profile_with_portrait): None when it has none."""
    try:
        return profile.portrait
    except StaffPortrait.DoesNotExist:
        return None
