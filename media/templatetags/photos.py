"""`{% picture photo sizes %}`: a responsive <picture> from a photo's renditions."""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from media import selectors
from media.imaging import WIDTH_SPECS
from media.models import StaffPortrait
from media.permissions import can_set_portrait

register = template.Library()
WIDTH_SPEC_NAMES = {spec.name for spec in WIDTH_SPECS}
# The <img src> for browsers without srcset: a width that suits a story column.
FALLBACK_WIDTH = 960


@register.simple_tag
def picture(
    photo, sizes: str = "100vw", *, alt: str | None = None, lead: bool = False, css_class: str = ""
):
    """Renditions come from `photo.renditions.all()`: prefetch them. A missing size or
    format falls back to the nearest rendition that exists; with none yet, a labelled
    placeholder stands in, never a broken image. Every image but a page's lead is lazy."""
    alt_text = photo.alt_text if alt is None else alt
    by_format: dict[str, list] = {"WEBP": [], "JPEG": []}
    for rendition in photo.renditions.all():
        if rendition.spec in WIDTH_SPEC_NAMES and rendition.format in by_format:
            by_format[rendition.format].append(rendition)
    available = by_format["JPEG"] or by_format["WEBP"]
    if not available:
        return format_html(
            '<span class="photo-pending {}" role="img" aria-label="{}">{}</span>',
            css_class,
            alt_text,
            _("The picture is being prepared."),
        )
    fallback = min(available, key=lambda rendition: abs(rendition.width - FALLBACK_WIDTH))
    loading = 'fetchpriority="high"' if lead else 'loading="lazy"'
    sources = (
        format_html(
            '<source type="image/webp" srcset="{}" sizes="{}">',
            _srcset(by_format["WEBP"]),
            sizes,
        )
        if by_format["WEBP"] and by_format["JPEG"]
        else ""
    )
    return format_html(
        '<picture class="{}">{}<img src="{}" srcset="{}" sizes="{}" width="{}" height="{}" '
        'alt="{}" decoding="async" {}></picture>',
        css_class,
        sources,
        fallback.file.url,
        _srcset(available),
        sizes,
        fallback.width,
        fallback.height,
        alt_text,
        mark_safe(loading),  # one of two constant attributes
    )


def _srcset(renditions) -> str:
    return format_html_join(
        ", ", "{} {}w", ((r.file.url, r.width) for r in sorted(renditions, key=lambda r: r.width))
    )


@register.inclusion_tag("media/portrait_block.html", takes_context=True)
def portrait_block(context, profile):
    """The portrait part of a staff page: the current portrait and the picker to change it."""
    portrait = (
        StaffPortrait.objects.filter(profile=profile)
        .select_related("photo")
        .prefetch_related("photo__renditions")
        .first()
    )
    return {
        "portrait": portrait,
        "can_choose": can_set_portrait(context["request"].user, profile),
    }


@register.simple_tag
def staff_portrait(profile, sizes: str = "120px"):
    """A staff member's portrait on reader pages, or nothing when there is none: the one
    read with the profile (media.selectors.profile_with_portrait), else one query."""
    if type(profile).portrait.is_cached(profile):
        portrait = selectors.loaded_portrait(profile)
    else:
        portrait = (
            StaffPortrait.objects.filter(profile=profile)
            .select_related("photo")
            .prefetch_related("photo__renditions")
            .first()
        )
    if portrait is None:
        return ""
    return picture(portrait.photo, sizes, alt=str(profile), css_class="portrait")
