from django.urls import path

from articles.views import public

app_name = "articles"

urlpatterns = [
    path("", public.home, name="home"),
    # Slugs are Korean: <str:>, not Django's ASCII-only <slug:>.
    path("articles/<int:article_id>/", public.article_detail, name="detail-short"),
    # Before the slug pattern, which would take "read" for a slug.
    path("articles/<int:article_id>/read/", public.article_read, name="read"),
    path("articles/<int:article_id>/<str:slug>/", public.article_detail, name="detail"),
    path("sections/<str:slug>/", public.section, name="section"),
    path("sections/<str:parent>/<str:slug>/", public.section, name="subsection"),
    path("reporters/", public.reporters, name="reporters"),
    path("reporters/<str:slug>/", public.reporter, name="reporter"),
    path("series/<str:slug>/", public.series, name="series"),
    path("tags/<str:slug>/", public.tag, name="tag"),
    path("corrections/", public.corrections, name="corrections"),
    path("preview/<str:token>/", public.shared_preview, name="shared-preview"),
    path("search/", public.search, name="search"),
]
