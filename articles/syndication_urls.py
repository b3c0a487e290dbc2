"""Feeds, sitemaps and robots.txt: one address each, outside the language prefixes (the
newsroom publishes in Korean), so /en/ has no copies of them."""

from django.urls import path, re_path

from articles.views import syndication
from articles.views.syndication import LatestStories, SectionStories

app_name = "syndication"

urlpatterns = [
    path("feeds/", LatestStories(), name="feed"),
    # Section slugs are Korean: <str:>.
    path("feeds/sections/<str:slug>/", SectionStories(), name="section-feed"),
    path("sitemap.xml", syndication.sitemap_index, name="sitemap"),
    re_path(
        r"^sitemaps/(?P<year>[0-9]{4})-(?P<month>[0-9]{2})\.xml$",
        syndication.sitemap_month,
        name="sitemap-month",
    ),
    path("sitemap-news.xml", syndication.news_sitemap, name="news-sitemap"),
    path("robots.txt", syndication.robots_txt, name="robots"),
]
