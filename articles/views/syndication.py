"""What portals, search engines and feed readers read: the RSS 2.0 feeds (every published
story, and each section's with the sections below it), the sitemap index with a part per
month, the Google News sitemap of the last 48 hours, and robots.txt naming them; and the
full-text feed that the partner API serves to key holders (PartnerStories).

Only published stories appear. Every address is absolute from SITE_URL (never the request's
Host header), times are Korean (+09:00), and feed text passes without control characters,
which XML 1.0 cannot carry: a pasted headline must not break the feed for every reader.
"""

from functools import wraps

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.core.cache import cache
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Enclosure, Rss201rev2Feed
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from articles import dependencies, sanitize, selectors
from articles import partner_content as content
from articles.models import Section
from articles.search.text import without_control_characters as clean
from newsroom.cached_pages import cacheable, depends_on
from newsroom.links import absolute_url

XML = "application/xml; charset=utf-8"


def syndicated(view):
    """A page of this module: GET or HEAD, kept in the page cache until a published story
    changes."""

    @cacheable(timeout=300)
    @require_safe
    @wraps(view)
    def serve(request, *args, **kwargs):
        return depends_on(view(request, *args, **kwargs), dependencies.syndication())

    return serve


@syndicated
def sitemap_index(request):
    months = [
        {
            "loc": absolute_url(
                reverse(
                    "syndication:sitemap-month",
                    args=[f"{row['month']:%Y}", f"{row['month']:%m}"],
                )
            ),
            "lastmod": timezone.localtime(row["lastmod"]),
        }
        for row in selectors.sitemap_months()
    ]
    return render(request, "articles/sitemaps/index.xml", {"months": months}, content_type=XML)


@syndicated
def sitemap_month(request, year: str, month: str):
    # Beyond these, a month has no stories and its dates no place in the database.
    if not (1 <= int(month) <= 12 and 1900 <= int(year) <= 9998):
        raise Http404
    stories = selectors.sitemap_month(int(year), int(month))
    if not stories:  # every story of the month was taken down, or there never was one
        raise Http404
    urls = [
        {
            "loc": absolute_url(story.get_absolute_url()),
            "lastmod": timezone.localtime(story.lastmod),
        }
        for story in stories
    ]
    return render(request, "articles/sitemaps/month.xml", {"urls": urls}, content_type=XML)


@syndicated
def news_sitemap(request):
    return render(
        request,
        "articles/sitemaps/news.xml",
        {
            "stories": [
                {
                    "loc": absolute_url(story.get_absolute_url()),
                    "published": timezone.localtime(story.published_at),
                    "title": story.headline,
                }
                for story in selectors.news_sitemap()
            ],
            "publication_name": settings.SITE_NAME,
        },
        content_type=XML,
    )


@syndicated
def robots_txt(request):
    lines = [
        "User-agent: *",
        # Staff and account pages are no one's search result; search results pages neither
        # (endless combinations of words).
        f"Disallow: {reverse('story_desk:dashboard')}",
        "Disallow: /admin/",
        "Disallow: /accounts/",
        f"Disallow: {reverse('articles:search')}",
        "",
        f"Sitemap: {absolute_url(reverse('syndication:sitemap'))}",
        f"Sitemap: {absolute_url(reverse('syndication:news-sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


# --- RSS feeds ------------------------------------------------------------------------------

# The enclosure: the largest of these JPEG renditions that the lead photo has. Feed readers
# show it in a list; the 1600 px one would be wasted bytes.
ENCLOSURE_SPECS = ("w960", "w640", "w320")


@cacheable(timeout=300)
class LatestStories(Feed):
    language = "ko"

    def __call__(self, request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET", "HEAD"])
        return depends_on(super().__call__(request, *args, **kwargs), dependencies.syndication())

    def title(self, obj=None) -> str:
        return settings.SITE_NAME

    def link(self, obj=None) -> str:
        return absolute_url(reverse("articles:home"))

    def feed_url(self, obj=None) -> str:
        return absolute_url(reverse("syndication:feed"))

    def description(self, obj=None) -> str:
        return _("The latest stories of %(site)s") % {"site": settings.SITE_NAME}

    def items(self, obj=None):
        return selectors.feed_stories()

    def item_title(self, story) -> str:
        label = f"{story.series_label} " if story.series_id else ""
        return clean(label + story.headline)

    def item_link(self, story) -> str:
        return absolute_url(story.get_absolute_url())

    def item_guid_is_permalink(self, story) -> bool:
        return True

    def item_description(self, story) -> str:
        return clean(story.summary or story.subheadline)

    def item_pubdate(self, story):
        return timezone.localtime(story.published_at)

    def item_author_name(self, story) -> str | None:
        names = [
            byline.profile.byline_name if byline.profile_id else byline.guest_name
            for byline in story.bylines.all()
        ]
        return clean(" · ".join(names)) or None

    def item_author_email(self, story) -> str | None:
        # RSS 2.0's <author> is an e-mail address: the first staff byline's public one. Without
        # it Django writes the names as <dc:creator>.
        for byline in story.bylines.all():
            if byline.profile_id:
                return byline.profile.public_email or None
        return None

    def item_categories(self, story) -> list[str]:
        return [clean(story.section.name)]

    def item_enclosures(self, story) -> list[Enclosure]:
        return _enclosures(story.lead_uses[0] if story.lead_uses else None)


class SectionStories(LatestStories):
    def get_object(self, request, slug: str) -> Section:
        return get_object_or_404(
            Section.objects.select_related("parent"), slug=slug, is_active=True
        )

    def title(self, obj=None) -> str:
        return f"{settings.SITE_NAME} · {obj.name}"

    def link(self, obj=None) -> str:
        return absolute_url(obj.get_absolute_url())

    def feed_url(self, obj=None) -> str:
        return absolute_url(reverse("syndication:section-feed", args=[obj.slug]))

    def description(self, obj=None) -> str:
        return _("The latest stories of %(site)s in %(section)s") % {
            "site": settings.SITE_NAME,
            "section": obj.name,
        }

    def items(self, obj=None):
        return selectors.feed_stories(obj)


# --- the content partnership's full-text feed ----------------------------------------------

CONTENT = "http://purl.org/rss/1.0/modules/content/"
DUBLIN_CORE = "http://purl.org/dc/elements/1.1/"
MEDIA_RSS = "http://search.yahoo.com/mrss/"


class FullTextRss(Rss201rev2Feed):
    """RSS 2.0 with the full text in content:encoded (the content module, CONTENT), each
    byline as dc:creator and each photo as a Media RSS media:content with its caption and
    credit: what a portal's content partnership (콘텐츠제휴) imports."""

    def rss_attributes(self):
        return {
            **super().rss_attributes(),
            "xmlns:content": CONTENT,
            "xmlns:dc": DUBLIN_CORE,
            "xmlns:media": MEDIA_RSS,
        }

    def add_item_elements(self, handler, item):
        # Without an e-mail address Django writes the names as one dc:creator of its own;
        # here each byline is its own dc:creator below.
        if not item["author_email"]:
            item = {**item, "author_name": None}
        super().add_item_elements(handler, item)
        for name in item["creators"]:
            handler.addQuickElement("dc:creator", name)
        handler.addQuickElement("content:encoded", item["content_encoded"])
        for photo in item["photos"]:
            chosen = content.shown_rendition(photo)
            if chosen is None:
                continue
            handler.startElement(
                "media:content",
                {
                    "url": chosen["href"],
                    "type": chosen["contenttype"],
                    "medium": "image",
                    "width": str(chosen["width"]),
                    "height": str(chosen["height"]),
                    "isDefault": "true" if photo["name"] == "featureimage" else "false",
                },
            )
            caption = content.description(photo, "caption")
            if caption:
                handler.addQuickElement("media:description", clean(caption), {"type": "plain"})
            if photo["copyrightholder"]:
                handler.addQuickElement("media:credit", clean(photo["copyrightholder"]))
            handler.endElement("media:content")


class PartnerStories(LatestStories):
    """The newest published stories in full, for partners holding an API key: served by
    the content API at /api/v1/feeds/full-text.xml (articles.api), which checks the key
    and the rate first and keeps the answer out of every shared cache. Stories under an
    embargo never appear, as in the API."""

    feed_type = FullTextRss

    def title(self, obj=None) -> str:
        return _("%(site)s · full text for partners") % {"site": settings.SITE_NAME}

    def feed_url(self, obj=None) -> str:
        return absolute_url(reverse("api:full-text-feed"))

    def description(self, obj=None) -> str:
        return _("The full text of the latest stories of %(site)s, for content partners") % {
            "site": settings.SITE_NAME
        }

    def items(self, obj=None):
        return selectors.partner_stories(count=selectors.FEED_SIZE)

    def item_updateddate(self, story):
        # lastBuildDate is the newest of these and the publications: a correction moves it.
        return timezone.localtime(story.revised_at) if story.revised_at else None

    def item_enclosures(self, story) -> list[Enclosure]:
        return _enclosures(next((use for use in story.photo_uses.all() if use.is_lead), None))

    def item_extra_kwargs(self, story) -> dict:
        uses = list(story.photo_uses.all())
        names = content.photo_names(story)
        photos = [content.association(names[use.pk], use) for use in uses]
        # The lead photo above the body, as the article page shows it, unless the body
        # already places it.
        placed = set(sanitize.photo_use_ids(story.body))
        lead = "".join(
            content.figure(photo)
            for use, photo in zip(uses, photos, strict=True)
            if use.is_lead and use.pk not in placed
        )
        html = lead + content.body_html(story, names) + _corrections_html(story)
        return {
            "content_encoded": clean(html),
            "creators": [clean(content.byline(byline)["name"]) for byline in story.bylines.all()],
            "photos": photos,
        }


def _corrections_html(story) -> str:
    """The story's correction notes after its body, dated and labelled as the article page
    shows them: a partner republishing the text republishes its corrections too."""
    corrections = list(story.corrections.all())
    if not corrections:
        return ""
    notes = format_html_join(
        "",
        '<p><time datetime="{}">{}</time> {}{}</p>',
        (
            (
                timezone.localtime(note.created_at).isoformat(timespec="seconds"),
                f"{timezone.localtime(note.created_at):%Y-%m-%d %H:%M}",
                format_html("<strong>[{}]</strong> ", note.get_kind_display()) if note.kind else "",
                note.note,
            )
            for note in corrections
        ),
    )
    return format_html(
        '<section class="corrections"><h2>{}</h2>{}</section>', _("Corrections"), notes
    )


def _enclosures(use) -> list[Enclosure]:
    """The lead photo use's enclosure: its largest JPEG rendition of ENCLOSURE_SPECS."""
    if use is None:
        return []
    renditions = {
        rendition.spec: rendition
        for rendition in use.photo.renditions.all()
        if rendition.format == "JPEG"
    }
    rendition = next((renditions[spec] for spec in ENCLOSURE_SPECS if spec in renditions), None)
    if rendition is None:
        return []
    return [Enclosure(absolute_url(rendition.file.url), str(_size(rendition)), "image/jpeg")]


def _size(rendition) -> int:
    """The rendition's length in bytes, which RSS wants with an enclosure. Asking the
    storage is a stat locally but a request to S3, so it is remembered: rendition names
    carry a hash of their content, so a name's size never changes."""
    key = f"rendition-size:{rendition.file.name}"
    size = cache.get(key)
    if size is None:
        size = rendition.file.size
        cache.set(key, size, timeout=None)
    return size
