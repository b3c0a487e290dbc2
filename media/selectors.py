"""Read paths of the photo library, with their joins and prefetches."""

import unicodedata

from django.db.models import Q, QuerySet

from media.models import Photo


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
