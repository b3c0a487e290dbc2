"""schema.org NewsArticle for the article page (JSON-LD), with the properties Google
documents for articles: headline, image, datePublished, dateModified, author (name, url),
publisher (name, logo); and the story's section and public corrections.

Built from what the article page already loaded (no query of its own)."""

from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone

from articles.sharing.card import ShareCard
from media.imaging import SHARE_SPEC
from newsroom.links import absolute_url

LOGO = "newsroom/logo.svg"


def news_article(article, *, share: ShareCard, bylines: list, lead) -> dict:
    published = timezone.localtime(article.published_at)
    modified = timezone.localtime(article.revised_at or article.published_at)
    return {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "mainEntityOfPage": {"@type": "WebPage", "@id": share.url},
        "url": share.url,
        "headline": article.headline,
        "description": share.description,
        "image": _images(share, lead),
        "datePublished": published.isoformat(),
        "dateModified": modified.isoformat(),
        "inLanguage": "ko",
        "author": [_author(byline) for byline in bylines],
        "publisher": {
            "@type": "NewsMediaOrganization",
            "name": settings.SITE_NAME,
            "url": absolute_url(reverse("articles:home")),
            "logo": {"@type": "ImageObject", "url": absolute_url(static(LOGO))},
        },
        "articleSection": article.section.name,
        "correction": [
            {
                "@type": "CorrectionComment",
                "text": correction.note,
                "datePublished": timezone.localtime(correction.created_at).isoformat(),
            }
            for correction in article.corrections.all()
        ],
    }


def _images(share: ShareCard, lead) -> list[str]:
    """The share image (1200×630) first, then the lead photo's widest JPEG: Google picks the
    aspect ratio it needs from several."""
    images = [share.image_url]
    if lead is not None:
        widths = [
            rendition
            for rendition in lead.photo.renditions.all()
            if rendition.format == "JPEG" and rendition.spec != SHARE_SPEC.name
        ]
        if widths:
            widest = max(widths, key=lambda rendition: rendition.width)
            images.append(absolute_url(widest.file.url))
    return list(dict.fromkeys(images))


def _author(byline) -> dict:
    if not byline.profile_id:
        return {"@type": "Person", "name": byline.guest_name}
    return {
        "@type": "Person",
        "name": byline.profile.byline_name,
        "jobTitle": byline.profile.title,
        "url": absolute_url(reverse("articles:reporter", args=[byline.profile.slug])),
    }
