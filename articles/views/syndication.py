"""What portals and search engines read: the sitemap index with a part per month, the
Google News sitemap of the last 48 hours, and robots.txt naming them. Only published
stories appear; addresses are absolute from SITE_URL and times Korean (+09:00)."""

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from articles import selectors
from articles.sharing import absolute

XML = "application/xml; charset=utf-8"


@require_GET
def sitemap_index(request):
    months = [
        {
            "loc": absolute(
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


@require_GET
def sitemap_month(request, year: str, month: str):
    # Beyond these, a month has no stories and its dates no place in the database.
    if not (1 <= int(month) <= 12 and 1900 <= int(year) <= 9998):
        raise Http404
    stories = selectors.sitemap_month(int(year), int(month))
    if not stories:  # every story of the month was taken down, or there never was one
        raise Http404
    urls = [
        {"loc": absolute(story.get_absolute_url()), "lastmod": timezone.localtime(story.lastmod)}
        for story in stories
    ]
    return render(request, "articles/sitemaps/month.xml", {"urls": urls}, content_type=XML)


@require_GET
def news_sitemap(request):
    return render(
        request,
        "articles/sitemaps/news.xml",
        {
            "stories": [
                {
                    "loc": absolute(story.get_absolute_url()),
                    "published": timezone.localtime(story.published_at),
                    "title": story.headline,
                }
                for story in selectors.news_sitemap()
            ],
            "publication_name": settings.SITE_NAME,
        },
        content_type=XML,
    )


@require_GET
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
        f"Sitemap: {absolute(reverse('syndication:sitemap'))}",
        f"Sitemap: {absolute(reverse('syndication:news-sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
